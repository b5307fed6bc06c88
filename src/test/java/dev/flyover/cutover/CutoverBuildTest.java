package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.testing.ActionHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image is built and pushed before maintenance mode ({@code flyctl deploy --build-only --push}), the deploy step
 * deploys exactly that image, the downtime holds no build, and a failed build leaves Heroku untouched.
 */
@Tag("integration")
class CutoverBuildTest {
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private List<List<String>> deployCalls() {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode c : f.fly.calls("deploy")) {
      List<String> argv = new ArrayList<>();
      c.path("argv").forEach(a -> argv.add(a.asText()));
      out.add(argv);
    }
    return out;
  }

  @Test
  void buildsAndPushesBeforeTheFreezeThenDeploysThatImage() {
    ActionHarness.Result r = f.action("cutover").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(r.outputs().get("steps-completed").startsWith("plan,build,secrets,maintenance,"), r.outputs().toString());
    List<List<String>> deploys = deployCalls();
    assertEquals(2, deploys.size(), deploys.toString());
    assertTrue(deploys.get(0).containsAll(List.of("--build-only", "--push")), deploys.get(0).toString());
    String image = f.fly.state().path("images").get(0).asText();
    assertTrue(image.startsWith("registry.fly.io/shop-fly:deployment-"), image);
    assertTrue(deploys.get(1).contains("--image=" + image), "the deploy deploys the built image: " + deploys.get(1));
    assertFalse(deploys.get(1).contains("--build-only"));
    JsonNode releases = f.fly.app(CutoverFixture.FLY).path("releases");
    assertEquals(image, releases.get(releases.size() - 1).path("ImageRef").asText());
    assertTrue(r.summary().contains("| `build` | ✅ done |"), r.summary());
  }

  /** The double's build takes ten simulated minutes; the clock flyover reads is the double's, so no sleeping. */
  @Test
  void downtimeStartsAfterTheBuild() {
    f.fly.edit(s -> s.put("build_seconds", 600));
    ActionHarness.Result r = f.action("cutover").clock(f.fly.clock(Instant.parse("2026-12-02T09:00:00Z"))).run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(600, f.fly.state().path("clock").asLong(), "one build, of ten simulated minutes");
    assertEquals("0", r.outputs().get("downtime-seconds"), "the build ran before maintenance mode");
    assertTrue(r.summary().contains("| `build` | ✅ done | 10 min 0 s |"), r.summary());
  }

  @Test
  void aFailedBuildStopsBeforeMaintenanceMode() {
    f.fly.fault("deploy", Map.of("mode", "build-fails"));
    ActionHarness.Result r = f.action("cutover").input("set-database-url", "true").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertEquals("failed", r.outputs().get("cutover-status"));
    assertEquals("plan", r.outputs().get("steps-completed"));
    assertEquals("0", r.outputs().get("downtime-seconds"));
    assertEquals(List.of(), f.herokuChanges(), "Heroku never entered maintenance mode");
    f.assertHerokuAsBefore();
    assertEquals(0, f.count(f.targetDb, "pg_class WHERE relname = 'orders'"), "the database was not copied");
    assertEquals(1, deployCalls().size(), "only the build ran: " + deployCalls());
    assertTrue(r.summary().contains("| `build` | ❌ failed |"), r.summary());
    assertTrue(r.summary().contains("Nothing was changed on Heroku, Fly or any database"), r.summary());
    assertFalse(r.summary().contains("Heroku was put back"), r.summary());
  }

  @Test
  void aPrebuiltImageNeedsNoBuildStep() {
    ActionHarness.Result r = f.action("cutover").input("image", "ghcr.io/acme/shop:1").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertFalse(r.outputs().get("steps-completed").contains("build"), r.outputs().get("steps-completed"));
    List<List<String>> deploys = deployCalls();
    assertEquals(1, deploys.size(), deploys.toString());
    assertTrue(deploys.get(0).contains("--image=ghcr.io/acme/shop:1"), deploys.get(0).toString());
  }

  @Test
  void aDryRunShowsTheBuildAndCallsNothing() {
    ActionHarness.Result r = f.action("cutover").input("dry-run", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(r.stdout().contains("--build-only --push; the deploy step then deploys that image with --image"), r.stdout());
    assertEquals(List.of(), deployCalls());
    assertTrue(r.summary().contains("| `build` | Build and push the image (before maintenance mode) | kept |"), r.summary());
  }

  /** flyctl's build alone does not publish: --push is what makes the image deployable by --image later. */
  @Test
  void theDoubleFollowsFlyctlOnBuildOnly() {
    String out = f.fly.run(CutoverFixture.FLY_TOKEN, "deploy", "-a", CutoverFixture.FLY, "--build-only");
    assertTrue(out.contains("image: registry.fly.io/shop-fly:deployment-"), out);
    assertFalse(f.fly.state().has("images") && f.fly.state().path("images").size() > 0, "not pushed without --push");
    assertEquals(0, f.fly.app(CutoverFixture.FLY).path("releases").size(), "no release");
  }
}
