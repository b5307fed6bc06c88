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
 * from outside. Ready when flyctl prints {@code Proxying localhost:N to remote [HOST]:PORT}; stopped by closing its
 * stdin (--watch-stdin makes it exit on EOF, so it also goes if flyover dies) and, failing that, killed.
 */
public final class FlyProxy implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("Proxying localhost:(\\d+) to remote");
  private static final long READY_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final int localPort;
  private final List<String> stderr;

  private FlyProxy(Process process, int localPort, List<String> stderr) {
    this.process = process;
    this.localPort = localPort;
    this.stderr = stderr;
  }

  public static FlyProxy start(Env env, Console console, Optional<String> app, Optional<String> token, String host,
      int port) {
    Flyctl flyctl = new Flyctl(env, console, token);
    List<String> argv = new ArrayList<>(List.of(flyctl.executable().toString(), "proxy", "--watch-stdin"));
    app.ifPresent(a -> argv.addAll(List.of("--app", a)));
    // After "--" (pflag ends flags there) a host from a URL cannot be read as a flag.
    argv.addAll(List.of("--", "0:" + port, host));
    Subprocess sp = Subprocess.of(argv).inherit(env).env("FLY_ACCESS_TOKEN", null);
    token.ifPresent(t -> sp.env("FLY_API_TOKEN", t));
    console.info("starting flyctl proxy to " + host + ":" + port);
    Process p;
    try {
      p = sp.start();
    } catch (IOException e) {
      throw new UserError("Could not start flyctl proxy (" + e.getMessage() + "): check FLYCTL or the flyctl installation.");
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
      throw new UserError("flyctl proxy to " + host + " did not become ready within " + READY_TIMEOUT_SECONDS
          + "s: check the fly-api-token and that the database app exists.");
    } catch (InterruptedException e) {
      Subprocess.killTree(p);
      Thread.currentThread().interrupt();
      throw new UserError("flyover was cancelled while starting flyctl proxy.");
    } catch (ExecutionException e) {
      Subprocess.killTree(p);
      throw new UserError("flyctl proxy failed: " + e.getMessage());
    }
    if (port0 < 0) {
      Subprocess.killTree(p);
      try {
        errPump.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UserError("flyctl proxy to " + host + " exited before it was ready (" + errorLine(err)
          + "): check the fly-api-token, fly-app and database-url inputs.");
    }
    console.info("flyctl proxy ready: localhost:" + port0 + " -> " + host + ":" + port);
    return new FlyProxy(p, port0, err);
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
