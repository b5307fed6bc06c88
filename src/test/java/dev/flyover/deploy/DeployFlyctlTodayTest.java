package dev.flyover.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.AppServer;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.GitHubApiDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy against flyctl as its current source behaves (issue 10 part 2; the double mirrors the files named in
 * each scenario): a taken name on the Machines API, the final-status warning, a stale login, and the child's
 * allow-listed environment.
 */
@Tag("integration")
class DeployFlyctlTodayTest {
  static final String TOKEN = DeployActionTest.TOKEN;
  FlyctlDouble fly;
  GitHubApiDouble github;
  AppServer app;

  @BeforeEach
  void setUp() {
    fly = new FlyctlDouble();
    fly.token(TOKEN, "org", null);
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
        .input("command", "deploy").input("fly-api-token", TOKEN).input("github-token", DeployActionTest.GH_TOKEN)
        .input("health-check-url", app.url()).input("health-check-path", "/up")
        .file("fly.toml", DeployActionTest.FLY_TOML).file("Dockerfile", "FROM scratch\n");
  }

  /** fly-go flaps/flaps_error.go: the server's text, then the fixed name_taken suggestion line. */
  @Test
  void aTakenAppNameIsExplainedFromTheSuggestionLine() {
    fly.edit(s -> s.putArray("taken_names").add("shop-staging"));
    ActionHarness.Result r = action().input("fly-app", "shop-staging").input("create-app", "true").input("org", "personal").run();
    DeployActionTest.assertFailedCleanly(r, "The app name shop-staging is taken", "choose another name");
  }

  /** machines_deploymachinesapp.go: a good deploy whose release could not be marked final exits 0, release running. */
  @Test
  void aReleaseLeftRunningAfterAGoodDeployIsAWarning() {
    fly.fault("deploy", Map.of("mode", "final-status-fails"));
    ActionHarness.Result r = action().run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("success", r.outputs().get("status"));
    assertEquals("1", r.outputs().get("release-version"));
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning")
        && c.data().contains("could not mark release v1 complete")), r.stdout());
  }

  /** internal/command/command.go: a config-file login older than 30 days is refused when flyctl cannot prompt. */
  @Test
  void aStaleFlyAuthLoginIsToldToLogInAgain(@TempDir Path home) throws Exception {
    fly.token("fo1_login_token", "org", null);
    Files.createDirectories(home.resolve(".fly"));
    Files.writeString(home.resolve(".fly/config.yml"), "access_token: fo1_login_token\nlast_login: "
        + Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + "\n");
    Path dir = home.resolve("app");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("fly.toml"), DeployActionTest.FLY_TOML);
    CliHarness.Result r = new CliHarness().env(fly.env()).env("HOME", home.toString()).env("PWD", dir.toString())
        .run("deploy", "--health-check", "false");
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("over 30 days ago") && r.stderr().contains("run `fly auth login` again"), r.stderr());
  }

  /** Issue 9 part 6: flyctl gets only what it needs; CLICOLOR_FORCE would colour `Error: ` (iostreams/color.go). */
  @Test
  void flyctlGetsAnAllowListedEnvironmentWithoutColour() {
    ActionHarness.Result r = action().env("CLICOLOR_FORCE", "1").env("HEROKU_API_KEY", "heroku-key-canary")
        .env("DATABASE_URL", "postgres://u:p@h/db").env("GITHUB_TOKEN", "ghs_canary").input("heroku-api-key", "k2")
        .input("fly-app", "no-such-app").run();
    DeployActionTest.assertFailedCleanly(r, "no-such-app does not exist");
    List<JsonNode> calls = fly.calls();
    assertFalse(calls.isEmpty());
    for (JsonNode c : calls.subList(1, calls.size())) {
      List<String> names = new java.util.ArrayList<>();
      c.path("env").forEach(n -> names.add(n.asText()));
      assertTrue(names.contains("NO_COLOR") && names.contains("PATH") && names.contains("FLY_API_TOKEN"), names.toString());
      for (String name : names) {
        assertFalse(name.startsWith("INPUT_") || name.equals("CLICOLOR_FORCE") || name.equals("GITHUB_TOKEN")
            || name.equals("HEROKU_API_KEY") || name.equals("DATABASE_URL"), name + " reached flyctl: " + names);
      }
    }
  }
}
