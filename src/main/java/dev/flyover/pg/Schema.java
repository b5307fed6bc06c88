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
    Tools.Run failed = read(schemaFile, "post-data", sqlFile, listFile);
    if (failed != null) throw new TransferFailure("pg_restore could not read the schema archive (" + Tools.lastError(failed.stderr()) + ")", null);
    PostData pd = PostData.split(Files.readAllLines(sqlFile), Files.readAllLines(listFile), owners);
    if (!pd.split) spec.console.info("post-data: pg_restore's SQL did not match its list entry for entry, so pg_restore builds every index after the copy");
    return pd;
  }

  /**
   * One section of the archive read twice, side by side: pg_restore's SQL with {@code --verbose} (each entry then
   * starts with its "-- TOC entry <id> (class <c> OID <o>)" line and its "-- Dependencies:" line) into {@code sql},
   * and its {@code --list} into {@code list}. Returns the run that failed, or null.
   */
  private Tools.Run read(Path file, String section, Path sql, Path list) throws InterruptedException {
    List<Tools.Run> runs = spec.pool.collect(2, "read-" + section, i -> Tools.run(spec.stopper, i == 0
        ? List.of(spec.tools.pgRestore().toString(), "--section=" + section, "--verbose", "--no-owner", "--no-acl", "--file=" + sql, file.toString())
        : List.of(spec.tools.pgRestore().toString(), "--list", "--section=" + section, "--file=" + list, file.toString()),
        Tools.childEnv(spec.env, spec.target, Map.of()), l -> {}));
    spec.stopper.check();
    for (Tools.Run r : runs) if (r.exit() != 0) return r;
    return null;
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

  /**
   * The pre-data: with many relations, split ({@link PreData}) and restored by {@code jobs} pg_restore runs side by
   * side after the entries they all need; else by one pg_restore. {@code FLYOVER_PREDATA_SPLIT}: {@code 0} never
   * splits, {@code all} splits whatever the number of relations (the tests' way to cover it with small schemas).
   */
  void restorePreData(Path file) throws IOException, InterruptedException {
    String mode = spec.env.getOrDefault("FLYOVER_PREDATA_SPLIT", "auto");
    int min = mode.equals("all") ? 0 : PreData.MIN_RELATIONS;
    // The source's user tables are known already: a small schema never pays for the two pg_restore runs below.
    if (mode.equals("0") || spec.req.jobs() < 2 || spec.tables.size() < min) {
      restore(file, "pre-data", 1, null);
      return;
    }
    long t0 = System.nanoTime();
    List<Path> temp = new ArrayList<>();
    try {
      Path sql = Tools.privateTempFile("flyover-pre-data", ".sql");
      temp.add(sql);
      Path list = Tools.privateTempFile("flyover-pre-data", ".list");
      temp.add(list);
      java.util.Optional<PreData.Plan> plan = read(file, "pre-data", sql, list) == null
          ? PreData.plan(Files.readAllLines(sql), Files.readAllLines(list), spec.req.jobs(), min) : java.util.Optional.empty();
      if (plan.isEmpty()) {
        restore(file, "pre-data", 1, null);
        return;
      }
      Path first = Tools.privateTempFile("flyover-pre-data-first", ".list");
      temp.add(first);
      Files.write(first, plan.get().first());
      List<Path> parts = new ArrayList<>();
      for (List<String> part : plan.get().parts()) {
        Path p = Tools.privateTempFile("flyover-pre-data-part", ".list");
        temp.add(p);
        Files.write(p, part);
        parts.add(p);
      }
      run(file, "pre-data", 1, first, "pre-data (schemas, types, functions)");
      spec.pool.runOnEach(java.util.stream.IntStream.range(0, parts.size()).boxed().toList(), "pre-data", i -> run(file, "pre-data",
          1, parts.get(i), "pre-data (relations, part " + (i + 1) + " of " + parts.size() + ")"));
      spec.console.info(String.format(Locale.ROOT, "pre-data restored in %.1fs (%s by %d pg_restore side by side)",
          (System.nanoTime() - t0) / 1e9, Progress.count(plan.get().relations(), "relation", "relations"), parts.size()));
    } finally {
      for (Path p : temp) Files.deleteIfExists(p);
    }
  }

  void restore(Path file, String section, int jobs, Path list) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    run(file, section, jobs, list, section.equals("post-data") ? "post-data (foreign keys, triggers, remaining indexes)" : section);
    spec.console.info(String.format(Locale.ROOT, "%s restored in %.1fs", section, (System.nanoTime() - t0) / 1e9));
  }

  /**
   * One pg_restore of {@code section} (of the entries in {@code list}, when given), its progress lines named
   * {@code label}; its errors read entry by entry.
   */
  private void run(Path file, String section, int jobs, Path list, String label) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(spec.tools.pgRestore().toString(), "--section=" + section, "--no-owner",
        "--no-acl", "--jobs=" + jobs, "--dbname=" + Tools.dbnameConninfo(spec.target.database())));
    if (list != null) argv.add("--use-list=" + list);
    argv.add(file.toString());
    Tools.Run r;
    // The post-data is where foreign keys are validated and pg_restore's remaining indexes built: minutes, on a big database.
    try (Progress.Phase p = spec.progress.step(label)) {
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
  }
}
