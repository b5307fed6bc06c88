package dev.flyover.pg;

import dev.flyover.pg.DatabaseTransfer.TransferFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phase: schema, pre-data and post-data (parallel mode). pg_dump writes the schema alone from the run's snapshot
 * ({@code --schema-only --no-owner --no-acl}: roles and privileges are the privileges phase's); pg_restore
 * restores the pre-data (types, tables, functions…) before the copy, and after it the post-data that the index
 * phase did not build alongside the copy (foreign keys, triggers, rules, partition index attachments), by TOC
 * list. pg_restore's stderr is read entry by entry ({@link RestoreLog}): its exit code alone cannot tell a
 * cosmetic error from a lost object.
 */
final class Schema {
  private final RunSpec spec;

  Schema(RunSpec spec) {
    this.spec = spec;
  }

  /** pg_dump's post-data SQL, split into per-table index builds and a TOC list for the rest. */
  PostData postData(Path schemaFile, Path sqlFile, Path listFile) throws IOException, InterruptedException, SQLException {
    Map<PostData.ObjectId, PostData.Info> owners = PostData.tableOf(spec.coordinator);
    // --verbose: each entry then starts with its "-- TOC entry <id> (class <c> OID <o>)" line (PostData).
    Tools.Run sql = Tools.run(spec.stopper, List.of(spec.tools.pgRestore().toString(), "--section=post-data", "--verbose", "--no-owner",
        "--no-acl", "--file=" + sqlFile, schemaFile.toString()), Tools.childEnv(spec.env, spec.target, Map.of()), l -> {});
    Tools.Run list = Tools.run(spec.stopper, List.of(spec.tools.pgRestore().toString(), "--list", "--section=post-data",
        "--file=" + listFile, schemaFile.toString()), Tools.childEnv(spec.env, spec.target, Map.of()), l -> {});
    spec.stopper.check();
    if (sql.exit() != 0 || list.exit() != 0) {
      throw new TransferFailure("pg_restore could not read the schema archive (" + Tools.lastError(sql.stderr()) + ")", null);
    }
    PostData pd = PostData.split(Files.readAllLines(sqlFile), Files.readAllLines(listFile), owners);
    if (!pd.split) spec.console.info("post-data: pg_restore's SQL did not match its list entry for entry, so pg_restore builds every index after the copy");
    return pd;
  }

  void dumpSchema(Path file) throws IOException, InterruptedException {
    List<String> argv = List.of(spec.tools.pgDump().toString(), "--format=custom", "--compress=0", "--schema-only",
        "--no-owner", "--no-acl", "--no-subscriptions", "--snapshot=" + spec.snapshot, "--file=" + file);
    Tools.Run r;
    try (Progress.Phase p = spec.progress.step("schema dump")) {
      r = Tools.run(spec.stopper, argv, Tools.childEnv(spec.env, spec.source, Map.of()), l -> spec.console.debug("pg_dump: " + l));
    }
    spec.stopper.check();
    if (r.exit() != 0) {
      throw new TransferFailure("pg_dump of the schema " + Tools.exitText(r.exit()) + " (" + Tools.lastError(r.stderr()) + ")", null);
    }
  }

  /**
   * The post-data that was not built alongside the copy (by pg_restore, from {@code listFile}, pg_restore's own list
   * of the section); nothing to run when every entry was.
   */
  void restorePostData(Path schemaFile, Path listFile, PostData post, java.util.Set<Integer> addedAlongside)
      throws IOException, InterruptedException {
    List<String> remaining = post.remainingList(Files.readAllLines(listFile), addedAlongside);
    if (remaining == null) {
      spec.console.info("post-data: every entry was built alongside the copy");
      return;
    }
    Files.write(listFile, remaining);
    restore(schemaFile, "post-data", spec.req.jobs(), listFile);
  }

  void restore(Path file, String section, int jobs, Path list) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    List<String> argv = new ArrayList<>(List.of(spec.tools.pgRestore().toString(), "--section=" + section, "--no-owner",
        "--no-acl", "--jobs=" + jobs, "--dbname=" + Tools.dbnameConninfo(spec.target.database())));
    if (list != null) argv.add("--use-list=" + list);
    argv.add(file.toString());
    Tools.Run r;
    // The post-data is where foreign keys are validated and pg_restore's remaining indexes built: minutes, on a big database.
    try (Progress.Phase p = spec.progress.step(section.equals("post-data") ? "post-data (foreign keys, triggers, remaining indexes)" : section)) {
      r = Tools.run(spec.stopper, argv, Tools.childEnv(spec.env, spec.target, Map.of("PGOPTIONS", spec.pgOptions())),
          l -> spec.console.debug("pg_restore: " + l));
    }
    spec.stopper.check();
    RestoreLog log = RestoreLog.parse(r.stderr(), spec.keptExtensions);
    for (String b : log.benign) spec.console.info("pg_restore (" + section + "): ignored a harmless error: " + b);
    if (!log.ok()) {
      throw new TransferFailure("pg_restore of the " + section + " failed: " + log.fatal.get(0)
          + (log.fatal.size() > 1 ? " (and " + (log.fatal.size() - 1) + " more errors)" : ""), null);
    }
    if (r.exit() != 0 && log.benign.isEmpty()) {
      throw new TransferFailure("pg_restore of the " + section + " " + Tools.exitText(r.exit()) + " (" + Tools.lastError(r.stderr()) + ")", null);
    }
    spec.console.info(String.format(Locale.ROOT, "%s restored in %.1fs", section, (System.nanoTime() - t0) / 1e9));
  }
}
