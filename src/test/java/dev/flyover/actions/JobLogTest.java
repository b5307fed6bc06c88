package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.HerokuApiDouble;
import dev.flyover.testing.Hostile;
import dev.flyover.testing.WorkflowCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * flyover's real stdout, from runs on the doubles with hostile names and child output, read by the port of the
 * runner's command parser: only flyover's own commands come out, and no secret is shown.
 */
@Tag("integration")
class JobLogTest {
  static final String TOKEN = "fo1_joblog_org_token_s3cr3t";
  static final String BUILD_SECRET = "npm_joblog_build_s3cret_value";
  static final String FLY_TOML = "app = \"shop\"\nprimary_region = \"ams\"\n\n[deploy]\n  release_command = \"bin/migrate\"\n";

  final FlyctlDouble fly = new FlyctlDouble();
  HerokuApiDouble heroku;

  @AfterEach
  void tearDown() {
    if (heroku != null) heroku.close();
  }

  static void assertOnlyOwnCommands(ActionHarness.Result r, List<String> secrets) {
    WorkflowCommands w = r.commands();
    assertEquals(List.of(), w.forged(), "forged commands in:\n" + r.stdout());
    assertEquals(List.of(), w.problems());
    assertFalse(w.leftStopped(), "commands are processed again after flyover");
    for (String m : w.masks()) assertFalse(m.contains("FORGED"), m);
    for (String s : secrets) {
      assertTrue(w.registeredMasks().contains(s), "masked: " + s);
      assertFalse(w.log().contains(s), "shown in clear: " + s + "\n" + w.log());
    }
  }

  @Test
  void deployWithHostileReleaseCommandOutput() {
    fly.token(TOKEN, "org", null);
    fly.run(TOKEN, "apps", "create", "shop");
    fly.fault("deploy", Map.of("mode", "release-command-fails", "logs", Hostile.TEXT));
    ActionHarness.Result r = new ActionHarness().env(fly.env())
        .input("command", "deploy").input("fly-api-token", TOKEN).input("health-check", "false")
        .input("build-secrets", "NPM_TOKEN=" + BUILD_SECRET)
        // (ASCII only: the test JVM has no UTF-8 locale for a child's argv)
        .input("build-args", "x##[error]FORGED9=1")
        .file("fly.toml", FLY_TOML).file("Dockerfile", "FROM scratch\n").run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(r.stdout().contains("FORGED2"), "the hostile lines were printed: " + r.stdout());
    assertOnlyOwnCommands(r, List.of(TOKEN, BUILD_SECRET));
    WorkflowCommands w = r.commands();
    assertEquals(1, w.errors().size(), w.errors().toString());
    assertTrue(w.errors().get(0).contains("release command"), w.errors().get(0));
    // masks first, before any outside text
    int firstMask = r.stdout().indexOf("::add-mask::" + BUILD_SECRET);
    assertTrue(firstMask >= 0 && firstMask < r.stdout().indexOf("FORGED"), r.stdout());
  }

  @Test
  void secretsWithHostileConfigVarNames() {
    heroku = new HerokuApiDouble();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("SECRET_KEY_BASE", "skb-joblog-canary-0123456789");
    int i = 0;
    for (String n : Hostile.NAMES) vars.put(n, "hostile-value-" + (i++) + "-canary");
    heroku.app("shop").configVars(vars);
    fly.token(TOKEN, "org", null);
    fly.edit(s -> s.with("apps").putObject("shop-fly").put("name", "shop-fly").put("deployed", false));
    ActionHarness.Result r = new ActionHarness().env(heroku.env()).env(fly.env()).input("command", "secrets")
        .input("heroku-app", "shop").input("heroku-api-key", HerokuApiDouble.KEY)
        .input("fly-app", "shop-fly").input("fly-api-token", TOKEN).run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(r.stdout().contains("FORGED1"), "the names were printed: " + r.stdout());
    assertOnlyOwnCommands(r, List.of(TOKEN, HerokuApiDouble.KEY, "skb-joblog-canary-0123456789"));
  }

  @Test
  void aBuildSecretInExtraArgsIsMaskedToo() {
    fly.token(TOKEN, "org", null);
    fly.run(TOKEN, "apps", "create", "shop");
    ActionHarness.Result r = new ActionHarness().env(fly.env())
        .input("command", "deploy").input("fly-api-token", TOKEN).input("dry-run", "true")
        .input("extra-args", "--build-secret=NPM_TOKEN=" + BUILD_SECRET + "\n--build-secret\nOTHER=" + BUILD_SECRET + "2")
        .file("fly.toml", FLY_TOML).file("Dockerfile", "FROM scratch\n").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertOnlyOwnCommands(r, List.of(TOKEN, BUILD_SECRET, BUILD_SECRET + "2"));
    assertFalse(r.summary().contains("s3cret"), r.summary());
    assertTrue(r.stdout().contains("--build-secret=NPM_TOKEN=***"), r.stdout());
  }
}
