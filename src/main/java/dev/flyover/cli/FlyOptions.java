package dev.flyover.cli;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.fly.FlyToml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that talks to Fly shares: token, app, fly.toml and where the app lives. */
public final class FlyOptions {
  @Option(names = "--fly-api-token", paramLabel = "TOKEN",
      description = "Fly.io API token: a deploy token (`fly tokens create deploy`) or an org token. Default: $FLY_API_TOKEN.")
  String token;

  @Option(names = "--fly-app", paramLabel = "NAME", description = "Fly app name. Default: `app` in fly.toml, or $FLY_APP.")
  String app;

  @Option(names = "--config", paramLabel = "PATH", description = "Path of fly.toml, relative to the working directory.")
  String config;

  @Option(names = "--working-directory", paramLabel = "DIR",
      description = "Directory of the app (where fly.toml and the Dockerfile are). Default: the workspace or current directory.")
  String workingDirectory;

  public Optional<String> token() {
    return Optional.ofNullable(token).filter(s -> !s.isBlank());
  }

  public Path directory(Env env) {
    return directory(env, n -> n + " input");
  }

  public Path directory(dev.flyover.Context ctx) {
    return directory(ctx.env(), ctx.namer());
  }

  private Path directory(Env env, java.util.function.UnaryOperator<String> named) {
    Path base = env.workDir();
    if (workingDirectory == null || workingDirectory.isBlank()) return base;
    Path dir = base.resolve(workingDirectory.strip());
    if (!Files.isDirectory(dir)) {
      throw new UserError("The " + named.apply("working-directory") + " " + workingDirectory + " does not exist in " + base
          + ": fix it.");
    }
    return dir;
  }

  public Optional<FlyToml> flyToml(dev.flyover.Context ctx) {
    return FlyToml.find(directory(ctx), Optional.ofNullable(config).filter(s -> !s.isBlank()), ctx.namer());
  }

  public String appName(dev.flyover.Context ctx) {
    return FlyToml.appName(Optional.ofNullable(app).filter(s -> !s.isBlank()), flyToml(ctx), ctx.namer());
  }

  public Optional<String> config() {
    return Optional.ofNullable(config).filter(s -> !s.isBlank());
  }
}
