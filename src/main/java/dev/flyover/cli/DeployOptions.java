package dev.flyover.cli;

import dev.flyover.deploy.DeployRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The deploy inputs shared by {@code flyover deploy} and the cutover's deploy step, handed to the same
 * {@link DeployRequest}, so both deploys are checked the same way and record the same GitHub Deployment.
 * Rollback and create-app are the deploy command's alone: a cutover's undo is Heroku's, and its Fly app must exist
 * (the plan says so). Each command has its own dry-run.
 */
public final class DeployOptions {
  @Option(names = "--image", paramLabel = "REF", description = "Deploy this prebuilt image instead of building.")
  String image;

  @Option(names = "--strategy", paramLabel = "NAME", description = "canary, rolling, bluegreen or immediate. Default: fly.toml's, else rolling.")
  String strategy;

  @Option(names = "--build-args", paramLabel = "NAME=VALUE", split = "\r?\n", hideParamSyntax = true, description = "Docker build argument (repeatable; one per line in Actions).")
  List<String> buildArgs;

  @Option(names = "--build-secrets", paramLabel = "NAME=VALUE", split = "\r?\n", hideParamSyntax = true, description = "Docker build secret, masked (repeatable; one per line in Actions).")
  List<String> buildSecrets;

  @Option(names = "--env", paramLabel = "NAME=VALUE", split = "\r?\n", hideParamSyntax = true, description = "Plain environment variable for the app (repeatable).")
  List<String> env;

  @Option(names = "--wait-timeout", paramLabel = "DURATION", description = "Per-machine wait: seconds, a duration such as 5m, or none.")
  String waitTimeout;

  @Option(names = "--ha", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Two machines when a process group is first created (default true).")
  boolean ha;

  @Option(names = "--extra-args", paramLabel = "ARG", split = "\r?\n", hideParamSyntax = true, description = "More flyctl deploy arguments, one per line (no shell quoting).")
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

  @Option(names = "--github-token", paramLabel = "TOKEN", description = "Token for GitHub Deployments. Default: $GITHUB_TOKEN.")
  String githubToken;

  @Option(names = "--environment", paramLabel = "NAME", defaultValue = "production", description = "GitHub Deployment environment (default production).")
  String environment;

  /**
   * How these inputs say to build, for the cutover's plan: the image input, or a build flag among extra-args
   * (flyctl deploy's --image, --dockerfile, --nixpacks: internal/command/deploy/deploy.go).
   */
  java.util.Optional<String> buildFrom(dev.flyover.Context ctx) {
    if (image != null && !image.isBlank()) return java.util.Optional.of("the " + ctx.named("image"));
    if (extraArgs != null) {
      for (String a : extraArgs) {
        String flag = a.strip().split("=", 2)[0];
        if (List.of("--image", "-i", "--dockerfile", "--nixpacks").contains(flag)) {
          return java.util.Optional.of(ctx.optionName("extra-args") + " " + flag);
        }
      }
    }
    return java.util.Optional.empty();
  }

  DeployRequest request(FlyOptions fly, Path directory) {
    return builder(fly, directory).build();
  }

  DeployRequest.Builder builder(FlyOptions fly, Path directory) {
    return DeployRequest.builder(directory)
        .app(fly.app).config(fly.config).token(fly.token().orElse(null))
        .image(image).strategy(strategy).buildArgs(buildArgs).buildSecrets(buildSecrets).env(env)
        .waitTimeout(waitTimeout).ha(ha).extraArgs(extraArgs)
        .healthCheck(healthCheck).healthCheckUrl(healthCheckUrl).healthCheckPath(healthCheckPath)
        .healthCheckStatus(healthCheckStatus).healthCheckTimeout(Duration.ofSeconds(healthCheckTimeout))
        .healthCheckRetries(healthCheckRetries).githubToken(githubToken).environment(environment);
  }
}
