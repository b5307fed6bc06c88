package dev.flyover.pg;

import dev.flyover.proc.Subprocess;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * Everything a transfer has running (sessions, child processes), so one failure or a SIGTERM can stop all of it:
 * running queries are cancelled, connections closed, process trees killed. Nothing is left behind.
 */
final class Stopper {
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Process> processes = ConcurrentHashMap.newKeySet();
  private final Set<AutoCloseable> others = ConcurrentHashMap.newKeySet();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile String reason;
  private Thread hook;

  Connection track(Connection c) {
    if (reason != null) {
      closeQuietly(c);
      throw new Stopped(reason);
    }
    connections.add(c);
    return c;
  }

  void untrack(Connection c) {
    connections.remove(c);
    closeQuietly(c);
  }

  Process track(Process p) {
    processes.add(p);
    if (reason != null) {
      Subprocess.killTree(p);
      throw new Stopped(reason);
    }
    return p;
  }

  void untrack(Process p) {
    processes.remove(p);
  }

  void track(AutoCloseable c) {
    others.add(c);
  }

  /** Why the transfer was stopped, or null while it runs. */
  String reason() {
    return reason;
  }

  void check() {
    if (reason != null) throw new Stopped(reason);
  }

  /** Stops everything; the first reason wins. */
  void stop(String why) {
    synchronized (this) {
      if (reason == null) reason = why;
    }
    for (Connection c : connections) {
      try {
        c.unwrap(PGConnection.class).cancelQuery();
      } catch (Exception ignored) {
        // Already closed or broken: closing below is enough.
      }
    }
    for (Process p : processes) Subprocess.killTree(p);
    for (Connection c : connections) closeQuietly(c);
    for (AutoCloseable c : others) closeQuietly(c);
  }

  /** Releases everything at the end of a run, whatever happened. */
  void closeAll() {
    for (Process p : processes) Subprocess.killTree(p);
    processes.clear();
    for (Connection c : connections) closeQuietly(c);
    connections.clear();
    for (AutoCloseable c : others) closeQuietly(c);
    others.clear();
    done.countDown();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // The JVM is already shutting down: the hook is running and waits for us.
      }
    }
  }

  /** On SIGTERM (the runner cancelling the job) stop the workers and children and wait for the run to unwind. */
  void installShutdownHook(Runnable announce) {
    hook = new Thread(() -> {
      if (done.getCount() == 0) return;
      announce.run();
      stop("flyover was cancelled (SIGTERM)");
      try {
        done.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "flyover-database-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing after a failure: nothing more to do.
    }
  }

  /** Thrown in workers once the transfer has been stopped. */
  static final class Stopped extends RuntimeException {
    Stopped(String reason) {
      super(reason);
    }
  }
}
