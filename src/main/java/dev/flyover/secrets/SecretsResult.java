package dev.flyover.secrets;

import dev.flyover.Context;
import dev.flyover.Outcome;
import dev.flyover.actions.JobSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run did (or, in a dry run or a refusal, would have done).
 *
 * @param source where the config vars came from, for people ("Heroku app shop", "heroku config -s file vars.txt")
 * @param completed the secrets were set on Fly (false for a dry run or a failure before any change)
 * @param set Fly names of the secrets that reached Fly: all that move when completed, those set before a failure
 */
public record SecretsResult(String source, String flyApp, List<PlanEntry> plan, boolean dryRun, boolean staged,
    boolean completed, List<String> set) implements Outcome {
  public SecretsResult {
    plan = List.copyOf(plan);
    set = List.copyOf(set);
  }

  /** This result after a failure that left {@code names} on Fly. */
  SecretsResult withSet(List<String> names) {
    return new SecretsResult(source, flyApp, plan, dryRun, staged, false, names);
  }

  /** Fly names of the secrets set, in plan order (those set before a failure too). */
  public List<String> imported() {
    return plan.stream().filter(PlanEntry::moves).map(PlanEntry::flyName).filter(set::contains).toList();
  }

  /** Heroku names of the config vars not moved. */
  public List<String> skipped() {
    return plan.stream().filter(e -> !e.moves()).map(PlanEntry::name).toList();
  }

  public List<PlanEntry> refused() {
    return plan.stream().filter(e -> e.action() == PlanEntry.Action.REFUSED).toList();
  }

  @Override
  public List<String> done() {
    if (dryRun) return List.of("Nothing was changed on Fly (dry run).");
    List<String> imported = imported();
    if (imported.isEmpty()) return List.of("No secret was set on Fly app " + flyApp + ".");
    List<String> notSet = plan.stream().filter(PlanEntry::moves).map(PlanEntry::flyName).filter(n -> !set.contains(n)).toList();
    return List.of("Set on Fly app " + flyApp + ": " + String.join(", ", imported)
        + (notSet.isEmpty() ? "." : "; not set: " + String.join(", ", notSet) + "."));
  }

  /** Step outputs and the job-summary section (names, actions and reasons; never values). */
  @Override
  public void report(Context ctx) {
    List<String> imported = imported();
    List<String> skipped = skipped();
    ctx.outputs().set("secrets-imported", String.join(",", imported));
    ctx.outputs().set("secrets-skipped", String.join(",", skipped));
    ctx.outputs().set("secrets-imported-count", imported.size());
    ctx.outputs().set("secrets-skipped-count", skipped.size());

    JobSummary s = ctx.summary();
    s.heading(2, (dryRun ? "Secrets plan (dry run): " : "Secrets: ") + source + " → Fly app " + flyApp);
    long moving = plan.stream().filter(PlanEntry::moves).count();
    String verb = dryRun ? "would be set" : completed ? (staged ? "staged for the next deploy" : "set and deployed")
        : imported.isEmpty() ? "not set (the run stopped)" : "to set, " + imported.size() + " set before the run stopped";
    s.markdown("**" + moving + "** " + (moving == 1 ? "secret " : "secrets ") + verb + ", **" + skipped.size() + "** config "
        + (skipped.size() == 1 ? "var" : "vars") + " left behind.");
    List<List<String>> rows = new ArrayList<>();
    for (PlanEntry p : plan) {
      rows.add(List.of(JobSummary.code(p.name()), p.flyName().equals(p.name()) ? "" : JobSummary.code(p.flyName()),
          p.action().label(), JobSummary.inline(p.reason())));
    }
    if (!rows.isEmpty()) s.table(List.of("Config var", "Fly name", "Action", "Why"), rows);
    s.markdown("Check on Fly: " + JobSummary.code("fly secrets list -a " + flyApp)
        + (completed && staged && moving > 0 ? " (staged secrets are marked; `fly deploy` or "
            + JobSummary.code("fly secrets deploy -a " + flyApp) + " applies them)" : ""));
  }
}
