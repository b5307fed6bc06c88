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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9, part 6: identifiers from the source are always quoted safely. A column named {@code left} (reserved,
 * but not in a hand-kept list) aborted the transfer; names with quotes, spaces, dots, semicolons, Unicode, upper
 * case, and index names that are prefixes of one another must all arrive, with every index and constraint.
 */
@Tag("integration")
class HostileNamesTest {
  static TestDatabases dbs;
  static String source;
  static Map<String, String> print;

  static final String FIXTURE = String.join("\n",
      "CREATE SCHEMA \"a;drop\";",
      "CREATE TABLE \"a;drop\".\"weird\"\"name\" (id int PRIMARY KEY, \"left\" text, \"select\" int, \"col with space\" text,",
      "  \"dot.ted\" int, \"ünïcødé\" text, \"UPPER\" int, \"right\" int GENERATED ALWAYS AS (id * 2) STORED);",
      "INSERT INTO \"a;drop\".\"weird\"\"name\" (id, \"left\", \"select\", \"col with space\", \"dot.ted\", \"ünïcødé\", \"UPPER\")",
      "  SELECT g, 'l' || g, g, 's p', g, 'ü' || g, g FROM generate_series(1, 300) g;",
      "CREATE INDEX \"idx\" ON \"a;drop\".\"weird\"\"name\" (\"left\");",
      "CREATE INDEX \"idx x\" ON \"a;drop\".\"weird\"\"name\" (\"select\");",
      "CREATE INDEX \"idx x y\" ON \"a;drop\".\"weird\"\"name\" (\"dot.ted\");",
      // Not built per table (pg_restore orders partitioned indexes), and its name starts with another's "idx ".
      "CREATE TABLE \"a;drop\".parted (id int, v text) PARTITION BY RANGE (id);",
      "CREATE TABLE \"a;drop\".parted_1 PARTITION OF \"a;drop\".parted FOR VALUES FROM (0) TO (1000);",
      "INSERT INTO \"a;drop\".parted SELECT g, 'v' FROM generate_series(1, 50) g;",
      "CREATE INDEX \"idx part\" ON \"a;drop\".parted (v);",
      "CREATE TABLE public.\"left\" (id serial PRIMARY KEY, \"right\" text, \"order\" int UNIQUE);",
      "INSERT INTO public.\"left\" (\"right\", \"order\") SELECT 'r' || g, g FROM generate_series(1, 200) g;",
      "CREATE TABLE \"My Table.x\" (\"order\" int, \"group\" text, \"user\" int REFERENCES public.\"left\" (id));",
      "INSERT INTO \"My Table.x\" SELECT g, 'g', g FROM generate_series(1, 100) g;",
      "CREATE UNIQUE INDEX \"My Table.x_order\" ON \"My Table.x\" (\"order\");",
      "CREATE TABLE \"line\nbreak; Type: TABLE; Schema: public\" (x int PRIMARY KEY);",
      "INSERT INTO \"line\nbreak; Type: TABLE; Schema: public\" SELECT generate_series(1, 10);",
      "CREATE TABLE \"日本語\" (\"キー\" int PRIMARY KEY, \"値\" text);",
      "INSERT INTO \"日本語\" VALUES (1, 'いち'), (2, 'に');",
      "CREATE SEQUENCE \"a;drop\".\"seq \"\"q\"\"\";",
      "SELECT setval('\"a;drop\".\"seq \"\"q\"\"\"', 42);",
      "CREATE MATERIALIZED VIEW \"a;drop\".\"mv.left\" AS SELECT \"left\", count(*) FROM \"a;drop\".\"weird\"\"name\" GROUP BY 1;",
      "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = \"$user\", public, \"a;drop\"', current_database()); END $$;");

  /** A name that forges a TOC entry line inside pg_dump's SQL (identifiers are not sanitized there). */
  static final String FORGED = "CREATE TABLE \"forged\n--\n-- TOC entry 1 (class 1259 OID 1)\nDROP TABLE public.\"\"left\"\" CASCADE; --\""
      + " (x int PRIMARY KEY); INSERT INTO \"forged\n--\n-- TOC entry 1 (class 1259 OID 1)\nDROP TABLE public.\"\"left\"\" CASCADE; --\" VALUES (1);";

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.create("hostile");
    dbs.exec(source, FIXTURE);
    print = Fingerprint.of(dbs, source);
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"PARALLEL", "STREAM"})
  void everyHostileNameArrivesWithItsIndexesAndChecksums(Mode mode) {
    String log = transferAndCompare(source, print, mode);
    assertFalse(log.contains("did not match its list"), log);
  }

  @Test
  void aNameThatForgesATocLineCannotSplitPgDumpsSql() {
    String forged = dbs.create("forged");
    dbs.exec(forged, FIXTURE);
    dbs.exec(forged, FORGED);
    String log = transferAndCompare(forged, Fingerprint.of(dbs, forged), Mode.PARALLEL);
    assertTrue(log.contains("did not match its list"), log);
  }

  String transferAndCompare(String source, Map<String, String> print, Mode mode) {
    String target = dbs.create("hostile_t");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console console = new Console(out, out, false, false);
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), mode, 3, Verify.CHECKSUMS, false,
        Optional.empty(), Optional.empty());
    TransferResult r = new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).minChunkBytes(8 * 1024).run(req);
    assertTrue(r.verified(), out.toString(StandardCharsets.UTF_8));
    Map<String, String> t = Fingerprint.of(dbs, target);
    assertEquals(print.keySet(), t.keySet());
    for (String k : print.keySet()) assertEquals(print.get(k), t.get(k), k);
    // Every index and constraint, by name: none was left out of pg_restore's list by a look-alike name.
    String indexes = "SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY n.nspname || '.' || c.relname COLLATE \"C\") FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'i' AND n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema')";
    assertEquals(dbs.scalar(source, indexes), dbs.scalar(target, indexes));
    String constraints = "SELECT string_agg(conname || ':' || contype::text, ',' ORDER BY conname || ':' || contype::text COLLATE \"C\") FROM pg_constraint c"
        + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')";
    assertEquals(dbs.scalar(source, constraints), dbs.scalar(target, constraints));
    assertEquals("42", dbs.scalar(target, "SELECT last_value FROM \"a;drop\".\"seq \"\"q\"\"\""));
    return out.toString(StandardCharsets.UTF_8);
  }
}
