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

  public record Result(int exitCode, String stdout, String stderr) {
    /**
     * A terminal run reads as text: no HTML, no Markdown tables, fences or alerts (the job summary's syntax), and
     * the error, if any, said once. Returns this, for chaining.
     */
    public Result assertReadsAsText() {
      String all = stdout + stderr;
      for (String syntax : java.util.List.of("<details", "</summary>", "<br>", "| --- |", "|---|", "```", "> [!", "&lt;",
          "&gt;", "&amp;")) {
        if (all.contains(syntax)) throw new AssertionError("terminal output holds '" + syntax + "':\n" + all);
      }
      // strong emphasis ("***" is a mask, not Markdown)
      if (java.util.regex.Pattern.compile("\\*\\*[A-Za-z]").matcher(all).find()) {
        throw new AssertionError("terminal output holds Markdown emphasis:\n" + all);
      }
      java.util.List<String> errors = all.lines().filter(l -> l.startsWith("error: ")).toList();
      for (String e : errors) {
        String msg = e.substring("error: ".length());
        int n = 0;
        for (int i = all.indexOf(msg); i >= 0; i = all.indexOf(msg, i + 1)) n++;
        if (n != 1) throw new AssertionError("the error is said " + n + " times:\n" + all);
      }
      return this;
    }
  }
}
