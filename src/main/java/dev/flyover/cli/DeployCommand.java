package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.deploy.DeployRequest;
import dev.flyover.deploy.Deployer;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flyover deploy}: the options, named like the action's inputs, handed to {@link Deployer}. */
@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy the app to Fly.io, check the new release is serving, and report.")
final class DeployCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Mixin
  DeployOptions deploy;

  @Option(names = "--rollback", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Redeploy the previous release's image when the health check fails.")
  boolean rollback;

  @Option(names = "--create-app", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Create the Fly app when it does not exist (needs an org token).")
  boolean createApp;

  @Option(names = "--org", paramLabel = "SLUG", description = "Fly organization for a new app.")
  String org;

  @Option(names = "--dry-run", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Print the app, the flyctl command and the checks; change nothing (no token needed).")
  boolean dryRun;

  DeployCommand(Context ctx) {
    super(ctx);
  }

  DeployRequest request() {
    Path dir = fly.directory(ctx);
    return deploy.builder(fly, dir).rollback(rollback).createApp(createApp).org(org).dryRun(dryRun).build();
  }

  @Override
  protected int run() {
    DeployRequest req = request();
    RunReport.flow(ctx, () -> new Deployer(ctx).run(req));
    return 0;
  }
}
