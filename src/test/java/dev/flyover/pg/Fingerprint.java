package dev.flyover.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What two databases must agree on, computed independently of the code under test: the schema as pg_dump prints
 * it (normalised), every table's contents, sequences, large objects, database settings, matview state.
 */
final class Fingerprint {
  private Fingerprint() {}

  /** One session for all the queries (the corpus has hundreds of tables). */
  private record Session(java.sql.Connection c) {
    List<String> column(String db, String sql) {
      List<String> out = new ArrayList<>();
      try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) out.add(rs.getString(1));
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return out;
    }

    String scalar(String db, String sql) {
      List<String> r = column(db, sql);
      return r.isEmpty() ? null : r.get(0);
    }
  }

  static Map<String, String> of(TestDatabases testDbs, String db) {
    try (java.sql.Connection c = testDbs.connect(db)) {
      return of(testDbs, new Session(c), db);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static Map<String, String> of(TestDatabases testDbs, Session dbs, String db) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("schema", schema(testDbs, db));
    for (String t : dbs.column(db, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE (c.relkind = 'r' OR (c.relkind = 'm' AND c.relispopulated)) AND n.nspname NOT IN"
        + " ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1")) {
      // Columns by name: outside --binary-upgrade, pg_dump does not keep the order of columns a child of an
      // inheritance tree got from ALTER TABLE on its parent (a documented pg_dump limit: PostgreSQL's regression
      // tables a_star…f_star have it), and COPY names its columns, so only the order differs.
      String cols = dbs.scalar(db, "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attname) FROM pg_attribute"
          + " WHERE attrelid = '" + t.replace("'", "''") + "'::regclass AND attnum > 0 AND NOT attisdropped");
      String row = cols == null ? "x" : "ROW(" + cols + ")";
      f.put("rows " + t, dbs.scalar(db, "SELECT count(*) || ' ' || md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), ''))"
          + " FROM (SELECT " + row + " AS r FROM ONLY " + t + " x) y"));
    }
    for (String s : dbs.column(db, "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences ORDER BY 1")) {
      f.put("sequence " + s, dbs.scalar(db, "SELECT last_value || ' ' || is_called FROM " + s));
    }
    f.put("large objects", String.join(",", dbs.column(db,
        "SELECT oid || ':' || md5(lo_get(oid)) || ':' || coalesce(obj_description(oid, 'pg_largeobject'), '-')"
            + " FROM pg_largeobject_metadata ORDER BY oid")));
    // Extension configuration tables: the rows pg_dump would dump (those extcondition selects).
    for (String cfg : dbs.column(db, "SELECT format('%s.%s %s', quote_ident(n.nspname), quote_ident(c.relname),"
        + " coalesce(e.extcondition[u.i], '')) FROM pg_extension e, unnest(e.extconfig) WITH ORDINALITY u(oid, i)"
        + " JOIN pg_class c ON c.oid = u.oid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' ORDER BY 1")) {
      int sp = cfg.indexOf(' ');
      String t = cfg.substring(0, sp);
      f.put("extension config " + t, dbs.scalar(db, "SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\\n'"
          + " ORDER BY x::text), '')) FROM (SELECT * FROM ONLY " + t + " " + cfg.substring(sp + 1) + ") x"));
    }
    // The database's owner (the role flyover connects as) is the same user on both sides, whatever its name.
    f.put("settings", String.join(",", dbs.column(db, "SELECT CASE WHEN r.rolname = d.datdba::regrole::text THEN 'OWNER'"
        + " ELSE coalesce(r.rolname, '*') END || ' ' || cfg FROM pg_db_role_setting s"
        + " JOIN pg_database d ON d.oid = s.setdatabase AND d.datname = current_database()"
        + " LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) cfg ORDER BY 1")));
    f.put("matviews", String.join(",", dbs.column(db, "SELECT relname || ' ' || relispopulated FROM pg_class WHERE relkind = 'm' ORDER BY 1")));
    return f;
  }

  /** pg_dump --schema-only of the database, with the lines that differ between any two dumps removed. */
  static String schema(TestDatabases dbs, String db) {
    PgUrl u = dbs.pgUrl(db);
    ProcessBuilder pb = new ProcessBuilder("/usr/lib/postgresql/15/bin/pg_dump", "--schema-only", "--no-owner", "--no-acl");
    pb.environment().putAll(u.libpqEnv());
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new AssertionError("pg_dump failed: " + out);
      List<String> keep = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("\\restrict") || line.startsWith("\\unrestrict") || line.startsWith("-- Dumped")) continue;
        keep.add(line);
      }
      return String.join("\n", keep);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
