package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.cutover.DatabasePart;
import dev.flyover.cutover.Part;
import dev.flyover.cutover.Parts;
import dev.flyover.cutover.Settings;
import dev.flyover.deploy.DeployRequest;
import dev.flyover.deploy.DeployResult;
import dev.flyover.deploy.DeploySummary;
import dev.flyover.deploy.Deployer;
import dev.flyover.fly.Flyctl;
import java.util.Optional;

/** The secrets, database and deploy flows as cutover steps, built from the same options as their commands. */
final class ComposedParts implements Parts {
  private final Context ctx;
  private final Settings settings;
  private final Flyctl fly;
  private final DeployRequest deploy;
  private final CutoverOptions options;
  private final Optional<String> token;

  ComposedParts(Context ctx, Settings settings, Flyctl fly, DeployRequest deploy, CutoverOptions options,
      Optional<String> token) {
    this.ctx = ctx;
    this.options = options;
    this.token = token;
    this.settings = settings;
    this.fly = fly;
    this.deploy = deploy;
  }

  @Override
  public Optional<Part> secrets() {
    return Optional.empty();
  }

  /** The database flow's transfer and verification (parallel by default), skipped when the target already equals the source. */
  @Override
  public Optional<Part> database(String sourceUrl, String targetUrl) {
    return Optional.of(new DatabasePart(ctx, sourceUrl, targetUrl, options.transferMode, options.jobs(ctx), options.verify,
        settings.overwrite(), Optional.of(settings.flyApp()), token));
  }

  @Override
  public Optional<java.util.List<String>> databasePreflight(String sourceUrl, String targetUrl) throws Exception {
    return Optional.of(((DatabasePart) database(sourceUrl, targetUrl).orElseThrow()).preflight());
  }

  /** flyctl deploy, then the deploy flow's own proof: new release on the new image, machines and HTTP checks. */
  @Override
  public Optional<Part> deploy() {
    return Optional.of(() -> {
      DeployResult r = new Deployer(ctx).run(deploy);
      r.writeOutputs(ctx.outputs());
      DeploySummary.write(ctx.summary(), ctx.env(), r, deploy.directory());
      if (!r.ok()) throw new UserError(r.error().orElse("The deploy failed."));
      return "release " + r.releaseVersion().map(String::valueOf).orElse("?") + " healthy at "
          + r.appUrl().orElse(settings.flyApp());
    });
  }
}
