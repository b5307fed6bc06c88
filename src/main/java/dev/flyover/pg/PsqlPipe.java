package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.proc.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table data path outside the JVM: one chunk is {@code COPY … TO STDOUT} in a source psql, piped into
 * {@code COPY … FROM STDIN} in a target psql, so TLS and the wire protocol run in libpq and OpenSSL (as in pgcopydb)
 * and the JVM only moves bytes from one pipe to the other. Measured on the 1.4 GB benchmark with TLS: the copy took
 * about half the time of pgjdbc's {@code CopyManager}, which decrypts, frames and re-encrypts every byte in Java.
 *
 * <p>The commit is ours to give: the target's COPY ends only when its stdin is closed, and flyover closes it only
 * after the source psql exited 0 and (binary) the stream's trailer came through. On any failure the target psql is
 * killed mid-COPY, so its server rolls the chunk back; a text stream cut short would otherwise load as a shorter
 * table (PostgreSQL 15 copyfromparse.c reads end of input as the end of data, in binary too when it falls between
 * rows).
 *
 * <p>Each psql gets the side's libpq environment (never a password in argv) and the session settings of
 * {@link PgSession#SETTINGS} through {@code PGOPTIONS}; the source joins the run's exported snapshot in a
 * {@code READ ONLY} transaction, so it cannot write.
 */
final class PsqlPipe {
  private static final Pattern COPY_TAG = Pattern.compile("^COPY (\\d+)$");
  private final Env env;
  private final Path psql;
  private final PgUrl source;
  private final PgUrl target;
  private final String snapshot;
  private final String targetOptions;
  private final Stopper stopper;
  private final long minBytes;

  /** Below this a chunk stays on JDBC: starting a psql pair (two TLS handshakes) costs tens of milliseconds. */
  static final long MIN_BYTES = 8L << 20;

  private PsqlPipe(Env env, Path psql, PgUrl source, PgUrl target, String snapshot, String targetOptions, Stopper stopper,
      long minBytes) {
    this.env = env;
    this.psql = psql;
    this.source = source;
    this.target = target;
    this.snapshot = snapshot;
    this.targetOptions = targetOptions;
    this.stopper = stopper;
    this.minBytes = minBytes;
  }

  /**
   * The pipe, when the chosen client tools include psql. {@code FLYOVER_PG_PIPE}: {@code 0} keeps every chunk on
   * JDBC, {@code all} sends every chunk through psql (the tests' way to cover it with small tables).
   */
  static Optional<PsqlPipe> of(RunSpec spec) {
    String mode = spec.env.getOrDefault("FLYOVER_PG_PIPE", "auto");
    if (spec.tools == null || mode.equals("0")) return Optional.empty();
    Path psql = spec.tools.pgDump().resolveSibling("psql");
    if (!Files.isExecutable(psql)) return Optional.empty();
    return Optional.of(new PsqlPipe(spec.env, psql, spec.source, spec.target, spec.snapshot, spec.pgOptions(), spec.stopper,
        mode.equals("all") ? 0 : MIN_BYTES));
  }

  /** Whether a chunk of this size goes through the pipe. */
  boolean takes(long bytes) {
    return bytes >= minBytes;
  }

  /** What one chunk moved: the rows the source sent (counted in the stream) and the target took, and the bytes. */
  record Moved(long rows, long loaded, long bytes) {}

  /** Why a chunk failed, and on which side (the message is the child's last error line). */
  static final class PipeFailure extends Exception {
    final boolean sourceSide;

    PipeFailure(boolean sourceSide, String message) {
      super(message);
      this.sourceSide = sourceSide;
    }
  }

  /**
   * Moves one chunk. {@code outSql} and {@code inSql} are the two COPY statements; {@code truncateFirst} wraps the
   * target's COPY in a transaction that first empties the table (for {@code FREEZE}). {@code onBytes} hears of the
   * bytes and rows moved so far, every few MiB.
   */
  Moved copy(String outSql, String inSql, boolean binary, String truncateFirst, Progress.Phase progress)
      throws PipeFailure, InterruptedException {
    List<String> out = new ArrayList<>(List.of(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "-d", Tools.dbnameConninfo(source.database()),
        "-c", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        "-c", "SET TRANSACTION SNAPSHOT " + PgSession.literal(snapshot),
        "-c", outSql,
        "-c", "COMMIT"));
    // Not -q on the target: its "COPY n" tag is how many rows it took.
    List<String> in = new ArrayList<>(List.of(psql.toString(), "-X", "-v", "ON_ERROR_STOP=1",
        "-d", Tools.dbnameConninfo(target.database())));
    if (truncateFirst != null) in.addAll(List.of("-c", "BEGIN", "-c", truncateFirst));
    in.addAll(List.of("-c", inSql));
    if (truncateFirst != null) in.addAll(List.of("-c", "COMMIT"));
    Process src = null;
    Process dst = null;
    List<String> srcErr = new ArrayList<>();
    List<String> dstErr = new ArrayList<>();
    List<String> dstOut = new ArrayList<>();
    List<Thread> drains = new ArrayList<>();
    boolean committed = false;
    try {
      try {
        dst = stopper.track(Tools.builder(in, Tools.childEnv(env, target,
            Map.of("PGOPTIONS", PgSession.pgOptions(PgSession.Side.TARGET) + " " + targetOptions))).start());
        src = stopper.track(Tools.builder(out, Tools.childEnv(env, source,
            Map.of("PGOPTIONS", PgSession.pgOptions(PgSession.Side.SOURCE)))).start());
      } catch (IOException e) {
        throw new PipeFailure(src == null && dst != null, "psql could not be started: " + e.getMessage());
      }
      try {
        src.getOutputStream().close();
      } catch (IOException e) {
        // Nothing is read from it; a failure to close it changes nothing.
      }
      drains.add(Subprocess.drain(src.getErrorStream(), srcErr, l -> { }, "psql-source-stderr"));
      drains.add(Subprocess.drain(dst.getErrorStream(), dstErr, l -> { }, "psql-target-stderr"));
      drains.add(Subprocess.drain(dst.getInputStream(), dstOut, l -> { }, "psql-target-stdout"));
      RowCounter counter = binary ? new RowCounter.Binary() : new RowCounter.Text();
      long bytes = 0;
      byte[] buf = new byte[256 * 1024];
      long pendingBytes = 0;
      long pendingRows = 0;
      InputStream from = src.getInputStream();
      OutputStream to = dst.getOutputStream();
      while (true) {
        int n;
        try {
          n = from.read(buf);
        } catch (IOException e) {
          throw new PipeFailure(true, "the source stream broke: " + e.getMessage());
        }
        if (n < 0) break;
        if (n == 0) continue;
        long rows = counter.feed(buf, n);
        try {
          to.write(buf, 0, n);
        } catch (IOException e) {
          // The target psql is gone: its own error says why.
          waitQuietly(dst);
          joinAll(drains);
          throw new PipeFailure(false, lastError(dstErr, "the target psql stopped reading"));
        }
        bytes += n;
        pendingBytes += n;
        pendingRows += rows;
        if (pendingBytes >= (4 << 20)) {
          stopper.check();
          progress.add(pendingBytes, pendingRows);
          pendingBytes = 0;
          pendingRows = 0;
        }
      }
      int srcExit = src.waitFor();
      if (srcExit != 0) {
        joinAll(List.of(drains.get(0)));
        throw new PipeFailure(true, lastError(srcErr, "psql " + Tools.exitText(srcExit)));
      }
      if (!counter.complete()) throw new PipeFailure(true, "the source stream ended without its trailer");
      // Only now may the target's COPY end, and its transaction commit.
      try {
        to.close();
      } catch (IOException e) {
        waitQuietly(dst);
        joinAll(drains);
        throw new PipeFailure(false, lastError(dstErr, "the target psql stopped reading"));
      }
      int dstExit = dst.waitFor();
      committed = true;
      joinAll(drains);
      if (dstExit != 0) throw new PipeFailure(false, lastError(dstErr, "psql " + Tools.exitText(dstExit)));
      progress.add(pendingBytes, pendingRows);
      long loaded = -1;
      synchronized (dstOut) {
        for (String l : dstOut) {
          Matcher m = COPY_TAG.matcher(l.strip());
          if (m.matches()) loaded = Long.parseLong(m.group(1));
        }
        if (truncateFirst != null && !dstOut.contains("COMMIT")) {
          throw new PipeFailure(false, "the target did not confirm the commit");
        }
      }
      if (loaded < 0) throw new PipeFailure(false, "the target did not say how many rows it took");
      return new Moved(counter.rows(), loaded, bytes);
    } finally {
      // Killed mid-COPY, the target's server rolls the chunk back.
      if (!committed && dst != null) Subprocess.killTree(dst);
      if (src != null && src.isAlive()) Subprocess.killTree(src);
      if (src != null) stopper.untrack(src);
      if (dst != null) stopper.untrack(dst);
    }
  }

  private static void waitQuietly(Process p) throws InterruptedException {
    p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) t.join(5000);
  }

  private static String lastError(List<String> stderr, String otherwise) {
    synchronized (stderr) {
      return stderr.isEmpty() ? otherwise : Tools.lastError(stderr);
    }
  }

  /**
   * Counts the rows in a COPY stream as it passes, without decoding values: text rows end in a newline (a newline
   * inside a value is escaped), binary rows are a field count and length-prefixed fields after the signature
   * header, and end with a -1 trailer (PostgreSQL 15 docs, "Binary Format" under COPY).
   */
  abstract static class RowCounter {
    long rows;

    /** Reads {@code n} more bytes; returns how many rows they completed. */
    abstract long feed(byte[] b, int n);

    /** Whether the stream ended where a stream may end. */
    abstract boolean complete();

    long rows() {
      return rows;
    }

    static final class Text extends RowCounter {
      private boolean midRow;

      @Override
      long feed(byte[] b, int n) {
        long before = rows;
        for (int i = 0; i < n; i++) if (b[i] == '\n') rows++;
        if (n > 0) midRow = b[n - 1] != '\n';
        return rows - before;
      }

      @Override
      boolean complete() {
        return !midRow;
      }
    }

    static final class Binary extends RowCounter {
      /** Header: 11-byte signature, flags, extension length, then that many bytes. */
      private static final int HEADER = 19;
      private int headerSeen;
      private long skip;
      /** Bytes of the int being read (2 for a field count, 4 for a length) and its value so far. */
      private int want = -1;
      private int have;
      private int value;
      private int fieldsLeft;
      private boolean trailer;
      private boolean afterTrailer;

      @Override
      long feed(byte[] b, int n) {
        long before = rows;
        int i = 0;
        while (i < n) {
          if (trailer) {
            afterTrailer = true; // nothing may follow the trailer
            return rows - before;
          }
          if (headerSeen < HEADER) {
            int take = Math.min(HEADER - headerSeen, n - i);
            for (int k = 0; k < take; k++) {
              if (headerSeen >= 15) value = (value << 8) | (b[i + k] & 0xff);
              headerSeen++;
            }
            i += take;
            if (headerSeen == HEADER) {
              skip = value & 0xffffffffL;
              value = 0;
            }
            continue;
          }
          if (skip > 0) {
            int take = (int) Math.min(skip, n - i);
            skip -= take;
            i += take;
            continue;
          }
          if (want < 0) {
            want = fieldsLeft > 0 ? 4 : 2;
            have = 0;
            value = 0;
          }
          value = (value << 8) | (b[i++] & 0xff);
          if (++have < want) continue;
          if (want == 2) {
            short count = (short) value;
            if (count == -1) {
              trailer = true;
            } else {
              rows++;
              fieldsLeft = count;
            }
          } else {
            fieldsLeft--;
            if (value > 0) skip = value;
          }
          want = -1;
        }
        return rows - before;
      }

      @Override
      boolean complete() {
        return trailer && !afterTrailer;
      }
    }
  }
}
