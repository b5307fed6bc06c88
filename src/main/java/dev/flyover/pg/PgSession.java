package dev.flyover.pg;

import dev.flyover.UserError;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Opens JDBC sessions with the same settings on both sides. Row text (COPY, checksums) depends on these, so they
 * are pinned here and nowhere else: a checksum computed with another TimeZone or float precision would differ
 * for identical data.
 */
public final class PgSession {
  /** Settings every flyover session runs with, source and target alike. */
  public static final Map<String, String> SETTINGS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("client_encoding", "UTF8");
    m.put("extra_float_digits", "3");
    m.put("TimeZone", "UTC");
    m.put("DateStyle", "ISO, MDY");
    m.put("IntervalStyle", "postgres");
    m.put("bytea_output", "hex");
    m.put("standard_conforming_strings", "on");
    m.put("statement_timeout", "0");
    m.put("lock_timeout", "0");
    m.put("idle_in_transaction_session_timeout", "0");
    m.put("search_path", "pg_catalog");
    // As pg_dump does: a row-level security policy that would hide rows makes COPY fail instead of copying less.
    m.put("row_security", "off");
    SETTINGS = java.util.Collections.unmodifiableMap(m);
  }

  /** Which side a session is on: source sessions are read-only from their first statement. */
  public enum Side {
    SOURCE, TARGET
  }

  private PgSession() {}

  /**
   * The same settings for a psql or pg_restore child, as libpq's {@code PGOPTIONS}: {@code -c name=value} each,
   * spaces and backslashes in values escaped with a backslash (PostgreSQL 15 libpq docs, "options"), and a source
   * session read-only from its first statement.
   */
  static String pgOptions(Side side) {
    Map<String, String> m = new java.util.LinkedHashMap<>(SETTINGS);
    if (side == Side.SOURCE) m.put("default_transaction_read_only", "on");
    return options(m);
  }

  /** Settings as {@code PGOPTIONS}: {@code -c name=value} each, a space or backslash in a value escaped. */
  static String options(Map<String, String> settings) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (sb.length() > 0) sb.append(' ');
      sb.append("-c ").append(e.getKey()).append('=').append(e.getValue().replace("\\", "\\\\").replace(" ", "\\ "));
    }
    return sb.toString();
  }


  /**
   * Connects, applies {@link #SETTINGS}, and makes source sessions READ ONLY (flyover never writes to the
   * source). {@code inputName} names the input in the one-sentence error when the database cannot be reached, as
   * the surface does (Context#named: "database-url input" in Actions, "--database-url option" in a terminal).
   */
  public static Connection open(PgUrl url, Side side, String inputName) {
    Properties p = url.jdbcProperties();
    p.setProperty("ApplicationName", p.getProperty("ApplicationName", "flyover"));
    p.setProperty("connectTimeout", p.getProperty("connectTimeout", "20"));
    p.setProperty("tcpKeepAlive", "true");
    // COPY streams are large; the default is fine, but never let the driver buffer whole results.
    p.setProperty("defaultRowFetchSize", "1000");
    try {
      Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
      try (Statement st = c.createStatement()) {
        st.execute(sets(SETTINGS) + (side == Side.SOURCE ? "SET default_transaction_read_only = on" : ""));
      }
      if (side == Side.SOURCE && !isReadOnly(c)) {
        c.close();
        throw new UserError("The source session at " + url.describe() + " (from the " + inputName + ") did not become"
            + " read-only, so flyover will not use it: give the database's direct URL (not a connection pooler's) in the "
            + inputName + ".");
      }
      return c;
    } catch (SQLException e) {
      throw connectError(url, inputName, e);
    }
  }

  /**
   * Fails unless the session's next transaction is read-only: the server then rejects any write with
   * {@code 25006 read_only_sql_transaction}, whatever statement would be sent. Asked of the server, not assumed.
   */
  public static void requireReadOnly(Connection c) throws SQLException {
    if (!isReadOnly(c)) throw new IllegalStateException("a source session is not read-only");
  }

  private static boolean isReadOnly(Connection c) throws SQLException {
    String sql = c.getAutoCommit() ? "SELECT pg_catalog.current_setting('default_transaction_read_only')"
        : "SELECT pg_catalog.current_setting('transaction_read_only')";
    try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
      return rs.next() && "on".equals(rs.getString(1));
    }
  }

  /** One sentence for a database that cannot be reached or refuses us; never the password. */
  public static UserError connectError(PgUrl url, String inputName, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = url.describe() + " (from the " + inputName + ")";
    String msg = switch (state) {
      case "28P01" -> "The password for user " + url.user() + " was rejected by " + where + ": check the " + inputName + ".";
      case "28000" -> "The server at " + where + " refused the connection (" + firstLine(e) + "): check the user and sslmode in the " + inputName + ".";
      case "3D000" -> "The database " + url.database() + " does not exist on " + where + ": fix the database name in the " + inputName + ".";
      case "53300" -> "The server at " + where + " has no free connections (too many clients): lower the number of jobs or close other sessions.";
      default -> "Could not connect to " + where + " (" + firstLine(e) + "): check that the host is reachable and the " + inputName + " is right.";
    };
    return new UserError(msg, e);
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m).strip();
  }

  /**
   * Settings as one string of {@code SET} statements, sent in one round trip (pgjdbc sends a multi-statement
   * string's queries with one Sync): a run opens up to 3 x jobs + 2 sessions, and across the internet each round
   * trip counts.
   */
  static String sets(Map<String, String> settings) {
    StringBuilder sql = new StringBuilder();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      sql.append("SET ").append(e.getKey()).append(" = ").append(literal(e.getValue())).append("; ");
    }
    return sql.toString();
  }

  /** A SQL string literal. */
  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * A SQL identifier, always double-quoted: the one quoting function for every name flyover puts in SQL. Names
   * come from the catalogs exactly as stored, so quoting every one is always right, whereas quoting "only when
   * needed" depends on a keyword list that differs by server version (a column named {@code left} broke the old
   * list). {@code quote_ident()} and {@code format('%I')} quote the same way where SQL builds names server-side.
   */
  public static String ident(String s) {
    if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("an identifier cannot contain NUL");
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
