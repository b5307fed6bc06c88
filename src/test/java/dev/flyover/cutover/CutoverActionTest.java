package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code flyover action} with INPUT_COMMAND=cutover against the Heroku and flyctl doubles and real PostgreSQL. */
@Tag("integration")
class CutoverActionTest {
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  static List<String> errors(ActionHarness.Result r) {
    return r.commands().commands().stream().filter(c -> c.name().equals("error")).map(c -> c.data()).toList();
  }

  void assertNothingChanged(ActionHarness.Result r) {
    assertEquals(List.of(), f.herokuChanges(), "Heroku untouched");
    f.assertHerokuAsBefore();
    assertEquals(0, f.count(f.targetDb + "", "pg_class WHERE relname = 'orders'"), "target untouched");
    assertTrue(f.fly.calls().stream().noneMatch(c -> List.of("deploy", "import", "set", "add", "create", "attach")
        .contains(c.path("argv").get(c.path("argv").size() > 1 ? 1 : 0).asText())
        && !c.path("cwd").asText().equals(System.getProperty("user.dir"))), "nothing changed on Fly: " + f.fly.calls());
  }

  static final String ALL_STEPS = "plan,build,secrets,maintenance,workers,database,database-url,deploy,certificates,heroku-after";

  @Test
  void cleanCutover() {
    ActionHarness.Result r = f.action("cutover").input("set-database-url", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    var out = r.outputs();
    assertEquals("completed", out.get("cutover-status"));
    assertEquals(ALL_STEPS, out.get("steps-completed"));
    assertTrue(Integer.parseInt(out.get("downtime-seconds")) >= 0);
    assertEquals("true", out.get("database-verified"));
    assertEquals("success", out.get("status"));
    // Heroku frozen: maintenance on, worker at 0, web untouched (heroku-after: maintenance).
    assertTrue(f.heroku.app(CutoverFixture.HEROKU).maintenance);
    assertEquals("web=2:Standard-1X,worker=0:Standard-2X", f.formation());
    // The data moved, the secrets moved, DATABASE_URL points at the target.
    assertEquals(500, f.count(f.targetDb, "orders"));
    // Written as the target's own non-superuser role, as on Fly (the fixture's roles, not the cluster's superuser).
    assertEquals(1, f.count(f.targetDb, "pg_class WHERE relname = 'orders' AND relowner = '"
        + dev.flyover.pg.TestDatabases.ROLE + "'::regrole"));
    var secrets = f.fly.app(CutoverFixture.FLY).path("secrets");
    assertEquals(CutoverFixture.SECRET_KEY_BASE, secrets.path("SECRET_KEY_BASE").path("value").asText());
    assertEquals(f.url(f.targetDb), secrets.path("DATABASE_URL").path("value").asText());
    assertTrue(f.fly.app(CutoverFixture.FLY).path("certs").has("shop.example"));
    assertTrue(f.fly.app(CutoverFixture.FLY).path("certs").has("www.shop.example"));
    String s = r.summary();
    assertTrue(s.contains("Cutover completed: Heroku shop → Fly shop-fly"), s);
    assertTrue(s.contains("| `A` | `shop.example` | `66.241.124."), "apex gets A records:\n" + s);
    assertTrue(s.contains("| `AAAA` | `shop.example` |"), s);
    assertTrue(s.contains("| `CNAME` | `www.shop.example` | `shop-fly.fly.dev` |"), s);
    assertTrue(s.contains("```mermaid\ngantt"), s);
    assertTrue(s.contains("Still on Heroku (and billed)") && s.contains("heroku-redis:mini"), s);
    assertTrue(s.contains("Database transfer"), "the database flow's table: " + s);
    // Each collapsible block once: the deploy's cheat sheet, the way back, the plan the run started from.
    java.util.List<String> blocks = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<details><summary>([^<]*)</summary>").matcher(s);
    while (m.find()) blocks.add(m.group(1));
    assertEquals(blocks.stream().distinct().toList(), blocks, "a details block twice:\n" + s);
    assertEquals(1, blocks.stream().filter(b -> b.contains("cheat sheet")).count(), blocks.toString());
    String seen = CutoverFixture.visible(r);
    assertFalse(seen.contains(CutoverFixture.SECRET_KEY_BASE), "no secret value anywhere");
    assertFalse(seen.contains("redis-canary-pw"));
    assertFalse(seen.contains(dev.flyover.pg.TestDatabases.PASSWORD), "no database password anywhere");
    assertFalse(seen.contains(dev.flyover.pg.TestDatabases.PASSWORD_ENCODED), "no database password anywhere");
  }

  /**
   * A deploy that fails, then a re-run after the fix: what is still in place and verified (the secrets, the target
   * equal to the source) is skipped, Heroku is frozen again. Then rows written on Heroku after an undone cutover
   * make the target stale: the database step refuses without overwrite, and replaces it with overwrite: true.
   */
  @Test
  void reRunAfterFailureSkipsWhatIsDoneAndVerified() {
    f.fly.fault("deploy", java.util.Map.of("mode", "release-command-fails", "times", 1));
    ActionHarness.Result first = f.action("cutover").input("set-database-url", "true").run();
    assertEquals(1, first.exitCode(), first.everything());
    assertEquals("plan,build,secrets,database,database-url", first.outputs().get("steps-completed"));
    // The secrets plan is printed once, by the step that moves them; the "already done?" look prints nothing.
    assertEquals(1, first.stdout().split("Plan for Fly app", -1).length - 1, first.stdout());
    assertFalse(first.stdout().contains("Dry run"), first.stdout());
    f.assertHerokuAsBefore();
    assertEquals(500, f.count(f.targetDb, "orders"), "the target is kept for inspection");

    ActionHarness.Result second = f.action("cutover").input("set-database-url", "true").run();
    assertEquals(0, second.exitCode(), second.everything());
    assertEquals(ALL_STEPS, second.outputs().get("steps-completed"));
    assertTrue(second.summary().contains("| `secrets` | ☑️ already done |"), second.summary());
    // Whether the secrets are in place is asked quietly: one line, no dry-run plan in the middle of a cutover.
    assertTrue(second.stdout().contains("already done: the one config var to move is already a Fly secret (set by an earlier run)"), second.stdout());
    assertFalse(second.stdout().contains("Plan for Fly app"), second.stdout());
    assertFalse(second.stdout().contains("Dry run"), second.stdout());
    assertTrue(second.summary().contains("| `database` | ☑️ already done |"), second.summary());
    assertFalse(second.summary().contains("## Database transfer"), "no second transfer");
    assertEquals("true", second.outputs().get("database-verified"));
    assertTrue(f.heroku.app(CutoverFixture.HEROKU).maintenance);
    assertEquals("web=2:Standard-1X,worker=0:Standard-2X", f.formation());
  }

  @Test
  void aStaleTargetNeedsOverwrite() {
    f.fly.fault("certs add", java.util.Map.of("exit", 1, "stderr", "Error: rate limit exceeded", "times", 1));
    assertEquals(1, f.action("cutover").run().exitCode());
    f.assertHerokuAsBefore();
    // Heroku served again and took orders meanwhile.
    f.exec(f.sourceDb, "INSERT INTO orders (total, note) VALUES (1, 'late order')");

    ActionHarness.Result stale = f.action("cutover").run();
    assertEquals(1, stale.exitCode(), stale.everything());
    assertTrue(errors(stale).get(0).contains("set overwrite: true to replace it"), errors(stale).get(0));
    assertTrue(errors(stale).get(0).contains("orders has 501 rows on the source but 500 on the target"), errors(stale).get(0));
    f.assertHerokuAsBefore();

    ActionHarness.Result replaced = f.action("cutover").input("overwrite", "true").run();
    assertEquals(0, replaced.exitCode(), replaced.everything());
    assertEquals(501, f.count(f.targetDb, "orders"));
    assertTrue(replaced.summary().contains("| `certificates` | ✅ done |"), replaced.summary());
  }

  /**
   * create-database with postgres-kind: unmanaged: flyctl postgres create with every flag (no prompt), attach,
   * its printed password masked at once, and the attached database (made real by the double's backend hook) used as the transfer's target.
   */
  @Test
  void createDatabaseCreatesAttachesAndTransfersIntoIt() {
    // Unique per run: the test server is shared with other runs (the double names the database and role
    // after the app, plus this suffix).
    String db = "shop_fly_" + f.suffix;
    f.fly.edit(st -> st.put("postgres_backend", f.adminUrl("postgres")).put("backend_suffix", "_" + f.suffix));
    try {
      ActionHarness.Result r = f.action("cutover").input("database-url", "").input("create-database", "true")
          .input("postgres-kind", "unmanaged").run();
      assertEquals(0, r.exitCode(), r.everything());
      assertEquals("plan,build,create-database,secrets,maintenance,workers,database,deploy,certificates,heroku-after",
          r.outputs().get("steps-completed"));
      var create = f.fly.calls("postgres", "create").get(0).path("argv").toString();
      for (String flag : List.of("\"--name\",\"shop-fly-db\"", "\"--org\",\"personal\"", "\"--region\",\"ams\"",
          "\"--vm-size\",\"shared-cpu-1x\"", "\"--initial-cluster-size\",\"1\"", "\"--volume-size\",\"10\"")) {
        assertTrue(create.contains(flag), flag + " in " + create);
      }
      assertEquals(1, f.fly.calls("postgres", "attach").size());
      assertEquals(500, f.count(db, "orders"), "transferred into the attached database");
      String pgPassword = f.fly.app("shop-fly-db").path("postgres").path("password").asText();
      String attached = f.fly.app(CutoverFixture.FLY).path("secrets").path("DATABASE_URL").path("value").asText();
      String attachPassword = attached.substring(attached.indexOf(':', 12) + 1, attached.indexOf('@'));
      String seen = CutoverFixture.visible(r);
      assertFalse(seen.contains(pgPassword), "postgres create's password is masked");
      assertFalse(seen.contains(attachPassword), "attach's connection string is masked");
      assertTrue(r.stdout().contains("::add-mask::" + pgPassword));
    } finally {
      f.adminExec("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "DROP ROLE IF EXISTS " + db);
    }
  }

  @Test
  void keepHerokuPointsFlyAtHerokuPostgres() {
    ActionHarness.Result r = f.action("cutover").input("database", "keep-heroku").input("database-url", "").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("plan,build,secrets,maintenance,workers,database,deploy,certificates,heroku-after", r.outputs().get("steps-completed"));
    assertEquals(f.url(f.sourceDb) + "?sslmode=disable",
        f.fly.app(CutoverFixture.FLY).path("secrets").path("DATABASE_URL").path("value").asText());
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning") && c.data().contains("Heroku rotates them")));
    assertEquals(0, f.count(f.targetDb, "pg_class WHERE relname = 'orders'"), "nothing copied");
  }

  /** The example workflow's promise: leave confirm empty to only see the plan. A success, and no rollback words. */
  @Test
  void emptyConfirmOnlyPlans() {
    ActionHarness.Result r = f.action("cutover").input("confirm", "").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("planned", r.outputs().get("cutover-status"));
    assertEquals("success", r.outputs().get("status"));
    assertEquals("", r.outputs().get("steps-completed"));
    assertEquals("0", r.outputs().get("downtime-seconds"));
    assertEquals(List.of(), errors(r), r.stdout());
    assertTrue(r.commands().data("notice").stream().anyMatch(n -> n.contains("The confirm input is empty, so this run only"
        + " planned: nothing was changed on Heroku, Fly or any database")), r.stdout());
    assertTrue(r.summary().contains("Cutover plan: Heroku shop → Fly shop-fly"), r.summary());
    assertFalse(r.summary().contains("put back"), "no rollback wording when nothing ran:\n" + r.summary());
    assertFalse(r.summary().contains("Cutover failed"), r.summary());
    assertNothingChanged(r);
  }

  @Test
  void fromATerminalWithoutConfirmOnlyPlans() {
    dev.flyover.testing.CliHarness.Result r = new dev.flyover.testing.CliHarness().env(f.fly.env()).env(f.heroku.env())
        .env("HEROKU_API_KEY", dev.flyover.testing.HerokuApiDouble.KEY).env("FLY_API_TOKEN", CutoverFixture.FLY_TOKEN)
        .env("PWD", f.action("cutover").workspace().toString())
        .run("cutover", "--heroku-app", "shop", "--fly-app", "shop-fly", "--database", "skip");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("The --confirm option is empty, so this run only planned: nothing was changed"), r.stderr());
    assertTrue(r.stdout().contains("Cutover plan: Heroku shop → Fly shop-fly"), r.stdout());
    assertFalse(r.stdout().contains("put back"), r.stdout());
    assertEquals(List.of(), f.herokuChanges());
  }

  @Test
  void aMissingFlyAppStopsBeforeHerokuIsTouched() {
    ActionHarness.Result r = f.action("cutover").input("fly-app", "shop-missing").run();
    assertEquals(1, r.exitCode(), r.everything());
    // The double answers `secrets list` as the Machines API does (fly-go flaps_secrets.go), not with GraphQL's text.
    assertTrue(errors(r).get(0).contains("The Fly app shop-missing does not exist"), errors(r).get(0));
    assertEquals(List.of(), f.herokuChanges());
    f.assertHerokuAsBefore();
  }

  @Test
  void wrongConfirmChangesNothing() {
    ActionHarness.Result r = f.action("cutover").input("confirm", "shop-staging").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(errors(r).get(0).contains("does not equal the Heroku app name shop"), errors(r).get(0));
    assertTrue(r.summary().contains("Cutover failed"), r.summary());
    assertTrue(r.summary().contains("Nothing was changed on Heroku, Fly or any database"), r.summary());
    assertFalse(r.summary().contains("Heroku was put back as it was found"), "nothing ran, nothing was put back:\n" + r.summary());
    assertNothingChanged(r);
  }
}
