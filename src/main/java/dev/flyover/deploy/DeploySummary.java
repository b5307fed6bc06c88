package dev.flyover.deploy;

import static dev.flyover.actions.JobSummary.code;
import static dev.flyover.actions.JobSummary.inline;
import static dev.flyover.actions.JobSummary.link;

import dev.flyover.Env;
import dev.flyover.actions.JobSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The job summary of one deploy: what is live, how it was checked, where to look, and the cheat sheet. */
public final class DeploySummary {
  private DeploySummary() {}

  public static void write(JobSummary s, Env env, DeployResult r, Path directory) {
    boolean known = r.app() != null && !r.app().isBlank();
    String title = r.dryRun() ? "Deploy plan for " : r.ok() ? "Deployed " : "Deploy failed: ";
    s.heading(2, !known ? (r.dryRun() ? "Deploy plan" : r.ok() ? "Deployed" : "Deploy failed")
        : title + r.app() + (r.dryRun() ? "" : " on Fly.io"));
    List<List<String>> facts = new ArrayList<>();
    if (known) facts.add(List.of("App", code(r.app())));
    r.appUrl().ifPresent(u -> facts.add(List.of("URL", link(u, u))));
    r.releaseVersion().ifPresent(v -> facts.add(List.of("Release", "v" + v
        + r.previousReleaseVersion().map(p -> " (was v" + p + ")").orElse(""))));
    r.image().ifPresent(i -> facts.add(List.of("Image", code(i))));
    if (!r.dryRun()) {
      facts.add(List.of("Health check", healthText(r)));
      if (r.rolledBack()) {
        facts.add(List.of("Rollback", "redeployed " + r.previousImage().map(JobSummary::code).orElse("the previous image")
            + r.rollbackReleaseVersion().map(v -> " as release v" + v).orElse("")));
      }
      facts.add(List.of("GitHub Deployment", r.deploymentId().map(id -> "#" + id)
          .orElse(r.deploymentNote().map(JobSummary::inline).orElse("not created"))));
      facts.add(List.of("Duration", r.durationSeconds() + " s"));
    }
    // No dashboard link without an app: "fly.io/apps//monitoring" leads nowhere.
    if (known) {
      facts.add(List.of("Fly dashboard", link("fly.io/apps/" + r.app() + "/monitoring",
          "https://fly.io/apps/" + r.app() + "/monitoring")));
    }
    runUrl(env).ifPresent(u -> facts.add(List.of("Run", link("this run's log", u))));
    s.facts(facts);
    for (String w : r.warnings()) s.callout("WARNING", inline(w));
    if (r.dryRun()) {
      s.markdown("flyover would run:");
      s.code("sh", "flyctl " + String.join(" ", r.flyctlArgs().stream().map(DeploySummary::shellQuote).toList()));
    }
    if (!r.machines().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      for (DeployResult.Machine m : r.machines()) {
        rows.add(List.of(code(m.id()), inline(m.processGroup()), inline(m.region()), inline(m.state()),
            "v" + inline(m.releaseVersion()), checksText(m.checks())));
      }
      s.heading(3, "Machines");
      s.table(List.of("Machine", "Process", "Region", "State", "Release", "Checks"), rows);
    }
    if (!known) return;
    List<List<String>> sheet = new ArrayList<>();
    for (CheatSheet.Row row : CheatSheet.rows(r.app(), directory, r.previousImage())) {
      sheet.add(List.of(code(row.heroku()), code(row.fly())));
    }
    s.details("Heroku → Fly.io cheat sheet for " + r.app(), d -> d.table(List.of("On Heroku", "On Fly.io"), sheet));
  }

  private static String healthText(DeployResult r) {
    String detail = r.healthCheckDetail().map(d -> ": " + inline(d)).orElse("");
    return switch (r.healthCheck()) {
      case "passed" -> "✅ passed" + detail;
      case "failed" -> "❌ failed" + detail;
      default -> "skipped" + detail;
    };
  }

  private static String checksText(List<DeployResult.Check> checks) {
    if (checks.isEmpty()) return "none";
    return checks.stream().map(c -> ("passing".equals(c.status()) ? "✅ " : "critical".equals(c.status()) ? "❌ " : "⚠️ ")
        + inline(c.name()) + " " + inline(c.status())).collect(Collectors.joining("<br>"));
  }

  static Optional<String> runUrl(Env env) {
    Optional<String> repo = env.get("GITHUB_REPOSITORY");
    Optional<String> run = env.get("GITHUB_RUN_ID");
    if (repo.isEmpty() || run.isEmpty()) return Optional.empty();
    return Optional.of(env.getOrDefault("GITHUB_SERVER_URL", "https://github.com").replaceAll("/+$", "") + "/"
        + repo.get() + "/actions/runs/" + run.get());
  }

  /** For showing an argv so it can be pasted into a shell; never used to run anything. */
  static String shellQuote(String a) {
    if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) return a;
    return "'" + a.replace("'", "'\\''") + "'";
  }
}
