package dev.flyover.pg;

import dev.flyover.UserError;
import dev.flyover.pg.Catalog.Table;
import dev.flyover.pg.PgSession.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Phase: preflight, everything checked before the first write, so that a run that cannot succeed stops having
 * changed nothing: both sides reachable, the target proven not to be the source ({@link TargetGuard}), major
 * versions and client tools, the snapshot taken and what it holds, extensions available (and those a platform
 * installed kept), what only a superuser could create ({@link TargetRights}), every database setting tried
 * ({@link Settings#plan}), and the target empty or, with overwrite, everything in it droppable by the target user
 * ({@link Overwrite#check}). What it finds goes into the {@link RunSpec.Builder}, which then fixes it as the run's
 * {@link RunSpec}.
 */
final class Preflight {
  private Preflight() {}

  static void run(RunSpec.Builder s, UnaryOperator<String> inputName, Consumer<TargetGuard> proved) throws SQLException {
    // Each side's session, unless its channel-binding probe already opened it (Tls.forRun); both at once.
    Connection source = s.coordinator;
    Connection target = s.targetAdmin;
    Beside.Both<Connection, Connection> sessions = Beside.run(
        () -> source != null ? source : s.stopper.track(PgSession.open(s.source, Side.SOURCE, s.sourceInput())),
        () -> target != null ? target : s.stopper.track(PgSession.open(s.target, Side.TARGET, s.targetInput())));
    s.coordinator = sessions.first();
    s.targetAdmin = sessions.second();
    // Before anything else: the target must not be the source (issue 9).
    TargetGuard guard = TargetGuard.prove(s.coordinator, s.targetAdmin, s.console, inputName, DatabaseTransfer.SOURCE_INPUT);
    proved.accept(guard);
    s.sourceNum = Catalog.serverVersionNum(s.coordinator);
    s.targetNum = Catalog.serverVersionNum(s.targetAdmin);
    s.sourceVersion = Catalog.serverVersion(s.coordinator);
    s.targetVersion = Catalog.serverVersion(s.targetAdmin);
    int sMajor = Catalog.major(s.sourceNum);
    int tMajor = Catalog.major(s.targetNum);
    s.console.info("source: PostgreSQL " + s.sourceVersion + " at " + s.source.describe() + "; target: PostgreSQL "
        + s.targetVersion + " at " + s.req.target().describe());
    if (tMajor < sMajor) {
      throw new UserError("The target database runs PostgreSQL " + tMajor + " but the source runs " + sMajor
          + ": a dump cannot be restored into an older major version; create the target with PostgreSQL " + sMajor + " or newer.");
    }
    // Remote mode runs pg_dump/pg_restore on its machine (flyover's image has every major): none needed here.
    if (s.req.mode() != TransferRequest.Mode.REMOTE) s.tools = PgTools.choose(s.env, sMajor, tMajor, s.console);
    // Everything the source is read for happens inside one snapshot, shared by pg_dump and every worker.
    s.snapshot = Snapshot.export(s.coordinator);
    s.tables = Catalog.tables(s.coordinator);
    s.configTables = Catalog.extensionConfigTables(s.coordinator);
    s.configSequences = Catalog.extensionConfigSequences(s.coordinator);
    long size = Catalog.databaseSize(s.coordinator);
    long tableBytes = s.tables.stream().mapToLong(Table::bytes).sum();
    s.console.info(String.format(Locale.ROOT, "source database: %s, %s (%s of table data), snapshot %s",
        Progress.bytes(size), Progress.count(s.tables.size(), "table", "tables"), Progress.bytes(tableBytes), s.snapshot));
    checkExtensions(s, guard);
    guard.checkTarget(s.targetAdmin, s.req.overwrite(), s.req.target().describe());
    String targetUser = Catalog.scalar(s.targetAdmin, "SELECT current_user");
    TargetRights.check(s.coordinator, s.targetAdmin, targetUser);
    s.settingsPlan = Settings.plan(s.coordinator, s.targetAdmin, s.console, guard.provenDifferent());
    s.overwriteItems = Overwrite.inventory(s.targetAdmin);
    if (guard.mayClear(s.req.overwrite())) {
      Overwrite.check(s.overwriteItems, targetUser, s.req.target().describe(), guard.spell("database-url"));
    } else {
      guard.checkOutsideSchemas(s.overwriteItems, s.req.target().describe());
    }
    if (Catalog.schemaExists(s.coordinator, "heroku_ext")) {
      s.console.info("source has the heroku_ext schema: it, its extensions and the database search_path are carried over");
    }
  }

  private static void checkExtensions(RunSpec.Builder s, TargetGuard guard) throws SQLException {
    List<Catalog.Extension> used = Catalog.extensions(s.coordinator);
    List<String> available = Catalog.availableExtensions(s.targetAdmin);
    List<String> missing = new ArrayList<>();
    for (Catalog.Extension e : used) {
      if (!available.contains(e.name())) missing.add(e.name() + " " + e.version());
    }
    if (!missing.isEmpty()) {
      throw new UserError("The target server lacks extensions the source uses (" + String.join(", ", missing)
          + "): install them on the target server (or use a Postgres image that has them) before transferring.");
    }
    List<Catalog.Extension> kept = new ArrayList<>();
    for (Catalog.Extension t : Catalog.extensions(s.targetAdmin)) {
      if (used.stream().anyMatch(u -> u.name().equals(t.name()) && u.schema().equals(t.schema()))) kept.add(t);
    }
    s.keptExtensions = kept;
    if (guard.mayClear(s.req.overwrite())) return;
    for (Catalog.Extension t : Catalog.extensions(s.targetAdmin)) {
      for (Catalog.Extension u : used) {
        if (u.name().equals(t.name()) && !u.schema().equals(t.schema())) {
          throw new UserError("The target database already has extension " + t.name() + " in schema " + t.schema()
              + " but the source has it in " + u.schema() + ": drop it on the target"
              + (guard.provenDifferent() ? ", or set " + guard.overwriteOn() + "." : "."));
        }
      }
    }
    if (!used.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Catalog.Extension e : used) names.add(e.name() + " (" + e.schema() + ")");
      s.console.info("extensions: " + String.join(", ", names) + " — all available on the target");
    }
  }
}
