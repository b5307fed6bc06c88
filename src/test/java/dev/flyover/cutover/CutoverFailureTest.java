package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.HerokuApiDouble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failure injected at each step: the run exits non-zero, the step is reported failed, the steps before it
 * completed, and the Heroku double is left with maintenance off and the formation exactly as before.
 */
@Tag("integration")
class CutoverFailureTest {
  private static final List<String> ORDER = List.of("plan", "build", "secrets", "maintenance", "workers", "database",
      "database-url", "deploy", "certificates", "heroku-after");
  private static List<String> reference;

  /** The Heroku requests of a clean cutover with the same inputs, in order ("PATCH /apps/shop"…). */
  static synchronized List<String> referenceRequests() {
    if (reference == null) {
      try (CutoverFixture f = new CutoverFixture()) {
        ActionHarness.Result r = inputs(f.action("cutover")).run();
        assertEquals(0, r.exitCode(), r.everything());
        reference = f.heroku.requests().stream().map(q -> q.method() + " " + q.path().replaceAll("\\?.*", "")).toList();
      }
    }
    return reference;
  }

  static ActionHarness inputs(ActionHarness a) {
    return a.input("set-database-url", "true").input("heroku-after", "scale-down");
  }

  /** Fails the nth occurrence of this Heroku request, as a clean run makes it. */
  static void failHeroku(CutoverFixture f, String request, int occurrence) {
    List<String> ref = referenceRequests();
    int seen = 0;
    for (int i = 0; i < ref.size(); i++) {
      if (ref.get(i).equals(request) && ++seen == occurrence) {
        f.heroku.failRequest(i + 1, 422);
        return;
      }
    }
    throw new AssertionError(request + " #" + occurrence + " not in " + ref);
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan", "build", "secrets", "maintenance", "workers", "database", "database-url", "deploy", "certificates", "heroku-after"})
  void failureAtEachStepLeavesHerokuAsItWas(String step) {
    try (CutoverFixture f = new CutoverFixture()) {
      Map<String, Consumer<CutoverFixture>> inject = Map.of(
          "plan", x -> x.heroku.forbid("wrong-key", "shop"),
          "build", x -> x.fly.fault("deploy", Map.of("mode", "build-fails")),
          "secrets", x -> x.fly.fault("secrets import", Map.of("exit", 1, "stderr",
              "Error: update secrets: failed to update app secrets: 500 Internal Server Error")),
          "maintenance", x -> failHeroku(x, "PATCH /apps/shop", 1),
          "workers", x -> failHeroku(x, "PATCH /apps/shop/formation", 1),
          "database", x -> x.exec(x.targetDb, "CREATE TABLE leftovers (id int)", "INSERT INTO leftovers VALUES (1)"),
          "database-url", x -> x.fly.fault("secrets set", Map.of("exit", 1, "stderr", "Error: update secrets: 503")),
          "deploy", x -> x.fly.fault("deploy", Map.of("mode", "release-command-fails")),
          "certificates", x -> x.fly.fault("certs add", Map.of("exit", 1, "stderr", "Error: rate limit exceeded")),
          "heroku-after", x -> failHeroku(x, "PATCH /apps/shop/formation", 2));
      if (!step.equals("plan")) referenceRequests();
      inject.get(step).accept(f);
      ActionHarness a = inputs(f.action("cutover"));
      if (step.equals("plan")) a.input("heroku-api-key", "wrong-key");
      ActionHarness.Result r = a.run();

      assertEquals(1, r.exitCode(), r.everything());
      assertEquals("failed", r.outputs().get("cutover-status"));
      List<String> errors = r.commands().commands().stream().filter(c -> c.name().equals("error")).map(c -> c.data()).toList();
      assertEquals(1, errors.size(), "one error: " + errors);
      assertFalse(r.everything().contains("\tat dev.flyover"), "no stack trace");
      f.assertHerokuAsBefore();
      // Undone steps are no longer in effect, so they do not count as completed; what stays (secrets, the
      // target database, staged DATABASE_URL, the release, certificates) does, and a re-run skips it if verified.
      List<String> before = new ArrayList<>(ORDER.subList(0, ORDER.indexOf(step)));
      before.removeAll(List.of("maintenance", "workers"));
      assertEquals(String.join(",", before), r.outputs().get("steps-completed"));
      assertTrue(r.summary().contains("| `" + step + "` | ❌ failed |"), r.summary());
      for (String later : ORDER.subList(ORDER.indexOf(step) + 1, ORDER.size())) {
        assertTrue(r.summary().contains("| `" + later + "` | ⏭️ not run |"), later + " not run:\n" + r.summary());
      }
      if (ORDER.indexOf(step) > ORDER.indexOf("maintenance")) {
        assertTrue(r.summary().contains("| `maintenance` | ↩️ undone |"), r.summary());
        assertTrue(r.summary().contains("undo: maintenance mode off"), r.summary());
      }
      if (ORDER.indexOf(step) > ORDER.indexOf("workers")) {
        assertTrue(r.summary().contains("undo: formation restored: worker=1:Standard-2X"), r.summary());
      }
      // The summary opens with the failure: the sentence, what stayed and what was undone, and whose it is.
      String md = r.summary();
      assertTrue(md.startsWith("> [!CAUTION]\n> **cutover failed:** "), md);
      String section = md.substring(0, md.indexOf("\n\n", md.indexOf("**Cause:**")));
      // (the plan only reads and the build only pushes an image nothing runs: neither changes anything)
      assertTrue(section.contains(List.of("plan", "build").contains(step) ? "> - Nothing was changed on Heroku, Fly or any database."
          : "> - Failed: " + step), section);
      if (ORDER.indexOf(step) > ORDER.indexOf("maintenance")) assertTrue(section.contains("> - Undone: maintenance"), section);
      if (step.equals("plan")) assertTrue(section.contains("**Cause:** the step's inputs"), section);
      if (List.of("secrets", "deploy").contains(step)) assertTrue(section.contains("**Cause:** outside "), section);
      assertFalse(CutoverFixture.visible(r).contains(CutoverFixture.SECRET_KEY_BASE));
      assertFalse(r.summary().contains(HerokuApiDouble.KEY));
    }
  }
}
