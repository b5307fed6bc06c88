package dev.flyover.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workflow commands read from a step's output the way the runner reads them (ActionCommand.cs). */
public record WorkflowCommands(List<Command> commands) {
  public record Command(String name, Map<String, String> properties, String data) {}

  public static WorkflowCommands parse(String output) {
    List<Command> cmds = new ArrayList<>();
    for (String raw : output.split("\n")) {
      String line = raw.stripLeading();
      if (!line.startsWith("::")) continue;
      int end = line.indexOf("::", 2);
      if (end < 0) continue;
      String info = line.substring(2, end);
      String data = unescapeData(line.substring(end + 2));
      int sp = info.indexOf(' ');
      String name = (sp < 0 ? info : info.substring(0, sp)).toLowerCase();
      Map<String, String> props = new LinkedHashMap<>();
      if (sp >= 0) {
        for (String part : info.substring(sp + 1).strip().split(",")) {
          if (part.isEmpty()) continue;
          int eq = part.indexOf('=');
          if (eq <= 0 || eq == part.length() - 1) continue;
          props.put(part.substring(0, eq), unescapeProperty(part.substring(eq + 1)));
        }
      }
      cmds.add(new Command(name, props, data));
    }
    return new WorkflowCommands(cmds);
  }

  static String unescapeData(String s) {
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
  }

  static String unescapeProperty(String s) {
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
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
}
