package dev.flyover.pg;

import dev.flyover.actions.Console;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A transfer's progress, in every phase: each phase registers its units of work (how many, how many done, which
 * are running since when) and one ticker prints a line per open phase every few seconds while it runs ("indexes
 * 7/12, 1m52s: oban_jobs_args_index 1m40s"), so a long index build or comparison is never minutes of silence. A
 * phase that ends within one interval prints nothing here (its own closing line says what it did). Names are
 * outside text: they are printed through {@link Console#info}, which keeps them from becoming workflow commands.
 * Also the one place for how sizes, durations, throughput and counts read.
 */
final class Progress implements AutoCloseable {
  static final long INTERVAL_MILLIS = 5000;
  /** Running names shown per line; the rest are counted. */
  private static final int SHOWN = 3;

  private final Console console;
  private final LongSupplier clock;
  private final long intervalNanos;
  private final List<Phase> open = new CopyOnWriteArrayList<>();
  private volatile Thread ticker;
  /** Tests: a tick at every unit started instead of a ticker thread, so lines appear without waiting on time. */
  private boolean tickOnEachStart;

  /** {@code clock} in nanoseconds ({@link System#nanoTime} outside tests); lines are printed by {@link #tick}. */
  Progress(Console console, LongSupplier clock, long intervalMillis) {
    this.console = console;
    this.clock = clock;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** The run's progress, its ticker started: a daemon thread calling {@link #tick} every second until closed. */
  static Progress start(Console console) {
    Progress p = new Progress(console, System::nanoTime, INTERVAL_MILLIS);
    Thread t = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(1000);
          p.tick();
        }
      } catch (InterruptedException e) {
        // closed
      }
    }, "flyover-progress");
    t.setDaemon(true);
    p.ticker = t;
    t.start();
    return p;
  }

  /** Tests of a whole transfer: every open phase's line printed each time a unit starts, deterministically. */
  static Progress atEachStart(Console console) {
    Progress p = new Progress(console, System::nanoTime, 0);
    p.tickOnEachStart = true;
    return p;
  }

  /** Progress nobody prints (a run spec before its run sets one): phases register as usual, no ticker runs. */
  static Progress quiet() {
    return new Progress(null, System::nanoTime, INTERVAL_MILLIS);
  }

  /** A phase of {@code total} units ("indexes", 12); its line counts them. */
  Phase phase(String name, int total) {
    Phase p = new Phase(name, total, clock.getAsLong());
    open.add(p);
    return p;
  }

  /** A phase that is one step (a pg_restore run): its line says only for how long it has been running. */
  Phase step(String name) {
    return phase(name, 0);
  }

  /** Prints a line for each open phase due one (running for an interval since its start or its last line). */
  void tick() {
    long now = clock.getAsLong();
    for (Phase p : open) {
      String line = p.lineIfDue(now);
      if (line != null) console.info(line);
    }
  }

  @Override
  public void close() {
    Thread t = ticker;
    if (t != null) t.interrupt();
    open.clear();
  }

  /** One phase's units of work; closing it ends its lines. Thread-safe: workers report from their own threads. */
  final class Phase implements AutoCloseable {
    private final String name;
    private final int total;
    private final long started;
    private final AtomicInteger done = new AtomicInteger();
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private volatile long expectedBytes;
    /** What {@link #add}'s second count counts, as the line names it. */
    private volatile String one = "row";
    private volatile String many = "rows";
    private long lastLine;

    private Phase(String name, int total, long started) {
      this.name = name;
      this.total = total;
      this.started = started;
      this.lastLine = started;
    }

    /** The phase moves data: its line shows bytes, rows, the rate and an estimate against {@code expected}. */
    Phase expectBytes(long expected) {
      this.expectedBytes = Math.max(1, expected);
      return this;
    }

    /** The phase moves data counted in other units than rows ("objects"). */
    Phase expectBytes(long expected, String one, String many) {
      this.one = one;
      this.many = many;
      return expectBytes(expected);
    }

    /** A unit started (a second start of a running name keeps the first start time: a table's pieces). */
    void begin(String unit) {
      running.putIfAbsent(unit, clock.getAsLong());
      if (tickOnEachStart) tick();
    }

    /** A unit finished. */
    void end(String unit) {
      running.remove(unit);
      done.incrementAndGet();
    }

    /**
     * A unit of an {@link #expectBytes} phase is done, which the estimate put at {@code estimated} bytes: how far
     * the phase is counts it so even when it sent far fewer (a small table's COPY is a fraction of its pages).
     */
    void settled(long estimated) {
      settled.addAndGet(estimated);
    }

    void add(long b, long r) {
      bytes.addAndGet(b);
      rows.addAndGet(r);
    }

    long bytes() {
      return bytes.get();
    }

    long rows() {
      return rows.get();
    }

    int done() {
      return done.get();
    }

    Duration elapsed() {
      return Duration.ofNanos(clock.getAsLong() - started);
    }

    private synchronized String lineIfDue(long now) {
      if (now - lastLine < intervalNanos) return null;
      lastLine = now;
      return line(now);
    }

    /** "indexes 7/12, 1m52s: oban_jobs_args_index 1m40s, users_pkey 3s and 2 more". */
    String line(long now) {
      StringBuilder sb = new StringBuilder(name);
      if (total > 0) sb.append(' ').append(done.get()).append('/').append(total);
      sb.append(total > 0 ? ", " : " ").append(duration(now - started));
      if (expectedBytes > 0) {
        long b = bytes.get();
        double s = Math.max(0.001, (now - started) / 1e9);
        double rate = b / s;
        // The estimate is the tables' on-disk size; COPY text is usually close to it, except for small tables
        // (a few rows on a page): the units done count for their estimate, so thousands of them read right.
        long done = Math.max(b, settled.get());
        double pace = done / s;
        int pct = (int) Math.min(99, 100.0 * done / expectedBytes);
        sb.append(String.format(Locale.ROOT, ", ~%d%%, %s and %s at %s/s", pct, Progress.bytes(b), count(rows.get(), one, many),
            Progress.bytes((long) rate)));
        // No estimate from the first percent: the rate is not yet the copy's.
        if (pace > 0 && done < expectedBytes && done * 100 >= expectedBytes) {
          sb.append(", ETA ").append(duration((long) ((expectedBytes - done) / pace * 1e9)));
        }
      }
      List<Map.Entry<String, Long>> now1 = new ArrayList<>(running.entrySet());
      now1.sort(Map.Entry.comparingByValue());
      for (int i = 0; i < Math.min(SHOWN, now1.size()); i++) {
        sb.append(i == 0 ? ": " : ", ").append(now1.get(i).getKey()).append(' ').append(duration(now - now1.get(i).getValue()));
      }
      if (now1.size() > SHOWN) sb.append(" and ").append(now1.size() - SHOWN).append(" more");
      return sb.toString();
    }

    @Override
    public void close() {
      open.remove(this);
    }
  }

  // ---- how numbers read -----------------------------------------------------------------------------------

  /** "1 row", "2 rows", "1,234 rows". */
  static String count(long n, String one, String many) {
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
  }

  /** "42s", "1m40s", "2h05m": a person's reading of how long something has run. */
  static String duration(long nanos) {
    long s = Math.max(0, nanos / 1_000_000_000L);
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /**
   * The one throughput figure of a transfer, named for what it measures: the table data phase's bytes over that
   * phase's time ("table data: 1.2 GiB at 85 MiB/s"). Index builds, schema and verification are not in it.
   */
  static String throughput(long bytes, Duration dataTime) {
    double s = Math.max(0.001, dataTime.toNanos() / 1e9);
    return "table data: " + bytes(bytes) + " at " + bytes((long) (bytes / s)) + "/s";
  }

  static String bytes(long b) {
    if (b < 1024) return b + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
