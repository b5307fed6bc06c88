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
 * The post-data section split in three: each table's own indexes and primary/unique/exclusion constraints, built as
 * soon as that table's rows are in (overlapping the copy of the others, as pg_restore cannot); foreign keys between
 * two plain tables, added as soon as both tables are finished; and the rest (triggers, rules, partition index
 * attachments, materialized view refreshes, a foreign key that was not added alongside…) left to
 * {@code pg_restore -j} afterwards, by TOC list. The SQL is pg_dump's own, read from {@code pg_restore --verbose --file}.
 *
 * <p>Entries are told apart by pg_dump's numbers, never by names: each starts at its {@code -- TOC entry <dumpId>
 * (class <catalog> OID <oid>)} line and is matched to its table by catalog and OID. Names cannot steer this: a name
 * may hold a newline inside the SQL (quoted identifiers are not sanitized there), so a name could forge such a
 * line; the parsed entries are therefore checked to be exactly the archive's own list ({@code pg_restore --list},
 * whose names pg_dump sanitizes), in order, and on any difference nothing is split: pg_restore does it all.
 */
final class PostData {
  /** pg_restore --verbose's first line of each entry, and a line of pg_restore --list (PreData reads both too). */
  static final Pattern TOC_ENTRY = Pattern.compile("^-- TOC entry (\\d+) \\(class (\\d+) OID (\\d+)\\)$");
  private static final Pattern NAME = Pattern.compile("^-- Name: (.*); Type: (.*); Schema: (.*); Owner: (.*)$");
  private static final Pattern META = Pattern.compile("^\\\\(un)?restrict [A-Za-z0-9]+$");
  static final Pattern LIST_LINE = Pattern.compile("^(\\d+); \\d+ \\d+ .*$");

  /**
   * One TOC entry: its dump ID, the catalog object it creates, and pg_dump's SQL for it; for a per-table entry also
   * what its build costs (to start the dearest first) and, for a primary key or unique constraint, its two-step form.
   */
  record Entry(int dumpId, long classId, long oid, String type, String schema, String name, String sql, long cost,
      TwoStep twoStep) {
    Entry with(Info info) {
      return new Entry(dumpId, classId, oid, type, schema, name, sql, info.cost(), info.twoStep());
    }
  }

  /**
   * A primary key or unique constraint built as two statements: {@code CREATE UNIQUE INDEX} (a SHARE lock, so it runs
   * beside the table's other index builds), then, once the table's builds are done, {@code ADD CONSTRAINT … USING
   * INDEX} (a catalog change). pg_dump's one {@code ALTER TABLE … ADD CONSTRAINT} holds ACCESS EXCLUSIVE for the
   * whole build (PostgreSQL 15 tablecmds.c, AlterTableGetLockLevel), so every other build on the table waits.
   * Only for the plain case {@code USING INDEX} takes (PostgreSQL 15 parse_utilcmd.c transformIndexConstraint:
   * btree, no expressions, no predicate, default opclasses, collations and ordering); {@code dropIndex} undoes the
   * first step if the second is refused after all, and pg_dump's own SQL is run instead.
   */
  record TwoStep(String createIndex, String addConstraint, String dropIndex) {}

  /**
   * What the source's catalog says of one per-table index or constraint, or (references set) of a foreign key from
   * {@code table} to {@code references}.
   */
  record Info(String table, long cost, TwoStep twoStep, String references) {}

  /** A foreign key between two plain tables (schema.name each; the same table for one that references itself). */
  record ForeignKey(Entry entry, String table, String references) {}

  /** Session preamble (SET lines) that every entry runs after. */
  final String preamble;
  /** Per table (schema.name), the entries built right after its data. */
  final Map<String, List<Entry>> perTable = new LinkedHashMap<>();
  final Set<Integer> idsTaken = new HashSet<>();
  /** Foreign keys that may be added alongside the copy, once both their tables are finished. */
  final List<ForeignKey> foreignKeys = new ArrayList<>();
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
  static PostData split(List<String> sqlLines, List<String> listLines, Map<ObjectId, Info> tableOf) {
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
      Info info = tableOf.get(new ObjectId(e.classId(), e.oid()));
      if (info == null) continue;
      if (info.references() != null) {
        pd.foreignKeys.add(new ForeignKey(e, info.table(), info.references()));
        continue;
      }
      // An entry that does more than add the constraint (CLUSTER ON, REPLICA IDENTITY) keeps pg_dump's SQL.
      if (info.twoStep() != null && (e.sql().contains("CLUSTER ON") || e.sql().contains("REPLICA IDENTITY"))) {
        info = new Info(info.table(), info.cost(), null, null);
      }
      pd.perTable.computeIfAbsent(info.table(), k -> new ArrayList<>()).add(e.with(info));
      pd.idsTaken.add(e.dumpId());
    }
    return pd;
  }

  private static Entry entry(long[] id, String[] name, StringBuilder body) {
    String[] n = name == null ? new String[] {"entry", "", "#" + id[0]} : name;
    return new Entry((int) id[0], id[1], id[2], n[0], n[1], n[2], body.toString(), 0, null);
  }

  /**
   * The TOC list for pg_restore -L: every post-data entry not already built per table nor in {@code alsoDone} (the
   * foreign keys added alongside), by dump ID; null when no entry is left, so pg_restore need not run.
   */
  List<String> remainingList(List<String> tocLines, Set<Integer> alsoDone) {
    List<String> out = new ArrayList<>();
    boolean left = false;
    for (String line : tocLines) {
      Matcher m = LIST_LINE.matcher(line);
      if (!m.matches()) {
        out.add(line);
        continue;
      }
      int id = Integer.parseInt(m.group(1));
      boolean done = idsTaken.contains(id) || alsoDone.contains(id);
      left |= !done;
      out.add(done ? ";" + line : line);
    }
    return left ? out : null;
  }

  /** How much dearer a build is per byte of index than a btree's: GIN and GiST build entry by entry. */
  static long weight(String accessMethod) {
    return switch (accessMethod == null ? "" : accessMethod) {
      case "gin", "gist" -> 4;
      case "spgist" -> 3;
      default -> 1;
    };
  }

  /**
   * Which table each per-table index and constraint belongs to, by catalog and OID as the archive's TOC names
   * them, with the size of its index on the source (what its build will cost) and, for a primary key or unique
   * constraint that allows it, its {@link TwoStep} form; and which two tables each foreign key joins. Partitions and
   * partitioned tables and indexes are left to pg_restore, which orders their attachments.
   */
  static Map<ObjectId, Info> tableOf(Connection source) throws SQLException {
    Map<ObjectId, Info> m = new HashMap<>();
    boolean covering = Integer.parseInt(Catalog.scalar(source, "SELECT pg_catalog.current_setting('server_version_num')")) >= 110000;
    String plain = "c.contype IN ('p', 'u') AND am.amname = 'btree' AND i.indexprs IS NULL AND i.indpred IS NULL"
        + " AND ic.reltablespace = 0" + (covering ? " AND i.indnatts = i.indnkeyatts" : "")
        + " AND NOT EXISTS (SELECT FROM pg_catalog.unnest(i.indoption::pg_catalog.int2[]) o WHERE o <> 0)"
        + " AND NOT EXISTS (SELECT FROM pg_catalog.unnest(i.indclass::pg_catalog.oid[]) k"
        + "   JOIN pg_catalog.pg_opclass oc ON oc.oid = k WHERE NOT oc.opcdefault)"
        + " AND NOT EXISTS (SELECT FROM ROWS FROM (pg_catalog.unnest(i.indcollation::pg_catalog.oid[]),"
        + "   pg_catalog.unnest(i.indkey::pg_catalog.int2[])) x(coll, num)"
        + "   JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.num WHERE x.coll <> a.attcollation)";
    String sql = "SELECT 'pg_catalog.pg_class'::regclass::oid::bigint, i.indexrelid::bigint, tn.nspname || '.' || t.relname,"
        + " pg_catalog.pg_relation_size(i.indexrelid), am.amname, NULL, NULL, NULL, NULL"
        + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + " JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
        + " JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
        + " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
        + " WHERE t.relkind = 'r' AND NOT t.relispartition AND NOT ic.relispartition"
        + " UNION ALL"
        + " SELECT 'pg_catalog.pg_constraint'::regclass::oid::bigint, c.oid::bigint, n.nspname || '.' || t.relname,"
        + " COALESCE(pg_catalog.pg_relation_size(c.conindid), 0), am.amname,"
        + " CASE WHEN " + plain + " THEN pg_catalog.pg_get_indexdef(c.conindid) END,"
        + " 'ALTER TABLE ONLY ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.relname)"
        + "   || ' ADD CONSTRAINT ' || pg_catalog.quote_ident(c.conname)"
        + "   || CASE c.contype WHEN 'p' THEN ' PRIMARY KEY' ELSE ' UNIQUE' END"
        + "   || ' USING INDEX ' || pg_catalog.quote_ident(ic.relname)"
        + "   || CASE WHEN c.condeferrable THEN ' DEFERRABLE' ELSE '' END"
        + "   || CASE WHEN c.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END,"
        + " 'DROP INDEX ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(ic.relname), NULL"
        + " FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
        + " LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid"
        + " LEFT JOIN pg_catalog.pg_class ic ON ic.oid = c.conindid"
        + " LEFT JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
        + " WHERE c.contype IN ('p', 'u', 'x') AND t.relkind = 'r' AND NOT t.relispartition AND c.conparentid = 0"
        + " UNION ALL"
        + " SELECT 'pg_catalog.pg_constraint'::regclass::oid::bigint, c.oid::bigint, n.nspname || '.' || t.relname,"
        + " 0, NULL, NULL, NULL, NULL, rn.nspname || '.' || r.relname"
        + " FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
        + " JOIN pg_catalog.pg_class r ON r.oid = c.confrelid JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace"
        + " WHERE c.contype = 'f' AND t.relkind = 'r' AND NOT t.relispartition AND r.relkind = 'r' AND NOT r.relispartition"
        + " AND c.conparentid = 0";
    try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        long cost = Math.max(1, rs.getLong(4)) * weight(rs.getString(5));
        TwoStep two = rs.getString(6) == null ? null : new TwoStep(rs.getString(6), rs.getString(7), rs.getString(8));
        m.put(new ObjectId(rs.getLong(1), rs.getLong(2)), new Info(rs.getString(3), cost, two, rs.getString(9)));
      }
    }
    return m;
  }
}
