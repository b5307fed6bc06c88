package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.RunReport;
import dev.flyover.UserError;
import dev.flyover.actions.JobSummary;
import dev.flyover.cutover.DatabasePart;
import dev.flyover.fly.Flyctl;
import dev.flyover.fly.MpgConnection;
import dev.flyover.pg.DatabaseTransfer;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.RemoteOptions;
import dev.flyover.pg.Tls;
import dev.flyover.pg.TransferReport;
import dev.flyover.pg.TransferRequest;
import dev.flyover.pg.TransferResult;
import dev.flyover.secrets.MaskPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flyover database}: a thin wrapper around {@link DatabaseTransfer}. */
@Command(name = "database", mixinStandardHelpOptions = true, description = "Copy the Heroku Postgres database to Fly Postgres and verify it.")
final class DatabaseCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Mixin
  HerokuOptions heroku;

  @Option(names = "--heroku-database-url", paramLabel = "URL",
      description = "Source database URL (postgres://…). Default: $HEROKU_DATABASE_URL.")
  String herokuDatabaseUrl;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "Target database URL, or a Managed Postgres cluster ID (resolved with fly mpg status). .flycast and"
          + " .internal hosts are reached through flyctl proxy, Managed Postgres through fly mpg proxy. Default: $FLY_DATABASE_URL.")
  String databaseUrl;

  @Mixin
  TransferOptions transfer;

  @Option(names = "--overwrite", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Allow dropping what the target database already holds (default false).")
  boolean overwrite;

  @Option(names = "--dry-run", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Connect to both databases read-only, print the preflight (versions, size, target empty?) and stop; copy nothing.")
  boolean dryRun;

  DatabaseCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    // Nothing is proven until the transfer says so; a success overwrites this.
    TransferReport.failed(ctx);
    if ((herokuDatabaseUrl == null || herokuDatabaseUrl.isBlank()) && heroku.app().isPresent()) {
      // Fetched right before the run: Heroku rotates credentials on some maintenance events.
      String app = heroku.requireApp(ctx);
      herokuDatabaseUrl = heroku.client(ctx).configVars(app).get("DATABASE_URL");
      if (herokuDatabaseUrl == null || herokuDatabaseUrl.isBlank()) {
        throw new UserError("The Heroku app " + app + " has no DATABASE_URL config var: attach Heroku Postgres, or set "
            + ctx.optionName("heroku-database-url") + " to the database's URL.");
      }
      MaskPolicy.secret(ctx.console(), herokuDatabaseUrl);
      ctx.console().info("source: DATABASE_URL of Heroku app " + app);
    }
    if (herokuDatabaseUrl == null || herokuDatabaseUrl.isBlank()) {
      throw new UserError("No source database: set " + ctx.optionName("heroku-database-url")
          + " to the Heroku DATABASE_URL, or set " + ctx.optionName("heroku-app") + " and " + ctx.optionName("heroku-api-key")
          + " to read it from Heroku.");
    }
    if (databaseUrl == null || databaseUrl.isBlank()) {
      throw new UserError("No target database: set " + ctx.optionName("database-url")
          + " to the Fly Postgres URL (postgres://user:password@APP.flycast:5432/db).");
    }
    PgUrl source = Tls.source(PgUrl.parse(herokuDatabaseUrl, ctx.named("heroku-database-url")));
    databaseUrl = MpgConnection.resolveTarget(databaseUrl, () -> new Flyctl(ctx.env(), ctx.console(), fly.token()),
        ctx::optionName);
    PgUrl target = Tls.target(PgUrl.parse(databaseUrl, ctx.named("database-url")));
    int n = transfer.jobs(ctx);
    RemoteOptions remote = transfer.remote(ctx);
    Optional<String> app = Optional.empty();
    if (transfer.mode == TransferRequest.Mode.REMOTE || target.isFlyPrivate()) {
      try {
        app = Optional.of(fly.appName(ctx));
      } catch (UserError e) {
        if (transfer.mode == TransferRequest.Mode.REMOTE) throw e;
      }
    }
    TransferRequest req = new TransferRequest(source, target, transfer.mode, n, transfer.verify, overwrite, app, fly.token());
    if (dryRun) return dryRun(req, remote);
    TransferResult r = RunReport.flow(ctx, () -> TransferReport.of(req,
        new DatabaseTransfer(ctx.env(), ctx.console()).inputNames(ctx::optionName).remote(remote).run(req))).result();
    ctx.console().info(r.verified() ? "database transfer verified: " + r.verdict()
        : "database transfer finished without verification");
    return 0;
  }

  /** The cutover's read-only database preflight, printed and summarised; nothing is written anywhere. */
  private int dryRun(TransferRequest req, RemoteOptions remote) {
    List<String> lines;
    try {
      lines = new DatabasePart(ctx, req).preflight();
    } catch (java.sql.SQLException e) {
      throw new UserError("The database preflight failed (" + e.getMessage() + "): check "
          + ctx.optionName("heroku-database-url") + " and " + ctx.optionName("database-url") + ".", e);
    }
    JobSummary s = ctx.summary();
    s.heading(2, "Database plan (dry run)");
    List<String> shown = new ArrayList<>(List.of("source " + req.source().describe(), "target " + req.target().describe()));
    shown.addAll(lines);
    if (req.mode() == TransferRequest.Mode.REMOTE) {
      shown.add("would copy on a one-off Fly Machine (" + remote.image() + ", " + remote.vmSize() + ") in a short-lived"
          + " helper app next to the database, destroyed afterwards, then verify by " + req.verify().label());
    } else {
      shown.add("would copy with " + req.mode().label() + (req.mode() == TransferRequest.Mode.PARALLEL ? ", " + req.jobs()
          + " jobs" : "") + ", then verify by " + req.verify().label());
    }
    for (String l : shown) {
      // Warnings always; the rest is the summary, which a terminal prints below (said once).
      if (l.startsWith("WARNING: ")) ctx.console().warn(l.substring(9));
      else if (!ctx.summaryOnTerminal()) ctx.console().info(l);
    }
    s.markdown(String.join("\n", shown.stream().map(l -> "- " + JobSummary.inline(l)).toList()));
    ctx.console().notice("Dry run: nothing was copied and no database was changed; run again without "
        + ctx.optionName("dry-run") + " to transfer.");
    return 0;
  }
}
