package dev.flyover.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.flyover.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The app's fly.toml, found the way flyctl finds it, with the keys flyover reads. */
public final class FlyToml {
  private final Path path;
  private final JsonNode root;

  private FlyToml(Path path, JsonNode root) {
    this.path = path;
    this.root = root;
  }

  /**
   * With a config input: that path, then {@code PATH/fly.toml} (flyctl's rule). Without: fly.toml, then
   * fly.json, in the directory. Empty when there is none and none was asked for.
   */
  public static Optional<FlyToml> find(Path directory, Optional<String> config) {
    return find(directory, config, ACTION_NAMES);
  }

  /** Options as the Action's inputs name them, for callers that do not know the surface. */
  static final java.util.function.UnaryOperator<String> ACTION_NAMES = n -> n + " input";

  /** @param named how the current surface names an option ("the X input" / "the --X option"), for messages */
  public static Optional<FlyToml> find(Path directory, Optional<String> config, java.util.function.UnaryOperator<String> named) {
    if (config.isPresent()) {
      Path p = directory.resolve(config.get());
      Path candidate = Files.isRegularFile(p) ? p : p.resolve("fly.toml");
      if (!Files.isRegularFile(candidate)) {
        throw new UserError("The " + named.apply("config") + " points at " + p + ", where there is no fly.toml: fix it or the "
            + named.apply("working-directory") + ".");
      }
      return Optional.of(read(candidate));
    }
    for (String name : new String[] {"fly.toml", "fly.json"}) {
      Path p = directory.resolve(name);
      if (Files.isRegularFile(p)) return Optional.of(read(p));
    }
    return Optional.empty();
  }

  public static FlyToml read(Path file) {
    try {
      ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper() : new TomlMapper();
      return new FlyToml(file, mapper.readTree(Files.readString(file)));
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new UserError(file + " is not valid TOML (" + why + "): fix the file so `flyctl config validate` accepts it.");
    }
  }

  public Path path() {
    return path;
  }

  public JsonNode root() {
    return root;
  }

  private Optional<String> text(String... keys) {
    JsonNode n = root;
    for (String k : keys) {
      n = n == null ? null : n.get(k);
    }
    return n == null || n.isNull() || n.asText().isBlank() ? Optional.empty() : Optional.of(n.asText());
  }

  public Optional<String> app() {
    return text("app");
  }

  public Optional<String> primaryRegion() {
    return text("primary_region");
  }

  public Optional<String> releaseCommand() {
    return text("deploy", "release_command");
  }

  public Optional<String> strategy() {
    return text("deploy", "strategy");
  }

  public Optional<String> buildImage() {
    return text("build", "image");
  }

  /** {@code [build] dockerfile}, relative to fly.toml's directory (flyctl: it wins over --dockerfile). */
  public Optional<String> buildDockerfile() {
    return text("build", "dockerfile");
  }

  /** {@code [build] builder} (a buildpacks builder image); flyctl then builds without a Dockerfile. */
  public Optional<String> buildBuilder() {
    return text("build", "builder");
  }

  /** {@code [env]}: plain variables the deploy gives every machine. */
  public Map<String, String> env() {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode e = root.get("env");
    if (e != null && e.isObject()) e.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    return out;
  }

  public Optional<Integer> internalPort() {
    JsonNode n = root.path("http_service").path("internal_port");
    return n.isNumber() ? Optional.of(n.asInt()) : Optional.empty();
  }

  /** Process groups; flyctl names the single group {@code app} when there is no [processes]. */
  public Map<String, String> processes() {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode p = root.get("processes");
    if (p != null && p.isObject()) p.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    if (out.isEmpty()) out.put("app", "");
    return out;
  }

  /** The app name: the input, else {@code app} in fly.toml, else a clear error. */
  public static String appName(Optional<String> input, Optional<FlyToml> toml) {
    return appName(input, toml, ACTION_NAMES);
  }

  /** @param named how the current surface names an option, for the message */
  public static String appName(Optional<String> input, Optional<FlyToml> toml, java.util.function.UnaryOperator<String> named) {
    if (input.isPresent()) return input.get().strip();
    return toml.flatMap(FlyToml::app).orElseThrow(() -> new UserError(toml.isPresent()
        ? toml.get().path() + " has no app name: set the " + named.apply("fly-app") + " or add app = \"NAME\" to it."
        : "No Fly app name: set the " + named.apply("fly-app") + ", or run where fly.toml is (or point the "
            + named.apply("config") + " at it)."));
  }
}
