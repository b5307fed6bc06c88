package dev.flyover.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The post-data section split in two: each table's own indexes and primary/unique/exclusion constraints, built as
 * soon as that table's rows are in (overlapping the copy of the others, as pg_restore cannot), and the rest (foreign
 * keys, triggers, rules, partition index attachments, materialized view refreshes…) left to {@code pg_restore -j}
 * afterwards, by TOC list. The SQL is pg_dump's own, read from {@code pg_restore --file}.
 */
final class PostData {
  private static final Pattern HEADER = Pattern.compile("^-- Name: (.*); Type: (.*); Schema: (.*); Owner: (.*)$");
  private static final Pattern LIST_LINE = Pattern.compile("^\\d+; \\d+ \\d+ (.*)$");

  record Entry(String type, String schema, String name, String sql) {
    String key() {
      return type + " " + schema + " " + name;
    }
  }

  /** Session preamble (SET lines) that every entry runs after. */
  final String preamble;
  /** Per table (schema.name), the entries built right after its data. */
  final Map<String, List<Entry>> perTable = new LinkedHashMap<>();
  final List<String> keysTaken = new ArrayList<>();

  private PostData(String preamble) {
    this.preamble = preamble;
  }

  /** Splits pg_restore's plain SQL output into entries, and picks those that belong to one plain table. */
  static PostData split(List<String> sqlLines, Map<String, String> tableOfKey) {
    StringBuilder pre = new StringBuilder();
    List<Entry> entries = new ArrayList<>();
    String[] cur = null;
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < sqlLines.size(); i++) {
      String line = sqlLines.get(i);
      // psql meta-commands (restrict/unrestrict in current minor releases) are not SQL.
      if (line.startsWith("\\")) continue;
      Matcher m = HEADER.matcher(line);
      if (m.matches()) {
        if (cur != null) entries.add(new Entry(cur[0], cur[1], cur[2], body.toString()));
        cur = new String[] {m.group(2), m.group(3), m.group(1)};
        body.setLength(0);
        continue;
      }
      if (cur == null) {
        if (!line.startsWith("--")) pre.append(line).append('\n');
      } else {
        body.append(line).append('\n');
      }
    }
    if (cur != null) entries.add(new Entry(cur[0], cur[1], cur[2], body.toString()));
    PostData pd = new PostData(pre.toString());
    for (Entry e : entries) {
      String table = tableOfKey.get(e.key());
      if (table == null) continue;
      pd.perTable.computeIfAbsent(table, k -> new ArrayList<>()).add(e);
      pd.keysTaken.add(e.key());
    }
    return pd;
  }

  /** The TOC list for pg_restore -L: every post-data entry not already built per table. */
  List<String> remainingList(List<String> tocLines) {
    List<String> out = new ArrayList<>();
    for (String line : tocLines) {
      Matcher m = LIST_LINE.matcher(line);
      if (!m.matches()) {
        out.add(line);
        continue;
      }
      String rest = m.group(1);
      boolean taken = false;
      for (String k : keysTaken) {
        if (rest.startsWith(k + " ")) {
          taken = true;
          break;
        }
      }
      out.add(taken ? ";" + line : line);
    }
    return out;
  }

  /**
   * Which table each per-table index and constraint belongs to, keyed as the TOC names them ("INDEX schema
   * name", "CONSTRAINT schema table conname"). Partitions and partitioned indexes are left to pg_restore, which
   * orders their attachments.
   */
  static Map<String, String> tableOfKey(Connection source) throws SQLException {
    Map<String, String> m = new HashMap<>();
    String sql = "SELECT 'INDEX ' || n.nspname || ' ' || ic.relname, tn.nspname || '.' || t.relname"
        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
        + " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
        + " WHERE t.relkind = 'r' AND NOT t.relispartition AND NOT ic.relispartition"
        + " UNION ALL"
        + " SELECT 'CONSTRAINT ' || n.nspname || ' ' || t.relname || ' ' || c.conname, n.nspname || '.' || t.relname"
        + " FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
        + " WHERE c.contype IN ('p', 'u', 'x') AND t.relkind = 'r' AND NOT t.relispartition AND c.conparentid = 0";
    try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) m.put(rs.getString(1), rs.getString(2));
    }
    return m;
  }
}
