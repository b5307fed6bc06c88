package dev.flyover.pg;

import dev.flyover.pg.Catalog.Sequence;
import java.sql.Connection;
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
    set(spec.targetAdmin, seqs, Catalog.sequenceStates(spec.coordinator, seqs));
    if (!seqs.isEmpty()) spec.console.info("set " + Progress.count(seqs.size(), "sequence", "sequences") + " to the source's values");
    return seqs.size();
  }

  /**
   * Gives each sequence its state ({@code last_value,is_called}, as {@link Catalog#sequenceStates} reads them) on
   * the target: one {@code setval} per sequence, {@link Catalog#BATCH} of them per statement.
   */
  static void set(Connection target, List<Sequence> seqs, List<String> states) throws SQLException {
    List<List<Sequence>> parts = Catalog.slices(seqs, Catalog.BATCH);
    int done = 0;
    try (Statement st = target.createStatement()) {
      for (List<Sequence> part : parts) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < part.size(); i++) {
          String[] state = states.get(done + i).split(",");
          // The value came from the server as a number: parsing it keeps anything else out of the statement.
          values.append(i == 0 ? "" : ", ").append('(').append(PgSession.literal(part.get(i).qualified())).append(", ")
              .append(Long.parseLong(state[0])).append("::bigint, ").append(Boolean.parseBoolean(state[1])).append(')');
        }
        st.execute("SELECT pg_catalog.setval(v.seq::pg_catalog.regclass, v.value, v.called) FROM (VALUES " + values
            + ") AS v(seq, value, called)");
        done += part.size();
      }
    }
  }
}
