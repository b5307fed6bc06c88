package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A database no one here wrote: PostgreSQL 15's own regression SQL (taken at test time from Debian's postgresql-15
 * source package by scripts/pg-regress-corpus.sh, never kept in the repository), run in its schedule's order as an
 * ordinary role owning its database (as a Heroku user), plus a pg_partman-managed table. Transferred in parallel
 * mode, then compared by an independent check ({@link Fingerprint}: pg_dump -s of both sides, every table's rows,
 * sequences, large objects with comments, settings, extension configuration rows).
 */
@Tag("integration")
class RegressionCorpusTest {
  static final Path CORPUS = Path.of(System.getenv().getOrDefault("FLYOVER_PG_REGRESS_DIR", "/var/cache/flyover/pg15-regress"));
  static TestDatabases dbs;

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  @Test
  void theRegressionDatabaseArrivesExactly() throws Exception {
    assumeTrue(Files.isRegularFile(CORPUS.resolve("parallel_schedule")), "the PostgreSQL regression corpus is not in " + CORPUS
        + ": run scripts/pg-regress-corpus.sh (scripts/setup-local.sh does)");
    dbs = new TestDatabases();
    String source = dbs.createSource("regress");
    boolean partman = ExactnessTest.partmanInstalled();
    if (partman) ExactnessTest.installPartman(dbs, source);
    build(source);
    if (partman) {
      dbs.exec(source, "CREATE TABLE partman_events (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);"
          + " SELECT partman.create_parent('public.partman_events', 'at', 'native', 'daily', p_premake := 2);"
          + " INSERT INTO partman_events SELECT g, now() + g * interval '10 seconds' FROM generate_series(1, 2000) g;");
    }
    dbs.exec(source, "SELECT lo_from_bytea(777001, 'corpus'); COMMENT ON LARGE OBJECT 777001 IS 'corpus blob'");
    Map<String, String> before = Fingerprint.of(dbs, source);
    String target = dbs.create("regresst");
    if (partman) ExactnessTest.installPartman(dbs, target);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 2, Verify.COUNTS, false,
        Optional.empty(), Optional.empty());
    TransferResult r = new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), new Console(out, out, false, false)).run(req);
    String log = out.toString(StandardCharsets.UTF_8);
    assertTrue(r.verified(), log);
    assertTrue(r.tables().size() > 100, "the corpus is smaller than expected: " + r.tables().size() + " tables");
    // Over 100 tables: the pre-data was split by pg_dump's dependencies and restored by 2 pg_restore side by side.
    assertTrue(log.contains("pg_restore side by side)"), log);
    Map<String, String> after = Fingerprint.of(dbs, target);
    assertEquals(new TreeSet<>(before.keySet()), new TreeSet<>(after.keySet()));
    List<String> differ = new ArrayList<>();
    for (String k : before.keySet()) if (!before.get(k).equals(after.get(k))) differ.add(k);
    if (differ.contains("schema")) differ.set(differ.indexOf("schema"), "schema:\n" + firstDifference(before.get("schema"), after.get("schema")));
    assertEquals(List.of(), differ);
    assertEquals(before, Fingerprint.of(dbs, source), "the source changed");
  }

  /** Runs the schedule's scripts in order as the source role; their deliberate errors are part of the tests. */
  static void build(String db) throws IOException, InterruptedException {
    List<String> tests = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("parallel_schedule"))) {
      if (line.startsWith("test:")) for (String t : line.substring(5).trim().split("\\s+")) tests.add(t);
    }
    Path all = Files.createTempFile("flyover-regress", ".sql");
    try {
      StringBuilder sql = new StringBuilder();
      for (String t : tests) {
        Path f = CORPUS.resolve("sql").resolve(t + ".sql");
        if (!Files.isRegularFile(f)) continue;
        // Server-side COPY FROM a file needs pg_read_server_files; psql's \copy reads the same file as the client.
        String text = Files.readString(f, StandardCharsets.UTF_8).replaceAll("(?m)^COPY (\\w+) FROM :'filename';", "\\\\copy $1 FROM :'filename'");
        // Each script starts from a fresh session, as pg_regress runs it.
        sql.append("\\connect\n").append(text).append('\n');
      }
      Files.writeString(all, sql.toString(), StandardCharsets.UTF_8);
      PgUrl u = dbs.pgUrl(db);
      ProcessBuilder pb = new ProcessBuilder("/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-f", all.toString());
      pb.environment().putAll(u.libpqEnv());
      pb.environment().put("PG_ABS_SRCDIR", CORPUS.toString());
      pb.environment().put("PG_LIBDIR", "/nonexistent");
      pb.environment().put("PG_DLSUFFIX", ".so");
      pb.environment().put("PGOPTIONS", "-c client_min_messages=error");
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      p.getOutputStream().close();
      p.waitFor();
    } finally {
      Files.deleteIfExists(all);
    }
  }

  static String firstDifference(String a, String b) {
    String[] x = a.split("\n");
    String[] y = b.split("\n");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        StringBuilder sb = new StringBuilder();
        for (int j = Math.max(0, i - 3); j < Math.min(i + 4, Math.min(x.length, y.length)); j++) sb.append("  ").append(x[j]).append(" | ").append(y[j]).append('\n');
        return sb.toString();
      }
    }
    return "lengths " + x.length + " vs " + y.length;
  }
}
