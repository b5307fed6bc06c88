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
import org.junit.jupiter.api.Test;

/** {@code flyover action} with INPUT_COMMAND=deploy, as the runner runs it, against the flyctl and GitHub doubles. */
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
    ActionHarness.Result r = action().input("build-secrets", "NPM_TOKEN=npm_s3cret_build_value\n").run();
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
}
