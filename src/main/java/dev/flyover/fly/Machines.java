package dev.flyover.fly;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.proc.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every flyctl call of the remote transfer, in one place so the typed Fly client can take them over: a helper
 * app, its staged secrets, a one-off Machine ({@code fly machine run --rm}), its logs and state, and the helper's
 * destruction. Read against superfly/flyctl at ad0172f (v0.4.87+, 2026-08-21) and fly-go v0.9.6:
 * <ul>
 *   <li>{@code apps create NAME --org ORG} ({@code internal/command/apps/create.go}): prints {@code New app created:
 *       NAME}; a deploy token cannot create apps.</li>
 *   <li>{@code apps destroy NAME --yes} ({@code apps/destroy.go}): without {@code --yes} it refuses when not
 *       interactive; destroying the app destroys its machines and secrets.</li>
 *   <li>{@code secrets import --stage} ({@code secrets/import.go}, {@code secrets/secrets.go}): values on stdin as
 *       NAME=VALUE lines, stored first ({@code appsecrets.Update}); {@code --stage} never deploys, and an app with
 *       no machines has nothing to restart anyway.</li>
 *   <li>{@code machine run IMAGE [CMD…]} ({@code internal/command/machine/run.go}): {@code --rm} sets
 *       {@code AutoDestroy} and, unless {@code --restart} says otherwise, restart policy {@code no};
 *       {@code --file-secret /guest/path=SECRET} writes the app secret, whose content must be base64, into a file
 *       ({@code internal/command/command_run.go} {@code FilesFromCommand}); {@code --vm-size} is one of fly-go's
 *       {@code MachinePresets} ({@code machine_types.go}); {@code --region}; {@code --env NAME=VALUE}; the words
 *       after the image become the machine's {@code init.cmd} (the image's ENTRYPOINT stays). It returns once the
 *       machine has started, after printing {@code  Machine ID: ID} on stdout: it neither streams the machine's
 *       output nor waits for it to exit.</li>
 *   <li>{@code machine status ID} ({@code machine/status.go}): {@code State: S}, and an Event Logs table whose exit
 *       events read {@code exit_code=N,oom_killed=…,requested_stop=…}.</li>
 *   <li>{@code logs --json} ({@code internal/command/logs/logs.go}, {@code internal/render/render.go},
 *       {@code logs/entry.go}): one indented JSON object per entry with {@code message}, {@code instance};
 *       streams until killed unless {@code --no-tail}.</li>
 * </ul>
 */
public final class Machines {
  /** fly-go {@code MachinePresets} (machine_types.go, v0.9.6), GPU sizes left out: flyctl refuses them now. */
  public static final List<String> VM_SIZES = List.of("shared-cpu-1x", "shared-cpu-2x", "shared-cpu-4x",
      "shared-cpu-6x", "shared-cpu-8x", "performance-1x", "performance-2x", "performance-4x", "performance-6x",
      "performance-8x", "performance-10x", "performance-12x", "performance-14x", "performance-16x");
  private static final Pattern MACHINE_ID = Pattern.compile("^\\s*Machine ID:\\s*([0-9a-z]+)\\s*$");
  private static final Pattern STATE = Pattern.compile("^State:\\s*(\\S+)\\s*$");
  private static final Pattern EXIT_CODE = Pattern.compile("exit_code=(-?\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Console console;
  private final Flyctl flyctl;

  public Machines(Env env, Console console, Optional<String> token) {
    this.console = console;
    this.flyctl = new Flyctl(env, console, token);
  }

  /**
   * Where an app lives: its organization, a region of one of its machines (empty when it has none) and its custom
   * private network (empty: the organization's default one).
   */
  public record AppPlace(String app, String org, Optional<String> region, Optional<String> network) {}

  /** Slugs, regions and network names as flyctl prints them; anything else is not passed on to a command line. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private static Optional<String> name(String s) {
    return s != null && NAME.matcher(s).matches() ? Optional.of(s) : Optional.empty();
  }

  /** From {@link Flyctl#status}: the organization, a machine's region and the network. */
  public AppPlace place(String app) {
    AppStatus s = flyctl.status(app);
    Optional<String> org = name(s.orgSlug());
    if (org.isEmpty()) throw new UserError("flyctl status --json for " + app + " named no organization: check FLYCTL points at flyctl.");
    Optional<String> region = Optional.empty();
    for (Machine m : s.machines()) {
      region = name(m.region());
      if (region.isPresent()) break;
    }
    return new AppPlace(app, org.get(), region, s.network().flatMap(Machines::name));
  }

  /** Creates an empty app next to {@code place}; a token that may not do it is told what it takes. */
  public void createApp(String name, AppPlace place) {
    try {
      flyctl.createApp(name, Optional.of(place.org()), place.network());
    } catch (FlyctlException.Unauthorized e) {
      throw new UserError("Could not create the helper app " + name + " in the Fly organization " + place.org() + " ("
          + e.flyError().orElse(e.getMessage()) + "): transfer-mode remote needs a fly-api-token that may create apps"
          + " there (an org token: fly tokens create org).");
    }
  }

  /** Stages secrets on an app with no machines: values base64-encoded (what --file-secret wants), on stdin. */
  public void stageFileSecrets(String app, Map<String, String> values) {
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String b64 = Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8));
      console.mask(b64);
      // Base64 has no '#', quote or newline, so flyctl's import parser takes it verbatim.
      lines.append(e.getKey()).append('=').append(b64).append('\n');
    }
    flyctl.setSecrets(app, "import", true, List.of(), lines.toString().getBytes(StandardCharsets.UTF_8),
        "flyctl secrets import --stage (" + values.size() + " secrets of " + app + ")", java.time.Duration.ofMinutes(5));
  }

  /** A one-off machine: what it runs and how it is sized; files map guest paths to secret names. */
  public record MachineSpec(String image, Optional<String> region, String vmSize, Map<String, String> fileSecrets,
      Map<String, String> env, List<String> command) {}

  /** The launch: the machine id (read even when flyctl fails after the launch, so it is never lost), or why not. */
  public record Launch(Optional<String> machineId, Subprocess.Result result) {}

  public Launch run(String app, MachineSpec spec) {
    List<String> a = new ArrayList<>(List.of("machine", "run", "--app", app, "--rm", "--detach", "--vm-size", spec.vmSize()));
    spec.region().ifPresent(r -> a.add("--region=" + r));
    for (Map.Entry<String, String> f : spec.fileSecrets().entrySet()) a.addAll(List.of("--file-secret", f.getKey() + "=" + f.getValue()));
    for (Map.Entry<String, String> e : spec.env().entrySet()) a.addAll(List.of("--env", e.getKey() + "=" + e.getValue()));
    // Flags end here: the image and the machine's command are positional whatever they look like.
    a.add("--");
    a.add(spec.image());
    a.addAll(spec.command());
    Subprocess.Result r = flyctl.call(a).stream("flyctl machine run (one-off transfer machine in " + app + ")").noCheck().run();
    Optional<String> id = Optional.empty();
    for (String line : r.stdout()) {
      Matcher m = MACHINE_ID.matcher(line);
      if (m.matches()) id = Optional.of(m.group(1));
    }
    return new Launch(id, r);
  }

  /** A machine's state and, once it exited, its exit code; empty when flyctl could not read it. */
  public record MachineState(String state, Optional<Integer> exitCode) {
    /** Not running any more (stopped, or removed by --rm). */
    public boolean finished() {
      return switch (state) {
        case "stopped", "destroying", "destroyed", "failed" -> true;
        default -> false;
      };
    }
  }

  public Optional<MachineState> status(String app, String machineId) {
    Subprocess.Result r = flyctl.call("machine", "status", "--app", app, "--", machineId).quiet().noCheck().run();
    if (!r.ok()) return Optional.empty();
    String state = null;
    Integer exit = null;
    for (String line : r.stdout()) {
      Matcher s = STATE.matcher(line);
      if (state == null && s.matches()) state = s.group(1);
      Matcher e = EXIT_CODE.matcher(line);
      if (e.find()) exit = Integer.parseInt(e.group(1));
    }
    return state == null ? Optional.empty() : Optional.of(new MachineState(state, Optional.ofNullable(exit)));
  }

  /** One line of a machine's output as {@code fly logs --json} gives it (logs/entry.go). */
  public record LogLine(String timestamp, String message) {}

  /** {@code fly logs --json}: every entry's lines to {@code onMessage}; stopped by {@link LogTail#close()}. */
  public LogTail tailLogs(String app, Consumer<LogLine> onMessage) {
    Subprocess sp = Subprocess.of(List.of(flyctl.executable().toString(), "logs", "--app", app, "--json"));
    flyctl.childEnv().forEach(sp::env);
    Process p;
    try {
      p = sp.start();
    } catch (IOException e) {
      throw new UserError("Could not start flyctl logs (" + e.getMessage() + "): check FLYCTL or the flyctl installation.");
    }
    Thread out = new Thread(() -> readEntries(p.getInputStream(), onMessage), "flyctl-logs");
    out.setDaemon(true);
    out.start();
    Subprocess.drain(p.getErrorStream(), new ArrayList<>(), l -> console.debug("flyctl logs: " + l), "flyctl-logs-stderr");
    return new LogTail(p, out);
  }

  /** {@code fly logs --no-tail --json}: what the log buffer holds now, for a marker the stream may have missed. */
  public List<LogLine> bufferedLogs(String app, String machineId) {
    Subprocess.Result r = flyctl.call("logs", "--app", app, "--machine", machineId, "--no-tail", "--json").quiet().noCheck().run();
    List<LogLine> lines = new ArrayList<>();
    if (!r.ok()) return lines;
    readEntries(new java.io.ByteArrayInputStream(r.stdoutText().getBytes(StandardCharsets.UTF_8)), lines::add);
    return lines;
  }

  private void readEntries(InputStream in, Consumer<LogLine> onMessage) {
    try (JsonParser parser = JSON.getFactory().createParser(in);
        MappingIterator<JsonNode> it = JSON.readValues(parser, JsonNode.class)) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        String msg = n.path("message").asText("");
        String ts = n.path("timestamp").asText("");
        // One entry is one line of the machine's output; a message with line breaks is still shown line by line.
        for (String line : msg.split("\\R", -1)) {
          if (!line.isEmpty()) onMessage.accept(new LogLine(ts, line));
        }
      }
    } catch (IOException | RuntimeException e) {
      console.debug("flyctl logs: stopped reading (" + e.getMessage() + ")");
    }
  }

  /** Destroys an app and everything in it; a failure is reported, never thrown (this runs on every way out). */
  public boolean destroyApp(String app) {
    Subprocess.Result r = flyctl.call("apps", "destroy", "--yes", "--", app).quiet().noCheck().run();
    return r.ok();
  }

  /** A running {@code fly logs}. */
  public static final class LogTail implements AutoCloseable {
    private final Process process;
    private final Thread reader;

    LogTail(Process process, Thread reader) {
      this.process = process;
      this.reader = reader;
    }

    public Process process() {
      return process;
    }

    public boolean alive() {
      return process.isAlive();
    }

    @Override
    public void close() {
      Subprocess.killTree(process);
      try {
        reader.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The secret names and env of a spec, for tests and messages (never values). */
  public static Map<String, String> orderedMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }
}
