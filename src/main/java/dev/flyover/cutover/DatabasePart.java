package dev.flyover.cutover;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.UserError;
import dev.flyover.pg.DatabaseTransfer;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.RemoteOptions;
import dev.flyover.pg.Tls;
import dev.flyover.pg.TransferReport;
import dev.flyover.pg.TransferRequest;
import dev.flyover.pg.TransferResult;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The database step: the database flow's transfer and verification, after the freeze. Already done when the
 * target holds exactly the source (see {@link DatabaseCheck}) and {@code overwrite} is off; a target holding
 * something else is replaced only with {@code overwrite: true} (the transfer's own rule).
 */
public final class DatabasePart implements Part {
  private final Context ctx;
  private final TransferRequest request;
  private RemoteOptions remote;

  /** TLS defaults as the database command has them ({@link Tls}). */
  public DatabasePart(Context ctx, String sourceUrl, String targetUrl, TransferRequest.Mode mode, int jobs,
      TransferRequest.Verify verify, boolean overwrite, Optional<String> flyApp, Optional<String> flyToken) {
    this.ctx = ctx;
    PgUrl source = Tls.source(PgUrl.parse(sourceUrl, ctx.named("heroku-database-url")));
    PgUrl target = Tls.target(PgUrl.parse(targetUrl, ctx.named("database-url")));
    this.request = new TransferRequest(source, target, mode, jobs, verify, overwrite, flyApp, flyToken);
  }

  /** The {@code database} command's request as it built it (its dry run is this part's preflight). */
  public DatabasePart(Context ctx, TransferRequest request) {
    this.ctx = ctx;
    this.request = request;
  }

  /** How transfer-mode remote sizes its machine. */
  public DatabasePart remote(RemoteOptions options) {
    this.remote = options;
    return this;
  }

  @Override
  public Optional<String> alreadyDone() throws SQLException {
    // Compared even with overwrite on: the comparison is also where the target is proven not to be the source.
    DatabaseCheck.Result r = DatabaseCheck.compare(ctx, request.source(), request.target(), request.flyApp(), request.flyToken());
    if (request.overwrite()) return Optional.empty();
    if (r.equal()) {
      ctx.outputs().set("database-tables", r.tables());
      ctx.outputs().set("database-rows", r.rows());
      ctx.outputs().set("database-verified", "true");
      // The check behind this is counts-only (Compare.counts): say so, not more.
      return Optional.of("the target already holds the source's data (" + TransferResult.verdict(TransferRequest.Verify.COUNTS, true)
          + ": " + TransferReport.count(r.tables(), "table", "tables") + ", " + TransferReport.count(r.rows(), "row", "rows") + "): transferred by an earlier run");
    }
    if (!r.targetEmpty()) {
      String fix = r.proof().provenDifferent() ? "set " + ctx.enabled("overwrite") + " to replace it, or point "
          : "flyover could not prove it is not the source (" + r.proof().reason() + "), so point ";
      throw new UserError("The target database already holds data that differs from Heroku's (" + r.difference()
          + "), likely an earlier cutover's copy: " + fix + ctx.optionName("database-url") + " at an empty database.");
    }
    return Optional.empty();
  }

  /** The plan's preflight lines. */
  public java.util.List<String> preflight() throws SQLException {
    return DatabaseCheck.preflight(ctx, request.source(), request.target(), request.flyApp(), request.flyToken(),
        request.overwrite());
  }

  @Override
  public String apply() {
    TransferResult r = RunReport.flow(ctx, () -> TransferReport.of(request,
        new DatabaseTransfer(ctx.env(), ctx.console()).inputNames(ctx::optionName).remote(remote).run(request))).result();
    if (!r.verified()) {
      throw UserError.outside("The database transfer finished but was not proven equal: see the database table.");
    }
    return String.format(java.util.Locale.ROOT, "%s and %s copied: %s", TransferReport.count(r.tables().size(), "table", "tables"),
        TransferReport.count(r.rows(), "row", "rows"), r.verdict());
  }
}
