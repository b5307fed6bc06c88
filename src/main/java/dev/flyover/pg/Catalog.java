package dev.flyover.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Catalog queries flyover needs, on either side. */
public final class Catalog {
  private Catalog() {}

  /**
   * A table whose rows are copied: a plain table or a leaf partition (partitioned parents hold no rows), or an
   * extension's configuration table, whose user rows are those its {@code extcondition} selects ({@code filter},
   * empty for every row; the rest were inserted by {@code CREATE EXTENSION} on both sides).
   */
  public record Table(String schema, String name, long bytes, long pages, long estimatedRows, List<String> copyColumns,
      List<String> allColumns, boolean binaryIo, int slowIndexes, String extension, String filter) {
    public Table(String schema, String name, long bytes, long pages, long estimatedRows, List<String> copyColumns,
        List<String> allColumns, boolean binaryIo, int slowIndexes) {
      this(schema, name, bytes, pages, estimatedRows, copyColumns, allColumns, binaryIo, slowIndexes, null, "");
    }

    /** An extension's configuration table (pg_extension_config_dump). */
    public boolean extensionConfig() {
      return extension != null;
    }

    /** {@code FROM ONLY table [WHERE …]}: the rows that are the user's. */
    public String rowsFrom() {
      return "ONLY " + qualified() + (filter.isBlank() ? "" : " " + filter);
    }

    public String qualified() {
      return PgSession.ident(schema) + "." + PgSession.ident(name);
    }

    public String display() {
      return schema + "." + name;
    }

    public String copyColumnList() {
      List<String> q = new ArrayList<>();
      for (String c : copyColumns) q.add(PgSession.ident(c));
      return String.join(", ", q);
    }

    public String allColumnList() {
      List<String> q = new ArrayList<>();
      for (String c : allColumns) q.add(PgSession.ident(c));
      return String.join(", ", q);
    }
  }

  public record Extension(String name, String version, String schema) {}

  public record Sequence(String schema, String name) {
    public String qualified() {
      return PgSession.ident(schema) + "." + PgSession.ident(name);
    }

    public String display() {
      return schema + "." + name;
    }
  }

  /** A database-level setting ({@code ALTER DATABASE … SET}, or per role with {@code role} set). */
  public record Setting(String role, String name, String value) {}

  private static final String USER_NAMESPACE = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
      + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";
  private static final String NOT_EXTENSION_MEMBER = "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
      + " WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

  public static int serverVersionNum(Connection c) throws SQLException {
    return Integer.parseInt(scalar(c, "SELECT current_setting('server_version_num')"));
  }

  public static String serverVersion(Connection c) throws SQLException {
    return scalar(c, "SELECT current_setting('server_version')");
  }

  public static int major(int versionNum) {
    return versionNum >= 100000 ? versionNum / 10000 : versionNum / 100;
  }

  public static long databaseSize(Connection c) throws SQLException {
    return Long.parseLong(scalar(c, "SELECT pg_catalog.pg_database_size(pg_catalog.current_database())"));
  }

  public static boolean isSuperuser(Connection c) throws SQLException {
    return "on".equals(scalar(c, "SELECT current_setting('is_superuser')"));
  }

  /** User tables: plain tables and leaf partitions outside extensions, biggest first. */
  public static List<Table> tables(Connection c) throws SQLException {
    return tables(c, "c.relkind = 'r' AND " + USER_NAMESPACE + " AND " + NOT_EXTENSION_MEMBER, null);
  }

  /**
   * Extension configuration tables ({@code pg_extension.extconfig}): their rows are user data that pg_dump dumps
   * (filtered by {@code extcondition}) but a schema-only dump does not.
   */
  public static List<Table> extensionConfigTables(Connection c) throws SQLException {
    List<Table> out = new ArrayList<>();
    String sql = "SELECT e.extname, cfg.oid, coalesce(e.extcondition[cfg.i], '') FROM pg_catalog.pg_extension e,"
        + " unnest(e.extconfig) WITH ORDINALITY AS cfg(oid, i) JOIN pg_catalog.pg_class c ON c.oid = cfg.oid"
        + " WHERE c.relkind = 'r' ORDER BY 1, cfg.i";
    List<String[]> rows = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
    }
    for (String[] r : rows) {
      for (Table t : tables(c, "c.oid = " + Long.parseLong(r[1]), r[0])) {
        out.add(new Table(t.schema(), t.name(), t.bytes(), t.pages(), t.estimatedRows(), t.copyColumns(), t.allColumns(),
            t.binaryIo(), 0, r[0], r[2].strip()));
      }
    }
    return out;
  }

  /** Sequences listed in an extension's configuration: their values are user data too, as pg_dump treats them. */
  public static List<Sequence> extensionConfigSequences(Connection c) throws SQLException {
    String sql = "SELECT n.nspname, c.relname FROM pg_catalog.pg_extension e, unnest(e.extconfig) cfg(oid)"
        + " JOIN pg_catalog.pg_class c ON c.oid = cfg.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind = 'S' ORDER BY 1, 2";
    List<Sequence> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(new Sequence(rs.getString(1), rs.getString(2)));
    }
    return out;
  }

  private static List<Table> tables(Connection c, String where, String extension) throws SQLException {
    boolean generated = serverVersionNum(c) >= 120000;
    String notGenerated = generated ? " AND a.attgenerated = ''" : "";
    // Bytes with TOAST (a table of big values is mostly TOAST): what a copy of it moves. Pages: the heap's, for ctid ranges.
    String sql = "SELECT n.nspname, c.relname, pg_catalog.pg_table_size(c.oid),"
        + " (pg_catalog.pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint,"
        + " greatest(c.reltuples, 0)::bigint,"
        + " ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
        + "   AND NOT a.attisdropped" + notGenerated + " ORDER BY a.attnum),"
        + " ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
        + "   AND NOT a.attisdropped ORDER BY a.attnum),"
        // Binary COPY needs send/receive functions for every copied column's type (domains: their base type's).
        + " NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
        + "   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND (t.typsend = 0 OR t.typreceive = 0)),"
        // Indexes that take far longer to build than a B-tree (GiST, SP-GiST, GIN over jsonb or tsvector, which
        // cannot be built in parallel before PG18): their tables go first, so the builds start early.
        + " (SELECT count(*) FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
        + "   JOIN pg_catalog.pg_am am ON am.oid = ic.relam WHERE i.indrelid = c.oid AND (am.amname IN ('gist', 'spgist')"
        + "   OR (am.amname = 'gin' AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid"
        + "     AND a.attnum = ANY (i.indkey) AND a.atttypid IN ('pg_catalog.jsonb'::pg_catalog.regtype, 'pg_catalog.tsvector'::pg_catalog.regtype)))))::int"
        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE " + where
        + " ORDER BY pg_catalog.pg_table_size(c.oid) DESC, n.nspname, c.relname";
    List<Table> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(new Table(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            List.of((String[]) rs.getArray(6).getArray()), List.of((String[]) rs.getArray(7).getArray()), rs.getBoolean(8), rs.getInt(9)));
      }
    }
    return out;
  }

  /** User tables, partitioned parents and materialized views on a side (the target must have none unless overwrite). */
  public static List<String> userRelations(Connection c) throws SQLException {
    String sql = "SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f') AND " + USER_NAMESPACE + " AND " + NOT_EXTENSION_MEMBER
        + " ORDER BY 1";
    return strings(c, sql);
  }

  public static List<Sequence> sequences(Connection c) throws SQLException {
    String sql = "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind = 'S' AND " + USER_NAMESPACE + " AND " + NOT_EXTENSION_MEMBER + " ORDER BY 1, 2";
    List<Sequence> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(new Sequence(rs.getString(1), rs.getString(2)));
    }
    return out;
  }

  /** The sequence's state as {@code last_value,is_called} (read outside MVCC, as pg_dump does). */
  public static String sequenceState(Connection c, Sequence s) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + s.qualified())) {
      rs.next();
      return rs.getString(1) + "," + rs.getBoolean(2);
    }
  }

  /**
   * Many sequences' states, in their order, each as {@link #sequenceState} reads it: one statement per
   * {@link #BATCH} sequences instead of one round trip each (a schema-per-tenant app has thousands).
   */
  public static List<String> sequenceStates(Connection c, List<Sequence> seqs) throws SQLException {
    List<String> out = new ArrayList<>(seqs.size());
    for (List<Sequence> part : slices(seqs, BATCH)) {
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < part.size(); i++) {
        // Each arm numbered: the states are matched to their sequence by number, not by the order rows arrive in.
        sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", last_value, is_called FROM ")
            .append(part.get(i).qualified());
      }
      String[] states = new String[part.size()];
      // Inside a transaction (the source's snapshot) the read is rolled back to a savepoint once read, so the
      // sequences' locks do not pile up until the snapshot's end (thousands would fill the lock table).
      java.sql.Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
        while (rs.next()) states[rs.getInt(1)] = rs.getString(2) + "," + rs.getBoolean(3);
      } finally {
        if (sp != null) {
          c.rollback(sp);
          c.releaseSavepoint(sp);
        }
      }
      out.addAll(java.util.Arrays.asList(states));
    }
    return out;
  }

  /** How many relations one batched catalog or count statement names at most. */
  static final int BATCH = 500;

  /** {@code items} cut into consecutive slices of at most {@code size}. */
  static <T> List<List<T>> slices(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) out.add(items.subList(from, Math.min(items.size(), from + size)));
    return out;
  }

  public static List<Extension> extensions(Connection c) throws SQLException {
    List<Extension> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT e.extname, e.extversion, n.nspname FROM pg_catalog.pg_extension e"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace ORDER BY 1")) {
      while (rs.next()) out.add(new Extension(rs.getString(1), rs.getString(2), rs.getString(3)));
    }
    return out;
  }

  public static List<String> availableExtensions(Connection c) throws SQLException {
    return strings(c, "SELECT name FROM pg_catalog.pg_available_extensions ORDER BY 1");
  }

  public static boolean schemaExists(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Settings made with ALTER DATABASE … SET and ALTER ROLE … IN DATABASE … SET for the current database. */
  public static List<Setting> databaseSettings(Connection c) throws SQLException {
    String sql = "SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE r.rolname END, cfg"
        + " FROM pg_catalog.pg_db_role_setting s"
        + " JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase AND d.datname = pg_catalog.current_database()"
        + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole,"
        + " LATERAL unnest(s.setconfig) cfg ORDER BY 1 NULLS FIRST, 2";
    List<Setting> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String cfg = rs.getString(2);
        int eq = cfg.indexOf('=');
        out.add(new Setting(rs.getString(1), cfg.substring(0, eq), cfg.substring(eq + 1)));
      }
    }
    return out;
  }

  public static List<Long> largeObjects(Connection c) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT oid FROM pg_catalog.pg_largeobject_metadata ORDER BY oid")) {
      while (rs.next()) out.add(rs.getLong(1));
    }
    return out;
  }

  public static String currentDatabase(Connection c) throws SQLException {
    return scalar(c, "SELECT pg_catalog.current_database()");
  }

  public static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  public static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
