package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineTest {
  private final List<String> log = new ArrayList<>();

  private Step step(String id, boolean done, boolean fails, boolean undoable, boolean undoFails) {
    return new Step() {
      public String id() {
        return id;
      }

      public String title() {
        return "step " + id;
      }

      public String undoTitle() {
        return undoable ? "undo " + id : "";
      }

      public Optional<String> alreadyDone() {
        return done ? Optional.of("in place") : Optional.empty();
      }

      public String apply() {
        log.add("do " + id);
        if (fails) throw new UserError(id + " broke.");
        return "";
      }

      public String undo() {
        log.add("undo " + id);
        if (undoFails) throw new UserError("cannot undo " + id + ".");
        return "";
      }
    };
  }

  private Engine engine() {
    return new Engine(new Console(new ByteArrayOutputStream(), new ByteArrayOutputStream(), false, false), Clock.systemUTC());
  }

  @Test
  void runsInOrderAndSkipsWhatIsAlreadyDone() {
    Engine.Outcome o = engine().run(List.of(step("a", false, false, true, false), step("b", true, false, true, false),
        step("c", false, false, false, false)));
    assertTrue(o.ok());
    assertEquals(List.of("do a", "do c"), log);
    assertEquals(List.of("a", "b", "c"), o.completedIds());
    assertEquals(StepRecord.Status.VERIFIED, o.record("b").get().status());
  }

  @Test
  void failureUndoesInReverseIncludingTheFailedStepAndSkipsTheRest() {
    Engine.Outcome o = engine().run(List.of(step("a", false, false, true, false), step("b", true, false, true, false),
        step("c", false, false, false, false), step("d", false, true, true, false), step("e", false, false, true, false)));
    assertFalse(o.ok());
    assertEquals("d broke.", o.message());
    // b was already in place before this run: it is not this run's to undo.
    assertEquals(List.of("do a", "do c", "do d", "undo d", "undo a"), log);
    assertEquals(StepRecord.Status.UNDONE, o.record("a").get().status());
    assertEquals(StepRecord.Status.VERIFIED, o.record("b").get().status());
    assertEquals(StepRecord.Status.FAILED, o.record("d").get().status());
    assertEquals(StepRecord.Status.NOT_RUN, o.record("e").get().status());
    assertEquals(List.of("b", "c"), o.completedIds());
    // what the failure section says was done (b was in place before this run)
    assertEquals(List.of("Done and kept: c.", "Undone: a.", "Failed: d."), Report.done(o));
  }

  @Test
  void anUndoThatFailsIsReportedAndTheOthersStillRun() {
    Engine.Outcome o = engine().run(List.of(step("a", false, false, true, false), step("b", false, false, true, true),
        step("c", false, true, false, false)));
    assertEquals(List.of("do a", "do b", "do c", "undo b", "undo a"), log);
    assertEquals(StepRecord.Status.UNDO_FAILED, o.record("b").get().status());
    assertEquals("cannot undo b.", o.record("b").get().undoNote());
    assertEquals(StepRecord.Status.UNDONE, o.record("a").get().status());
    assertEquals(List.of("Undone: a.", "Could not be undone (put back by hand): b.", "Failed: c."), Report.done(o));
  }

  @Test
  void aFailedPlanChangedNothingAndSaysSo() {
    Engine.Outcome o = engine().run(List.of(step("plan", false, true, false, false), step("a", false, false, true, false)));
    assertEquals(List.of("Nothing was changed on Heroku, Fly or any database."), Report.done(o));
  }

  @Test
  void aFailingCheckFailsTheStep() {
    Step broken = new Step() {
      public String id() {
        return "x";
      }

      public String title() {
        return "x";
      }

      public Optional<String> alreadyDone() {
        throw new UserError("cannot read.");
      }

      public String apply() {
        return "";
      }
    };
    Engine.Outcome o = engine().run(List.of(step("a", false, false, true, false), broken));
    assertEquals("cannot read.", o.message());
    assertEquals(List.of("do a", "undo a"), log);
  }
}
