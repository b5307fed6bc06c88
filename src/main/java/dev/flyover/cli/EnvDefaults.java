package dev.flyover.cli;

import dev.flyover.Env;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults read from the environment, so a terminal user keeps tokens out of the command line (and out of the
 * process list): the first variable set wins.
 */
final class EnvDefaults implements CommandLine.IDefaultValueProvider {
  static final Map<String, List<String>> VARIABLES = Map.of(
      "--fly-api-token", List.of("FLY_API_TOKEN", "FLY_ACCESS_TOKEN"),
      "--fly-app", List.of("FLY_APP"),
      "--heroku-api-key", List.of("HEROKU_API_KEY"),
      "--heroku-app", List.of("HEROKU_APP"),
      "--github-token", List.of("GITHUB_TOKEN"),
      "--heroku-database-url", List.of("HEROKU_DATABASE_URL"),
      "--database-url", List.of("FLY_DATABASE_URL"));

  private final Env env;

  EnvDefaults(Env env) {
    this.env = env;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec opt) {
      for (String var : VARIABLES.getOrDefault(opt.longestName(), List.of())) {
        if (env.get(var).isPresent()) return env.get(var).get();
      }
    }
    return arg.defaultValue();
  }
}
