package dev.flyover.pg;

import dev.flyover.actions.Console;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Data-phase progress: bytes and rows so far, throughput and ETA, printed at most every few seconds (a log a
 * person can read, not a line per table chunk).
 */
final class Progress {
  private final Console console;
  private final long totalBytes;
  private final long started = System.nanoTime();
  private final long intervalNanos;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private volatile long lastPrint = System.nanoTime();

  Progress(Console console, long totalBytes, long intervalMillis) {
    this.console = console;
    this.totalBytes = Math.max(1, totalBytes);
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  void add(long b, long r) {
    bytes.addAndGet(b);
    rows.addAndGet(r);
    long now = System.nanoTime();
    if (now - lastPrint >= intervalNanos) {
      synchronized (this) {
        if (now - lastPrint < intervalNanos) return;
        lastPrint = now;
      }
      console.info(line());
    }
  }

  long bytes() {
    return bytes.get();
  }

  long rows() {
    return rows.get();
  }

  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  String line() {
    double s = Math.max(0.001, seconds());
    long b = bytes.get();
    double rate = b / s;
    // The estimate is the tables' on-disk size; COPY text is usually close to it.
    int pct = (int) Math.min(99, 100.0 * b / totalBytes);
    String eta = rate > 0 && b < totalBytes ? ", ETA " + Math.max(1, Math.round((totalBytes - b) / rate)) + "s" : "";
    return String.format(Locale.ROOT, "data: ~%d%% — %s, %,d rows, %s/s%s", pct, bytes(b), rows.get(), bytes((long) rate), eta);
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
