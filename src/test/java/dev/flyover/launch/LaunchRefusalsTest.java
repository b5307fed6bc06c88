package dev.flyover.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.GitHubApiDouble;
import dev.flyover.testing.HerokuApiDouble;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** GitHub's refusals that are not the workflows one: each is one sentence, nothing half-done. */
@Tag("integration")
class LaunchRefusalsTest {
  final HerokuApiDouble heroku = new HerokuApiDouble();
  final GitHubApiDouble github = new GitHubApiDouble();

  @AfterEach
  void tearDown() {
    heroku.close();
    github.close();
  }

  ActionHarness action() {
    heroku.app("shop").region("us").formation("web", 1, "Basic", "mix phx.server");
    ActionHarness a = new ActionHarness().env(heroku.env()).env("GITHUB_API_URL", github.url())
        .input("command", "launch").input("heroku-app", "shop").input("heroku-api-key", HerokuApiDouble.KEY)
        .input("github-token", "ghs_launchtoken0000000000000000000000");
    PhoenixFixture.write(a.workspace(), false);
    return a;
  }

  @Test
  void anEmptyRepositoryIsOneSentence() {
    ActionHarness.Result r = action().run();
    assertEquals(1, r.exitCode());
    String error = r.outputs().get("error");
    assertTrue(error.contains("no commit yet"), error);
    assertFalse(r.everything().contains("\tat "), "no stack trace");
    assertTrue(github.git().pulls().isEmpty());
  }

  @Test
  void theDefaultBranchCannotBeTheLaunchBranch() {
    github.git().seed("main", Map.of("Procfile", PhoenixFixture.PROCFILE), "Initial commit");
    ActionHarness.Result r = action().input("launch-branch", "main").run();
    assertEquals(1, r.exitCode());
    assertTrue(r.outputs().get("error").contains("launch-branch"), r.outputs().get("error"));
  }

  @Test
  void aTokenThatCannotWriteIsNamed() {
    github.git().seed("main", Map.of("Procfile", PhoenixFixture.PROCFILE), "Initial commit");
    github.forbidDeployments(); // every POST answers 403 "Resource not accessible by integration"
    ActionHarness.Result r = action().run();
    assertEquals(1, r.exitCode());
    String error = r.outputs().get("error");
    assertTrue(error.contains("github-token") && error.contains("contents: write"), error);
    assertEquals(null, github.git().head(LaunchActionTest.BRANCH));
  }

  @Test
  void runningTwiceKeepsOnePullRequest() {
    github.git().seed("main", Map.of("Procfile", PhoenixFixture.PROCFILE), "Initial commit");
    ActionHarness a = action();
    assertEquals(0, a.run().exitCode());
    assertEquals(0, a.run().exitCode());
    assertEquals(1, github.git().pulls().size());
  }

  @Test
  void nothingToProposeWhenTheRepositoryHasItAll() {
    ActionHarness a = action();
    // Everything launch writes is already on the default branch (and so in the checkout).
    a.file("fly.toml", "app = 'shop'\n").file("rel/env.sh.eex", "#!/bin/sh\nexport ECTO_IPV6=true ERL_AFLAGS=x RELEASE_DISTRIBUTION=name RELEASE_NODE=x\n")
        .file(".github/workflows/fly-deploy.yml", "on: push\n");
    github.git().seed("main", Map.of("fly.toml", "app = 'shop'\n"), "Initial commit");
    ActionHarness.Result r = a.run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(github.git().pulls().isEmpty());
    assertEquals("", r.outputs().getOrDefault("files", ""));
    assertTrue(r.summary().contains("No pull request"), r.summary());
  }
}
