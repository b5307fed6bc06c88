package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Sequence;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.WorkerPool.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run spec: what every phase reads, in three groups.
 *
 * <ol>
 *   <li>The request and the run's machinery ({@link RunSetup}): fixed before anything connects.
 *   <li>What the preflight found before the first write (the two sides' sessions and versions, the client tools,
 *       the snapshot and the catalog lists read on it, the plans made in preflight): gathered in a {@link Builder}
 *       by {@link Preflight} (or a remote run's verify-only look), then fixed: every field is {@code final}.
 *   <li>What the phases learn during the run: the worker sessions, the copy's tallies and times, what was applied
 *       and what could not be carried. These are the only fields that change after construction; each says who
 *       writes it.
 * </ol>
 * Phases keep one {@code spec} field and read it; they copy nothing out of it. A reader finds each phase in its own
 * file: {@link Preflight}, {@link Snapshot}, {@link Overwrite}, {@link Schema}, {@link TableData}, {@link Indexes},
 * {@link ExtensionConfigData}, {@link LargeObjects}, {@link Sequences}, {@link MaterializedViews},
 * {@link Privileges}, {@link Settings}, {@link Analyze}, {@link Compare}; stream mode in {@link StreamCopy}.
 */
class RunSpec extends RunSetup {
  // ---- 2. Found before the first write (see Builder) --------------------------------------------------------------
  /** The source session holding the run's snapshot (REPEATABLE READ, read-only); the catalog-wide reads use it. */
  final Connection coordinator;
  /** The target session for catalog-wide work (settings, privileges, sequences, materialized views). */
  final Connection targetAdmin;
  final String snapshot;
  final String sourceVersion;
  final String targetVersion;
  final int sourceNum;
  final int targetNum;
  /** pg_dump/pg_restore for both majors; null in remote mode (they run on the Fly Machine). */
  final PgTools tools;
  /** The source's user tables, read on the snapshot. */
  final List<Table> tables;
  /** Extension configuration tables and sequences: their user rows are data too (see ExtensionConfigData). */
  final List<Table> configTables;
  final List<Sequence> configSequences;
  final Settings.Plan settingsPlan;
  final List<Overwrite.Item> overwriteItems;
  /** Extensions the target already has where the source has them (a platform's): kept, not created. */
  final List<Catalog.Extension> keptExtensions;

  // ---- 3. Learned during the run ----------------------------------------------------------------------------------
  /** Pairs of sessions on the snapshot, opened by {@link Snapshot#openWorkers} (once, before the first use). */
  final List<Worker> workers = new ArrayList<>();
  /** Rows and bytes copied per table, tallied concurrently by the copy workers. */
  final Map<String, Long> copiedRows = new ConcurrentHashMap<>();
  final Map<String, Long> copiedBytes = new ConcurrentHashMap<>();
  /** How long the table data phase took (TableData or StreamCopy): the throughput's divisor. */
  volatile Duration dataTime;
  /** Set by the orchestrator from the phases' results: sequences set, large objects copied, settings applied. */
  int sequenceCount;
  int largeObjectCount;
  List<String> settingsApplied = List.of();
  /** Grants, default privileges and role settings the target cannot have (they name the source's roles). */
  final List<String> notCarried = new ArrayList<>();
  /** Whether the index phase analyzed every table alongside the copy (the analyze phase then does only parents). */
  boolean analyzedAlongside;
  /** Tables already compared alongside the index builds (parallel mode); null before, or in other modes. */
  Compare.Tally tally;
  /** The target-side session settings, worked out once ({@link #pgOptions}). */
  private final Map<String, String> targetOptions = new LinkedHashMap<>();

  RunSpec(Builder found) {
    super(found);
    this.coordinator = found.coordinator;
    this.targetAdmin = found.targetAdmin;
    this.snapshot = found.snapshot;
    this.sourceVersion = found.sourceVersion;
    this.targetVersion = found.targetVersion;
    this.sourceNum = found.sourceNum;
    this.targetNum = found.targetNum;
    this.tools = found.tools;
    this.tables = List.copyOf(found.tables);
    this.configTables = List.copyOf(found.configTables);
    this.configSequences = List.copyOf(found.configSequences);
    this.settingsPlan = found.settingsPlan;
    this.overwriteItems = List.copyOf(found.overwriteItems);
    this.keptExtensions = List.copyOf(found.keptExtensions);
  }

  /** 2. What the preflight finds, gathered field by field; {@link #build} fixes it. */
  static final class Builder extends RunSetup {
    Connection coordinator;
    Connection targetAdmin;
    String snapshot;
    String sourceVersion;
    String targetVersion;
    int sourceNum;
    int targetNum;
    PgTools tools;
    List<Table> tables = List.of();
    List<Table> configTables = List.of();
    List<Sequence> configSequences = List.of();
    Settings.Plan settingsPlan;
    List<Overwrite.Item> overwriteItems = List.of();
    List<Catalog.Extension> keptExtensions = List.of();

    Builder(Env env, Console console, Stopper stopper, WorkerPool pool, TransferRequest req, PgUrl source, PgUrl target,
        long started, long minChunkBytes, Progress progress) {
      super(env, console, stopper, pool, req, source, target, started, minChunkBytes, progress);
    }

    RunSpec build() {
      return new RunSpec(this);
    }
  }

  /** Target-side session settings for the restore: more memory for index builds, no waiting on WAL flushes. */
  synchronized Map<String, String> targetSettings() {
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
    return new LinkedHashMap<>(targetOptions);
  }

  /** The same settings for pg_restore and psql, as libpq's {@code PGOPTIONS}. */
  String pgOptions() {
    return PgSession.options(targetSettings());
  }
}
