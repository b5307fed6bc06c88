package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed cutover's failure section lists which steps were kept, undone, or could not be undone. */
class ReportDoneTest {
  private static Step step(String id, boolean fails, boolean undoable, boolean undoFails) {
    return new Step() {
      public String id() {
        return id;
      }

      public String title() {
        return id;
      }

      public String undoTitle() {
        return undoable ? "undo " + id : "";
      }

      public String apply() {
        if (fails) throw new UserError(id + " broke.");
        return "";
      }

      public String undo() {
        if (undoFails) throw new UserError("cannot undo " + id + ".");
        return "put back";
      }
    };
  }

  private static Engine.Outcome run(Step... steps) {
    return new Engine(new Console(new ByteArrayOutputStream(), new ByteArrayOutputStream(), false, false),
        Clock.systemUTC()).run(List.of(steps));
  }

  @Test
  void keptUndoneAndNotUndone() {
    Engine.Outcome o = run(step("plan", false, false, false), step("secrets", false, false, false),
        step("maintenance", false, true, false), step("scale", false, true, true), step("deploy", true, true, false),
        step("certificates", false, true, false));
    assertEquals(List.of("Done and kept: secrets.", "Undone: maintenance.",
        "Could not be undone (put back by hand): scale.", "Failed: deploy (undo: put back)."), Report.done(o));
  }

  @Test
  void nothingChangedSaysSo() {
    Engine.Outcome o = run(step("plan", true, false, false), step("maintenance", false, true, false));
    assertEquals(List.of("Nothing was changed on Heroku, Fly or any database."), Report.done(o));
    assertEquals(Optional.of("plan broke."), o.failure().map(Throwable::getMessage));
  }
}
