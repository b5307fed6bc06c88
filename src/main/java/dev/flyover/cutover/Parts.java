package dev.flyover.cutover;

import java.util.Optional;

/**
 * Where the cutover gets the flows it composes. Each may be absent from a build (the step then fails with a
 * clear sentence rather than pretending).
 */
public interface Parts {
  /** Heroku config vars to Fly secrets, staged (issue 3). */
  Optional<Part> secrets();

  /** Copy source to target and verify (issue 4); {@code alreadyDone} is "target verified equal to source". */
  Optional<Part> database(String sourceUrl, String targetUrl);

  /** Deploy on Fly with its checks (issue 2); {@code apply} returns once the app is healthy. */
  Optional<Part> deploy();

  /** A dry run's look at the secrets and deploy parts: prints and reports what they would do, changes nothing. */
  default void preview() {}

  /** Read-only database preflight lines for the plan (versions, sizes, extensions, target empty). */
  default Optional<java.util.List<String>> databasePreflight(String sourceUrl, String targetUrl) throws Exception {
    return Optional.empty();
  }
}
