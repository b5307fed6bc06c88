package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table data path outside the JVM (psql to psql, {@link PsqlPipe}) on the real server: every chunk through it
 * ({@code FLYOVER_PG_PIPE=all}), binary and text COPY (aclitem has no binary I/O), whole tables and ctid ranges,
 * zero-column rows; and a source stream cut short never passes for a finished transfer.
 */
@Tag("integration")
class PsqlPipeTransferTest {
  static TestDatabases dbs;
  static String source;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.createSource("pipe");
    dbs.exec(source, "CREATE TABLE kinds (id int PRIMARY KEY, t text, n numeric, j jsonb, a int[], b bytea, ts timestamptz, u uuid);"
        + " INSERT INTO kinds SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'row ' || g || E' tab\\t nl\\n bs\\\\ ünï ✓' END,"
        + " g / 3.0, jsonb_build_object('g', g, 's', repeat('x', g % 50)), ARRAY[g, NULL, -g], decode(md5(g::text), 'hex'),"
        + " '2026-01-01'::timestamptz + g * interval '1 minute', md5(g::text)::uuid FROM generate_series(1, 5000) g;"
        + " CREATE TABLE perms (id int PRIMARY KEY, p aclitem);"
        + " INSERT INTO perms SELECT g, ('=r/' || current_user)::aclitem FROM generate_series(1, 3000) g;"
        + " CREATE TABLE nothing (); INSERT INTO nothing DEFAULT VALUES; INSERT INTO nothing DEFAULT VALUES;"
        + " CREATE TABLE big (id int, pad text); INSERT INTO big SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, 60000) g;");
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  static TransferResult transfer(String target, Map<String, String> env, ByteArrayOutputStream out) {
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 2, Verify.CHECKSUMS, false,
        Optional.empty(), Optional.empty());
    return new DatabaseTransfer(Env.of(env), new Console(out, out, false, false)).minChunkBytes(64 * 1024).run(req);
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FLYOVER_PG_PIPE", "all");
    return env;
  }

  /** A per-table md5 of the rows in id order: an independent check of what Compare says. */
  static String fingerprint(String db, String table) {
    return dbs.scalar(db, "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t");
  }

  @Test
  void everyChunkThroughPsqlArrivesExact() {
    String target = dbs.create("pipet");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransferResult r = transfer(target, env(), out);
    String log = out.toString(StandardCharsets.UTF_8);
    assertTrue(r.verified(), log);
    for (String t : List.of("kinds", "perms", "big")) assertEquals(fingerprint(source, t), fingerprint(target, t), t);
    assertEquals("2", dbs.scalar(target, "SELECT count(*) FROM nothing"));
    // The big table (most of the data: whole tables would idle a worker) went in ctid ranges, the others whole.
    assertTrue(log.matches("(?s).*copying 4 tables in ([5-9]|\\d\\d+) pieces.*"), log);
  }

  /**
   * A psql that stands in for the real one: on the source side (the READ ONLY transaction) it passes on only the
   * first bytes of the stream and then exits with {@code code}; on the target side it is the real psql.
   */
  static Path cuttingPsql(Path dir, int code) throws IOException {
    Map<Integer, PgTools> installed = PgTools.installed(Env.of(new HashMap<>(System.getenv())));
    int major = ((java.util.TreeMap<Integer, PgTools>) installed).lastKey();
    Path real = installed.get(major).pgDump().getParent();
    Path bin = Files.createDirectories(dir.resolve(Integer.toString(major)).resolve("bin"));
    for (String tool : List.of("pg_dump", "pg_restore")) Files.createSymbolicLink(bin.resolve(tool), real.resolve(tool));
    Path psql = bin.resolve("psql");
    Files.writeString(psql, "#!/bin/sh\ncase \"$*\" in\n  *'READ ONLY'*) '" + real.resolve("psql") + "' \"$@\" | head -c 20000; exit "
        + code + " ;;\nesac\nexec '" + real.resolve("psql") + "' \"$@\"\n");
    Files.setPosixFilePermissions(psql, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }

  @Test
  void aStreamCutShortIsNeverVerified(@TempDir Path tmp) throws IOException {
    // The source psql "succeeds" (exit 0) but its stream stops mid-way: the exact counts on the snapshot see it.
    String target = dbs.create("pipecut");
    Map<String, String> env = env();
    env.put("FLYOVER_PG_LIB", cuttingPsql(tmp, 0).toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertFalse(transfer(target, env, out).verified(), out.toString(StandardCharsets.UTF_8));
    } catch (RuntimeException expected) {
      // Cut inside a row the target refuses the chunk itself; cut between rows only the counts can tell.
      assertTrue(expected.getMessage().contains("the target database is incomplete")
          || expected.getMessage().contains("rows on the source but"), expected.getMessage());
    }
  }

  @Test
  void aFailedSourceFailsTheRun(@TempDir Path tmp) throws IOException {
    String target = dbs.create("pipefail");
    Map<String, String> env = env();
    env.put("FLYOVER_PG_LIB", cuttingPsql(tmp, 1).toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RuntimeException f = assertThrows(RuntimeException.class, () -> transfer(target, env, out));
    assertTrue(f.getMessage().contains("from the source failed"), f.getMessage());
    assertTrue(f.getMessage().contains("the target database is incomplete"), f.getMessage());
    assertFalse(out.toString(StandardCharsets.UTF_8).contains(TestDatabases.PASSWORD));
  }
}
