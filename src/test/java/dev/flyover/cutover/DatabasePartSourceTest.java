package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.TransferRequest;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Optional;
import java.util.UUID;
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
  static PgUrl admin;
  static String db;

  @BeforeAll
  static void setUp() throws SQLException {
    admin = PgUrl.parse(System.getenv().getOrDefault("FLYOVER_TEST_PG_URL",
        "postgres://flyover:flyover@127.0.0.1:5432/postgres"), "FLYOVER_TEST_PG_URL").withDefaultSslMode("disable");
    db = "fo_dps_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.jdbcProperties()); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100)");
    }
  }

  @AfterAll
  static void tearDown() throws SQLException {
    try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.jdbcProperties()); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  static Connection connect() throws SQLException {
    PgUrl u = url("127.0.0.1");
    return DriverManager.getConnection(u.jdbcUrl(), u.jdbcProperties());
  }

  static PgUrl url(String host) {
    return PgUrl.parse(spelled(host), "test");
  }

  static String spelled(String host) {
    return "postgres://" + admin.user() + ":" + admin.password() + "@" + host + ":" + admin.port() + "/" + db + "?sslmode=disable";
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
