package dev.flyover.pg;

import dev.flyover.UserError;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one worker pool of a transfer, and its one failure rule: every job runs on its own thread; the first
 * failure stops the run (through the {@link Stopper}, which cancels every session and child) and is what the
 * user reads, the others' "stopped" being consequences. Table copy, large objects, index builds, ANALYZE and the
 * comparison all run on it.
 */
final class WorkerPool {
  /** One worker's pair of sessions: source (read-only, on the snapshot) and target. */
  record Worker(int id, Connection source, Connection target) {}

  interface Job<T> {
    void run(T on) throws Exception;
  }

  private final Stopper stopper;

  WorkerPool(Stopper stopper) {
    this.stopper = stopper;
  }

  /** Runs the job once per item at the same time; returns when all ended, rethrowing the first failure. */
  <T> void runOnEach(List<T> on, String name, Job<T> job) throws InterruptedException {
    Running r = start(on, name, job);
    r.join();
  }

  /** A job that makes the {@code i}-th of several results. */
  interface Indexed<T> {
    T make(int i) throws Exception;
  }

  /**
   * Makes {@code count} results at the same time (e.g. sessions, whose opening is round trips, not work) and returns
   * them in index order; the failure rule of {@link #runOnEach} applies.
   */
  <T> List<T> collect(int count, String name, Indexed<T> job) throws InterruptedException {
    Object[] made = new Object[count];
    runOnEach(java.util.stream.IntStream.range(0, count).boxed().toList(), name, i -> made[i] = job.make(i));
    @SuppressWarnings("unchecked")
    List<T> out = (List<T>) List.of(made);
    return out;
  }

  /** Starts the job once per item; {@link Running#join} waits and applies the failure rule. */
  <T> Running start(List<T> on, String name, Job<T> job) {
    Running r = new Running();
    for (int i = 0; i < on.size(); i++) {
      T item = on.get(i);
      Thread th = new Thread(() -> {
        try {
          job.run(item);
        } catch (Throwable e) {
          r.failures.add(e);
          if (!(e instanceof Stopper.Stopped)) stopper.stop(describe(e));
        }
      }, "flyover-" + name + "-" + i);
      th.setDaemon(true);
      r.threads.add(th);
      th.start();
    }
    return r;
  }

  /** Threads started by {@link #start}. */
  final class Running {
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    void join() throws InterruptedException {
      for (Thread th : threads) th.join();
      if (!failures.isEmpty()) {
        Throwable first;
        synchronized (failures) {
          first = failures.stream().filter(f -> !(f instanceof Stopper.Stopped)).findFirst().orElse(failures.get(0));
        }
        if (first instanceof RuntimeException re) throw re;
        throw new DatabaseTransfer.TransferFailure(describe(first), first);
      }
      stopper.check();
    }
  }

  static String describe(Throwable e) {
    if (e instanceof DatabaseTransfer.TransferFailure || e instanceof UserError || e instanceof Stopper.Stopped) return e.getMessage();
    return e.getClass().getSimpleName() + ": " + DatabaseTransfer.firstLine(e);
  }
}
