package dev.flyover.pg;

import dev.flyover.pg.Catalog.Sequence;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.TransferResult.TableResult;
import dev.flyover.pg.WorkerPool.Worker;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Phase: compare. The one definition of "the target holds exactly the source", used after a transfer and by the
 * cutover to recognise a transfer already done: the same user tables (exact {@code count(*)} of each table's own
 * rows, {@code ONLY}: partitions and inheritance children count for themselves), the user rows of extension
 * configuration tables, and with {@code checksums} the same contents; every sequence at the same
 * {@code last_value} and {@code is_called}; the same large objects and their comments (and, with {@code checksums},
 * their bytes); the same privileges for
 * PUBLIC and the owner. The source is read on one snapshot (the transfer's, or the caller's REPEATABLE READ).
 */
public final class Compare {
  /** What the comparison found: per table, and every difference in one sentence each. */
  record Verification(List<TableResult> tables, boolean ok, List<String> problems, int sequences, int largeObjects) {}

  /** The verdict for callers outside this package: whether the target is empty, equal, or how it differs. */
  public record Outcome(boolean targetEmpty, boolean equal, String difference, int tables, long rows) {}

  private Compare() {}

  /**
   * The same comparison (exact counts) on one session per side, the source read on a REPEATABLE READ snapshot of
   * its own: how the cutover knows an earlier run's transfer is done and still true, without any marker of ours.
   * Its progress lines go to {@code console}: counting a big database takes minutes.
   */
  public static Outcome counts(Connection source, Connection target, dev.flyover.actions.Console console) throws SQLException {
    try (Progress progress = Progress.start(console)) {
      return counts(source, target, progress);
    }
  }

  private static Outcome counts(Connection source, Connection target, Progress progress) throws SQLException {
    if (Catalog.tables(target).isEmpty()) return new Outcome(true, false, "the target has no tables", 0, 0);
    boolean auto = source.getAutoCommit();
    source.setAutoCommit(false);
    try (Statement st = source.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
    try {
      Stopper stopper = new Stopper();
      List<Table> tables = Catalog.tables(source);
      Verification v = run(source, target, List.of(new Worker(0, source, target)), new WorkerPool(stopper), stopper, tables,
          Catalog.extensionConfigTables(source), Catalog.extensionConfigSequences(source),
          new Tally(TransferRequest.Verify.COUNTS, Map.of(), Map.of()), progress);
      long rows = 0;
      for (TableResult t : v.tables()) if (!t.table().contains(" ")) rows += Math.max(0, t.sourceRows());
      return new Outcome(false, v.ok(), v.ok() ? "" : v.problems().get(0), tables.size(), rows);
    } catch (DatabaseTransfer.TransferFailure e) {
      throw new SQLException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    } finally {
      source.rollback();
      source.setAutoCommit(auto);
    }
  }

  /**
   * Compares on the given workers (each a source session on the snapshot and a target session); {@code coordinator}
   * and {@code target} are one more such pair for the catalog-wide checks. {@code tally}: what to compare with
   * (the copy's own counts) and the tables already compared alongside the index builds, which are not counted again.
   */
  static Verification run(Connection coordinator, Connection target, List<Worker> workers, WorkerPool pool, Stopper stopper,
      List<Table> tables, List<Table> configTables, List<Sequence> configSequences, Tally tally, Progress progress)
      throws SQLException, InterruptedException {
    TransferRequest.Verify verify = tally.verify;
    List<Table> targetTables = Catalog.tables(target);
    List<String> problems = tally.problems;
    Map<String, TableResult> results = tally.results;
    Set<String> targetNames = new HashSet<>();
    for (Table t : targetTables) targetNames.add(t.display());
    Set<String> sourceNames = new HashSet<>();
    for (Table t : tables) {
      sourceNames.add(t.display());
      if (!targetNames.contains(t.display())) problems.add(t.display() + " is missing on the target");
    }
    for (Table t : targetTables) {
      if (!sourceNames.contains(t.display())) problems.add(t.display() + " exists on the target but not on the source");
    }
    List<Table> compared = new ArrayList<>(tables);
    compared.addAll(configTables);
    // Tables the tally already holds were compared alongside the index builds (see Alongside).
    List<Table> left = compared.stream().filter(t -> !results.containsKey(t.display())).toList();
    ConcurrentLinkedQueue<List<Table>> queue = new ConcurrentLinkedQueue<>(units(left));
    Progress.Phase phase = progress.phase(phaseName(verify), left.size());
    pool.runOnEach(workers, "compare", w -> {
      List<Table> unit;
      while ((unit = queue.poll()) != null) {
        stopper.check();
        // Extension config tables exist on both sides by CREATE EXTENSION: they are counted whatever the lists say.
        tally.compare(w, unit, t -> t.extensionConfig() || targetNames.contains(t.display()), phase);
      }
    });
    phase.close();
    // Sequences: last_value and is_called on both sides, read in batches.
    List<Sequence> userSequences = Catalog.sequences(coordinator);
    List<Sequence> seqs = new ArrayList<>(userSequences);
    seqs.addAll(configSequences);
    List<String> sourceStates = Catalog.sequenceStates(coordinator, seqs);
    List<String> targetStates = targetSequenceStates(target, seqs);
    for (int i = 0; i < seqs.size(); i++) {
      String a = sourceStates.get(i);
      String b = targetStates.get(i);
      if (!a.equals(b)) problems.add("sequence " + seqs.get(i).display() + " is at " + a + " on the source but " + b + " on the target");
    }
    long lo = Long.parseLong(Catalog.scalar(target, "SELECT count(*) FROM pg_catalog.pg_largeobject_metadata"));
    int largeObjects = Catalog.largeObjects(coordinator).size();
    if (lo != largeObjects) problems.add("the target has " + lo + " large objects, the source " + largeObjects);
    Map<Long, String> sourceComments = LargeObjects.comments(coordinator);
    Map<Long, String> targetComments = LargeObjects.comments(target);
    for (Map.Entry<Long, String> c : sourceComments.entrySet()) {
      if (!c.getValue().equals(targetComments.get(c.getKey()))) problems.add("large object " + c.getKey() + " has another comment on the target");
    }
    for (Long oid : targetComments.keySet()) {
      if (!sourceComments.containsKey(oid)) problems.add("large object " + oid + " has a comment on the target only");
    }
    // With checksums, their bytes too (sizes, then an md5 per 64 MiB slice on each server).
    if (verify == TransferRequest.Verify.CHECKSUMS && largeObjects > 0 && lo == largeObjects) {
      problems.addAll(LargeObjects.differences(coordinator, target));
    }
    List<String> privileges = Privileges.differences(coordinator, target);
    if (!privileges.isEmpty()) problems.add("privileges differ on the target (" + privileges.get(0) + (privileges.size() > 1 ? " and "
        + (privileges.size() - 1) + " more" : "") + " would fix them)");
    List<TableResult> ordered = new ArrayList<>();
    for (Table t : compared) if (results.containsKey(t.display())) ordered.add(results.get(t.display()));
    return new Verification(ordered, problems.isEmpty(), List.copyOf(problems), userSequences.size(), largeObjects);
  }

  /**
   * Table by table, what the comparison found so far: each table's result and every difference, filled from any
   * number of workers. {@link #compare} is the one place a table is judged equal.
   */
  static final class Tally {
    final TransferRequest.Verify verify;
    private final Map<String, Long> copiedRows;
    private final Map<String, Long> copiedBytes;
    final Map<String, TableResult> results = new ConcurrentHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    /** {@code copiedRows}/{@code copiedBytes}: what the copy counted, when there was one (else empty). */
    Tally(TransferRequest.Verify verify, Map<String, Long> copiedRows, Map<String, Long> copiedBytes) {
      this.verify = verify;
      this.copiedRows = copiedRows;
      this.copiedBytes = copiedBytes;
    }

    /**
     * Compares one unit ({@link #units}) on one worker: the exact counts on both sides, which must also be what the
     * copy counted, and with checksums the contents. {@code onTarget}: whether the table exists on the target.
     */
    void compare(Worker w, List<Table> unit, java.util.function.Predicate<Table> onTarget, Progress.Phase phase) {
      for (Table t : unit) phase.begin(t.display());
      List<Table> there = new ArrayList<>();
      for (Table t : unit) if (onTarget.test(t)) there.add(t);
      long[] sourceCounts = counts(w.source(), unit, "source");
      long[] targetCounts = counts(w.target(), there, "target");
      for (int i = 0, j = 0; i < unit.size(); i++) {
        Table t = unit.get(i);
        long s = sourceCounts[i];
        if (j >= there.size() || there.get(j) != t) {
          results.put(t.display(), new TableResult(t.display(), s, -1, 0, false, "missing on target"));
          phase.end(t.display());
          continue;
        }
        long d = targetCounts[j++];
        Long copied = copiedRows.get(t.display());
        boolean match = s == d && (copied == null || copied == s);
        String note = "";
        if (match && verify == TransferRequest.Verify.CHECKSUMS) {
          String hs = checksum(w.source(), t, "source");
          String hd = checksum(w.target(), t, "target");
          match = hs.equals(hd);
          note = match ? "checksum " + hs.substring(0, 12) : "contents differ";
        }
        if (!match) problems.add(t.display() + (s != d ? " has " + s + " rows on the source but " + d + " on the target" : " differs: " + note));
        results.put(t.display(), new TableResult(t.display(), s, d, copiedBytes.getOrDefault(t.display(), t.bytes()), match, note));
        phase.end(t.display());
      }
    }
  }

  /**
   * The comparison of each table as soon as it is final, while other tables' indexes are still being built: a
   * table is final once its rows, builds and ANALYZE are done, since nothing later in the run writes rows (the
   * rest of the post-data, privileges, settings and sequences do not). The copy's workers are idle by then, and
   * with one big table's GIN build left the target has a core to spare: on the 1.4 GB benchmark the other tables
   * were all counted before that build ended. Tables arrive through {@link #tableFinished} from the copy's start;
   * the workers take them from {@link #start} (after the large objects, which use the same workers) to
   * {@link #finish}, and {@link Compare#run} counts only what is left.
   */
  static final class Alongside implements AutoCloseable {
    private static final List<Table> END = List.of();
    private final java.util.concurrent.LinkedBlockingQueue<List<Table>> queue = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Tally tally;
    private WorkerPool.Running running;
    private Progress.Phase phase;

    Alongside(Tally tally) {
      this.tally = tally;
    }

    /** The table is final on the target (called from the index builds' sessions). */
    void tableFinished(Table t) {
      queue.add(List.of(t));
    }

    /** The workers start comparing: every table final so far, then each as it comes, in batches ({@link #units}). */
    void start(WorkerPool pool, List<Worker> workers, Stopper stopper, Progress progress, int tables) {
      phase = progress.phase(phaseName(tally.verify) + " alongside", tables);
      running = pool.start(workers, "compare-alongside", w -> {
        while (true) {
          List<List<Table>> got = new ArrayList<>(List.of(queue.take()));
          queue.drainTo(got);
          boolean end = got.remove(END);
          List<Table> ready = got.stream().flatMap(List::stream).toList();
          for (List<Table> unit : units(ready)) {
            stopper.check();
            // Loaded by this run a moment ago, so on the target; a table that is not fails its count.
            tally.compare(w, unit, t -> true, phase);
          }
          if (end) {
            queue.add(END); // for the next worker
            return;
          }
        }
      });
    }

    /** Waits for the tables final so far to be compared (the builds are done) and returns the tally. */
    Tally finish() throws InterruptedException {
      queue.add(END);
      if (running != null) running.join();
      close();
      return tally;
    }

    @Override
    public void close() {
      if (phase != null) phase.close();
      queue.add(END);
    }
  }

  /** How the log names this phase: by what it compares. */
  static String phaseName(TransferRequest.Verify verify) {
    return verify == TransferRequest.Verify.CHECKSUMS ? "verification (checksums)" : "verification (row counts)";
  }

  /** Tables of at most this size are counted together, {@link #COUNT_BATCH} to a statement. */
  static final long SMALL_TABLE_BYTES = 1L << 20;
  static final int COUNT_BATCH = 200;

  /**
   * The units the comparison's workers take: each table bigger than {@link #SMALL_TABLE_BYTES} alone (its count is
   * work enough), the small ones in batches of up to {@link #COUNT_BATCH} counted in one statement (thousands of
   * small tables would otherwise cost two round trips each), extension configuration tables alone (their row
   * filter is the extension's SQL). The order is kept.
   */
  static List<List<Table>> units(List<Table> tables) {
    List<List<Table>> out = new ArrayList<>();
    List<Table> batch = new ArrayList<>();
    for (Table t : tables) {
      if (t.extensionConfig() || t.bytes() > SMALL_TABLE_BYTES) {
        out.add(List.of(t));
        continue;
      }
      batch.add(t);
      if (batch.size() == COUNT_BATCH) {
        out.add(List.copyOf(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) out.add(List.copyOf(batch));
    return out;
  }

  /** One statement counting each table's own rows ({@code count(*)} of {@link Table#rowsFrom}), numbered arms. */
  static String countStatement(List<Table> tables) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < tables.size(); i++) {
      sql.append(i == 0 ? "" : " UNION ALL ").append("(SELECT ").append(i).append(", pg_catalog.count(*) FROM ")
          .append(tables.get(i).rowsFrom()).append(')');
    }
    return sql.toString();
  }

  /**
   * The exact row count of each table, in order, as {@link #count} gives it, in one statement; inside a
   * transaction (the source's snapshot) within a savepoint rolled back after reading, so it keeps no locks. If
   * that statement fails, each table is counted alone, so a failure names its table and a batch-only failure
   * costs nothing but time.
   */
  static long[] counts(Connection c, List<Table> tables, String side) {
    long[] out = new long[tables.size()];
    if (tables.size() <= 1) {
      if (tables.size() == 1) out[0] = count(c, tables.get(0), side);
      return out;
    }
    Savepoint sp = null;
    try {
      sp = c.getAutoCommit() ? null : c.setSavepoint();
      boolean[] seen = new boolean[tables.size()];
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(countStatement(tables))) {
        while (rs.next()) {
          out[rs.getInt(1)] = rs.getLong(2);
          seen[rs.getInt(1)] = true;
        }
      }
      for (boolean b : seen) if (!b) throw new SQLException("a count is missing from the batch");
      if (sp != null) {
        // Rolled back, not released: the count changed nothing, and the locks it took (each table and, for the
        // planner, each of its indexes) go with it instead of piling up until the snapshot's end; 10,000 tables
        // would otherwise fill the source's lock table ("out of shared memory").
        c.rollback(sp);
        c.releaseSavepoint(sp);
      }
      return out;
    } catch (SQLException e) {
      try {
        if (sp != null) c.rollback(sp);
      } catch (SQLException ignored) {
        // Counting alone below fails with the session's own error then.
      }
      for (int i = 0; i < tables.size(); i++) out[i] = count(c, tables.get(i), side);
      return out;
    }
  }

  /** The target's sequence states in batches; a batch that fails (a sequence missing) is read one by one. */
  private static List<String> targetSequenceStates(Connection target, List<Sequence> seqs) {
    List<String> out = new ArrayList<>(seqs.size());
    for (List<Sequence> part : Catalog.slices(seqs, Catalog.BATCH)) {
      try {
        out.addAll(Catalog.sequenceStates(target, part));
      } catch (SQLException e) {
        for (Sequence s : part) {
          try {
            out.add(Catalog.sequenceState(target, s));
          } catch (SQLException missing) {
            out.add("missing");
          }
        }
      }
    }
    return out;
  }

  static long count(Connection c, Table t, String side) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.rowsFrom())) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new DatabaseTransfer.TransferFailure("counting " + t.display() + " on the " + side + " failed ("
          + DatabaseTransfer.firstLine(e) + ")", e);
    }
  }

  /**
   * An ordered hash of a table's contents: each row's text (same pinned session settings on both sides) hashed,
   * the hashes sorted bytewise (independent of collations and physical order) and digested client-side, so no
   * 1 GB value limit applies.
   */
  static String checksum(Connection c, Table t, String side) {
    String sql = "SELECT pg_catalog.md5(ROW(" + t.allColumnList() + ")::text) COLLATE \"C\" AS h FROM "
        + t.rowsFrom() + " ORDER BY 1";
    boolean auto = true;
    try {
      auto = c.getAutoCommit();
      if (auto) c.setAutoCommit(false);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (Statement st = c.createStatement()) {
        st.setFetchSize(10000);
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) md.update(rs.getString(1).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
      }
      if (auto) c.commit();
      return HexFormat.of().formatHex(md.digest());
    } catch (SQLException e) {
      throw new DatabaseTransfer.TransferFailure("hashing " + t.display() + " on the " + side + " failed ("
          + DatabaseTransfer.firstLine(e) + ")", e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        if (auto) c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // The failure above is what matters.
      }
    }
  }
}
