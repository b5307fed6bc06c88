package dev.flyover.cutover;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.fly.FlyProxy;
import dev.flyover.pg.Catalog;
import dev.flyover.pg.Compare;
import dev.flyover.pg.PgSession;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.SourceTargetCheck;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the target database already holds exactly the source, read-only, by the transfer's own definition
 * ({@link Compare}): this is how a re-run knows an earlier run's transfer is done and still true (Heroku frozen
 * since), without any marker of ours. Also the plan's read-only preflight of both databases.
 */
final class DatabaseCheck {
  /** What the two sides look like. */
  record Result(boolean targetEmpty, boolean equal, String difference, int tables, long rows, SourceTargetCheck.Result proof) {}

  private DatabaseCheck() {}

  static Result compare(Context ctx, PgUrl source, PgUrl target, Optional<String> flyApp, Optional<String> token)
      throws SQLException {
    Env env = ctx.env();
    Console console = ctx.console();
    FlyProxy proxy = null;
    try {
      if (target.needsFlyProxy()) {
        proxy = FlyProxy.start(env, console, flyApp, token, target.host(), target.port());
        target = target.via("127.0.0.1", proxy.localPort());
      }
      try (Connection t = PgSession.open(target, PgSession.Side.TARGET, ctx.named("database-url"));
          Connection s = PgSession.open(source, PgSession.Side.SOURCE, ctx.named("heroku-database-url"))) {
        // The source itself "equals the source": proven otherwise before any comparison (issue 9).
        SourceTargetCheck.Result proof = SourceTargetCheck.prove(s, t);
        proof.refuseIfSame(ctx::optionName, "heroku-database-url");
        // The transfer's own comparison, counts only (the cutover re-checks after Heroku is frozen).
        Compare.Outcome o = Compare.counts(s, t, console);
        return new Result(o.targetEmpty(), o.equal(), o.difference(), o.tables(), o.rows(), proof);
      }
    } finally {
      if (proxy != null) proxy.close();
    }
  }

  /**
   * The plan's read-only preflight: both servers reachable with their credentials (before Heroku is frozen),
   * their versions, the source's size, and whether the target is empty.
   */
  static List<String> preflight(Context ctx, PgUrl source, PgUrl target, Optional<String> flyApp, Optional<String> token,
      boolean overwrite) throws SQLException {
    Env env = ctx.env();
    Console console = ctx.console();
    List<String> lines = new ArrayList<>();
    FlyProxy proxy = null;
    PgUrl original = target;
    try {
      if (target.needsFlyProxy()) {
        proxy = FlyProxy.start(env, console, flyApp, token, target.host(), target.port());
        target = target.via("127.0.0.1", proxy.localPort());
      }
      try (Connection s = PgSession.open(source, PgSession.Side.SOURCE, ctx.named("heroku-database-url"));
          Connection t = PgSession.open(target, PgSession.Side.TARGET, ctx.named("database-url"))) {
        SourceTargetCheck.Result proof = SourceTargetCheck.prove(s, t);
        proof.refuseIfSame(ctx::optionName, "heroku-database-url");
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
        if (original.isManagedPostgres()) lines.addAll(managedPostgresRules(s, t, original));
        if (tableCount(t) > 0 && !proof.provenDifferent()) {
          lines.add("WARNING: the target holds tables and is not proven to be another database than the source: the database step will refuse");
        } else if (tableCount(t) > 0) lines.add(overwrite ? "the target holds tables: overwrite is on, so they are replaced unless they already equal the source"
            : "the target holds tables: the database step skips them only if they equal the source after the freeze, else it stops (set " + ctx.enabled("overwrite") + " to replace them)");
      }
    } finally {
      if (proxy != null) proxy.close();
    }
    return lines;
  }

  /**
   * Fly Managed Postgres: its role owns the database but is no superuser, so an extension the source uses must be
   * enabled through {@code fly mpg databases extensions enable} (internal/command/mpg/extensions.go) before the
   * restore meets it; it runs PostgreSQL 16 or 17 only (internal/command/mpg/create.go).
   */
  static List<String> managedPostgresRules(Connection s, Connection t, PgUrl target) throws SQLException {
    List<String> lines = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    java.util.Set<String> onTarget = new java.util.HashSet<>();
    try (Statement st = t.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT extname FROM pg_extension")) {
      while (rs.next()) onTarget.add(rs.getString(1));
    }
    try (Statement st = s.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1")) {
      while (rs.next()) if (!onTarget.contains(rs.getString(1))) missing.add(rs.getString(1));
    }
    String cluster = dev.flyover.fly.FlyProxy.mpgCluster(target.host()).orElse("CLUSTER");
    for (String ext : missing) {
      lines.add("WARNING: the source uses the extension " + ext + ", which the Managed Postgres database does not have and"
          + " its role cannot create: run `fly mpg databases extensions enable " + ext + " --cluster " + cluster
          + " --database " + target.database() + "` first");
    }
    lines.add("target is Fly Managed Postgres (PostgreSQL 16 or 17, a role without superuser rights, PgBouncer in front):"
        + " the transfer goes to its direct address through fly mpg proxy");
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

  /** User tables as the transfer counts them (plain tables and leaf partitions). */
  private static int tableCount(Connection c) throws SQLException {
    return Catalog.tables(c).size();
  }
}
