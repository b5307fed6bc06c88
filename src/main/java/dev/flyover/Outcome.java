package dev.flyover;

import java.util.List;

/**
 * What a flow did, success or not: a deploy's release, a secrets run's plan, a transfer's tables, a cutover's
 * steps. It writes its own step outputs and job-summary section ({@link #report}), and says in short sentences what
 * it had done (and undone) when it stopped ({@link #done}), for the run's failure section. {@link RunReport#flow}
 * reports it; a failed flow hands it over on its {@link UserError#withDone}.
 */
public interface Outcome {
  /** Writes this flow's step outputs and its section of the job summary (on a failure: as far as it got). */
  void report(Context ctx);

  /**
   * What was done, and undone, before the flow stopped: short sentences in flyover's words (outside names go
   * through the summary's escaping). "Nothing was changed …" when nothing was.
   */
  List<String> done();
}
