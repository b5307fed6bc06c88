package dev.flyover.pg;

import dev.flyover.pg.Catalog.Sequence;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.TransferResult.TableResult;
import dev.flyover.pg.WorkerPool.Worker;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
          Catalog.extensionConfigTables(source), Catalog.extensionConfigSequences(source), TransferRequest.Verify.COUNTS,
          Map.of(), Map.of(), progress);
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
   * and {@code target} are one more such pair for the catalog-wide checks. {@code copiedRows}/{@code copiedBytes}:
   * what the copy counted, when there was one (else empty).
   */
  static Verification run(Connection coordinator, Connection target, List<Worker> workers, WorkerPool pool, Stopper stopper,
      List<Table> tables, List<Table> configTables, List<Sequence> configSequences, TransferRequest.Verify verify,
      Map<String, Long> copiedRows, Map<String, Long> copiedBytes, Progress progress) throws SQLException, InterruptedException {
    List<Table> targetTables = Catalog.tables(target);
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    Map<String, TableResult> results = new ConcurrentHashMap<>();
    List<String> targetNames = new ArrayList<>();
    for (Table t : targetTables) targetNames.add(t.display());
    for (Table t : tables) {
      if (!targetNames.contains(t.display())) problems.add(t.display() + " is missing on the target");
    }
    for (String n : targetNames) {
      if (tables.stream().noneMatch(t -> t.display().equals(n))) problems.add(n + " exists on the target but not on the source");
    }
    List<Table> compared = new ArrayList<>(tables);
    compared.addAll(configTables);
    ConcurrentLinkedQueue<Table> queue = new ConcurrentLinkedQueue<>(compared);
    Progress.Phase phase = progress.phase(phaseName(verify), compared.size());
    pool.runOnEach(workers, "compare", w -> {
      Table t;
      String current = null;
      while ((t = queue.poll()) != null) {
        stopper.check();
        if (current != null) phase.end(current);
        phase.begin(current = t.display());
        if (!t.extensionConfig() && !targetNames.contains(t.display())) {
          results.put(t.display(), new TableResult(t.display(), count(w.source(), t, "source"), -1, 0, false, "missing on target"));
          continue;
        }
        long s = count(w.source(), t, "source");
        long d = count(w.target(), t, "target");
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
      }
      if (current != null) phase.end(current);
    });
    phase.close();
    // Sequences: last_value and is_called on both sides.
    List<Sequence> userSequences = Catalog.sequences(coordinator);
    List<Sequence> seqs = new ArrayList<>(userSequences);
    seqs.addAll(configSequences);
    for (Sequence s : seqs) {
      String a = Catalog.sequenceState(coordinator, s);
      String b;
      try {
        b = Catalog.sequenceState(target, s);
      } catch (SQLException e) {
        b = "missing";
      }
      if (!a.equals(b)) problems.add("sequence " + s.display() + " is at " + a + " on the source but " + b + " on the target");
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

  /** How the log names this phase: by what it compares. */
  static String phaseName(TransferRequest.Verify verify) {
    return verify == TransferRequest.Verify.CHECKSUMS ? "verification (checksums)" : "verification (row counts)";
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
