package dev.flyover.pg;

import static dev.flyover.pg.DatabaseTransfer.firstLine;

import dev.flyover.pg.DatabaseTransfer.TransferFailure;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase: materialized views (parallel mode). A schema-only archive has no REFRESH entries: the views the source
 * has populated are refreshed on the target after the post-data, those that read another one not yet refreshed
 * retried on a later pass. Views the source never populated stay unpopulated, as on the source.
 */
final class MaterializedViews {
  private final RunSpec spec;

  MaterializedViews(RunSpec spec) {
    this.spec = spec;
  }

  /**
   * A schema-only archive has no REFRESH entries: populate the materialized views the source has populated,
   * retrying those that read another one not yet refreshed.
   */
  void refresh() throws SQLException {
    List<String> pending = new ArrayList<>(Catalog.strings(spec.coordinator, "SELECT pg_catalog.quote_ident(n.nspname) || '.'"
        + " || pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind = 'm' AND c.relispopulated ORDER BY c.oid"));
    int total = pending.size();
    SQLException last = null;
    Progress.Phase phase = spec.progress.phase("materialized views", total);
    for (int pass = 0; pass <= total && !pending.isEmpty(); pass++) {
      List<String> failed = new ArrayList<>();
      for (String mv : pending) {
        spec.stopper.check();
        phase.begin(mv);
        try (Statement st = spec.targetAdmin.createStatement()) {
          st.execute("REFRESH MATERIALIZED VIEW " + mv);
          phase.end(mv);
        } catch (SQLException e) {
          last = e;
          failed.add(mv);
        }
      }
      if (failed.size() == pending.size()) break;
      pending = failed;
    }
    phase.close();
    if (!pending.isEmpty()) {
      throw new TransferFailure("refreshing materialized view " + pending.get(0) + " failed ("
          + (last == null ? "unknown" : firstLine(last)) + ")", last);
    }
    if (total > 0) spec.console.info("refreshed " + Progress.count(total, "materialized view", "materialized views"));
  }
}
