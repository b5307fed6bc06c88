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

  /**
   * Secret URLs may also come from a file named by {@code <VARIABLE>_FILE} (the Docker/Fly secret-file convention):
   * the remote transfer's machine gets them this way (fly machine run --file-secret), never in its environment or
   * argv. The plain variable wins when both are set.
   */
  static final Map<String, String> FILE_VARIABLES = Map.of(
      "--heroku-database-url", "HEROKU_DATABASE_URL_FILE",
      "--database-url", "FLY_DATABASE_URL_FILE");

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
      String fileVar = FILE_VARIABLES.get(opt.longestName());
      if (fileVar != null && env.get(fileVar).isPresent()) return readFile(arg, fileVar, env.get(fileVar).get());
    }
    return arg.defaultValue();
  }

  private static String readFile(ArgSpec arg, String var, String path) {
    try {
      // One value, as a secret file holds it: a trailing newline is not part of it.
      return java.nio.file.Files.readString(java.nio.file.Path.of(path), java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (java.io.IOException | RuntimeException e) {
      throw new CommandLine.ParameterException(arg.command().commandLine(),
          var + " names " + path + ", which cannot be read (" + e.getClass().getSimpleName() + "): fix " + var + " or unset it");
    }
  }
}
