package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.HerokuApiDouble;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code flyover plan}: reads everything, changes nothing, says what a cutover would do and every warning. */
@Tag("integration")
class PlanActionTest {
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  List<String> warnings(ActionHarness.Result r) {
    return r.commands().commands().stream().filter(c -> c.name().equals("warning")).map(c -> c.data()).toList();
  }

  @Test
  void readsEverythingAndChangesNothing() {
    int before = f.fly.calls().size();
    ActionHarness.Result r = f.action("plan").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("planned", r.outputs().get("cutover-status"));
    assertEquals(List.of(), f.herokuChanges());
    f.assertHerokuAsBefore();
    assertTrue(f.fly.calls().subList(before, f.fly.calls().size()).stream().allMatch(c -> {
      String verb = c.path("argv").get(0).asText() + " " + c.path("argv").get(1).asText();
      return List.of("secrets list", "certs list", "ips list").contains(verb);
    }), "only reads on Fly: " + f.fly.calls());
    String s = r.summary();
    for (String step : List.of("`plan`", "`secrets`", "`maintenance`", "`workers`", "`database`", "`deploy`", "`certificates`", "`heroku-after`")) {
      assertTrue(s.contains(step), "step " + step + " in the plan:\n" + s);
    }
    assertTrue(s.indexOf("`maintenance`") < s.indexOf("`workers`") && s.indexOf("`workers`") < s.indexOf("`database`")
        && s.indexOf("`database`") < s.indexOf("`deploy`"), "in order");
    assertTrue(s.contains("`shared-cpu-2x`, 1024 MB"), "Standard-2X mapped with its memory:\n" + s);
    assertTrue(s.contains("SECRET\\_KEY\\_BASE"), "config var names are listed");
    assertFalse(CutoverFixture.visible(r).contains(CutoverFixture.SECRET_KEY_BASE), "never a value");
    assertFalse(CutoverFixture.visible(r).contains("redis-canary-pw"), "never a value");
    List<String> w = warnings(r);
    assertTrue(w.stream().anyMatch(x -> x.contains("Redis with no Fly equivalent")), w.toString());
    assertTrue(w.stream().noneMatch(x -> x.contains("`worker` process")), "fly.toml has a worker group: " + w);
  }

  @Test
  void warnsAboutAWorkerWithNoFlyProcessGroup() {
    ActionHarness.Result r = f.action("plan").file("fly.toml", "app = \"shop-fly\"\nprimary_region = \"ams\"\n").run();
    assertEquals(0, r.exitCode(), r.everything());
    List<String> w = warnings(r);
    assertTrue(w.stream().anyMatch(x -> x.contains("`worker` process (1 × Standard-2X)") && x.contains("worker = \"bin/worker\"")), w.toString());
    assertTrue(w.stream().anyMatch(x -> x.contains("release phase (bin/migrate)")), w.toString());
  }

  @Test
  void warnsAboutHerokuScheduler() {
    f.heroku.app("shop").addon("scheduler", "standard", "SCHEDULER");
    ActionHarness.Result r = f.action("plan").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(warnings(r).stream().anyMatch(x -> x.contains("keeps running its jobs in maintenance mode")), warnings(r).toString());
  }

  @Test
  void keepHerokuWarnsAboutCredentialRotation() {
    ActionHarness.Result r = f.action("plan").input("database", "keep-heroku").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(warnings(r).stream().anyMatch(x -> x.contains("Heroku rotates them")), warnings(r).toString());
    assertFalse(r.summary().contains("`database-url`"), "keep-heroku sets DATABASE_URL in its own database step");
  }

  @Test
  void worksFromATerminal() {
    CliHarness.Result r = new CliHarness().env(f.fly.env()).env(f.heroku.env())
        .env("HEROKU_API_KEY", HerokuApiDouble.KEY).env("FLY_API_TOKEN", CutoverFixture.FLY_TOKEN)
        .env("PWD", f.action("plan").workspace().toString())
        .run("plan", "--heroku-app", "shop", "--fly-app", "shop-fly", "--database", "skip");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("Cutover plan: Heroku shop → Fly shop-fly"), r.stdout());
    r.assertReadsAsText();
  }
}
