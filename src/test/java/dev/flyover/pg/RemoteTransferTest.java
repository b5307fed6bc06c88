package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.FlyctlDouble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * transfer-mode remote end to end: flyover on the "runner" drives the flyctl double, whose {@code machine run}
 * really runs flyover's classes (the image's entrypoint) with the secret files materialised, and rows move between
 * two real local databases through that "machine". Every flyctl argv is logged by the double and checked.
 */
@Tag("integration")
class RemoteTransferTest {
  static final String IMAGE = "ghcr.io/flyover/flyover:test";
  static final String BROKEN_IMAGE = "ghcr.io/flyover/flyover:no-clients";
  static TestDatabases dbs;
  static String source;
  static Map<String, String> sourcePrint;

  @BeforeAll
  static void setUp() throws IOException {
    dbs = new TestDatabases();
    source = dbs.create("rsrc");
    dbs.exec(source, DatabaseTransferTest.fixture());
    sourcePrint = Fingerprint.of(dbs, source);
    RemoteTransfer.poll = Duration.ofMillis(300);
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  /** flyover's image as the Dockerfile builds it: ENTRYPOINT java … flyover, here this build's classes. */
  static List<String> entrypoint() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "dev.flyover.cli.Main");
  }

  /** The production app "shop": two started machines, and a DATABASE_URL that is NOT the target. */
  FlyctlDouble fly(String appDatabase) {
    FlyctlDouble fly = new FlyctlDouble();
    fly.edit(s -> {
      ObjectNode app = s.with("apps").putObject("shop");
      app.put("name", "shop").put("org", "personal").put("deployed", true).put("hostname", "shop.fly.dev");
      ArrayNode machines = app.putArray("machines");
      machines.addObject().put("id", "148e2d7a0ee389").put("region", "ams").put("state", "started");
      machines.addObject().put("id", "148e2d7a0ee390").put("region", "ams").put("state", "started");
      app.putObject("machine_env").put("DATABASE_URL", dbs.url(appDatabase));
      app.putObject("secrets").putObject("DATABASE_URL").put("value", dbs.url(appDatabase)).put("digest", "x")
          .put("status", "Deployed");
      ObjectNode images = s.with("images");
      ArrayNode ep = images.putObject(IMAGE).putArray("entrypoint");
      entrypoint().forEach(ep::add);
      ObjectNode broken = images.putObject(BROKEN_IMAGE);
      ArrayNode ep2 = broken.putArray("entrypoint");
      entrypoint().forEach(ep2::add);
      // An image without PostgreSQL clients: the transfer fails inside the machine, after the runner's preflight.
      broken.putObject("env").put("FLYOVER_PG_LIB", "/nonexistent");
    });
    return fly;
  }

  ActionHarness action(FlyctlDouble fly, String target, String image) {
    return new ActionHarness().env(fly.env()).env(RemoteOptions.IMAGE_ENV, image)
        .input("command", "database").input("transfer-mode", "remote").input("fly-api-token", "fo-org-token")
        .input("fly-app", "shop").input("heroku-database-url", dbs.url(source)).input("database-url", dbs.url(target))
        .input("transfer-vm-size", "performance-4x").input("jobs", "2");
  }

  /** No URL, password or secret value anywhere in any flyctl argv; secrets only as names and file paths. */
  static void assertNoCredentialInArgv(FlyctlDouble fly) {
    for (JsonNode c : fly.calls()) {
      String argv = c.path("argv").toString();
      assertFalse(argv.contains(TestDatabases.PASSWORD), argv);
      assertFalse(argv.contains(TestDatabases.PASSWORD_ENCODED), argv);
      assertFalse(argv.contains("postgres://") || argv.contains("postgresql://"), argv);
      assertFalse(argv.contains(Base64.getEncoder().encodeToString(dbs.url(source).getBytes(StandardCharsets.UTF_8)).substring(0, 20)), argv);
      assertTrue(c.path("token_source").asText().equals("FLY_API_TOKEN"), argv);
    }
  }

  /** Nothing restarted or changed the production app. */
  static void assertProductionUntouched(FlyctlDouble fly) {
    for (JsonNode c : fly.calls()) {
      List<String> argv = new ArrayList<>();
      c.path("argv").forEach(a -> argv.add(a.asText()));
      assertFalse(argv.size() >= 2 && argv.get(0).equals("secrets") && argv.get(1).equals("deploy"), argv.toString());
      assertFalse(argv.size() >= 2 && argv.get(0).equals("ssh"), argv.toString());
      assertFalse(argv.contains("restart") || argv.get(0).equals("deploy"), argv.toString());
      // Read (status) or used as the way into the organization's network (proxy), nothing else.
      if (argv.contains("shop")) assertTrue(List.of("status", "proxy").contains(argv.get(0)), "the production app was used for " + argv);
    }
    JsonNode shop = fly.app("shop");
    assertEquals(2, shop.path("machines").size());
    assertEquals("[\"DATABASE_URL\"]", fieldNames(shop.path("secrets")), "secrets of the production app changed");
  }

  static String fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext();) names.add("\"" + it.next() + "\"");
    return names.toString().replace(" ", "");
  }

  /** The helper app and its machine are gone, and no machine process is left running. */
  static void assertHelperGone(FlyctlDouble fly) {
    List<String> apps = new ArrayList<>();
    fly.state().path("apps").fieldNames().forEachRemaining(apps::add);
    assertTrue(apps.contains("shop"), apps.toString());
    assertTrue(apps.stream().noneMatch(a -> a.startsWith(RemoteTransfer.HELPER_PREFIX)), apps.toString());
    List<JsonNode> created = fly.calls("apps", "create");
    assertEquals(1, created.size());
    String helper = helper(fly);
    assertTrue(helper.startsWith(RemoteTransfer.HELPER_PREFIX), helper);
    assertEquals("[\"apps\",\"destroy\",\"--yes\",\"--\",\"" + helper + "\"]", fly.calls("apps", "destroy").get(0).path("argv").toString());
    String stateDir = fly.stateDir().toString();
    waitFor(Duration.ofSeconds(20), () -> ProcessHandle.allProcesses().noneMatch(p ->
        p.info().arguments().map(a -> String.join(" ", a).contains(stateDir)).orElse(false)), "a machine process outlived its app");
  }

  /** The helper app's name: the last argument of apps create, after "--". */
  static String helper(FlyctlDouble fly) {
    JsonNode argv = fly.calls("apps", "create").get(0).path("argv");
    return argv.get(argv.size() - 1).asText();
  }

  static void waitFor(Duration max, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError(what);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void rowsMoveThroughTheOneOffMachineIntoTheNamedTargetAndTheHelperIsDestroyed() {
    String target = dbs.create("rtgt");
    String appDb = dbs.create("rapp");
    FlyctlDouble fly = fly(appDb);
    ActionHarness.Result r = action(fly, target, IMAGE).run();
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals("true", r.outputs().get("database-verified"), r.stdout());
    assertEquals("[\"apps\",\"create\",\"--org=personal\",\"--\",\"" + helper(fly) + "\"]",
        fly.calls("apps", "create").get(0).path("argv").toString());
    Map<String, String> t = Fingerprint.of(dbs, target);
    for (String k : sourcePrint.keySet()) assertEquals(sourcePrint.get(k), t.get(k), k);
    assertEquals(sourcePrint, Fingerprint.of(dbs, source), "the source changed");
    // The production app's DATABASE_URL database was never written to.
    assertEquals("0", dbs.scalar(appDb, "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
        + " ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"));
    // The machine's own output came back into the job log, as child output.
    assertTrue(r.stdout().contains("database transfer verified: row counts and sequences equal"), r.stdout());
    assertFalse(r.stdout().contains("flyover-exit "), "the exit line is read, not shown");

    JsonNode run = fly.calls("machine", "run").get(0).path("argv");
    List<String> argv = new ArrayList<>();
    run.forEach(a -> argv.add(a.asText()));
    String helper = argv.get(argv.indexOf("--app") + 1);
    assertTrue(argv.containsAll(List.of("--rm", "--vm-size", "performance-4x", "--region=ams")), argv.toString());
    assertTrue(argv.contains("/run/flyover/heroku-database-url=" + RemoteTransfer.SOURCE_SECRET), argv.toString());
    assertTrue(argv.contains("/run/flyover/database-url=" + RemoteTransfer.TARGET_SECRET), argv.toString());
    List<String> cmd = argv.subList(argv.indexOf("--") + 1, argv.size());
    assertEquals(List.of(IMAGE, "database", "--transfer-mode", "parallel", "--verify", "counts", "--jobs", "2"), cmd);
    assertEquals("[\"secrets\",\"import\",\"-a\",\"" + helper + "\",\"--stage\"]",
        fly.calls("secrets", "import").get(0).path("argv").toString());
    assertNoCredentialInArgv(fly);
    assertProductionUntouched(fly);
    assertHelperGone(fly);
    DatabaseCommandLeaks.assertNoPassword(r.everything());
  }

  @Test
  void aFailureInsideTheMachineIsReadBackAndTheHelperIsStillDestroyed() {
    String target = dbs.create("rfail");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    ActionHarness.Result r = action(fly, target, BROKEN_IMAGE).run();
    assertEquals(1, r.exitCode(), r.stdout());
    String error = r.commands().errors().get(r.commands().errors().size() - 1);
    assertTrue(error.contains("exited with status 1"), error);
    assertTrue(error.contains("No pg_dump/pg_restore of major version"), error);
    assertEquals("false", r.outputs().get("database-verified"));
    assertNoCredentialInArgv(fly);
    assertProductionUntouched(fly);
    assertHelperGone(fly);
    DatabaseCommandLeaks.assertNoPassword(r.everything());
  }

  @Test
  void aNonEmptyTargetIsRefusedBeforeAnythingRunsOnFly() {
    String target = dbs.create("rfull");
    dbs.exec(target, "CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    ActionHarness.Result r = action(fly, target, IMAGE).run();
    assertEquals(1, r.exitCode(), r.stdout());
    assertTrue(r.commands().errors().get(0).contains("already holds 1 tables"), r.stdout());
    assertEquals(List.of(), fly.calls("apps", "create"), "a helper app was made for a run that could not start");
    assertEquals("1", dbs.scalar(target, "SELECT count(*) FROM keep_me"));
  }

  @Test
  void theSourceUnderAnotherSpellingIsRefusedBeforeAnythingRunsOnFlyEvenWithOverwrite() {
    FlyctlDouble fly = fly(dbs.create("rapp"));
    String sameAsSource = dbs.url(source).replace("@" + dbs.host() + ":", "@localhost:");
    ActionHarness.Result r = action(fly, source, IMAGE).input("database-url", sameAsSource).input("overwrite", "true").run();
    assertEquals(1, r.exitCode(), r.stdout());
    assertTrue(r.commands().errors().get(0).contains("target is the source database itself"), r.stdout());
    assertEquals(List.of(), fly.calls("apps", "create"), "a helper app was made for a run that could not start");
    assertEquals(sourcePrint, Fingerprint.of(dbs, source), "the source changed");
  }

  @Test
  void overwriteReachesTheMachineOnlyAfterTheRunnersPreflightAndReplacesTheTarget() {
    String target = dbs.create("rover");
    dbs.exec(target, "CREATE TABLE stale (id int); INSERT INTO stale VALUES (1)");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    ActionHarness.Result r = action(fly, target, IMAGE).input("overwrite", "true").input("verify", "checksums").run();
    assertEquals(0, r.exitCode(), r.stdout());
    List<String> argv = new ArrayList<>();
    fly.calls("machine", "run").get(0).path("argv").forEach(a -> argv.add(a.asText()));
    assertEquals(List.of(IMAGE, "database", "--transfer-mode", "parallel", "--verify", "checksums", "--jobs", "2", "--overwrite"),
        argv.subList(argv.indexOf("--") + 1, argv.size()));
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'stale'"));
    Map<String, String> t = Fingerprint.of(dbs, target);
    for (String k : sourcePrint.keySet()) assertEquals(sourcePrint.get(k), t.get(k), k);
    assertHelperGone(fly);
  }

  @Test
  void aLogStreamThatDropsIsStartedAgainAndNoLineIsShownTwice() {
    String target = dbs.create("rdrop");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    fly.fault("logs", Map.of("mode", "die-after", "entries", 2, "times", 1));
    ActionHarness.Result r = action(fly, target, IMAGE).run();
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals(2, fly.calls("logs").stream().filter(c -> !c.path("argv").toString().contains("--no-tail")).count(),
        "the stream was not started again");
    String out = r.stdout();
    for (String line : List.of("copied public.orders: ", "pre-data restored in ", "indexes and key constraints built")) {
      assertEquals(out.indexOf(line), out.lastIndexOf(line), line + " shown twice: " + out);
      assertTrue(out.contains(line), line + " never shown: " + out);
    }
    assertHelperGone(fly);
  }

  @Test
  void aBadVmSizeIsOneSentenceBeforeAnything() {
    FlyctlDouble fly = fly(dbs.create("rapp"));
    ActionHarness.Result r = action(fly, dbs.create("rvm"), IMAGE).input("transfer-vm-size", "huge-1x").run();
    assertEquals(1, r.exitCode());
    assertTrue(r.commands().errors().get(0).startsWith("The transfer-vm-size input is huge-1x, which is not a Fly Machine size"),
        r.stdout());
    assertEquals(List.of(), fly.calls());
  }

  @Test
  void sigtermDestroysTheHelperAppAndItsMachine() throws Exception {
    String target = dbs.create("rterm");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    // The machine's restore blocks on a table this session is creating (uncommitted, so the target still reads
    // as empty to the preflight): the copy is then in flight on the machine when flyover gets SIGTERM.
    try (Connection hold = dbs.connect(target); Statement st = hold.createStatement()) {
      hold.setAutoCommit(false);
      st.execute("CREATE TABLE public.users (held int)");
      List<String> cmd = new ArrayList<>(entrypoint());
      cmd.addAll(List.of("database", "--transfer-mode", "remote", "--fly-app", "shop"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Path log = Files.createTempFile("flyover-remote-sigterm", ".log");
      pb.redirectOutput(log.toFile());
      pb.environment().putAll(fly.env());
      pb.environment().put("FLY_API_TOKEN", "fo-org-token");
      pb.environment().put("HEROKU_DATABASE_URL", dbs.url(source));
      pb.environment().put("FLY_DATABASE_URL", dbs.url(target));
      pb.environment().put(RemoteOptions.IMAGE_ENV, IMAGE);
      pb.environment().remove("GITHUB_ACTIONS");
      Process p = pb.start();
      try {
        waitFor(Duration.ofSeconds(90), () -> !p.isAlive() || waiting(target), "the machine's restore never started");
        assertTrue(p.isAlive(), read(log));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), read(log));
      } finally {
        p.destroyForcibly();
      }
      String out = read(log);
      assertNotEquals(0, p.exitValue(), out);
      // The JVM may halt before the final sentence once the hook is done; what it does say must be true.
      assertTrue(out.contains("error: flyover was cancelled: stopping the database transfer; the target database is incomplete."), out);
      assertFalse(out.contains("stopped before changing anything"), out);
      hold.rollback();
      assertHelperGone(fly);
      assertProductionUntouched(fly);
      assertNoCredentialInArgv(fly);
    }
  }

  @Test
  void withoutTheExitLineTheMachinesExitEventIsTheVerdict() {
    String target = dbs.create("rcrash");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    // Dies as a process killed by the kernel would: no last line from flyover, only the machine's exit event.
    fly.edit(s -> s.with("images").putObject("crash").putArray("entrypoint").add("python3").add("-c")
        .add("import sys; print('::warning::from the machine'); sys.exit(7)"));
    ActionHarness.Result r = action(fly, target, "crash").run();
    assertEquals(1, r.exitCode(), r.stdout());
    String error = r.commands().errors().get(r.commands().errors().size() - 1);
    assertTrue(error.contains("the transfer on the Fly Machine") && error.contains("exited with status 7"), error);
    // The machine's output is shown, and cannot speak to the runner.
    assertTrue(r.commands().warnings().isEmpty(), r.stdout());
    assertTrue(r.stdout().contains("from the machine"), r.stdout());
    assertHelperGone(fly);
  }

  @Test
  void aDeployTokenThatCannotCreateTheHelperAppIsToldInOneSentence() {
    FlyctlDouble fly = fly(dbs.create("rapp"));
    fly.token("fo-org-token", "app", "shop");
    ActionHarness.Result r = action(fly, dbs.create("rdeploy"), IMAGE).run();
    assertEquals(1, r.exitCode(), r.stdout());
    String error = r.commands().errors().get(0);
    assertTrue(error.startsWith("Could not create the helper app " + RemoteTransfer.HELPER_PREFIX), error);
    assertTrue(error.contains("an org token: fly tokens create org"), error);
    assertEquals(List.of(), fly.calls("apps", "destroy"), "an app flyover did not create was destroyed");
    assertEquals(List.of(), fly.calls("machine", "run"));
  }


  /**
   * The runner's pass after the machine's copy only compares: the machine's flyover already carried the settings
   * and ran ANALYZE, so nothing from here writes to the target again. The "machine" here is a local parallel
   * transfer; the target's setting changed after it stays as it is.
   */
  @Test
  void theRunnersPassAfterTheMachinesCopyOnlyVerifies() {
    String src = dbs.createSource("rvsrc");
    dbs.exec(src, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10);"
        + " ALTER DATABASE " + src + " SET statement_timeout = '5min'");
    String target = dbs.create("rvtgt");
    Env env = Env.of(new HashMap<>(System.getenv()));
    ByteArrayOutputStream runner = new ByteArrayOutputStream();
    ByteArrayOutputStream machine = new ByteArrayOutputStream();
    TransferRequest req = new TransferRequest(dbs.pgUrl(src), dbs.pgUrl(target), TransferRequest.Mode.REMOTE, 2,
        TransferRequest.Verify.COUNTS, false, Optional.empty(), Optional.empty());
    TransferResult r = new DatabaseTransfer(env, new Console(runner, runner, false, false)).remoteCopy((q, started) -> {
      TransferResult copied = new DatabaseTransfer(env, new Console(machine, machine, false, false)).run(new TransferRequest(
          q.source(), q.target(), TransferRequest.Mode.PARALLEL, 2, q.verify(), false, Optional.empty(), Optional.empty()));
      dbs.exec(target, "ALTER DATABASE " + target + " SET statement_timeout = '7min'");
      return copied;
    }).run(req);
    String log = runner.toString(StandardCharsets.UTF_8);
    assertTrue(r.verified(), log);
    assertEquals("7min", dbs.scalar(target, "SHOW statement_timeout"), "the runner wrote a setting");
    assertTrue(log.contains("verifying the remote copy (counts)"), log);
    assertFalse(log.contains("ANALYZE"), log);
    assertFalse(log.contains("database settings carried over"), log);
    assertTrue(machine.toString(StandardCharsets.UTF_8).contains("database settings carried over: statement_timeout"));
    // What the machine applied is still named in the result (the summary's settings line).
    assertEquals(List.of("statement_timeout"), r.settings());
  }

  @Test
  void aFlyPrivateTargetIsPreflightedThroughTheProxyAndHandedToTheMachineAsNamed() throws Exception {
    String target = dbs.create("rflycast");
    FlyctlDouble fly = fly(dbs.create("rapp"));
    Path seen = Files.createTempDirectory("flyover-machine-seen");
    fly.edit(s -> {
      // The database's own app, in another organization and on a custom network: the helper goes next to it.
      ObjectNode db = s.with("apps").putObject("shop-db");
      db.put("name", "shop-db").put("org", "dbteam").put("network", "shopnet").put("hostname", "shop-db.fly.dev");
      db.putArray("machines").addObject().put("id", "148e2d7a0ee391").put("region", "fra").put("state", "started");
      s.withArray("orgs").addObject().put("slug", "dbteam").put("name", "DB Team").put("type", "SHARED");
      s.with("proxy_targets").put("shop-db.flycast:5432", dbs.host() + ":" + dbs.port());
      // A machine that only records what it was given.
      s.with("images").putObject("spy").putArray("entrypoint").add("python3").add("-c").add(
          "import json, os, sys\n"
          + "d = sys.argv[1]\n"
          + "json.dump({k: v for k, v in os.environ.items() if k.startswith('FLY')}, open(d + '/env.json', 'w'))\n"
          + "open(d + '/target', 'w').write(open(os.environ['FLY_DATABASE_URL_FILE']).read())\n"
          + "open(d + '/source', 'w').write(open(os.environ['HEROKU_DATABASE_URL_FILE']).read())\n")
          .add(seen.toString());
    });
    String flycast = dbs.url(target).replace(dbs.host() + ":" + dbs.port(), "shop-db.flycast:5432").replace("?sslmode=disable", "");
    ActionHarness.Result r = action(fly, target, "spy").input("database-url", flycast).run();
    // The spy copied nothing, so the runner's own verification fails: what matters is what the machine got.
    assertEquals(1, r.exitCode(), r.stdout());
    assertEquals(1, fly.calls("proxy").size(), "the preflight reached the target through flyctl proxy");
    assertEquals("[\"apps\",\"create\",\"--org=dbteam\",\"--network=shopnet\",\"--\",\"" + helper(fly) + "\"]",
        fly.calls("apps", "create").get(0).path("argv").toString());
    JsonNode run = fly.calls("machine", "run").get(0).path("argv");
    assertTrue(run.toString().contains("\"--region=fra\""), run.toString());
    // The target exactly as the user named it (Fly-private: sslmode=disable), reached directly on Fly's network.
    assertEquals(PgUrl.parse(flycast, "t").withDefaultSslMode("disable").uri(), Files.readString(seen.resolve("target")));
    assertEquals(dbs.pgUrl(source).uri(), Files.readString(seen.resolve("source")));
    assertTrue(Files.readString(seen.resolve("env.json")).contains("\"FLYOVER_ON_FLY_NETWORK\": \"true\""));
    assertNoCredentialInArgv(fly);
    assertProductionUntouched(fly);
    assertHelperGone(fly);
  }

  /** A session on the target waits for a lock: the machine's pg_restore, blocked by the held CREATE TABLE. */
  static boolean waiting(String db) {
    return "t".equals(dbs.scalar(db, "SELECT count(*) > 0 FROM pg_catalog.pg_stat_activity WHERE datname = '" + db
        + "' AND wait_event_type = 'Lock'"));
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The same leak check as the database command's tests, on this class's role. */
  static final class DatabaseCommandLeaks {
    static void assertNoPassword(String everything) {
      String visible = everything.replaceAll("(?m)^::add-mask::.*$", "");
      assertFalse(visible.contains(TestDatabases.PASSWORD), "password leaked");
      assertFalse(visible.contains(TestDatabases.PASSWORD_ENCODED), "encoded password leaked");
    }
  }
}
