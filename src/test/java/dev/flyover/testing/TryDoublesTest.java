package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the README and the demo tell a newcomer to run against the doubles works. */
@Tag("integration")
class TryDoublesTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TryDoubles.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void planAgainstTheDoubles() {
    Run r = run("plan", "--create-database");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("shop") && r.out().contains("shop-fly"), r.out());
    assertTrue((r.out() + r.err()).contains("cutover-status=planned"), r.out() + r.err());
    assertEquals(0, run().code(), "no arguments: the same plan");
  }

  @Test
  void secretsDryRunAgainstTheDoubles() {
    Run r = run("secrets", "--dry-run");
    assertEquals(0, r.code(), r.err());
    assertTrue((r.out() + r.err()).contains("secrets would be set on shop-fly"), r.out() + r.err());
  }
}
