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

  @Test
  void noDockerfileBlocksThePlan() {
    ActionHarness.Result r = withoutDockerfile(f.action("plan")).run();
    assertEquals(1, r.exitCode(), r.everything());
    assertEquals("planned", r.outputs().get("cutover-status"));
    List<String> errors = r.commands().errors();
    assertEquals(1, errors.size(), r.stdout());
    assertTrue(errors.get(0).contains("Nothing to build the app from: no Dockerfile in"), errors.get(0));
    assertTrue(errors.get(0).contains("mix phx.gen.release --docker"), errors.get(0));
    assertTrue(r.summary().contains("Blocking problems"), r.summary());
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
    assertEquals(0, image.exitCode(), image.everything());
    ActionHarness.Result buildImage = withoutDockerfile(f.action("plan"))
        .file("fly.toml", CutoverFixture.FLY_TOML + "\n[build]\n  image = \"ghcr.io/acme/shop:1\"\n").run();
    assertEquals(0, buildImage.exitCode(), buildImage.everything());
    ActionHarness.Result missing = withoutDockerfile(f.action("plan"))
        .file("fly.toml", CutoverFixture.FLY_TOML + "\n[build]\n  dockerfile = \"deploy/Dockerfile\"\n").run();
    assertEquals(1, missing.exitCode(), missing.everything());
    assertTrue(missing.commands().errors().get(0).contains("[build] dockerfile names deploy/Dockerfile, which does not exist"),
        missing.commands().errors().toString());
    ActionHarness.Result present = withoutDockerfile(f.action("plan"))
        .file("fly.toml", CutoverFixture.FLY_TOML + "\n[build]\n  dockerfile = \"deploy/Dockerfile\"\n")
        .file("deploy/Dockerfile", "FROM scratch\n").run();
    assertEquals(0, present.exitCode(), present.everything());
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
  void strictStopsTheCutoverOnAnUnmatchedProcessGroup() {
    String noWorker = "app = \"shop-fly\"\nprimary_region = \"ams\"\n\n[processes]\n  web = \"bin/server\"\n";
    ActionHarness.Result lenient = f.action("plan").file("fly.toml", noWorker).run();
    assertEquals(0, lenient.exitCode(), lenient.everything());
    assertTrue(warnings(lenient).stream().anyMatch(x -> x.contains("`worker` process")), warnings(lenient).toString());

    ActionHarness.Result plan = f.action("plan").file("fly.toml", noWorker).input("strict", "true").run();
    assertEquals(1, plan.exitCode(), plan.everything());
    assertTrue(plan.commands().errors().get(0).contains("no [processes] group for it, and strict is true"),
        plan.commands().errors().toString());

    int before = f.fly.calls().size();
    ActionHarness.Result cutover = f.action("cutover").file("fly.toml", noWorker).input("strict", "true").run();
    assertEquals(1, cutover.exitCode(), cutover.everything());
    assertTrue(cutover.commands().errors().get(0).contains("`worker`"), cutover.commands().errors().toString());
    f.assertNothingChanged(before);
  }
}
