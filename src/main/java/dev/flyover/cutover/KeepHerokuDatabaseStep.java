package dev.flyover.cutover;

/**
 * {@code database: keep-heroku}: Fly's DATABASE_URL set from Heroku's, so the app on Fly uses Heroku Postgres
 * (Fly's guide's alternative). Heroku rotates those credentials, hence the warning.
 */
final class KeepHerokuDatabaseStep implements Step {
  static final String ROTATION_WARNING = "database: keep-heroku points Fly at Heroku Postgres with Heroku's current "
      + "credentials; Heroku rotates them (maintenance, plan changes, credential resets) and the app on Fly then "
      + "loses its database until DATABASE_URL is set again: move the database soon.";

  private final Cutover c;

  KeepHerokuDatabaseStep(Cutover c) {
    this.c = c;
  }

  @Override
  public String id() {
    return "database";
  }

  @Override
  public String title() {
    return "Point Fly's DATABASE_URL at Heroku Postgres (keep-heroku)";
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    c.warn(ROTATION_WARNING);
    FlySecret.stage(c.fly, c.settings.flyApp(), "DATABASE_URL", c.sourceUrl());
    return "DATABASE_URL on " + c.settings.flyApp() + " staged from Heroku's (the database stays on Heroku)";
  }
}
