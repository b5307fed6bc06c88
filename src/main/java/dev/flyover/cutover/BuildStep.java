package dev.flyover.cutover;

/**
 * Builds and pushes the image before Heroku's maintenance mode ({@code flyctl deploy --build-only --push}), so the
 * downtime holds no build and a build that fails stops the cutover while Heroku still serves. The deploy step then
 * deploys exactly this image. No undo: an image nothing runs is harmless. Never "already done": flyover cannot
 * tell that an image in Fly's registry holds this source (flyctl tags each build {@code deployment-<ULID>}), and
 * the builder's layer cache makes a rebuild of unchanged source quick.
 */
final class BuildStep implements Step {
  private final Cutover c;
  private final ImageBuild build;

  BuildStep(Cutover c, ImageBuild build) {
    this.c = c;
    this.build = build;
  }

  @Override
  public String id() {
    return "build";
  }

  @Override
  public String title() {
    return "Build and push the image (before maintenance mode)";
  }

  @Override
  public String apply() throws Exception {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    String image = build.build();
    c.builtImage = image;
    return "pushed " + image + "; the deploy step deploys this image";
  }
}
