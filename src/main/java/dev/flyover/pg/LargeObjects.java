package dev.flyover.pg;

import static dev.flyover.pg.DatabaseTransfer.firstLine;

import dev.flyover.pg.DatabaseTransfer.TransferFailure;
import dev.flyover.pg.WorkerPool.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.postgresql.PGStatement;

/**
 * Phase: large objects (parallel mode). A schema-only dump has none of them (PostgreSQL 15 {@code pg_dump.c}: blobs
 * are dumped only with data), so this phase creates each with its OID, copies its bytes and its comment
 * ({@code COMMENT ON LARGE OBJECT}, which apps use as a file name); privileges on them are the privileges phase's,
 * and the target user owns them, as {@code --no-owner} would have it. The OIDs stay the same, so the {@code oid}
 * columns that point at them stay right.
 *
 * <p>The work runs on the run's workers, each reading on its source session (read-only, on the snapshot) and
 * writing on its target session. Small objects travel many to a round trip: a batch is read with one
 * {@code lo_get} query and written with one {@code lo_create} and one {@code lo_put} query over arrays, in one
 * target transaction; an object bigger than {@link #PIECE} is streamed alone, a piece at a time, so no worker holds
 * more than about two pieces' worth. Biggest first, so no worker is left copying a big one at the end. (One object
 * cut into ranges for several workers was tried and left out: no faster here, and erratic through a delaying proxy.)
 * The sizes come from the source with {@code lo_get} alone: before PostgreSQL 16 the other large-object functions ignore
 * read-only mode ({@code be-fsstubs.c}), so {@code lo_get} is the only one flyover calls on the source.
 */
final class LargeObjects {
  /** The piece a big object is streamed in; objects up to this size travel whole in a batch. */
  static final int PIECE = 1 << 20;
  /** A batch of small objects: at most this many bytes, and at most {@link #BATCH_OBJECTS} objects. */
  static final long BATCH_BYTES = 2L * PIECE;
  static final int BATCH_OBJECTS = 1000;
  /**
   * {@code COMMENT ON LARGE OBJECT} locks the object until the transaction ends (PostgreSQL 15 {@code
   * objectaddress.c}, {@code get_object_address}; a ShareUpdateExclusiveLock in {@code pg_locks}), so comments are
   * committed this many at a time: a batch's thousand in one transaction could fill the lock table
   * ({@code max_locks_per_transaction}).
   */
  static final int COMMENTS_PER_COMMIT = 100;
  /** PostgreSQL 15 {@code large_object.h}: {@code MAX_LARGE_OBJECT_SIZE = LOBLKSIZE * INT_MAX}. */
  private static final long MAX_SIZE = 2048L * Integer.MAX_VALUE;

  /** A large object and its size in bytes. */
  record Sized(long oid, long size) {}

  /** One worker's unit: a batch of small objects read and written whole, or one big object in pieces. */
  record Unit(List<Sized> objects, long bytes, boolean inPieces) {
    String name() {
      if (inPieces) return "OID " + objects.get(0).oid() + " (" + Progress.bytes(bytes) + ")";
      long first = objects.get(0).oid();
      long last = objects.get(objects.size() - 1).oid();
      return first == last ? "OID " + first : "OIDs " + first + "–" + last;
    }
  }

  /** What the phase did: how many objects, bytes and comments, in how many units, and on how many workers. */
  record Copied(int objects, long bytes, int comments, int units, int workersUsed) {}

  private final RunSpec spec;

  LargeObjects(RunSpec spec) {
    this.spec = spec;
  }

  /** Copies every large object and its comment on the run's workers. */
  Copied copy() throws SQLException, InterruptedException {
    long started = System.nanoTime();
    List<Sized> objects = sizes(spec.coordinator);
    if (objects.isEmpty()) return new Copied(0, 0, 0, 0, 0);
    Map<Long, String> comments = comments(spec.coordinator);
    List<Worker> workers = spec.workers;
    List<Unit> units = plan(objects, workers.size());
    long total = objects.stream().mapToLong(Sized::size).sum();
    AtomicIntegerArray done = new AtomicIntegerArray(workers.size());
    // Worker i starts with unit i, the rest are taken in order: every worker gets work when there is enough.
    AtomicInteger next = new AtomicInteger(workers.size());
    try (Progress.Phase phase = spec.progress.phase("large objects", units.size()).expectBytes(total, "object", "objects")) {
      spec.pool.runOnEach(workers, "large-objects", w -> {
        int slot = workers.indexOf(w);
        for (int i = slot; i < units.size(); i = next.getAndIncrement()) {
          spec.stopper.check();
          Unit u = units.get(i);
          phase.begin(u.name());
          if (u.inPieces()) {
            copyInPieces(w, u.objects().get(0), phase);
          } else {
            copyBatch(w, u, phase);
          }
          writeComments(w.target(), u, comments);
          phase.end(u.name());
          done.incrementAndGet(slot);
        }
      });
    }
    int used = 0;
    for (int i = 0; i < done.length(); i++) if (done.get(i) > 0) used++;
    Copied c = new Copied(objects.size(), total, comments.size(), units.size(), used);
    spec.console.info("copied " + Progress.count(c.objects(), "large object", "large objects") + " (" + Progress.bytes(c.bytes())
        + (c.comments() == 0 ? "" : ", " + c.comments() + " with comments") + ") with "
        + Progress.count(c.workersUsed(), "worker", "workers")
        + String.format(Locale.ROOT, " in %.1fs", (System.nanoTime() - started) / 1e9));
    return c;
  }

  /**
   * Every large object with its size, on the source snapshot, by OID. Reading up to one byte past {@link #PIECE}
   * sizes the small ones; a bigger one's size is found by a binary search over single-byte reads (about 42 index
   * lookups each), so nothing is read whole here.
   */
  static List<Sized> sizes(Connection source) throws SQLException {
    return sizes(source, "source");
  }

  private static List<Sized> sizes(Connection c, String side) throws SQLException {
    long head = PIECE + 1L;
    String sql = "WITH RECURSIVE o AS (SELECT m.oid, pg_catalog.length(pg_catalog.lo_get(m.oid, 0, " + head + ")) AS head"
        + " FROM pg_catalog.pg_largeobject_metadata m),"
        // Invariant: the size is in [lo, hi]; a byte at offset mid exists exactly when the size exceeds mid.
        + " s(oid, lo, hi) AS (SELECT oid, " + head + "::pg_catalog.int8, " + MAX_SIZE + "::pg_catalog.int8 FROM o WHERE head = " + head
        + " UNION ALL SELECT oid, CASE WHEN hit THEN mid + 1 ELSE lo END, CASE WHEN hit THEN hi ELSE mid END"
        + " FROM (SELECT oid, lo, hi, mid, pg_catalog.length(pg_catalog.lo_get(oid, mid, 1)) = 1 AS hit"
        + " FROM (SELECT oid, lo, hi, (lo + hi) / 2 AS mid FROM s WHERE lo < hi) x) y)"
        + " SELECT oid, head FROM o WHERE head < " + head + " UNION ALL SELECT oid, lo FROM s WHERE lo = hi ORDER BY 1";
    List<Sized> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(new Sized(rs.getLong(1), rs.getLong(2)));
    } catch (SQLException e) {
      throw new TransferFailure("reading the large objects' sizes on the " + side + " failed (" + firstLine(e) + ")", e);
    }
    return out;
  }

  /** The slice {@link #differences} hashes at a time: far below bytea's 1 GB, so any object can be compared. */
  static final long DIGEST_SLICE = 64L << 20;

  /**
   * Large objects whose size or bytes differ on the target ({@code verify: checksums}): the sizes on both sides, then
   * an md5 of each 64 MiB slice of every object, computed by each server ({@code lo_get} alone, the only
   * large-object call made on the source), so no bytes cross the network for the comparison.
   */
  static List<String> differences(Connection source, Connection target) throws SQLException {
    Map<Long, Long> there = new HashMap<>();
    for (Sized t : sizes(target, "target")) there.put(t.oid(), t.size());
    List<String> out = new ArrayList<>();
    List<Sized> sameSize = new ArrayList<>();
    for (Sized s : sizes(source, "source")) {
      Long t = there.get(s.oid());
      if (t == null) {
        out.add("large object " + s.oid() + " is missing on the target");
      } else if (t != s.size()) {
        out.add("large object " + s.oid() + " has " + t + " bytes on the target but " + s.size() + " on the source");
      } else {
        sameSize.add(s);
      }
    }
    Map<Long, String> a = digests(source, sameSize, "source");
    Map<Long, String> b = digests(target, sameSize, "target");
    for (Sized s : sameSize) {
      if (!a.get(s.oid()).equals(b.get(s.oid()))) out.add("large object " + s.oid() + " has other bytes on the target");
    }
    return out;
  }

  private static Map<Long, String> digests(Connection c, List<Sized> objects, String side) {
    Map<Long, String> out = new HashMap<>();
    if (objects.isEmpty()) return out;
    Long[] oids = new Long[objects.size()];
    Long[] sizes = new Long[objects.size()];
    for (int i = 0; i < oids.length; i++) {
      oids[i] = objects.get(i).oid();
      sizes[i] = objects.get(i).size();
    }
    String sql = "SELECT u.o, (SELECT pg_catalog.string_agg(pg_catalog.md5(pg_catalog.lo_get(u.o::pg_catalog.oid, s.off, "
        + DIGEST_SLICE + ")), '' ORDER BY s.off) FROM pg_catalog.generate_series(0::pg_catalog.int8,"
        + " GREATEST(u.n - 1, 0), " + DIGEST_SLICE + ") AS s(off))"
        + " FROM ROWS FROM (pg_catalog.unnest(?::pg_catalog.int8[]), pg_catalog.unnest(?::pg_catalog.int8[])) AS u(o, n)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setArray(1, c.createArrayOf("int8", oids));
      st.setArray(2, c.createArrayOf("int8", sizes));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw new TransferFailure("hashing the large objects on the " + side + " failed (" + firstLine(e) + ")", e);
    }
    return out;
  }

  /**
   * The units, biggest first: each object bigger than a piece alone; the rest in OID order, in batches small enough
   * that every worker gets several (so one slow batch does not hold the end), and never more than
   * {@link #BATCH_OBJECTS} objects or {@link #BATCH_BYTES} bytes.
   */
  static List<Unit> plan(List<Sized> objects, int workers) {
    List<Unit> big = new ArrayList<>();
    List<Sized> small = new ArrayList<>();
    for (Sized o : objects) {
      if (o.size() > PIECE) {
        big.add(new Unit(List.of(o), o.size(), true));
      } else {
        small.add(o);
      }
    }
    big.sort(Comparator.comparingLong(Unit::bytes).reversed());
    int perBatch = (int) Math.max(1, Math.min(BATCH_OBJECTS, (small.size() + 4L * workers - 1) / (4L * workers)));
    List<Unit> batches = new ArrayList<>();
    List<Sized> cur = new ArrayList<>();
    long curBytes = 0;
    for (Sized o : small) {
      if (!cur.isEmpty() && (cur.size() >= perBatch || curBytes + o.size() > BATCH_BYTES)) {
        batches.add(new Unit(List.copyOf(cur), curBytes, false));
        cur.clear();
        curBytes = 0;
      }
      cur.add(o);
      curBytes += o.size();
    }
    if (!cur.isEmpty()) batches.add(new Unit(List.copyOf(cur), curBytes, false));
    batches.sort(Comparator.comparingLong(Unit::bytes).reversed());
    List<Unit> out = new ArrayList<>(big);
    out.addAll(batches);
    return out;
  }

  /** One batch: read whole in one query, created and written in one target transaction (two queries). */
  private static void copyBatch(Worker w, Unit u, Progress.Phase phase) throws SQLException {
    Long[] oids = new Long[u.objects().size()];
    for (int i = 0; i < oids.length; i++) oids[i] = u.objects().get(i).oid();
    Map<Long, byte[]> read = new HashMap<>();
    try (PreparedStatement st = w.source().prepareStatement(
        "SELECT u.o, pg_catalog.lo_get(u.o::pg_catalog.oid) FROM pg_catalog.unnest(?::pg_catalog.int8[]) AS u(o)")) {
      binary(st);
      st.setArray(1, w.source().createArrayOf("int8", oids));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) read.put(rs.getLong(1), rs.getBytes(2));
      }
    } catch (SQLException e) {
      throw new TransferFailure("reading large objects " + u.name() + " from the source failed (" + firstLine(e) + ")", e);
    }
    byte[][] data = new byte[oids.length][];
    for (int i = 0; i < oids.length; i++) {
      data[i] = read.get(oids[i]);
      if (data[i] == null || data[i].length != u.objects().get(i).size()) {
        throw new TransferFailure("large object " + oids[i] + " read " + (data[i] == null ? "nothing" : data[i].length + " bytes")
            + " from the source, where its size is " + u.objects().get(i).size(), null);
      }
    }
    Connection t = w.target();
    try {
      t.setAutoCommit(false);
      create(t, oids);
      try (PreparedStatement st = t.prepareStatement("SELECT pg_catalog.lo_put(u.o::pg_catalog.oid, 0, u.d) FROM ROWS FROM"
          + " (pg_catalog.unnest(?::pg_catalog.int8[]), pg_catalog.unnest(?::pg_catalog.bytea[])) AS u(o, d)"
          + " WHERE pg_catalog.length(u.d) > 0")) {
        st.setArray(1, t.createArrayOf("int8", oids));
        st.setArray(2, t.createArrayOf("bytea", data));
        st.execute();
      }
      t.commit();
      t.setAutoCommit(true);
    } catch (SQLException e) {
      throw new TransferFailure("writing large objects " + u.name() + " to the target failed (" + firstLine(e) + ")", e);
    }
    phase.add(u.bytes(), oids.length);
  }

  /** One big object, a piece at a time from the source into one target transaction. */
  private void copyInPieces(Worker w, Sized o, Progress.Phase phase) throws SQLException {
    Connection t = w.target();
    try (PreparedStatement read = w.source().prepareStatement("SELECT pg_catalog.lo_get(?::pg_catalog.oid, ?, ?)");
        PreparedStatement write = t.prepareStatement("SELECT pg_catalog.lo_put(?::pg_catalog.oid, ?, ?)")) {
      binary(read);
      try {
        t.setAutoCommit(false);
        create(t, new Long[] {o.oid()});
      } catch (SQLException e) {
        throw new TransferFailure("writing large object " + o.oid() + " to the target failed (" + firstLine(e) + ")", e);
      }
      for (long offset = 0; offset < o.size(); ) {
        spec.stopper.check();
        int len = (int) Math.min(PIECE, o.size() - offset);
        byte[] piece;
        try {
          read.setLong(1, o.oid());
          read.setLong(2, offset);
          read.setInt(3, len);
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
            piece = rs.getBytes(1);
          }
        } catch (SQLException e) {
          throw new TransferFailure("reading large object " + o.oid() + " from the source failed (" + firstLine(e) + ")", e);
        }
        if (piece.length != len) {
          throw new TransferFailure("large object " + o.oid() + " read " + piece.length + " bytes at offset " + offset
              + " from the source where " + len + " were expected", null);
        }
        try {
          write.setLong(1, o.oid());
          write.setLong(2, offset);
          write.setBytes(3, piece);
          write.execute();
        } catch (SQLException e) {
          throw new TransferFailure("writing large object " + o.oid() + " to the target failed (" + firstLine(e) + ")", e);
        }
        offset += len;
        phase.add(len, 0);
      }
      try {
        t.commit();
        t.setAutoCommit(true);
      } catch (SQLException e) {
        throw new TransferFailure("writing large object " + o.oid() + " to the target failed (" + firstLine(e) + ")", e);
      }
      phase.add(0, 1);
    }
  }

  /** Creates the objects with their OIDs (an object already there is kept, as before). */
  private static void create(Connection t, Long[] oids) throws SQLException {
    try (PreparedStatement st = t.prepareStatement("SELECT pg_catalog.lo_create(u.o::pg_catalog.oid)"
        + " FROM pg_catalog.unnest(?::pg_catalog.int8[]) AS u(o)"
        + " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata m WHERE m.oid = u.o::pg_catalog.oid)")) {
      st.setArray(1, t.createArrayOf("int8", oids));
      st.execute();
    }
  }

  /** The unit's comments, {@link #COMMENTS_PER_COMMIT} to a transaction, each group in one round trip. */
  private static void writeComments(Connection t, Unit u, Map<Long, String> comments) {
    List<String> sql = new ArrayList<>();
    for (Sized o : u.objects()) {
      String c = comments.get(o.oid());
      if (c != null) sql.add("COMMENT ON LARGE OBJECT " + o.oid() + " IS " + PgSession.literal(c));
    }
    if (sql.isEmpty()) return;
    try (Statement st = t.createStatement()) {
      // Comments are outside text: no JDBC escape ({fn …}) is ever looked for in them.
      st.setEscapeProcessing(false);
      t.setAutoCommit(false);
      for (int i = 0; i < sql.size(); i++) {
        st.addBatch(sql.get(i));
        if ((i + 1) % COMMENTS_PER_COMMIT == 0 || i == sql.size() - 1) {
          st.executeBatch();
          t.commit();
        }
      }
      t.setAutoCommit(true);
    } catch (SQLException e) {
      throw new TransferFailure("writing the comments of large objects " + u.name() + " to the target failed (" + firstLine(e) + ")", e);
    }
  }

  /** Bytes come back in binary, not as hex text twice their size (pgjdbc: a negative threshold forces binary). */
  private static void binary(PreparedStatement st) throws SQLException {
    st.unwrap(PGStatement.class).setPrepareThreshold(-1);
  }

  /** Each commented large object's comment, by OID. */
  static Map<Long, String> comments(Connection c) throws SQLException {
    Map<Long, String> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT d.objoid, d.description"
        + " FROM pg_catalog.pg_description d WHERE d.classoid = 'pg_catalog.pg_largeobject'::regclass")) {
      while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
    }
    return out;
  }
}
