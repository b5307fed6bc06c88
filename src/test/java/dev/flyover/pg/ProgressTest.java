package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.actions.Console;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress lines on a fake clock, the ticker driven by hand: what a person reads every few seconds. */
class ProgressTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final Progress progress = new Progress(new Console(out, err, false, false), now::get, 5000);

  void advance(long seconds) {
    now.addAndGet(seconds * 1_000_000_000L);
  }

  List<String> lines() {
    String s = err.toString(StandardCharsets.UTF_8);
    err.reset();
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  @Test
  void anIndexPhaseSaysHowFarItIsAndWhatHasBeenRunningForHowLong() {
    Progress.Phase indexes = progress.phase("indexes", 12);
    for (int i = 0; i < 7; i++) {
      indexes.begin("i" + i);
      indexes.end("i" + i);
    }
    advance(12);
    indexes.begin("oban_jobs_args_index");
    advance(100);
    progress.tick();
    assertEquals(List.of("indexes 7/12, 1m52s: oban_jobs_args_index 1m40s"), lines());
  }

  @Test
  void aLineEveryIntervalWhileThePhaseRunsAndNoneAfterItEnds() {
    Progress.Phase compare = progress.phase("verification (row counts)", 3);
    advance(4);
    progress.tick();
    assertEquals(List.of(), lines(), "nothing before the first interval");
    advance(1);
    progress.tick();
    assertEquals(List.of("verification (row counts) 0/3, 5s"), lines());
    advance(2);
    progress.tick();
    assertEquals(List.of(), lines(), "not again before the next interval");
    advance(3);
    compare.begin("public.users");
    progress.tick();
    assertEquals(List.of("verification (row counts) 0/3, 10s: public.users 0s"), lines());
    compare.close();
    advance(60);
    progress.tick();
    assertEquals(List.of(), lines(), "a closed phase is silent");
  }

  @Test
  void aQuickPhasePrintsNothing() {
    try (Progress.Phase p = progress.step("pre-data")) {
      advance(3);
      progress.tick();
    }
    advance(10);
    progress.tick();
    assertEquals(List.of(), lines());
  }

  @Test
  void aStepSaysOnlyForHowLong() {
    progress.step("post-data (foreign keys, triggers, remaining indexes)");
    advance(65);
    progress.tick();
    assertEquals(List.of("post-data (foreign keys, triggers, remaining indexes) 1m05s"), lines());
  }

  @Test
  void theLongestRunningComeFirstAndTheRestAreCounted() {
    Progress.Phase p = progress.phase("ANALYZE", 6);
    for (String t : List.of("a", "b", "c", "d", "e")) {
      p.begin(t);
      advance(1);
    }
    advance(5);
    progress.tick();
    assertEquals(List.of("ANALYZE 0/6, 10s: a 10s, b 9s, c 8s and 2 more"), lines());
  }

  @Test
  void everyOpenPhaseHasItsOwnLine() {
    progress.phase("table data", 2).expectBytes(100L << 20).add(50L << 20, 1);
    Progress.Phase indexes = progress.phase("indexes", 4);
    indexes.begin("users_pkey");
    advance(10);
    progress.tick();
    assertEquals(List.of("table data 0/2, 10s, ~50%, 50.0 MiB and 1 row at 5.0 MiB/s, ETA 10s",
        "indexes 0/4, 10s: users_pkey 10s"), lines());
  }

  @Test
  void aTableCopiedInPiecesIsOneRunningNameFromItsFirstPiece() {
    Progress.Phase data = progress.phase("table data", 1).expectBytes(1L << 30);
    data.begin("public.events");
    advance(3);
    data.begin("public.events");
    data.add(1L << 29, 2_000_000);
    advance(7);
    progress.tick();
    assertEquals(List.of("table data 0/1, 10s, ~50%, 512 MiB and 2,000,000 rows at 51.2 MiB/s, ETA 10s: public.events 10s"), lines());
    data.end("public.events");
    assertEquals(1, data.done());
  }

  @Test
  void thousandsOfSmallTablesReadAsFarAsTheTablesDoneNotTheFewBytesTheySent() {
    // 10,000 tables of one page each (80 MiB on disk) whose COPY sends ~500 bytes each.
    Progress.Phase data = progress.phase("table data", 10_000).expectBytes(10_000L * 8192);
    for (int i = 0; i < 5_000; i++) {
      data.begin("t" + i);
      data.add(512, 5);
      data.settled(8192);
      data.end("t" + i);
    }
    advance(50);
    progress.tick();
    assertEquals(List.of("table data 5000/10000, 50s, ~50%, 2.4 MiB and 25,000 rows at 50.0 KiB/s, ETA 50s"), lines());
  }

  @Test
  void anOutsideNameCannotBecomeAWorkflowCommand() {
    ByteArrayOutputStream actionsOut = new ByteArrayOutputStream();
    Progress inActions = new Progress(new Console(actionsOut, new ByteArrayOutputStream(), true, false), now::get, 5000);
    inActions.phase("indexes", 1).begin("x\n::error::pwned");
    advance(5);
    inActions.tick();
    String log = actionsOut.toString(StandardCharsets.UTF_8);
    // The Console's untrusted-text path: the runner reads no command until the block's token ends it.
    int stop = log.indexOf("::stop-commands::");
    assertTrue(stop >= 0 && stop < log.indexOf("::error::pwned"), log);
    String token = log.substring(stop + "::stop-commands::".length()).lines().findFirst().orElseThrow();
    assertFalse(log.substring(stop, log.indexOf("::error::pwned")).contains("::" + token + "::"), log);
  }

  @Test
  void countsDurationsAndTheOneThroughputRead() {
    assertEquals("1 row", Progress.count(1, "row", "rows"));
    assertEquals("0 rows", Progress.count(0, "row", "rows"));
    assertEquals("1,234 tables", Progress.count(1234, "table", "tables"));
    assertEquals("42s", Progress.duration(42_400_000_000L));
    assertEquals("1m40s", Progress.duration(100_000_000_000L));
    assertEquals("2h05m", Progress.duration(7_500_000_000_000L));
    assertEquals("table data: 1.2 GiB at 85.0 MiB/s",
        Progress.throughput(1_288_490_189L, Duration.ofNanos((long) (1_288_490_189L / (85.0 * 1024 * 1024) * 1e9))));
  }
}
