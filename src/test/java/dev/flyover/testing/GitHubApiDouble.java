package dev.flyover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for repositories, deployments and deployment statuses, git data (refs, trees, commits) and
 * pull requests, on loopback. It checks what GitHub
 * checks: a token ({@code 401 Bad credentials} without), the deployment fields, and the status {@code state}
 * enum ({@code in-progress}, which github-api 1.330 sends for IN_PROGRESS, gets GitHub's 422). It can answer
 * 403 "Resource not accessible by integration" (no {@code deployments: write}) or a 5xx.
 *
 * <p>Git data and pulls refuse as GitHub does: creating a ref that exists and updating one that does not are 422
 * ("Reference already exists", "Reference does not exist"), a non-fast-forward ref update without {@code force} is
 * 422 "Update is not a fast forward"; a second open pull request for the same head is 422 "A pull request already
 * exists for OWNER:BRANCH."; a tree touching {@code .github/workflows/} without the {@code workflows} permission
 * is refused (404 Not Found, as users report for the trees and contents APIs; {@link #withoutWorkflowsPermission}
 * takes the status so the 403/422 variants can be tried); any git data call on a repository with no commit is
 * 409 "Git Repository is empty.". See {@link GitStore}.
 */
public final class GitHubApiDouble implements AutoCloseable {
  /** A request as received: method, path, body (parsed when JSON) and the Authorization header. */
  public record Request(String method, String path, JsonNode body, String authorization) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> STATES = Set.of("error", "failure", "inactive", "in_progress", "queued", "pending", "success");
  private static final Pattern REPO = Pattern.compile("^/repos/([^/]+)/([^/]+)(/.*)?$");

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> deployments = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> statuses = new CopyOnWriteArrayList<>();
  private final GitStore git = new GitStore();
  private volatile int forceStatus;
  private volatile String forceMessage;

  public GitHubApiDouble() {
    server = Loopback.serve(this::handle);
  }

  public String url() {
    return Loopback.url(server);
  }

  /** Every write answers 403 as for a GITHUB_TOKEN without {@code deployments: write}. */
  public GitHubApiDouble forbidDeployments() {
    forceStatus = 403;
    forceMessage = "Resource not accessible by integration";
    return this;
  }

  /** Every request answers this 5xx. */
  public GitHubApiDouble down(int status) {
    forceStatus = status;
    forceMessage = "Server Error";
    return this;
  }

  /** The repositories' git objects, refs and pull requests (one store: tests use a single repository). */
  public GitStore git() {
    return git;
  }

  /** Trees and pushes touching .github/workflows/ answer this status, as for a token without {@code workflows}. */
  public GitHubApiDouble withoutWorkflowsPermission(int status) {
    git.workflowRefusal = status;
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<ObjectNode> deployments() {
    return List.copyOf(deployments);
  }

  /** Statuses posted, oldest first, each with a {@code deployment_id}. */
  public List<ObjectNode> statuses() {
    return List.copyOf(statuses);
  }

  public List<String> states() {
    List<String> out = new ArrayList<>();
    for (ObjectNode s : statuses) out.add(s.path("state").asText());
    return out;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = null;
      if (raw.length > 0) {
        try {
          body = JSON.readTree(raw);
        } catch (IOException e) {
          send(ex, 400, error("Problems parsing JSON"));
          return;
        }
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(method, path, body, auth));
      if (auth == null || !(auth.startsWith("token ") || auth.startsWith("Bearer "))) {
        send(ex, 401, error("Requires authentication"));
        return;
      }
      if (forceStatus >= 500 || forceStatus == 403 && method.equals("POST")) {
        send(ex, forceStatus, error(forceMessage));
        return;
      }
      Matcher m = REPO.matcher(path);
      if (!m.matches()) {
        send(ex, 404, error("Not Found"));
        return;
      }
      String owner = m.group(1);
      String name = m.group(2);
      String rest = m.group(3) == null ? "" : m.group(3);
      String base = url() + "/repos/" + owner + "/" + name;
      if (method.equals("GET") && rest.isEmpty()) {
        ObjectNode repo = JSON.createObjectNode().put("id", 4242).put("name", name).put("full_name", owner + "/" + name)
            .put("url", base).put("html_url", "https://github.com/" + owner + "/" + name).put("default_branch", "main");
        repo.putObject("owner").put("login", owner).put("id", 1).put("type", "Organization");
        send(ex, 200, repo);
      } else if (rest.startsWith("/git/") || rest.startsWith("/pulls") || rest.equals("/commits")) {
        GitStore.Answer a = git.handle(method, rest, ex.getRequestURI().getRawQuery(), body, base, owner);
        send(ex, a.status(), a.body());
      } else if (method.equals("POST") && rest.equals("/deployments")) {
        if (body == null || !body.hasNonNull("ref")) {
          send(ex, 422, validation("Deployment", "ref", "missing_field"));
          return;
        }
        long id = 1000 + deployments.size() + 1;
        ObjectNode d = JSON.createObjectNode().put("id", id).put("sha", body.path("ref").asText())
            .put("ref", body.path("ref").asText()).put("task", body.path("task").asText("deploy"))
            .put("environment", body.path("environment").asText("production"))
            .put("description", body.path("description").asText(null))
            .put("url", base + "/deployments/" + id).put("statuses_url", base + "/deployments/" + id + "/statuses")
            .put("repository_url", base).put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
        d.set("request", body);
        deployments.add(d);
        send(ex, 201, d);
      } else if (rest.matches("/deployments/\\d+/statuses")) {
        long id = Long.parseLong(rest.split("/")[2]);
        if (deployments.stream().noneMatch(d -> d.path("id").asLong() == id)) {
          send(ex, 404, error("Not Found"));
          return;
        }
        if (method.equals("GET")) {
          ArrayNode arr = JSON.createArrayNode();
          statuses.stream().filter(s -> s.path("deployment_id").asLong() == id).forEach(arr::add);
          send(ex, 200, arr);
          return;
        }
        String state = body == null ? "" : body.path("state").asText("");
        if (!STATES.contains(state)) {
          send(ex, 422, validation("DeploymentStatus", "state", "invalid"));
          return;
        }
        ObjectNode s = body.deepCopy();
        s.put("id", 5000 + statuses.size() + 1).put("deployment_id", id).put("url", base + "/deployments/" + id + "/statuses/" + (5000 + statuses.size() + 1))
            .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
        statuses.add(s);
        send(ex, 201, s);
      } else {
        send(ex, 404, error("Not Found"));
      }
    }
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("message", message)
        .put("documentation_url", "https://docs.github.com/rest/deployments/deployments");
  }

  private static ObjectNode validation(String resource, String field, String code) {
    ObjectNode e = error("Validation Failed");
    e.putArray("errors").addObject().put("resource", resource).put("field", field).put("code", code);
    return e;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("X-RateLimit-Remaining", "4999");
    ex.getResponseHeaders().set("X-RateLimit-Limit", "5000");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** An unused loopback port: a GitHub API that is down. */
  public static String deadUrl() {
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
