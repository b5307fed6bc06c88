package dev.flyover.pg;

import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.PgSession.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Phase: indexes and key constraints (parallel mode). Each table's own indexes and primary/unique/exclusion
 * constraints (pg_dump's SQL, split out by {@link PostData}) are built as soon as that table's rows are in, on
 * {@code jobs} target sessions of their own, while other tables are still copying, then the table is analyzed
 * (after its indexes: expression indexes get their statistics from that ANALYZE). pg_restore cannot overlap the
 * two; the rest of the post-data (foreign keys, triggers…) is left to it, after the copy.
 */
final class Indexes implements AutoCloseable {
  private static final String END = "";
  private final RunSpec spec;
  private final PostData post;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger built = new AtomicInteger();
  private final AtomicInteger analyzed = new AtomicInteger();
  private final Map<String, String> qualified = new ConcurrentHashMap<>();
  private final int sessions;
  private final WorkerPool.Running running;
  private final Progress.Phase phase;

  /** Opens {@code jobs} target sessions with the restore's settings, ready for {@link #tableDone}. */
  Indexes(RunSpec spec, PostData post) throws SQLException {
    this.spec = spec;
    this.post = post;
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
      String table = queue.take();
      if (table.equals(END)) return;
      for (PostData.Entry e : post.perTable.getOrDefault(table, List.of())) {
        spec.stopper.check();
        long t0 = System.nanoTime();
        phase.begin(e.name());
        try (Statement st = c.createStatement()) {
          st.execute(e.sql());
        } catch (SQLException ex) {
          throw new DatabaseTransfer.TransferFailure("building " + e.type().toLowerCase(Locale.ROOT) + " " + e.name()
              + " on the target failed (" + DatabaseTransfer.firstLine(ex) + ")", ex);
        }
        built.incrementAndGet();
        phase.end(e.name());
        spec.console.debug(String.format(Locale.ROOT, "built %s %s in %.1fs", e.type(), e.name(), (System.nanoTime() - t0) / 1e9));
      }
      try (Statement st = c.createStatement()) {
        st.execute("ANALYZE " + qualified.get(table));
      } catch (SQLException ex) {
        throw new DatabaseTransfer.TransferFailure("ANALYZE of " + table + " failed on the target (" + DatabaseTransfer.firstLine(ex) + ")", ex);
      }
      analyzed.incrementAndGet();
    }
  }

  /** The table's rows are all in: its indexes can be built. */
  void tableDone(Table table) {
    qualified.put(table.display(), table.qualified());
    queue.add(table.display());
  }

  /** Waits for every build; the pool's failure rule applies. */
  void finish() throws InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 0; i < sessions; i++) queue.add(END);
    running.join();
    phase.close();
    spec.console.info(String.format(Locale.ROOT, "%s built and %s analyzed alongside the copy (%.1fs after it)",
        Progress.count(built.get(), "index or key constraint", "indexes and key constraints"),
        Progress.count(analyzed.get(), "table", "tables"), (System.nanoTime() - t0) / 1e9));
  }

  @Override
  public void close() {
    phase.close();
    queue.clear();
    for (int i = 0; i < sessions; i++) queue.add(END);
  }
}
