package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.fly.FlyProxy;
import dev.flyover.pg.Catalog.Sequence;
import dev.flyover.pg.Catalog.Setting;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.PgSession.Side;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferResult.TableResult;
import dev.flyover.pg.WorkerPool.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Copies one PostgreSQL database into another and proves the copy: the transfer the {@code database} command and
 * the cutover run. Usable without picocli: {@code new DatabaseTransfer(env, console).run(request)}.
 *
 * <p>Parallel mode: one source snapshot ({@code pg_export_snapshot()}) shared by pg_dump (schema) and N workers
 * that stream {@code COPY … TO STDOUT} into {@code COPY … FROM STDIN} on the target, biggest tables first and big
 * tables split by ctid range; then indexes and constraints by {@code pg_restore -j N}; sequences, large objects,
 * database settings; ANALYZE; then counts (and checksums) on both sides, the source still on the same snapshot.
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
  private final Map<String, String> targetOptions = new LinkedHashMap<>();
  /** Source ≠ target, proven in the preflight; null until then (no overwrite advice without it). */
  private volatile TargetGuard guard;
  private java.util.function.UnaryOperator<String> inputName = n -> n;

  public DatabaseTransfer(Env env, Console console) {
    this.env = env;
    this.console = console;
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

  /** Runs the transfer and its verification; throws a {@link UserError} (one sentence) on any failure. */
  public TransferResult run(TransferRequest req) {
    console.maskUrl(req.source().raw());
    console.mask(req.source().password());
    console.maskUrl(req.target().raw());
    console.mask(req.target().password());
    stopper.installShutdownHook(() -> console.error(
        "flyover was cancelled: stopping the database transfer; the target database is incomplete."));
    long started = System.nanoTime();
    FlyProxy proxy = null;
    boolean touched = false;
    try {
      // TLS as the run will use it (issue 9, part 7): a weak sslmode warned of, channel binding pinned if offered.
      PgUrl source = Tls.forRun(req.source(), SOURCE_INPUT, console);
      PgUrl target = req.target().isFlyPrivate() ? req.target() : Tls.forRun(req.target(), TARGET_INPUT, console);
      TransferResult remote = null;
      if (req.mode() == Mode.REMOTE) {
        remote = new RemoteTransfer(env, console, stopper).run(req, started);
        touched = true;
      }
      if (target.needsFlyProxy()) {
        proxy = FlyProxy.start(env, console, req.flyApp(), req.flyToken(), target.host(), target.port());
        stopper.track(proxy);
        target = target.via("127.0.0.1", proxy.localPort());
      }
      if (remote != null) {
        // The copy ran inside Fly; the proof is made from here, reading both sides.
        return new Run(req, source, target, started).verifyOnly(remote);
      }
      Run run = new Run(req, source, target, started);
      run.preflight();
      touched = true;
      return run.transfer();
    } catch (Stopper.Stopped e) {
      throw incomplete(e.getMessage(), touched, e);
    } catch (TransferFailure e) {
      if (proxy != null && !proxy.alive()) {
        throw incomplete("flyctl proxy exited (" + proxy.lastError() + ") while " + e.getMessage(), true, e);
      }
      throw incomplete(e.getMessage(), touched || e.touched, e);
    } catch (UserError e) {
      if (stopper.reason() != null) throw incomplete(stopper.reason(), touched, e);
      throw e;
    } catch (SQLException e) {
      throw incomplete("a database query failed (" + firstLine(e) + ")", touched, e);
    } catch (IOException e) {
      throw incomplete("an I/O error stopped it (" + e.getMessage() + ")", touched, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw incomplete("flyover was cancelled", touched, e);
    } finally {
      stopper.closeAll();
      if (proxy != null) proxy.close();
    }
  }

  private UserError incomplete(String why, boolean touched, Throwable cause) {
    String reason = stopper.reason() != null && !why.contains(stopper.reason()) ? stopper.reason() + ": " + why : why;
    if (!touched) return new UserError("The database transfer stopped before changing anything: " + reason + ".", cause);
    String recovery = guard == null ? "drop and recreate it" : guard.recovery();
    return new UserError("The database transfer failed: " + reason + "; the target database is incomplete: "
        + recovery + ".", cause);
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

  /** One run's state: the two sides, the snapshot, the plan. */
  private final class Run {
    final TransferRequest req;
    final PgUrl source;
    final PgUrl target;
    final long started;
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
    final List<Worker> workers = new ArrayList<>();
    final Map<String, Long> copiedRows = new ConcurrentHashMap<>();
    final Map<String, Long> copiedBytes = new ConcurrentHashMap<>();
    List<String> settingsApplied = List.of();
    Settings.Plan settingsPlan;
    List<Overwrite.Item> overwriteItems = List.of();
    /** Extensions the target already has where the source has them (a platform's): kept, not created. */
    List<Catalog.Extension> keptExtensions = List.of();
    final List<String> notCarried = new ArrayList<>();
    int sequenceCount;
    int largeObjectCount;
    boolean analyzedAlongside;

    Run(TransferRequest req, PgUrl source, PgUrl target, long started) {
      this.req = req;
      this.source = source;
      this.target = target;
      this.started = started;
    }

    void preflight() throws SQLException {
      coordinator = stopper.track(PgSession.open(source, Side.SOURCE, SOURCE_INPUT));
      targetAdmin = stopper.track(PgSession.open(target, Side.TARGET, TARGET_INPUT));
      // Before anything else: the target must not be the source (issue 9).
      guard = TargetGuard.prove(coordinator, targetAdmin, console, inputName, SOURCE_INPUT);
      sourceNum = Catalog.serverVersionNum(coordinator);
      targetNum = Catalog.serverVersionNum(targetAdmin);
      sourceVersion = Catalog.serverVersion(coordinator);
      targetVersion = Catalog.serverVersion(targetAdmin);
      int sMajor = Catalog.major(sourceNum);
      int tMajor = Catalog.major(targetNum);
      console.info("source: PostgreSQL " + sourceVersion + " at " + source.describe() + "; target: PostgreSQL "
          + targetVersion + " at " + req.target().describe());
      if (tMajor < sMajor) {
        throw new UserError("The target database runs PostgreSQL " + tMajor + " but the source runs " + sMajor
            + ": a dump cannot be restored into an older major version; create the target with PostgreSQL " + sMajor + " or newer.");
      }
      tools = PgTools.choose(env, sMajor, tMajor);
      // Everything the source is read for happens inside one snapshot, shared by pg_dump and every worker.
      coordinator.setAutoCommit(false);
      coordinator.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      snapshot = Catalog.scalar(coordinator, "SELECT pg_catalog.pg_export_snapshot()");
      tables = Catalog.tables(coordinator);
      configTables = Catalog.extensionConfigTables(coordinator);
      configSequences = Catalog.extensionConfigSequences(coordinator);
      long size = Catalog.databaseSize(coordinator);
      long tableBytes = tables.stream().mapToLong(Table::bytes).sum();
      console.info(String.format(Locale.ROOT, "source database: %s, %d tables (%s of table data), snapshot %s",
          Progress.bytes(size), tables.size(), Progress.bytes(tableBytes), snapshot));
      checkExtensions();
      guard.checkTarget(targetAdmin, req.overwrite(), req.target().describe());
      String targetUser = Catalog.scalar(targetAdmin, "SELECT current_user");
      TargetRights.check(coordinator, targetAdmin, targetUser);
      settingsPlan = Settings.plan(coordinator, targetAdmin, console, guard.provenDifferent());
      overwriteItems = Overwrite.inventory(targetAdmin);
      if (guard.mayClear(req.overwrite())) {
        Overwrite.check(overwriteItems, targetUser, req.target().describe(), guard.spell("database-url"));
      } else {
        guard.checkOutsideSchemas(overwriteItems, req.target().describe());
      }
      if (Catalog.schemaExists(coordinator, "heroku_ext")) {
        console.info("source has the heroku_ext schema: it, its extensions and the database search_path are carried over");
      }
    }

    /** After a remote copy: connect to both sides, read the source on a snapshot, compare. */
    TransferResult verifyOnly(TransferResult remote) throws SQLException, InterruptedException {
      coordinator = stopper.track(PgSession.open(source, Side.SOURCE, SOURCE_INPUT));
      targetAdmin = stopper.track(PgSession.open(target, Side.TARGET, TARGET_INPUT));
      sourceNum = Catalog.serverVersionNum(coordinator);
      sourceVersion = Catalog.serverVersion(coordinator);
      targetVersion = Catalog.serverVersion(targetAdmin);
      coordinator.setAutoCommit(false);
      coordinator.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      snapshot = Catalog.scalar(coordinator, "SELECT pg_catalog.pg_export_snapshot()");
      tables = Catalog.tables(coordinator);
      configTables = Catalog.extensionConfigTables(coordinator);
      configSequences = Catalog.extensionConfigSequences(coordinator);
      settingsPlan = Settings.plan(coordinator, targetAdmin, console, false);
      notCarried.addAll(Privileges.apply(targetAdmin, Privileges.plan(coordinator, targetAdmin), console));
      copySettings();
      analyze();
      long verifyStart = System.nanoTime();
      console.info("verifying the remote copy (" + req.verify().label() + ")");
      Compare.Verification v = verify();
      long bytes = tables.stream().mapToLong(Table::bytes).sum();
      TransferResult result = new TransferResult(sourceVersion, targetVersion, 0, Mode.REMOTE, 1, req.verify(), v.tables(),
          sequenceCount, largeObjectCount, settingsApplied, bytes, remote.copyTime(),
          Duration.ofNanos(System.nanoTime() - verifyStart), Duration.ofNanos(System.nanoTime() - started), v.ok(), List.copyOf(notCarried));
      if (!v.ok()) throw new VerificationFailed(result, v.problems());
      return result;
    }

    void checkExtensions() throws SQLException {
      List<Catalog.Extension> used = Catalog.extensions(coordinator);
      List<String> available = Catalog.availableExtensions(targetAdmin);
      List<String> missing = new ArrayList<>();
      for (Catalog.Extension e : used) {
        if (!available.contains(e.name())) missing.add(e.name() + " " + e.version());
      }
      if (!missing.isEmpty()) {
        throw new UserError("The target server lacks extensions the source uses (" + String.join(", ", missing)
            + "): install them on the target server (or use a Postgres image that has them) before transferring.");
      }
      List<Catalog.Extension> kept = new ArrayList<>();
      for (Catalog.Extension t : Catalog.extensions(targetAdmin)) {
        if (used.stream().anyMatch(s -> s.name().equals(t.name()) && s.schema().equals(t.schema()))) kept.add(t);
      }
      keptExtensions = kept;
      if (guard.mayClear(req.overwrite())) return;
      for (Catalog.Extension t : Catalog.extensions(targetAdmin)) {
        for (Catalog.Extension s : used) {
          if (s.name().equals(t.name()) && !s.schema().equals(t.schema())) {
            throw new UserError("The target database already has extension " + t.name() + " in schema " + t.schema()
                + " but the source has it in " + s.schema() + ": drop it on the target"
                + (guard.provenDifferent() ? ", or set overwrite: true." : "."));
          }
        }
      }
      if (!used.isEmpty()) {
        List<String> names = new ArrayList<>();
        for (Catalog.Extension e : used) names.add(e.name() + " (" + e.schema() + ")");
        console.info("extensions: " + String.join(", ", names) + " — all available on the target");
      }
    }

    TransferResult transfer() throws SQLException, IOException, InterruptedException {
      if (guard.mayClear(req.overwrite())) clearTarget();
      long copyStart = System.nanoTime();
      if (req.mode() == Mode.STREAM) {
        new StreamCopy().run();
      } else {
        parallel();
      }
      afterData();
      Duration copyTime = Duration.ofNanos(System.nanoTime() - copyStart);
      console.info(String.format(Locale.ROOT, "copied in %.1fs; verifying (%s)", copyTime.toMillis() / 1000.0, req.verify().label()));
      long verifyStart = System.nanoTime();
      Compare.Verification v = verify();
      Duration verifyTime = Duration.ofNanos(System.nanoTime() - verifyStart);
      long bytes = copiedBytes.values().stream().mapToLong(Long::longValue).sum();
      if (bytes == 0) bytes = tables.stream().mapToLong(Table::bytes).sum();
      TransferResult result = new TransferResult(sourceVersion, targetVersion, tools.major(), req.mode(), req.jobs(),
          req.verify(), v.tables(), sequenceCount, largeObjectCount, settingsApplied, bytes, copyTime, verifyTime,
          Duration.ofNanos(System.nanoTime() - started), v.ok(), List.copyOf(notCarried));
      if (!v.ok()) {
        throw new VerificationFailed(result, v.problems());
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
      java.nio.file.attribute.FileAttribute<?> privateFile =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Path schemaFile = Files.createTempFile("flyover-schema", ".dump", privateFile);
      Path sqlFile = Files.createTempFile("flyover-post-data", ".sql", privateFile);
      Path listFile = Files.createTempFile("flyover-post-data", ".list", privateFile);
      try {
        dumpSchema(schemaFile);
        restore(schemaFile, "pre-data", 1, null);
        PostData post = postData(schemaFile, sqlFile, listFile);
        openWorkers();
        Indexes indexes = new Indexes(post, req.jobs(), target, pgOptions(), stopper, pool, console);
        try {
          copyData(indexes);
          copiedRows.putAll(ExtensionConfigData.copy(coordinator, targetAdmin, configTables, configSequences, console, stopper));
          largeObjectCount = LargeObjects.copy(coordinator, targetAdmin, console, stopper);
          indexes.finish();
          analyzedAlongside = true;
        } finally {
          indexes.close();
        }
        restore(schemaFile, "post-data", req.jobs(), listFile);
        refreshMaterializedViews();
      } finally {
        Files.deleteIfExists(schemaFile);
        Files.deleteIfExists(sqlFile);
        Files.deleteIfExists(listFile);
      }
    }

    /**
     * A schema-only archive has no REFRESH entries: populate the materialized views the source has populated,
     * retrying those that read another one not yet refreshed.
     */
    void refreshMaterializedViews() throws SQLException {
      List<String> pending = new ArrayList<>(Catalog.strings(coordinator, "SELECT pg_catalog.quote_ident(n.nspname) || '.'"
          + " || pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind = 'm' AND c.relispopulated ORDER BY c.oid"));
      int total = pending.size();
      SQLException last = null;
      for (int pass = 0; pass <= total && !pending.isEmpty(); pass++) {
        List<String> failed = new ArrayList<>();
        for (String mv : pending) {
          stopper.check();
          try (Statement st = targetAdmin.createStatement()) {
            st.execute("REFRESH MATERIALIZED VIEW " + mv);
          } catch (SQLException e) {
            last = e;
            failed.add(mv);
          }
        }
        if (failed.size() == pending.size()) break;
        pending = failed;
      }
      if (!pending.isEmpty()) {
        throw new TransferFailure("refreshing materialized view " + pending.get(0) + " failed ("
            + (last == null ? "unknown" : firstLine(last)) + ")", last);
      }
      if (total > 0) console.info("refreshed " + total + " materialized views");
    }

    /** pg_dump's post-data SQL, split into per-table index builds and a TOC list for the rest. */
    PostData postData(Path schemaFile, Path sqlFile, Path listFile) throws IOException, InterruptedException, SQLException {
      Map<PostData.ObjectId, String> owners = PostData.tableOf(coordinator);
      // --verbose: each entry then starts with its "-- TOC entry <id> (class <c> OID <o>)" line (PostData).
      Tools.Run sql = Tools.run(stopper, List.of(tools.pgRestore().toString(), "--section=post-data", "--verbose", "--no-owner",
          "--no-acl", "--file=" + sqlFile, schemaFile.toString()), Tools.childEnv(env, target, Map.of()), l -> {});
      Tools.Run list = Tools.run(stopper, List.of(tools.pgRestore().toString(), "--list", "--section=post-data",
          "--file=" + listFile, schemaFile.toString()), Tools.childEnv(env, target, Map.of()), l -> {});
      stopper.check();
      if (sql.exit() != 0 || list.exit() != 0) {
        throw new TransferFailure("pg_restore could not read the schema archive (" + Tools.lastError(sql.stderr()) + ")", null);
      }
      PostData pd = PostData.split(Files.readAllLines(sqlFile), Files.readAllLines(listFile), owners);
      if (!pd.split) console.info("post-data: pg_restore's SQL did not match its list entry for entry, so pg_restore builds every index after the copy");
      Files.write(listFile, pd.remainingList(Files.readAllLines(listFile)));
      return pd;
    }

    void dumpSchema(Path file) throws IOException, InterruptedException {
      List<String> argv = List.of(tools.pgDump().toString(), "--format=custom", "--compress=0", "--schema-only",
          "--no-owner", "--no-acl", "--no-subscriptions", "--snapshot=" + snapshot, "--file=" + file);
      Tools.Run r = Tools.run(stopper, argv, Tools.childEnv(env, source, Map.of()), l -> console.debug("pg_dump: " + l));
      stopper.check();
      if (r.exit() != 0) {
        throw new TransferFailure("pg_dump of the schema " + Tools.exitText(r.exit()) + " (" + Tools.lastError(r.stderr()) + ")", null);
      }
    }

    void restore(Path file, String section, int jobs, Path list) throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      List<String> argv = new ArrayList<>(List.of(tools.pgRestore().toString(), "--section=" + section, "--no-owner",
          "--no-acl", "--jobs=" + jobs, "--dbname=" + Tools.dbnameConninfo(target.database())));
      if (list != null) argv.add("--use-list=" + list);
      argv.add(file.toString());
      Tools.Run r = Tools.run(stopper, argv, Tools.childEnv(env, target, Map.of("PGOPTIONS", pgOptions())),
          l -> console.debug("pg_restore: " + l));
      stopper.check();
      RestoreLog log = RestoreLog.parse(r.stderr(), keptExtensions);
      for (String b : log.benign) console.info("pg_restore (" + section + "): ignored a harmless error: " + b);
      if (!log.ok()) {
        throw new TransferFailure("pg_restore of the " + section + " failed: " + log.fatal.get(0)
            + (log.fatal.size() > 1 ? " (and " + (log.fatal.size() - 1) + " more errors)" : ""), null);
      }
      if (r.exit() != 0 && log.benign.isEmpty()) {
        throw new TransferFailure("pg_restore of the " + section + " " + Tools.exitText(r.exit()) + " (" + Tools.lastError(r.stderr()) + ")", null);
      }
      console.info(String.format(Locale.ROOT, "%s restored in %.1fs", section, (System.nanoTime() - t0) / 1e9));
    }

    /** Target-side session settings for the restore: more memory for index builds, no waiting on WAL flushes. */
    String pgOptions() {
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

    void openWorkers() throws SQLException {
      for (int i = 0; i < req.jobs(); i++) {
        Connection s = stopper.track(PgSession.open(source, Side.SOURCE, SOURCE_INPUT));
        s.setAutoCommit(false);
        s.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement st = s.createStatement()) {
          st.execute("SET TRANSACTION SNAPSHOT " + PgSession.literal(snapshot));
        }
        Connection t = stopper.track(PgSession.open(target, Side.TARGET, TARGET_INPUT));
        try (Statement st = t.createStatement()) {
          st.execute("SET synchronous_commit = off");
        }
        workers.add(new Worker(i, s, t));
      }
    }

    /** A slice of one table: all of it, or a ctid range of its pages (the last range open-ended). */
    record Chunk(Table table, long fromPage, long toPage, long bytes) {
      boolean whole() {
        return fromPage < 0;
      }
    }

    List<Chunk> plan() {
      long total = tables.stream().mapToLong(Table::bytes).sum();
      // Whole tables load with COPY FREEZE (no hint-bit rewrite of every page later); only a table bigger than a
      // fair share of the work is split, so no worker idles behind it.
      long fairShare = Math.max(minChunkBytes, total / req.jobs());
      // TID range scans (PG14+) read only the pages asked for; before that a ctid filter scans the whole table.
      boolean canSplit = sourceNum >= 140000 && req.jobs() > 1;
      List<Chunk> first = new ArrayList<>();
      List<Chunk> rest = new ArrayList<>();
      // What the workers share once the slow-index tables are done: a table bigger than a worker's part of it
      // would leave the others idle at the end, so it is split too.
      long restTotal = tables.stream().filter(t -> t.slowIndexes() == 0).mapToLong(Table::bytes).sum();
      long restShare = Math.max(minChunkBytes, restTotal / req.jobs());
      for (Table t : tables) {
        // A table with slow indexes goes first, spread over every worker, so its index builds start as early as
        // possible and run while the other tables copy, instead of after them.
        boolean slow = t.slowIndexes() > 0;
        int n = 1;
        if (canSplit && t.pages() > 1) {
          if (slow && t.bytes() > minChunkBytes) {
            n = req.jobs();
          } else if (t.bytes() > Math.min(fairShare * 3 / 2, restShare * 6 / 5)) {
            long piece = Math.max(minChunkBytes, total / (req.jobs() * 4L));
            n = (int) Math.max(2, Math.min(64, (t.bytes() + piece - 1) / piece));
          }
        }
        List<Chunk> target = slow ? first : rest;
        if (n == 1) {
          target.add(new Chunk(t, -1, -1, t.bytes()));
        } else {
          long per = (t.pages() + n - 1) / n;
          for (int i = 0; i < n; i++) {
            long from = i * per;
            long to = i == n - 1 ? Long.MAX_VALUE : (i + 1) * per;
            target.add(new Chunk(t, from, to, t.bytes() / n));
          }
        }
      }
      // Within each group biggest first (a stable sort keeps a table's pieces together when sizes tie).
      first.sort((a, b) -> Long.compare(b.table().bytes(), a.table().bytes()));
      rest.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
      List<Chunk> chunks = new ArrayList<>(first);
      chunks.addAll(rest);
      return chunks;
    }

    void copyData(Indexes indexes) throws InterruptedException {
      List<Chunk> chunks = plan();
      long total = tables.stream().mapToLong(Table::bytes).sum();
      console.info(String.format(Locale.ROOT, "copying %d tables in %d pieces with %d workers", tables.size(),
          chunks.size(), workers.size()));
      Map<Table, AtomicInteger> remaining = new ConcurrentHashMap<>();
      for (Chunk c : chunks) remaining.computeIfAbsent(c.table(), k -> new AtomicInteger()).incrementAndGet();
      Map<Table, Long> tableStart = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(chunks);
      Progress progress = new Progress(console, total, 5000);
      boolean perTable = tables.size() <= 40;
      pool.runOnEach(workers, "worker", w -> {
        Chunk c;
        while ((c = queue.poll()) != null) {
          stopper.check();
          tableStart.putIfAbsent(c.table(), System.nanoTime());
          long[] done = copyChunk(w, c, progress);
          copiedRows.merge(c.table().display(), done[0], Long::sum);
          copiedBytes.merge(c.table().display(), done[1], Long::sum);
          boolean tableDone = remaining.get(c.table()).decrementAndGet() == 0;
          if (tableDone) indexes.tableDone(c.table());
          if (tableDone && (perTable || c.table().bytes() > (16L << 20))) {
            double s = (System.nanoTime() - tableStart.get(c.table())) / 1e9;
            console.info(String.format(Locale.ROOT, "copied %s: %,d rows, %s in %.1fs", c.table().display(),
                copiedRows.get(c.table().display()), Progress.bytes(copiedBytes.get(c.table().display())), s));
          }
        }
      });
      console.info(String.format(Locale.ROOT, "data copied: %,d rows, %s in %.1fs (%s/s)", progress.rows(),
          Progress.bytes(progress.bytes()), progress.seconds(), Progress.bytes((long) (progress.bytes() / Math.max(0.001, progress.seconds())))));
    }

    /** Streams one chunk from the source COPY into the target COPY, without holding more than one row. */
    long[] copyChunk(Worker w, Chunk c, Progress progress) {
      Table t = c.table();
      String cols = t.copyColumnList();
      String out;
      String in;
      boolean noColumns = t.copyColumns().isEmpty();
      // Binary COPY skips text formatting and parsing on both servers; its format is only promised between
      // servers of one major version, and needs binary I/O for every column type.
      boolean binary = t.binaryIo() && Catalog.major(sourceNum) == Catalog.major(targetNum);
      List<String> outOptions = binary ? List.of("FORMAT binary") : List.of();
      List<String> inOptions = new ArrayList<>(outOptions);
      if (c.whole()) inOptions.add("FREEZE");
      String outWith = outOptions.isEmpty() ? "" : " WITH (" + String.join(", ", outOptions) + ")";
      String inWith = inOptions.isEmpty() ? "" : " WITH (" + String.join(", ", inOptions) + ")";
      if (c.whole()) {
        out = "COPY " + t.qualified() + (noColumns ? "" : " (" + cols + ")") + " TO STDOUT" + outWith;
      } else {
        String where = " WHERE ctid >= '(" + c.fromPage() + ",0)'::tid"
            + (c.toPage() == Long.MAX_VALUE ? "" : " AND ctid < '(" + c.toPage() + ",0)'::tid");
        out = "COPY (SELECT " + cols + " FROM ONLY " + t.qualified() + where + ") TO STDOUT" + outWith;
      }
      in = "COPY " + t.qualified() + (noColumns ? "" : " (" + cols + ")") + " FROM STDIN" + inWith;
      CopyOut co = null;
      CopyIn ci = null;
      long bytes = 0;
      long rows = 0;
      try {
        try {
          if (c.whole()) {
            // FREEZE needs the table emptied in the same transaction; it was created empty by the pre-data.
            w.target().setAutoCommit(false);
            try (Statement st = w.target().createStatement()) {
              st.execute("TRUNCATE ONLY " + t.qualified());
            }
          }
          ci = w.target().unwrap(PGConnection.class).getCopyAPI().copyIn(in);
        } catch (SQLException e) {
          throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
        }
        try {
          co = w.source().unwrap(PGConnection.class).getCopyAPI().copyOut(out);
        } catch (SQLException e) {
          throw new TransferFailure("reading " + t.display() + " from the source failed (" + firstLine(e) + ")", e);
        }
        long pendingBytes = 0;
        long pendingRows = 0;
        long messages = 0;
        while (true) {
          byte[] row;
          try {
            row = co.readFromCopy();
          } catch (SQLException e) {
            throw new TransferFailure("reading " + t.display() + " from the source failed (" + firstLine(e) + ")", e);
          }
          if (row == null) break;
          try {
            ci.writeToCopy(row, 0, row.length);
          } catch (SQLException e) {
            throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
          }
          bytes += row.length;
          pendingBytes += row.length;
          pendingRows++;
          messages++;
          if (pendingBytes >= (4 << 20)) {
            progress.add(pendingBytes, pendingRows);
            pendingBytes = 0;
            pendingRows = 0;
          }
        }
        long loaded;
        try {
          loaded = ci.endCopy();
        } catch (SQLException e) {
          throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
        }
        // Rows as the server counted them (binary COPY frames a header and trailer in the stream).
        rows = co.getHandledRowCount();
        ci = null;
        co = null;
        if (c.whole()) {
          try {
            w.target().commit();
            w.target().setAutoCommit(true);
          } catch (SQLException e) {
            throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
          }
        }
        progress.add(pendingBytes, pendingRows + rows - messages);
        if (loaded != rows) {
          throw new TransferFailure("the target took " + loaded + " rows of " + t.display() + " but the source sent " + rows, null);
        }
        return new long[] {rows, bytes};
      } finally {
        if (ci != null && ci.isActive()) {
          try {
            ci.cancelCopy();
          } catch (SQLException ignored) {
            // The connection is gone already.
          }
        }
        if (co != null && co.isActive()) {
          try {
            co.cancelCopy();
          } catch (SQLException ignored) {
            // same
          }
        }
      }
    }

    // ---- after the data: sequences, settings, statistics ---------------------------------------------------

    void afterData() throws SQLException, InterruptedException {
      if (req.mode() == Mode.PARALLEL) copySequences();
      notCarried.addAll(Privileges.apply(targetAdmin, Privileges.plan(coordinator, targetAdmin), console));
      copySettings();
      analyze();
    }

    void copySequences() throws SQLException {
      List<Sequence> seqs = Catalog.sequences(coordinator);
      sequenceCount = seqs.size();
      try (Statement st = targetAdmin.createStatement()) {
        for (Sequence s : seqs) {
          String[] state = Catalog.sequenceState(coordinator, s).split(",");
          st.execute("SELECT pg_catalog.setval(" + PgSession.literal(s.qualified()) + "::regclass, " + state[0] + ", " + state[1] + ")");
        }
      }
      if (!seqs.isEmpty()) console.info("set " + seqs.size() + " sequences to the source's values");
    }

    void copySettings() {
      settingsApplied = Settings.apply(targetAdmin, settingsPlan, console);
      notCarried.addAll(settingsPlan.missingRoles());
    }

    void analyze() throws SQLException, InterruptedException {
      long t0 = System.nanoTime();
      List<Table> all = analyzedAlongside ? List.of() : Catalog.tables(targetAdmin);
      ConcurrentLinkedQueue<Table> queue = new ConcurrentLinkedQueue<>(all);
      if (workers.isEmpty()) openWorkersForVerify();
      pool.runOnEach(workers, "worker", w -> {
        Table t;
        while ((t = queue.poll()) != null) {
          stopper.check();
          try (Statement st = w.target().createStatement()) {
            st.execute("ANALYZE " + t.qualified());
          } catch (SQLException e) {
            throw new TransferFailure("ANALYZE of " + t.display() + " failed on the target (" + firstLine(e) + ")", e);
          }
        }
      });
      // Partitioned parents get their own statistics only from an explicit ANALYZE.
      for (String parent : Catalog.strings(targetAdmin, "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)"
          + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'p'")) {
        try (Statement st = targetAdmin.createStatement()) {
          st.execute("ANALYZE " + parent);
        }
      }
      console.info(String.format(Locale.ROOT, "ANALYZE done in %.1fs", (System.nanoTime() - t0) / 1e9));
    }

    /** Stream mode has no workers of its own: open sessions on the shared snapshot for ANALYZE and checks. */
    void openWorkersForVerify() throws SQLException {
      openWorkers();
    }

    // ---- verification ----------------------------------------------------------------------------------------

    Compare.Verification verify() throws SQLException, InterruptedException {
      if (workers.isEmpty()) openWorkers();
      Compare.Verification v = Compare.run(coordinator, targetAdmin, workers, pool, stopper, tables, configTables, configSequences,
          req.verify(), copiedRows, copiedBytes);
      sequenceCount = v.sequences();
      largeObjectCount = v.largeObjects();
      return v;
    }

    // ---- workers -------------------------------------------------------------------------------------------

    // ---- stream mode -----------------------------------------------------------------------------------------

    /** The guide's pipe done right: versioned tools, no compression, exit codes and pg_restore's errors read. */
    final class StreamCopy {
      void run() throws IOException, InterruptedException {
        List<String> dump = List.of(tools.pgDump().toString(), "--format=custom", "--compress=0", "--no-owner",
            "--no-acl", "--no-subscriptions", "--snapshot=" + snapshot);
        List<String> restore = new ArrayList<>(List.of(tools.pgRestore().toString(), "--no-owner", "--no-acl",
            "--dbname=" + Tools.dbnameConninfo(target.database())));
        // No --clean: the target is empty (overwrite emptied it first, down to initdb's public schema), and
        // --clean on an empty target only produces errors, or with --if-exists rewrites public's comment.
        ProcessBuilder d = Tools.builder(dump, Tools.childEnv(env, source, Map.of()));
        ProcessBuilder r = Tools.builder(restore, Tools.childEnv(env, target, Map.of("PGOPTIONS", pgOptions())))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        console.info("streaming pg_dump " + tools.major() + " | pg_restore " + tools.major() + " (no compression)");
        long t0 = System.nanoTime();
        List<Process> ps = ProcessBuilder.startPipeline(List.of(d, r));
        Process pd = stopper.track(ps.get(0));
        Process pr = stopper.track(ps.get(1));
        pr.getOutputStream().close();
        List<String> dumpErr = new ArrayList<>();
        List<String> restoreErr = new ArrayList<>();
        Thread t1 = dev.flyover.proc.Subprocess.drain(pd.getErrorStream(), dumpErr, l -> console.debug("pg_dump: " + l), "pg_dump-stderr");
        Thread t2 = dev.flyover.proc.Subprocess.drain(pr.getErrorStream(), restoreErr, l -> console.debug("pg_restore: " + l), "pg_restore-stderr");
        int dumpExit;
        int restoreExit;
        try {
          dumpExit = pd.waitFor();
          restoreExit = pr.waitFor();
          t1.join(5000);
          t2.join(5000);
        } finally {
          stopper.untrack(pd);
          stopper.untrack(pr);
        }
        stopper.check();
        // A dead pg_restore makes pg_dump die of SIGPIPE: name the one that failed first.
        if (restoreExit > 128 || (dumpExit != 0 && restoreExit != 0 && dumpExit == 128 + 13)) {
          throw new TransferFailure("pg_restore " + Tools.exitText(restoreExit) + " (" + Tools.lastError(restoreErr) + ")", null);
        }
        if (dumpExit != 0) {
          throw new TransferFailure("pg_dump " + Tools.exitText(dumpExit) + " (" + Tools.lastError(dumpErr) + ")", null);
        }
        RestoreLog log = RestoreLog.parse(restoreErr, keptExtensions);
        for (String b : log.benign) console.info("pg_restore: ignored a harmless error: " + b);
        if (!log.ok()) {
          throw new TransferFailure("pg_restore failed: " + log.fatal.get(0)
              + (log.fatal.size() > 1 ? " (and " + (log.fatal.size() - 1) + " more errors)" : ""), null);
        }
        if (restoreExit != 0 && log.benign.isEmpty()) {
          throw new TransferFailure("pg_restore " + Tools.exitText(restoreExit) + " (" + Tools.lastError(restoreErr) + ")", null);
        }
        console.info(String.format(Locale.ROOT, "pg_dump | pg_restore finished in %.1fs", (System.nanoTime() - t0) / 1e9));
      }
    }
  }


  /** Every row arrived but something differs: the result says what, the message names it. */
  public static final class VerificationFailed extends UserError {
    private final transient TransferResult result;

    VerificationFailed(TransferResult result, List<String> problems) {
      super("Verification failed: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
          + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : "")
          + "; the target database is not a faithful copy: do not use it.");
      this.result = result;
    }

    public TransferResult result() {
      return result;
    }
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
