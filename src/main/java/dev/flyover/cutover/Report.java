package dev.flyover.cutover;

import static dev.flyover.cutover.HerokuFacts.*;

import dev.flyover.actions.JobSummary;
import dev.flyover.deploy.CheatSheet;
import dev.flyover.heroku.Addon;
import dev.flyover.heroku.Formation;
import dev.flyover.heroku.FormationUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cutover's report: outputs ({@code cutover-status}, {@code steps-completed}, {@code downtime-seconds}) and
 * the job summary a team acts on: each step with status and duration, downtime, a Mermaid timeline, DNS records
 * to set, what still costs money on Heroku, and the Heroku-to-Fly cheat sheet.
 */
final class Report {
  private Report() {}

  /** Maintenance on (this run or an earlier one being resumed) to the app healthy on Fly, or to Heroku restored. */
  static Optional<Duration> downtime(Engine.Outcome o, Instant end) {
    Optional<StepRecord> m = o.record("maintenance").filter(r -> r.started() != null
        && (r.completed() || r.status() == StepRecord.Status.UNDONE));
    if (m.isEmpty()) return Optional.empty();
    Instant from = m.get().started();
    Optional<StepRecord> d = o.record("deploy").filter(StepRecord::completed);
    Instant to = d.isPresent() ? d.get().finished() : end;
    return Optional.of(Duration.between(from, to));
  }

  static void outputs(Cutover c, Engine.Outcome o, Instant end) {
    var out = c.ctx.outputs();
    out.set("cutover-status", o.ok() ? "completed" : "failed");
    out.set("steps-completed", String.join(",", o.completedIds()));
    out.set("downtime-seconds", downtime(o, end).map(d -> String.valueOf(d.toSeconds())).orElse("0"));
  }

  static void write(Cutover c, Engine.Outcome o, Instant end) {
    JobSummary sum = c.ctx.summary();
    Settings s = c.settings;
    sum.heading(2, "Cutover " + (o.ok() ? "completed" : "failed") + ": Heroku " + s.herokuApp() + " → Fly " + s.flyApp());
    boolean touched = changedSomething(o);
    if (!o.ok()) {
      boolean undoFailed = o.steps().stream().anyMatch(r -> r.status() == StepRecord.Status.UNDO_FAILED);
      // The run's error is in the failure section (RunReport); what it means for Heroku is said here, everywhere.
      sum.callout("CAUTION", (!touched ? "Nothing was changed on Heroku, Fly or any database: the cutover stopped before its first change."
              + " Fix the cause and run it again."
              : undoFailed ? "Some changes could **not** be undone: see the steps marked *undo failed* and put them back by hand."
              : "Heroku was put back as it was found (maintenance mode and formation). The target database and "
                  + "staged Fly secrets are kept for inspection. Fix the cause and run the cutover again: steps "
                  + "already done and verified are skipped."));
      boolean deployed = o.record("deploy").map(r -> r.status() == StepRecord.Status.DONE).orElse(false);
      if (deployed) {
        sum.callout("WARNING", "The Fly app " + JobSummary.code(s.flyApp()) + " was deployed and is running while "
            + "Heroku serves again: keep DNS on Heroku. Anything written through the Fly app lands in the target "
            + "database, which the next run finds different from Heroku's and replaces only with "
            + JobSummary.inline(c.ctx.enabled("overwrite")) + ".");
      }
    }
    if (o.ok()) {
      c.plan().flatMap(p -> p.notRunningOnFly(c)).ifPresent(w -> sum.markdown("> [!WARNING]\n> **" + JobSummary.inline(w) + "**"));
    }
    List<List<String>> facts = new ArrayList<>();
    downtime(o, end).ifPresent(d -> facts.add(List.of("Downtime", human(d) + (o.ok() ? " (maintenance on → healthy on Fly)"
        : " (maintenance on → Heroku restored)"))));
    o.record("build").filter(b -> b.status() == StepRecord.Status.DONE).ifPresent(b -> facts.add(List.of("Image build",
        human(b.duration()) + " before maintenance mode, so not in the downtime")));
    facts.add(List.of("Steps completed", JobSummary.inline(String.join(", ", o.completedIds()))));
    facts.add(List.of("Database", JobSummary.inline(s.database().input)));
    facts.add(List.of("Heroku now", JobSummary.inline(!o.ok() && !touched ? "untouched"
        : !o.ok() ? "serving again (as before the cutover)"
        : s.herokuAfter() == Settings.HerokuAfter.SCALE_DOWN ? "scaled to 0" : "in maintenance mode")));
    sum.facts(facts);

    List<List<String>> rows = new ArrayList<>();
    int i = 0;
    for (StepRecord r : o.steps()) {
      String note = r.note();
      if (!r.undoNote().isEmpty()) note = (note.isEmpty() ? "" : note + "; ") + "undo: " + r.undoNote();
      rows.add(List.of(String.valueOf(++i), JobSummary.code(r.id()), icon(r.status()) + " " + r.status().label,
          r.started() == null || r.finished() == null ? "" : human(r.duration()), JobSummary.inline(note)));
    }
    sum.table(List.of("#", "Step", "Status", "Duration", "Details"), rows);
    sum.code("mermaid", mermaid(o, end));

    if (!c.warnings.isEmpty()) {
      sum.heading(3, "Warnings");
      sum.markdown(String.join("\n", c.warnings.stream().map(w -> "- " + JobSummary.inline(w)).toList()));
    }
    if (!c.dns.isEmpty()) {
      sum.heading(3, "DNS records to set");
      List<List<String>> dns = new ArrayList<>();
      for (DnsRecord d : c.dns) {
        dns.add(List.of(JobSummary.code(d.type()), JobSummary.code(d.name()), JobSummary.code(d.value()), JobSummary.inline(d.why())));
      }
      sum.table(List.of("Type", "Name", "Value", "Why"), dns);
      sum.markdown("Check each domain with `fly certs check HOST -a " + JobSummary.inline(s.flyApp()) + "` once DNS has moved.");
    }
    stillOnHeroku(c, sum);
    cheatSheet(c, o, sum);
  }

  /** For the failure section: which steps stayed done, which were undone, which could not be. */
  static List<String> done(Engine.Outcome o) {
    if (!changedSomething(o)) return List.of("Nothing was changed on Heroku, Fly or any database.");
    List<String> d = new ArrayList<>();
    for (StepRecord.Status st : List.of(StepRecord.Status.DONE, StepRecord.Status.UNDONE, StepRecord.Status.UNDO_FAILED)) {
      // The plan only reads: it is not something done.
      List<String> ids = o.steps().stream().filter(r -> r.status() == st && !r.id().equals("plan")).map(StepRecord::id).toList();
      if (ids.isEmpty()) continue;
      d.add(switch (st) {
        case DONE -> "Done and kept: ";
        case UNDONE -> "Undone: ";
        default -> "Could not be undone (put back by hand): ";
      } + String.join(", ", ids) + ".");
    }
    o.steps().stream().filter(r -> r.status() == StepRecord.Status.FAILED).findFirst()
        .ifPresent(r -> d.add("Failed: " + r.id() + (r.undoNote().isEmpty() ? "" : " (undo: " + r.undoNote() + ")") + "."));
    return d;
  }

  /**
   * Whether any step but the plan (which only reads) and the build (which only adds an image nothing runs) ran in
   * this run, even if it was then undone.
   */
  static boolean changedSomething(Engine.Outcome o) {
    return o.steps().stream().anyMatch(r -> !r.id().equals("plan") && !r.id().equals("build") && switch (r.status()) {
      case DONE, FAILED, UNDONE, UNDO_FAILED -> true;
      case VERIFIED, NOT_RUN, PENDING -> false;
    });
  }

  private static void stillOnHeroku(Cutover c, JobSummary sum) {
    List<List<String>> rows = new ArrayList<>();
    try {
      for (Formation d : c.heroku.formation(c.settings.herokuApp())) {
        if (d.quantity() > 0) rows.add(List.of("dynos", JobSummary.code(d.type()), d.quantity() + " × " + JobSummary.inline(d.size()),
            "`heroku ps:scale " + JobSummary.inline(d.type()) + "=0 -a " + JobSummary.inline(c.settings.herokuApp()) + "`"));
      }
    } catch (RuntimeException e) {
      rows.add(List.of("dynos", "", "could not read the formation: " + JobSummary.inline(e.getMessage()), ""));
    }
    List<Addon> addons = c.plan().map(Plan::addons).orElse(List.of());
    for (Addon a : addons) {
      rows.add(List.of("add-on", JobSummary.inline(a.name()), JobSummary.inline(a.plan()),
          "`heroku addons:destroy " + JobSummary.inline(a.name()) + " -a " + JobSummary.inline(c.settings.herokuApp())
              + "` (only once Fly is proven" + (a.postgres() ? "; keep a backup" : "") + ")"));
    }
    if (rows.isEmpty()) return;
    sum.heading(3, "Still on Heroku (and billed)");
    sum.table(List.of("What", "Name", "Size / plan", "To stop paying"), rows);
  }

  /** The deploy's cheat sheet (written by the deploy step when it ran), plus how to go back to Heroku. */
  private static void cheatSheet(Cutover c, Engine.Outcome o, JobSummary sum) {
    String h = c.settings.herokuApp();
    List<List<String>> rows = new ArrayList<>();
    boolean deployRan = o.record("deploy").map(r -> r.status() != StepRecord.Status.NOT_RUN
        && r.status() != StepRecord.Status.VERIFIED).orElse(false);
    if (!deployRan) {
      for (CheatSheet.Row r : CheatSheet.rows(c.settings.flyApp(), c.settings.workDir(), Optional.empty())) {
        rows.add(List.of(JobSummary.code(r.heroku()), JobSummary.code(r.fly())));
      }
    }
    rows.add(List.of(JobSummary.code("heroku maintenance:off -a " + h),
        "going back: point DNS at Heroku again, then turn maintenance off"));
    rows.add(List.of(JobSummary.code("heroku ps:scale worker=N -a " + h),
        "going back: restore the counts in the steps table above"));
    sum.details(deployRan ? "Going back to Heroku" : "Heroku → Fly cheat sheet", d -> d.table(List.of("Heroku", "Fly"), rows));
  }

  static String icon(StepRecord.Status s) {
    return switch (s) {
      case DONE -> "✅";
      case VERIFIED -> "☑️";
      case FAILED -> "❌";
      case UNDONE -> "↩️";
      case UNDO_FAILED -> "⚠️";
      case NOT_RUN, PENDING -> "⏭️";
    };
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    long s = d.toSeconds();
    if (s < 60) return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    return (s / 60) + " min " + (s % 60) + " s";
  }

  /** A Mermaid gantt chart of the steps (GitHub renders it in job summaries; a terminal leaves it out). */
  static String mermaid(Engine.Outcome o, Instant end) {
    StringBuilder sb = new StringBuilder("gantt\n    title Cutover timeline\n    dateFormat x\n    axisFormat %H:%M:%S\n    section Steps\n");
    for (StepRecord r : o.steps()) {
      if (r.started() == null) continue;
      long from = r.started().toEpochMilli();
      long to = Math.max(from + 1, (r.finished() == null ? end : r.finished()).toEpochMilli());
      String tag = switch (r.status()) {
        case FAILED, UNDO_FAILED -> "crit, ";
        case DONE, VERIFIED, UNDONE -> "done, ";
        default -> "";
      };
      sb.append("    ").append(r.id()).append(" (").append(r.status().label).append(") :").append(tag)
          .append(from).append(", ").append(to).append('\n');
    }
    downtime(o, end).ifPresent(d -> {
      long from = o.record("maintenance").get().started().toEpochMilli();
      sb.append("    section Heroku down\n    maintenance page :active, ").append(from).append(", ")
          .append(Math.max(from + 1, from + d.toMillis())).append('\n');
    });
    return sb.toString();
  }
}
