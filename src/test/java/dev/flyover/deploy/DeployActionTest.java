package dev.flyover.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.AppServer;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.GitHubApiDouble;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code flyover action} with INPUT_COMMAND=deploy, as the runner runs it, against the flyctl and GitHub doubles. */
@Tag("integration")
class DeployActionTest {
  static final String TOKEN = "fo1_orgtoken_s3cr3t_value";
  static final String DEPLOY_TOKEN = "fm2_deploytoken_for_shop_only";
  static final String GH_TOKEN = "ghs_githubtoken_value_123";
  static final String FLY_TOML = """
      app = "shop"
      primary_region = "ams"

      [http_service]
        internal_port = 8080
        force_https = true

        [[http_service.checks]]
          path = "/up"

      [deploy]
        release_command = "/app/bin/migrate"
      """;

  FlyctlDouble fly;
  GitHubApiDouble github;
  AppServer app;

  @BeforeEach
  void setUp() {
    fly = new FlyctlDouble();
    fly.token(TOKEN, "org", null).token(DEPLOY_TOKEN, "app", "shop");
    fly.run(TOKEN, "apps", "create", "shop");
    github = new GitHubApiDouble();
    app = new AppServer(200);
  }

  @AfterEach
  void tearDown() {
    github.close();
    app.close();
  }

  ActionHarness action() {
    return new ActionHarness().env(fly.env()).env("GITHUB_API_URL", github.url())
        .input("command", "deploy").input("fly-api-token", TOKEN).input("github-token", GH_TOKEN)
        .input("health-check-url", app.url()).input("health-check-path", "/up")
        .file("fly.toml", FLY_TOML).file("Dockerfile", "FROM scratch\n");
  }

  /** A first release, so there is something before the deploy under test (and to roll back to). */
  String firstRelease() {
    fly.edit(st -> st.putArray("images").add("registry.fly.io/shop:deployment-01FIRST"));
    fly.run(TOKEN, "deploy", "--remote-only", "-a", "shop", "--image", "registry.fly.io/shop:deployment-01FIRST");
    return "registry.fly.io/shop:deployment-01FIRST";
  }

  static void assertFailedCleanly(ActionHarness.Result r, String... phrases) {
    assertEquals(1, r.exitCode(), r.everything());
    assertEquals("failure", r.outputs().get("status"));
    List<String> errors = r.commands().commands().stream().filter(c -> c.name().equals("error"))
        .map(c -> c.data()).toList();
    assertEquals(1, errors.size(), "one error annotation: " + r.stdout());
    for (String p : phrases) assertTrue(errors.get(0).contains(p), errors.get(0) + " should mention " + p);
    assertFalse(r.everything().contains("\tat dev.flyover"), "no stack trace");
    assertEquals(errors.get(0), r.outputs().get("error"));
    // The job summary opens with the failure section (RunReport), whose it is included.
    assertTrue(r.summary().startsWith("> [!CAUTION]\n> **deploy failed:** "), r.summary());
    assertTrue(r.summary().contains("> **Cause:** "), r.summary());
  }

  /** The ::add-mask:: lines are how the runner learns the values; everything else must not hold them. */
  static String withoutMaskCommands(String text) {
    return text.lines().filter(l -> !l.startsWith("::add-mask::")).collect(Collectors.joining("\n"));
  }

  @Test
  void deploysVerifiesAndReports() {
    firstRelease();
    ActionHarness.Result r = action().run();
    assertEquals(0, r.exitCode(), r.everything());
    Map<String, String> out = r.outputs();
    assertEquals("success", out.get("status"));
    assertEquals("shop", out.get("app-name"));
    assertEquals("https://shop.fly.dev/", out.get("app-url"));
    assertEquals("shop.fly.dev", out.get("hostname"));
    assertEquals("2", out.get("release-version"));
    assertEquals("1", out.get("previous-release-version"));
    assertTrue(out.get("image").matches("registry\\.fly\\.io/shop:deployment-[0-9A-HJKMNP-TV-Z]{26}"), out.get("image"));
    assertEquals("passed", out.get("health-check"));
    assertEquals("false", out.get("rolled-back"));
    assertEquals("1001", out.get("deployment-id"));
    assertTrue(out.containsKey("duration-seconds"));
    assertEquals(List.of("/up"), app.paths());

    // flyctl deploy, built as an argument array
    List<JsonNode> deploys = fly.calls("deploy");
    JsonNode argv = deploys.get(deploys.size() - 1).path("argv");
    assertEquals("--remote-only", argv.get(2).asText());
    assertTrue(argv.toString().contains("\"--app=shop\""), argv.toString());

    // GitHub: deployment for the commit, in_progress, then success with the app URL and the run's log
    assertEquals(1, github.deployments().size());
    JsonNode dep = github.deployments().get(0).path("request");
    assertEquals("0123456789abcdef0123456789abcdef01234567", dep.path("ref").asText());
    assertEquals("production", dep.path("environment").asText());
    assertFalse(dep.path("auto_merge").asBoolean(true));
    assertEquals(0, dep.path("required_contexts").size());
    assertEquals(List.of("in_progress", "success"), github.states());
    JsonNode success = github.statuses().get(1);
    assertEquals("https://shop.fly.dev/", success.path("environment_url").asText());
    assertEquals("https://github.com/acme/shop/actions/runs/4242", success.path("log_url").asText());
    assertTrue(github.requests().stream().allMatch(q -> q.authorization() != null && q.authorization().endsWith(GH_TOKEN)));

    // summary
    String s = r.summary();
    assertTrue(s.contains("Deployed shop on Fly.io"), s);
    assertTrue(s.contains("https://shop.fly.dev/"), s);
    assertTrue(s.contains("v2 (was v1)"), s);
    assertTrue(s.contains("https://fly.io/apps/shop/monitoring"), s);
    assertTrue(s.contains("https://github.com/acme/shop/actions/runs/4242"), s);
    assertTrue(s.contains("servicecheck-00-http-8080"), s);
    assertTrue(s.contains("passed"), s);
    assertTrue(s.contains("`fly logs -a shop`"), s);
    assertTrue(s.contains("`fly releases -a shop`"), s);
    assertTrue(s.contains("`fly secrets list -a shop`"), s);
    assertTrue(s.contains("fly deploy -a shop --image registry.fly.io/shop:deployment-01FIRST"), s);
    assertTrue(s.contains("::group::flyctl deploy shop") || r.stdout().contains("::group::flyctl deploy shop"), r.stdout());
  }

  @Test
  void tokensNeverReachArgvOrOutput() {
    // with step debug on, so every debug line (flyctl argv, quiet stderr) is scanned too
    ActionHarness.Result r = action().input("build-secrets", "NPM_TOKEN=npm_s3cret_build_value\n")
        .env("RUNNER_DEBUG", "1").run();
    assertEquals(0, r.exitCode(), r.everything());
    for (JsonNode c : fly.calls()) {
      String argv = c.path("argv").toString();
      assertFalse(argv.contains(TOKEN), argv);
      assertFalse(argv.contains(GH_TOKEN), argv);
      assertEquals("FLY_API_TOKEN", c.path("token_source").asText(), "token travels in the environment");
    }
    String all = withoutMaskCommands(r.everything());
    assertFalse(all.contains(TOKEN));
    assertFalse(all.contains(GH_TOKEN));
    assertFalse(all.contains("npm_s3cret_build_value"));
    assertTrue(r.stdout().contains("::add-mask::" + TOKEN), "masked before anything else");
    assertTrue(r.stdout().contains("::add-mask::npm_s3cret_build_value"));
  }

  int deployCalls() {
    return fly.calls("deploy").size();
  }

  @Test
  void missingTokenFailsBeforeFlyctl() {
    ActionHarness.Result r = action().input("fly-api-token", "").run();
    assertFailedCleanly(r, "fly-api-token", "fly tokens create deploy");
    assertEquals(0, deployCalls());
    assertEquals("shop", r.outputs().get("app-name"));
  }

  @Test
  void rejectedToken() {
    ActionHarness.Result r = action().input("fly-api-token", "fo1_not_a_known_token").run();
    assertFailedCleanly(r, "Fly rejected the API token", "fly-api-token");
    assertTrue(r.summary().contains("> **Cause:** the step's inputs"), r.summary());
    assertFalse(withoutMaskCommands(r.everything()).contains("fo1_not_a_known_token"));
  }

  @Test
  void unknownApp() {
    ActionHarness.Result r = action().input("fly-app", "no-such-app").run();
    assertFailedCleanly(r, "no-such-app does not exist", "create-app");
    assertEquals(0, deployCalls());
    assertTrue(github.deployments().isEmpty(), "no deployment for a deploy that never started");
  }

  @Test
  void missingFlyToml() {
    ActionHarness h = new ActionHarness().env(fly.env()).env("GITHUB_API_URL", github.url())
        .input("fly-api-token", TOKEN).input("fly-app", "shop").file("Dockerfile", "FROM scratch\n");
    assertFailedCleanly(h.run(), "no fly.toml", "fly launch --no-deploy");
    assertEquals(0, deployCalls());
  }

  @Test
  void invalidStrategy() {
    ActionHarness.Result r = action().input("strategy", "fast").run();
    assertFailedCleanly(r, "strategy input is 'fast'", "canary, rolling, bluegreen or immediate");
    assertEquals("shop", r.outputs().get("app-name"), "what is known is still written");
    assertEquals(1, fly.calls().size(), "only the setup's apps create: flyctl was never run");
  }

  @Test
  void invalidWaitTimeout() {
    ActionHarness.Result r = action().input("wait-timeout", "5 minutes").run();
    assertFailedCleanly(r, "wait-timeout input is '5 minutes'", "5m", "none");
    assertEquals(0, deployCalls());
  }

  @Test
  void validWaitTimeoutsPassThrough() {
    ActionHarness.Result r = action().input("wait-timeout", "90").input("strategy", "bluegreen").input("ha", "false")
        .input("health-check", "false").run();
    assertEquals(0, r.exitCode(), r.everything());
    String argv = fly.calls("deploy").get(0).path("argv").toString();
    assertTrue(argv.contains("\"--wait-timeout=90\""), argv);
    assertTrue(argv.contains("\"--strategy=bluegreen\""), argv);
    assertTrue(argv.contains("\"--ha=false\""), argv);
    assertEquals("skipped", r.outputs().get("health-check"));
  }

  @Test
  void badBuildArgLineNamesTheInput() {
    ActionHarness.Result r = action().input("build-args", "NODE_ENV=production\nVERBOSE\n").run();
    assertFailedCleanly(r, "Line 2 of the build-args input", "NAME=VALUE");
    assertEquals(0, deployCalls());
  }

  @Test
  void badBuildSecretLineDoesNotEchoIt() {
    ActionHarness.Result r = action().input("build-secrets", "justthesecretvalue").run();
    assertFailedCleanly(r, "Line 1 of the build-secrets input");
    assertFalse(withoutMaskCommands(r.everything()).contains("justthesecretvalue"));
  }

  @Test
  void buildArgsSecretsEnvAndExtraArgsReachFlyctl() {
    ActionHarness.Result r = action().input("build-args", "NODE_ENV=production\n\nA=b=c\n")
        .input("env", "PHX_HOST=shop.example.com").input("extra-args", "--vm-size=shared-cpu-2x\n--no-cache")
        .input("build-secrets", "NPM_TOKEN=npm_abc").run();
    assertEquals(0, r.exitCode(), r.everything());
    List<String> argv = new java.util.ArrayList<>();
    fly.calls("deploy").get(0).path("argv").forEach(a -> argv.add(a.asText()));
    assertTrue(argv.containsAll(List.of("--build-arg=NODE_ENV=production", "--build-arg=A=b=c",
        "--env=PHX_HOST=shop.example.com", "--vm-size=shared-cpu-2x", "--no-cache", "--build-secret=NPM_TOKEN=npm_abc")), argv.toString());
    assertFalse(withoutMaskCommands(r.everything()).contains("npm_abc"));
  }

  @Test
  void extraArgsWithASpaceAreRefused() {
    ActionHarness.Result r = action().input("extra-args", "--vm-size shared-cpu-2x").run();
    assertFailedCleanly(r, "extra-args", "--vm-size=VALUE");
    // the line is named by its flag only: a value there may be a secret
    assertFalse(r.everything().contains("shared-cpu-2x"), r.everything());
  }

  @Test
  void failingReleaseCommand() {
    firstRelease();
    fly.fault("deploy", Map.of("mode", "release-command-fails", "exit_code", 1));
    ActionHarness.Result r = action().run();
    assertFailedCleanly(r, "release command `/app/bin/migrate` failed", "no machine was updated",
        "exited with non-zero status of 1");
    assertEquals("1", r.outputs().get("previous-release-version"));
    assertFalse(r.outputs().containsKey("release-version"), "a failed release is not reported as deployed");
    assertEquals("skipped", r.outputs().get("health-check"));
    assertEquals(List.of("in_progress", "failure"), github.states());
    assertTrue(app.paths().isEmpty(), "no health check after a failed deploy");
    assertTrue(r.summary().contains("Deploy failed: shop"), r.summary());
  }

  @Test
  void flyHealthChecksNeverPass() {
    fly.fault("deploy", Map.of("mode", "health-checks-timeout"));
    ActionHarness.Result r = action().run();
    assertFailedCleanly(r, "never passed their Fly health checks", "wait-timeout");
  }

  @Test
  void flyHealthChecksNeverPassWithRollback() {
    String first = firstRelease();
    fly.fault("deploy", Map.of("mode", "health-checks-timeout", "times", 1));
    ActionHarness.Result r = action().input("rollback", "true").run();
    assertFailedCleanly(r, "never passed their Fly health checks", "rolled back to release v1's image " + first, "as release v3");
    assertEquals("true", r.outputs().get("rolled-back"));
    assertTrue(app.paths().isEmpty(), "no HTTP check of a failed deploy");
  }

  @Test
  void healthCheckNeverGreen() {
    firstRelease();
    app.status(503);
    ActionHarness.Result r = action().input("health-check-retries", "2").run();
    assertFailedCleanly(r, "never got 200", "503", "rollback: true");
    assertEquals("failed", r.outputs().get("health-check"));
    assertEquals("2", r.outputs().get("release-version"));
    assertEquals("false", r.outputs().get("rolled-back"));
    assertEquals(List.of("/up", "/up"), app.paths());
    assertEquals(List.of("in_progress", "failure"), github.states());
  }

  @Test
  void rollbackRedeploysThePreviousImage() {
    String first = firstRelease();
    app.status(500);
    ActionHarness.Result r = action().input("health-check-retries", "1").input("rollback", "true").run();
    assertFailedCleanly(r, "rolled back to release v1's image " + first, "as release v3");
    assertEquals("true", r.outputs().get("rolled-back"));
    List<JsonNode> deploys = fly.calls("deploy");
    String rollback = deploys.get(deploys.size() - 1).path("argv").toString();
    assertTrue(rollback.contains("\"--image=" + first + "\""), rollback);
    JsonNode releases = fly.app("shop").path("releases");
    JsonNode v3 = releases.get(releases.size() - 1);
    assertEquals(3, v3.path("Version").asInt());
    assertEquals(first, v3.path("ImageRef").asText());
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("notice") && c.data().contains("Rolling back")));
    assertTrue(r.summary().contains("Rollback"), r.summary());
    assertTrue(r.summary().contains("> - Fly app shop got release v2 ("), r.summary());
    assertTrue(r.summary().contains("> - The previous image was redeployed as release v3."), r.summary());
    assertTrue(r.summary().contains("> **Cause:** outside "), r.summary());
  }

  @Test
  void rollbackWithNothingToGoBackTo() {
    app.status(500);
    ActionHarness.Result r = action().input("health-check-retries", "1").input("rollback", "true").run();
    assertFailedCleanly(r, "no earlier complete release");
    assertEquals("false", r.outputs().get("rolled-back"));
  }

  @Test
  void createAppWithAnOrgToken() {
    ActionHarness.Result r = action().input("fly-app", "shop-staging").input("create-app", "true").input("org", "personal")
        .input("health-check", "false").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(1, fly.calls("apps", "create").stream().filter(c -> c.path("argv").toString().endsWith("\"--\",\"shop-staging\"]")).count());
    assertEquals("personal", fly.app("shop-staging").path("org").asText());
    assertEquals("1", r.outputs().get("release-version"));
  }

  @Test
  void createAppWithADeployTokenExplainsTheOrgToken() {
    ActionHarness.Result r = action().input("fly-api-token", DEPLOY_TOKEN).input("fly-app", "shop-staging")
        .input("create-app", "true").run();
    assertFailedCleanly(r, "app-scoped deploy token", "org token");
    assertTrue(fly.app("shop-staging").isMissingNode());
  }

  @Test
  void deployTokenDeploysItsOwnApp() {
    ActionHarness.Result r = action().input("fly-api-token", DEPLOY_TOKEN).run();
    assertEquals(0, r.exitCode(), r.everything());
  }

  @Test
  void exitZeroWithoutANewReleaseFails() {
    firstRelease();
    fly.fault("deploy", Map.of("mode", "exit0-no-release"));
    ActionHarness.Result r = action().run();
    assertFailedCleanly(r, "exited 0", "no release newer than v1");
  }

  @Test
  void exitOneWithAGoodReleaseIsReportedAndChecked() {
    fly.fault("deploy", Map.of("mode", "exit1-good-release", "error", "failed to update machine status: unexpected EOF"));
    ActionHarness.Result r = action().run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("success", r.outputs().get("status"));
    assertEquals("passed", r.outputs().get("health-check"));
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning")
        && c.data().contains("exited 1") && c.data().contains("unexpected EOF")), r.stdout());
    assertTrue(r.summary().contains("exited 1"), r.summary());
  }

  @Test
  void imageNotFound() {
    ActionHarness.Result r = action().input("image", "registry.fly.io/shop:nope").run();
    assertFailedCleanly(r, "image to deploy was not found", "registry.fly.io/shop:nope", "image input");
  }

  @Test
  void prebuiltImage() {
    ActionHarness.Result r = action().input("image", "ghcr.io/acme/shop:1.2.3").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("ghcr.io/acme/shop:1.2.3", r.outputs().get("image"));
  }

  @Test
  void githubApiDownStopsBeforeAnythingIsDeployed() {
    ActionHarness.Result r = action().env("GITHUB_API_URL", GitHubApiDouble.deadUrl()).run();
    assertEquals(1, r.exitCode(), r.everything());
    assertEquals("failure", r.outputs().get("status"));
    assertFalse(r.outputs().containsKey("deployment-id"));
    List<String> errors = r.commands().errors();
    assertEquals(1, errors.size(), r.stdout());
    assertTrue(errors.get(0).contains("did not answer") && errors.get(0).contains("nothing was deployed"), errors.get(0));
    assertTrue(fly.calls("deploy").isEmpty(), "flyctl deploy never ran");
  }

  @Test
  void githubServerErrorStopsBeforeAnythingIsDeployed() {
    github.down(502);
    ActionHarness.Result r = action().run();
    assertEquals(1, r.exitCode(), r.everything());
    assertTrue(r.commands().errors().get(0).contains("answered 502"), r.stdout());
    assertTrue(fly.calls("deploy").isEmpty(), "flyctl deploy never ran");
  }

  @Test
  void missingDeploymentsPermissionIsAWarning() {
    github.forbidDeployments();
    ActionHarness.Result r = action().run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("success", r.outputs().get("status"));
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning")
        && c.data().contains("deployments: write") && c.data().contains("Resource not accessible by integration")), r.stdout());
    assertTrue(r.summary().contains("deployments: write"), r.summary());
  }

  @Test
  void noGithubTokenMeansNoDeployment() {
    ActionHarness.Result r = action().input("github-token", "").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(github.requests().isEmpty());
  }

  @Test
  void phoenixCheatSheetUsesTheReleaseName() {
    ActionHarness.Result r = action().file("mix.exs", "defmodule Shop.MixProject do\n  def project do\n    [app: :shop_web, version: \"0.1.0\"]\n  end\nend\n").run();
    assertTrue(r.summary().contains("fly ssh console --pty -C \"/app/bin/shop_web remote\" -a shop"), r.summary());
  }

  @Test
  void workingDirectoryAndConfig() {
    ActionHarness h = new ActionHarness().env(fly.env()).input("fly-api-token", TOKEN)
        .input("working-directory", "apps/web").input("config", "deploy/fly.production.toml").input("health-check", "false")
        .file("apps/web/deploy/fly.production.toml", FLY_TOML).file("apps/web/Dockerfile", "FROM scratch\n");
    ActionHarness.Result r = h.run();
    assertEquals(0, r.exitCode(), r.everything());
    String argv = fly.calls("deploy").get(0).path("argv").toString();
    assertTrue(argv.contains("apps/web/deploy/fly.production.toml"), argv);
  }

  @Test
  void badHealthCheckUrl() {
    ActionHarness.Result r = action().input("health-check-url", "ftp://shop.example.com").run();
    assertFailedCleanly(r, "health-check-url input 'ftp://shop.example.com' is not an http:// or https:// URL");
    assertEquals(0, deployCalls());
  }

  @Test
  void requestNeverPrintsItsSecrets() {
    DeployRequest req = DeployRequest.builder(java.nio.file.Path.of(".")).token(TOKEN).githubToken(GH_TOKEN)
        .buildSecrets(List.of("A=buildsecretvalue")).build();
    assertFalse(req.toString().contains(TOKEN) || req.toString().contains(GH_TOKEN) || req.toString().contains("buildsecretvalue"));
  }
}
