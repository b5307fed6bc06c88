package dev.flyover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The flyctl double (src/test/doubles/flyctl) seen from a test: its state directory, the environment that
 * points flyover at it, and its state and call log to set up and inspect.
 */
public final class FlyctlDouble {
  public static final Path EXECUTABLE = Path.of("src/test/doubles/flyctl/flyctl").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public FlyctlDouble() {
    dir = TempDirs.create("flyctl-double");
  }

  public Path stateDir() {
    return dir;
  }

  /**
   * FLYCTL and FLY_DOUBLE_STATE, for the environment of the run under test (a FLY_ name, so flyctl's allow-listed
   * environment, fly/FlyEnv, passes it on).
   */
  public Map<String, String> env() {
    return Map.of("FLYCTL", EXECUTABLE.toString(), "FLY_DOUBLE_STATE", dir.toString());
  }

  /** Runs the double directly (to set up state through its own verbs); fails the test on a non-zero exit. */
  public String run(String token, String... args) {
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(EXECUTABLE.toString());
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("FLY_DOUBLE_STATE", dir.toString());
      pb.environment().remove("FLY_ACCESS_TOKEN");
      if (token != null) pb.environment().put("FLY_API_TOKEN", token); else pb.environment().remove("FLY_API_TOKEN");
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new AssertionError("flyctl double " + args[0] + " failed: " + out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  public ObjectNode state() {
    Path p = dir.resolve("state.json");
    try {
      return Files.exists(p) ? (ObjectNode) JSON.readTree(p.toFile()) : JSON.createObjectNode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes the state (read, edit, write back). */
  public FlyctlDouble edit(Consumer<ObjectNode> change) {
    ObjectNode s = state();
    change.accept(s);
    try {
      Files.writeString(dir.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Only these tokens are accepted; scope is "org" or "app" (an app-scoped deploy token for {@code app}). */
  public FlyctlDouble token(String token, String scope, String app) {
    return edit(s -> {
      ObjectNode t = s.with("tokens").putObject(token).put("scope", scope);
      if (app != null) t.put("app", app);
    });
  }

  /**
   * Makes a verb fail: {@code fault("deploy", Map.of("exit", 1, "stderr", "Error: ..."))} exits before the
   * verb runs; {@code Map.of("mode", "...")} is read by the verb itself. {@code times} limits how often.
   */
  public FlyctlDouble fault(String verb, Map<String, Object> fault) {
    return edit(s -> s.with("faults").set(verb, JSON.valueToTree(fault)));
  }

  /**
   * The double's simulated time as a clock: {@code base} plus the seconds its verbs have "spent" (a build adds
   * {@code build_seconds}, see deploy.py), so a slow build needs no sleep and no timing assertion.
   */
  public java.time.Clock clock(java.time.Instant base) {
    return new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return base.plusSeconds(state().path("clock").asLong(0));
      }
    };
  }

  public JsonNode app(String name) {
    return state().path("apps").path(name);
  }

  /** Every call flyover made, oldest first: {argv, cwd, token_source}. */
  public List<JsonNode> calls() {
    Path p = dir.resolve("calls.jsonl");
    List<JsonNode> out = new ArrayList<>();
    try {
      if (!Files.exists(p)) return out;
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) out.add(JSON.readTree(line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The calls whose argv starts with these words. */
  public List<JsonNode> calls(String... verb) {
    return calls().stream().filter(c -> {
      for (int i = 0; i < verb.length; i++) {
        if (c.path("argv").size() <= i || !c.path("argv").get(i).asText().equals(verb[i])) return false;
      }
      return true;
    }).toList();
  }
}
