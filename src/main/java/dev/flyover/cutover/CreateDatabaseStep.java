package dev.flyover.cutover;

import dev.flyover.UserError;
import dev.flyover.fly.FlyToml;
import dev.flyover.fly.MpgCluster;
import dev.flyover.fly.NewDatabase;
import dev.flyover.pg.PgSession;
import dev.flyover.pg.PgUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code create-database: true}: a database for the transfer to land in, made without prompts and attached, so
 * the app's DATABASE_URL points at it. By default Fly Managed Postgres ({@code fly mpg create}, the database Fly
 * supports today), with {@code postgres-kind: unmanaged} the Fly Postgres app {@code fly launch} used to make
 * ({@code flyctl postgres create}, whose support notice becomes a warning). Credentials flyctl prints are masked
 * as they stream (fly/Flyctl). Managed Postgres shapes the transfer: majors 16 and 17 only, a role that owns the
 * database but is no superuser (so extensions are enabled through {@code fly mpg}), PgBouncer in front (the
 * transfer reaches the direct address through {@code fly mpg proxy}, fly/FlyProxy). Runs before Heroku is frozen
 * (it takes minutes). Never undone: the cluster is kept for inspection.
 */
final class CreateDatabaseStep implements Step {
  /** internal/command/mpg/create.go: "Supported versions are 16 and 17". */
  static final int MPG_MIN_MAJOR = 16;
  static final int MPG_MAX_MAJOR = 17;

  private final Cutover c;

  CreateDatabaseStep(Cutover c) {
    this.c = c;
  }

  private boolean managed() {
    return c.settings.postgres().kind() == Settings.Kind.MANAGED;
  }

  @Override
  public String id() {
    return "create-database";
  }

  @Override
  public String title() {
    return managed() ? "Create Fly Managed Postgres " + c.settings.postgres().name() + " and attach it"
        : "Create Fly Postgres " + c.settings.postgres().name() + " (unmanaged) and attach it";
  }

  /**
   * The org input, else the Fly app's own organization ({@code status --json} → {@code Organization.Slug}): a cluster
   * in another org is outside the app's private network (flypg/launcher.go, proxy/proxy.go), so never "personal".
   */
  String org() {
    if (c.settings.org().isPresent()) return c.settings.org().get();
    String slug = c.fly.status(c.settings.flyApp()).orgSlug();
    if (slug.isBlank()) {
      throw new UserError("Could not tell which organization the Fly app " + c.settings.flyApp() + " is in: set the "
          + c.ctx.named("org") + " to its slug (`fly orgs list`).");
    }
    return slug;
  }

  private Optional<MpgCluster> existingCluster() {
    String name = c.settings.postgres().name();
    return c.fly.mpgClusters(org()).stream().filter(k -> k.name().equals(name)).findFirst();
  }

  @Override
  public Optional<String> alreadyDone() {
    String name = c.settings.postgres().name();
    boolean exists = managed() ? existingCluster().isPresent() : c.fly.appExists(name);
    if (!exists) return Optional.empty();
    if (!c.hasTarget()) {
      throw new UserError((managed() ? "The Managed Postgres cluster " : "The Fly Postgres app ") + name + " already exists"
          + " (an earlier run created and attached it, setting DATABASE_URL on " + c.settings.flyApp() + "): pass its"
          + " connection string as the " + c.ctx.named("database-url") + ", or name another cluster with "
          + c.ctx.optionName("postgres-app") + ".");
    }
    return Optional.of((managed() ? "Managed Postgres " : "Fly Postgres ") + name + " exists; the target is the " + c.ctx.named("database-url"));
  }

  String region() {
    return c.settings.postgres().region()
        .or(() -> FlyToml.find(c.settings.workDir(), Optional.empty()).flatMap(FlyToml::primaryRegion))
        .orElseThrow(() -> new UserError("No region for the new Fly Postgres: set the "
            + c.ctx.named("postgres-region") + " or primary_region in fly.toml."));
  }

  List<String> createArgs(String org) {
    Settings.Postgres p = c.settings.postgres();
    return List.of("postgres", "create", "--name", p.name(), "--org", org, "--region", region(), "--vm-size", p.vmSize(),
        "--initial-cluster-size", String.valueOf(p.clusterSize()), "--volume-size", String.valueOf(p.volumeGb()));
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    Settings.Postgres p = c.settings.postgres();
    String org = org();
    NewDatabase made;
    if (managed()) {
      Source source = readSource();
      int major = major(source.major());
      made = c.fly.createManagedPostgres(p.name(), org, region(), p.plan(), p.volumeGb(), major, c.settings.flyApp());
      enableExtensions(made, source.extensions());
    } else {
      made = c.fly.createUnmanagedPostgres(createArgs(org), p.name(), c.settings.flyApp());
      if (!made.notice().isEmpty()) c.warn("flyctl: " + String.join(" ", made.notice()));
    }
    c.targetUrl(made.databaseUrl());
    return "created " + (managed() ? "Managed Postgres " + p.name() + " (" + made.cluster() + ")" : p.name()) + " in "
        + region() + " (organization " + org + ") and set DATABASE_URL on " + c.settings.flyApp();
  }

  /** The source's major and extensions, read in a read-only session (pg/PgSession) before anything is created. */
  record Source(int major, List<String> extensions) {}

  private Source readSource() {
    PgUrl source = PgUrl.parse(c.sourceUrl(), c.ctx.named("heroku-database-url")).withDefaultSslMode("require");
    try (Connection s = PgSession.open(source, PgSession.Side.SOURCE, c.ctx.named("heroku-database-url"));
        Statement st = s.createStatement()) {
      int major;
      try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
        rs.next();
        major = rs.getInt(1);
      }
      List<String> ext = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1")) {
        while (rs.next()) ext.add(rs.getString(1));
      }
      return new Source(major, List.copyOf(ext));
    } catch (SQLException e) {
      throw new UserError("Could not read the Heroku database's version before creating Managed Postgres ("
          + e.getMessage() + "): check the " + c.ctx.named("heroku-database-url") + ".");
    }
  }

  /**
   * Managed Postgres runs 16 or 17. pg_restore moves a database up a major but not down, so: the input if given and
   * not older than the source; else the source's own major when it is 16 or 17; else 16 for an older source
   * (said as a notice: test the app on 16); a source newer than 17 cannot go to Managed Postgres at all.
   */
  int major(int sourceMajor) {
    Optional<Integer> asked = c.settings.postgres().majorVersion();
    String input = c.ctx.optionName("postgres-major-version");
    String named = c.ctx.named("postgres-major-version");
    if (sourceMajor > MPG_MAX_MAJOR) {
      throw new UserError("Heroku's database is PostgreSQL " + sourceMajor + ", and Managed Postgres offers 16 and 17 only:"
          + " a database cannot move to an older major. Use " + c.ctx.given("postgres-kind", "unmanaged") + ", or a"
          + " PostgreSQL " + sourceMajor + " server of your own as " + c.ctx.optionName("database-url") + ".");
    }
    if (asked.isPresent()) {
      if (asked.get() < sourceMajor) {
        throw new UserError("The " + named + " is " + asked.get() + ", older than Heroku's PostgreSQL " + sourceMajor
            + ": a database cannot move to an older major; set it to " + Math.max(sourceMajor, MPG_MIN_MAJOR)
            + " or leave it empty.");
      }
      return asked.get();
    }
    if (sourceMajor >= MPG_MIN_MAJOR) return sourceMajor;
    if (sourceMajor > 0) {
      c.ctx.console().notice("Heroku's database is PostgreSQL " + sourceMajor + "; Managed Postgres starts at 16, so the"
          + " data moves up to 16: test the app against PostgreSQL 16 (or set " + input + ").");
    }
    return MPG_MIN_MAJOR;
  }

  /**
   * Managed Postgres gives a role that owns the database but is no superuser, so the source's extensions are
   * enabled the Managed Postgres way before the restore's {@code CREATE EXTENSION IF NOT EXISTS} meets them.
   */
  private void enableExtensions(NewDatabase made, List<String> extensions) {
    if (extensions.isEmpty()) return;
    String db = PgUrl.parse(made.databaseUrl(), "DATABASE_URL flyctl gave for the new database").database();
    for (String ext : extensions) {
      try {
        c.fly.enableMpgExtension(made.cluster(), db, ext);
      } catch (UserError e) {
        throw new UserError("Managed Postgres " + made.cluster() + " could not enable the extension " + ext + " that"
            + " Heroku's database uses (" + e.getMessage() + "): enable it (`fly mpg databases extensions enable " + ext
            + " --cluster " + made.cluster() + " --database " + db + "`) or drop it on Heroku, then re-run.");
      }
    }
  }
}
