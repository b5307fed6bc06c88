package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.HerokuApiDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code dry-run: true} on a cutover, confirm set and all: the plan and a preview of each part (the secrets plan,
 * the database preflight, the flyctl deploy command line), and nothing changes on Heroku, Fly or the target.
 */
@Tag("integration")
class CutoverDryRunTest {
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aConfirmedDryRunChangesNothing() {
    int before = f.fly.calls().size();
    ActionHarness.Result r = f.action("cutover").input("dry-run", "true").input("set-database-url", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("planned", r.outputs().get("cutover-status"));
    assertEquals("", r.outputs().get("steps-completed"));
    assertTrue(r.commands().warnings().stream().noneMatch(w -> w.contains("dry-run")), "dry-run is not ignored: "
        + r.commands().warnings());
    String s = r.summary();
    assertTrue(s.contains("Cutover plan: Heroku shop → Fly shop-fly"), s);
    assertTrue(s.contains("Database preflight"), s);
    assertTrue(s.contains("Secrets plan (dry run)"), s);
    assertTrue(s.contains("Deploy plan for shop-fly") && s.contains("flyctl deploy"), s);
    assertTrue(r.commands().data("notice").stream().anyMatch(n -> n.startsWith("Dry run: nothing was changed on Heroku,"
        + " Fly or any database")), r.stdout());
    assertFalse(CutoverFixture.visible(r).contains(CutoverFixture.SECRET_KEY_BASE));
    f.assertNothingChanged(before);
    assertTrue(f.fly.app(CutoverFixture.FLY).path("secrets").isEmpty() || !f.fly.app(CutoverFixture.FLY).path("secrets")
        .has("SECRET_KEY_BASE"), "no secret staged");
  }

  @Test
  void fromATerminal() {
    int before = f.fly.calls().size();
    CliHarness.Result r = new CliHarness().env(f.fly.env()).env(f.heroku.env())
        .env("HEROKU_API_KEY", HerokuApiDouble.KEY).env("FLY_API_TOKEN", CutoverFixture.FLY_TOKEN)
        .env("PWD", f.action("cutover").workspace().toString())
        .run("cutover", "--heroku-app", "shop", "--fly-app", "shop-fly", "--database-url", f.url(f.targetDb),
            "--confirm", "shop", "--dry-run");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("Dry run: nothing was changed on Heroku, Fly or any database. Run again without"
        + " --dry-run to cut over."), r.stderr());
    r.assertReadsAsText();
    f.assertNothingChanged(before);
  }
}
