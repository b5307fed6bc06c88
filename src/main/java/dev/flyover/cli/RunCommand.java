package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.secrets.MaskPolicy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: secret options are masked before anything prints, a {@link UserError} becomes one
 * sentence (an ::error:: annotation in Actions) and exit 1, anything unexpected the same with its stack trace
 * only in debug, and {@code status} is always set.
 */
public abstract class RunCommand implements Callable<Integer> {
  /** Options whose values are secrets (URLs carry passwords). */
  static final Set<String> SECRET_OPTIONS = Set.of("--fly-api-token", "--heroku-api-key", "--github-token");
  static final Set<String> SECRET_URL_OPTIONS = Set.of("--database-url", "--heroku-database-url");
  /** Options of lines that hold secrets: NAME=VALUE build secrets, and flyctl's --build-secret in extra-args. */
  static final Set<String> SECRET_LINE_OPTIONS = Set.of("--build-secrets", "--extra-args");

  protected final Context ctx;

  @Spec
  protected CommandSpec spec;

  protected RunCommand(Context ctx) {
    this.ctx = ctx;
  }

  /** The command's work; returns the exit code. */
  protected abstract int run() throws Exception;

  @Override
  public final Integer call() {
    maskSecretOptions();
    try {
      int code = run();
      if (ctx.outputs().get("status") == null) ctx.outputs().set("status", code == 0 ? "success" : "failure");
      return code;
    } catch (UserError e) {
      fail(e.getMessage(), e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("flyover was cancelled before " + spec.name() + " finished.", e);
      return 1;
    } catch (Exception | LinkageError e) {
      fail("flyover " + spec.name() + " failed unexpectedly (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); re-run with debug logging for details and report it at the project's issue tracker.", e);
      return 1;
    }
  }

  private void fail(String message, Throwable t) {
    ctx.console().error(message);
    if (ctx.console().debugEnabled()) {
      java.io.StringWriter sw = new java.io.StringWriter();
      t.printStackTrace(new java.io.PrintWriter(sw));
      ctx.console().debug(sw.toString());
    }
    ctx.outputs().set("status", "failure");
    ctx.outputs().set("error", message);
    // Commands that report their own failure in the summary have said it already.
    if (ctx.summary().isEmpty()) {
      ctx.summary().failure("**" + spec.name() + " failed:** " + dev.flyover.actions.JobSummary.inline(message));
    }
  }

  /**
   * Masks the secrets in an option's lines: for --build-secrets the value of each NAME=VALUE line (a line without
   * '=' may be all value), so logs still name it; for --extra-args the value of flyctl's
   * {@code --build-secret=NAME=VALUE} (or {@code --build-secret} and {@code NAME=VALUE} on the next line).
   */
  static void maskLineValues(dev.flyover.actions.Console console, String option, List<String> lines) {
    boolean extra = option.equals("--extra-args");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null) continue;
      if (extra) {
        if (line.equals("--build-secret") && i + 1 < lines.size()) line = lines.get(++i);
        else if (line.startsWith("--build-secret=")) line = line.substring("--build-secret=".length());
        else continue;
      }
      int eq = line.indexOf('=');
      MaskPolicy.secret(console, eq >= 0 ? line.substring(eq + 1) : line);
    }
  }

  private void maskSecretOptions() {
    for (OptionSpec o : spec.options()) {
      Object v = o.getValue();
      if (SECRET_LINE_OPTIONS.contains(o.longestName()) && v instanceof java.util.List<?> l) {
        maskLineValues(ctx.console(), o.longestName(), l.stream().map(String::valueOf).toList());
      }
      if (!(v instanceof String s) || s.isBlank()) continue;
      if (SECRET_OPTIONS.contains(o.longestName()) || SECRET_URL_OPTIONS.contains(o.longestName())) {
        MaskPolicy.secret(ctx.console(), s);
      }
    }
  }
}
