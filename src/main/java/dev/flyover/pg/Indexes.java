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
  private final PostData post;
  private final Stopper stopper;
  private final Console console;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger built = new AtomicInteger();
  private final AtomicInteger analyzed = new AtomicInteger();
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final int sessions;
  private final WorkerPool.Running running;
  private final Progress.Phase phase;

  Indexes(PostData post, int jobs, PgUrl target, String pgOptions, Stopper stopper, WorkerPool pool, Console console,
      Progress progress) throws SQLException {
    this.post = post;
    this.stopper = stopper;
    this.console = console;
    List<Connection> conns = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Connection c = stopper.track(PgSession.open(target, Side.TARGET, DatabaseTransfer.TARGET_INPUT));
      try (Statement st = c.createStatement()) {
        for (String opt : pgOptions.split(" ")) {
          if (opt.equals("-c")) continue;
          int eq = opt.indexOf('=');
          st.execute("SET " + opt.substring(0, eq) + " = " + PgSession.literal(opt.substring(eq + 1)));
        }
        st.execute(post.preamble);
      }
      conns.add(c);
    }
    this.sessions = conns.size();
    this.phase = progress.phase("indexes", post.perTable.values().stream().mapToInt(List::size).sum());
    this.running = pool.start(conns, "index", this::loop);
  }

  private void loop(Connection c) throws InterruptedException {
    String next = null;
    while (true) {
      String table = next != null ? next : queue.take();
      next = null;
      if (table.equals(END)) return;
      if (!small(table)) {
        build(c, table);
        continue;
      }
      // Small tables whose rows arrived meanwhile are built together: thousands of them would otherwise cost
      // a round trip (and a commit) for every index and every ANALYZE.
      List<String> together = new ArrayList<>(List.of(table));
      while (together.size() < TOGETHER) {
        String more = queue.poll();
        if (more == null) break;
        if (more.equals(END) || !small(more)) {
          next = more;
          break;
        }
        together.add(more);
      }
      if (together.size() == 1) {
        build(c, table);
      } else {
        buildTogether(c, together);
      }
    }
  }

  /** Tables up to this size have their indexes built {@link #TOGETHER} tables at a time. */
  static final long SMALL_BYTES = 1L << 20;
  static final int TOGETHER = 50;

  private boolean small(String table) {
    Table t = tables.get(table);
    return t != null && t.bytes() <= SMALL_BYTES;
  }

  /** One table: each index and key constraint alone (its time logged), then ANALYZE. */
  private void build(Connection c, String table) {
    for (PostData.Entry e : post.perTable.getOrDefault(table, List.of())) {
      stopper.check();
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
      console.debug(String.format(Locale.ROOT, "built %s %s in %.1fs", e.type(), e.name(), (System.nanoTime() - t0) / 1e9));
    }
    try (Statement st = c.createStatement()) {
      st.execute("ANALYZE " + tables.get(table).qualified());
    } catch (SQLException ex) {
      throw new DatabaseTransfer.TransferFailure("ANALYZE of " + table + " failed on the target (" + DatabaseTransfer.firstLine(ex) + ")", ex);
    }
    analyzed.incrementAndGet();
  }

  /**
   * Several small tables: every entry's SQL and one ANALYZE naming them all, sent as one string (the driver sends
   * its statements in one round trip, run as one implicit transaction). If it fails, nothing of it stays, and each
   * table is built alone, so the failure names its index.
   */
  private void buildTogether(Connection c, List<String> together) {
    stopper.check();
    long t0 = System.nanoTime();
    List<PostData.Entry> entries = new ArrayList<>();
    for (String table : together) entries.addAll(post.perTable.getOrDefault(table, List.of()));
    String sql = statement(entries, together.stream().map(n -> tables.get(n).qualified()).toList());
    for (PostData.Entry e : entries) phase.begin(e.name());
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException ex) {
      for (PostData.Entry e : entries) phase.end(e.name());
      for (String table : together) build(c, table);
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

  /** The table's rows are all in: its indexes can be built. */
  void tableDone(Table table) {
    tables.put(table.display(), table);
    queue.add(table.display());
  }

  /** Waits for every build; the pool's failure rule applies. */
  void finish() throws InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 0; i < sessions; i++) queue.add(END);
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
    for (int i = 0; i < sessions; i++) queue.add(END);
  }
}
