package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.secrets.MaskPolicy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: secret options are masked before anything prints, and the command's end, success or
 * failure, is reported by {@link RunReport} (one sentence, an ::error:: annotation in Actions, exit 1, the stack
 * trace only in debug, {@code status} always set).
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
      return RunReport.finished(ctx, run());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RunReport.failed(ctx, spec.name(), e);
    } catch (Exception | LinkageError e) {
      return RunReport.failed(ctx, spec.name(), e);
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
