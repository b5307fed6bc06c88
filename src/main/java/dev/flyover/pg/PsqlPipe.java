package dev.flyover.pg;

import dev.flyover.proc.Subprocess;
import java.io.IOException;
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
 * {@code COPY … FROM STDIN} in a target psql, joined by one OS pipe: TLS and the wire protocol run in libpq and
 * OpenSSL (as in pgcopydb) and no byte passes through the JVM. Measured on the 1.4 GB benchmark with TLS: the table
 * data took 7.9 s instead of 18.8 s with pgjdbc's {@code CopyManager} (which decrypts, frames and re-encrypts every
 * byte in Java), and pumping the bytes through the JVM between two psql cost another 1.5 CPU-seconds.
 *
 * <p>Both exit codes are checked, the source's first. A source that fails mid-stream leaves the target with the rows
 * before the cut (PostgreSQL 15 copyfromparse.c takes the end of input as the end of data, in binary too when it
 * falls between rows): the run then fails and says the target is incomplete, and the verification, which counts
 * every table on the snapshot, could never call such a table equal.
 *
 * <p>Each psql gets the side's libpq environment (never a password in argv) and the session settings of
 * {@link PgSession#SETTINGS} through {@code PGOPTIONS}; the source joins the run's exported snapshot in a
 * {@code READ ONLY} transaction, so it cannot write.
 */
final class PsqlPipe {
  private static final Pattern COPY_TAG = Pattern.compile("^COPY (\\d+)$");
  private final RunSpec spec;
  private final Path psql;
  private final long minBytes;

  /**
   * Below this a chunk stays on JDBC: starting a psql pair (two TLS handshakes) costs tens of milliseconds, about
   * what JDBC takes for 1 MiB (a 7.2 MiB table: 0.7 s on JDBC, 0.3 s through psql, with the image's JVM flags).
   */
  static final long MIN_BYTES = 1L << 20;

  private PsqlPipe(RunSpec spec, Path psql, long minBytes) {
    this.spec = spec;
    this.psql = psql;
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
    return Optional.of(new PsqlPipe(spec, psql, mode.equals("all") ? 0 : MIN_BYTES));
  }

  /** Whether a chunk of this size goes through the pipe. */
  boolean takes(long bytes) {
    return bytes >= minBytes;
  }

  /** What one chunk moved: the rows the target took. */
  record Moved(long loaded) {}

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
   * target's COPY in a transaction that first empties the table (for {@code FREEZE}).
   */
  Moved copy(String outSql, String inSql, String truncateFirst) throws PipeFailure, InterruptedException {
    List<String> out = new ArrayList<>(List.of(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "-d", Tools.dbnameConninfo(spec.source.database()),
        "-c", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        "-c", "SET TRANSACTION SNAPSHOT " + PgSession.literal(spec.snapshot),
        "-c", outSql,
        "-c", "COMMIT"));
    // Not -q on the target: its "COPY n" tag is how many rows it took.
    List<String> in = new ArrayList<>(List.of(psql.toString(), "-X", "-v", "ON_ERROR_STOP=1",
        "-d", Tools.dbnameConninfo(spec.target.database())));
    if (truncateFirst != null) in.addAll(List.of("-c", "BEGIN", "-c", truncateFirst));
    in.addAll(List.of("-c", inSql));
    if (truncateFirst != null) in.addAll(List.of("-c", "COMMIT"));
    ProcessBuilder src = Tools.builder(out, Tools.childEnv(spec.env, spec.source, Map.of("PGOPTIONS", PgSession.pgOptions(PgSession.Side.SOURCE))));
    ProcessBuilder dst = Tools.builder(in, Tools.childEnv(spec.env, spec.target,
        Map.of("PGOPTIONS", PgSession.pgOptions(PgSession.Side.TARGET) + " " + spec.pgOptions())));
    List<Process> both;
    try {
      // One OS pipe from the source psql's stdout to the target psql's stdin: no byte passes through the JVM.
      both = ProcessBuilder.startPipeline(List.of(src, dst));
    } catch (IOException e) {
      throw new PipeFailure(false, "psql could not be started: " + e.getMessage());
    }
    Process s = spec.stopper.track(both.get(0));
    Process d = spec.stopper.track(both.get(1));
    List<String> srcErr = new ArrayList<>();
    List<String> dstErr = new ArrayList<>();
    List<String> dstOut = new ArrayList<>();
    boolean done = false;
    try {
      try {
        s.getOutputStream().close();
      } catch (IOException e) {
        // Nothing is written to it; a failure to close it changes nothing.
      }
      List<Thread> drains = List.of(
          Subprocess.drain(s.getErrorStream(), srcErr, l -> { }, "psql-source-stderr"),
          Subprocess.drain(d.getErrorStream(), dstErr, l -> { }, "psql-target-stderr"),
          Subprocess.drain(d.getInputStream(), dstOut, l -> { }, "psql-target-stdout"));
      int srcExit = s.waitFor();
      int dstExit = d.waitFor();
      done = true;
      for (Thread t : drains) t.join(5000);
      // A source killed by SIGPIPE only saw the target go away; otherwise the source's failure comes first, as the
      // target then only saw its stream end.
      boolean brokenPipe = srcExit == 128 + 13;
      if (srcExit != 0 && !(brokenPipe && dstExit != 0)) {
        throw new PipeFailure(true, lastError(srcErr, "psql " + Tools.exitText(srcExit)));
      }
      if (dstExit != 0) throw new PipeFailure(false, lastError(dstErr, "psql " + Tools.exitText(dstExit)));
      long loaded = -1;
      synchronized (dstOut) {
        for (String l : dstOut) {
          Matcher m = COPY_TAG.matcher(l.strip());
          if (m.matches()) loaded = Long.parseLong(m.group(1));
        }
        if (truncateFirst != null && !dstOut.contains("COMMIT")) throw new PipeFailure(false, "the target did not confirm the commit");
      }
      if (loaded < 0) throw new PipeFailure(false, "the target did not say how many rows it took");
      return new Moved(loaded);
    } finally {
      // Killed mid-COPY, the target's server rolls the chunk back.
      if (!done) {
        Subprocess.killTree(d);
        Subprocess.killTree(s);
      }
      spec.stopper.untrack(s);
      spec.stopper.untrack(d);
    }
  }

  private static String lastError(List<String> stderr, String otherwise) {
    synchronized (stderr) {
      return stderr.isEmpty() ? otherwise : Tools.lastError(stderr);
    }
  }
}
