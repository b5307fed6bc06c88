package dev.flyover.testing;

import dev.flyover.Env;
import dev.flyover.actions.ActionManifest;
import dev.flyover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs {@code flyover action} the way the Actions runner runs the container: an environment built from
 * action.yml (every declared input as {@code INPUT_<NAME>}: the test's value, else the default, else ""),
 * the runner's variables, new empty file-command files, then the files parsed as the runner parses them.
 * Nothing from the host environment leaks in but PATH.
 */
public final class ActionHarness {
  private static final ActionManifest MANIFEST = loadManifest();

  private final Map<String, String> inputs = new LinkedHashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private java.time.Clock clock = java.time.Clock.systemUTC();
  private final Path root;
  private final Path workspace;

  public ActionHarness() {
    try {
      root = TempDirs.create("flyover-run");
      workspace = Files.createDirectories(root.resolve("workspace"));
      Files.createDirectories(root.resolve("file_commands"));
      Files.createDirectories(root.resolve("home"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ActionManifest loadManifest() {
    try {
      return ActionManifest.parse(Files.readAllBytes(Path.of("action.yml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ActionManifest manifest() {
    return MANIFEST;
  }

  public Path workspace() {
    return workspace;
  }

  /** The clock flyover reads (step times, downtime); the system's by default. */
  public ActionHarness clock(java.time.Clock c) {
    clock = c;
    return this;
  }

  public ActionHarness input(String name, String value) {
    if (MANIFEST.input(name).isEmpty()) throw new IllegalArgumentException("action.yml declares no input " + name);
    inputs.put(name, value);
    return this;
  }

  public ActionHarness env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public ActionHarness env(Map<String, String> vars) {
    env.putAll(vars);
    return this;
  }

  /** Writes a file into the workspace (fly.toml, a Dockerfile, an exported config file). */
  public ActionHarness file(String relative, String content) {
    try {
      Path p = workspace.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public Map<String, String> buildEnv(Path output, Path summary) {
    Map<String, String> e = new HashMap<>();
    e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    e.put("HOME", root.resolve("home").toString());
    e.put("GITHUB_ACTIONS", "true");
    e.put("CI", "true");
    e.put("GITHUB_WORKSPACE", workspace.toString());
    e.put("GITHUB_OUTPUT", output.toString());
    e.put("GITHUB_STEP_SUMMARY", summary.toString());
    e.put("GITHUB_REPOSITORY", "acme/shop");
    e.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    e.put("GITHUB_REF", "refs/heads/main");
    e.put("GITHUB_RUN_ID", "4242");
    e.put("GITHUB_SERVER_URL", "https://github.com");
    e.put("GITHUB_EVENT_NAME", "push");
    e.put("RUNNER_TEMP", root.toString());
    for (ActionManifest.Input in : MANIFEST.inputs()) {
      String v = inputs.containsKey(in.name()) ? inputs.get(in.name()) : in.defaultValue().orElse("");
      if (v.contains("${{")) v = ""; // expressions such as ${{ github.token }}: the test sets what it needs
      e.put(in.envName(), v);
    }
    e.putAll(env);
    return e;
  }

  public Result run() {
    try {
      String id = UUID.randomUUID().toString();
      Path output = Files.createFile(root.resolve("file_commands/set_output_" + id));
      Path summary = Files.createFile(root.resolve("file_commands/step_summary_" + id));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Map<String, String> environment = buildEnv(output, summary);
      int code = Main.run(new dev.flyover.Context(Env.of(environment), out, err, clock), new String[] {"action"});
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
          Files.readString(output, StandardCharsets.UTF_8), Files.readString(summary, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the runner would see of one step. */
  public record Result(int exitCode, String stdout, String stderr, String outputFile, String summary) {
    /** Parsed as the runner does; a malformed file throws, as it fails the step there. */
    public Map<String, String> outputs() {
      return RunnerFiles.parseKeyValue(outputFile);
    }

    public WorkflowCommands commands() {
      return WorkflowCommands.parse(stdout, stderr);
    }

    /** Everything the step wrote anywhere, for leak scans. */
    public String everything() {
      return stdout + "\n" + stderr + "\n" + outputFile + "\n" + summary;
    }
  }
}
