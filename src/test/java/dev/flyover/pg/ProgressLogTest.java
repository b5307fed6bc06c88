package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real transfer's log (real PostgreSQL, pg_dump, pg_restore): progress lines for the index builds and the
 * verification, not only the data, and a verdict that says what was compared. Lines are printed at each unit
 * started ({@link Progress#atEachStart}) instead of every few seconds, so nothing here waits on time.
 */
@Tag("integration")
class ProgressLogTest {
  static TestDatabases dbs;
  static String source;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.createSource("prog");
    dbs.exec(source, """
        CREATE TABLE oban_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, args jsonb NOT NULL);
        CREATE INDEX oban_jobs_args_index ON oban_jobs USING gin (args);
        CREATE INDEX oban_jobs_queue_index ON oban_jobs (queue);
        INSERT INTO oban_jobs (queue, args) SELECT 'q' || (i % 7), jsonb_build_object('n', i) FROM generate_series(1, 3000) i;
        CREATE TABLE settings (key text PRIMARY KEY, value text);
        INSERT INTO settings VALUES ('only', 'one row');
        """);
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  String transfer(Verify verify, String prefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console console = new Console(out, err, false, false);
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(dbs.create(prefix)), Mode.PARALLEL, 2, verify, false,
        Optional.empty(), Optional.empty());
    TransferResult r = new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).progress(Progress::atEachStart).run(req);
    assertTrue(r.verified());
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void indexBuildsAndVerificationShowProgressAndTheVerdictSaysWhatWasCompared() {
    String log = transfer(Verify.COUNTS, "progc");
    List<String> lines = log.lines().toList();
    // Index builds: "indexes 2/4, 0s: oban_jobs_args_index 0s" (two indexes and two primary keys).
    assertTrue(lines.stream().anyMatch(l -> l.matches("indexes \\d/4, \\d+s: .*oban_jobs_args_index \\d+s.*")), log);
    // The tables are compared as each is final, alongside the builds; the end has nothing left to count.
    assertTrue(lines.stream().anyMatch(l -> l.matches("verification \\(row counts\\) alongside \\d/2, \\d+s: .*public\\.oban_jobs \\d+s.*")), log);
    assertTrue(log.contains("2 tables of 2 compared (counts) alongside the index builds"), log);
    assertTrue(lines.stream().anyMatch(l -> l.matches("table data \\d/2, .*")), log);
    assertTrue(log.contains("verification (row counts) done in "), log);
    assertTrue(log.contains(": row counts and sequences equal"), log);
    assertFalse(log.contains("checksums equal"), log);
    assertFalse(log.contains("equals the source"), log);
    // One throughput, named (the progress lines' running rate aside); counts in the singular where there is one.
    assertEquals(1, lines.stream().filter(l -> l.contains("/s") && !l.matches("table data \\d+/\\d+, .*")).count(), log);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("table data: ") && l.contains("/s, 3,001 rows in ")), log);
    assertTrue(log.contains("copied public.settings: 1 row, "), log);
    assertFalse(log.contains(" 1 rows"), log);

    String checked = transfer(Verify.CHECKSUMS, "progs");
    assertTrue(checked.contains("verification (checksums)"), checked);
    assertTrue(checked.contains(": checksums equal"), checked);
    assertFalse(checked.contains("row counts and sequences equal"), checked);
  }
}
