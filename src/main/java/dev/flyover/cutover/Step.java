package dev.flyover.cutover;

import java.util.Optional;

/**
 * One step of the cutover: what it does, how it is undone, and how a re-run tells it is already done. The check
 * looks at the systems themselves (Heroku, Fly, the databases), never at a marker of ours, so a re-run after a
 * fix skips exactly what is really in place.
 */
public interface Step {
  /** Short stable name, used in {@code steps-completed} and the report: {@code maintenance}, {@code deploy}. */
  String id();

  /** What the step does, in a few words. */
  String title();

  /** What its undo does, in a few words ("" when it has none). */
  default String undoTitle() {
    return "";
  }

  /**
   * Empty when the step must run; otherwise why it is already done and verified (the step is then skipped).
   * Reads only. The default says nothing is known, so the step runs.
   */
  default Optional<String> alreadyDone() throws Exception {
    return Optional.empty();
  }

  /** Does the step. Returns a one-line note for the report ("" for none). */
  String apply() throws Exception;

  /**
   * Puts back what {@link #apply} changed, exactly as it was found. Called in reverse order on failure, also for
   * the step that failed (it may have changed part of what it meant to), so it must be safe to call when
   * nothing was changed. Returns a note for the report.
   */
  default String undo() throws Exception {
    return "";
  }

  /** True when this step changes Heroku (and so needs {@code confirm}). */
  default boolean changesHeroku() {
    return false;
  }
}
