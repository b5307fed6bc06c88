package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.pg.DatabaseTransfer;
import dev.flyover.pg.PgUrl;
import dev.flyover.pg.RemoteOptions;
import dev.flyover.pg.TransferReport;
import dev.flyover.pg.TransferRequest;
import dev.flyover.pg.TransferResult;
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
      description = "Target database URL. .flycast and .internal hosts are reached through flyctl proxy. Default: $FLY_DATABASE_URL.")
  String databaseUrl;

  @Mixin
  TransferOptions transfer;

  @Option(names = "--overwrite", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Allow dropping what the target database already holds (default false).")
  boolean overwrite;

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
      ctx.console().maskUrl(herokuDatabaseUrl);
      ctx.console().info("source: DATABASE_URL of Heroku app " + app);
    }
    if (herokuDatabaseUrl == null || herokuDatabaseUrl.isBlank()) {
      throw new UserError("No source database: set " + ctx.optionName("heroku-database-url")
          + " to the Heroku DATABASE_URL, or set heroku-app and heroku-api-key to read it from Heroku.");
    }
    if (databaseUrl == null || databaseUrl.isBlank()) {
      throw new UserError("No target database: set " + ctx.optionName("database-url")
          + " to the Fly Postgres URL (postgres://user:password@APP.flycast:5432/db).");
    }
    PgUrl source = PgUrl.parse(herokuDatabaseUrl, "heroku-database-url").withDefaultSslMode("require");
    PgUrl target = PgUrl.parse(databaseUrl, "database-url");
    if (target.isFlyPrivate()) target = target.withDefaultSslMode("disable");
    int n = transfer.jobs(ctx);
    RemoteOptions remote = transfer.remote(ctx);
    Optional<String> app = Optional.empty();
    if (transfer.mode == TransferRequest.Mode.REMOTE || target.isFlyPrivate()) {
      try {
        app = Optional.of(fly.appName(ctx.env()));
      } catch (UserError e) {
        if (transfer.mode == TransferRequest.Mode.REMOTE) throw e;
      }
    }
    TransferRequest req = new TransferRequest(source, target, transfer.mode, n, transfer.verify, overwrite, app, fly.token());
    try {
      TransferResult r = new DatabaseTransfer(ctx.env(), ctx.console()).remote(remote).run(req);
      TransferReport.outputs(ctx, r);
      TransferReport.summary(ctx, req, r);
      ctx.console().info(r.verified() ? "database transfer verified: the target equals the source"
          : "database transfer finished without verification");
      return 0;
    } catch (DatabaseTransfer.VerificationFailed e) {
      TransferReport.outputs(ctx, e.result());
      TransferReport.summary(ctx, req, e.result());
      throw e;
    }
  }
}
