package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.heroku.HerokuClient;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The Heroku side of a command: which app, and the API key that can read it (defaults from the environment). */
public final class HerokuOptions {
  @Option(names = "--heroku-app", paramLabel = "NAME", description = "Heroku app to move from. Default: $HEROKU_APP.")
  String app;

  @Option(names = "--heroku-api-key", paramLabel = "KEY",
      description = "Heroku API key (`heroku authorizations:create`). Default: $HEROKU_API_KEY.")
  String apiKey;

  public Optional<String> app() {
    return Optional.ofNullable(app).map(String::strip).filter(s -> !s.isEmpty());
  }

  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** The app, or one sentence saying which input to set. */
  public String requireApp(Context ctx) {
    return app().orElseThrow(() -> new UserError("No Heroku app: set " + ctx.optionName("heroku-app")
        + " (or HEROKU_APP) to the name of the app on Heroku."));
  }

  /** A client for this run; fails with one sentence when no key is set. */
  public HerokuClient client(Context ctx) {
    return HerokuClient.of(ctx, apiKey().orElse(null));
  }
}
