package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.deploy.DeployRequest;
import dev.flyover.deploy.DeployResult;
import dev.flyover.deploy.DeploySummary;
import dev.flyover.deploy.Deployer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flyover deploy}: the options, named like the action's inputs, handed to {@link Deployer}. */
@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy the app to Fly.io, check the new release is serving, and report.")
final class DeployCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Option(names = "--image", paramLabel = "REF", description = "Deploy this prebuilt image instead of building.")
  String image;

  @Option(names = "--strategy", paramLabel = "NAME", description = "canary, rolling, bluegreen or immediate. Default: fly.toml's, else rolling.")
  String strategy;

  @Option(names = "--build-args", paramLabel = "NAME=VALUE", split = "\\r?\\n", description = "Docker build argument (repeatable; one per line in Actions).")
  List<String> buildArgs;

  @Option(names = "--build-secrets", paramLabel = "NAME=VALUE", split = "\\r?\\n", description = "Docker build secret, masked (repeatable; one per line in Actions).")
  List<String> buildSecrets;

  @Option(names = "--env", paramLabel = "NAME=VALUE", split = "\\r?\\n", description = "Plain environment variable for the app (repeatable).")
  List<String> env;

  @Option(names = "--wait-timeout", paramLabel = "DURATION", description = "Per-machine wait: seconds, a duration such as 5m, or none.")
  String waitTimeout;

  @Option(names = "--ha", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Two machines when a process group is first created (default true).")
  boolean ha;

  @Option(names = "--extra-args", paramLabel = "ARG", split = "\\r?\\n", description = "More flyctl deploy arguments, one per line (no shell quoting).")
  List<String> extraArgs;

  @Option(names = "--health-check", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Check over HTTP that the new release answers (default true).")
  boolean healthCheck;

  @Option(names = "--health-check-url", paramLabel = "URL", description = "Base URL to check. Default: https://HOSTNAME/.")
  String healthCheckUrl;

  @Option(names = "--health-check-path", paramLabel = "PATH", defaultValue = "/", description = "Path to request (default /).")
  String healthCheckPath;

  @Option(names = "--health-check-status", paramLabel = "CODE", defaultValue = "200", description = "Expected HTTP status (default 200).")
  int healthCheckStatus;

  @Option(names = "--health-check-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Seconds per request (default 10).")
  int healthCheckTimeout;

  @Option(names = "--health-check-retries", paramLabel = "N", defaultValue = "10", description = "Tries before the check fails (default 10).")
  int healthCheckRetries;

  @Option(names = "--rollback", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Redeploy the previous release's image when the health check fails.")
  boolean rollback;

  @Option(names = "--create-app", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Create the Fly app when it does not exist (needs an org token).")
  boolean createApp;

  @Option(names = "--org", paramLabel = "SLUG", description = "Fly organization for a new app.")
  String org;

  @Option(names = "--github-token", paramLabel = "TOKEN", description = "Token for GitHub Deployments. Default: $GITHUB_TOKEN.")
  String githubToken;

  @Option(names = "--environment", paramLabel = "NAME", defaultValue = "production", description = "GitHub Deployment environment (default production).")
  String environment;

  @Option(names = "--dry-run", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Print the app, the flyctl command and the checks; change nothing (no token needed).")
  boolean dryRun;

  DeployCommand(Context ctx) {
    super(ctx);
  }

  DeployRequest request() {
    Path dir = fly.directory(ctx.env());
    return DeployRequest.builder(dir)
        .app(fly.app).config(fly.config).token(fly.token().orElse(null))
        .image(image).strategy(strategy).buildArgs(buildArgs).buildSecrets(buildSecrets).env(env)
        .waitTimeout(waitTimeout).ha(ha).extraArgs(extraArgs)
        .healthCheck(healthCheck).healthCheckUrl(healthCheckUrl).healthCheckPath(healthCheckPath)
        .healthCheckStatus(healthCheckStatus).healthCheckTimeout(Duration.ofSeconds(healthCheckTimeout))
        .healthCheckRetries(healthCheckRetries).rollback(rollback).createApp(createApp).org(org)
        .githubToken(githubToken).environment(environment).dryRun(dryRun)
        .build();
  }

  @Override
  protected int run() {
    DeployRequest req = request();
    DeployResult result = new Deployer(ctx).run(req);
    result.writeOutputs(ctx.outputs());
    DeploySummary.write(ctx.summary(), ctx.env(), result, req.directory());
    if (!result.ok()) throw new UserError(result.error().orElse("The deploy failed."));
    return 0;
  }
}
