package dev.flyover.cutover;

import java.util.Optional;

/**
 * A flow from another part of flyover (secrets, database, deploy) as the cutover runs it: the same checks and
 * work as its own command, the report written into this run's summary and outputs.
 */
public interface Part {
  /** Empty when it must run; otherwise why it is already done and verified. */
  default Optional<String> alreadyDone() throws Exception {
    return Optional.empty();
  }

  /** Does the work; a one-line note for the report. */
  String apply() throws Exception;

  /** Lines for the plan: what it would do, read-only. */
  default java.util.List<String> preview() throws Exception {
    return java.util.List.of();
  }
}
