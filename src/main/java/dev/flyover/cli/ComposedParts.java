package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.cutover.DatabasePart;
import dev.flyover.cutover.ImageBuild;
import dev.flyover.cutover.Part;
import dev.flyover.cutover.Parts;
import dev.flyover.cutover.Settings;
import dev.flyover.deploy.DeployRequest;
import dev.flyover.deploy.DeployResult;
import dev.flyover.deploy.Deployer;
import dev.flyover.fly.Flyctl;
import dev.flyover.heroku.HerokuClient;
import dev.flyover.secrets.PlanEntry;
import dev.flyover.secrets.SecretsFlow;
import dev.flyover.secrets.SecretsRequest;
import dev.flyover.secrets.SecretsResult;
import java.util.Optional;

/** The secrets, database and deploy flows as cutover steps, built from the same options as their commands. */
final class ComposedParts implements Parts {
  private final Context ctx;
  private final Settings settings;
  private final Flyctl fly;
  private final DeployRequest deploy;
  private final DeployRequest deployPreview;
  private final CutoverOptions options;
  private final HerokuClient heroku;
  private final Optional<String> token;

  /** @param deployPreview the same deploy as a dry run (for a cutover's dry run) */
  ComposedParts(Context ctx, Settings settings, Flyctl fly, HerokuClient heroku, DeployRequest deploy,
      DeployRequest deployPreview, CutoverOptions options, Optional<String> token) {
    this.deployPreview = deployPreview;
    this.ctx = ctx;
    this.heroku = heroku;
    this.options = options;
    this.token = token;
    this.settings = settings;
    this.fly = fly;
    this.deploy = deploy;
  }

  /**
   * Every config var to Fly, staged (the deploy applies them), replacing what is there. Already done when the plan
   * with overwrite off would set nothing: every name to move is on Fly (Fly cannot show values to compare). That
   * look prints nothing: a dry run's plan in the middle of a cutover would read as work planned and not done.
   */
  @Override
  public Optional<Part> secrets() {
    SecretsRequest req = SecretsRequest.fromHeroku(settings.herokuApp(), settings.flyApp())
        .withFilters(options.include, options.exclude, options.rename);
    SecretsFlow flow = new SecretsFlow(ctx, fly, Optional.of(heroku));
    return Optional.of(new Part() {
      @Override
      public Optional<String> alreadyDone() {
        java.util.List<PlanEntry> plan = flow.planQuietly(req.withOverwrite(false).withDryRun(true));
        long kept = plan.stream().filter(e -> e.action() == PlanEntry.Action.KEEP).count();
        if (kept == 0 || plan.stream().anyMatch(PlanEntry::moves)) return Optional.empty();
        return Optional.of((kept == 1 ? "the one config var to move is already a Fly secret"
            : "all " + kept + " config vars to move are already Fly secrets") + " (set by an earlier run)");
      }

      @Override
      public String apply() {
        SecretsResult r = RunReport.flow(ctx, () -> flow.run(req));
        return r.imported().size() + " secrets staged, " + r.skipped().size() + " config vars left behind";
      }
    });
  }

  /** The secrets flow's dry run (reads Heroku and Fly's secret names) and the deploy's (calls nothing). */
  @Override
  public void preview() {
    SecretsRequest req = SecretsRequest.fromHeroku(settings.herokuApp(), settings.flyApp())
        .withFilters(options.include, options.exclude, options.rename).withDryRun(true);
    SecretsFlow flow = new SecretsFlow(ctx, fly, Optional.of(heroku));
    RunReport.flow(ctx, () -> flow.run(req));
    build().ifPresent(b -> ctx.console().info("Before maintenance mode the cutover builds and pushes the image: "
        + b.commandLine() + "; the deploy step then deploys that image with --image (so the downtime holds no build)."));
    RunReport.flow(ctx, () -> new Deployer(ctx).run(deployPreview));
  }

  /** The database flow's transfer and verification (parallel by default), skipped when the target already equals the source. */
  @Override
  public Optional<Part> database(String sourceUrl, String targetUrl) {
    return Optional.of(new DatabasePart(ctx, sourceUrl, targetUrl, options.transfer.mode, options.transfer.jobs(ctx), options.transfer.verify,
        settings.overwrite(), Optional.of(settings.flyApp()), token).remote(options.transfer.remote(ctx)));
  }

  @Override
  public Optional<java.util.List<String>> databasePreflight(String sourceUrl, String targetUrl) throws Exception {
    return Optional.of(((DatabasePart) database(sourceUrl, targetUrl).orElseThrow()).preflight());
  }

  /** The deploy's build alone, before the freeze; none when the deploy inputs name a prebuilt image. */
  @Override
  public Optional<ImageBuild> build() {
    if (!Deployer.builds(deploy)) return Optional.empty();
    return Optional.of(new ImageBuild() {
      @Override
      public String commandLine() {
        return new Deployer(ctx).buildCommandLine(deploy);
      }

      @Override
      public String build() {
        return new Deployer(ctx).build(deploy);
      }
    });
  }

  /**
   * flyctl deploy (of the image the build step pushed, when it ran), then the deploy flow's own proof: new release on
   * the new image, machines and HTTP checks.
   */
  @Override
  public Optional<Part> deploy(Optional<String> image) {
    DeployRequest req = image.map(deploy::withImage).orElse(deploy);
    return Optional.of(() -> {
      DeployResult r = RunReport.flow(ctx, () -> new Deployer(ctx).run(req));
      return "release " + r.releaseVersion().map(String::valueOf).orElse("?") + " healthy at "
          + r.appUrl().orElse(settings.flyApp());
    });
  }
}
