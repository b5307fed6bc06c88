package dev.flyover.cutover;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.fly.FlyProxy;
import dev.flyover.pg.PgSession;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.SourceTargetCheck;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Whether the target database already holds exactly the source, read-only: the same user tables with the same
 * exact row counts, and every sequence at the same value. This is how a re-run knows an earlier run's transfer is
 * done and still true (Heroku frozen since), without any marker of ours.
 */
final class DatabaseCheck {
  /** What the two sides look like. */
  record Result(boolean targetEmpty, boolean equal, String difference, int tables, long rows, SourceTargetCheck.Result proof) {}

  private DatabaseCheck() {}

  static Result compare(Env env, Console console, PgUrl source, PgUrl target, Optional<String> flyApp, Optional<String> token,
      UnaryOperator<String> inputName) throws SQLException {
    FlyProxy proxy = null;
    try {
      if (target.needsFlyProxy()) {
        proxy = FlyProxy.start(env, console, flyApp, token, target.host(), target.port());
        target = target.via("127.0.0.1", proxy.localPort());
      }
      try (Connection t = PgSession.open(target, PgSession.Side.TARGET, "database-url");
          Connection s = PgSession.open(source, PgSession.Side.SOURCE, "heroku-database-url")) {
        // The source itself "equals the source": proven otherwise before any comparison (issue 9).
        SourceTargetCheck.Result proof = SourceTargetCheck.prove(s, t);
        proof.refuseIfSame(inputName, "heroku-database-url");
        Map<String, Long> tt = counts(t);
        if (tt.isEmpty()) return new Result(true, false, "the target has no tables", 0, 0, proof);
        {
          // One snapshot of the source for all its counts.
          s.setAutoCommit(false);
          try (Statement st = s.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          }
          Map<String, Long> ss = counts(s);
          long rows = ss.values().stream().mapToLong(Long::longValue).sum();
          for (Map.Entry<String, Long> e : ss.entrySet()) {
            Long other = tt.get(e.getKey());
            if (other == null) return new Result(false, false, e.getKey() + " is missing on the target", ss.size(), rows, proof);
            if (!other.equals(e.getValue())) {
              return new Result(false, false, e.getKey() + " has " + e.getValue() + " rows on the source but " + other
                  + " on the target", ss.size(), rows, proof);
            }
          }
          for (String name : tt.keySet()) {
            if (!ss.containsKey(name)) return new Result(false, false, name + " is on the target only", ss.size(), rows, proof);
          }
          Map<String, String> qs = sequences(s);
          Map<String, String> qt = sequences(t);
          for (Map.Entry<String, String> e : qs.entrySet()) {
            if (!e.getValue().equals(qt.get(e.getKey()))) {
              return new Result(false, false, "sequence " + e.getKey() + " differs", ss.size(), rows, proof);
            }
          }
          s.rollback();
          return new Result(false, true, "", ss.size(), rows, proof);
        }
      }
    } finally {
      if (proxy != null) proxy.close();
    }
  }

  /**
   * The plan's read-only preflight: both servers reachable with their credentials (before Heroku is frozen),
   * their versions, the source's size, and whether the target is empty.
   */
  static List<String> preflight(Env env, Console console, PgUrl source, PgUrl target, Optional<String> flyApp,
      Optional<String> token, boolean overwrite, UnaryOperator<String> inputName) throws SQLException {
    List<String> lines = new ArrayList<>();
    FlyProxy proxy = null;
    try {
      if (target.needsFlyProxy()) {
        proxy = FlyProxy.start(env, console, flyApp, token, target.host(), target.port());
        target = target.via("127.0.0.1", proxy.localPort());
      }
      try (Connection s = PgSession.open(source, PgSession.Side.SOURCE, "heroku-database-url");
          Connection t = PgSession.open(target, PgSession.Side.TARGET, "database-url")) {
        SourceTargetCheck.Result proof = SourceTargetCheck.prove(s, t);
        proof.refuseIfSame(inputName, "heroku-database-url");
        lines.add(proof.describe());
        if (proof.verdict() == SourceTargetCheck.Verdict.INCONCLUSIVE) {
          lines.add("WARNING: flyover " + proof.describe() + ": the database step will drop nothing and copy only into an empty database");
        }
        String sv = scalar(s, "SHOW server_version");
        String tv = scalar(t, "SHOW server_version");
        lines.add("source PostgreSQL " + sv + ", " + scalar(s, "SELECT pg_size_pretty(pg_database_size(current_database()))")
            + ", " + tableCount(s) + " tables");
        lines.add("target PostgreSQL " + tv + ", " + tableCount(t) + " tables");
        int smaj = major(sv);
        int tmaj = major(tv);
        if (tmaj < smaj) lines.add("WARNING: the target's major version (" + tmaj + ") is older than the source's (" + smaj + "): the transfer will refuse");
        if (tableCount(t) > 0 && !proof.provenDifferent()) {
          lines.add("WARNING: the target holds tables and is not proven to be another database than the source: the database step will refuse");
        } else if (tableCount(t) > 0) lines.add(overwrite ? "the target holds tables: overwrite is on, so they are replaced unless they already equal the source"
            : "the target holds tables: the database step skips them only if they equal the source after the freeze, else it stops (set overwrite: true to replace them)");
      }
    } finally {
      if (proxy != null) proxy.close();
    }
    return lines;
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.strip().split("[.\\s]")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int tableCount(Connection c) throws SQLException {
    int n = 0;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(USER_TABLES)) {
      while (rs.next()) n++;
    }
    return n;
  }

  private static final String USER_TABLES = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
      + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      + "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
      + "AND n.nspname NOT LIKE 'pg\\_%' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
      + "WHERE d.objid = c.oid AND d.deptype = 'e') ORDER BY 1";

  private static Map<String, Long> counts(Connection c) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(USER_TABLES)) {
      while (rs.next()) tables.add(rs.getString(1));
    }
    Map<String, Long> out = new TreeMap<>();
    for (String t : tables) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
        rs.next();
        out.put(t, rs.getLong(1));
      }
    }
    return out;
  }

  private static Map<String, String> sequences(Connection c) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), coalesce(last_value::text, 'unset') "
            + "FROM pg_catalog.pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
      while (rs.next()) out.put(rs.getString(1), rs.getString(2));
    }
    return out;
  }
}
