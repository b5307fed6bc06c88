package dev.flyover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The process environment, passed explicitly so tests can run flyover in-process with the environment the
 * Actions runner would build, and so child processes inherit exactly this map.
 */
public final class Env {
  private final Map<String, String> vars;

  private Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public static Env of(Map<String, String> vars) {
    return new Env(vars);
  }

  /** The value, or empty when unset or blank: the runner passes left-out inputs as "", so "" means absent. */
  public Optional<String> get(String name) {
    String v = vars.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  /** Exactly what is set, blank included. */
  public String raw(String name) {
    return vars.get(name);
  }

  public Map<String, String> asMap() {
    return vars;
  }

  public Env with(String name, String value) {
    Map<String, String> copy = new HashMap<>(vars);
    if (value == null) copy.remove(name); else copy.put(name, value);
    return new Env(copy);
  }

  /** True inside a GitHub Actions job. */
  public boolean inActions() {
    return "true".equalsIgnoreCase(vars.getOrDefault("GITHUB_ACTIONS", ""));
  }

  /** Step debug logging (re-run with debug, or ACTIONS_STEP_DEBUG) or FLYOVER_DEBUG. */
  public boolean debug() {
    return "1".equals(vars.get("RUNNER_DEBUG")) || get("FLYOVER_DEBUG").map(v -> !v.equals("0")).orElse(false);
  }

  /** The directory relative paths are resolved against: the workspace in Actions, else the current directory. */
  public Path workDir() {
    return get("GITHUB_WORKSPACE").map(Path::of).filter(Files::isDirectory)
        .orElse(Path.of(vars.getOrDefault("PWD", System.getProperty("user.dir"))));
  }

  /** Finds an executable on this environment's PATH. */
  public Optional<Path> which(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : vars.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }
}
