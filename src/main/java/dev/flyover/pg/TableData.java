package dev.flyover.pg;

import static dev.flyover.pg.DatabaseTransfer.firstLine;

import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.DatabaseTransfer.TransferFailure;
import dev.flyover.pg.WorkerPool.Worker;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Phase: table data (parallel mode), the chunk plan and the copy. Tables are cut into chunks (big ones by ctid
 * page ranges, PG14+ TID range scans), tables with slow index builds first and otherwise biggest first, so no worker
 * idles at the end; each worker streams {@code COPY … TO STDOUT} on the source snapshot into {@code COPY … FROM
 * STDIN} on the target (binary between servers of one major, {@code FREEZE} for whole tables), holding one row at a
 * time. A table whose chunks are all in is handed to the index phase at once.
 */
final class TableData {
  private final Console console;
  private final Stopper stopper;
  private final WorkerPool pool;
  private final TransferRequest req;
  private final int sourceNum;
  private final int targetNum;
  private final List<Table> tables;
  private final List<Worker> workers;
  private final Map<String, Long> copiedRows;
  private final Map<String, Long> copiedBytes;
  private final long minChunkBytes;
  private final RunSpec spec;
  /** The data path outside the JVM, when psql is at hand (big chunks; small ones stay on JDBC). */
  private final java.util.Optional<PsqlPipe> pipe;

  TableData(RunSpec spec) {
    this.spec = spec;
    this.pipe = PsqlPipe.of(spec);
    this.console = spec.console;
    this.stopper = spec.stopper;
    this.pool = spec.pool;
    this.req = spec.req;
    this.sourceNum = spec.sourceNum;
    this.targetNum = spec.targetNum;
    this.tables = spec.tables;
    this.workers = spec.workers;
    this.copiedRows = spec.copiedRows;
    this.copiedBytes = spec.copiedBytes;
    this.minChunkBytes = spec.minChunkBytes;
  }

  /** A slice of one table: all of it, or a ctid range of its pages (the last range open-ended). */
  record Chunk(Table table, long fromPage, long toPage, long bytes) {
    boolean whole() {
      return fromPage < 0;
    }
  }

  /**
   * How much slower a byte moves in a ctid-range piece than in a whole table, measured on the 1.4 GB benchmark
   * (table data 21.6 s split vs 10.4 s whole, 26.8 vs 15.6 under load; splitting only the table with the slow
   * GIN index still lost, 14.2 vs 11.9 s in all): a piece is {@code COPY (SELECT …)} through the executor, and loads
   * without {@code FREEZE}, so the index builds and counts after it set every hint bit.
   */
  static final double SPLIT_COST = 1.75;

  /** Whole tables bigger than this load with {@code TRUNCATE} and {@code COPY … FREEZE} in one transaction. */
  static final long FREEZE_MIN_BYTES = 1L << 20;

  List<Chunk> plan() {
    long total = tables.stream().mapToLong(Table::bytes).sum();
    // Whole tables load with COPY FREEZE (no hint-bit rewrite of every page later); only a table bigger than a
    // fair share of the work is split, so no worker idles behind it.
    long fairShare = Math.max(minChunkBytes, total / req.jobs());
    // TID range scans (PG14+) read only the pages asked for; before that a ctid filter scans the whole table.
    boolean canSplit = splits(tables, req.jobs(), sourceNum);
    List<Chunk> first = new ArrayList<>();
    List<Chunk> rest = new ArrayList<>();
    // What the workers share once the slow-index tables are done: a table bigger than a worker's part of it
    // would leave the others idle at the end, so it is split too.
    long restTotal = tables.stream().filter(t -> t.slowIndexes() == 0).mapToLong(Table::bytes).sum();
    long restShare = Math.max(minChunkBytes, restTotal / req.jobs());
    for (Table t : tables) {
      // A table with slow indexes goes first, spread over every worker, so its index builds start as early as
      // possible and run while the other tables copy, instead of after them.
      boolean slow = t.slowIndexes() > 0;
      int n = 1;
      if (canSplit && t.pages() > 1) {
        if (slow && t.bytes() > minChunkBytes) {
          n = req.jobs();
        } else if (t.bytes() > Math.min(fairShare * 3 / 2, restShare * 6 / 5)) {
          long piece = Math.max(minChunkBytes, total / (req.jobs() * 4L));
          n = (int) Math.max(2, Math.min(64, (t.bytes() + piece - 1) / piece));
        }
      }
      List<Chunk> target = slow ? first : rest;
      if (n == 1) {
        target.add(new Chunk(t, -1, -1, t.bytes()));
      } else {
        long per = (t.pages() + n - 1) / n;
        for (int i = 0; i < n; i++) {
          long from = i * per;
          long to = i == n - 1 ? Long.MAX_VALUE : (i + 1) * per;
          target.add(new Chunk(t, from, to, t.bytes() / n));
        }
      }
    }
    // Within each group biggest first (a stable sort keeps a table's pieces together when sizes tie).
    first.sort((a, b) -> Long.compare(b.table().bytes(), a.table().bytes()));
    rest.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
    List<Chunk> chunks = new ArrayList<>(first);
    chunks.addAll(rest);
    return chunks;
  }

  /** Whether any table is cut into ctid ranges: only where whole tables would idle workers longer than pieces cost. */
  static boolean splits(List<Table> tables, int jobs, int sourceNum) {
    long total = tables.stream().mapToLong(Table::bytes).sum();
    return sourceNum >= 140000 && jobs > 1 && wholeTableMakespan(tables, jobs) > SPLIT_COST * total / jobs;
  }

  /** The longest worker's bytes when whole tables go, biggest first, to whichever worker is free first. */
  static long wholeTableMakespan(List<Table> tables, int jobs) {
    java.util.PriorityQueue<Long> loads = new java.util.PriorityQueue<>();
    for (int i = 0; i < jobs; i++) loads.add(0L);
    tables.stream().mapToLong(Table::bytes).boxed().sorted(java.util.Comparator.reverseOrder())
        .forEach(b -> loads.add(loads.poll() + b));
    long max = 0;
    for (long l : loads) max = Math.max(max, l);
    return max;
  }

  void copy(Indexes indexes) throws InterruptedException {
    List<Chunk> chunks = plan();
    long total = tables.stream().mapToLong(Table::bytes).sum();
    console.info("copying " + Progress.count(tables.size(), "table", "tables") + " in " + Progress.count(chunks.size(), "piece", "pieces")
        + " with " + Progress.count(workers.size(), "worker", "workers"));
    Map<Table, AtomicInteger> remaining = new ConcurrentHashMap<>();
    for (Chunk c : chunks) remaining.computeIfAbsent(c.table(), k -> new AtomicInteger()).incrementAndGet();
    Map<Table, Long> tableStart = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(chunks);
    Progress.Phase progress = spec.progress.phase("table data", tables.size()).expectBytes(total);
    boolean perTable = tables.size() <= 40;
    pool.runOnEach(workers, "worker", w -> {
      Chunk c;
      while ((c = queue.poll()) != null) {
        stopper.check();
        tableStart.putIfAbsent(c.table(), System.nanoTime());
        progress.begin(c.table().display());
        long[] done = copyChunk(w, c, progress);
        copiedRows.merge(c.table().display(), done[0], Long::sum);
        copiedBytes.merge(c.table().display(), done[1], Long::sum);
        boolean tableDone = remaining.get(c.table()).decrementAndGet() == 0;
        if (tableDone) {
          progress.settled(c.table().bytes());
          progress.end(c.table().display());
          indexes.tableDone(c.table());
        }
        if (tableDone && (perTable || c.table().bytes() > (16L << 20))) {
          double s = (System.nanoTime() - tableStart.get(c.table())) / 1e9;
          console.info(String.format(Locale.ROOT, "copied %s: %s, %s in %.1fs", c.table().display(),
              Progress.count(copiedRows.get(c.table().display()), "row", "rows"), Progress.bytes(copiedBytes.get(c.table().display())), s));
        }
      }
    });
    progress.close();
    spec.dataTime = progress.elapsed();
    // The run's one throughput figure (the summary says the same, from the same numbers).
    console.info(Progress.throughput(progress.bytes(), spec.dataTime) + ", " + Progress.count(progress.rows(), "row", "rows")
        + String.format(Locale.ROOT, " in %.1fs", spec.dataTime.toMillis() / 1000.0));
  }

  /** Streams one chunk from the source COPY into the target COPY, without holding more than one row. */
  long[] copyChunk(Worker w, Chunk c, Progress.Phase progress) {
    Table t = c.table();
    String cols = t.copyColumnList();
    String out;
    String in;
    boolean noColumns = t.copyColumns().isEmpty();
    // Binary COPY skips text formatting and parsing on both servers; its format is only promised between
    // servers of one major version, and needs binary I/O for every column type.
    boolean binary = t.binaryIo() && Catalog.major(sourceNum) == Catalog.major(targetNum);
    List<String> outOptions = binary ? List.of("FORMAT binary") : List.of();
    List<String> inOptions = new ArrayList<>(outOptions);
    // FREEZE needs the table emptied in the same transaction, and a transaction that truncates waits for a WAL
    // flush at commit (PostgreSQL 15 xact.c, RecordTransactionCommit: files dropped): worth it for a big table,
    // not for thousands of small ones, whose few pages the first reader sets hint bits on cheaply.
    boolean freeze = c.whole() && c.bytes() > FREEZE_MIN_BYTES;
    if (freeze) inOptions.add("FREEZE");
    String outWith = outOptions.isEmpty() ? "" : " WITH (" + String.join(", ", outOptions) + ")";
    String inWith = inOptions.isEmpty() ? "" : " WITH (" + String.join(", ", inOptions) + ")";
    if (c.whole()) {
      out = "COPY " + t.qualified() + (noColumns ? "" : " (" + cols + ")") + " TO STDOUT" + outWith;
    } else {
      String where = " WHERE ctid >= '(" + c.fromPage() + ",0)'::tid"
          + (c.toPage() == Long.MAX_VALUE ? "" : " AND ctid < '(" + c.toPage() + ",0)'::tid");
      out = "COPY (SELECT " + cols + " FROM ONLY " + t.qualified() + where + ") TO STDOUT" + outWith;
    }
    in = "COPY " + t.qualified() + (noColumns ? "" : " (" + cols + ")") + " FROM STDIN" + inWith;
    if (pipe.isPresent() && pipe.get().takes(c.bytes())) {
      try {
        PsqlPipe.Moved m = pipe.get().copy(out, in, freeze ? "TRUNCATE ONLY " + t.qualified() : null);
        // No byte passes through the JVM: the chunk's size on the source stands for the bytes moved.
        progress.add(c.bytes(), m.loaded());
        return new long[] {m.loaded(), c.bytes()};
      } catch (PsqlPipe.PipeFailure e) {
        throw new TransferFailure((e.sourceSide ? "reading " + t.display() + " from the source" : "writing " + t.display()
            + " to the target") + " failed (" + e.getMessage() + ")", null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stopper.Stopped("interrupted");
      }
    }
    CopyOut co = null;
    CopyIn ci = null;
    long bytes = 0;
    long rows = 0;
    try {
      try {
        if (freeze) {
          // FREEZE needs the table emptied in the same transaction; it was created empty by the pre-data.
          w.target().setAutoCommit(false);
          try (Statement st = w.target().createStatement()) {
            st.execute("TRUNCATE ONLY " + t.qualified());
          }
        }
        ci = w.target().unwrap(PGConnection.class).getCopyAPI().copyIn(in);
      } catch (SQLException e) {
        throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
      }
      try {
        co = w.source().unwrap(PGConnection.class).getCopyAPI().copyOut(out);
      } catch (SQLException e) {
        throw new TransferFailure("reading " + t.display() + " from the source failed (" + firstLine(e) + ")", e);
      }
      long pendingBytes = 0;
      long pendingRows = 0;
      long messages = 0;
      while (true) {
        byte[] row;
        try {
          row = co.readFromCopy();
        } catch (SQLException e) {
          throw new TransferFailure("reading " + t.display() + " from the source failed (" + firstLine(e) + ")", e);
        }
        if (row == null) break;
        try {
          ci.writeToCopy(row, 0, row.length);
        } catch (SQLException e) {
          throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
        }
        bytes += row.length;
        pendingBytes += row.length;
        pendingRows++;
        messages++;
        if (pendingBytes >= (4 << 20)) {
          progress.add(pendingBytes, pendingRows);
          pendingBytes = 0;
          pendingRows = 0;
        }
      }
      long loaded;
      try {
        loaded = ci.endCopy();
      } catch (SQLException e) {
        throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
      }
      // Rows as the server counted them (binary COPY frames a header and trailer in the stream).
      rows = co.getHandledRowCount();
      ci = null;
      co = null;
      if (freeze) {
        try {
          w.target().commit();
          w.target().setAutoCommit(true);
        } catch (SQLException e) {
          throw new TransferFailure("writing " + t.display() + " to the target failed (" + firstLine(e) + ")", e);
        }
      }
      progress.add(pendingBytes, pendingRows + rows - messages);
      if (loaded != rows) {
        throw new TransferFailure("the target took " + loaded + " rows of " + t.display() + " but the source sent " + rows, null);
      }
      return new long[] {rows, bytes};
    } finally {
      if (ci != null && ci.isActive()) {
        try {
          ci.cancelCopy();
        } catch (SQLException ignored) {
          // The connection is gone already.
        }
      }
      if (co != null && co.isActive()) {
        try {
          co.cancelCopy();
        } catch (SQLException ignored) {
          // same
        }
      }
    }
  }


}
