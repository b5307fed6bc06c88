package dev.flyover.cutover;

import dev.flyover.UserError;

/**
 * The first phase of every cutover: read everything (see {@link Plan}), print the warnings, and stop before
 * anything changes unless {@code confirm} equals the Heroku app name and the inputs are complete.
 */
final class PlanStep implements Step {
  private final Cutover c;

  PlanStep(Cutover c) {
    this.c = c;
  }

  static UserError notConfirmed(Cutover c) {
    String input = c.ctx.named("confirm");
    return new UserError(c.settings.confirm().isEmpty()
        ? "The " + input + " is missing: nothing was changed; set it to the Heroku app name ("
            + c.settings.herokuApp() + ") to cut over."
        : "The " + input + " does not equal the Heroku app name " + c.settings.herokuApp()
            + ": nothing was changed; type the app name exactly to cut over.");
  }

  @Override
  public String id() {
    return "plan";
  }

  @Override
  public String title() {
    return "Read Heroku and Fly, check the inputs (changes nothing)";
  }

  @Override
  public String apply() {
    Plan p = Plan.read(c);
    c.plan = p;
    p.warnings().forEach(c::warn);
    if (p.blocked().isPresent()) throw p.blocked().get();
    if (c.settings.database() == Settings.DatabaseChoice.TRANSFER) c.sourceUrl();
    if (!c.settings.confirmed()) throw notConfirmed(c);
    return p.steps().size() + " steps, " + p.warnings().size() + " warning(s)";
  }
}
