package dev.flyover;

import dev.flyover.actions.JobSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one place a run's end becomes what the user sees, for every command and both surfaces. A flow's result, or
 * on failure what it had done ({@link UserError#done()}), writes its own outputs and summary section
 * ({@link #flow}); a failure then becomes ({@link #failed}): exit code 1 (2 for a bad command line), its one
 * sentence on stderr as {@code error: …} in a terminal or as an {@code ::error::} annotation in Actions, the stack
 * trace only with debug on, outputs {@code status=failure} and {@code error}, and the summary's failure section
 * first in the summary: the sentence, what was done before the stop, and whose failure it is. A terminal shows
 * that section's facts through the flow's own summary text, and the sentence once.
 */
public final class RunReport {
  public static final int OK = 0;
  public static final int FAILED = 1;
  /** A bad command line (picocli's {@code ExitCode.USAGE}). */
  public static final int USAGE = 2;

  private RunReport() {}

  /**
   * Runs one flow and reports it: its result's outputs and summary section, or, when it stops, those of what it had
   * done (then the failure is rethrown, for the command or the cutover to handle; it is not reported twice).
   */
  public static <R extends Outcome> R flow(Context ctx, Supplier<R> flow) {
    R r;
    try {
      r = flow.get();
    } catch (UserError e) {
      reportDone(ctx, e);
      throw e;
    }
    r.report(ctx);
    return r;
  }

  /** A command that returned: {@code status} is success for 0 unless its flow set it. */
  public static int finished(Context ctx, int code) {
    if (ctx.outputs().get("status") == null) ctx.outputs().set("status", code == OK ? "success" : "failure");
    return code;
  }

  /** A command that stopped; see the class comment. Returns the exit code. */
  public static int failed(Context ctx, String command, Throwable t) {
    return failed(ctx, command, t, FAILED);
  }

  public static int failed(Context ctx, String command, Throwable t, int exitCode) {
    UserError e = asFailure(command, t);
    reportDone(ctx, e);
    String message = e.getMessage();
    ctx.console().error(message);
    if (ctx.console().debugEnabled()) {
      StringWriter sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      ctx.console().debug(sw.toString());
    }
    ctx.outputs().set("status", "failure");
    ctx.outputs().set("error", message);
    ctx.summary().failure(section(command, e, ctx.actionMode()));
    return exitCode;
  }

  /**
   * Writes the run's outputs and summary ({@link Context#finish}); when they cannot be written (a full disk, a
   * missing {@code GITHUB_OUTPUT} directory) that is said in one sentence too, and the run fails. Returns the exit code.
   */
  public static int written(Context ctx, int code) {
    try {
      ctx.finish();
      return code;
    } catch (UserError e) {
      ctx.console().error(e.getMessage());
      ctx.console().flush();
      return code == OK ? FAILED : code;
    }
  }

  /** Anything thrown, as the one failure type: a cancellation is outside flyover, anything else unexpected. */
  public static UserError asFailure(String command, Throwable t) {
    if (t instanceof UserError u) return u;
    if (t instanceof InterruptedException) {
      return UserError.outside("flyover was cancelled before " + command + " finished.", t);
    }
    return new UserError("flyover " + command + " failed unexpectedly (" + t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage())
        + "); re-run with debug logging for details and report it at the project's issue tracker.", t)
        .origin(UserError.Origin.UNEXPECTED);
  }

  /**
   * The summary's failure section (Markdown; a terminal prints the sentence on stderr instead): the sentence, what
   * was done before the stop, and whose failure it is. Every outside text is escaped here.
   */
  static String section(String command, UserError e, boolean actionMode) {
    StringBuilder md = new StringBuilder("**" + JobSummary.inline(command) + " failed:** " + JobSummary.inline(e.getMessage()));
    List<String> done = e.done().map(Outcome::done).orElse(List.of());
    if (!done.isEmpty()) {
      md.append("\n\n**Before it stopped:**");
      for (String d : done) md.append("\n- ").append(JobSummary.inline(d));
    }
    md.append("\n\n**Cause:** ").append(switch (e.origin()) {
      case INPUT -> (actionMode ? "the step's inputs" : "the command's options")
          + ": fix the one named above and run again.";
      case OUTSIDE -> "outside flyover (Fly.io, Heroku, GitHub, a database or the app): the "
          + (actionMode ? "inputs" : "options") + " may be right; run again once the cause above is fixed.";
      case UNEXPECTED -> "unexpected, likely a flyover bug: re-run with debug logging and report it.";
    });
    return md.toString();
  }

  private static void reportDone(Context ctx, UserError e) {
    if (e.reported()) return;
    e.markReported();
    e.done().ifPresent(o -> o.report(ctx));
  }
}
