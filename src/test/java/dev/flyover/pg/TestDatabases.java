package dev.flyover.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Databases for the transfer tests on the real cluster (FLYOVER_TEST_PG_URL), each with a unique name. Like on
 * Heroku and Fly Managed Postgres, each side is reached as an ordinary role that owns its database and nothing
 * else (no SUPERUSER, CREATEDB or CREATEROLE): the source as {@link #SOURCE_ROLE}, targets as {@link #ROLE}. The
 * password has characters that need percent-encoding (and is not a word that appears in flyover's own messages,
 * which the masker would then hide). Only the harness itself uses the cluster's superuser ({@link #adminExec}),
 * for what a platform does for its users (installing an untrusted extension, creating an event trigger). Public:
 * the cutover tests' fixture reaches its databases the same way.
 */
public final class TestDatabases implements AutoCloseable {
  /** The target role (as Fly's Managed Postgres hands one out): owns the target databases. */
  public static final String ROLE = "fo_app_target";
  /** The source role (as Heroku's per-database user): owns the source databases. */
  public static final String SOURCE_ROLE = "fo_app_source";
  public static final String PASSWORD = "s3c:r/e@t%Pw";
  public static final String PASSWORD_ENCODED = "s3c%3Ar%2Fe%40t%25Pw";

  private final PgUrl admin;
  private final List<String> created = new ArrayList<>();
  private final java.util.Map<String, String> owners = new java.util.concurrent.ConcurrentHashMap<>();

  public TestDatabases() {
    admin = PgUrl.parse(System.getenv().getOrDefault("FLYOVER_TEST_PG_URL",
        "postgres://flyover:flyover@127.0.0.1:5432/postgres"), "FLYOVER_TEST_PG_URL").withDefaultSslMode("disable");
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      for (String role : List.of(ROLE, SOURCE_ROLE)) {
        st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
            + "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; "
            + "EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$");
        st.execute("ALTER ROLE " + role + " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the test cluster: " + e.getMessage(), e);
    }
  }

  Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(admin.jdbcUrl(), admin.jdbcProperties());
  }

  /** A new empty target database, owned by {@link #ROLE}; dropped on close. */
  public String create(String prefix) {
    return create(prefix, ROLE);
  }

  /** A new empty source database, owned by {@link #SOURCE_ROLE}; dropped on close. */
  public String createSource(String prefix) {
    return create(prefix, SOURCE_ROLE);
  }

  private String create(String prefix, String owner) {
    String name = "fo_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " OWNER " + owner);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    created.add(name);
    owners.put(name, owner);
    return name;
  }

  /** The role a database is reached as: its owner. */
  public String role(String db) {
    return owners.getOrDefault(db, ROLE);
  }

  /** The URL flyover is given for a database (sslmode=disable: the local cluster has no TLS). */
  String url(String db) {
    return "postgres://" + role(db) + ":" + PASSWORD_ENCODED + "@" + admin.host() + ":" + admin.port() + "/" + db + "?sslmode=disable";
  }

  /** The cluster's superuser in one database: what a platform does for its users, never what flyover may need. */
  public void adminExec(String db, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + admin.host() + ":" + admin.port() + "/" + db,
        admin.jdbcProperties()); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  PgUrl pgUrl(String db) {
    return PgUrl.parse(url(db), "test");
  }

  public int port() {
    return admin.port();
  }

  public String host() {
    return admin.host();
  }

  Connection connect(String db) throws SQLException {
    PgUrl u = pgUrl(db);
    return DriverManager.getConnection(u.jdbcUrl(), u.jdbcProperties());
  }

  void exec(String db, String sql) {
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  List<String> column(String db, String sql) {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
  }

  String scalar(String db, String sql) {
    List<String> c = column(db, sql);
    return c.isEmpty() ? null : c.get(0);
  }

  void terminate(String db) {
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
    } catch (SQLException ignored) {
      // best effort
    }
  }

  @Override
  public void close() {
    for (String db : created) {
      terminate(db);
      try (Connection c = adminConnection(); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      } catch (SQLException ignored) {
        // left for the next run's cleanup
      }
    }
  }

  static Properties props(PgUrl u) {
    return u.jdbcProperties();
  }
}
