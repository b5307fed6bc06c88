package dev.flyover.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A child's output kept in memory is bounded: the tail is kept, and a first line says how much was dropped. */
@Tag("integration")
class SubprocessLimitsTest {
  private static final Env ENV = Env.of(Map.of("PATH", System.getenv("PATH")));

  @Test
  void manyLinesKeepTheTailAndSayWhatWasDropped() throws Exception {
    AtomicLong seen = new AtomicLong();
    // 3,000,000 lines, about 21 MB: more than Subprocess.KEEP_CHARS
    Subprocess.Result r = Subprocess.of(List.of("seq", "1", "3000000")).inherit(ENV)
        .onStdout(l -> seen.incrementAndGet()).run();
    assertTrue(r.ok());
    assertEquals(3_000_000, seen.get(), "every line still reaches the listener");
    long kept = r.stdout().stream().mapToLong(String::length).sum();
    assertTrue(kept <= Subprocess.KEEP_CHARS + 200, "kept " + kept);
    assertEquals("3000000", r.stdout().get(r.stdout().size() - 1), "the tail is kept");
    String note = r.stdout().get(0);
    assertTrue(note.matches("… \\(\\d+ earlier lines, \\d+ characters, not kept\\)"), note);
    long dropped = Long.parseLong(note.replaceAll("… \\((\\d+) earlier.*", "$1"));
    assertEquals(3_000_000, dropped + r.stdout().size() - 1, "dropped and kept add up");
    assertEquals(String.valueOf(dropped + 1), r.stdout().get(1), "kept from right after the dropped ones");
  }

  @Test
  void anEndlessLineIsCut() throws Exception {
    List<String> live = new ArrayList<>();
    Subprocess.Result r = Subprocess.of(List.of("head", "-c", "3000000", "/dev/zero")).inherit(ENV)
        .onStdout(live::add).run();
    assertTrue(r.ok());
    assertEquals(1, r.stdout().size());
    String l = r.stdout().get(0);
    assertTrue(l.endsWith(" … (" + (3_000_000 - Subprocess.MAX_LINE_CHARS) + " more characters not kept)"),
        l.substring(l.length() - 60));
    assertEquals(List.of(l), live);
  }

  @Test
  void linesEndAtCrLfOrCrlfAsTheRunnerReadsThem() throws Exception {
    Subprocess.Result r = Subprocess.of(List.of("printf", "a\\rb\\r\\nc\\n\\nd")).inherit(ENV).run();
    assertEquals(List.of("a", "b", "c", "", "d"), r.stdout());
  }
}
