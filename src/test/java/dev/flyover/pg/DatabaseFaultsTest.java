package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import dev.flyover.testing.FlyctlDouble;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each fault ends the run with one clear sentence, the target reported incomplete, the source untouched, and no
 * child process or session left behind.
 */
@Tag("integration")
class DatabaseFaultsTest {
  static TestDatabases dbs;
  static String source;
  static Map<String, String> sourcePrint;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.createSource("fsrc");
    // Big enough that a COPY lasts long enough to be interrupted, small enough to build in a second.
    dbs.exec(source, "CREATE TABLE big (id bigint PRIMARY KEY, pad text);"
        + " INSERT INTO big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 300000) g;"
        + " CREATE TABLE orders (id int PRIMARY KEY, total numeric); INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g;"
        + " CREATE TABLE parted (id int, at date) PARTITION BY RANGE (at);"
        + " CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
        + "");
    dbs.exec(source, "VACUUM ANALYZE");
    sourcePrint = Fingerprint.of(dbs, source);
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final Console console = new Console(out, out, false, false);

  CompletableFuture<TransferResult> start(String target, Mode mode, Env env, String targetUrl, Optional<String> app) {
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), PgUrl.parse(targetUrl, "database-url"), mode, 2,
        Verify.COUNTS, false, app, Optional.empty());
    CompletableFuture<TransferResult> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(new DatabaseTransfer(env, console).run(req));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return f;
  }

  CompletableFuture<TransferResult> start(String target, Mode mode) {
    return start(target, mode, Env.of(System.getenv()), dbs.url(target), Optional.empty());
  }

  UserError failure(CompletableFuture<TransferResult> f) throws Exception {
    try {
      TransferResult r = f.get(120, TimeUnit.SECONDS);
      throw new AssertionError("the transfer succeeded: " + r + "\n" + out.toString(StandardCharsets.UTF_8));
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UserError u) return u;
      throw e;
    }
  }

  /** The common promises after any fault. */
  void assertCleanFailure(UserError e, String target) throws Exception {
    assertTrue(e.getMessage().contains("the target database is incomplete"), e.getMessage());
    assertEquals(sourcePrint, Fingerprint.of(dbs, source), "the source changed");
    waitFor(() -> children().isEmpty(), "child processes left behind: " + children());
    waitFor(() -> sessions(source) == 0 && sessions(target) == 0, "sessions left open");
  }

  static List<String> children() {
    List<String> out = new ArrayList<>();
    ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(p -> {
      String cmd = p.info().commandLine().orElse(p.info().command().orElse(""));
      if (cmd.contains("pg_dump") || cmd.contains("pg_restore") || cmd.contains("flyctl")) out.add(cmd);
    });
    return out;
  }

  static int sessions(String db) {
    try (Connection c = dbs.adminConnection(); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void waitFor(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (cond.getAsBoolean()) return;
      Thread.sleep(50);
    }
    throw new AssertionError(what);
  }

  /** Terminates the first backend on db whose query matches, as a dropped connection would end it. */
  static void terminateWhen(String db, String queryLike) {
    Thread t = new Thread(() -> {
      try (Connection c = dbs.adminConnection(); Statement st = c.createStatement()) {
        for (int i = 0; i < 3000; i++) {
          try (java.sql.ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
              + " WHERE datname = '" + db + "' AND query LIKE '" + queryLike + "' AND state = 'active'")) {
            rs.next();
            if (rs.getInt(1) > 0) return;
          }
          Thread.sleep(5);
        }
      } catch (Exception ignored) {
        // The test's own assertions report what happened.
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @Test
  void aWorkersCopyFailing() throws Exception {
    String target = dbs.create("fcopy");
    // A target-side event trigger makes every new orders table reject rows: the COPY into it fails.
    dbs.adminExec(target, "CREATE FUNCTION boom() RETURNS event_trigger LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN"
        + " FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' AND object_identity = 'public.orders' LOOP"
        + " EXECUTE 'ALTER TABLE public.orders ADD CONSTRAINT boom CHECK (total < 0)'; END LOOP; END $$;"
        + " CREATE EVENT TRIGGER boom ON ddl_command_end EXECUTE FUNCTION boom()");
    UserError e = failure(start(target, Mode.PARALLEL));
    assertTrue(e.getMessage().startsWith("The database transfer failed: writing public.orders to the target failed"), e.getMessage());
    assertTrue(e.getMessage().contains("violates check constraint \"boom\""), e.getMessage());
    assertCleanFailure(e, target);
  }

  @Test
  void theSourceConnectionDropping() throws Exception {
    String target = dbs.create("fsrcdrop");
    terminateWhen(source, "COPY %big% TO STDOUT%");
    UserError e = failure(start(target, Mode.PARALLEL));
    assertTrue(e.getMessage().contains("reading public.big from the source failed"), e.getMessage());
    assertCleanFailure(e, target);
  }

  @Test
  void theTargetConnectionDropping() throws Exception {
    String target = dbs.create("ftgtdrop");
    terminateWhen(target, "COPY %big% FROM STDIN%");
    UserError e = failure(start(target, Mode.PARALLEL));
    assertTrue(e.getMessage().contains("writing public.big to the target failed"), e.getMessage());
    assertCleanFailure(e, target);
  }

  /**
   * Holds an exclusive lock on a partitioned parent of the source (which pg_dump locks and flyover's own catalog
   * reads do not), so pg_dump waits and can be caught alive.
   */
  static Connection lockBig() throws Exception {
    Connection c = dbs.connect(source);
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE ONLY parted IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }

  static ProcessHandle waitForChild(String name) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Optional<ProcessHandle> p = ProcessHandle.current().descendants()
          .filter(h -> h.info().command().orElse("").endsWith("/" + name)).findFirst();
      if (p.isPresent()) return p.get();
      Thread.sleep(50);
    }
    throw new AssertionError(name + " never started");
  }

  @Test
  void pgDumpKilled() throws Exception {
    String target = dbs.create("fdump");
    Connection lock = lockBig();
    try {
      CompletableFuture<TransferResult> f = start(target, Mode.PARALLEL);
      waitForChild("pg_dump").destroyForcibly();
      UserError e = failure(f);
      assertTrue(e.getMessage().contains("pg_dump of the schema was killed by signal 9"), e.getMessage());
      lock.close();
      assertCleanFailure(e, target);
    } finally {
      lock.close();
    }
  }

  @Test
  void pgRestoreKilledInStreamMode() throws Exception {
    String target = dbs.create("frest");
    Connection lock = lockBig();
    try {
      CompletableFuture<TransferResult> f = start(target, Mode.STREAM);
      waitForChild("pg_dump");
      waitForChild("pg_restore").destroyForcibly();
      lock.close();
      UserError e = failure(f);
      assertTrue(e.getMessage().contains("pg_restore was killed by signal 9"), e.getMessage());
      assertCleanFailure(e, target);
    } finally {
      lock.close();
    }
  }

  @Test
  void flyctlProxyDying() throws Exception {
    String target = dbs.create("fproxy");
    FlyctlDouble fly = new FlyctlDouble();
    fly.edit(s -> {
      s.with("apps").putObject("shop-db").put("name", "shop-db");
      s.with("proxy_targets").put("shop-db.flycast:5432", dbs.host() + ":" + dbs.port());
      s.with("faults").putObject("proxy").put("mode", "die-after-bytes").put("bytes", 2_000_000);
    });
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(fly.env());
    env.put("FLY_API_TOKEN", "tok");
    String url = "postgres://" + TestDatabases.ROLE + ":" + TestDatabases.PASSWORD_ENCODED + "@shop-db.flycast:5432/" + target + "?sslmode=disable";
    UserError e = failure(start(target, Mode.PARALLEL, Env.of(env), url, Optional.of("shop-db")));
    assertTrue(e.getMessage().contains("flyctl proxy exited"), e.getMessage());
    assertCleanFailure(e, target);
  }

  @Test
  void sigtermStopsWorkersAndChildren() throws Exception {
    String target = dbs.create("fterm");
    Connection lock = lockBig();
    try {
      List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
          System.getProperty("java.class.path"), "dev.flyover.cli.Main", "database", "--jobs=2");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("HEROKU_DATABASE_URL", dbs.url(source));
      pb.environment().put("FLY_DATABASE_URL", dbs.url(target));
      Process p = pb.start();
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> {
        try {
          p.getInputStream().transferTo(captured);
        } catch (java.io.IOException ignored) {
          // closed on exit
        }
      });
      reader.start();
      ProcessHandle dump = null;
      for (int i = 0; i < 600 && dump == null; i++) {
        dump = p.descendants().filter(h -> h.info().command().orElse("").endsWith("/pg_dump")).findFirst().orElse(null);
        Thread.sleep(50);
      }
      assertTrue(dump != null, "pg_dump never started");
      p.toHandle().destroy(); // SIGTERM, as the runner sends on cancel (Process.destroy would close our pipes)
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      reader.join(10_000);
      String output = captured.toString(StandardCharsets.UTF_8);
      assertNotEquals(0, p.exitValue());
      assertTrue(output.contains("flyover was cancelled"), output);
      assertTrue(output.contains("the target database is incomplete"), output);
      ProcessHandle d = dump;
      waitFor(() -> !d.isAlive(), "pg_dump outlived flyover");
      lock.close();
      waitFor(() -> sessions(source) == 0 && sessions(target) == 0, "sessions left open");
      assertEquals(sourcePrint, Fingerprint.of(dbs, source), "the source changed");
    } finally {
      lock.close();
    }
  }
}
