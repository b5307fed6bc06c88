package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The git data and pulls part of the GitHub double refuses what GitHub refuses, with GitHub's status and words. */
@Tag("integration")
class GitHubApiDoubleGitTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final GitHubApiDouble gh = new GitHubApiDouble();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void tearDown() {
    gh.close();
  }

  record Res(int status, JsonNode body) {}

  Res call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gh.url() + "/repos/acme/shop" + path))
        .header("Authorization", "token ghs_x").header("Accept", "application/vnd.github+json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Res(r.statusCode(), JSON.readTree(r.body()));
  }

  @Test
  void refusals() throws Exception {
    assertEquals(409, call("GET", "/git/refs/heads/main", null).status(), "empty repository");
    String main = gh.git().seed("main", Map.of("a.txt", "a\n"), "first");
    assertEquals(422, call("POST", "/git/refs", "{\"ref\":\"refs/heads/main\",\"sha\":\"" + main + "\"}").status());
    Res missing = call("PATCH", "/git/refs/heads/nope", "{\"sha\":\"" + main + "\"}");
    assertEquals("Reference does not exist", missing.body().path("message").asText());
    String side = gh.git().seed("side", Map.of("b.txt", "b\n"), "unrelated");
    Res nonFf = call("PATCH", "/git/refs/heads/main", "{\"sha\":\"" + side + "\",\"force\":false}");
    assertEquals(422, nonFf.status());
    assertEquals("Update is not a fast forward", nonFf.body().path("message").asText());

    gh.withoutWorkflowsPermission(404);
    Res wf = call("POST", "/git/trees", "{\"base_tree\":\"main\",\"tree\":[{\"path\":\".github/workflows/x.yml\",\"mode\":\"100644\",\"type\":\"blob\",\"content\":\"on: push\"}]}");
    assertEquals(404, wf.status());

    Res tree = call("POST", "/git/trees", "{\"base_tree\":\"main\",\"tree\":[{\"path\":\"c.txt\",\"mode\":\"100644\",\"type\":\"blob\",\"content\":\"c\"}]}");
    assertEquals(201, tree.status());
    Res commit = call("POST", "/git/commits", "{\"message\":\"m\",\"tree\":\"" + tree.body().path("sha").asText() + "\",\"parents\":[\"" + main + "\"]}");
    assertEquals(201, commit.status());
    assertEquals(201, call("POST", "/git/refs", "{\"ref\":\"refs/heads/topic\",\"sha\":\"" + commit.body().path("sha").asText() + "\"}").status());
    assertEquals(201, call("POST", "/pulls", "{\"title\":\"t\",\"head\":\"topic\",\"base\":\"main\"}").status());
    Res again = call("POST", "/pulls", "{\"title\":\"t\",\"head\":\"topic\",\"base\":\"main\"}");
    assertEquals(422, again.status());
    assertTrue(again.body().path("errors").get(0).path("message").asText().startsWith("A pull request already exists for acme:topic"));
  }
}
