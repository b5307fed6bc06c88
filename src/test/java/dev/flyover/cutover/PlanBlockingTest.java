package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What would fail after the freeze is found by the plan: nothing to build from, and (with strict) a process type
 * with no Fly group, block the plan and stop the cutover before any change; config vars that shadow fly.toml's
 * [env] are named.
 */
@Tag("integration")
class PlanBlockingTest {
  static final String FLY_TOML_WITH_ENV = CutoverFixture.FLY_TOML + """

      [env]
        PHX_HOST = "shop-fly.fly.dev"
        MIX_ENV = "prod"
        POOL_SIZE = "10"
        PORT = "8080"
      """;

  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  static ActionHarness withoutDockerfile(ActionHarness h) {
    try {
      Files.delete(h.workspace().resolve("Dockerfile"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return h;
  }

  static List<String> warnings(ActionHarness.Result r) {
    return r.commands().warnings();
  }

  static List<String> blocking(ActionHarness.Result r) {
    return warnings(r).stream().filter(w -> w.startsWith("The cutover would stop on this before changing anything: ")).toList();
  }

  /** The plan is a report: it succeeds, and says first what would stop the cutover. */
  @Test
  void noDockerfileIsABlockingProblemInThePlan() {
    ActionHarness.Result r = withoutDockerfile(f.action("plan")).run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("planned", r.outputs().get("cutover-status"));
    assertEquals(List.of(), r.commands().errors(), r.stdout());
    List<String> b = blocking(r);
    assertEquals(1, b.size(), warnings(r).toString());
    assertTrue(b.get(0).contains("Nothing to build the app from: no Dockerfile in"), b.get(0));
    assertTrue(b.get(0).contains("mix phx.gen.release --docker"), b.get(0));
    assertTrue(r.summary().contains("Blocking problems"), r.summary());
  }

  /** A dry run asks whether the cutover would go through: it fails on a blocking problem, changing nothing. */
  @Test
  void noDockerfileFailsADryRun() {
    int before = f.fly.calls().size();
    ActionHarness.Result r = withoutDockerfile(f.action("cutover")).input("dry-run", "true").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(r.commands().errors().get(0).contains("Nothing to build the app from"), r.commands().errors().toString());
    f.assertNothingChanged(before);
  }

  @Test
  void noDockerfileStopsTheCutoverBeforeAnyChange() {
    int before = f.fly.calls().size();
    ActionHarness.Result r = withoutDockerfile(f.action("cutover")).run();
    assertEquals(1, r.exitCode(), r.everything());
    assertEquals("failed", r.outputs().get("cutover-status"));
    assertEquals("", r.outputs().get("steps-completed"));
    assertTrue(r.commands().errors().get(0).contains("Nothing to build the app from"), r.commands().errors().toString());
    assertTrue(r.summary().contains("Nothing was changed on Heroku, Fly or any database"), r.summary());
    assertFalse(r.summary().contains("Heroku was put back"), r.summary());
    f.assertNothingChanged(before);
  }

  @Test
  void aPrebuiltImageOrABuildSectionIsAWayToBuild() {
    ActionHarness.Result image = withoutDockerfile(f.action("plan")).input("image", "registry.fly.io/shop-fly:v1").run();
    assertEquals(List.of(), blocking(image), image.everything());
    ActionHarness.Result buildImage = withoutDockerfile(f.action("plan"))
        .file("fly.toml", CutoverFixture.FLY_TOML + "\n[build]\n  image = \"ghcr.io/acme/shop:1\"\n").run();
    assertEquals(List.of(), blocking(buildImage), buildImage.everything());
    ActionHarness.Result missing = withoutDockerfile(f.action("plan"))
        .file("fly.toml", CutoverFixture.FLY_TOML + "\n[build]\n  dockerfile = \"deploy/Dockerfile\"\n").run();
    assertTrue(blocking(missing).get(0).contains("[build] dockerfile names deploy/Dockerfile, which does not exist"),
        blocking(missing).toString());
    ActionHarness.Result present = withoutDockerfile(f.action("plan"))
        .file("fly.toml", CutoverFixture.FLY_TOML + "\n[build]\n  dockerfile = \"deploy/Dockerfile\"\n")
        .file("deploy/Dockerfile", "FROM scratch\n").run();
    assertEquals(List.of(), blocking(present), present.everything());
  }

  @Test
  void configVarsThatShadowFlyTomlEnvAreNamed() {
    f.heroku.app(CutoverFixture.HEROKU).configVar("PHX_HOST", "shop.example").configVar("MIX_ENV", "prod")
        .configVar("POOL_SIZE", "10").configVar("PORT", "5000");
    ActionHarness.Result r = f.action("plan").file("fly.toml", FLY_TOML_WITH_ENV).run();
    assertEquals(0, r.exitCode(), r.everything());
    List<String> shadow = warnings(r).stream().filter(w -> w.contains("fly.toml's [env]")).toList();
    assertEquals(1, shadow.size(), warnings(r).toString());
    assertTrue(shadow.get(0).startsWith("The config vars MIX_ENV, PHX_HOST, POOL_SIZE would become Fly secrets"), shadow.get(0));
    assertFalse(shadow.get(0).contains("PORT"), "PORT stays behind by default, so it shadows nothing: " + shadow.get(0));

    ActionHarness.Result excluded = f.action("plan").file("fly.toml", FLY_TOML_WITH_ENV)
        .input("exclude", "MIX_ENV\nPOOL_SIZE").run();
    List<String> w = warnings(excluded).stream().filter(x -> x.contains("fly.toml's [env]")).toList();
    assertEquals(1, w.size(), warnings(excluded).toString());
    assertTrue(w.get(0).startsWith("The config var PHX_HOST would become a Fly secret"), w.get(0));
  }

  @Test
  void strictLetsAProcessTypeScaledToZeroThrough() {
    f.heroku.app(CutoverFixture.HEROKU).formation("clock", 0, "Standard-1X", "bin/clock");
    ActionHarness.Result r = f.action("plan").input("strict", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(List.of(), blocking(r));
    assertTrue(warnings(r).stream().anyMatch(x -> x.contains("`clock` process")), warnings(r).toString());
  }

  @Test
  void strictStopsTheCutoverOnAnUnmatchedProcessGroup() {
    String noWorker = "app = \"shop-fly\"\nprimary_region = \"ams\"\n\n[processes]\n  web = \"bin/server\"\n";
    ActionHarness.Result lenient = f.action("plan").file("fly.toml", noWorker).run();
    assertEquals(0, lenient.exitCode(), lenient.everything());
    assertTrue(warnings(lenient).stream().anyMatch(x -> x.contains("`worker` process")), warnings(lenient).toString());

    assertEquals(List.of(), blocking(lenient));
    ActionHarness.Result plan = f.action("plan").file("fly.toml", noWorker).input("strict", "true").run();
    assertEquals(0, plan.exitCode(), plan.everything());
    assertTrue(blocking(plan).get(0).contains("no [processes] group for it, and strict is true"), blocking(plan).toString());

    int before = f.fly.calls().size();
    ActionHarness.Result cutover = f.action("cutover").file("fly.toml", noWorker).input("strict", "true").run();
    assertEquals(1, cutover.exitCode(), cutover.everything());
    assertTrue(cutover.commands().errors().get(0).contains("`worker`"), cutover.commands().errors().toString());
    f.assertNothingChanged(before);
  }
}
