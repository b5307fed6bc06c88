package dev.flyover;

import java.util.Optional;

/**
 * flyover's one failure type: every flow (deploy, secrets, database, cutover, launch) stops by throwing it. It
 * carries a one-sentence message that names the input at fault as the current surface spells it and says what to
 * do; whose failure it is ({@link Origin}); and, when the flow had started, {@link #done()}: the flow's result as
 * far as it got (which release, which secrets, which tables, which steps and what was undone), which the run reports
 * like a success's. {@link RunReport} is the one place that turns it into an exit code, an ::error:: annotation,
 * step outputs and the summary's failure section. Never put a secret value in it.
 */
public class UserError extends RuntimeException {
  /** Whose failure it is: what the failure section tells the user to look at. */
  public enum Origin {
    /** An input (option) is wrong or missing: fix it and run again. */
    INPUT,
    /** Fly.io, Heroku, GitHub, a database or the app refused or failed; the inputs may be right. */
    OUTSIDE,
    /** Nothing flyover expected: a bug to report. */
    UNEXPECTED
  }

  private Origin origin = Origin.INPUT;
  private transient Outcome done;
  private transient boolean reported;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure of an outside system (Fly.io, Heroku, GitHub, a database, the app itself). */
  public static UserError outside(String message) {
    return new UserError(message).origin(Origin.OUTSIDE);
  }

  public static UserError outside(String message, Throwable cause) {
    return new UserError(message, cause).origin(Origin.OUTSIDE);
  }

  public Origin origin() {
    return origin;
  }

  /** Sets whose failure this is; returns this, for {@code throw e.origin(…)}. */
  public UserError origin(Origin o) {
    this.origin = o;
    return this;
  }

  /** The flow's result as far as it got; empty when it stopped before it started (bad input). */
  public Optional<Outcome> done() {
    return Optional.ofNullable(done);
  }

  /**
   * Attaches what the flow had done when it stopped, unless a flow nearer the failure attached it first (it knows
   * more). Returns this, for {@code throw e.withDone(result)}.
   */
  public UserError withDone(Outcome o) {
    if (done == null) done = o;
    return this;
  }

  /** True once {@link #done()} has been written to the outputs and summary (by {@link RunReport#flow}). */
  boolean reported() {
    return reported;
  }

  void markReported() {
    reported = true;
  }
}
