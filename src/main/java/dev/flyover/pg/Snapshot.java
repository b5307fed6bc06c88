package dev.flyover.pg;

import dev.flyover.pg.PgSession.Side;
import dev.flyover.pg.WorkerPool.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Phase: snapshot. Everything the source is read for happens inside one snapshot ({@code pg_export_snapshot()} on
 * the coordinator's REPEATABLE READ transaction), shared by pg_dump ({@code --snapshot}), every copy worker and the
 * comparison ({@code SET TRANSACTION SNAPSHOT}), so the copy is of one instant even while the app still writes.
 * Workers are pairs of sessions: source (read-only, on the snapshot) and target.
 */
final class Snapshot {
  /** Opens the coordinator's transaction and exports its snapshot; returns the snapshot's name. */
  static String export(Connection coordinator) throws SQLException {
    coordinator.setAutoCommit(false);
    coordinator.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    return Catalog.scalar(coordinator, "SELECT pg_catalog.pg_export_snapshot()");
  }

  private final RunSpec spec;

  Snapshot(RunSpec spec) {
    this.spec = spec;
  }

  /**
   * Opens the workers' sessions, all side by side: each is a TCP connect, a TLS handshake and an authentication,
   * round trips that need not wait for one another (one after the other, 6 took 0.23 s on loopback).
   */
  void openWorkers() throws InterruptedException {
    int jobs = spec.req.jobs();
    List<Connection> sessions = spec.pool.collect(2 * jobs, "connect", i -> i < jobs ? openSource() : openTarget());
    for (int i = 0; i < jobs; i++) spec.workers.add(new Worker(i, sessions.get(i), sessions.get(jobs + i)));
  }

  private Connection openSource() throws SQLException {
    Connection s = spec.stopper.track(PgSession.open(spec.source, Side.SOURCE, spec.sourceInput()));
    s.setAutoCommit(false);
    s.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (Statement st = s.createStatement()) {
      st.execute("SET TRANSACTION SNAPSHOT " + PgSession.literal(spec.snapshot));
    }
    return s;
  }

  private Connection openTarget() throws SQLException {
    Connection t = spec.stopper.track(PgSession.open(spec.target, Side.TARGET, spec.targetInput()));
    try (Statement st = t.createStatement()) {
      st.execute("SET synchronous_commit = off");
    }
    return t;
  }
}
