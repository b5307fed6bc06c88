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
 * Issue 10 part 3: a bare Managed Postgres cluster ID as database-url is resolved with {@code fly mpg status --json}
 * into the cluster's connection string (masked before anything prints, never on a command line) and reached
 * through {@code fly mpg proxy}, for the database command and the cutover's database step. The double's backend
 * hook makes the cluster a real database owned by a role without superuser rights.
 */
@Tag("integration")
class ManagedPostgresClusterIdTest {
  final CutoverFixture f = new CutoverFixture();
  final String name = "mpgid-" + f.suffix;
  final String db = name.replace("-", "_");
  final String role = "u_" + db;
  String cluster;
  String password;

  @BeforeEach
  void setUp() {
    drop();
    f.fly.edit(st -> st.put("mpg_backend", f.adminUrl("postgres")));
    f.fly.run(CutoverFixture.FLY_TOKEN, "mpg", "create", "--name", name, "--org", "personal", "--region", "ams",
        "--plan", "basic", "--volume-size", "10", "--pg-major-version", "16");
    JsonNode c = f.fly.state().path("mpg_clusters").elements().next();
    cluster = c.path("id").asText();
    password = c.path("password").asText();
  }

  @AfterEach
  void tearDown() {
    drop();
    f.close();
  }

  void drop() {
    f.adminExec("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "DROP ROLE IF EXISTS " + role);
  }

  /** No flyctl call carried the password in its argv, and nothing shown (outside ::add-mask::) holds it. */
  void assertCredentialsHidden(ActionHarness.Result r) {
    for (JsonNode call : f.fly.calls()) assertFalse(call.path("argv").toString().contains(password), call.toString());
    assertFalse(CutoverFixture.visible(r).contains(password), "the cluster's password is masked");
    assertTrue(r.stdout().contains("::add-mask::" + password), "masked before use");
  }

  @Test
  void theDatabaseCommandTransfersIntoAClusterIdThroughMpgProxy() {
    ActionHarness.Result r = new ActionHarness().env(f.fly.env()).input("command", "database")
        .input("fly-api-token", CutoverFixture.FLY_TOKEN)
        .input("heroku-database-url", f.url(f.sourceDb) + "?sslmode=disable")
        .input("database-url", cluster).run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(1, f.fly.calls("mpg", "status").size(), f.fly.calls().toString());
    assertFalse(f.fly.calls("mpg", "proxy").isEmpty(), "the transfer went through fly mpg proxy");
    assertTrue(f.fly.calls("proxy").isEmpty(), "not flyctl proxy");
    assertEquals(500, f.count(db, "orders"), "transferred into the cluster's database");
    assertCredentialsHidden(r);
  }

  @Test
  void theCutoverResolvesTheIdOnceAndStagesTheConnectionStringAsDatabaseUrl() {
    ActionHarness.Result r = f.action("cutover").input("database-url", cluster).input("set-database-url", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(1, f.fly.calls("mpg", "status").size(), "resolved once: " + f.fly.calls("mpg", "status"));
    assertFalse(f.fly.calls("mpg", "proxy").isEmpty(), "the database step went through fly mpg proxy");
    assertEquals(500, f.count(db, "orders"));
    String staged = f.fly.app(CutoverFixture.FLY).path("secrets").path("DATABASE_URL").path("value").asText();
    assertTrue(staged.startsWith("postgresql://" + role + ":" + password + "@pgbouncer." + cluster + ".flympg.net"),
        "DATABASE_URL is the connection string, not the ID");
    assertCredentialsHidden(r);
  }

  @Test
  void anUnknownClusterIdIsOneSentenceAndNothingIsTouched() {
    ActionHarness.Result r = new ActionHarness().env(f.fly.env()).input("command", "database")
        .input("fly-api-token", CutoverFixture.FLY_TOKEN)
        .input("heroku-database-url", f.url(f.sourceDb) + "?sslmode=disable")
        .input("database-url", "nosuchcluster42").run();
    assertEquals(1, r.exitCode(), r.everything());
    List<String> errors = r.commands().errors();
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("The database-url value is a Managed Postgres cluster ID that flyctl cannot find")
        && errors.get(0).contains("fly mpg status"), errors.get(0));
    assertFalse(r.everything().contains("Exception"), "no stack trace");
    assertTrue(f.fly.calls("mpg", "proxy").isEmpty());
  }

  @Test
  void anUnknownClusterIdStopsTheCutoverBeforeHerokuIsTouched() {
    ActionHarness.Result r = f.action("cutover").input("database-url", "nosuchcluster42").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(r.commands().errors().stream().anyMatch(e -> e.contains("Managed Postgres cluster ID that flyctl cannot find")),
        r.commands().errors().toString());
    assertEquals(List.of(), f.herokuChanges(), "Heroku saw no change request");
    f.assertHerokuAsBefore();
    assertTrue(f.fly.calls("mpg", "proxy").isEmpty());
  }

  @Test
  void aValueThatIsNeitherAUrlNorAnIdKeepsTheUrlError() {
    ActionHarness.Result r = new ActionHarness().env(f.fly.env()).input("command", "database")
        .input("fly-api-token", CutoverFixture.FLY_TOKEN)
        .input("heroku-database-url", f.url(f.sourceDb) + "?sslmode=disable")
        .input("database-url", "Shop_DB.example").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(f.fly.calls("mpg", "status").isEmpty(), "not looked up as a cluster");
    assertTrue(r.commands().errors().get(0).contains("database-url"), r.commands().errors().toString());
  }
}
