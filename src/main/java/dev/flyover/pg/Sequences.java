package dev.flyover.pg;

import dev.flyover.pg.Catalog.Sequence;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Phase: sequences (parallel mode). A schema-only dump creates every sequence at its start: each gets the source's
 * {@code last_value} and {@code is_called} as of the snapshot (read outside MVCC, as pg_dump does).
 */
final class Sequences {
  private final RunSpec spec;

  Sequences(RunSpec spec) {
    this.spec = spec;
  }

  int copy() throws SQLException {
    List<Sequence> seqs = Catalog.sequences(spec.coordinator);
    try (Statement st = spec.targetAdmin.createStatement()) {
      for (Sequence s : seqs) {
        String[] state = Catalog.sequenceState(spec.coordinator, s).split(",");
        st.execute("SELECT pg_catalog.setval(" + PgSession.literal(s.qualified()) + "::regclass, " + state[0] + ", " + state[1] + ")");
      }
    }
    if (!seqs.isEmpty()) spec.console.info("set " + Progress.count(seqs.size(), "sequence", "sequences") + " to the source's values");
    return seqs.size();
  }
}
