package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.secrets.MaskPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A bad flag or value: one sentence, as an annotation in Actions, where flags are spoken of as inputs
 * ({@code --wait-timeout} becomes {@code input 'wait-timeout'}). An argument flyover did not recognise is never
 * repeated with its value: {@code --fly-api-tokn=fo1_…} is a secret under a mistyped name, so only the name is
 * said, and its value (like every secret option's) is masked before anything prints.
 */
final class BadParameters implements CommandLine.IParameterExceptionHandler {
  private final Context ctx;

  BadParameters(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandSpec spec = ex.getCommandLine() == null ? null : ex.getCommandLine().getCommandSpec();
    maskValues(spec, args);
    String msg = ex instanceof UnmatchedArgumentException u ? unmatched(u) : ctx.console().redact(ex.getMessage());
    if (ctx.actionMode()) {
      msg = msg.replaceAll("option '--([a-z0-9-]+)'(?: \\([^)]*\\))?", "input '$1'")
          .replaceAll("'--([a-z0-9-]+)'", "input '$1'")
          .replaceAll("--([a-z0-9-]+)", "input '$1'");
    }
    if (!msg.endsWith(".")) msg += ".";
    ctx.console().error(msg + (ctx.actionMode() ? " Fix the step's `with:` inputs." : " See --help."));
    ctx.outputs().set("status", "failure");
    return CommandLine.ExitCode.USAGE;
  }

  /**
   * Masks the value of every secret option and of every option flyover does not know (it may be a secret under a
   * mistyped name), given as {@code --name=value} or as {@code --name value}.
   */
  private void maskValues(CommandSpec spec, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) continue;
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      boolean secret = RunCommand.SECRET_OPTIONS.contains(name) || RunCommand.SECRET_URL_OPTIONS.contains(name)
          || RunCommand.SECRET_LINE_OPTIONS.contains(name);
      boolean known = spec != null && spec.findOption(name) != null;
      if (!secret && known) continue;
      String value = eq >= 0 ? a.substring(eq + 1) : i + 1 < args.length && !args[i + 1].startsWith("-") ? args[i + 1] : null;
      if (value == null || value.isBlank()) continue;
      if (RunCommand.SECRET_LINE_OPTIONS.contains(name)) {
        RunCommand.maskLineValues(ctx.console(), name, List.of(value.split("\\r?\\n")));
      } else if (secret) {
        MaskPolicy.secret(ctx.console(), value);
      } else {
        MaskPolicy.unknown(ctx.console(), value);
      }
    }
  }

  /** picocli's own message quotes each unmatched argument whole; this one names options only. */
  private static String unmatched(UnmatchedArgumentException u) {
    Set<String> options = new LinkedHashSet<>();
    int others = 0;
    for (String a : u.getUnmatched()) {
      if (a.startsWith("-")) {
        int eq = a.indexOf('=');
        options.add(eq < 0 ? a : a.substring(0, eq));
      } else {
        others++;
      }
    }
    List<String> parts = new ArrayList<>();
    if (!options.isEmpty()) {
      parts.add((options.size() == 1 ? "Unknown option: " : "Unknown options: ")
          + String.join(", ", options.stream().map(o -> "'" + o + "'").toList()));
    }
    if (others > 0) {
      parts.add((others == 1 ? "an argument" : others + " arguments") + " that no option takes (not repeated here,"
          + " as it may be a value)");
    }
    String msg = String.join("; and ", parts);
    msg = Character.toUpperCase(msg.charAt(0)) + msg.substring(1);
    List<String> suggestions = u.getSuggestions().stream().filter(s -> s.startsWith("-")).toList();
    if (!suggestions.isEmpty()) msg += " (did you mean " + String.join(" or ", suggestions) + "?)";
    return msg;
  }
}
