package dev.flyover.pg;

import dev.flyover.Context;
import dev.flyover.Outcome;
import dev.flyover.actions.JobSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a transfer did, as the run reports it: step outputs and the job summary (shared by the database command and
 * the cutover), for a finished transfer, one whose verification failed, or one that stopped (then only what it left
 * behind is known: the outputs say nothing was proven).
 */
public final class TransferReport implements Outcome {
  private final TransferRequest request;
  private final Optional<TransferResult> result;
  private final boolean touched;

  private TransferReport(TransferRequest request, Optional<TransferResult> result, boolean touched) {
    this.request = request;
    this.result = result;
    this.touched = touched;
  }

  /** A transfer that ran to its comparison (equal or not). */
  public static TransferReport of(TransferRequest request, TransferResult result) {
    return new TransferReport(request, Optional.of(result), true);
  }

  /** A transfer that stopped before its comparison; {@code touched}: the target had been written to. */
  static TransferReport stopped(TransferRequest request, boolean touched) {
    return new TransferReport(request, Optional.empty(), touched);
  }

  public TransferResult result() {
    return result.orElseThrow();
  }

  @Override
  public void report(Context ctx) {
    if (result.isEmpty()) {
      failed(ctx);
      return;
    }
    outputs(ctx, result.get());
    summary(ctx, request, result.get());
  }

  @Override
  public List<String> done() {
    if (result.isPresent()) {
      TransferResult r = result.get();
      return List.of(count(r.tables().size(), "table", "tables") + " and " + count(r.rows(), "row", "rows")
          + " copied to the target, " + r.verdict() + (r.verified() ? "." : ": do not use it."));
    }
    return List.of(touched ? "The target database was written to and is incomplete; the source was only read."
        : "Nothing was changed in either database.");
  }

  /** "1 row", "2 tables": how flyover writes a count outside this package too. */
  public static String count(long n, String one, String many) {
    return Progress.count(n, one, many);
  }

  static void outputs(Context ctx, TransferResult r) {
    ctx.outputs().set("database-tables", Integer.toString(r.tables().size()));
    ctx.outputs().set("database-rows", Long.toString(r.rows()));
    ctx.outputs().set("database-bytes", Long.toString(r.bytes()));
    ctx.outputs().set("database-seconds", String.format(Locale.ROOT, "%.1f", r.total().toMillis() / 1000.0));
    ctx.outputs().set("database-verified", Boolean.toString(r.verified()));
  }

  /** Outputs for a failed run: nothing proven. */
  public static void failed(Context ctx) {
    ctx.outputs().set("database-verified", "false");
  }

  static void summary(Context ctx, TransferRequest req, TransferResult r) {
    JobSummary s = ctx.summary();
    s.heading(2, "Database transfer");
    List<List<String>> facts = new ArrayList<>();
    facts.add(List.of("Source", JobSummary.code(req.source().describe()) + " (PostgreSQL " + JobSummary.inline(r.sourceVersion()) + ")"));
    facts.add(List.of("Target", JobSummary.code(req.target().describe()) + " (PostgreSQL " + JobSummary.inline(r.targetVersion()) + ")"));
    if (r.clientMajor() > 0) facts.add(List.of("Client tools", "pg_dump / pg_restore " + r.clientMajor()));
    facts.add(List.of("Mode", r.mode().label() + (r.mode() == TransferRequest.Mode.PARALLEL ? ", " + r.jobs() + " jobs" : "")));
    facts.add(List.of("Duration", String.format(Locale.ROOT, "%.1f s (copy %.1f s, verification %.1f s)",
        r.total().toMillis() / 1000.0, r.copyTime().toMillis() / 1000.0, r.verifyTime().toMillis() / 1000.0)));
    facts.add(List.of("Data", Progress.count(r.rows(), "row", "rows") + " in " + Progress.count(r.tables().size(), "table", "tables")));
    facts.add(List.of("Throughput", r.throughput()));
    facts.add(List.of("Sequences", Integer.toString(r.sequences())));
    if (r.largeObjects() > 0) facts.add(List.of("Large objects", Integer.toString(r.largeObjects())));
    if (!r.settings().isEmpty()) facts.add(List.of("Database settings", JobSummary.inline(String.join(", ", r.settings()))));
    facts.add(List.of("Verification", "**" + r.verdict() + "**"));
    if (!r.notCarried().isEmpty()) {
      facts.add(List.of("Not carried over", r.notCarried().size() + " grants and settings name roles of the source only: "
          + JobSummary.inline(String.join("; ", r.notCarried()))));
    }
    s.facts(facts);
    if (r.tables().isEmpty()) return;
    List<List<String>> rows = new ArrayList<>();
    for (TransferResult.TableResult t : r.tables()) {
      rows.add(List.of(JobSummary.code(t.table()), String.format(Locale.ROOT, "%,d", t.sourceRows()),
          t.targetRows() < 0 ? "—" : String.format(Locale.ROOT, "%,d", t.targetRows()), Progress.bytes(t.bytes()),
          t.match() ? "✓" : "✗ " + JobSummary.inline(t.note())));
    }
    StringBuilder md = new StringBuilder();
    s.table(List.of("Table", "Rows (source)", "Rows (target)", "Bytes", "Match"), rows);
    if (md.length() > 0) s.markdown(md.toString());
  }
}
