package dev.flyover.testing;

import java.util.List;
import java.util.Map;

/**
 * The workflow commands the runner would obey in a step's output, found by {@link RunnerCommandParser} (the
 * port of actions/runner's ActionCommand.cs / ActionCommandManager.cs / OutputManager.cs rules), with the log as
 * the runner would show it.
 *
 * @param shown the log lines as displayed (commands removed, registered masks applied)
 * @param problems commands the runner would fail the step on
 * @param leftStopped whether the output ended with command processing still stopped
 */
public record WorkflowCommands(List<Command> commands, List<String> shown, List<String> registeredMasks,
    List<String> problems, boolean leftStopped) {
  public record Command(String name, Map<String, String> properties, String data) {}

  /** Parses one or more streams in order (each read on its own, as the runner reads stdout and stderr). */
  public static WorkflowCommands parse(String... streams) {
    RunnerCommandParser p = new RunnerCommandParser();
    for (String s : streams) p.feed(s);
    return new WorkflowCommands(p.commands().stream()
        .map(c -> new Command(c.name(), c.properties(), c.data())).toList(), p.shown(), p.masks(), p.problems(),
        p.stopped());
  }

  public List<String> data(String name) {
    return commands.stream().filter(c -> c.name().equals(name)).map(Command::data).toList();
  }

  public List<String> errors() {
    return data("error");
  }

  public List<String> warnings() {
    return data("warning");
  }

  public List<String> masks() {
    return data("add-mask");
  }

  /** The commands but the stop-commands that open untrusted blocks (their end is not a command). */
  public List<Command> obeyed() {
    return commands.stream().filter(c -> !c.name().equals("stop-commands")).toList();
  }

  /** The commands flyover itself writes; anything else in its output was forged. */
  public static final java.util.Set<String> OWN = java.util.Set.of("add-mask", "group", "endgroup", "error",
      "warning", "notice", "debug");

  /**
   * Hostile text used in tests carries commands whose data is exactly {@code FORGED<n>}. The commands that came out
   * of such text: any command flyover never writes, and any whose data is exactly a forged payload.
   */
  public List<Command> forged() {
    return obeyed().stream().filter(c -> !OWN.contains(c.name()) || c.data().matches("FORGED[0-9]*")
        || c.properties().values().stream().anyMatch(v -> v.contains("FORGED"))).toList();
  }

  /** The names of the commands, in order. */
  public List<String> names() {
    return commands.stream().map(Command::name).toList();
  }

  /** The displayed log as one text. */
  public String log() {
    return String.join("\n", shown);
  }
}
