package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.RunReport;
import dev.flyover.UserError;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A transfer's failure says what it left behind, and reports its comparison when it got that far. */
class TransferReportTest {
  static TransferRequest request() {
    return new TransferRequest(PgUrl.parse("postgres://u:pw@heroku.example/src", "heroku-database-url"),
        PgUrl.parse("postgres://u:pw@fly.example/dst", "database-url"), TransferRequest.Mode.PARALLEL, 2, Verify.COUNTS,
        false, Optional.empty(), Optional.empty());
  }

  @Test
  void whatAStoppedTransferLeftBehind() {
    assertEquals(List.of("Nothing was changed in either database."), TransferReport.stopped(request(), false).done());
    assertEquals(List.of("The target database was written to and is incomplete; the source was only read."),
        TransferReport.stopped(request(), true).done());
  }

  @Test
  void aFailedVerificationIsReportedWithItsTablesAndNotProven() {
    TransferResult r = TransferResultTest.result(Verify.COUNTS, false);
    UserError e = DatabaseTransfer.verificationFailed(request(), r, List.of("public.t: 3 rows on the source, 2 on the target"));
    assertEquals(UserError.Origin.OUTSIDE, e.origin());
    assertEquals(List.of("0 tables and 0 rows copied to the target, not proven equal (counts): do not use it."),
        e.done().orElseThrow().done());
    Context ctx = new Context(Env.of(Map.of("GITHUB_ACTIONS", "true")), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    ctx.actionMode(true);
    RunReport.failed(ctx, "database", e);
    assertEquals("false", ctx.outputs().get("database-verified"));
    assertEquals("0", ctx.outputs().get("database-rows"));
    String md = ctx.summary().render();
    assertTrue(md.startsWith("> [!CAUTION]\n> **database failed:** Verification failed: public.t: 3 rows"), md);
    assertTrue(md.contains("## Database transfer"), md);
    assertTrue(md.contains("**not proven equal (counts)**"), md);
  }

  @Test
  void aStopBeforeTheComparisonSaysNothingWasProven() {
    Context ctx = new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    TransferReport.stopped(request(), true).report(ctx);
    assertEquals(Map.of("database-verified", "false"), ctx.outputs().asMap());
  }
}
