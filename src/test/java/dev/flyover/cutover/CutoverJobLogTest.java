package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.Hostile;
import dev.flyover.testing.WorkflowCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * plan and cutover with hostile config var names, table names and flyctl output, their real stdout read by the
 * port of the runner's command parser: only flyover's own commands come out, and a secret masked after the
 * hostile text (here a build secret, and every config var value) is never shown in clear.
 */
@Tag("integration")
class CutoverJobLogTest {
  static final String BUILD_SECRET = "npm_cutover_build_s3cret_value";
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  void hostileNames() {
    int i = 0;
    for (String n : Hostile.NAMES) f.heroku.app(CutoverFixture.HEROKU).configVar(n, "hostile-config-value-" + (i++));
    // PostgreSQL takes any character but NUL in a quoted identifier, line breaks included.
    for (String n : List.of("\u00A0::set-output name=t::FORGED1", "t\n::error::FORGED2", "t\r::warning::FORGED3",
        "x##[error]FORGED4", "::stop-commands::abc")) {
      f.exec(f.sourceDb, "CREATE TABLE \"" + n.replace("\"", "\"\"") + "\" (id int PRIMARY KEY)",
          "INSERT INTO \"" + n.replace("\"", "\"\"") + "\" VALUES (1), (2)");
    }
  }

  static void assertOnlyOwnCommands(ActionHarness.Result r, List<String> secrets) {
    WorkflowCommands w = r.commands();
    assertEquals(List.of(), w.forged(), "forged commands in:\n" + r.stdout());
    assertEquals(List.of(), w.problems());
    assertFalse(w.leftStopped(), "commands are processed again after flyover");
    for (String s : secrets) {
      assertTrue(w.registeredMasks().contains(s), "masked: " + s);
      assertFalse(w.log().contains(s), "shown in clear: " + s + "\n" + w.log());
    }
  }

  @Test
  void plan() {
    hostileNames();
    ActionHarness.Result r = f.action("plan").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(r.summary().contains("FORGED1"), "the names were listed: " + r.summary());
    assertOnlyOwnCommands(r, List.of(CutoverFixture.FLY_TOKEN, CutoverFixture.SECRET_KEY_BASE));
  }

  @Test
  void cutoverWithHostileReleaseOutput() {
    hostileNames();
    f.fly.fault("deploy", Map.of("mode", "release-command-fails", "logs", Hostile.TEXT, "times", 1));
    ActionHarness.Result r = f.action("cutover").input("build-secrets", "NPM_TOKEN=" + BUILD_SECRET).run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(r.stdout().contains("FORGED2"), r.stdout());
    assertOnlyOwnCommands(r, List.of(CutoverFixture.FLY_TOKEN, BUILD_SECRET, CutoverFixture.SECRET_KEY_BASE,
        "hostile-config-value-0"));
    assertEquals(2, f.count(f.targetDb, "\"x##[error]FORGED4\""), "the hostile tables moved too");
  }
}
