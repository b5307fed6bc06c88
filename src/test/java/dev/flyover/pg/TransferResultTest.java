package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flyover.pg.TransferRequest.Verify;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict says what was compared, never more; the one throughput figure is the data phase's. */
class TransferResultTest {
  static TransferResult result(Verify verify, boolean verified) {
    return new TransferResult("15.4", "15.4", 15, TransferRequest.Mode.PARALLEL, 2, verify, List.of(), 1, 0, List.of(),
        100L << 20, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(95), verified, List.of(),
        Duration.ofSeconds(10));
  }

  @Test
  void theVerdictNamesWhatWasCompared() {
    assertEquals("row counts and sequences equal", result(Verify.COUNTS, true).verdict());
    assertEquals("checksums equal", result(Verify.CHECKSUMS, true).verdict());
    assertEquals("not proven equal (checksums)", result(Verify.CHECKSUMS, false).verdict());
  }

  @Test
  void throughputIsTheTableDataPhasesAlone() {
    // 100 MiB in a 10 s data phase, not over the 60 s copy nor the 95 s run.
    assertEquals("table data: 100 MiB at 10.0 MiB/s", result(Verify.COUNTS, true).throughput());
  }
}
