package dev.flyover.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.Env;
import dev.flyover.actions.Console;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHDeploymentState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

/**
 * A GitHub Deployment for this deploy: created for GITHUB_SHA in the environment, then {@code in_progress},
 * then {@code success} (with the app's URL and the run's log) or {@code failure}. A missing
 * {@code deployments: write} permission is a warning. An API that is down when the deployment is created stops
 * the run before anything is deployed (one clear failure, nothing changed); once the deploy has started, GitHub
 * trouble is only a warning, so a good deploy is never reported as failed.
 */
final class GitHubDeployment {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Console console;
  private final HttpClient http;
  private final String api;
  private final String token;
  private final String repoName;
  private final String logUrl;
  private GHRepository repo;
  private GHDeployment deployment;
  private String note;

  private GitHubDeployment(Console console, HttpClient http, String api, String token, String repoName, String logUrl) {
    this.console = console;
    this.http = http;
    this.api = api;
    this.token = token;
    this.repoName = repoName;
    this.logUrl = logUrl;
  }

  /** Empty when there is nothing to report to: no token, or not in a GitHub run (no repository or commit). */
  static Optional<GitHubDeployment> forRun(Env env, Console console, Optional<String> token) {
    Optional<String> repo = env.get("GITHUB_REPOSITORY");
    if (token.isEmpty() || repo.isEmpty() || env.get("GITHUB_SHA").isEmpty()) return Optional.empty();
    String api = env.getOrDefault("GITHUB_API_URL", "https://api.github.com").replaceAll("/+$", "");
    String server = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com").replaceAll("/+$", "");
    String logUrl = env.get("GITHUB_RUN_ID").map(id -> server + "/" + repo.get() + "/actions/runs/" + id).orElse(null);
    // HTTP/1.1: the default client's h2c upgrade on plain http:// trips some proxies and test servers.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    return Optional.of(new GitHubDeployment(console, http, api, token.get(), repo.get(), logUrl));
  }

  Optional<Long> id() {
    return Optional.ofNullable(deployment).map(GHDeployment::getId);
  }

  /** Why there is no deployment (or its status could not be set), for the summary. */
  Optional<String> note() {
    return Optional.ofNullable(note);
  }

  /** Creates the deployment and marks it in progress. */
  void start(String sha, String environment, String app) {
    try {
      GitHub gh = new GitHubBuilder().withEndpoint(api).withAppInstallationToken(token)
          .withRateLimitHandler(GitHubRateLimitHandler.FAIL).withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
          .withConnector(new HttpClientGitHubConnector(http)).build();
      repo = gh.getRepository(repoName);
      // autoMerge(false): with the default, a ref behind the default branch gets a 202 and no deployment.
      // requiredContexts(empty): the push is already tested by the time it deploys; don't wait on statuses.
      deployment = repo.createDeployment(sha).environment(environment).autoMerge(false)
          .requiredContexts(List.of()).productionEnvironment(environment.equals("production"))
          .description("flyover deploy of " + app).create();
      console.info("GitHub Deployment " + deployment.getId() + " created for " + environment + ".");
    } catch (HttpException e) {
      if (e.getResponseCode() >= 500 || e.getResponseCode() <= 0) throw down(e.getResponseCode(), e);
      warn("could not create a GitHub Deployment", e);
      return;
    } catch (IOException e) {
      throw down(0, e);
    } catch (RuntimeException e) {
      warn("could not create a GitHub Deployment", e);
      return;
    }
    inProgress();
  }

  /**
   * {@code in_progress} by hand: github-api 1.330 turns GHDeploymentState.IN_PROGRESS into "in-progress",
   * which GitHub refuses with a 422.
   */
  private void inProgress() {
    ObjectNode body = JSON.createObjectNode().put("state", "in_progress").put("description", "Deploying with flyover");
    if (logUrl != null) body.put("log_url", logUrl);
    HttpRequest req = HttpRequest.newBuilder(URI.create(api + "/repos/" + repoName + "/deployments/"
            + deployment.getId() + "/statuses"))
        .timeout(TIMEOUT)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (resp.statusCode() / 100 != 2) {
        warnStatus("could not mark GitHub Deployment " + deployment.getId() + " in progress", resp.statusCode(),
            message(resp.body()));
      }
    } catch (IOException e) {
      warn("could not mark GitHub Deployment " + deployment.getId() + " in progress", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The final status: success with the app's URL, or failure. */
  void finish(boolean success, Optional<String> environmentUrl, String description) {
    if (deployment == null) return;
    description = console.redact(description);
    try {
      var b = deployment.createStatus(success ? GHDeploymentState.SUCCESS : GHDeploymentState.FAILURE)
          .description(description.length() > 140 ? description.substring(0, 139) + "…" : description);
      if (logUrl != null) b.logUrl(logUrl);
      if (success) environmentUrl.ifPresent(b::environmentUrl);
      b.create();
    } catch (IOException | RuntimeException e) {
      warn("could not set GitHub Deployment " + deployment.getId() + " to " + (success ? "success" : "failure"), e);
    }
  }

  private dev.flyover.UserError down(int status, Exception e) {
    String how = status > 0 ? "answered " + status
        : "did not answer (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ")";
    return new dev.flyover.UserError("The GitHub API at " + api + " " + how + " when flyover created the GitHub"
        + " Deployment, so nothing was deployed: check GITHUB_API_URL and GitHub's status and re-run, or set the "
        + console.named("github-token") + " to '' to deploy without a GitHub Deployment.");
  }

  private void warn(String what, Exception e) {
    if (e instanceof HttpException h && h.getResponseCode() > 0) {
      warnStatus(what, h.getResponseCode(), message(h.getMessage()));
      return;
    }
    note = "GitHub API unreachable";
    console.warn("GitHub Deployments: " + what + " because the GitHub API at " + api + " did not answer ("
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""))
        + "); the deploy itself is not affected.");
  }

  private void warnStatus(String what, int status, String message) {
    if (status == 403 || status == 404) {
      note = "no `deployments: write` permission";
      console.warn("GitHub Deployments: " + what + " (" + status + " " + message + "): give the job `permissions: "
          + "deployments: write` (and `contents: read`), or set the " + console.named("github-token") + " to '' to turn Deployments off; the "
          + "deploy itself is not affected.");
    } else if (status == 401) {
      note = "github-token rejected";
      console.warn("GitHub Deployments: " + what + " (401 " + message + "): check the " + console.named("github-token") + "; the deploy "
          + "itself is not affected.");
    } else {
      note = "GitHub API error " + status;
      console.warn("GitHub Deployments: " + what + " (GitHub answered " + status + " " + message
          + "); the deploy itself is not affected.");
    }
  }

  /** GitHub's {"message": ...}, or the text as it is. */
  private static String message(String body) {
    if (body == null) return "";
    try {
      var n = JSON.readTree(body.substring(Math.max(0, body.indexOf('{'))));
      if (n.hasNonNull("message")) return n.get("message").asText();
    } catch (IOException | RuntimeException ignored) {
      // not JSON
    }
    String one = body.replace('\n', ' ').strip();
    return one.length() > 160 ? one.substring(0, 160) + "…" : one;
  }
}
