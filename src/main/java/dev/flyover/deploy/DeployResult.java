package dev.flyover.deploy;

import dev.flyover.Context;
import dev.flyover.Outcome;
import dev.flyover.actions.StepOutputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a deploy did, success or not: every field that became known before a failure is filled in, so outputs
 * and the summary can say as much as there is to say.
 *
 * @param status {@code success} or {@code failure}
 * @param error the failure in one sentence (empty on success)
 * @param healthCheck {@code passed}, {@code failed}, {@code skipped} (turned off or not reached)
 * @param warnings things the user should know that did not fail the deploy (GitHub Deployments, flyctl quirks)
 * @param directory the app's directory (for the summary's cheat sheet)
 */
public record DeployResult(
    String status,
    Optional<String> error,
    String app,
    Optional<String> hostname,
    Optional<String> appUrl,
    Optional<Integer> previousReleaseVersion,
    Optional<Integer> releaseVersion,
    Optional<String> previousImage,
    Optional<String> image,
    List<Machine> machines,
    String healthCheck,
    Optional<String> healthCheckDetail,
    boolean rolledBack,
    Optional<Integer> rollbackReleaseVersion,
    Optional<Long> deploymentId,
    Optional<String> deploymentNote,
    long durationSeconds,
    List<String> flyctlArgs,
    boolean dryRun,
    List<String> warnings,
    Path directory) implements Outcome {

  /** One machine of the app after the deploy, as {@code flyctl status --json} told it. */
  public record Machine(String id, String processGroup, String region, String state, String releaseVersion,
      List<Check> checks) {}

  /** A Fly health check on a machine: status is passing, warning or critical. */
  public record Check(String name, String status) {}

  public boolean ok() {
    return "success".equals(status);
  }

  /** The deploy's outputs and its summary section (a failed deploy's too, as far as it got). */
  @Override
  public void report(Context ctx) {
    writeOutputs(ctx.outputs());
    DeploySummary.write(ctx.summary(), ctx.env(), this, directory);
  }

  /** Whether Fly got a new release, and whether the previous image was put back. */
  @Override
  public List<String> done() {
    if (dryRun) return List.of("Nothing was changed on Fly (dry run).");
    List<String> d = new ArrayList<>();
    String on = app.isEmpty() ? "Fly" : "Fly app " + app;
    if (releaseVersion.isPresent() && !releaseVersion.equals(previousReleaseVersion)) {
      d.add(on + " got release v" + releaseVersion.get() + image.map(i -> " (" + i + ")").orElse("")
          + "; health check " + healthCheck + ".");
    } else {
      d.add("No new release was proven on " + on + previousReleaseVersion.map(v -> " (v" + v + " was live before)").orElse("")
          + ".");
    }
    if (rolledBack) {
      d.add("The previous image was redeployed" + rollbackReleaseVersion.map(v -> " as release v" + v).orElse("") + ".");
    }
    return d;
  }

  /** The step outputs: action.yml's deploy outputs, each set when known. */
  public void writeOutputs(StepOutputs outputs) {
    outputs.set("status", status);
    error.ifPresent(e -> outputs.set("error", e));
    if (!app.isEmpty()) outputs.set("app-name", app);
    appUrl.ifPresent(u -> outputs.set("app-url", u));
    hostname.ifPresent(h -> outputs.set("hostname", h));
    releaseVersion.ifPresent(v -> outputs.set("release-version", v));
    previousReleaseVersion.ifPresent(v -> outputs.set("previous-release-version", v));
    image.ifPresent(i -> outputs.set("image", i));
    deploymentId.ifPresent(i -> outputs.set("deployment-id", i));
    outputs.set("health-check", healthCheck);
    outputs.set("rolled-back", rolledBack);
    outputs.set("duration-seconds", durationSeconds);
  }
}
