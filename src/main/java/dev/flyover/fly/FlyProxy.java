package dev.flyover.fly;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.proc.Subprocess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code flyctl proxy 0:PORT HOST --watch-stdin}: reaches Fly's private {@code .flycast}/{@code .internal} hosts
 * from outside; {@code fly mpg proxy} does the same for a Managed Postgres cluster. Both run with flyctl's
 * allow-listed environment ({@link FlyEnv}). Ready when flyctl prints {@code Proxying localhost:N to remote [HOST]:PORT}; stopped by closing its
 * stdin (--watch-stdin makes it exit on EOF, so it also goes if flyover dies) and, failing that, killed.
 */
public final class FlyProxy implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("Proxying localhost:(\\d+) to remote");
  private static final long READY_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final int localPort;
  private final List<String> stderr;

  /** False for {@code fly mpg proxy}, which has no --watch-stdin: closing its stdin does not stop it. */
  private final boolean watchesStdin;

  private FlyProxy(Process process, int localPort, List<String> stderr, boolean watchesStdin) {
    this.process = process;
    this.watchesStdin = watchesStdin;
    this.localPort = localPort;
    this.stderr = stderr;
  }

  public static FlyProxy start(Env env, Console console, Optional<String> app, Optional<String> token, String host,
      int port) {
    return start(env, console, app, Optional.empty(), token, host, port);
  }

  /**
   * Reaches HOST:PORT: a Managed Postgres host ({@code *.flympg.net}) through {@link #startMpg}, a private
   * {@code .flycast}/{@code .internal} one through {@code flyctl proxy}, which needs the app or, without one, the
   * organization ({@code --org}): internal/command/proxy/proxy.go prompts for the org when neither is given, and a
   * prompt fails without a terminal.
   */
  public static FlyProxy start(Env env, Console console, Optional<String> app, Optional<String> org,
      Optional<String> token, String host, int port) {
    Optional<String> cluster = mpgCluster(host);
    if (cluster.isPresent()) return startMpg(env, console, token, cluster.get());
    if (app.isEmpty() && org.isEmpty()) {
      throw new UserError("The target database host " + host + " is on Fly's private network, which flyctl proxy reaches"
          + " through an app or an organization: set the " + console.named("fly-app")
          + " to an app in the database's organization.");
    }
    Flyctl flyctl = new Flyctl(env, console, token);
    List<String> argv = new ArrayList<>(List.of(flyctl.executable().toString(), "proxy", "--watch-stdin"));
    if (app.isPresent()) argv.addAll(List.of("--app", app.get()));
    else argv.addAll(List.of("--org", org.get()));
    argv.addAll(List.of("--", "0:" + port, host)); // a host from a URL is never read as a flag
    return launch(flyctl, console, argv, "flyctl proxy", host + ":" + port);
  }

  /**
   * {@code fly mpg proxy CLUSTER --local-port 0} (internal/command/mpg/proxy.go, v2/run_proxy.go): a tunnel to the
   * cluster's direct address, port 5432 (its {@code IpAssignments.Direct}, not PgBouncer), ready on the same
   * {@code Proxying localhost:N to remote …} line (proxy/connect.go; port 0 picks a free one). It has no
   * --watch-stdin, so {@link #close} kills it.
   */
  public static FlyProxy startMpg(Env env, Console console, Optional<String> token, String cluster) {
    Flyctl flyctl = new Flyctl(env, console, token);
    List<String> argv = List.of(flyctl.executable().toString(), "mpg", "proxy", "--local-port", "0", "--", cluster);
    return launch(flyctl, console, argv, "fly mpg proxy", "Managed Postgres cluster " + cluster);
  }

  /**
   * The cluster ID in a Managed Postgres host name: {@code pgbouncer.<cluster>.flympg.net} (pooled) or
   * {@code direct.<cluster>.flympg.net} (fly.io/docs/mpg/client-configuration/).
   */
  public static Optional<String> mpgCluster(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
    if (!h.endsWith(".flympg.net")) return Optional.empty();
    String[] labels = h.substring(0, h.length() - ".flympg.net".length()).split("\\.");
    return labels.length == 0 || labels[labels.length - 1].isEmpty() ? Optional.empty() : Optional.of(labels[labels.length - 1]);
  }

  private static FlyProxy launch(Flyctl flyctl, Console console, List<String> argv, String what, String target) {
    Subprocess sp = Subprocess.of(argv);
    flyctl.childEnv().forEach(sp::env);
    console.info("starting " + what + " to " + target);
    Process p;
    try {
      p = sp.start();
    } catch (IOException e) {
      throw new UserError("Could not start " + what + " (" + e.getMessage() + "): check FLYCTL or the flyctl installation.");
    }
    List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread out = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = READY.matcher(line);
          if (m.find()) ready.complete(Integer.parseInt(m.group(1)));
          console.debug("flyctl proxy: " + line);
        }
      } catch (IOException ignored) {
        // Killed.
      }
      ready.complete(-1);
    }, "flyctl-proxy-stdout");
    out.setDaemon(true);
    out.start();
    Thread errPump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          err.add(line);
          console.debug("flyctl proxy: " + line);
        }
      } catch (IOException ignored) {
        // Killed.
      }
    }, "flyctl-proxy-stderr");
    errPump.setDaemon(true);
    errPump.start();
    int port0;
    try {
      port0 = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      Subprocess.killTree(p);
      throw new UserError(what + " to " + target + " did not become ready within " + READY_TIMEOUT_SECONDS
          + "s: check the " + console.named("fly-api-token") + " and that the database exists.");
    } catch (InterruptedException e) {
      Subprocess.killTree(p);
      Thread.currentThread().interrupt();
      throw new UserError("flyover was cancelled while starting " + what + ".");
    } catch (ExecutionException e) {
      Subprocess.killTree(p);
      throw new UserError(what + " failed: " + e.getMessage());
    }
    if (port0 < 0) {
      Subprocess.killTree(p);
      try {
        errPump.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UserError(what + " to " + target + " exited before it was ready (" + errorLine(err)
          + "): check the " + console.named("fly-api-token") + ", the " + console.named("fly-app")
          + " and the " + console.named("database-url") + ".");
    }
    console.info(what + " ready: localhost:" + port0 + " -> " + target);
    return new FlyProxy(p, port0, err, argv.contains("--watch-stdin"));
  }

  private static String errorLine(List<String> err) {
    synchronized (err) {
      for (String l : err) if (l.startsWith("Error:")) return l.substring(6).strip();
      return err.isEmpty() ? "no output" : err.get(err.size() - 1);
    }
  }

  public int localPort() {
    return localPort;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** What flyctl said when it died, for messages. */
  public String lastError() {
    return errorLine(stderr);
  }

  /** Closes stdin (flyctl exits on EOF with --watch-stdin), then kills whatever is left. */
  @Override
  public void close() {
    if (!watchesStdin) {
      Subprocess.killTree(process);
      return;
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // Already gone.
    }
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) Subprocess.killTree(process);
    } catch (InterruptedException e) {
      Subprocess.killTree(process);
      Thread.currentThread().interrupt();
    }
  }
}
