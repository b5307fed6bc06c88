package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.pg.TestDatabases;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.AppServer;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.HerokuApiDouble;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Heroku app and its Fly twin on the doubles, with real PostgreSQL databases: the source Heroku's DATABASE_URL
 * points at, and an empty target. As on Heroku and Fly, each is reached as an ordinary role that owns it (no
 * SUPERUSER, CREATEDB or CREATEROLE: {@link TestDatabases}'s roles); the cluster's superuser only makes and drops
 * databases and stands for the platform behind the flyctl double ({@link #adminUrl}). Heroku: web 2 × Standard-1X and worker 1 × Standard-2X, Postgres and Redis
 * add-ons, an apex and a www custom domain. Fly: the app, shared IPv4 and IPv6, fly.toml with web and worker
 * groups and a release command.
 */
final class CutoverFixture implements AutoCloseable {
  static final String FLY_TOKEN = "fo1_cutover_org_token_s3cr3t";
  static final String SECRET_KEY_BASE = "skb-canary-" + UUID.randomUUID();
  static final String HEROKU = "shop";
  static final String FLY = "shop-fly";
  static final String FLY_TOML = """
      app = "shop-fly"
      primary_region = "ams"

      [processes]
        web = "bin/server"
        worker = "bin/worker"

      [http_service]
        internal_port = 8080
        processes = ["web"]

      [deploy]
        release_command = "bin/migrate"
      """;

  final HerokuApiDouble heroku = new HerokuApiDouble();
  final FlyctlDouble fly = new FlyctlDouble();
  final AppServer web = new AppServer(200);
  /** The cluster's superuser: setup, teardown and the platform's side (the doubles' backends), never flyover's. */
  final String admin = System.getenv().getOrDefault("FLYOVER_TEST_PG_URL", "postgres://flyover:flyover@127.0.0.1:5432/postgres");
  final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final TestDatabases dbs = new TestDatabases();
  /** Owned by {@link TestDatabases#SOURCE_ROLE}, as Heroku's per-database user owns its database. */
  final String sourceDb = dbs.createSource("cutover_src");
  /** Owned by {@link TestDatabases#ROLE}, as Fly's Managed Postgres user owns its database. */
  final String targetDb = dbs.create("cutover_dst");

  CutoverFixture() {
    exec(sourceDb, "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL, note text)",
        "INSERT INTO orders (total, note) SELECT g, 'order ' || g FROM generate_series(1, 500) g");
    heroku.app(HEROKU)
        .configVar("SECRET_KEY_BASE", SECRET_KEY_BASE)
        .configVar("DATABASE_URL", url(sourceDb) + "?sslmode=disable") // the local test server has no TLS
        .configVar("REDIS_URL", "redis://h:redis-canary-pw@ec2-1-2-3-4.compute.amazonaws.com:6379")
        .formation("web", 2, "Standard-1X", "bin/server")
        .formation("worker", 1, "Standard-2X", "bin/worker")
        .addon("heroku-postgresql", "essential-0", "DATABASE", "URL")
        .addon("heroku-redis", "mini", "REDIS", "URL")
        .domain("shop.example", "custom")
        .domain("www.shop.example", "custom");
    fly.token(FLY_TOKEN, "org", null);
    fly.run(FLY_TOKEN, "apps", "create", FLY, "--org", "personal");
    fly.run(FLY_TOKEN, "ips", "allocate-v4", "--shared", "-a", FLY);
    fly.run(FLY_TOKEN, "ips", "allocate-v6", "-a", FLY);
  }

  private boolean ours(String db) {
    return db.equals(sourceDb) || db.equals(targetDb);
  }

  /** The URL of the source or the target, as Heroku and Fly hand it over: its owner's, not a superuser's. */
  String url(String db) {
    if (!ours(db)) throw new IllegalArgumentException(db + " is not the fixture's source or target: adminUrl is the platform's");
    return "postgres://" + dbs.role(db) + ":" + TestDatabases.PASSWORD_ENCODED + "@" + dbs.host() + ":" + dbs.port() + "/" + db;
  }

  /** The cluster's superuser in one database: the platform's side of the doubles (their postgres/mpg backends). */
  String adminUrl(String db) {
    URI u = URI.create(admin);
    return u.getScheme() + "://" + u.getRawUserInfo() + "@" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + "/" + db;
  }

  /** The source or the target as its owner; any other database (one a double's backend made) as the superuser. */
  private Connection connect(String db) throws SQLException {
    if (ours(db)) return DriverManager.getConnection("jdbc:postgresql://" + dbs.host() + ":" + dbs.port() + "/" + db, dbs.role(db),
        TestDatabases.PASSWORD);
    URI u = URI.create(admin);
    String[] userInfo = u.getUserInfo().split(":", 2);
    return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort())
        + "/" + db, userInfo[0], userInfo.length > 1 ? userInfo[1] : "");
  }

  /** SQL as the app would run it: the database's owner. */
  void exec(String db, String... sql) {
    if (!ours(db)) throw new IllegalArgumentException(db + " is not the fixture's source or target: use adminExec");
    run(db, sql);
  }

  /** SQL as the cluster's superuser: setup and teardown of what the platform would do (roles, databases). */
  void adminExec(String db, String... sql) {
    for (String s : sql) dbs.adminExec(db, s);
  }

  private void run(String db, String... sql) {
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      for (String s : sql) st.execute(s);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Rows in {@code table} (a FROM clause), read as the owner (the superuser for a database a double made). */
  long count(String db, String table) {
    try (Connection c = connect(db); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Everything the step wrote but the ::add-mask:: commands (which must carry the values to mask them). */
  static String visible(ActionHarness.Result r) {
    return String.join("\n", r.everything().lines().filter(l -> !l.startsWith("::add-mask::")).toList());
  }

  /** The cutover as the issue's workflow runs it; the test adds or changes inputs. */
  ActionHarness action(String command) {
    return new ActionHarness().env(fly.env()).env(heroku.env())
        .input("command", command)
        .input("heroku-app", HEROKU).input("heroku-api-key", HerokuApiDouble.KEY)
        .input("fly-api-token", FLY_TOKEN)
        .input("database-url", url(targetDb))
        .input("health-check-url", web.url())
        .input("confirm", command.equals("cutover") ? HEROKU : "")
        .file("fly.toml", FLY_TOML).file("Dockerfile", "FROM scratch\n")
        .file("Procfile", "web: bin/server\nworker: bin/worker\nrelease: bin/migrate\n");
  }

  /** Heroku exactly as the fixture made it: serving, web 2 × Standard-1X, worker 1 × Standard-2X. */
  void assertHerokuAsBefore() {
    assertFalse(heroku.app(HEROKU).maintenance, "maintenance mode is off again");
    assertEquals("web=2:Standard-1X,worker=1:Standard-2X", formation());
  }

  String formation() {
    List<String> parts = new ArrayList<>();
    for (JsonNode f : heroku.app(HEROKU).formation()) {
      parts.add(f.path("type").asText() + "=" + f.path("quantity").asInt() + ":" + f.path("dyno_size").path("name").asText(f.path("size").asText()));
    }
    parts.sort(String::compareTo);
    return String.join(",", parts);
  }

  /** flyctl commands that only read (what a plan or a dry run may call). */
  static final List<String> FLY_READS = List.of("secrets list", "certs list", "ips list", "status", "releases", "version",
      "apps list", "postgres list", "config show", "mpg status");

  /**
   * Nothing changed anywhere since {@code flyCallsBefore}: Heroku saw only GETs and is as the fixture made it,
   * flyctl was only asked to read, and the target database is still empty.
   */
  void assertNothingChanged(int flyCallsBefore) {
    assertEquals(List.of(), herokuChanges(), "Heroku saw no change request");
    assertHerokuAsBefore();
    List<JsonNode> calls = fly.calls();
    for (JsonNode c : calls.subList(flyCallsBefore, calls.size())) {
      JsonNode argv = c.path("argv");
      String verb = argv.path(0).asText() + (argv.size() > 1 && !argv.path(1).asText().startsWith("-") ? " " + argv.path(1).asText() : "");
      assertTrue(FLY_READS.contains(verb), "flyctl was only asked to read, not: " + argv);
    }
    assertEquals(0, count(targetDb, "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN"
        + " ('pg_catalog', 'information_schema', 'pg_toast')"), "the target database is still empty");
  }

  /** Heroku requests that change something. */
  List<HerokuApiDouble.Request> herokuChanges() {
    return heroku.requests().stream().filter(r -> !r.method().equals("GET")).toList();
  }

  @Override
  public void close() {
    heroku.close();
    web.close();
    dbs.close();
  }
}
