package dev.flyover.pg;

import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.PgSession.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phase: indexes and key constraints (parallel mode). Each table's own indexes and primary/unique/exclusion
 * constraints (pg_dump's SQL, split out by {@link PostData}) are built as soon as that table's rows are in, on
 * {@code jobs} target sessions of their own, while other tables are still copying. Builds, not tables, are the unit:
 * of everything ready, the dearest (by its index's size on the source, GIN and GiST weighed more) starts first, and
 * one table's builds run side by side (a primary key or unique constraint as {@code CREATE UNIQUE INDEX}, then
 * {@code ADD CONSTRAINT … USING INDEX}, see {@link PostData.TwoStep}), so a table with a slow GIN index no longer
 * holds one session for all of its builds. When a table's last build is done its constraints are attached and it
 * is analyzed (after its indexes: expression indexes get their statistics from that ANALYZE). A foreign key between
 * two plain tables is added (and validated) as soon as both are finished, while the other tables still copy or
 * build: it locks both (SHARE ROW EXCLUSIVE, which waits for a build or an ANALYZE on them), so not earlier. pg_restore
 * cannot overlap any of this with the copy; the rest of the post-data (triggers, rules…) is left to it, afterwards.
 */
final class Indexes implements AutoCloseable {
  /**
   * One unit of work: a build, or (entry null) a table's finish: attach its constraints, ANALYZE; or (small) all of
   * a small table's builds and its ANALYZE, which are sent to the server together with other small tables'.
   */
  private record Unit(String table, PostData.Entry entry, long cost, long order, boolean small) {}

  private static final Unit END = new Unit("", null, Long.MIN_VALUE, Long.MAX_VALUE, false);
  /** Tables up to this size have their indexes built and are analyzed {@link #TOGETHER} tables to a round trip. */
  static final long SMALL_BYTES = 1L << 20;
  static final int TOGETHER = 50;
  private final PostData post;
  private final Stopper stopper;
  private final Console console;
  /** Dearest first; among equals, first come first served. */
  private final PriorityBlockingQueue<Unit> queue = new PriorityBlockingQueue<>(64,
      ((Comparator<Unit>) (a, b) -> Long.compare(b.cost(), a.cost())).thenComparingLong(Unit::order));
  private final AtomicLong arrivals = new AtomicLong();
  private final AtomicInteger built = new AtomicInteger();
  private final AtomicInteger analyzed = new AtomicInteger();
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> buildsLeft = new ConcurrentHashMap<>();
  /** Tables whose builds and ANALYZE are done: a foreign key between two of them may be added. */
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  /** Foreign keys taken by a session (by dump ID), and those added. */
  private final Set<Integer> fkTaken = ConcurrentHashMap.newKeySet();
  private final Set<Integer> fkAdded = ConcurrentHashMap.newKeySet();
  /** One monitor per table a foreign key is being added to (see {@link #tableFinished}). */
  private final Map<String, Object> fkTables = new ConcurrentHashMap<>();
  private final WorkerPool.Running running;
  private final Progress.Phase phase;
  /** Told each table that is final: rows, builds and ANALYZE done (the comparison starts on it). */
  private final java.util.function.Consumer<Table> onFinished;

  /**
   * Opens the builds' {@code jobs} target sessions with the restore's settings, side by side (each is a TCP connect,
   * a TLS handshake and an authentication), before the post-data is known: the run opens them with its workers'.
   */
  static List<Connection> openSessions(RunSpec spec) throws InterruptedException {
    return spec.pool.collect(spec.req.jobs(), "index-session", i -> {
      Connection c = spec.stopper.track(PgSession.open(spec.target, Side.TARGET, spec.targetInput()));
      try (Statement st = c.createStatement()) {
        st.execute(PgSession.sets(spec.targetSettings()));
      }
      return c;
    });
  }

  /**
   * Starts the builds on {@code sessions} (from {@link #openSessions}), ready for {@link #tableDone};
   * {@code onFinished} hears of each table once it is final.
   */
  Indexes(RunSpec spec, PostData post, List<Connection> sessions, java.util.function.Consumer<Table> onFinished) throws SQLException {
    this.post = post;
    this.onFinished = onFinished;
    this.stopper = spec.stopper;
    this.console = spec.console;
    for (Connection c : sessions) {
      try (Statement st = c.createStatement()) {
        st.execute(post.preamble);
      }
    }
    this.phase = spec.progress.phase("indexes", post.perTable.values().stream().mapToInt(List::size).sum());
    this.running = spec.pool.start(sessions, "index", this::loop);
  }

  private void loop(Connection c) throws InterruptedException {
    try {
      work(c);
    } catch (RuntimeException | InterruptedException | Error e) {
      // This session stops here; so do the others once the queue is done (the END this one may have taken from
      // the queue while gathering small tables is given back), instead of waiting for work forever.
      queue.add(END);
      throw e;
    }
  }

  private void work(Connection c) throws InterruptedException {
    Unit next = null;
    while (true) {
      Unit u = next != null ? next : queue.take();
      next = null;
      if (u == END) {
        queue.add(END); // for the next session
        return;
      }
      stopper.check();
      if (u.small()) {
        // Small tables whose rows arrived meanwhile go together: thousands of them would otherwise cost a round
        // trip (and a commit) for every index and every ANALYZE.
        List<String> together = new ArrayList<>(List.of(u.table()));
        while (together.size() < TOGETHER) {
          Unit more = queue.poll();
          if (more == null) break;
          if (!more.small()) {
            next = more;
            break;
          }
          together.add(more.table());
        }
        if (together.size() == 1) {
          buildAlone(c, u.table());
        } else {
          buildTogether(c, together);
        }
        for (String t : together) tableFinished(c, t);
        continue;
      }
      if (u.entry() == null) {
        finishTable(c, u.table());
        tableFinished(c, u.table());
        continue;
      }
      build(c, u.entry());
      if (buildsLeft.get(u.table()).decrementAndGet() == 0) {
        finishTable(c, u.table());
        tableFinished(c, u.table());
      }
    }
  }

  /** A small table alone: each of its builds as pg_dump wrote it (its time logged), then ANALYZE. */
  private void buildAlone(Connection c, String table) {
    for (PostData.Entry e : post.perTable.getOrDefault(table, List.of())) {
      stopper.check();
      long t0 = System.nanoTime();
      phase.begin(e.name());
      execute(c, e.sql(), e);
      built.incrementAndGet();
      phase.end(e.name());
      console.debug(String.format(Locale.ROOT, "built %s %s in %.1fs", e.type(), e.name(), (System.nanoTime() - t0) / 1e9));
    }
    analyze(c, table);
  }

  /**
   * Small tables' builds and one ANALYZE in one statement (one implicit transaction); if it fails nothing of it
   * stays, and each table is built alone, so the failure names its index.
   */
  private void buildTogether(Connection c, List<String> together) {
    long t0 = System.nanoTime();
    List<PostData.Entry> entries = new ArrayList<>();
    for (String table : together) entries.addAll(post.perTable.getOrDefault(table, List.of()));
    String sql = statement(entries, together.stream().map(n -> tables.get(n).qualified()).toList());
    for (PostData.Entry e : entries) phase.begin(e.name());
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException ex) {
      for (PostData.Entry e : entries) phase.end(e.name());
      for (String table : together) buildAlone(c, table);
      return;
    }
    for (PostData.Entry e : entries) phase.end(e.name());
    built.addAndGet(entries.size());
    analyzed.addAndGet(together.size());
    console.debug(String.format(Locale.ROOT, "built %s of %s together in %.1fs",
        Progress.count(entries.size(), "index or key constraint", "indexes and key constraints"),
        Progress.count(together.size(), "table", "tables"), (System.nanoTime() - t0) / 1e9));
  }

  /** The entries' SQL in order, then one ANALYZE of the tables (qualified names). */
  static String statement(List<PostData.Entry> entries, List<String> qualifiedTables) {
    StringBuilder sql = new StringBuilder();
    for (PostData.Entry e : entries) {
      sql.append(e.sql());
      if (!e.sql().endsWith("\n")) sql.append('\n');
    }
    return sql.append("ANALYZE ").append(String.join(", ", qualifiedTables)).append(';').toString();
  }

  private void build(Connection c, PostData.Entry e) {
    long t0 = System.nanoTime();
    phase.begin(e.name());
    PostData.TwoStep two = e.twoStep();
    execute(c, two != null ? two.createIndex() : e.sql(), e);
    built.incrementAndGet();
    phase.end(e.name());
    console.debug(String.format(Locale.ROOT, "built %s %s in %.1fs", e.type(), e.name(), (System.nanoTime() - t0) / 1e9));
  }

  /** The table's builds are all done: its two-step constraints are attached, then it is analyzed. */
  private void finishTable(Connection c, String table) {
    for (PostData.Entry e : post.perTable.getOrDefault(table, List.of())) {
      PostData.TwoStep two = e.twoStep();
      if (two == null) continue;
      try (Statement st = c.createStatement()) {
        st.execute(two.addConstraint());
      } catch (SQLException refused) {
        // USING INDEX refused a case the catalog check let through: pg_dump's own SQL, from scratch.
        console.debug("ADD CONSTRAINT USING INDEX refused for " + e.name() + " (" + DatabaseTransfer.firstLine(refused)
            + "), building it as pg_dump does");
        execute(c, two.dropIndex(), e);
        execute(c, e.sql(), e);
      }
    }
    analyze(c, table);
  }

  /** The table is finished: each foreign key whose other table is finished too is added now, on this session. */
  private void tableFinished(Connection c, String table) {
    finished.add(table);
    onFinished.accept(tables.get(table));
    for (PostData.ForeignKey fk : post.foreignKeys) {
      if (!fk.table().equals(table) && !fk.references().equals(table)) continue;
      if (!finished.contains(fk.table()) || !finished.contains(fk.references())) continue;
      if (!fkTaken.add(fk.entry().dumpId())) continue;
      stopper.check();
      long t0 = System.nanoTime();
      // Two keys between the same tables (A to B and B to A) taken by two sessions at once would each hold one
      // table and wait for the other: the server's deadlock check would fail one. So a key holds its tables here
      // too, in name order; keys between other tables still run side by side.
      String first = fk.table().compareTo(fk.references()) <= 0 ? fk.table() : fk.references();
      String second = first.equals(fk.table()) ? fk.references() : fk.table();
      synchronized (fkTables.computeIfAbsent(first, k -> new Object())) {
        synchronized (fkTables.computeIfAbsent(second, k -> new Object())) {
          execute(c, fk.entry().sql(), fk.entry());
        }
      }
      fkAdded.add(fk.entry().dumpId());
      console.debug(String.format(Locale.ROOT, "added %s %s in %.1fs", fk.entry().type(), fk.entry().name(), (System.nanoTime() - t0) / 1e9));
    }
  }

  /** The dump IDs of the foreign keys added alongside (pg_restore skips them); complete after {@link #finish}. */
  Set<Integer> foreignKeysAdded() {
    return Set.copyOf(fkAdded);
  }

  private void analyze(Connection c, String table) {
    try (Statement st = c.createStatement()) {
      st.execute("ANALYZE " + tables.get(table).qualified());
    } catch (SQLException ex) {
      throw new DatabaseTransfer.TransferFailure("ANALYZE of " + table + " failed on the target (" + DatabaseTransfer.firstLine(ex) + ")", ex);
    }
    analyzed.incrementAndGet();
  }

  private static void execute(Connection c, String sql, PostData.Entry e) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException ex) {
      throw new DatabaseTransfer.TransferFailure("building " + e.type().toLowerCase(Locale.ROOT) + " " + e.name()
          + " on the target failed (" + DatabaseTransfer.firstLine(ex) + ")", ex);
    }
  }

  /**
   * The table's rows are all in: its builds join the queue (a small table's as one unit, a table without any
   * straight to its ANALYZE).
   */
  void tableDone(Table table) {
    tables.put(table.display(), table);
    List<PostData.Entry> entries = post.perTable.getOrDefault(table.display(), List.of());
    if (table.bytes() <= SMALL_BYTES) {
      queue.add(new Unit(table.display(), null, table.bytes(), arrivals.incrementAndGet(), true));
      return;
    }
    if (entries.isEmpty()) {
      queue.add(new Unit(table.display(), null, 0, arrivals.incrementAndGet(), false));
      return;
    }
    buildsLeft.put(table.display(), new AtomicInteger(entries.size()));
    for (PostData.Entry e : entries) queue.add(new Unit(table.display(), e, e.cost(), arrivals.incrementAndGet(), false));
  }

  /** Waits for every build; the pool's failure rule applies. */
  void finish() throws InterruptedException {
    long t0 = System.nanoTime();
    queue.add(END);
    running.join();
    phase.close();
    console.info(String.format(Locale.ROOT, "%s built, %s added and %s analyzed alongside the copy (%.1fs after it)",
        Progress.count(built.get(), "index or key constraint", "indexes and key constraints"),
        Progress.count(fkAdded.size(), "foreign key", "foreign keys"),
        Progress.count(analyzed.get(), "table", "tables"), (System.nanoTime() - t0) / 1e9));
  }

  @Override
  public void close() {
    phase.close();
    queue.clear();
    queue.add(END);
  }
}
