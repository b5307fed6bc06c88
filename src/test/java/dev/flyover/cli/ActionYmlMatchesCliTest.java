package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.actions.ActionManifest;
import dev.flyover.testing.ActionHarness;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every action input is one CLI option, and every option of a command is an input (bar terminal-only ones). */
class ActionYmlMatchesCliTest {
  /** Options that only make sense in a terminal. */
  static final Set<String> CLI_ONLY = Set.of("--help", "--version", "--summary-file", "--output-file");

  private static CommandLine tree() {
    return Main.commandLine(new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream()));
  }

  @Test
  void everyOptionIsAnInput() {
    ActionManifest m = ActionHarness.manifest();
    Set<String> missing = new TreeSet<>();
    for (Map.Entry<String, CommandLine> e : tree().getSubcommands().entrySet()) {
      if (e.getKey().equals("action")) continue;
      for (OptionSpec o : e.getValue().getCommandSpec().options()) {
        String name = o.longestName();
        if (CLI_ONLY.contains(name)) continue;
        if (m.input(name.substring(2)).isEmpty()) missing.add(e.getKey() + " " + name);
      }
    }
    assertEquals(Set.of(), missing, "options with no input in action.yml");
  }

  @Test
  void everyInputIsAnOption() {
    Set<String> known = new TreeSet<>();
    for (CommandLine c : tree().getSubcommands().values()) {
      for (OptionSpec o : c.getCommandSpec().options()) known.add(o.longestName().substring(2));
    }
    Set<String> missing = new TreeSet<>();
    for (ActionManifest.Input in : ActionHarness.manifest().inputs()) {
      if (!in.name().equals("command") && !known.contains(in.name())) missing.add(in.name());
    }
    assertEquals(Set.of(), missing, "inputs no command takes");
  }
}
