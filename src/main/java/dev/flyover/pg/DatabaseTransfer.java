package dev.flyover.pg;

import dev.flyover.secrets.MaskPolicy;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.fly.FlyProxy;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.PgSession.Side;
import dev.flyover.pg.TransferRequest.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one PostgreSQL database into another and proves the copy: the transfer the {@code database} command and
 * the cutover run. Usable without picocli: {@code new DatabaseTransfer(env, console).run(request)}. This class only
 * orders the phases (one file each, sharing one {@link RunSpec}) and turns failures into one sentence:
 *
 * <ol>
 *   <li>{@link Preflight} (with {@link Snapshot#export}, {@link TargetRights}, {@link Settings#plan},
 *       {@link Overwrite#check}): everything checked before the first write;
 *   <li>{@link Overwrite}: with overwrite, the target emptied;
 *   <li>parallel mode: {@link Schema} pre-data, {@link TableData} on the {@link WorkerPool} with {@link Indexes}
 *       built alongside, {@link ExtensionConfigData}, {@link LargeObjects}, {@link Schema} post-data,
 *       {@link MaterializedViews}, {@link Sequences}; stream mode: {@link StreamCopy}; remote mode:
 *       {@link RemoteTransfer};
 *   <li>{@link Privileges}, {@link Settings}, {@link Analyze};
 *   <li>{@link Compare}, the source still on the same snapshot.
 * </ol>
 * The source is only ever read, in READ ONLY sessions. A failure after the target was touched says so: the target
 * is then incomplete.
 */
public final class DatabaseTransfer {
  static final String SOURCE_INPUT = "heroku-database-url";
  static final String TARGET_INPUT = "database-url";
  private long minChunkBytes = 64L << 20;

  private final Env env;
  private final Console console;
  private final Stopper stopper = new Stopper();
  private final WorkerPool pool = new WorkerPool(stopper);
  /** Source ≠ target, proven in the preflight; null until then (no overwrite advice without it). */
  private volatile TargetGuard guard;
  private java.util.function.UnaryOperator<String> inputName = n -> n;
  /** Set (to true) on the remote transfer's own machine: Fly's private hosts are reached directly, not tunnelled. */
  static final String ON_FLY_NETWORK = "FLYOVER_ON_FLY_NETWORK";
  private RemoteOptions remoteOptions;
  /** This run's progress lines (every phase registers its work here; one ticker prints). */
  private Progress progress;
  private java.util.function.Function<Console, Progress> progressFactory = Progress::start;
  /** Where a remote copy runs: on a Fly Machine ({@link RemoteTransfer}) unless a test stands in for it. */
  private RemoteCopy remoteCopy;

  /** The copy of transfer-mode remote, done elsewhere; returns what it did (its own verification included). */
  interface RemoteCopy {
    TransferResult run(TransferRequest req, long started);
  }

  public DatabaseTransfer(Env env, Console console) {
    this.env = env;
    this.console = console;
  }

  /** How transfer-mode remote sizes its machine (defaults otherwise). */
  public DatabaseTransfer remote(RemoteOptions options) {
    this.remoteOptions = options;
    return this;
  }

  /** How progress is printed (tests: at each unit started, instead of on a ticker thread). */
  DatabaseTransfer progress(java.util.function.Function<Console, Progress> factory) {
    this.progressFactory = factory;
    return this;
  }

  /** Where the remote copy runs (tests: a stand-in that copies locally, so the runner's part can be watched). */
  DatabaseTransfer remoteCopy(RemoteCopy copy) {
    this.remoteCopy = copy;
    return this;
  }

  /** Smallest piece a big table is split into (tests lower it to exercise splitting on small tables). */
  DatabaseTransfer minChunkBytes(long bytes) {
    this.minChunkBytes = bytes;
    return this;
  }

  /** How inputs are named in messages (the command's {@code Context::optionName}); Actions names by default. */
  public DatabaseTransfer inputNames(java.util.function.UnaryOperator<String> names) {
    this.inputName = names;
    return this;
  }

  /**
   * Runs the transfer and its verification; throws a {@link UserError} (one sentence) on any failure, carrying what
   * was done: whether the target was touched, and the comparison when verification failed.
   */
  public TransferResult run(TransferRequest req) {
    MaskPolicy.secret(console, req.source().raw());
    MaskPolicy.secret(console, req.source().password());
    MaskPolicy.secret(console, req.target().raw());
    MaskPolicy.secret(console, req.target().password());
    stopper.installShutdownHook(() -> console.error(
        "flyover was cancelled: stopping the database transfer; the target database is incomplete."));
    long started = System.nanoTime();
    FlyProxy proxy = null;
    boolean touched = false;
    guard = null;
    progress = progressFactory.apply(console);
    try {
      // TLS as the run will use it (issue 9, part 7): a weak sslmode warned of, channel binding pinned if offered.
      // Each side's first session opens as its channel-binding probe (Tls.forRun), both at once.
      Beside.Both<Tls.Pinned, Tls.Pinned> pinned = Tls.forRun(req.source(), console.named(SOURCE_INPUT), req.target(),
          console.named(TARGET_INPUT), !req.target().isFlyPrivate(), console);
      PgUrl source = pinned.first().url();
      PgUrl target = pinned.second().url();
      java.sql.Connection sourceSession = pinned.first().session();
      java.sql.Connection targetSession = pinned.second().session();
      if (sourceSession != null) stopper.track(sourceSession);
      if (targetSession != null) stopper.track(targetSession);
      if (target.needsFlyProxy() && env.get(ON_FLY_NETWORK).isEmpty()) {
        proxy = FlyProxy.start(env, console, req.flyApp(), req.flyToken(), target.host(), target.port());
        stopper.track(proxy);
        target = target.via("127.0.0.1", proxy.localPort());
        // The run reaches the target through the proxy from here on.
        if (targetSession != null) stopper.untrack(targetSession);
        targetSession = null;
      }
      if (req.mode() == Mode.REMOTE) {
        // The local modes' preflight, from here, before anything runs on Fly (reachable, versions, extensions,
        // empty unless overwrite); its sessions are closed again so no snapshot is held while the machine copies.
        RunSpec.Builder check = setup(req, source, target, started);
        check.coordinator = sourceSession;
        check.targetAdmin = targetSession;
        Preflight.run(check, inputName, g -> guard = g);
        // The preflight includes the source != target proof (TargetGuard): refused before anything runs on Fly.
        stopper.untrack(check.coordinator);
        stopper.untrack(check.targetAdmin);
        // The machine gets the URLs as the user named them; its own flyover applies the same TLS rules there.
        RemoteCopy copy = remoteCopy != null ? remoteCopy : (r, t) -> new RemoteTransfer(env, console, stopper,
            remoteOptions != null ? remoteOptions : RemoteOptions.defaults(env)).run(r, t);
        TransferResult remote = copy.run(req, started);
        touched = true;
        // The copy ran on a Fly Machine, which verified it; the proof is made again from here, reading both sides
        // and writing nothing.
        return new Run(lookForVerify(setup(req, source, target, started))).verifyOnly(remote);
      }
      RunSpec.Builder found = setup(req, source, target, started);
      found.coordinator = sourceSession;
      found.targetAdmin = targetSession;
      Preflight.run(found, inputName, g -> guard = g);
      Run run = new Run(found);
      touched = true;
      return run.transfer();
    } catch (Stopper.Stopped e) {
      throw incomplete(req, e.getMessage(), touched, e);
    } catch (TransferFailure e) {
      if (proxy != null && !proxy.alive()) {
        throw incomplete(req, "flyctl proxy exited (" + proxy.lastError() + ") while " + e.getMessage(), true, e);
      }
      throw incomplete(req, e.getMessage(), touched || e.touched, e);
    } catch (UserError e) {
      if (stopper.reason() != null) throw incomplete(req, stopper.reason(), touched, e);
      throw e.withDone(TransferReport.stopped(req, touched));
    } catch (SQLException e) {
      throw incomplete(req, "a database query failed (" + firstLine(e) + ")", touched, e);
    } catch (IOException e) {
      throw incomplete(req, "an I/O error stopped it (" + e.getMessage() + ")", touched, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw incomplete(req, "flyover was cancelled", touched, e);
    } finally {
      progress.close();
      stopper.closeAll();
      if (proxy != null) proxy.close();
    }
  }

  /** A stop from outside (a database, the network, flyctl proxy, a cancel), with what it left behind. */
  private UserError incomplete(TransferRequest req, String why, boolean touched, Throwable cause) {
    String reason = stopper.reason() != null && !why.contains(stopper.reason()) ? stopper.reason() + ": " + why : why;
    TransferReport done = TransferReport.stopped(req, touched);
    if (!touched) {
      return UserError.outside("The database transfer stopped before changing anything: " + reason + ".", cause).withDone(done);
    }
    String recovery = guard == null ? "drop and recreate it" : guard.recovery();
    return UserError.outside("The database transfer failed: " + reason + "; the target database is incomplete: "
        + recovery + ".", cause).withDone(done);
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m).strip();
  }

  /** A failure with its context (which table, which side). */
  static final class TransferFailure extends RuntimeException {
    final boolean touched;

    TransferFailure(String message, Throwable cause) {
      super(message, cause);
      this.touched = true;
    }
  }

  /** The run's machinery, before anything connects: preflight fills in what it finds. */
  private RunSpec.Builder setup(TransferRequest req, PgUrl source, PgUrl target, long started) {
    return new RunSpec.Builder(env, console, stopper, pool, req, source, target, started, minChunkBytes, progress);
  }

  /** After a remote copy: both sides connected, the source read on a snapshot of its own, for the comparison. */
  private RunSpec.Builder lookForVerify(RunSpec.Builder b) throws SQLException {
    b.coordinator = stopper.track(PgSession.open(b.source, Side.SOURCE, b.sourceInput()));
    b.targetAdmin = stopper.track(PgSession.open(b.target, Side.TARGET, b.targetInput()));
    b.sourceNum = Catalog.serverVersionNum(b.coordinator);
    b.targetNum = Catalog.serverVersionNum(b.targetAdmin);
    b.sourceVersion = Catalog.serverVersion(b.coordinator);
    b.targetVersion = Catalog.serverVersion(b.targetAdmin);
    b.snapshot = Snapshot.export(b.coordinator);
    b.tables = Catalog.tables(b.coordinator);
    b.configTables = Catalog.extensionConfigTables(b.coordinator);
    b.configSequences = Catalog.extensionConfigSequences(b.coordinator);
    // Read, not tried (no trial transaction): only to name in the result what the machine applied.
    b.settingsPlan = Settings.plan(b.coordinator, b.targetAdmin, console, false);
    return b;
  }

  /**
   * One run, in the order of its phases; its state is the {@link RunSpec}'s. Here {@code env}, {@code console},
   * {@code stopper}, {@code pool}, {@code progress} and {@code minChunkBytes} are the spec's fields, the same
   * objects as this transfer's; {@code guard} and {@code inputName} are the transfer's.
   */
  private final class Run extends RunSpec {
    Run(RunSpec.Builder found) {
      super(found);
    }

    /**
     * After a remote copy: only the comparison. The machine's flyover ran every phase (privileges, settings,
     * ANALYZE) and printed what it did; doing them again from here would write to the target after the copy was
     * reported done. What it applied and what it could not carry come from the same plans, read only.
     */
    TransferResult verifyOnly(TransferResult remote) throws SQLException, InterruptedException {
      settingsApplied = settingsPlan.apply().stream().map(Settings.Planned::label).toList();
      notCarried.addAll(Privileges.plan(coordinator, targetAdmin).notCarried());
      notCarried.addAll(settingsPlan.missingRoles());
      long verifyStart = System.nanoTime();
      console.info("verifying the remote copy (" + req.verify().label() + ")");
      Compare.Verification v = verify();
      long bytes = tables.stream().mapToLong(Table::bytes).sum();
      TransferResult result = new TransferResult(sourceVersion, targetVersion, 0, Mode.REMOTE, 1, req.verify(), v.tables(),
          sequenceCount, largeObjectCount, settingsApplied, bytes, remote.copyTime(),
          Duration.ofNanos(System.nanoTime() - verifyStart), Duration.ofNanos(System.nanoTime() - started), v.ok(), List.copyOf(notCarried));
      if (!v.ok()) throw verificationFailed(req, result, v.problems());
      return result;
    }

    TransferResult transfer() throws SQLException, IOException, InterruptedException {
      if (guard.mayClear(req.overwrite())) clearTarget();
      long copyStart = System.nanoTime();
      if (req.mode() == Mode.STREAM) {
        new StreamCopy(this).run();
      } else {
        parallel();
      }
      afterData();
      Duration copyTime = Duration.ofNanos(System.nanoTime() - copyStart);
      console.info(String.format(Locale.ROOT, "copied in %.1fs; verifying (%s)", copyTime.toMillis() / 1000.0, req.verify().label()));
      long verifyStart = System.nanoTime();
      Compare.Verification v = verify();
      Duration verifyTime = Duration.ofNanos(System.nanoTime() - verifyStart);
      console.info(String.format(Locale.ROOT, "%s done in %.1fs: %s", Compare.phaseName(req.verify()), verifyTime.toMillis() / 1000.0,
          TransferResult.verdict(req.verify(), v.ok())));
      long bytes = copiedBytes.values().stream().mapToLong(Long::longValue).sum();
      if (bytes == 0) bytes = tables.stream().mapToLong(Table::bytes).sum();
      TransferResult result = new TransferResult(sourceVersion, targetVersion, tools.major(), req.mode(), req.jobs(),
          req.verify(), v.tables(), sequenceCount, largeObjectCount, settingsApplied, bytes, copyTime, verifyTime,
          Duration.ofNanos(System.nanoTime() - started), v.ok(), List.copyOf(notCarried), dataTime != null ? dataTime : copyTime);
      if (!v.ok()) {
        throw verificationFailed(req, result, v.problems());
      }
      return result;
    }

    /** overwrite: the only path that drops anything on the target. */
    void clearTarget() throws SQLException {
      guard.requireDifferent();
      Overwrite.run(targetAdmin, overwriteItems, console);
    }

    // ---- parallel mode -------------------------------------------------------------------------------------

    void parallel() throws SQLException, IOException, InterruptedException {
      Path schemaFile = Tools.privateTempFile("flyover-schema", ".dump");
      Path sqlFile = Tools.privateTempFile("flyover-post-data", ".sql");
      Path listFile = Tools.privateTempFile("flyover-post-data", ".list");
      try {
        Schema schema = new Schema(this);
        // The workers' sessions open while pg_dump reads the schema: each is round trips (TCP, TLS, authentication),
        // not work, and the copy needs them the moment the tables exist.
        java.util.concurrent.atomic.AtomicReference<List<java.sql.Connection>> indexSessions = new java.util.concurrent.atomic.AtomicReference<>();
        WorkerPool.Running sessions = pool.start(List.of("workers", "index builds"), "sessions", which -> {
          if (which.equals("workers")) {
            new Snapshot(this).openWorkers();
          } else {
            indexSessions.set(Indexes.openSessions(this));
          }
        });
        java.util.concurrent.atomic.AtomicReference<PostData> split = new java.util.concurrent.atomic.AtomicReference<>();
        try {
          schema.dumpSchema(schemaFile);
          // The post-data split only reads the archive (and the source's catalog on the coordinator, which the
          // pre-data restore does not use): it runs while pg_restore creates the tables.
          WorkerPool.Running splitting = pool.start(List.of(schema), "post-data-split",
              s -> split.set(s.postData(schemaFile, sqlFile, listFile)));
          try {
            schema.restorePreData(schemaFile);
          } finally {
            splitting.join();
          }
        } finally {
          sessions.join();
        }
        PostData post = split.get();
        Compare.Alongside alongside = new Compare.Alongside(new Compare.Tally(req.verify(), copiedRows, copiedBytes));
        Indexes indexes = new Indexes(this, post, indexSessions.get(), alongside::tableFinished);
        try {
          new TableData(this).copy(indexes);
          try (Progress.Phase p = progress.step("extension configuration data")) {
            copiedRows.putAll(ExtensionConfigData.copy(coordinator, targetAdmin, configTables, configSequences, console, stopper));
          }
          largeObjectCount = new LargeObjects(this).copy().objects();
          // The workers are free now: they compare each final table while the last builds run.
          alongside.start(pool, workers, stopper, progress, tables.size());
          indexes.finish();
          analyzedAlongside = true;
          tally = alongside.finish();
          int early = tally.results.size();
          if (early > 0) console.info(Progress.count(early, "table", "tables") + " of " + tables.size() + " compared ("
              + req.verify().label() + ") alongside the index builds");
        } finally {
          indexes.close();
          alongside.close();
        }
        schema.restorePostData(schemaFile, listFile, post, indexes.foreignKeysAdded());
        new MaterializedViews(this).refresh();
      } finally {
        Files.deleteIfExists(schemaFile);
        Files.deleteIfExists(sqlFile);
        Files.deleteIfExists(listFile);
      }
    }

    // ---- after the data: sequences, settings, statistics ---------------------------------------------------

    void afterData() throws SQLException, InterruptedException {
      if (req.mode() == Mode.PARALLEL) sequenceCount = new Sequences(this).copy();
      notCarried.addAll(Privileges.apply(targetAdmin, Privileges.plan(coordinator, targetAdmin), console));
      copySettings();
      analyze();
    }

    void copySettings() {
      settingsApplied = Settings.apply(targetAdmin, settingsPlan, console);
      notCarried.addAll(settingsPlan.missingRoles());
    }

    /** Statistics (stream mode has no workers of its own yet: sessions on the shared snapshot are opened). */
    void analyze() throws SQLException, InterruptedException {
      if (workers.isEmpty()) new Snapshot(this).openWorkers();
      new Analyze(this).run();
    }

    // ---- verification ----------------------------------------------------------------------------------------

    Compare.Verification verify() throws SQLException, InterruptedException {
      if (workers.isEmpty()) new Snapshot(this).openWorkers();
      Compare.Verification v = Compare.run(coordinator, targetAdmin, workers, pool, stopper, tables, configTables, configSequences,
          tally != null ? tally : new Compare.Tally(req.verify(), copiedRows, copiedBytes), progress);
      sequenceCount = v.sequences();
      largeObjectCount = v.largeObjects();
      return v;
    }

  }

  /** Every row arrived but something differs: the result (reported as done) says what, the message names it. */
  static UserError verificationFailed(TransferRequest req, TransferResult result, List<String> problems) {
    return UserError.outside("Verification failed: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
        + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : "")
        + "; the target database is not a faithful copy: do not use it.").withDone(TransferReport.of(req, result));
  }

  /** Helper for the stream mode's counters (kept here so tests can reach it). */
  static long sum(Map<String, Long> m) {
    AtomicLong n = new AtomicLong();
    m.values().forEach(n::addAndGet);
    return n.get();
  }

  /**
   * A setting's value as SQL: list-valued settings (search_path and friends) are stored as a comma-separated
   * list of possibly quoted names and must be given back as separate literals, or they would be quoted as one name.
   */
  static String settingValue(String name, String value) {
    String n = name.toLowerCase(Locale.ROOT);
    if (!List.of("search_path", "temp_tablespaces", "session_preload_libraries", "local_preload_libraries").contains(n)) {
      return PgSession.literal(value);
    }
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '"') {
        if (quoted && i + 1 < value.length() && value.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (ch == ',' && !quoted) {
        parts.add(cur.toString().strip());
        cur.setLength(0);
      } else if (!quoted && Character.isWhitespace(ch) && cur.length() == 0) {
        continue;
      } else {
        cur.append(ch);
      }
    }
    parts.add(cur.toString().strip());
    List<String> lits = new ArrayList<>();
    for (String p : parts) lits.add(PgSession.literal(p));
    return String.join(", ", lits);
  }
}
