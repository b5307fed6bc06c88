package dev.flyover.cutover;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the steps in order. Each step is first checked ("already done and verified?") and skipped if so; else it
 * runs. On the first failure every step that changed something is undone in reverse order, the failed one
 * first, and the rest are marked not run. A SIGTERM (the runner cancelling the job) undoes the same way before
 * the JVM exits.
 */
public final class Engine {
  private final Console console;
  private final Clock clock;
  private final List<StepRecord> records = new ArrayList<>();
  private Throwable failure;
  private boolean finished;
  private boolean undoing;

  public Engine(Console console, Clock clock) {
    this.console = console;
    this.clock = clock;
  }

  /** The outcome of one run. */
  public record Outcome(List<StepRecord> steps, Optional<Throwable> failure) {
    public boolean ok() {
      return failure.isEmpty();
    }

    public List<String> completedIds() {
      return steps.stream().filter(StepRecord::completed).map(StepRecord::id).toList();
    }

    public Optional<StepRecord> record(String id) {
      return steps.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The one-sentence reason of the failure. */
    public String message() {
      return failure.map(Engine::message).orElse("");
    }
  }

  static String message(Throwable t) {
    if (t instanceof UserError) return t.getMessage();
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  public Outcome run(List<Step> steps) {
    for (Step s : steps) records.add(new StepRecord(s));
    Thread hook = new Thread(this::onSignal, "cutover-undo-on-sigterm");
    boolean hooked = addHook(hook);
    try {
      int i = 0;
      for (StepRecord r : records) {
        i++;
        if (failure != null) {
          r.notRun();
          continue;
        }
        console.info("==> [" + i + "/" + records.size() + "] " + r.title());
        r.start(clock.instant());
        try {
          Optional<String> done = r.step().alreadyDone();
          if (done.isPresent()) {
            r.finish(StepRecord.Status.VERIFIED, clock.instant(), done.get());
            console.info("    already done: " + done.get());
            continue;
          }
          String note = r.step().apply();
          r.finish(StepRecord.Status.DONE, clock.instant(), note);
          if (note != null && !note.isBlank()) console.info("    " + note);
        } catch (Exception | LinkageError e) {
          r.finish(StepRecord.Status.FAILED, clock.instant(), message(e));
          synchronized (this) {
            failure = e;
          }
        }
      }
      if (failure != null) undoAll();
    } finally {
      synchronized (this) {
        finished = true;
      }
      if (hooked) removeHook(hook);
    }
    return new Outcome(List.copyOf(records), Optional.ofNullable(failure));
  }

  /** Undoes, newest first, every step that ran in this run (the failed one too: it may be half done). */
  private void undoAll() {
    synchronized (this) {
      if (undoing) return;
      undoing = true;
    }
    List<StepRecord> reversed = new ArrayList<>(records);
    java.util.Collections.reverse(reversed);
    boolean header = false;
    for (StepRecord r : reversed) {
      if (r.status() != StepRecord.Status.DONE && r.status() != StepRecord.Status.FAILED) continue;
      if (r.step().undoTitle().isEmpty()) continue;
      if (!header) {
        console.info("==> Undoing, newest step first");
        header = true;
      }
      StepRecord.Status before = r.status();
      try {
        String note = r.step().undo();
        // A failed step keeps its status; its undo note says what was put back.
        r.undone(before == StepRecord.Status.FAILED ? before : StepRecord.Status.UNDONE, note);
        console.info("    " + r.id() + ": " + (note == null || note.isBlank() ? r.step().undoTitle() : note));
      } catch (Exception | LinkageError e) {
        r.undone(StepRecord.Status.UNDO_FAILED, message(e));
        console.error("Could not undo " + r.id() + ": " + message(e) + " Put it back by hand (see the summary).");
      }
    }
  }

  /** SIGTERM from the runner: undo what was changed before the JVM goes. */
  private void onSignal() {
    synchronized (this) {
      if (finished) return;
      if (failure == null) failure = UserError.outside("The cutover was cancelled; every change was undone.");
    }
    for (StepRecord r : records) {
      if (r.status() == StepRecord.Status.PENDING && r.started() != null) {
        r.finish(StepRecord.Status.FAILED, clock.instant(), "cancelled");
      }
    }
    undoAll();
    console.flush();
  }

  private static boolean addHook(Thread t) {
    try {
      Runtime.getRuntime().addShutdownHook(t);
      return true;
    } catch (IllegalStateException | SecurityException e) {
      return false;
    }
  }

  private static void removeHook(Thread t) {
    try {
      Runtime.getRuntime().removeShutdownHook(t);
    } catch (IllegalStateException | SecurityException e) {
      // The JVM is already shutting down: the hook runs and sees finished.
    }
  }
}
