package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code flyover action} with INPUT_COMMAND=cutover against the Heroku and flyctl doubles and real PostgreSQL. */
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

  @Test
  void missingConfirmChangesNothing() {
    ActionHarness.Result r = f.action("cutover").input("confirm", "").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertEquals("failed", r.outputs().get("cutover-status"));
    assertEquals("", r.outputs().get("steps-completed"));
    assertEquals(1, errors(r).size(), r.stdout());
    assertTrue(errors(r).get(0).contains("The confirm input is missing: nothing was changed"), errors(r).get(0));
    assertNothingChanged(r);
  }

  @Test
  void wrongConfirmChangesNothing() {
    ActionHarness.Result r = f.action("cutover").input("confirm", "shop-staging").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(errors(r).get(0).contains("does not equal the Heroku app name shop"), errors(r).get(0));
    assertTrue(r.summary().contains("Cutover failed"), r.summary());
    assertNothingChanged(r);
  }
}
