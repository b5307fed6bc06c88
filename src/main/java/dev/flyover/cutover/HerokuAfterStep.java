package dev.flyover.cutover;

import static dev.flyover.cutover.HerokuFacts.*;

import dev.flyover.heroku.Formation;
import dev.flyover.heroku.FormationUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What becomes of Heroku once Fly serves: stay in maintenance mode (default; the team flips DNS and can still
 * go back), or {@code heroku-after: scale-down}: every process to 0, so no dyno is billed.
 */
final class HerokuAfterStep implements Step {
  private final Cutover c;
  private final List<Formation> remembered = new ArrayList<>();

  HerokuAfterStep(Cutover c) {
    this.c = c;
  }

  private boolean scaleDown() {
    return c.settings.herokuAfter() == Settings.HerokuAfter.SCALE_DOWN;
  }

  @Override
  public String id() {
    return "heroku-after";
  }

  @Override
  public String title() {
    return scaleDown() ? "Scale every Heroku process to 0 (heroku-after: scale-down)"
        : "Leave Heroku in maintenance mode (heroku-after: maintenance)";
  }

  @Override
  public String undoTitle() {
    return scaleDown() ? "web processes restored" : "";
  }

  @Override
  public boolean changesHeroku() {
    return scaleDown();
  }

  @Override
  public Optional<String> alreadyDone() {
    if (!scaleDown()) return Optional.empty();
    boolean allZero = c.heroku.formation(c.settings.herokuApp()).stream().allMatch(d -> d.quantity() == 0);
    return allZero ? Optional.of("every Heroku process is at 0") : Optional.empty();
  }

  @Override
  public String apply() {
    if (!scaleDown()) {
      return "Heroku stays in maintenance mode; point DNS at Fly (records below), then scale Heroku down";
    }
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    List<Formation> up = c.heroku.formation(c.settings.herokuApp()).stream().filter(d -> d.quantity() > 0).toList();
    remembered.addAll(up);
    c.heroku.scaleFormation(c.settings.herokuApp(), up.stream().map(d -> new FormationUpdate(d.type(), 0, d.size())).toList());
    return up.isEmpty() ? "nothing was running" : "scaled to 0: " + ScaleWorkersStep.describe(up);
  }

  @Override
  public String undo() {
    if (remembered.isEmpty()) return "nothing to restore";
    c.heroku.scaleFormation(c.settings.herokuApp(), restore(remembered));
    String what = ScaleWorkersStep.describe(remembered);
    remembered.clear();
    return "restored: " + what;
  }
}
