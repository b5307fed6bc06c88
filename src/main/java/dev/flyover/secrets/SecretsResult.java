package dev.flyover.secrets;

import java.util.List;

/**
 * What a run did (or, in a dry run or a refusal, would have done).
 *
 * @param source where the config vars came from, for people ("Heroku app shop", "heroku config -s file vars.txt")
 * @param completed the secrets were set on Fly (false for a dry run or a failure before any change)
 */
public record SecretsResult(String source, String flyApp, List<PlanEntry> plan, boolean dryRun, boolean staged,
    boolean completed) {
  public SecretsResult {
    plan = List.copyOf(plan);
  }

  /** Fly names of the secrets set. */
  public List<String> imported() {
    return completed ? plan.stream().filter(PlanEntry::moves).map(PlanEntry::flyName).toList() : List.of();
  }

  /** Heroku names of the config vars not moved. */
  public List<String> skipped() {
    return plan.stream().filter(e -> !e.moves()).map(PlanEntry::name).toList();
  }

  public List<PlanEntry> refused() {
    return plan.stream().filter(e -> e.action() == PlanEntry.Action.REFUSED).toList();
  }
}
