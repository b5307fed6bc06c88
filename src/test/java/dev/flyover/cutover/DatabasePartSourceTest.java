package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.TestDatabases;
import dev.flyover.pg.TransferRequest;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: the cutover's database step, given a database-url that reaches the Heroku database itself (a Fly
 * DATABASE_URL still pointing at Heroku), refuses in the plan, in its already-done check (which would otherwise
 * find "the target equals the source") and in the transfer, with or without overwrite; the source is untouched.
 */
@Tag("integration")
class DatabasePartSourceTest {
  /** The Heroku database, reached as its own non-superuser owner (as Heroku's per-database user). */
  static TestDatabases dbs;
  static String db;

  @BeforeAll
  static void setUp() throws SQLException {
    dbs = new TestDatabases();
    db = dbs.createSource("dps");
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
    }
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  static Connection connect() throws SQLException {
    PgUrl u = url("127.0.0.1");
    return DriverManager.getConnection(u.jdbcUrl(), u.jdbcProperties());
  }

  static PgUrl url(String host) {
    return PgUrl.parse(spelled(host), "test");
  }

  static String spelled(String host) {
    return "postgres://" + dbs.role(db) + ":" + TestDatabases.PASSWORD_ENCODED + "@" + host + ":" + dbs.port() + "/" + db
        + "?sslmode=disable";
  }

  static long rows() throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  DatabasePart part(boolean overwrite, Context ctx) {
    return new DatabasePart(ctx, spelled("127.0.0.1"), spelled("localhost"), TransferRequest.Mode.PARALLEL, 1,
        TransferRequest.Verify.COUNTS, overwrite, Optional.empty(), Optional.empty());
  }

  @Test
  void theDatabaseStepRefusesTheSourceAsItsTarget() throws SQLException {
    for (boolean overwrite : new boolean[] {false, true}) {
      Context ctx = new Context(Env.of(new HashMap<>(System.getenv())), new ByteArrayOutputStream(), new ByteArrayOutputStream());
      ctx.actionMode(true);
      DatabasePart part = part(overwrite, ctx);
      UserError plan = assertThrows(UserError.class, part::preflight);
      UserError done = assertThrows(UserError.class, part::alreadyDone, "the source 'equals the source'");
      UserError apply = assertThrows(UserError.class, part::apply);
      for (UserError e : new UserError[] {plan, done, apply}) {
        assertTrue(e.getMessage().startsWith("The database-url target is the source database itself"), e.getMessage());
        assertFalse(e.getMessage().contains("overwrite"), e.getMessage());
      }
      assertEquals(100, rows());
    }
  }
}
