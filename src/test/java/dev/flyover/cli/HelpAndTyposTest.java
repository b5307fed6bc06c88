package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.testing.CliHarness;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Help reads cleanly, every command has --help (action too), and a mistyped command gets a suggestion. */
class HelpAndTyposTest {
  @Test
  void everyOptionHasACleanLabel() {
    CommandLine root = Main.commandLine(new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    for (CommandLine sub : root.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) continue;
        String label = o.paramLabel();
        assertFalse(label.startsWith("<"), sub.getCommandName() + " " + o.longestName() + " has no label: " + label);
        assertTrue(label.matches("[A-Z][A-Z_=]*"), sub.getCommandName() + " " + o.longestName() + ": " + label);
      }
    }
  }

  @Test
  void helpOfEveryCommandHasNoRegexOrFieldNames() {
    for (String cmd : Main.COMMANDS.keySet()) {
      CliHarness.Result r = new CliHarness().run(cmd, "--help");
      assertEquals(0, r.exitCode(), cmd + ": " + r.stderr());
      assertTrue(r.stdout().contains("Usage: flyover " + cmd), r.stdout());
      assertFalse(r.stdout().contains("\\r?") || r.stdout().contains("\\n"), r.stdout());
      assertFalse(r.stdout().matches("(?s).*<[a-z][A-Za-z]*>.*"), r.stdout());
    }
    assertTrue(new CliHarness().run("deploy", "--help").stdout().contains("--build-args=NAME=VALUE"));
    assertTrue(new CliHarness().run("cutover", "--help").stdout().contains("--create-database[=BOOL]"));
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    CliHarness.Result r = new CliHarness().run("depoly", "--fly-app", "shop");
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().contains("error: 'depoly' is not a flyover command (did you mean deploy?)"), r.stderr());
    CliHarness.Result far = new CliHarness().run("fo1_not_a_command_at_all");
    assertEquals(2, far.exitCode());
    assertFalse(far.stderr().contains("fo1_"), far.stderr());
    assertTrue(far.stderr().contains("use one of deploy, secrets, database, plan, cutover, launch"), far.stderr());
  }

  @Test
  void aMistypedCommandInputToo() {
    CliHarness.Result r = new CliHarness().env("INPUT_COMMAND", "cutvoer").run("action");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("did you mean cutover?"), r.stderr());
  }

  @Test
  void closestIsForTyposOnly() {
    assertEquals(java.util.List.of("deploy"), BadParameters.closest("depoly", Main.COMMANDS.keySet()));
    assertEquals(java.util.List.of("secrets"), BadParameters.closest("secret", Main.COMMANDS.keySet()));
    assertEquals(java.util.List.of(), BadParameters.closest("migrate", Main.COMMANDS.keySet()));
  }
}
