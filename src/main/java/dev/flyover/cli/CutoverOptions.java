package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.cutover.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The inputs that shape a cutover, shared by {@code plan} and {@code cutover}. */
public final class CutoverOptions {
  @Option(names = "--database", paramLabel = "CHOICE", defaultValue = "transfer",
      description = "What happens to the database: transfer (default), keep-heroku or skip.")
  String database;

  @Option(names = "--create-database", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Create Fly Managed Postgres (fly mpg create; postgres-kind: unmanaged for flyctl postgres create) and attach it as the target.")
  boolean createDatabase;

  @Option(names = "--set-database-url", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Stage Fly's DATABASE_URL secret as the target database.")
  boolean setDatabaseUrl;

  @Option(names = "--heroku-after", paramLabel = "WHAT", defaultValue = "maintenance",
      description = "Heroku after a cutover: maintenance (stays in maintenance mode) or scale-down.")
  String herokuAfter;

  @Option(names = "--overwrite", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Allow dropping what the target database already holds.")
  boolean overwrite;

  @Option(names = "--database-url", paramLabel = "URL", description = "Target (Fly Postgres) database URL, or a Managed Postgres cluster ID. Default: $FLY_DATABASE_URL.")
  String databaseUrl;

  @Option(names = "--heroku-database-url", paramLabel = "URL",
      description = "Source database URL. Default: Heroku's DATABASE_URL, read through the API.")
  String herokuDatabaseUrl;

  @Option(names = "--org", paramLabel = "SLUG",
      description = "Fly organization for the new database. Default: the Fly app's own organization.")
  String org;

  @Option(names = "--postgres-app", paramLabel = "NAME", description = "Name of the Managed Postgres cluster (or unmanaged Fly Postgres app) to create. Default: FLY_APP-db.")
  String postgresApp;

  @Option(names = "--postgres-region", paramLabel = "REGION", description = "Region of the new Fly Postgres. Default: primary_region in fly.toml.")
  String postgresRegion;

  @Option(names = "--postgres-vm-size", paramLabel = "SIZE", defaultValue = "shared-cpu-1x",
      description = "VM size of the new Fly Postgres machines.")
  String postgresVmSize;

  @Option(names = "--postgres-cluster-size", paramLabel = "N", defaultValue = "1",
      description = "Machines in the new Fly Postgres cluster (3 for high availability).")
  int postgresClusterSize;

  @Option(names = "--postgres-volume-size", paramLabel = "GB", defaultValue = "10",
      description = "Volume size of the new Fly Postgres, in GB.")
  int postgresVolumeSize;

  // Managed Postgres (issue 10 part 3)
  @Option(names = "--postgres-kind", paramLabel = "KIND", defaultValue = "managed",
      description = "create-database: managed (Fly Managed Postgres, fly mpg create) or unmanaged (flyctl postgres create).")
  String postgresKind;

  @Option(names = "--postgres-plan", paramLabel = "PLAN", defaultValue = "basic",
      description = "create-database: Managed Postgres plan: basic, starter, launch or scale.")
  String postgresPlan;

  @Option(names = "--postgres-major-version", paramLabel = "N",
      description = "create-database: PostgreSQL major of the Managed Postgres cluster, 16 or 17. Default: Heroku's major"
          + " if it is 16 or 17, else 16.")
  String postgresMajorVersion;

  @Option(names = "--include", paramLabel = "GLOB", split = "\r?\n", hideParamSyntax = true,
      description = "secrets step: only move config vars matching these globs, one per line or repeated.")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", split = "\r?\n", hideParamSyntax = true,
      description = "secrets step: also leave out config vars matching these globs, one per line or repeated.")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--rename", paramLabel = "OLD=NEW", split = "\r?\n", hideParamSyntax = true,
      description = "secrets step: rename config vars on the way, one OLD=NEW per line or repeated.")
  List<String> rename = new ArrayList<>();

  @Mixin
  TransferOptions transfer;

  // strict (issue 13): an unmatched process group stops the cutover
  @Option(names = "--strict", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Stop before any change when a process type running on Heroku has no Fly process group (default false: a warning).")
  boolean strict;

  private static Optional<String> opt(String s) {
    return Optional.ofNullable(s).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** @param buildFrom the deploy inputs' own way to build (see {@link DeployOptions#buildFrom}) */
  Settings settings(Context ctx, String herokuApp, String flyApp, java.nio.file.Path workDir, Optional<String> confirm,
      Optional<String> buildFrom) {
    if (postgresClusterSize < 1) {
      throw new UserError("The " + ctx.named("postgres-cluster-size") + " is " + postgresClusterSize + ": use 1 or more.");
    }
    if (postgresVolumeSize < 1) {
      throw new UserError("The " + ctx.named("postgres-volume-size") + " is " + postgresVolumeSize + ": use 1 (GB) or more.");
    }
    Settings.Kind kind = Settings.Kind.parse(postgresKind, ctx.named("postgres-kind"));
    String plan = postgresPlan.strip().toLowerCase(java.util.Locale.ROOT);
    if (!Settings.MPG_PLANS.contains(plan)) {
      throw new UserError("The " + ctx.named("postgres-plan") + " is '" + postgresPlan + "': use basic, starter,"
          + " launch or scale" + (plan.equals("performance") ? " (flyctl turns performance into basic without asking;"
          + " create a Performance cluster in Fly's dashboard and give its connection string as " + ctx.optionName("database-url") + ")" : "") + ".");
    }
    Optional<Integer> major = opt(postgresMajorVersion).map(v -> {
      if (!v.equals("16") && !v.equals("17")) {
        throw new UserError("The " + ctx.named("postgres-major-version") + " is '" + v + "': Managed Postgres"
            + " offers 16 and 17 only (internal/command/mpg/create.go); leave it empty to follow Heroku's major.");
      }
      return Integer.parseInt(v);
    });
    Settings.DatabaseChoice db = Settings.DatabaseChoice.parse(database, ctx.named("database"));
    if (createDatabase && db != Settings.DatabaseChoice.TRANSFER) {
      throw new UserError(ctx.enabled("create-database") + " needs " + ctx.given("database", "transfer")
          + " (it makes the transfer's target), not " + db.input + ".");
    }
    if (createDatabase && opt(databaseUrl).isPresent()) {
      ctx.console().info(ctx.enabled("create-database") + " and " + ctx.optionName("database-url") + " are both set: the "
          + ctx.named("database-url") + " is used once the cluster exists.");
    }
    return new Settings(herokuApp, flyApp, confirm, db, createDatabase, setDatabaseUrl,
        Settings.HerokuAfter.parse(herokuAfter, ctx.named("heroku-after")), overwrite, opt(databaseUrl),
        opt(herokuDatabaseUrl), opt(org),
        new Settings.Postgres(opt(postgresApp).orElse(flyApp + "-db"), opt(postgresRegion), postgresVmSize.strip(),
            postgresClusterSize, postgresVolumeSize, kind, plan, major),
        workDir, buildFrom, List.copyOf(include), List.copyOf(exclude), List.copyOf(rename), strict);
  }
}
