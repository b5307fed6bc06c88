package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.UserError;
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
    String command = spec == null ? "flyover" : spec.name();
    return RunReport.failed(ctx, command, new UserError(msg + (ctx.actionMode() ? " Fix the step's `with:` inputs."
        : " See --help.")), RunReport.USAGE);
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

  /**
   * picocli's own message quotes each unmatched argument whole; this one names options only, and a mistyped
   * command (the first argument of the root, where no positional is taken) with the command it is closest to.
   */
  private static String unmatched(UnmatchedArgumentException u) {
    CommandSpec spec = u.getCommandLine().getCommandSpec();
    if (spec.parent() == null && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      String typed = u.getUnmatched().get(0);
      List<String> commands = spec.subcommands().keySet().stream().filter(c -> !c.equals("action")).toList();
      List<String> near = closest(typed, commands);
      // Echoed only when it is a word near a command: an argument may be a value (a pasted token, say).
      String said = near.isEmpty() || !typed.matches("[a-z][a-z0-9-]{0,23}") ? "That is not a flyover command"
          : "'" + typed + "' is not a flyover command";
      return said + (near.isEmpty() ? ": use one of " + String.join(", ", commands)
          : " (did you mean " + String.join(" or ", near) + "?)");
    }
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

  /** The names at the smallest edit distance from {@code typed}, if it is at most 2 (a typo, not another word). */
  static List<String> closest(String typed, java.util.Collection<String> names) {
    int best = 3;
    List<String> out = new ArrayList<>();
    for (String n : names) {
      int d = distance(typed.toLowerCase(java.util.Locale.ROOT), n);
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best) out.add(n);
    }
    return out;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
