package dev.flyover.pg;

import dev.flyover.UserError;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Proves, from the servers themselves, that the target is not the source before anything is written to it. A URL
 * says nothing: {@code localhost} and {@code 127.0.0.1}, another user, a percent-encoded name, a proxy or a Fly
 * {@code DATABASE_URL} still pointing at Heroku all reach one database under different spellings.
 *
 * <p>Each side is identified by what its server reports ({@link Identity}): the cluster's {@code system_identifier}
 * (where {@code pg_control_system()} is readable), the postmaster's start time, recovery state, the database OID
 * and name, the server address. Then each session carries a random {@code application_name} and each side looks for
 * the other's in its own {@code pg_stat_activity}, which lists every session of its cluster (application_name is
 * shown to every role: PostgreSQL 15 {@code pgstatfuncs.c}, "Values available to all callers"). The verdict:
 * <ul>
 *   <li>{@link Verdict#SAME}: the other side's session is seen in the target's own database, or both report the same
 *       running server (start time and cluster) and the same database OID. Refused, always, whatever overwrite says.
 *   <li>{@link Verdict#DIFFERENT}: the other session is seen in another database of the same cluster, or the
 *       clusters' system identifiers differ, or both are primaries (not in recovery) of different running servers.
 *   <li>{@link Verdict#INCONCLUSIVE}: anything else (a standby or a copy of one cluster on either side, with the
 *       identifier unreadable). Nothing is dropped; a copy into an empty target may go on (the caller's rule).
 * </ul>
 * Only read-only statements are sent to the source, and the source session is checked to be read-only first.
 */
public final class SourceTargetCheck {
  /** What the servers proved. */
  public enum Verdict {
    /** The target is another database: overwrite may drop what it holds. */
    DIFFERENT,
    /** The target is the source database: refuse everything. */
    SAME,
    /** Not proven either way: drop nothing; copy only into an empty target. */
    INCONCLUSIVE
  }

  /**
   * One side as its server describes itself. {@code systemIdentifier} is null when {@code pg_control_system()} is
   * not readable (a managed server may revoke it); {@code serverAddress} is null over a Unix socket.
   */
  public record Identity(String systemIdentifier, String postmasterStart, boolean inRecovery, long databaseOid,
      String databaseName, String serverAddress, Integer serverPort, int backendPid) {
    String where() {
      String a = serverAddress == null ? "a local socket" : serverAddress + (serverPort == null ? "" : ":" + serverPort);
      return "database " + databaseName + " (OID " + databaseOid + ") on the server at " + a;
    }
  }

  /** Whether either side saw the other's session in its own pg_stat_activity, and in which database. */
  enum Seen {
    NOT_SEEN, SAME_DATABASE, OTHER_DATABASE
  }

  /** The verdict, why, and both identities (for the log and the tests). */
  public record Result(Verdict verdict, String reason, Identity source, Identity target) {
    public boolean provenDifferent() {
      return verdict == Verdict.DIFFERENT;
    }

    /**
     * Throws when the target is the source; {@code name} spells an input as the current surface does
     * ({@code database-url} in Actions, {@code --database-url} in a terminal).
     */
    public void refuseIfSame(UnaryOperator<String> name, String sourceInput) {
      if (verdict != Verdict.SAME) return;
      throw new UserError("The " + name.apply("database-url") + " target is the source database itself (" + reason
          + "): flyover never writes to the database named by " + name.apply(sourceInput) + ", so set "
          + name.apply("database-url") + " to the Fly Postgres database's URL (a Fly DATABASE_URL or repository"
          + " secret that still points at Heroku is the usual cause).");
    }

    /** The log line: what was proven and how. */
    public String describe() {
      return switch (verdict) {
        case DIFFERENT -> "source and target are different databases (" + reason + ")";
        case SAME -> "the target is the source database (" + reason + ")";
        case INCONCLUSIVE -> "could not prove that the target is not the source (" + reason + ")";
      };
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private SourceTargetCheck() {}

  /**
   * Opens a read-only session on each side, proves, and closes them: for callers without sessions of their own
   * (remote mode). Connection failures come back as one-sentence {@link UserError}s naming the inputs.
   */
  public static Result prove(PgUrl source, PgUrl target, String sourceInput, String targetInput) {
    try (Connection s = PgSession.open(source, PgSession.Side.SOURCE, sourceInput);
        Connection t = PgSession.open(target, PgSession.Side.TARGET, targetInput)) {
      return prove(s, t);
    } catch (SQLException e) {
      throw new UserError("Could not tell whether " + targetInput + " is another database than " + sourceInput
          + " (" + DatabaseTransfer.firstLine(e) + "): nothing was changed; check both URLs.", e);
    }
  }

  /**
   * Proves on open sessions: {@code source} must be a source session from {@link PgSession#open} (read-only; this
   * is checked), {@code target} any session on the target. Each session's application_name is changed while the
   * check runs and restored after.
   */
  public static Result prove(Connection source, Connection target) throws SQLException {
    PgSession.requireReadOnly(source);
    String sourceToken = token();
    String targetToken = token();
    String sourceName = applicationName(source);
    String targetName = applicationName(target);
    try {
      setApplicationName(source, sourceToken);
      setApplicationName(target, targetToken);
      Identity s = identify(source);
      Identity t = identify(target);
      // Each side looks for the other's session: pg_stat_activity is per cluster, so a sighting means one cluster.
      Long sourceSeenIn = find(target, sourceToken);
      Long targetSeenIn = find(source, targetToken);
      // A restart between the reads would make two start times of one server look like two servers.
      Identity again = identify(source);
      if (!Objects.equals(again.postmasterStart(), s.postmasterStart())) {
        return new Result(Verdict.INCONCLUSIVE, "the source server restarted during the check", s, t);
      }
      Seen seen = Seen.NOT_SEEN;
      if (sourceSeenIn != null) seen = sourceSeenIn == t.databaseOid() ? Seen.SAME_DATABASE : Seen.OTHER_DATABASE;
      if (targetSeenIn != null && seen != Seen.SAME_DATABASE) {
        seen = targetSeenIn == s.databaseOid() ? Seen.SAME_DATABASE : Seen.OTHER_DATABASE;
      }
      return decide(s, t, seen);
    } finally {
      setApplicationName(source, sourceName);
      setApplicationName(target, targetName);
    }
  }

  /** The rule, on what the servers reported; package-private for the decision-table tests. */
  static Result decide(Identity s, Identity t, Seen seen) {
    if (seen != Seen.NOT_SEEN) {
      if (seen == Seen.SAME_DATABASE) {
        return new Result(Verdict.SAME, "the target server lists flyover's source session as connected to its own "
            + t.where() + ", reached as " + s.where(), s, t);
      }
      return new Result(Verdict.DIFFERENT, "one server, two databases: source " + s.databaseName() + " (OID "
          + s.databaseOid() + "), target " + t.databaseName() + " (OID " + t.databaseOid() + ")", s, t);
    }
    boolean bothIds = s.systemIdentifier() != null && t.systemIdentifier() != null;
    if (bothIds && !s.systemIdentifier().equals(t.systemIdentifier())) {
      return new Result(Verdict.DIFFERENT, "different clusters: system identifiers " + s.systemIdentifier() + " and "
          + t.systemIdentifier(), s, t);
    }
    // One running server (one postmaster, one data directory), its sessions hidden from each other (a pooler).
    if (s.postmasterStart().equals(t.postmasterStart())) {
      if (s.databaseOid() == t.databaseOid()) {
        return new Result(Verdict.SAME, "one server (started " + s.postmasterStart() + ") and one database, "
            + t.where(), s, t);
      }
      return new Result(Verdict.DIFFERENT, "one server, two databases: OIDs " + s.databaseOid() + " and "
          + t.databaseOid(), s, t);
    }
    if (bothIds) {
      // Same cluster identifier on two running servers: a standby, or a copy made from a base backup.
      return new Result(Verdict.INCONCLUSIVE, "both servers carry the cluster identifier " + s.systemIdentifier()
          + ": one is a standby or a copy of the other", s, t);
    }
    // Two primaries on two running servers keep two data directories: nothing written to one reaches the other.
    if (!s.inRecovery() && !t.inRecovery()) {
      return new Result(Verdict.DIFFERENT, "two separate primary servers (started " + s.postmasterStart() + " and "
          + t.postmasterStart() + ")", s, t);
    }
    return new Result(Verdict.INCONCLUSIVE, (s.inRecovery() ? "the source" : "the target") + " is a standby and"
        + " the cluster identifiers are not readable, so it may replicate from the other", s, t);
  }

  static Identity identify(Connection c) throws SQLException {
    String sql = "SELECT pg_catalog.pg_backend_pid(), d.oid::bigint, d.datname,"
        + " pg_catalog.host(pg_catalog.inet_server_addr()), pg_catalog.inet_server_port(),"
        + " to_char(pg_catalog.pg_postmaster_start_time() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
        + " pg_catalog.pg_is_in_recovery()"
        + " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      int port = rs.getInt(5);
      Integer serverPort = rs.wasNull() ? null : port;
      return new Identity(systemIdentifier(c), rs.getString(6), rs.getBoolean(7), rs.getLong(2), rs.getString(3),
          rs.getString(4), serverPort, rs.getInt(1));
    }
  }

  /** {@code pg_control_system()}'s identifier, or null where the role may not read it (42501) or it is missing. */
  static String systemIdentifier(Connection c) throws SQLException {
    boolean tx = !c.getAutoCommit();
    Savepoint sp = tx ? c.setSavepoint() : null;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_catalog.pg_control_system()")) {
      String id = rs.next() ? rs.getString(1) : null;
      if (sp != null) c.releaseSavepoint(sp);
      return id;
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      // 42501 insufficient_privilege, 42883 undefined_function: not knowable here; anything else is a real failure.
      if (!state.equals("42501") && !state.equals("42883")) throw e;
      if (sp != null) c.rollback(sp);
      return null;
    }
  }

  /** The OID of the database the session carrying {@code token} is connected to, if this cluster has it. */
  private static Long find(Connection c, String token) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT datid::bigint FROM pg_catalog.pg_stat_activity"
        + " WHERE application_name = ? AND datid IS NOT NULL")) {
      ps.setString(1, token);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static String applicationName(Connection c) throws SQLException {
    return Catalog.scalar(c, "SELECT pg_catalog.current_setting('application_name')");
  }

  private static void setApplicationName(Connection c, String name) throws SQLException {
    // set_config is a plain function call, so it runs in a read-only session (SET does too, but not in every pooler).
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.set_config('application_name', ?, false)")) {
      ps.setString(1, name);
      ps.execute();
    }
  }

  /** 128 random bits: application_name keeps 63 bytes (NAMEDATALEN - 1), and this is 46. */
  private static String token() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "flyover-check-" + HexFormat.of().formatHex(b);
  }
}
