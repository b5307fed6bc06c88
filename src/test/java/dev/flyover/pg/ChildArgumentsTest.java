package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9, part 6: pg_dump, pg_restore and psql (the real ones, behind a recorder found through FLYOVER_PG_LIB) get no
 * URL and no password in their arguments, and the target database's name cannot redirect the restore: a name
 * holding {@code =} is a conninfo to libpq when given bare as {@code --dbname}.
 */
@Tag("integration")
class ChildArgumentsTest {
  static TestDatabases dbs;
  static String source;
  static String decoy;
  static String target;

  @BeforeAll
  static void setUp() throws SQLException {
    dbs = new TestDatabases();
    source = dbs.create("argv");
    decoy = dbs.create("decoy");
    dbs.exec(source, "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, 'i' FROM generate_series(1, 100) g;"
        + " CREATE INDEX items_name ON items (name)");
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  /** A target whose name, read as a conninfo, points at the decoy database (and has a quote and a backslash). */
  static String hostileTarget() throws SQLException {
    String name = "fo_t" + UUID.randomUUID().toString().substring(0, 6) + " host=" + dbs.host() + " dbname=" + decoy + " x='\\";
    try (Connection c = dbs.adminConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + PgSession.ident(name) + " OWNER " + TestDatabases.ROLE);
    }
    return name;
  }

  static void drop(String name) {
    dbs.terminate(name);
    try (Connection c = dbs.adminConnection(); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + PgSession.ident(name) + " WITH (FORCE)");
    } catch (SQLException ignored) {
      // best effort
    }
  }

  /** FLYOVER_PG_LIB with recorders that log their argv, one argument a line, then run the real tool. */
  static Path recorders(Path dir, Path log) throws IOException {
    Path real = PgTools.installed(Env.of(new HashMap<>(System.getenv()))).lastEntry().getValue().pgDump().getParent();
    int major = PgTools.installed(Env.of(new HashMap<>(System.getenv()))).lastKey();
    Path bin = Files.createDirectories(dir.resolve(Integer.toString(major)).resolve("bin"));
    for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
      Path p = bin.resolve(tool);
      Files.writeString(p, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + log + "'; done\n"
          + "printf '%s\\n' '--end--' >> '" + log + "'\nexec '" + real.resolve(tool) + "' \"$@\"\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
    return dir;
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"PARALLEL", "STREAM"})
  void noSecretInArgvAndTheNameCannotRedirectTheRestore(Mode mode, @TempDir Path tmp) throws Exception {
    String name = hostileTarget();
    try {
      Path log = tmp.resolve("argv.log");
      Map<String, String> vars = new HashMap<>(System.getenv());
      vars.put("FLYOVER_PG_LIB", recorders(tmp.resolve("lib"), log).toString());
      vars.put("FLYOVER_PG_PIPE", "all"); // every table through psql (PsqlPipe) in parallel mode
      PgUrl t = PgUrl.parse("postgres://" + TestDatabases.ROLE + ":" + TestDatabases.PASSWORD_ENCODED + "@" + dbs.host() + ":"
          + dbs.port() + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "?sslmode=disable", "test");
      assertEquals(name, t.database());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TransferRequest req = new TransferRequest(dbs.pgUrl(source), t, mode, 2, Verify.COUNTS, false, Optional.empty(), Optional.empty());
      assertTrue(new DatabaseTransfer(Env.of(vars), new Console(out, out, false, false)).run(req).verified(),
          out.toString(StandardCharsets.UTF_8));
      // Everything went where it was meant to; nothing reached the database the name points at.
      assertEquals("100", dbs.scalar(source, "SELECT count(*) FROM items"));
      try (Connection c = java.sql.DriverManager.getConnection(t.jdbcUrl(), t.jdbcProperties())) {
        assertEquals(name, Catalog.currentDatabase(c));
        assertEquals("100", Catalog.scalar(c, "SELECT count(*) FROM public.items"));
        assertEquals("1", Catalog.scalar(c, "SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'items_name'"));
      }
      assertEquals("0", dbs.scalar(decoy, "SELECT count(*) FROM pg_class WHERE relname = 'items'"));
      String argv = Files.readString(log);
      assertTrue(argv.contains("--no-owner"), argv);
      assertFalse(argv.contains(TestDatabases.PASSWORD), argv);
      assertFalse(argv.contains(TestDatabases.PASSWORD_ENCODED), argv);
      assertFalse(argv.contains("postgres://") || argv.contains("postgresql://"), argv);
      String[] lines = argv.split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].startsWith("--dbname=")) assertTrue(lines[i].startsWith("--dbname=dbname='"), lines[i]);
        if (lines[i].equals("-d")) assertTrue(lines[i + 1].startsWith("dbname='"), lines[i + 1]);
      }
      if (mode == Mode.PARALLEL) assertTrue(argv.contains("FROM STDIN"), "the table data went through psql: " + argv);
    } finally {
      drop(name);
    }
  }
}
