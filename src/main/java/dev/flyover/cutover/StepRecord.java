package dev.flyover.cutover;

import java.time.Duration;
import java.time.Instant;

/** What happened to one step in this run. */
public final class StepRecord {
  /** done: ran now; verified: already in place (skipped); failed; undone (reverted after a later failure). */
  public enum Status {
    PENDING("not run"),
    DONE("done"),
    VERIFIED("already done"),
    FAILED("failed"),
    UNDONE("undone"),
    UNDO_FAILED("undo failed"),
    NOT_RUN("not run");

    public final String label;

    Status(String label) {
      this.label = label;
    }
  }

  private final Step step;
  private Status status = Status.PENDING;
  private Instant started;
  private Instant finished;
  private String note = "";
  private String undoNote = "";

  StepRecord(Step step) {
    this.step = step;
  }

  public Step step() {
    return step;
  }

  public String id() {
    return step.id();
  }

  public String title() {
    return step.title();
  }

  public Status status() {
    return status;
  }

  public Instant started() {
    return started;
  }

  public Instant finished() {
    return finished;
  }

  public String note() {
    return note;
  }

  public String undoNote() {
    return undoNote;
  }

  /** Finished in this run or before it: it counts in {@code steps-completed}. */
  public boolean completed() {
    return status == Status.DONE || status == Status.VERIFIED;
  }

  public Duration duration() {
    return started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
  }

  void start(Instant t) {
    started = t;
  }

  void finish(Status s, Instant t, String note) {
    status = s;
    finished = t;
    this.note = note == null ? "" : note;
  }

  void undone(Status s, String note) {
    status = s;
    undoNote = note == null ? "" : note;
  }

  void notRun() {
    status = Status.NOT_RUN;
  }
}
