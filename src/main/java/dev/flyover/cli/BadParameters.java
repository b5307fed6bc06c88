package dev.flyover.cli;

import dev.flyover.Context;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A bad flag or value: one sentence, as an annotation in Actions, where flags are spoken of as inputs
 * ({@code --wait-timeout} becomes {@code input 'wait-timeout'}).
 */
final class BadParameters implements CommandLine.IParameterExceptionHandler {
  private final Context ctx;

  BadParameters(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    String msg = ctx.console().redact(ex.getMessage());
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
}
