package dev.flyover.pg;

import static dev.flyover.pg.DatabaseTransfer.firstLine;

import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.DatabaseTransfer.TransferFailure;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Phase: analyze. A restore carries no planner statistics, so every table is analyzed on the target (in parallel
 * mode they already were, right after their indexes, by the index phase: {@link RunSpec#analyzedAlongside}), then
 * each partitioned parent, which only an explicit ANALYZE gives statistics of its own.
 */
final class Analyze {
  private final RunSpec spec;

  Analyze(RunSpec spec) {
    this.spec = spec;
  }

  void run() throws SQLException, InterruptedException {
    long t0 = System.nanoTime();
    List<Table> all = spec.analyzedAlongside ? List.of() : Catalog.tables(spec.targetAdmin);
    ConcurrentLinkedQueue<Table> queue = new ConcurrentLinkedQueue<>(all);
    Progress.Phase phase = spec.progress.phase("ANALYZE", all.size());
    spec.pool.runOnEach(spec.workers, "worker", w -> {
      Table t;
      while ((t = queue.poll()) != null) {
        spec.stopper.check();
        phase.begin(t.display());
        try (Statement st = w.target().createStatement()) {
          st.execute("ANALYZE " + t.qualified());
        } catch (SQLException e) {
          throw new TransferFailure("ANALYZE of " + t.display() + " failed on the target (" + firstLine(e) + ")", e);
        }
        phase.end(t.display());
      }
    });
    phase.close();
    // Partitioned parents get their own statistics only from an explicit ANALYZE.
    for (String parent : Catalog.strings(spec.targetAdmin, "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)"
        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'p'")) {
      try (Statement st = spec.targetAdmin.createStatement()) {
        st.execute("ANALYZE " + parent);
      }
    }
    spec.console.info(String.format(Locale.ROOT, "ANALYZE done in %.1fs", (System.nanoTime() - t0) / 1e9));
  }
}
