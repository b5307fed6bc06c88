package dev.flyover.cutover;

import java.util.Optional;

/** Heroku maintenance mode on ({@code PATCH /apps/{app}}): the router answers with the maintenance page. */
final class MaintenanceStep implements Step {
  private final Cutover c;
  private boolean turnedOn;

  MaintenanceStep(Cutover c) {
    this.c = c;
  }

  @Override
  public String id() {
    return "maintenance";
  }

  @Override
  public String title() {
    return "Turn Heroku maintenance mode on";
  }

  @Override
  public String undoTitle() {
    return "maintenance mode off";
  }

  @Override
  public boolean changesHeroku() {
    return true;
  }

  @Override
  public Optional<String> alreadyDone() {
    return c.heroku.app(c.settings.herokuApp()).maintenance()
        ? Optional.of("Heroku app " + c.settings.herokuApp() + " is already in maintenance mode")
        : Optional.empty();
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    turnedOn = true; // set first: if the request times out after Heroku applied it, undo still turns it off
    c.heroku.setMaintenance(c.settings.herokuApp(), true);
    if (!c.heroku.app(c.settings.herokuApp()).maintenance()) {
      throw new dev.flyover.UserError("Heroku accepted maintenance mode for " + c.settings.herokuApp()
          + " but the app does not show it: check the app on the Heroku dashboard and re-run.");
    }
    return "Heroku serves its maintenance page from now on";
  }

  @Override
  public String undo() {
    if (!turnedOn) return "maintenance mode was not changed";
    c.heroku.setMaintenance(c.settings.herokuApp(), false);
    turnedOn = false;
    return "maintenance mode off";
  }
}
