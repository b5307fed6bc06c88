package dev.flyover.pg;

import dev.flyover.pg.DatabaseTransfer.TransferFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stream mode, the whole copy in one pipe: the guide's {@code pg_dump | pg_restore} done right, with versioned
 * tools, no compression, both exit codes checked and pg_restore's errors read; the snapshot shared with the
 * comparison. The phases after the data (privileges, settings, analyze, compare) are the same as parallel mode's.
 */
final class StreamCopy {
  private final RunSpec spec;

  StreamCopy(RunSpec spec) {
    this.spec = spec;
  }

  /** The guide's pipe done right: versioned tools, no compression, exit codes and pg_restore's errors read. */
  void run() throws IOException, InterruptedException {
    List<String> dump = List.of(spec.tools.pgDump().toString(), "--format=custom", "--compress=0", "--no-owner",
        "--no-acl", "--no-subscriptions", "--snapshot=" + spec.snapshot);
    List<String> restore = new ArrayList<>(List.of(spec.tools.pgRestore().toString(), "--no-owner", "--no-acl",
        "--dbname=" + Tools.dbnameConninfo(spec.target.database())));
    // No --clean: the target is empty (overwrite emptied it first, down to initdb's public schema), and
    // --clean on an empty target only produces errors, or with --if-exists rewrites public's comment.
    ProcessBuilder d = Tools.builder(dump, Tools.childEnv(spec.env, spec.source, Map.of()));
    ProcessBuilder r = Tools.builder(restore, Tools.childEnv(spec.env, spec.target, Map.of("PGOPTIONS", spec.pgOptions())))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    spec.console.info("streaming pg_dump " + spec.tools.major() + " | pg_restore " + spec.tools.major() + " (no compression)");
    long t0 = System.nanoTime();
    List<Process> ps = ProcessBuilder.startPipeline(List.of(d, r));
    Process pd = spec.stopper.track(ps.get(0));
    Process pr = spec.stopper.track(ps.get(1));
    pr.getOutputStream().close();
    List<String> dumpErr = new ArrayList<>();
    List<String> restoreErr = new ArrayList<>();
    Thread t1 = dev.flyover.proc.Subprocess.drain(pd.getErrorStream(), dumpErr, l -> spec.console.debug("pg_dump: " + l), "pg_dump-stderr");
    Thread t2 = dev.flyover.proc.Subprocess.drain(pr.getErrorStream(), restoreErr, l -> spec.console.debug("pg_restore: " + l), "pg_restore-stderr");
    int dumpExit;
    int restoreExit;
    try (Progress.Phase p = spec.progress.step("pg_dump | pg_restore")) {
      dumpExit = pd.waitFor();
      restoreExit = pr.waitFor();
      t1.join(5000);
      t2.join(5000);
    } finally {
      spec.stopper.untrack(pd);
      spec.stopper.untrack(pr);
    }
    spec.stopper.check();
    // A dead pg_restore makes pg_dump die of SIGPIPE: name the one that failed first.
    if (restoreExit > 128 || (dumpExit != 0 && restoreExit != 0 && dumpExit == 128 + 13)) {
      throw new TransferFailure("pg_restore " + Tools.exitText(restoreExit) + " (" + Tools.lastError(restoreErr) + ")", null);
    }
    if (dumpExit != 0) {
      throw new TransferFailure("pg_dump " + Tools.exitText(dumpExit) + " (" + Tools.lastError(dumpErr) + ")", null);
    }
    RestoreLog log = RestoreLog.parse(restoreErr, spec.keptExtensions);
    for (String b : log.benign) spec.console.info("pg_restore: ignored a harmless error: " + b);
    if (!log.ok()) {
      throw new TransferFailure("pg_restore failed: " + log.fatal.get(0)
          + (log.fatal.size() > 1 ? " (and " + (log.fatal.size() - 1) + " more errors)" : ""), null);
    }
    if (restoreExit != 0 && log.benign.isEmpty()) {
      throw new TransferFailure("pg_restore " + Tools.exitText(restoreExit) + " (" + Tools.lastError(restoreErr) + ")", null);
    }
    spec.dataTime = java.time.Duration.ofNanos(System.nanoTime() - t0);
    spec.console.info(String.format(Locale.ROOT, "pg_dump | pg_restore finished in %.1fs", (System.nanoTime() - t0) / 1e9));
  }
}
