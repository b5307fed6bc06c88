package dev.flyover.cutover;

import dev.flyover.UserError;
import dev.flyover.actions.JobSummary;
import java.time.Instant;

/** Runs a whole cutover, or only its plan, and writes the report. */
public final class CutoverRun {
  private CutoverRun() {}

  /** {@code flyover plan}: read everything, print the plan, change nothing. */
  public static Plan plan(Cutover c) {
    Plan p = Plan.read(c);
    c.plan = p;
    p.warnings().forEach(c::warn);
    p.report(c.ctx.summary(), c);
    c.ctx.outputs().set("cutover-status", "planned");
    c.ctx.outputs().set("steps-completed", "");
    c.ctx.outputs().set("downtime-seconds", "0");
    return p;
  }

  /** {@code flyover cutover}: the steps, undone on failure; returns normally only when every step is done. */
  public static Engine.Outcome run(Cutover c) {
    Engine engine = new Engine(c.ctx.console(), c.ctx.clock());
    Engine.Outcome o = engine.run(c.steps());
    Instant end = c.ctx.clock().instant();
    Report.outputs(c, o, end);
    Report.write(c, o, end);
    c.plan().ifPresent(p -> {
      JobSummary planText = new JobSummary(c.ctx.console().masker());
      p.report(planText, c);
      c.ctx.summary().details("The plan this run started from", planText.render());
    });
    if (!o.ok()) throw new UserError(o.message());
    return o;
  }
}
