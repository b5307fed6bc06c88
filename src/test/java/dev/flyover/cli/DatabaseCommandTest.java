package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.HerokuApiDouble;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** flyover database as the runner and a terminal run it, against the real cluster and the flyctl/Heroku doubles. */
@Tag("integration")
class DatabaseCommandTest {
  /** An ordinary role owning its databases, as on Heroku and Fly Managed Postgres. */
  static final String ROLE = "fo_dbcmd_app";
  static final String PASSWORD = "Cmd#Pw:9x/Q";
  static final String PASSWORD_ENCODED = "Cmd%23Pw%3A9x%2FQ";
  static String host = "127.0.0.1";
  static int port = 5432;
  static String source;
  static final List<String> created = new ArrayList<>();

  static Connection admin() throws Exception {
    String url = System.getenv().getOrDefault("FLYOVER_TEST_PG_URL", "postgres://flyover:flyover@127.0.0.1:5432/postgres");
    dev.flyover.pg.PgUrl u = dev.flyover.pg.PgUrl.parse(url, "FLYOVER_TEST_PG_URL").withDefaultSslMode("disable");
    host = u.host();
    port = u.port();
    return DriverManager.getConnection(u.jdbcUrl(), u.jdbcProperties());
  }

  static String create(String prefix) throws Exception {
    String name = "fo_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " OWNER " + ROLE);
    }
    created.add(name);
    return name;
  }

  static String url(String db) {
    return "postgres://" + ROLE + ":" + PASSWORD_ENCODED + "@" + host + ":" + port + "/" + db + "?sslmode=disable";
  }

  @BeforeAll
  static void setUp() throws Exception {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN "
          + "CREATE ROLE " + ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + PASSWORD + "'; END IF; "
          + "EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$");
    }
    source = create("csrc");
    Properties p = new Properties();
    p.setProperty("user", ROLE);
    p.setProperty("password", PASSWORD);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + source, p);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE users (id bigserial PRIMARY KEY, email text UNIQUE, at timestamptz);"
          + " INSERT INTO users (email, at) SELECT 'u' || g || '@x.io', now() FROM generate_series(1, 500) g;"
          + " CREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id), title text);"
          + " INSERT INTO posts (user_id, title) SELECT 1 + g % 500, 'Post ' || g || ' ✓' FROM generate_series(1, 2000) g;");
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      for (String db : created) st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  static void assertNoPassword(String everything) {
    String visible = everything.replaceAll("(?m)^::add-mask::.*$", "");
    assertFalse(visible.contains(PASSWORD), "password leaked");
    assertFalse(visible.contains(PASSWORD_ENCODED), "encoded password leaked");
  }

  @Test
  void actionRunCopiesVerifiesAndReports() throws Exception {
    String target = create("act");
    ActionHarness.Result r = new ActionHarness().input("command", "database")
        .input("heroku-database-url", url(source)).input("database-url", url(target))
        .input("jobs", "2").input("verify", "checksums").run();
    assertEquals(0, r.exitCode(), r.stdout());
    Map<String, String> out = r.outputs();
    assertEquals("success", out.get("status"));
    assertEquals("2", out.get("database-tables"));
    assertEquals("2500", out.get("database-rows"));
    assertEquals("true", out.get("database-verified"));
    assertTrue(Long.parseLong(out.get("database-bytes")) > 0);
    assertTrue(Double.parseDouble(out.get("database-seconds")) > 0);
    assertTrue(r.summary().contains("## Database transfer"), r.summary());
    assertTrue(r.summary().contains("| `public.posts` | 2,000 | 2,000 |"), r.summary());
    assertTrue(r.summary().contains("**checksums equal**"), r.summary());
    assertTrue(r.stdout().contains("::add-mask::"), "URLs registered with the runner's masker");
    assertNoPassword(r.everything());
  }

  @Test
  void terminalRunReadsUrlsFromTheEnvironment() throws Exception {
    String target = create("cli");
    CliHarness.Result r = new CliHarness().env("HEROKU_DATABASE_URL", url(source)).env("FLY_DATABASE_URL", url(target))
        .run("database", "--jobs=1");
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.stdout().contains("Database transfer"), r.stdout());
    r.assertReadsAsText();
    assertTrue(r.stderr().contains("database transfer verified"), r.stderr());
    assertNoPassword(r.stdout() + r.stderr());
  }

  @Test
  void sourceFromHerokuApi() throws Exception {
    String target = create("api");
    try (HerokuApiDouble heroku = new HerokuApiDouble()) {
      heroku.app("shop").configVar("DATABASE_URL", url(source));
      ActionHarness.Result r = new ActionHarness().env(heroku.env()).input("command", "database")
          .input("heroku-app", "shop").input("heroku-api-key", HerokuApiDouble.KEY)
          .input("database-url", url(target)).input("jobs", "2").run();
      assertEquals(0, r.exitCode(), r.stdout());
      assertEquals("true", r.outputs().get("database-verified"));
      assertTrue(r.stdout().contains("source: DATABASE_URL of Heroku app shop"), r.stdout());
      assertNoPassword(r.everything());
    }
  }

  static long relations(String db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, ROLE, PASSWORD);
        Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** dry-run: the preflight, read-only, and stop: the target stays empty and flyctl is never asked to change a thing. */
  @Test
  void dryRunReadsBothSidesAndCopiesNothing() throws Exception {
    String target = create("dry");
    FlyctlDouble fly = new FlyctlDouble();
    for (String mode : List.of("parallel", "remote")) {
      ActionHarness.Result r = new ActionHarness().env(fly.env()).input("command", "database").input("dry-run", "true")
          .input("transfer-mode", mode).input("fly-api-token", "fo-tok").input("fly-app", "shop")
          .input("heroku-database-url", url(source)).input("database-url", url(target)).run();
      assertEquals(0, r.exitCode(), r.stdout());
      assertTrue(r.commands().warnings().stream().noneMatch(w -> w.contains("dry-run")), r.stdout());
      assertTrue(r.commands().data("notice").stream().anyMatch(n -> n.startsWith("Dry run: nothing was copied")), r.stdout());
      assertTrue(r.summary().contains("Database plan (dry run)"), r.summary());
      assertTrue(r.summary().contains("2 tables"), "the source's tables are counted: " + r.summary());
      assertEquals(0, relations(target), "the target stays empty (" + mode + ")");
      assertNoPassword(r.everything());
    }
    assertEquals(List.of(), fly.calls(), "flyctl was not called");
    CliHarness.Result cli = new CliHarness().env("HEROKU_DATABASE_URL", url(source)).env("FLY_DATABASE_URL", url(target))
        .run("database", "--dry-run");
    assertEquals(0, cli.exitCode(), cli.stderr());
    assertTrue(cli.stderr().contains("run again without --dry-run to transfer"), cli.stderr());
    cli.assertReadsAsText();
    assertEquals(0, relations(target));
  }

  @Test
  void missingAndMalformedUrlsAreOneSentence() {
    ActionHarness.Result none = new ActionHarness().input("command", "database").input("database-url", url(source)).run();
    assertEquals(1, none.exitCode());
    assertEquals("false", none.outputs().get("database-verified"));
    assertTrue(none.commands().errors().get(0).startsWith("No source database: set heroku-database-url"), none.stdout());

    ActionHarness.Result bad = new ActionHarness().input("command", "database")
        .input("heroku-database-url", "postgres://u:Sup3rSecret@host:99999/db").input("database-url", url(source)).run();
    assertEquals(1, bad.exitCode());
    assertEquals(List.of("The heroku-database-url input is not a valid PostgreSQL URL: its port is out of range;"
        + " use postgres://user:password@host:port/database (percent-encode special characters in the password)."),
        bad.commands().errors());
    assertFalse(bad.everything().replaceAll("(?m)^::add-mask::.*$", "").contains("Sup3rSecret"));
  }

  @Test
  void flycastTargetGoesThroughFlyctlProxy() throws Exception {
    String target = create("fly");
    FlyctlDouble fly = new FlyctlDouble();
    fly.edit(s -> {
      s.with("apps").putObject("shop-db").put("name", "shop-db");
      s.with("proxy_targets").put("shop-db.flycast:5432", host + ":" + port);
    });
    String flycast = "postgres://" + ROLE + ":" + PASSWORD_ENCODED + "@shop-db.flycast:5432/" + target;
    ActionHarness.Result r = new ActionHarness().env(fly.env()).input("command", "database")
        .input("fly-api-token", "fo-tok").input("fly-app", "shop-db")
        .input("heroku-database-url", url(source)).input("database-url", flycast).input("jobs", "2").run();
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals("true", r.outputs().get("database-verified"));
    List<JsonNode> calls = fly.calls("proxy");
    assertEquals(1, calls.size());
    assertEquals("[\"proxy\",\"--watch-stdin\",\"--app\",\"shop-db\",\"--\",\"0:5432\",\"shop-db.flycast\"]", calls.get(0).path("argv").toString());
    assertTrue(r.stdout().contains("flyctl proxy ready: localhost:"), r.stdout());
    assertTrue(r.summary().contains("shop-db.flycast:5432/" + target), r.summary());
    Thread.sleep(200);
    assertFalse(ProcessHandle.current().descendants().anyMatch(p -> p.isAlive()
        && p.info().commandLine().orElse("").contains("flyctl")), "flyctl proxy left running");
    assertNoPassword(r.everything());
  }
}
