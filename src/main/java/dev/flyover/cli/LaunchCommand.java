package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.launch.LaunchFlow;
import dev.flyover.launch.LaunchRequest;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flyover launch}: the picocli face of {@link LaunchFlow}. */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = "Make the repository deployable on Fly.io from what the Heroku app knows: fly.toml, release settings and a deploy workflow, as a pull request (Actions) or files in the working tree (terminal).")
final class LaunchCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Mixin
  HerokuOptions heroku;

  @Option(names = "--org", paramLabel = "SLUG", description = "Fly organization for a new app.")
  String org;

  @Option(names = "--create-app", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Create the Fly app when it does not exist (needs an org token).")
  boolean createApp;

  @Option(names = "--github-token", paramLabel = "TOKEN",
      description = "Token that opens the pull request (`contents: write`, `pull-requests: write`). Default: $GITHUB_TOKEN.")
  String githubToken;

  @Option(names = "--launch-branch", paramLabel = "BRANCH", defaultValue = "flyover/launch",
      description = "Branch of the launch pull request (default flyover/launch); a later run updates it.")
  String branch;

  @Option(names = "--overwrite", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Replace files that exist, or that someone changed on the launch branch.")
  boolean overwrite;

  @Option(names = "--dry-run", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Print the files and the Heroku to Fly mapping; write, commit and create nothing.")
  boolean dryRun;

  LaunchCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    if (fly.config().isPresent()) {
      throw new UserError("launch writes fly.toml in the " + ctx.optionName("working-directory") + "; leave "
          + ctx.optionName("config") + " empty.");
    }
    if (branch == null || branch.isBlank() || !branch.strip().matches("[A-Za-z0-9._/-]+") || branch.contains("..")) {
      throw new UserError("The " + ctx.optionName("launch-branch") + " '" + branch + "' is not a branch name: use letters,"
          + " digits, '.', '_', '-' and '/'.");
    }
    String herokuApp = heroku.requireApp(ctx);
    LaunchRequest req = new LaunchRequest(herokuApp, Optional.ofNullable(fly.app).filter(s -> !s.isBlank()),
        Optional.ofNullable(org).map(String::strip).filter(s -> !s.isEmpty()), createApp, ctx.env().workDir(),
        fly.directory(ctx), branch.strip(), overwrite, dryRun,
        Optional.ofNullable(githubToken).map(String::strip).filter(s -> !s.isEmpty()), fly.token());
    return new LaunchFlow(ctx, heroku.client(ctx)).run(req);
  }
}
