package dev.flyover.cutover;

/** The app's image, built and pushed without deploying it, so the deploy step after the freeze builds nothing. */
public interface ImageBuild {
  /** The command the build runs, for the plan and a dry run (secrets shown as ***). */
  String commandLine();

  /** Builds and pushes; returns the pushed image's reference. A failure throws. */
  String build() throws Exception;
}
