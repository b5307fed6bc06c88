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
 * is analyzed (after its indexes: expression indexes get their statistics from that ANALYZE). pg_restore cannot
 * overlap any of this with the copy; the rest of the post-data (foreign keys, triggers…) is left to it, afterwards.
 */
final class Indexes implements AutoCloseable {
  /** One unit of work: a build, or (entry null) a table's finish: attach its constraints, ANALYZE. */
  private record Unit(String table, PostData.Entry entry, long cost, long order) {}

  private static final Unit END = new Unit("", null, Long.MIN_VALUE, Long.MAX_VALUE);
  private final PostData post;
  private final Stopper stopper;
  private final Console console;
  /** Dearest first; among equals, first come first served. */
  private final PriorityBlockingQueue<Unit> queue = new PriorityBlockingQueue<>(64,
      ((Comparator<Unit>) (a, b) -> Long.compare(b.cost(), a.cost())).thenComparingLong(Unit::order));
  private final AtomicLong arrivals = new AtomicLong();
  private final AtomicInteger built = new AtomicInteger();
  private final AtomicInteger analyzed = new AtomicInteger();
  private final Map<String, String> qualified = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> buildsLeft = new ConcurrentHashMap<>();
  private final int sessions;
  private final WorkerPool.Running running;
  private final Progress.Phase phase;

  /** Opens {@code jobs} target sessions with the restore's settings, ready for {@link #tableDone}. */
  Indexes(RunSpec spec, PostData post) throws SQLException {
    this.post = post;
    this.stopper = spec.stopper;
    this.console = spec.console;
    List<Connection> conns = new ArrayList<>();
    for (int i = 0; i < spec.req.jobs(); i++) {
      Connection c = spec.stopper.track(PgSession.open(spec.target, Side.TARGET, spec.targetInput()));
      try (Statement st = c.createStatement()) {
        for (String opt : spec.pgOptions().split(" ")) {
          if (opt.equals("-c")) continue;
          int eq = opt.indexOf('=');
          st.execute("SET " + opt.substring(0, eq) + " = " + PgSession.literal(opt.substring(eq + 1)));
        }
        st.execute(post.preamble);
      }
      conns.add(c);
    }
    this.sessions = conns.size();
    this.phase = spec.progress.phase("indexes", post.perTable.values().stream().mapToInt(List::size).sum());
    this.running = spec.pool.start(conns, "index", this::loop);
  }

  private void loop(Connection c) throws InterruptedException {
    while (true) {
      Unit u = queue.take();
      if (u == END) {
        queue.add(END); // for the next session
        return;
      }
      stopper.check();
      if (u.entry() == null) {
        finishTable(c, u.table());
        continue;
      }
      build(c, u.entry());
      if (buildsLeft.get(u.table()).decrementAndGet() == 0) finishTable(c, u.table());
    }
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
    try (Statement st = c.createStatement()) {
      st.execute("ANALYZE " + qualified.get(table));
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

  /** The table's rows are all in: its builds join the queue (a table without any goes straight to its ANALYZE). */
  void tableDone(Table table) {
    qualified.put(table.display(), table.qualified());
    List<PostData.Entry> entries = post.perTable.getOrDefault(table.display(), List.of());
    if (entries.isEmpty()) {
      queue.add(new Unit(table.display(), null, 0, arrivals.incrementAndGet()));
      return;
    }
    buildsLeft.put(table.display(), new AtomicInteger(entries.size()));
    for (PostData.Entry e : entries) queue.add(new Unit(table.display(), e, e.cost(), arrivals.incrementAndGet()));
  }

  /** Waits for every build; the pool's failure rule applies. */
  void finish() throws InterruptedException {
    long t0 = System.nanoTime();
    queue.add(END);
    running.join();
    phase.close();
    console.info(String.format(Locale.ROOT, "%s built and %s analyzed alongside the copy (%.1fs after it)",
        Progress.count(built.get(), "index or key constraint", "indexes and key constraints"),
        Progress.count(analyzed.get(), "table", "tables"), (System.nanoTime() - t0) / 1e9));
  }

  @Override
  public void close() {
    phase.close();
    queue.clear();
    queue.add(END);
  }
}
