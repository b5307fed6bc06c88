package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Sequence;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.WorkerPool.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run spec: what every phase reads. The request and the run's machinery are fixed at construction; the rest is
 * set once, by the preflight and snapshot phases, before the first write (the two sides' sessions and versions,
 * the client tools, the snapshot and what it holds, the plans made in preflight), and only read after. What the
 * copy counts (rows and bytes per table) goes to its two concurrent tallies. A reader finds each phase in its own
 * file: {@link Preflight}, {@link Snapshot}, {@link Overwrite}, {@link Schema},
 * {@link TableData}, {@link Indexes}, {@link ExtensionConfigData}, {@link LargeObjects}, {@link Sequences},
 * {@link MaterializedViews}, {@link Privileges}, {@link Settings}, {@link Analyze}, {@link Compare}; stream mode in
 * {@link StreamCopy}.
 */
class RunSpec {
  final Env env;
  final Console console;
  final Stopper stopper;
  final WorkerPool pool;
  final TransferRequest req;
  final PgUrl source;
  final PgUrl target;
  final long started;
  final long minChunkBytes;
  final List<Worker> workers = new ArrayList<>();
  final Map<String, Long> copiedRows = new ConcurrentHashMap<>();
  final Map<String, Long> copiedBytes = new ConcurrentHashMap<>();
  private final Map<String, String> targetOptions = new LinkedHashMap<>();
  /** Where phases register their work for the progress lines (the run's, with its ticker; silent otherwise). */
  Progress progress;
  /** How long the table data phase took: the throughput's divisor. */
  volatile java.time.Duration dataTime;

  // Set once by preflight and snapshot.
  Connection coordinator;
  Connection targetAdmin;
  String snapshot;
  String sourceVersion;
  String targetVersion;
  int sourceNum;
  int targetNum;
  PgTools tools;
  List<Table> tables;
  /** Extension configuration tables and sequences: their user rows are data too (see ExtensionConfigData). */
  List<Table> configTables = List.of();
  List<Sequence> configSequences = List.of();
  Settings.Plan settingsPlan;
  List<Overwrite.Item> overwriteItems = List.of();
  /** Extensions the target already has where the source has them (a platform's): kept, not created. */
  List<Catalog.Extension> keptExtensions = List.of();

  RunSpec(Env env, Console console, Stopper stopper, WorkerPool pool, TransferRequest req, PgUrl source, PgUrl target,
      long started, long minChunkBytes) {
    this.env = env;
    this.console = console;
    this.stopper = stopper;
    this.pool = pool;
    this.req = req;
    this.source = source;
    this.target = target;
    this.started = started;
    this.minChunkBytes = minChunkBytes;
    this.progress = Progress.quiet();
  }

  /** Target-side session settings for the restore: more memory for index builds, no waiting on WAL flushes. */
  synchronized String pgOptions() {
    if (targetOptions.isEmpty()) {
      try {
        long shared = Long.parseLong(Catalog.scalar(targetAdmin,
            "SELECT setting::bigint * pg_catalog.pg_size_bytes(unit) FROM pg_catalog.pg_settings WHERE name = 'shared_buffers'"));
        long current = Long.parseLong(Catalog.scalar(targetAdmin,
            "SELECT setting::bigint * pg_catalog.pg_size_bytes(unit) FROM pg_catalog.pg_settings WHERE name = 'maintenance_work_mem'"));
        // Index builds run jobs at a time: give each about the shared_buffers size, within 64 MiB..1 GiB.
        long mwm = Math.max(current, Math.min(1L << 30, Math.max(64L << 20, shared)));
        targetOptions.put("maintenance_work_mem", (mwm >> 20) + "MB");
      } catch (SQLException | NumberFormatException e) {
        targetOptions.put("maintenance_work_mem", "256MB");
      }
      // A failed run is redone from scratch, so losing the last commits in a crash costs nothing.
      targetOptions.put("synchronous_commit", "off");
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : targetOptions.entrySet()) {
      if (sb.length() > 0) sb.append(' ');
      sb.append("-c ").append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }
}
