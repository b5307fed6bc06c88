package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.fly.Machines;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code transfer-mode: remote}: the copy runs on a one-off Fly Machine, next to the database, and the runner
 * only orchestrates. A short-lived helper app is created in the production app's organization; the two URLs (and
 * a random exit token) become that helper's staged secrets, handed to the machine as files
 * ({@code --file-secret}); {@code fly machine run --rm} starts flyover's own image there with
 * {@code database} in parallel mode, reading the URLs from those files ({@code *_URL_FILE}). Its output comes
 * back through {@code fly logs} as untrusted child output; its exit status through the token-tagged line flyover
 * prints last ({@link #EXIT_LINE}), else the machine's exit event. The helper app, with its machine and secrets,
 * is destroyed on every way out, SIGTERM included (it is registered with the {@link Stopper}).
 *
 * <p>Nothing here touches the production app beyond reading its organization and region: no secret is set on
 * it, no machine of it restarts. No URL, password or token is ever on a command line.
 */
final class RemoteTransfer {
  static final String SOURCE_SECRET = "FLYOVER_SOURCE_URL";
  static final String TARGET_SECRET = "FLYOVER_TARGET_URL";
  static final String TOKEN_SECRET = "FLYOVER_EXIT_TOKEN";
  static final String DIR = "/run/flyover/";
  /** What flyover prints last when {@code FLYOVER_EXIT_TOKEN_FILE} is set (see cli.Main). */
  static final Pattern EXIT_LINE = Pattern.compile("^flyover-exit (\\S+) (-?\\d+)$");
  static final String HELPER_PREFIX = "flyover-transfer-";
  /** How often the machine's state is read while no exit line has come. */
  static Duration poll = Duration.ofSeconds(10);
  static Duration timeout = Duration.ofHours(24);

  private final Env env;
  private final Console console;
  private final Stopper stopper;
  private final RemoteOptions options;
  private final Object lock = new Object();
  private Integer exitFromLine;
  private volatile String lastError;
  private volatile String token;
  private final java.util.Set<String> seen = new java.util.HashSet<>();
  private volatile Machines.LogTail tail;
  private int restarts;

  RemoteTransfer(Env env, Console console, Stopper stopper, RemoteOptions options) {
    this.env = env;
    this.console = console;
    this.stopper = stopper;
    this.options = options;
  }

  /** The helper app: destroyed once, by whoever gets there first (the run's own finally or the SIGTERM hook). */
  static final class Helper implements AutoCloseable {
    final Machines fly;
    final String name;
    private final Console console;
    /** Created, or being created when a SIGTERM came (the random name is ours: destroy it rather than leak it). */
    private boolean created;
    private boolean destroyed;

    Helper(Machines fly, String name, Console console) {
      this.fly = fly;
      this.name = name;
      this.console = console;
    }

    synchronized void creating() {
      created = true;
    }

    /** flyctl said no: nothing was made, and an app of that name (if any) is not ours. */
    synchronized void notCreated() {
      created = false;
    }

    @Override
    public synchronized void close() {
      if (!created || destroyed) return;
      // Not marked destroyed on failure: the next close (the run's own finally after the SIGTERM hook) tries again.
      destroyed = fly.destroyApp(name);
      if (destroyed) {
        console.info("destroyed the helper app " + name + " (its machine and secrets with it)");
      } else {
        console.error("Could not destroy the helper app " + name + ", which holds both database URLs as secrets:"
            + " run flyctl apps destroy " + name + " --yes now.");
      }
    }
  }

  TransferResult run(TransferRequest req, long started) {
    String app = req.flyApp().orElseThrow(() -> new UserError(
        "transfer-mode remote starts its machine in the Fly app's organization: set the " + console.named("fly-app")
        + " (or app in fly.toml)."));
    Machines fly = new Machines(env, console, req.flyToken());
    // Next to the database: its own app's organization, network and region when the target is a Fly-private
    // host, else the production app's.
    Machines.AppPlace place = databasePlace(fly, req.target()).orElseGet(() -> fly.place(app));
    Optional<String> region = place.region();
    SecureRandom random = new SecureRandom();
    token = randomHex(random, 16);
    console.mask(token);
    Helper helper = new Helper(fly, HELPER_PREFIX + randomHex(random, 6), console);
    stopper.track(helper);
    // A SIGTERM wakes the wait below at once instead of at the next poll.
    stopper.track(() -> {
      synchronized (lock) {
        lock.notifyAll();
      }
    });
    try {
      console.info("remote transfer: creating the helper app " + helper.name + " in organization " + place.org()
          + place.network().map(n -> ", network " + n).orElse("") + region.map(r -> ", region " + r).orElse("")
          + " (next to " + place.app() + ")");
      helper.creating();
      try {
        fly.createApp(helper.name, place);
      } catch (UserError e) {
        helper.notCreated();
        throw e;
      }
      stopper.check();
      Map<String, String> secrets = new LinkedHashMap<>();
      secrets.put(SOURCE_SECRET, req.source().withDefaultSslMode("require").uri());
      secrets.put(TARGET_SECRET, onFlyNetwork(req.target()).uri());
      secrets.put(TOKEN_SECRET, token);
      for (String v : secrets.values()) console.mask(v);
      fly.stageFileSecrets(helper.name, secrets);
      stopper.check();
      Machines.LogTail logs = fly.tailLogs(helper.name, this::onEntry);
      stopper.track(logs.process());
      tail = logs;
      Machines.MachineSpec spec = new Machines.MachineSpec(options.image(), region, options.vmSize(),
          Machines.orderedMap(DIR + "heroku-database-url", SOURCE_SECRET, DIR + "database-url", TARGET_SECRET,
              DIR + "exit-token", TOKEN_SECRET),
          Machines.orderedMap("HEROKU_DATABASE_URL_FILE", DIR + "heroku-database-url",
              "FLY_DATABASE_URL_FILE", DIR + "database-url", "FLYOVER_EXIT_TOKEN_FILE", DIR + "exit-token",
              DatabaseTransfer.ON_FLY_NETWORK, "true"),
          innerCommand(req));
      long t0 = System.nanoTime();
      console.info("remote transfer: starting " + options.image() + " (" + options.vmSize() + ") in " + helper.name);
      Machines.Launch launch = fly.run(helper.name, spec);
      if (launch.machineId().isEmpty()) {
        stopper.check();
        throw new UserError("flyctl machine run did not start the transfer machine ("
            + lastLine(launch.result().stderr(), launch.result().stdout()) + "): check the " + console.named("transfer-vm-size") + ", the region"
            + " and that the image " + options.image() + " can be pulled.");
      }
      String id = launch.machineId().get();
      int code;
      try {
        stopper.check();
        code = awaitExit(fly, helper.name, id, t0);
      } catch (Stopper.Stopped e) {
        // The machine was copying: the target is no longer as it was.
        throw new DatabaseTransfer.TransferFailure(e.getMessage(), e);
      }
      Duration copy = Duration.ofNanos(System.nanoTime() - t0);
      if (code != 0 && lastError == null) {
        // The exit line is on the machine's stdout and its error on stderr, shipped as two streams, so the error may
        // come after the exit line (seen in the flyctl double, which pumps them as Fly does, one entry per line):
        // what the log holds is read once more before the failure is told.
        for (Machines.LogLine l : fly.bufferedLogs(helper.name, id)) onEntry(l);
      }
      if (code != 0) {
        throw new DatabaseTransfer.TransferFailure("the transfer on the Fly Machine " + id + " exited with status "
            + code + (lastError == null ? "" : " (" + lastError + ")"), null);
      }
      console.info(String.format(java.util.Locale.ROOT, "remote transfer finished on machine %s in %.1fs", id,
          copy.toMillis() / 1000.0));
      return new TransferResult("?", "?", 0, TransferRequest.Mode.REMOTE, req.jobs(), req.verify(), List.of(), 0, 0,
          List.of(), 0, copy, Duration.ZERO, Duration.ofNanos(System.nanoTime() - started), true);
    } finally {
      Machines.LogTail last = tail;
      if (last != null) {
        last.close();
        stopper.untrack(last.process());
      }
      helper.close();
    }
  }

  private static String randomHex(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** {@code database} in local parallel mode; the URLs come from the secret files, so only flags are here. */
  List<String> innerCommand(TransferRequest req) {
    List<String> c = new ArrayList<>(List.of("database", "--transfer-mode", "parallel", "--verify", req.verify().label()));
    options.jobs().ifPresent(j -> c.addAll(List.of("--jobs", Integer.toString(j))));
    // Only reached after the runner's own preflight passed (DatabaseTransfer): the machine may then clear the target.
    if (req.overwrite()) c.add("--overwrite");
    return c;
  }

  /**
   * The target as the machine reaches it: as named, except that a Managed Postgres pooled host
   * ({@code pgbouncer.<cluster>.flympg.net}) becomes its direct one ({@code direct.<cluster>.flympg.net},
   * fly.io/docs/mpg/client-configuration/), so COPY and session settings never go through PgBouncer (the runner's
   * {@code fly mpg proxy} tunnels to the direct address for the same reason).
   */
  static PgUrl onFlyNetwork(PgUrl target) {
    String h = target.host().toLowerCase(java.util.Locale.ROOT);
    if (target.isManagedPostgres() && h.startsWith("pgbouncer.")) {
      return target.via("direct." + target.host().substring("pgbouncer.".length()), target.port());
    }
    return target;
  }

  /** The database's own Fly app ({@code <app>.flycast}, {@code ….<app>.internal}), when the token may read it. */
  private Optional<Machines.AppPlace> databasePlace(Machines fly, PgUrl target) {
    if (!target.isFlyPrivate()) return Optional.empty();
    String[] labels = target.host().toLowerCase(java.util.Locale.ROOT).split("\\.");
    if (labels.length < 2) return Optional.empty();
    String dbApp = labels[labels.length - 2];
    try {
      return Optional.of(fly.place(dbApp));
    } catch (UserError e) {
      console.debug("the database app " + dbApp + " could not be read: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A log line, once: a restarted {@code fly logs} shows the buffer again, so lines already seen (same time, same
   * text) are skipped. Bounded: a transfer logs a line every few seconds.
   */
  private void onEntry(Machines.LogLine l) {
    synchronized (seen) {
      if (!seen.add(l.timestamp() + "\u0000" + l.message())) return;
      if (seen.size() > 200_000) seen.clear();
    }
    onLine(l.message());
  }

  /** Restarts {@code fly logs} if it ended while the machine still runs (a dropped stream must not hide progress). */
  private void keepTailing(Machines fly, String app) {
    Machines.LogTail t = tail;
    if (t == null || t.alive() || restarts >= 20) return;
    restarts++;
    stopper.untrack(t.process());
    console.debug("flyctl logs ended; starting it again");
    Machines.LogTail again = fly.tailLogs(app, this::onEntry);
    stopper.track(again.process());
    tail = again;
  }

  /** Every line of the machine's output: the exit line is kept, everything else shown as untrusted child output. */
  private void onLine(String line) {
    Matcher m = EXIT_LINE.matcher(line);
    if (m.matches()) {
      synchronized (lock) {
        if (exitFromLine == null && tokenMatches(m.group(1))) {
          exitFromLine = Integer.parseInt(m.group(2));
          lock.notifyAll();
          return;
        }
      }
    }
    if (line.startsWith("error: ")) lastError = line.substring("error: ".length());
    console.child(line);
  }

  private boolean tokenMatches(String candidate) {
    String t = token;
    return t != null && java.security.MessageDigest.isEqual(t.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        candidate.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * Waits for the exit line; meanwhile reads the machine's state, and once it has stopped without one, looks in
   * the log buffer, then at the exit event. Never guesses: no status read back is a failure.
   */
  private int awaitExit(Machines fly, String app, String id, long t0) {
    long deadline = t0 + timeout.toNanos();
    int statusFailures = 0;
    while (true) {
      synchronized (lock) {
        if (exitFromLine != null) return exitFromLine;
      }
      stopper.check();
      if (System.nanoTime() > deadline) {
        throw new DatabaseTransfer.TransferFailure("the transfer machine " + id + " was still running after "
            + timeout.toHours() + " hours", null);
      }
      Optional<Machines.MachineState> s = fly.status(app, id);
      boolean finished;
      Optional<Integer> eventCode = Optional.empty();
      if (s.isPresent()) {
        statusFailures = 0;
        finished = s.get().finished();
        eventCode = s.get().exitCode();
      } else {
        // With --rm the machine is removed once it exits; three reads in a row that find nothing mean it is gone.
        finished = ++statusFailures >= 3;
      }
      if (!finished) keepTailing(fly, app);
      if (finished) {
        synchronized (lock) {
          if (exitFromLine != null) return exitFromLine;
        }
        // What the stream may have missed (lines already shown are skipped), the exit line included.
        for (Machines.LogLine l : fly.bufferedLogs(app, id)) onEntry(l);
        synchronized (lock) {
          if (exitFromLine != null) return exitFromLine;
        }
        if (eventCode.isPresent()) return eventCode.get();
        throw new DatabaseTransfer.TransferFailure("the transfer machine " + id
            + " stopped but its exit status could not be read back (no exit line in its log, no exit event)", null);
      }
      synchronized (lock) {
        if (exitFromLine != null) return exitFromLine;
        try {
          lock.wait(poll.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Stopper.Stopped("flyover was cancelled");
        }
      }
    }
  }

  private static String lastLine(List<String> a, List<String> b) {
    for (List<String> lines : List.of(a, b)) {
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).strip();
        if (l.startsWith("Error: ")) return l.substring(7);
      }
    }
    for (List<String> lines : List.of(a, b)) {
      for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).strip();
    }
    return "no output";
  }
}
