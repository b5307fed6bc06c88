package dev.flyover.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.actions.Console;
import dev.flyover.testing.GitHubApiDouble;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHDeploymentState;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;

@Tag("integration")
class GitHubDeploymentTest {
  final GitHubApiDouble api = new GitHubApiDouble();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final Console console = new Console(out, out, true, false);

  @AfterEach
  void close() {
    api.close();
  }

  Env env() {
    return Env.of(Map.of("GITHUB_API_URL", api.url() + "/", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SHA", "abc123",
        "GITHUB_RUN_ID", "7", "GITHUB_SERVER_URL", "https://github.example.com"));
  }

  @Test
  void createsInProgressThenSuccess() {
    GitHubDeployment d = GitHubDeployment.forRun(env(), console, Optional.of("ghs_t")).orElseThrow();
    d.start("abc123", "staging", "shop");
    d.finish(true, Optional.of("https://shop.fly.dev/"), "Release v3 is live");
    assertEquals(Optional.of(1001L), d.id());
    assertEquals(List.of("in_progress", "success"), api.states());
    assertEquals("https://github.example.com/acme/shop/actions/runs/7", api.statuses().get(0).path("log_url").asText());
    assertEquals("staging", api.deployments().get(0).path("environment").asText());
    assertEquals(false, api.deployments().get(0).path("request").path("production_environment").asBoolean());
    // installation-token auth: no GET /user, and the repository is read first
    assertEquals("GET /repos/acme/shop", api.requests().get(0).method() + " " + api.requests().get(0).path());
    assertTrue(api.requests().stream().noneMatch(r -> r.path().equals("/user")));
  }

  @Test
  void noTokenOrNoRunMeansNoDeployment() {
    assertTrue(GitHubDeployment.forRun(env(), console, Optional.empty()).isEmpty());
    assertTrue(GitHubDeployment.forRun(Env.of(Map.of()), console, Optional.of("t")).isEmpty());
  }

  @Test
  void forbiddenIsAWarningAndNoStatusIsSent() {
    api.forbidDeployments();
    GitHubDeployment d = GitHubDeployment.forRun(env(), console, Optional.of("ghs_t")).orElseThrow();
    d.start("abc123", "production", "shop");
    d.finish(false, Optional.empty(), "failed");
    assertTrue(d.id().isEmpty());
    assertEquals(Optional.of("no `deployments: write` permission"), d.note());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("::warning::GitHub Deployments: could not create a GitHub Deployment (403 Resource not accessible"), printed);
  }

  /** Why flyover sends in_progress itself: github-api 1.330 spells IN_PROGRESS "in-progress", which GitHub refuses. */
  @Test
  void hub4jInProgressIsRefusedAsByGitHub() throws Exception {
    var gh = new GitHubBuilder().withEndpoint(api.url()).withAppInstallationToken("ghs_t").build();
    var dep = gh.getRepository("acme/shop").createDeployment("abc123").autoMerge(false).requiredContexts(List.of()).create();
    HttpException e = assertThrows(HttpException.class, () -> dep.createStatus(GHDeploymentState.IN_PROGRESS).create());
    assertEquals(422, e.getResponseCode());
    assertEquals("in-progress", api.requests().get(api.requests().size() - 1).body().path("state").asText());
  }
}
