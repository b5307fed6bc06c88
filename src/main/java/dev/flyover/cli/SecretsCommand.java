package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.fly.Flyctl;
import dev.flyover.heroku.HerokuClient;
import dev.flyover.secrets.SecretsFlow;
import dev.flyover.secrets.SecretsRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flyover secrets}: the picocli face of {@link SecretsFlow}. */
@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Copy Heroku config vars to Fly secrets, byte for byte, never showing a value.")
final class SecretsCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Mixin
  HerokuOptions heroku;

  @Option(names = "--from-file", paramLabel = "FILE",
      description = "Read config vars from this file (`heroku config -s` or `heroku config --json` output, or a dotenv file) instead of the Heroku API; relative to the working directory.")
  String fromFile;

  @Option(names = "--include", paramLabel = "GLOB", split = "\r?\n", hideParamSyntax = true,
      description = "Only move config vars matching these globs (* and ?), one per line or repeated. A name without wildcards also moves a var left out by default.")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", split = "\r?\n", hideParamSyntax = true,
      description = "Also leave out config vars matching these globs, one per line or repeated.")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--rename", paramLabel = "OLD=NEW", split = "\r?\n", hideParamSyntax = true,
      description = "Rename config vars on the way, one OLD=NEW per line or repeated.")
  List<String> rename = new ArrayList<>();

  @Option(names = "--overwrite", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Replace secrets already on Fly (default true; Fly cannot show their values to compare).")
  Boolean overwrite;

  @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false", paramLabel = "BOOL",
      description = "Show the plan and stop before changing anything.")
  boolean dryRun;

  @Option(names = "--stage", arity = "0..1", fallbackValue = "true", defaultValue = "true", paramLabel = "BOOL",
      description = "Stage the secrets for the next deploy (default); false restarts the app with them now.")
  boolean stage;

  SecretsCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    Optional<Path> file = Optional.ofNullable(fromFile).map(String::strip).filter(s -> !s.isEmpty())
        .map(f -> fly.directory(ctx).resolve(f));
    Optional<String> herokuApp = heroku.app();
    Optional<HerokuClient> client = Optional.empty();
    if (file.isEmpty()) {
      herokuApp = Optional.of(heroku.requireApp(ctx));
      client = Optional.of(heroku.client(ctx));
    } else if (herokuApp.isPresent() && heroku.apiKey().isPresent()) {
      client = Optional.of(heroku.client(ctx));
    }
    String flyApp = fly.appName(ctx);
    Flyctl flyctl = new Flyctl(ctx.env(), ctx.console(), fly.token());
    SecretsRequest req = new SecretsRequest(herokuApp, file, flyApp, include, exclude, rename,
        overwrite == null || overwrite, dryRun, stage);
    SecretsFlow flow = new SecretsFlow(ctx, flyctl, client);
    RunReport.flow(ctx, () -> flow.run(req));
    return 0;
  }
}
