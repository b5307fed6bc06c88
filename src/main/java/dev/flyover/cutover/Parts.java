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

  /**
   * Deploy on Fly with its checks (issue 2); {@code apply} returns once the app is healthy.
   *
   * @param image the image the build step pushed, deployed as it is (empty: the deploy's own inputs say what to run)
   */
  Optional<Part> deploy(Optional<String> image);

  /**
   * The build the deploy would do, to run before maintenance mode ({@link BuildStep}); empty when the deploy builds
   * nothing (a prebuilt image: the image input, or fly.toml's [build] image).
   */
  default Optional<ImageBuild> build() {
    return Optional.empty();
  }

  /** A dry run's look at the secrets and deploy parts: prints and reports what they would do, changes nothing. */
  default void preview() {}

  /** Read-only database preflight lines for the plan (versions, sizes, extensions, target empty). */
  default Optional<java.util.List<String>> databasePreflight(String sourceUrl, String targetUrl) throws Exception {
    return Optional.empty();
  }
}
