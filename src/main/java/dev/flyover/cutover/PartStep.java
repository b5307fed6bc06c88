package dev.flyover.cutover;

import dev.flyover.UserError;
import java.util.Optional;
import java.util.function.Supplier;

/** A step that runs a composed flow (secrets, database, deploy). These change only Fly or the target database. */
final class PartStep implements Step {
  private final String id;
  private final String title;
  private final Cutover cutover;
  private final Supplier<Optional<Part>> part;
  private Part resolved;

  PartStep(String id, String title, Cutover cutover, Supplier<Optional<Part>> part) {
    this.id = id;
    this.title = title;
    this.cutover = cutover;
    this.part = part;
  }

  private Part part() {
    if (resolved == null) {
      resolved = part.get().orElseThrow(() -> new UserError("This flyover build cannot run the " + id
          + " step of a cutover yet: run flyover " + id + " on its own first, then re-run the cutover."));
    }
    return resolved;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public Optional<String> alreadyDone() throws Exception {
    return part().alreadyDone();
  }

  @Override
  public String apply() throws Exception {
    if (!cutover.settings.confirmed()) throw PlanStep.notConfirmed(cutover);
    return part().apply();
  }
}
