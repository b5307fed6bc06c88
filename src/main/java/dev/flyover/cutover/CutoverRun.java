package dev.flyover.cutover;

import dev.flyover.Context;
import dev.flyover.Outcome;
import dev.flyover.RunReport;
import dev.flyover.UserError;
import dev.flyover.actions.JobSummary;
import java.time.Instant;
import java.util.List;

/** Runs a whole cutover, or only its plan, and writes the report. */
public final class CutoverRun {
  private CutoverRun() {}

  /**
   * {@code flyover plan}: read everything, print the plan, change nothing. A plan is a report, so what would stop
   * the cutover (its blocking problems) is printed as warnings and listed first in the summary, and the plan still
   * succeeds; the cutover itself stops on them in its plan step.
   */
  public static Plan plan(Cutover c) {
    Plan p = Plan.read(c);
    c.plan = p;
    p.blocking().forEach(b -> c.warn("The cutover would stop on this before changing anything: " + b));
    p.warnings().forEach(c::warn);
    p.report(c.ctx.summary(), c);
    c.ctx.outputs().set("cutover-status", "planned");
    c.ctx.outputs().set("steps-completed", "");
    c.ctx.outputs().set("downtime-seconds", "0");
    return p;
  }

  /**
   * A cutover that only plans: {@code confirm} left empty, or {@code dry-run}. The plan as {@link #plan}; a dry
   * run also previews its parts without changing anything (the secrets plan against what Fly has, the flyctl
   * deploy command line; the database preflight is in the plan), and fails when the real run would stop in its
   * plan step: that is what a dry run is asked.
   */
  public static Plan preview(Cutover c, boolean dryRun) {
    Plan p = plan(c);
    if (dryRun) {
      c.parts.preview();
      if (p.blocked().isPresent()) throw p.blocked().get();
    }
    String why = dryRun ? "Dry run" : "The " + c.ctx.named("confirm") + " is empty, so this run only planned";
    c.ctx.console().notice(why + ": nothing was changed on Heroku, Fly or any database. "
        + (c.settings.confirmed() && dryRun ? "Run again without " + c.ctx.optionName("dry-run") + " to cut over."
            : "Set " + c.ctx.optionName("confirm") + " to the Heroku app name (" + c.settings.herokuApp() + ") to cut over."));
    return p;
  }

  /**
   * {@code flyover cutover}: the steps, undone on failure; returns normally only when every step is done. A failure
   * is the failed step's (its sentence and whose it is), carrying the whole run's report as what was done.
   */
  public static Engine.Outcome run(Cutover c) {
    Engine.Outcome o = RunReport.flow(c.ctx, () -> {
      Engine.Outcome run = new Engine(c.ctx.console(), c.ctx.clock()).run(c.steps());
      Reported r = new Reported(c, run, c.ctx.clock().instant());
      if (run.ok()) return r;
      Throwable f = run.failure().get();
      UserError step = RunReport.asFailure("cutover", f);
      throw new UserError(step.getMessage(), f).origin(step.origin()).withDone(r);
    }).steps();
    c.plan().flatMap(p -> p.notRunningOnFly(c)).ifPresent(w -> c.ctx.console().warn("The cutover completed, but " + w));
    return o;
  }

  /** A cutover run as it is reported: outputs, the report, the plan it started from. */
  private record Reported(Cutover c, Engine.Outcome steps, Instant end) implements Outcome {
    @Override
    public void report(Context ctx) {
      Report.outputs(c, steps, end);
      Report.write(c, steps, end);
      c.plan().ifPresent(p -> {
        JobSummary planText = new JobSummary(ctx.console().masker());
        p.report(planText, c);
        ctx.summary().details("The plan this run started from", planText);
      });
    }

    @Override
    public List<String> done() {
      return Report.done(steps);
    }
  }
}
