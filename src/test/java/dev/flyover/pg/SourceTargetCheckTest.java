package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.pg.SourceTargetCheck.Verdict;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, part 1, on the real server: the target is proven not to be the source from the servers themselves,
 * however the URLs are spelled, and a transfer into the source is refused with the source untouched. The roles
 * are not superusers (as on Heroku and Fly): an owner, and a reader with CONNECT and SELECT only.
 */
@Tag("integration")
class SourceTargetCheckTest {
  static final String READER = "fo_stc_reader";
  static final String READER_PASSWORD = "r3ad:only@pw";
  static TestDatabases dbs;
  static String source;
  static String other;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.create("stcsrc");
    other = dbs.create("stcoth");
    dbs.exec(source, "CREATE TABLE accounts (id int PRIMARY KEY, name text); INSERT INTO accounts SELECT g, 'n' || g FROM generate_series(1, 500) g;"
        + " CREATE SCHEMA billing; CREATE TABLE billing.invoices (id serial PRIMARY KEY, amount numeric); INSERT INTO billing.invoices (amount) SELECT g FROM generate_series(1, 50) g;");
    try (Connection c = dbs.adminConnection(); Statement st = c.createStatement()) {
      st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + READER + "') THEN CREATE ROLE "
          + READER + " LOGIN NOSUPERUSER PASSWORD '" + READER_PASSWORD + "'; END IF;"
          + " EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$");
      st.execute("GRANT CONNECT ON DATABASE " + source + " TO " + READER);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    dbs.exec(source, "GRANT USAGE ON SCHEMA public, billing TO " + READER + "; GRANT SELECT ON ALL TABLES IN SCHEMA public, billing TO " + READER);
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Console console = new Console(out, err, false, false);

  String log() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The source as the test role sees it, with the host spelled as given. */
  static PgUrl as(String host, String db) {
    return PgUrl.parse("postgres://" + TestDatabases.ROLE + ":" + TestDatabases.PASSWORD_ENCODED + "@" + host + ":"
        + dbs.port() + "/" + db + "?sslmode=disable", "test");
  }

  static SourceTargetCheck.Result prove(PgUrl s, PgUrl t) {
    return SourceTargetCheck.prove(s, t, "heroku-database-url", "database-url");
  }

  @Test
  void sameDatabaseThroughLocalhostAnd127001() {
    var r = prove(as("127.0.0.1", source), as("localhost", source));
    assertEquals(Verdict.SAME, r.verdict(), r.reason());
    assertEquals(r.source().databaseOid(), r.target().databaseOid());
  }

  @Test
  void sameDatabaseAsAnotherUserWithOnlySelectRights() {
    PgUrl reader = PgUrl.parse("postgres://" + READER + ":" + enc(READER_PASSWORD) + "@" + dbs.host() + ":" + dbs.port()
        + "/" + source + "?sslmode=disable", "test");
    // Either way round: the reader as the source, and as the target.
    assertEquals(Verdict.SAME, prove(reader, as(dbs.host(), source)).verdict());
    assertEquals(Verdict.SAME, prove(as(dbs.host(), source), reader).verdict());
  }

  @Test
  void sameDatabaseSpelledWithPercentEscapesUpperCaseAndQueryParameters() {
    String escaped = source.chars().mapToObj(ch -> String.format("%%%02X", ch)).reduce("", String::concat);
    PgUrl percent = PgUrl.parse("postgresql://" + TestDatabases.ROLE + ":" + TestDatabases.PASSWORD_ENCODED + "@LOCALHOST:"
        + dbs.port() + "/" + escaped + "?sslmode=disable&application_name=app", "test");
    PgUrl params = PgUrl.parse("postgres://ignored-host/ignored?host=127.0.0.1&port=" + dbs.port() + "&dbname=" + source
        + "&user=" + TestDatabases.ROLE + "&password=" + TestDatabases.PASSWORD_ENCODED + "&sslmode=disable", "test");
    assertEquals(Verdict.SAME, prove(as("127.0.0.1", source), percent).verdict());
    assertEquals(Verdict.SAME, prove(percent, params).verdict());
  }

  @Test
  void differentDatabasesOnOneClusterAreAllowed() {
    var r = prove(as("127.0.0.1", source), as("localhost", other));
    assertEquals(Verdict.DIFFERENT, r.verdict(), r.reason());
    assertTrue(r.reason().contains("one server, two databases"), r.reason());
  }

  @Test
  void identitiesComeFromTheServer() throws SQLException {
    try (Connection c = PgSession.open(as("localhost", source), PgSession.Side.SOURCE, "test")) {
      SourceTargetCheck.Identity id = SourceTargetCheck.identify(c);
      assertEquals(source, id.databaseName());
      assertNotNull(id.systemIdentifier(), "PostgreSQL 15 lets every role read pg_control_system()");
      assertEquals("127.0.0.1", id.serverAddress());
      assertEquals(dbs.port(), id.serverPort());
      assertFalse(id.inRecovery());
      // The session's own application_name is given back after the check.
      assertEquals("flyover", Catalog.scalar(c, "SHOW application_name"));
    }
  }

  @Test
  void anUnreadableSystemIdentifierIsHandled() throws SQLException {
    // pg_proc is per database: revoking here changes no other database of the shared cluster.
    String db = dbs.create("stcrev");
    try (Connection c = dbs.adminConnection(); Statement st = c.createStatement()) {
      st.execute("GRANT CONNECT ON DATABASE " + db + " TO " + READER);
    }
    PgUrl admin = PgUrl.parse(System.getenv().getOrDefault("FLYOVER_TEST_PG_URL",
        "postgres://flyover:flyover@127.0.0.1:5432/postgres"), "admin").withDefaultSslMode("disable");
    try (Connection c = java.sql.DriverManager.getConnection(admin.via(admin.host(), admin.port()).jdbcUrl().replaceAll("/[^/]*$", "/" + db),
        admin.jdbcProperties()); Statement st = c.createStatement()) {
      st.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_control_system() FROM PUBLIC");
    }
    PgUrl reader = PgUrl.parse("postgres://" + READER + ":" + enc(READER_PASSWORD) + "@localhost:" + dbs.port()
        + "/" + db + "?sslmode=disable", "test");
    try (Connection c = PgSession.open(reader, PgSession.Side.SOURCE, "test")) {
      assertEquals(null, SourceTargetCheck.identify(c).systemIdentifier());
    }
    assertEquals(Verdict.SAME, prove(reader, as("127.0.0.1", db)).verdict());
    assertEquals(Verdict.DIFFERENT, prove(reader, as("127.0.0.1", other)).verdict());
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"PARALLEL", "STREAM"})
  void overwriteIntoTheSourceIsRefusedAndTheSourceUntouched(Mode mode) {
    Map<String, String> before = Fingerprint.of(dbs, source);
    long tuplesBefore = writes(source);
    TransferRequest req = new TransferRequest(as("127.0.0.1", source), as("localhost", source), mode, 2, Verify.COUNTS,
        true, Optional.empty(), Optional.empty());
    UserError e = assertThrows(UserError.class,
        () -> new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).inputNames(n -> "--" + n).run(req));
    assertTrue(e.getMessage().startsWith("The --database-url target is the source database itself"), e.getMessage());
    assertTrue(e.getMessage().contains("--heroku-database-url"), e.getMessage());
    assertFalse(e.getMessage().contains("overwrite"), "never suggest overwrite for the source: " + e.getMessage());
    assertFalse(log().contains("dropping"), log());
    assertEquals(before, Fingerprint.of(dbs, source), "the source changed");
    assertEquals("500", dbs.scalar(source, "SELECT count(*) FROM accounts"));
    assertEquals("50", dbs.scalar(source, "SELECT count(*) FROM billing.invoices"));
    assertEquals(tuplesBefore, writes(source), "rows were written in the source database");
  }

  @Test
  void withoutOverwriteTheSourceIsRefusedTooNotCalledNonEmpty() {
    TransferRequest req = new TransferRequest(as("localhost", source), as("127.0.0.1", source), Mode.PARALLEL, 1,
        Verify.COUNTS, false, Optional.empty(), Optional.empty());
    UserError e = assertThrows(UserError.class, () -> new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).run(req));
    assertTrue(e.getMessage().startsWith("The database-url target is the source database itself"), e.getMessage());
    assertFalse(e.getMessage().contains("overwrite"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"PARALLEL", "STREAM"})
  void aWholeTransferWritesNothingInTheSource(Mode mode) {
    String target = dbs.create("stctgt");
    long before = writes(source);
    TransferRequest req = new TransferRequest(as("127.0.0.1", source), as("localhost", target), mode, 2,
        Verify.CHECKSUMS, false, Optional.empty(), Optional.empty());
    assertTrue(new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).run(req).verified(), log());
    assertTrue(log().contains("source and target are different databases (one server, two databases"), log());
    // Every statement flyover sent to the source (JDBC sessions, pg_dump) wrote not one tuple, catalogs included.
    assertEquals(before, writes(source), "flyover wrote in the source database");
    // The instrument sees a single write (so the equality above means something).
    String scratch = dbs.create("stcctl");
    long ctl = writes(scratch);
    dbs.exec(scratch, "CREATE TEMP TABLE t (x int)");
    assertTrue(writes(scratch) > ctl, "pg_stat_all_tables did not count a catalog write");
    dbs.exec(scratch, "CREATE TABLE t (x int)");
    long created = writes(scratch);
    dbs.exec(scratch, "ANALYZE t");
    assertTrue(writes(scratch) > created, "a manual ANALYZE was not counted");
  }

  @Test
  void aSourceSessionCannotWriteWhateverItSends() throws SQLException {
    try (Connection c = PgSession.open(as("localhost", source), PgSession.Side.SOURCE, "test")) {
      for (String sql : new String[] {"CREATE TEMP TABLE scratch (x int)", "INSERT INTO public.accounts VALUES (0, 'x')",
          "SELECT nextval('billing.invoices_id_seq')", "DROP SCHEMA billing CASCADE"}) {
        // Not lo_create: before PostgreSQL 16 the large-object functions ignore read-only transactions (seen on
        // 15.18), which is why a whole run is also checked by the server's own write counters above.
        SQLException e = assertThrows(SQLException.class, () -> {
          try (Statement st = c.createStatement()) {
            st.execute(sql);
          }
        }, sql);
        assertEquals("25006", e.getSQLState(), sql + ": " + e.getMessage());
      }
      // Also inside the snapshot transaction the transfer reads in.
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      PgSession.requireReadOnly(c);
      c.rollback();
    }
    assertEquals("500", dbs.scalar(source, "SELECT count(*) FROM accounts"));
  }

  @Test
  void thePreflightForRemoteModeAppliesTheSameRules() {
    // The API another transfer mode calls before it writes: same database refused, an other one checked for emptiness.
    UserError same = assertThrows(UserError.class, () -> TargetGuard.preflight(as("127.0.0.1", source), as("localhost", source),
        true, console, n -> n, "heroku-database-url", "database-url"));
    assertTrue(same.getMessage().startsWith("The database-url target is the source database itself"), same.getMessage());
    String empty = dbs.create("stcempty");
    TargetGuard g = TargetGuard.preflight(as("127.0.0.1", source), as("localhost", empty), false, console, n -> n,
        "heroku-database-url", "database-url");
    assertTrue(g.provenDifferent());
    assertFalse(g.mayClear(false));
    assertTrue(g.mayClear(true));
    UserError full = assertThrows(UserError.class, () -> TargetGuard.preflight(as("127.0.0.1", other), as("localhost", source),
        false, console, n -> "--" + n, "heroku-database-url", "database-url"));
    assertTrue(full.getMessage().contains("set --overwrite to drop them"), full.getMessage());
  }

  @Test
  void inconclusiveDropsNothingAndCopiesOnlyIntoAStrictlyEmptyTarget() throws SQLException {
    SourceTargetCheck.Identity id = new SourceTargetCheck.Identity(null, "t0", true, 1, "d", null, null, 1);
    TargetGuard g = TargetGuard.of(new SourceTargetCheck.Result(Verdict.INCONCLUSIVE, "the source is a standby", id, id), n -> n);
    assertFalse(g.mayClear(true), "overwrite is not acted on without proof");
    assertEquals("drop and recreate it", g.recovery());
    assertThrows(IllegalStateException.class, g::requireDifferent);
    String empty = dbs.create("stcinc");
    String onlySequence = dbs.create("stcseq");
    dbs.exec(onlySequence, "CREATE SEQUENCE counter");
    try (Connection e = dbs.connect(empty); Connection q = dbs.connect(onlySequence); Connection full = dbs.connect(source)) {
      g.checkTarget(e, true, "empty");
      UserError seq = assertThrows(UserError.class, () -> g.checkTarget(q, true, "seq"));
      assertTrue(seq.getMessage().contains("public.counter"), seq.getMessage());
      UserError rows = assertThrows(UserError.class, () -> g.checkTarget(full, true, "full"));
      assertTrue(rows.getMessage().contains("could not prove it is not the source (the source is a standby)"), rows.getMessage());
      assertFalse(rows.getMessage().contains("overwrite"), rows.getMessage());
    }
  }

  /**
   * Rows inserted, updated or deleted in a database's tables since the cluster's statistics began, catalogs
   * included (a temporary table or a large object counts), plus every manual VACUUM or ANALYZE of them. Left out:
   * pg_statistic and pg_statistic_ext_data, which autovacuum's ANALYZE rewrites on its own schedule (it started
   * after the setup's inserts and made pg_stat_database's totals move under the test); a manual ANALYZE by flyover
   * is still seen through analyze_count. Shared catalogs (pg_database, pg_authid, pg_shdepend…) are left out as
   * pg_stat_database leaves them out: their counts are the whole cluster's, moved by every other test. A backend flushes its counts when it exits, before it leaves
   * pg_stat_activity (PostgreSQL 15: pgstat_shutdown_hook is a before_shmem_exit callback, the activity entry is
   * cleared on shmem exit), so this first waits for the database to have no sessions left (autovacuum workers
   * included), then reads pg_stat_all_tables from a session of its own in that database (the view shows one
   * database's tables), which writes nothing.
   */
  static long writes(String db) {
    try (Connection c = dbs.adminConnection(); Statement st = c.createStatement()) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (true) {
        st.execute("SELECT pg_stat_clear_snapshot()");
        try (var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'")) {
          rs.next();
          if (rs.getLong(1) == 0) break;
        }
        if (System.nanoTime() > deadline) throw new IllegalStateException("sessions on " + db + " did not end");
        Thread.sleep(10); // polling a condition, bounded by the deadline above
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    try (Connection c = dbs.connect(db); Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (var rs = st.executeQuery("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del + vacuum_count + analyze_count), 0)"
          + " FROM pg_catalog.pg_stat_all_tables s JOIN pg_catalog.pg_class c ON c.oid = s.relid"
          + " WHERE NOT c.relisshared"
          + " AND s.relid NOT IN ('pg_catalog.pg_statistic'::regclass, 'pg_catalog.pg_statistic_ext_data'::regclass)")) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
