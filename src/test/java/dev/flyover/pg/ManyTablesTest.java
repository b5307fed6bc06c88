package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many small tables (the scale benchmark's shape, smaller): the comparison counts them in batches and reads and sets
 * sequences in batches, and stays exact: one row more in one table of hundreds, one sequence moved, one table gone
 * are each found and named; a table a batch cannot read is named, not its neighbours.
 */
@Tag("integration")
class ManyTablesTest {
  static final int TABLES = 300;
  static TestDatabases dbs;
  static String source;
  static String target;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final Console console = new Console(out, out, false, false);

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.createSource("many");
    // Tables of 1 to 3 rows, each with its own sequence; one sequence set back and not called, one far ahead.
    dbs.exec(source, "DO $$ BEGIN FOR i IN 1.." + TABLES + " LOOP"
        + " EXECUTE format('CREATE TABLE t_%s (id serial PRIMARY KEY, v text)', lpad(i::text, 3, '0'));"
        + " EXECUTE format('INSERT INTO t_%s (v) SELECT ''x'' || g FROM generate_series(1, %s) g', lpad(i::text, 3, '0'), 1 + i % 3);"
        + " END LOOP; END $$;"
        + " SELECT setval('t_005_id_seq', 42, false); SELECT setval('t_006_id_seq', 1000000);");
    target = dbs.create("manyt");
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 2, Verify.COUNTS, false,
        Optional.empty(), Optional.empty());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TransferResult r = new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), new Console(log, log, false, false)).run(req);
    assertTrue(r.verified(), log.toString(StandardCharsets.UTF_8));
    // 300 tables: the pre-data is split and restored by 2 pg_restore side by side.
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("pg_restore side by side)"), log.toString(StandardCharsets.UTF_8));
    // Every table is final before the builds end, so all were compared alongside them, in batches.
    assertTrue(log.toString(StandardCharsets.UTF_8).contains(TABLES + " tables of " + TABLES + " compared (counts) alongside the index builds"),
        log.toString(StandardCharsets.UTF_8));
    assertEquals(TABLES, r.tables().size());
    assertEquals(TABLES, r.sequences());
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  Compare.Outcome compare() throws Exception {
    try (Connection s = dbs.connect(source); Connection t = dbs.connect(target)) {
      return Compare.counts(s, t, console);
    }
  }

  @Test
  void everySequenceArrivesWithItsValueAndWhetherItWasCalled() {
    String states = "SELECT string_agg(sequencename || '=' || coalesce(last_value::text, 'null'), ',' ORDER BY sequencename)"
        + " FROM pg_sequences";
    assertEquals(dbs.scalar(source, states), dbs.scalar(target, states));
    assertEquals("42 false", dbs.scalar(target, "SELECT last_value || ' ' || is_called FROM t_005_id_seq"));
    assertEquals("1000000 true", dbs.scalar(target, "SELECT last_value || ' ' || is_called FROM t_006_id_seq"));
  }

  @Test
  void oneRowMoreInOneTableOfHundredsIsFound() throws Exception {
    assertTrue(compare().equal(), "the transferred copy compares equal");
    dbs.exec(target, "INSERT INTO t_238 (v) VALUES ('extra')");
    try {
      Compare.Outcome o = compare();
      assertFalse(o.equal());
      assertEquals("public.t_238 has 2 rows on the source but 3 on the target", o.difference());
    } finally {
      dbs.exec(target, "DELETE FROM t_238 WHERE v = 'extra'");
    }
  }

  @Test
  void oneSequenceMovedIsFound() throws Exception {
    dbs.exec(target, "SELECT setval('t_150_id_seq', 7)");
    try {
      Compare.Outcome o = compare();
      assertFalse(o.equal());
      assertEquals("sequence public.t_150_id_seq is at 1,true on the source but 7,true on the target", o.difference());
    } finally {
      dbs.exec(target, "SELECT setval('t_150_id_seq', 1)");
    }
  }

  @Test
  void aTableMissingFromTheMiddleOfABatchIsFound() throws Exception {
    try (Connection s = dbs.connect(source); Connection t = dbs.connect(target)) {
      // The same check against a target that lacks one table: the rest of its batch is still counted.
      dbs.exec(target, "ALTER TABLE t_100 RENAME TO t_100_gone");
      Compare.Outcome o = Compare.counts(s, t, console);
      assertFalse(o.equal());
      assertEquals("public.t_100 is missing on the target", o.difference());
    } finally {
      dbs.exec(target, "ALTER TABLE t_100_gone RENAME TO t_100");
    }
  }

  @Test
  void aTableTheSessionCannotReadIsNamedNotItsNeighbours() throws Exception {
    String db = dbs.create("manyp");
    dbs.exec(db, "CREATE TABLE a1 (id int); CREATE TABLE a2 (id int); INSERT INTO a1 VALUES (1)");
    // Made by the superuser, not granted: the owner of the database cannot count it.
    dbs.adminExec(db, "CREATE TABLE a3_private (id int)");
    dbs.exec(db, "CREATE TABLE a4 (id int)");
    try (Connection c = dbs.connect(db)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      List<Table> tables = Catalog.tables(c).stream().sorted((x, y) -> x.name().compareTo(y.name())).toList();
      assertEquals(4, tables.size());
      assertEquals(List.of(List.copyOf(tables)), Compare.units(tables), "one batch");
      DatabaseTransfer.TransferFailure e = assertThrows(DatabaseTransfer.TransferFailure.class,
          () -> Compare.counts(c, tables, "source"));
      assertTrue(e.getMessage().startsWith("counting public.a3_private on the source failed (ERROR: permission denied"), e.getMessage());
      c.rollback();
      // Without it, the batch counts each table once, in order.
      List<Table> readable = tables.stream().filter(t -> !t.name().equals("a3_private")).toList();
      assertEquals("[1, 0, 0]", java.util.Arrays.toString(Compare.counts(c, readable, "source")));
    }
  }
}
