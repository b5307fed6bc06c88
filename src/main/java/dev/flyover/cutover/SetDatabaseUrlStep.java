package dev.flyover.cutover;

/** Fly's DATABASE_URL secret set to the target database (staged: the deploy applies it). */
final class SetDatabaseUrlStep implements Step {
  private final Cutover c;

  SetDatabaseUrlStep(Cutover c) {
    this.c = c;
  }

  @Override
  public String id() {
    return "database-url";
  }

  @Override
  public String title() {
    return "Stage Fly's DATABASE_URL secret for the new database";
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    // Always staged again: it is cheap, exact, and Fly cannot show a value to compare with.
    FlySecret.stage(c.fly, c.settings.flyApp(), "DATABASE_URL", c.targetUrl());
    return "DATABASE_URL staged on " + c.settings.flyApp() + " (applied by the deploy)";
  }
}
