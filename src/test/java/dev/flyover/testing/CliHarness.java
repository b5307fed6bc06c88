package dev.flyover.testing;

import dev.flyover.Env;
import dev.flyover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs flyover as a terminal user would: no GITHUB_ACTIONS, arguments on the command line. */
public final class CliHarness {
  private final Map<String, String> env = new HashMap<>();

  public CliHarness() {
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", System.getProperty("java.io.tmpdir"));
  }

  public CliHarness env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public CliHarness env(Map<String, String> vars) {
    env.putAll(vars);
    return this;
  }

  public Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(Env.of(env), args, out, err);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public record Result(int exitCode, String stdout, String stderr) {}
}
