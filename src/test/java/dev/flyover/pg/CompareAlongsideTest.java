package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.TransferResult.TableResult;
import dev.flyover.pg.WorkerPool.Worker;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tables compared alongside the index builds: each table handed over as final is counted on both sides by the
 * workers, before and after they start; a difference found then is a problem of the verification; and the
 * comparison at the end does not count those tables again.
 */
@Tag("integration")
class CompareAlongsideTest {
  static TestDatabases dbs;
  static String source;
  static String target;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.createSource("along");
    target = dbs.create("alongt");
    String schema = "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE c (id int);";
    dbs.exec(source, schema + " INSERT INTO a SELECT generate_series(1, 3); INSERT INTO b VALUES (1), (2); INSERT INTO c VALUES (1);");
    dbs.exec(target, schema + " INSERT INTO a SELECT generate_series(1, 3); INSERT INTO b VALUES (1); INSERT INTO c VALUES (1);");
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  @Test
  void finalTablesAreComparedByTheWorkersAndNotCountedAgain() throws Exception {
    try (Connection s = dbs.connect(source); Connection t = dbs.connect(target); Connection s2 = dbs.connect(source);
        Connection t2 = dbs.connect(target)) {
      for (Connection c : List.of(s, s2)) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
      }
      Map<String, Table> tables = new java.util.HashMap<>();
      for (Table x : Catalog.tables(s)) tables.put(x.name(), x);
      Stopper stopper = new Stopper();
      List<Worker> workers = List.of(new Worker(0, s, t), new Worker(1, s2, t2));
      Compare.Tally tally = new Compare.Tally(TransferRequest.Verify.COUNTS, Map.of("public.a", 3L), Map.of());
      Compare.Alongside alongside = new Compare.Alongside(tally);
      // One table final before the workers are free, one after.
      alongside.tableFinished(tables.get("a"));
      alongside.start(new WorkerPool(stopper), workers, stopper, Progress.quiet(), 3);
      alongside.tableFinished(tables.get("b"));
      assertTrue(alongside.finish() == tally);

      assertEquals(java.util.Set.of("public.a", "public.b"), tally.results.keySet());
      TableResult a = tally.results.get("public.a");
      assertTrue(a.match(), a.toString());
      assertFalse(tally.results.get("public.b").match());
      assertEquals(List.of("public.b has 2 rows on the source but 1 on the target"), tally.problems);

      // A row the end would see if it counted "a" again: it does not; it counts only "c".
      dbs.exec(target, "INSERT INTO a VALUES (4)");
      Compare.Verification v = Compare.run(s, t, workers, new WorkerPool(stopper), stopper, List.copyOf(Catalog.tables(s)),
          List.of(), List.of(), tally, Progress.quiet());
      assertFalse(v.ok());
      assertEquals(List.of("public.a", "public.b", "public.c"), v.tables().stream().map(TableResult::table).toList());
      assertEquals(3, v.tables().get(0).targetRows(), "counted alongside, not again");
      assertTrue(v.tables().get(2).match());
      assertEquals(List.of("public.b has 2 rows on the source but 1 on the target"), v.problems());
      s.rollback();
      s2.rollback();
    }
  }
}
