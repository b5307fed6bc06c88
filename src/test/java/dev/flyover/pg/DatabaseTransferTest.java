package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real PostgreSQL, pg_dump, pg_restore and JDBC: every hard case arrives identical, in each local mode. */
@Tag("integration")
class DatabaseTransferTest {
  static TestDatabases dbs;
  static String source;
  static Map<String, String> sourcePrint;

  @BeforeAll
  static void setUp() throws IOException {
    dbs = new TestDatabases();
    source = dbs.createSource("src");
    dbs.exec(source, fixture());
    sourcePrint = Fingerprint.of(dbs, source);
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  static String fixture() throws IOException {
    try (InputStream in = DatabaseTransferTest.class.getResourceAsStream("hard_cases.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Console console = new Console(out, err, false, false);

  TransferResult transfer(String target, Mode mode, int jobs, Verify verify, boolean overwrite) {
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), mode, jobs, verify, overwrite,
        Optional.empty(), Optional.empty());
    return new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).minChunkBytes(64 * 1024).run(req);
  }

  String log() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  void assertIdentical(String target) {
    Map<String, String> t = Fingerprint.of(dbs, target);
    Map<String, String> s = new HashMap<>(sourcePrint);
    // The only intended difference: ALTER DATABASE settings name their database in no dump, so they compare as-is.
    assertEquals(s.keySet(), t.keySet());
    for (String k : s.keySet()) assertEquals(s.get(k), t.get(k), k);
    // Heroku's search_path made it: the citext comparison stays case-insensitive in a new session.
    assertEquals("1", dbs.scalar(target, "SELECT count(*) FROM users WHERE email = 'ALICE@example.com'"));
    assertEquals(sourcePrint, Fingerprint.of(dbs, source), "the source changed");
  }

  @Test
  void parallelCarriesEveryHardCaseWithChecksums() {
    String target = dbs.create("par");
    TransferResult r = transfer(target, Mode.PARALLEL, 3, Verify.CHECKSUMS, false);
    assertTrue(r.verified(), log());
    assertIdentical(target);
    assertTrue(log().contains("pieces with 3 workers"), log());
    // orders -> users, members -> teams, members -> members and teams -> members, each once both tables were in.
    assertTrue(log().contains(", 4 foreign keys added and "), log());
    assertTrue(log().contains("post-data restored in"), "the publication's table is left to pg_restore: " + log());
    assertTrue(r.tables().stream().anyMatch(t -> t.table().equals("public.orders") && t.sourceRows() == 20000 && t.match()));
    assertEquals(List.of("search_path", "statement_timeout", "work_mem (role " + TestDatabases.ROLE + ")"),
        r.settings());
    assertEquals(3, r.largeObjects());
    assertFalse(log().contains(TestDatabases.PASSWORD), "password printed");
  }

  @Test
  void parallelWithOneJob() {
    String target = dbs.create("one");
    TransferResult r = transfer(target, Mode.PARALLEL, 1, Verify.COUNTS, false);
    assertTrue(r.verified(), log());
    assertIdentical(target);
  }

  @Test
  void streamCarriesEveryHardCase() {
    String target = dbs.create("str");
    TransferResult r = transfer(target, Mode.STREAM, 2, Verify.CHECKSUMS, false);
    assertTrue(r.verified(), log());
    assertIdentical(target);
  }

  @Test
  void nonEmptyTargetIsRefusedWithoutOverwriteAndReplacedWithIt() {
    String target = dbs.create("ovr");
    dbs.exec(target, "CREATE TABLE keep_me (a int); INSERT INTO keep_me VALUES (1)");
    UserError e = assertThrows(UserError.class, () -> transfer(target, Mode.PARALLEL, 2, Verify.COUNTS, false));
    assertTrue(e.getMessage().contains("already holds 1 tables or views (public.keep_me)"), e.getMessage());
    assertTrue(e.getMessage().contains("overwrite: true"), e.getMessage());
    assertFalse(e.getMessage().contains("incomplete"), e.getMessage());
    assertEquals("1", dbs.scalar(target, "SELECT count(*) FROM keep_me"), "nothing dropped without overwrite");

    TransferResult r = transfer(target, Mode.PARALLEL, 2, Verify.COUNTS, true);
    assertTrue(r.verified(), log());
    assertIdentical(target);
  }

  @Test
  void streamOverwriteUsesCleanIfExists() {
    String target = dbs.create("sov");
    assertTrue(transfer(target, Mode.STREAM, 1, Verify.COUNTS, false).verified(), log());
    assertTrue(transfer(target, Mode.STREAM, 1, Verify.COUNTS, true).verified(), log());
    assertIdentical(target);
  }

  @Test
  void missingClientToolsNameTheThreeVersions() {
    String target = dbs.create("ver");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FLYOVER_PG_LIB", "/nonexistent");
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 1, Verify.COUNTS,
        false, Optional.empty(), Optional.empty());
    UserError e = assertThrows(UserError.class, () -> new DatabaseTransfer(Env.of(env), console).run(req));
    assertTrue(e.getMessage().contains("No pg_dump/pg_restore of major version 15 is installed (source server 15, target server 15, clients found: none"),
        e.getMessage());
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"));
  }

  @Test
  void badPasswordIsOneSentenceWithoutThePassword() {
    String target = dbs.create("pw");
    String wrong = "postgres://" + TestDatabases.SOURCE_ROLE + ":Wr0ngPassw0rd@" + dbs.host() + ":" + dbs.port() + "/" + source + "?sslmode=disable";
    TransferRequest req = new TransferRequest(PgUrl.parse(wrong, "heroku-database-url"), dbs.pgUrl(target), Mode.PARALLEL, 1,
        Verify.COUNTS, false, Optional.empty(), Optional.empty());
    UserError e = assertThrows(UserError.class, () -> new DatabaseTransfer(Env.of(System.getenv()), console).run(req));
    assertTrue(e.getMessage().contains("was rejected by " + dbs.host() + ":" + dbs.port() + "/" + source + " (from the --heroku-database-url option)"), e.getMessage());
    assertFalse(e.getMessage().contains("Wr0ngPassw0rd"));
  }

  @Test
  void unreachableDatabaseIsOneSentence() {
    String target = dbs.create("unr");
    TransferRequest req = new TransferRequest(PgUrl.parse("postgres://u:p@127.0.0.1:1/db?sslmode=disable", "heroku-database-url"),
        dbs.pgUrl(target), Mode.PARALLEL, 1, Verify.COUNTS, false, Optional.empty(), Optional.empty());
    UserError e = assertThrows(UserError.class, () -> new DatabaseTransfer(Env.of(System.getenv()), console).run(req));
    assertTrue(e.getMessage().startsWith("Could not connect to 127.0.0.1:1/db (from the --heroku-database-url option)"), e.getMessage());
  }
}
