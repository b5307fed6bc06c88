package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.pg.PgSession.Side;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Large objects in parallel mode (issue 11, cases 2 and 7), on real PostgreSQL with non-superuser roles: many small
 * objects, empty ones, one bigger than a piece and one each side of the piece size, comments (hostile text among
 * them), and one owned by another role with a grant to PUBLIC. The copy is spread over the run's workers, and
 * checked twice: by {@link Compare} (the run's verdict) and independently here, by md5 of {@code lo_get} per OID on
 * both sides.
 */
@Tag("integration")
class LargeObjectsTest {
  static final String OTHER_OWNER = "fo_lo_owner";
  static final String HOSTILE = "it's; a {fn now()} ? \\ \"x\" $$ --\nZürich ☃";
  static TestDatabases dbs;
  static String source;
  static List<String> sourceObjects;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
    source = dbs.createSource("lo");
    // Another owner, as an app's second role would be: the source user may read its objects through membership.
    dbs.adminExec("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + OTHER_OWNER + "') THEN"
        + " CREATE ROLE " + OTHER_OWNER + " NOLOGIN; END IF;"
        + " EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$;"
        + " GRANT " + OTHER_OWNER + " TO " + TestDatabases.SOURCE_ROLE);
    int piece = LargeObjects.PIECE;
    dbs.exec(source, ""
        // 2,000 small ones, 0 to 624 bytes (every 40th empty), every 7th with a comment.
        + "SELECT lo_from_bytea(100000 + g, decode(repeat(md5(g::text), g % 40), 'hex')) FROM generate_series(1, 2000) g;"
        + "DO $$ BEGIN FOR i IN 1..2000 BY 7 LOOP"
        + "  EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', 100000 + i, 'file ' || i || '.bin'); END LOOP; END $$;"
        + "COMMENT ON LARGE OBJECT 100002 IS " + PgSession.literal(HOSTILE) + ";"
        // An empty object with a comment.
        + "SELECT lo_create(300001); COMMENT ON LARGE OBJECT 300001 IS 'empty';"
        // Bigger than two pieces and not a multiple of one.
        + "SELECT lo_from_bytea(300002, (SELECT decode(string_agg(md5(g::text), ''), 'hex') FROM generate_series(1, " + (piece * 2 / 16 + 777) + ") g));"
        + "COMMENT ON LARGE OBJECT 300002 IS 'big.tar';"
        // Exactly one piece, and one byte more.
        + "SELECT lo_from_bytea(300003, (SELECT decode(string_agg(md5((g + 1)::text), ''), 'hex') FROM generate_series(1, " + piece / 16 + ") g));"
        + "SELECT lo_from_bytea(300004, (SELECT decode(string_agg(md5((g + 2)::text), ''), 'hex') || '\\x00'::bytea FROM generate_series(1, " + piece / 16 + ") g));"
        // Owned by another role, readable by everyone.
        + "SELECT lo_from_bytea(300005, 'owned elsewhere'); ALTER LARGE OBJECT 300005 OWNER TO " + OTHER_OWNER + ";"
        + "GRANT SELECT ON LARGE OBJECT 300005 TO PUBLIC; COMMENT ON LARGE OBJECT 300005 IS 'theirs';");
    sourceObjects = objects(source);
    assertEquals(2005, sourceObjects.size());
    assertEquals(OTHER_OWNER, dbs.scalar(source, "SELECT lomowner::regrole::text FROM pg_largeobject_metadata WHERE oid = 300005"));
    assertEquals(Long.toString(2L * piece + 777 * 16), dbs.scalar(source, "SELECT length(lo_get(300002))"));
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  /** The independent check: every object's OID, md5 of its bytes (read whole by the server) and comment. */
  static List<String> objects(String db) {
    return dbs.column(db, "SELECT oid || ':' || length(lo_get(oid)) || ':' || md5(lo_get(oid)) || ':'"
        + " || coalesce(obj_description(oid, 'pg_largeobject'), '-') FROM pg_largeobject_metadata ORDER BY oid");
  }

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final Console console = new Console(out, out, false, false);

  String log() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTransferCopiesThemOnEveryWorkerExactly() {
    String target = dbs.create("lot");
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 2, Verify.CHECKSUMS, false,
        Optional.empty(), Optional.empty());
    TransferResult r = new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).progress(Progress::atEachStart).run(req);
    assertTrue(r.verified(), log());
    assertEquals(2005, r.largeObjects());
    // Spread over both workers, not copied on one session.
    String comments = dbs.scalar(source, "SELECT count(*) FROM pg_description WHERE classoid = 'pg_largeobject'::regclass");
    assertTrue(log().contains("copied 2,005 large objects (") && log().contains(", " + comments + " with comments) with 2 workers in "), log());
    // Progress like the other phases, counted in objects.
    assertTrue(log().lines().anyMatch(l -> l.matches("large objects \\d+/\\d+, \\d+s, ~\\d+%, .* and [\\d,]+ objects at .*")), log());
    assertEquals(sourceObjects, objects(target));
    // Owned by the target user (as --no-owner), with the PUBLIC grant carried.
    assertEquals(List.of(TestDatabases.ROLE), dbs.column(target, "SELECT DISTINCT lomowner::regrole::text FROM pg_largeobject_metadata"));
    assertTrue(dbs.scalar(target, "SELECT lomacl::text FROM pg_largeobject_metadata WHERE oid = 300005").contains(",=r/"));
    assertEquals(sourceObjects, objects(source), "the source changed");
  }

  /** verify: checksums compares the bytes too: one changed byte in the big object, one truncated small one. */
  @Test
  void checksumsSeeTheBytesOfEveryObject() throws Exception {
    String target = dbs.create("loc");
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 2, Verify.CHECKSUMS, false,
        Optional.empty(), Optional.empty());
    assertTrue(new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).run(req).verified(), log());
    try (java.sql.Connection s = dbs.connect(source); java.sql.Connection t = dbs.connect(target)) {
      assertEquals(List.of(), LargeObjects.differences(s, t));
      long at = LargeObjects.PIECE + 5;
      dbs.exec(target, "SELECT lo_put(300002, " + at + ", decode(lpad(to_hex(255 - get_byte(lo_get(300002, " + at + ", 1), 0)), 2, '0'), 'hex'));"
          + " SELECT lo_unlink(100039); SELECT lo_from_bytea(100039, '\\x00'::bytea)");
      assertEquals(List.of("large object 100039 has 1 bytes on the target but 624 on the source",
          "large object 300002 has other bytes on the target"), LargeObjects.differences(s, t));
    }
  }

  @Test
  void thePhaseSplitsTheObjectsOverTheWorkersSessions() throws Exception {
    String target = dbs.create("lop");
    Stopper stopper = new Stopper();
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), Mode.PARALLEL, 2, Verify.COUNTS, false,
        Optional.empty(), Optional.empty());
    RunSpec.Builder b = new RunSpec.Builder(Env.of(new HashMap<>(System.getenv())), console, stopper, new WorkerPool(stopper), req,
        req.source(), req.target(), System.nanoTime(), 64 << 20, Progress.quiet());
    try {
      b.coordinator = stopper.track(PgSession.open(req.source(), Side.SOURCE, "source"));
      b.snapshot = Snapshot.export(b.coordinator);
      RunSpec spec = b.build();
      new Snapshot(spec).openWorkers();
      LargeObjects.Copied c = new LargeObjects(spec).copy();
      assertEquals(2005, c.objects());
      assertEquals(2, c.workersUsed(), log());
      // 2 big ones in pieces, the rest in batches of at most a quarter of each worker's share.
      assertTrue(c.units() >= 8, c.toString());
      // The workers' source sessions stayed read-only on the snapshot.
      for (WorkerPool.Worker w : spec.workers) PgSession.requireReadOnly(w.source());
    } finally {
      stopper.closeAll();
    }
    assertEquals(sourceObjects, objects(target));
  }

  @Test
  void thePlanPutsBigObjectsFirstInPiecesAndBatchesTheRest() {
    int piece = LargeObjects.PIECE;
    List<LargeObjects.Sized> objects = new java.util.ArrayList<>();
    for (long i = 0; i < 3000; i++) objects.add(new LargeObjects.Sized(1000 + i, i % 3));
    objects.add(new LargeObjects.Sized(9000, piece + 1L));
    objects.add(new LargeObjects.Sized(9001, piece));
    objects.add(new LargeObjects.Sized(9002, 5L * piece));
    List<LargeObjects.Unit> units = LargeObjects.plan(objects, 2);
    assertEquals(List.of(9002L, 9000L), units.subList(0, 2).stream().map(u -> u.objects().get(0).oid()).toList());
    assertTrue(units.subList(0, 2).stream().allMatch(LargeObjects.Unit::inPieces));
    assertTrue(units.subList(2, units.size()).stream().noneMatch(LargeObjects.Unit::inPieces));
    assertEquals(3003, units.stream().mapToInt(u -> u.objects().size()).sum());
    assertTrue(units.stream().allMatch(u -> u.inPieces() || u.objects().size() <= 376 && u.bytes() <= LargeObjects.BATCH_BYTES), units.toString());
    Map<Long, Long> seen = new HashMap<>();
    for (LargeObjects.Unit u : units) for (LargeObjects.Sized s : u.objects()) assertEquals(null, seen.put(s.oid(), s.size()));
  }
}
