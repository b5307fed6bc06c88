package dev.flyover.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The post-data section split in two: each table's own indexes and primary/unique/exclusion constraints, built as
 * soon as that table's rows are in (overlapping the copy of the others, as pg_restore cannot), and the rest (foreign
 * keys, triggers, rules, partition index attachments, materialized view refreshes…) left to {@code pg_restore -j}
 * afterwards, by TOC list. The SQL is pg_dump's own, read from {@code pg_restore --verbose --file}.
 *
 * <p>Entries are told apart by pg_dump's numbers, never by names: each starts at its {@code -- TOC entry <dumpId>
 * (class <catalog> OID <oid>)} line and is matched to its table by catalog and OID. Names cannot steer this: a name
 * may hold a newline inside the SQL (quoted identifiers are not sanitized there), so a name could forge such a
 * line; the parsed entries are therefore checked to be exactly the archive's own list ({@code pg_restore --list},
 * whose names pg_dump sanitizes), in order, and on any difference nothing is split: pg_restore does it all.
 */
final class PostData {
  private static final Pattern TOC_ENTRY = Pattern.compile("^-- TOC entry (\\d+) \\(class (\\d+) OID (\\d+)\\)$");
  private static final Pattern NAME = Pattern.compile("^-- Name: (.*); Type: (.*); Schema: (.*); Owner: (.*)$");
  private static final Pattern META = Pattern.compile("^\\\\(un)?restrict [A-Za-z0-9]+$");
  private static final Pattern LIST_LINE = Pattern.compile("^(\\d+); \\d+ \\d+ .*$");

  /** One TOC entry: its dump ID, the catalog object it creates, and pg_dump's SQL for it. */
  record Entry(int dumpId, long classId, long oid, String type, String schema, String name, String sql) {}

  /** Session preamble (SET lines) that every entry runs after. */
  final String preamble;
  /** Per table (schema.name), the entries built right after its data. */
  final Map<String, List<Entry>> perTable = new LinkedHashMap<>();
  final Set<Integer> idsTaken = new HashSet<>();
  /** False when the SQL did not match the archive's list: nothing is built per table then. */
  final boolean split;

  private PostData(String preamble, boolean split) {
    this.preamble = preamble;
    this.split = split;
  }

  /** A catalog object: {@code pg_class} for an index, {@code pg_constraint} for a constraint. */
  record ObjectId(long classId, long oid) {}

  /**
   * Splits pg_restore's verbose plain SQL into entries and picks those that belong to one plain table;
   * {@code listLines} is {@code pg_restore --list} of the same section, to check the split against.
   */
  static PostData split(List<String> sqlLines, List<String> listLines, Map<ObjectId, String> tableOf) {
    StringBuilder pre = new StringBuilder();
    List<Entry> entries = new ArrayList<>();
    long[] cur = null;
    String[] name = null;
    StringBuilder body = new StringBuilder();
    for (String line : sqlLines) {
      // psql meta-commands (restrict/unrestrict in current minor releases) are not SQL.
      if (META.matcher(line).matches()) continue;
      Matcher m = TOC_ENTRY.matcher(line);
      if (m.matches()) {
        if (cur != null) entries.add(entry(cur, name, body));
        cur = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
        name = null;
        body.setLength(0);
        continue;
      }
      if (cur == null) {
        if (!line.startsWith("--")) pre.append(line).append('\n');
        continue;
      }
      Matcher n = NAME.matcher(line);
      if (name == null && n.matches()) name = new String[] {n.group(2), n.group(3), n.group(1)};
      body.append(line).append('\n');
    }
    if (cur != null) entries.add(entry(cur, name, body));
    List<Integer> listed = new ArrayList<>();
    for (String line : listLines) {
      Matcher m = LIST_LINE.matcher(line);
      if (m.matches()) listed.add(Integer.parseInt(m.group(1)));
    }
    List<Integer> parsed = new ArrayList<>();
    for (Entry e : entries) parsed.add(e.dumpId());
    // A forged entry line (or any surprise in the format) shows here: then pg_restore restores everything itself.
    if (!parsed.equals(listed)) return new PostData(pre.toString(), false);
    PostData pd = new PostData(pre.toString(), true);
    for (Entry e : entries) {
      String table = tableOf.get(new ObjectId(e.classId(), e.oid()));
      if (table == null) continue;
      pd.perTable.computeIfAbsent(table, k -> new ArrayList<>()).add(e);
      pd.idsTaken.add(e.dumpId());
    }
    return pd;
  }

  private static Entry entry(long[] id, String[] name, StringBuilder body) {
    String[] n = name == null ? new String[] {"entry", "", "#" + id[0]} : name;
    return new Entry((int) id[0], id[1], id[2], n[0], n[1], n[2], body.toString());
  }

  /** The TOC list for pg_restore -L: every post-data entry not already built per table, by dump ID. */
  List<String> remainingList(List<String> tocLines) {
    List<String> out = new ArrayList<>();
    for (String line : tocLines) {
      Matcher m = LIST_LINE.matcher(line);
      out.add(m.matches() && idsTaken.contains(Integer.parseInt(m.group(1))) ? ";" + line : line);
    }
    return out;
  }

  /**
   * Which table each per-table index and constraint belongs to, by catalog and OID as the archive's TOC names
   * them. Partitions and partitioned indexes are left to pg_restore, which orders their attachments.
   */
  static Map<ObjectId, String> tableOf(Connection source) throws SQLException {
    Map<ObjectId, String> m = new HashMap<>();
    String sql = "SELECT 'pg_catalog.pg_class'::regclass::oid::bigint, i.indexrelid::bigint, tn.nspname || '.' || t.relname"
        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + " JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
        + " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
        + " WHERE t.relkind = 'r' AND NOT t.relispartition AND NOT ic.relispartition"
        + " UNION ALL"
        + " SELECT 'pg_catalog.pg_constraint'::regclass::oid::bigint, c.oid::bigint, n.nspname || '.' || t.relname"
        + " FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
        + " WHERE c.contype IN ('p', 'u', 'x') AND t.relkind = 'r' AND NOT t.relispartition AND c.conparentid = 0";
    try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) m.put(new ObjectId(rs.getLong(1), rs.getLong(2)), rs.getString(3));
    }
    return m;
  }
}
