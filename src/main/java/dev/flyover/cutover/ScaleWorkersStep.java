package dev.flyover.cutover;

import static dev.flyover.cutover.HerokuFacts.*;

import dev.flyover.heroku.Formation;
import dev.flyover.heroku.FormationUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every Heroku process type but web to 0 ({@code PATCH /apps/{app}/formation}), so workers (Oban, Sidekiq) stop
 * writing: maintenance mode alone leaves them running. The quantities and sizes are remembered and put back
 * exactly on undo.
 */
final class ScaleWorkersStep implements Step {
  private final Cutover c;
  private final List<Formation> remembered = new ArrayList<>();

  ScaleWorkersStep(Cutover c) {
    this.c = c;
  }

  @Override
  public String id() {
    return "workers";
  }

  @Override
  public String title() {
    return "Scale Heroku's non-web processes to 0";
  }

  @Override
  public String undoTitle() {
    return "formation restored";
  }

  @Override
  public boolean changesHeroku() {
    return true;
  }

  private List<Formation> running() {
    return c.heroku.formation(c.settings.herokuApp()).stream().filter(d -> !web(d) && d.quantity() > 0).toList();
  }

  @Override
  public Optional<String> alreadyDone() {
    List<Formation> all = c.heroku.formation(c.settings.herokuApp());
    if (all.stream().noneMatch(d -> !web(d))) return Optional.of("Heroku runs no process but web");
    return running().isEmpty() ? Optional.of("every non-web process is already at 0") : Optional.empty();
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    List<Formation> now = running();
    // Remember before asking: a request that fails after Heroku applied it must still be undone.
    remembered.addAll(now);
    c.heroku.scaleFormation(c.settings.herokuApp(), now.stream().map(d -> new FormationUpdate(d.type(), 0, d.size())).toList());
    List<Formation> still = running();
    if (!still.isEmpty()) {
      throw new dev.flyover.UserError("Heroku still shows " + describe(still) + " after scaling to 0: check the app's "
          + "formation on the Heroku dashboard and re-run.");
    }
    return "scaled to 0: " + describe(now) + " (restored on failure)";
  }

  @Override
  public String undo() {
    if (remembered.isEmpty()) return "formation was not changed";
    c.heroku.scaleFormation(c.settings.herokuApp(), restore(remembered));
    String what = describe(remembered);
    remembered.clear();
    return "formation restored: " + what;
  }

  static String describe(List<Formation> dynos) {
    return dynos.stream().map(d -> d.type() + "=" + d.quantity() + ":" + d.size()).collect(Collectors.joining(", "));
  }
}
