package dev.flyover.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.proc.Subprocess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs flyctl. The executable comes from {@code FLYCTL} or {@code flyctl} on PATH; the token travels as
 * {@code FLY_API_TOKEN} in the child's environment (never argv, and {@code FLY_ACCESS_TOKEN}, which would win
 * over it, is removed). flyctl prints progress on stderr and results on stdout; both are echoed live (redacted)
 * unless the call is a quiet query, and kept for parsing.
 */
public final class Flyctl {
  /** Built on first use, not when a command merely holds a Flyctl (a dry run never parses flyctl's JSON). */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Env env;
  private final Console console;
  private final Optional<String> token;
  private Path executable;

  public Flyctl(Env env, Console console, Optional<String> token) {
    this.env = env;
    this.console = console;
    this.token = token;
    token.ifPresent(console::mask);
  }

  /** Resolves the executable once; a clear error when it is missing. */
  public Path executable() {
    if (executable != null) return executable;
    Optional<String> configured = env.get("FLYCTL");
    if (configured.isPresent()) {
      executable = env.which(configured.get()).orElseThrow(() -> new UserError(
          "FLYCTL is set to " + configured.get() + ", which is not an executable file: fix FLYCTL or unset it to use flyctl from PATH."));
    } else {
      executable = env.which("flyctl").or(() -> env.which("fly")).orElseThrow(() -> new UserError(
          "flyctl was not found on PATH: install it (https://fly.io/docs/flyctl/install/) or set FLYCTL to its path."));
    }
    return executable;
  }

  /** A call to build and run: {@code flyctl.call("deploy", "--remote-only").stream("Deploying").run()}. */
  public Call call(String... args) {
    return new Call(List.of(args));
  }

  public Call call(List<String> args) {
    return new Call(args);
  }

  /** Runs a {@code --json} query quietly and parses stdout; a failure becomes a {@link FlyctlException}. */
  public JsonNode json(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    // Before a "--" (flyctl's pflag reads everything after it as positional arguments: flyctl ad0172fa
    // internal/flag/context.go Args), else at the end.
    int end = a.indexOf("--");
    a.add(end < 0 ? a.size() : end, "--json");
    Subprocess.Result r = new Call(a).quiet().run();
    try {
      return Json.MAPPER.readTree(r.stdoutText());
    } catch (IOException e) {
      throw new UserError("flyctl " + String.join(" ", args) + " --json printed something that is not JSON;"
          + " check that FLYCTL points at flyctl (got: " + abbreviate(r.stdoutText()) + ").");
    }
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ').strip();
    return one.length() > 120 ? one.substring(0, 120) + "…" : one;
  }

  /** One invocation. */
  public final class Call {
    private final List<String> args;
    private byte[] stdin;
    private Duration timeout = Duration.ofMinutes(30);
    private String group;
    private boolean quiet;
    private boolean check = true;
    private final List<String[]> extraEnv = new ArrayList<>();

    private Call(List<String> args) {
      this.args = List.copyOf(args);
    }

    /** Data for flyctl's stdin (secret values travel this way, never as arguments). */
    public Call stdin(byte[] bytes) {
      this.stdin = bytes;
      return this;
    }

    public Call timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    /** Echo the output inside a collapsible group with this title. */
    public Call stream(String groupTitle) {
      this.group = groupTitle;
      return this;
    }

    /** Do not echo stdout (JSON queries); stderr is still shown in debug. */
    public Call quiet() {
      this.quiet = true;
      return this;
    }

    /** Return the result whatever the exit code, for callers that read failures themselves. */
    public Call noCheck() {
      this.check = false;
      return this;
    }

    public Call env(String name, String value) {
      extraEnv.add(new String[] {name, value});
      return this;
    }

    public Subprocess.Result run() {
      List<String> command = new ArrayList<>();
      command.add(executable().toString());
      command.addAll(args);
      Subprocess sp = Subprocess.of(command).inherit(env).directory(env.workDir()).timeout(timeout)
          .env("FLY_ACCESS_TOKEN", null);
      token.ifPresent(t -> sp.env("FLY_API_TOKEN", t));
      for (String[] kv : extraEnv) sp.env(kv[0], kv[1]);
      if (stdin != null) sp.stdin(stdin);
      if (quiet) {
        sp.onStdout(l -> {}).onStderr(l -> console.debug("flyctl: " + l));
      } else {
        sp.onStdout(console::child).onStderr(console::child);
      }
      String shown = "flyctl " + String.join(" ", args);
      console.debug("running " + shown);
      if (group != null) console.group(group);
      Subprocess.Result r;
      try {
        r = sp.run();
      } catch (IOException e) {
        throw new UserError("Could not start flyctl (" + executable() + "): " + e.getMessage()
            + "; check FLYCTL or the flyctl installation.");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError(shown + " was interrupted because flyover was cancelled.");
      } finally {
        if (group != null) console.endGroup();
      }
      if (check && !r.ok()) throw FlyctlException.from(args, r, timeout);
      return r;
    }
  }
}
