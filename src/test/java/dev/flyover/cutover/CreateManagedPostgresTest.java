package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.testing.ActionHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * create-database makes Fly Managed Postgres by default (issue 10 part 3): {@code fly mpg create} with every flag
 * in the Fly app's own organization, {@code fly mpg attach}, the source's extensions enabled through
 * {@code fly mpg}, and the transfer landing through {@code fly mpg proxy} in a database owned by a role without
 * superuser rights (the double's backend hook makes it real on the test server).
 */
@Tag("integration")
class CreateManagedPostgresTest {
  final CutoverFixture f = new CutoverFixture();
  /** The cluster's database and role on the shared test server: unique per run (the double's backend_suffix). */
  final String DB = "shop_fly_db_" + f.suffix;
  final String ROLE = "u_shop_fly_db_" + f.suffix;

  @BeforeEach
  void setUp() {
    drop();
    // The Fly app lives in another organization than the personal one: the cluster must go there.
    f.fly.edit(st -> {
      st.withArray("orgs").add(st.objectNode().put("slug", "acme").put("name", "Acme").put("type", "SHARED"));
      ((com.fasterxml.jackson.databind.node.ObjectNode) st.with("apps").with(CutoverFixture.FLY)).put("org", "acme");
      st.put("mpg_backend", f.adminUrl("postgres")).put("backend_suffix", "_" + f.suffix);
    });
    f.exec(f.sourceDb, "CREATE EXTENSION IF NOT EXISTS citext", "ALTER TABLE orders ADD COLUMN email citext");
  }

  @AfterEach
  void tearDown() {
    drop();
    f.close();
  }

  void drop() {
    f.adminExec("postgres", "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)", "DROP ROLE IF EXISTS " + ROLE);
  }

  @Test
  void createsManagedPostgresInTheAppsOrgAndTransfersThroughMpgProxy() {
    ActionHarness.Result r = f.action("cutover").input("database-url", "").input("create-database", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    String create = f.fly.calls("mpg", "create").get(0).path("argv").toString();
    for (String flag : List.of("\"--name\",\"shop-fly-db\"", "\"--org\",\"acme\"", "\"--region\",\"ams\"",
        "\"--plan\",\"basic\"", "\"--volume-size\",\"10\"", "\"--pg-major-version\",\"16\"")) {
      assertTrue(create.contains(flag), flag + " in " + create);
    }
    JsonNode attach = f.fly.calls("mpg", "attach").get(0).path("argv");
    String attachArgv = attach.toString();
    assertTrue(attachArgv.contains("\"-a\",\"" + CutoverFixture.FLY + "\""), attachArgv);
    assertEquals("--", attach.get(attach.size() - 2).asText(), "the cluster ID after --: " + attachArgv);
    List<JsonNode> enable = f.fly.calls("mpg", "databases", "extensions", "enable");
    assertEquals(1, enable.size(), enable.toString());
    assertTrue(enable.get(0).path("argv").toString().endsWith("\"--\",\"citext\"]"), "the extension after --: " + enable);
    assertFalse(f.fly.calls("mpg", "proxy").isEmpty(), "the transfer went through fly mpg proxy");
    assertTrue(f.fly.calls("proxy").isEmpty());
    assertEquals(500, f.count(DB, "orders"), "transferred into the Managed Postgres database");
    assertTrue(r.stdout().contains("PostgreSQL 15; Managed Postgres starts at 16"), r.stdout());
    String password = f.fly.state().path("mpg_clusters").elements().next().path("password").asText();
    assertTrue(r.stdout().contains("::add-mask::"), "masked");
    assertFalse(CutoverFixture.visible(r).contains(password), "mpg create's and attach's password is masked");
    try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "flyover", "flyover");
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = '" + ROLE + "'")) {
      assertTrue(rs.next());
      assertFalse(rs.getBoolean(1), "the target role is no superuser");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** A Managed Postgres connection string as database-url: the plan's preflight goes through fly mpg proxy. */
  @Test
  void aManagedPostgresTargetIsReachedThroughMpgProxyAndItsRulesArePreflighted() {
    f.fly.run(CutoverFixture.FLY_TOKEN, "mpg", "create", "--name", "shop-fly-db", "--org", "acme", "--region", "ams",
        "--plan", "basic", "--volume-size", "10", "--pg-major-version", "16");
    JsonNode cluster = f.fly.state().path("mpg_clusters").elements().next();
    String url = "postgresql://" + cluster.path("user").asText() + ":" + cluster.path("password").asText()
        + "@pgbouncer." + cluster.path("id").asText() + ".flympg.net/" + cluster.path("db").asText()
        + "?sslmode=disable"; // the backend test server has no TLS (Fly's clusters do)
    ActionHarness.Result r = f.action("plan").input("database-url", url).run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("[\"mpg\",\"proxy\",\"--local-port\",\"0\",\"--\",\"" + cluster.path("id").asText() + "\"]",
        f.fly.calls("mpg", "proxy").get(0).path("argv").toString());
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning")
        && c.data().contains("fly mpg databases extensions enable citext --cluster " + cluster.path("id").asText())), r.stdout());
    assertFalse(CutoverFixture.visible(r).contains(cluster.path("password").asText()));
  }

  @Test
  void unmanagedShowsFlyctlsNoticeAsAWarning() {
    String db = "shop_fly_" + f.suffix;
    f.fly.edit(st -> st.put("postgres_backend", f.adminUrl("postgres")));
    try {
      ActionHarness.Result r = f.action("cutover").input("database-url", "").input("create-database", "true")
          .input("postgres-kind", "unmanaged").run();
      assertEquals(0, r.exitCode(), r.everything());
      assertTrue(f.fly.calls("postgres", "create").get(0).path("argv").toString().contains("\"--org\",\"acme\""));
      assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning")
          && c.data().contains("not supported by Fly.io Support")), r.stdout());
    } finally {
      f.adminExec("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "DROP ROLE IF EXISTS " + db);
    }
  }

  @Test
  void aSourceNewerThanSeventeenOrAnUnknownPlanIsRefusedBeforeAnythingIsMade() {
    ActionHarness.Result r = f.action("cutover").input("database-url", "").input("create-database", "true")
        .input("postgres-plan", "performance").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(r.commands().errors().get(0).contains("postgres-plan input is 'performance'"), r.commands().errors().toString());
    assertTrue(f.fly.calls("mpg", "create").isEmpty());
  }
}
