package dev.flyover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GitHub's git data API and pull requests for {@link GitHubApiDouble}, shaped as GitHub's REST reference
 * describes them (docs.github.com/rest/git/{refs,trees,commits}, /rest/commits/commits, /rest/pulls/pulls): refs
 * {@code {ref, node_id, url, object{sha, type, url}}}, trees {@code {sha, url, tree[{path, mode, type, sha, size,
 * url}], truncated}} (POST takes {@code base_tree} and entries with {@code content} or {@code sha}, a null sha
 * deleting), commits, and pulls. Blob SHAs are git's; tree and commit SHAs are SHA-1s of their content, which is
 * all a client can rely on. Trees are kept flat (path → blob), as a recursive listing shows them.
 */
public final class GitStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A blob: its bytes and git mode (100644, or 100755 for executables). */
  public record Blob(String sha, byte[] bytes, String mode) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  record Commit(String sha, String tree, List<String> parents, String message) {}

  record Answer(int status, JsonNode body) {}

  /** By tree key: the SHA for a plain file, SHA + mode otherwise (git keeps the mode in the tree). */
  private final Map<String, Blob> blobs = new LinkedHashMap<>();
  private final Map<String, Blob> blobsBySha = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> trees = new LinkedHashMap<>();
  private final Map<String, Commit> commits = new LinkedHashMap<>();
  private final Map<String, String> refs = new TreeMap<>();
  private final List<ObjectNode> pulls = new ArrayList<>();
  volatile int workflowRefusal;
  private Runnable beforeNextRefUpdate;
  private int seq;

  // ---------------------------------------------------------------- set-up and inspection

  /** Creates (or moves) a branch to a new commit holding exactly these files. */
  public synchronized String seed(String branch, Map<String, String> files, String message) {
    Map<String, String> tree = new TreeMap<>();
    files.forEach((p, c) -> tree.put(p, blob(c.getBytes(StandardCharsets.UTF_8), "100644").sha()));
    String parent = refs.get("refs/heads/" + branch);
    String sha = commit(putTree(tree), parent == null ? List.of() : List.of(parent), message);
    refs.put("refs/heads/" + branch, sha);
    return sha;
  }

  /** A push by someone else: a new commit on the branch changing one file. */
  public synchronized String push(String branch, String path, String content, String message) {
    String head = refs.get("refs/heads/" + branch);
    Map<String, String> tree = new TreeMap<>(trees.get(commits.get(head).tree()));
    tree.put(path, blob(content.getBytes(StandardCharsets.UTF_8), "100644").sha());
    String sha = commit(putTree(tree), List.of(head), message);
    refs.put("refs/heads/" + branch, sha);
    return sha;
  }

  /** Runs once, just before the next ref update is applied: a push racing the client's. */
  public synchronized void beforeNextRefUpdate(Runnable r) {
    this.beforeNextRefUpdate = r;
  }

  public synchronized String head(String branch) {
    return refs.get("refs/heads/" + branch);
  }

  /** The files at a branch's head, path → blob. */
  public synchronized Map<String, Blob> files(String branch) {
    Map<String, Blob> out = new TreeMap<>();
    String head = refs.get("refs/heads/" + branch);
    if (head == null) return out;
    trees.get(commits.get(head).tree()).forEach((p, b) -> out.put(p, blobs.get(b)));
    return out;
  }

  /** Commits from the branch head back along first parents, newest first: their messages. */
  public synchronized List<String> log(String branch) {
    List<String> out = new ArrayList<>();
    for (String c = head(branch); c != null; c = commits.get(c).parents().isEmpty() ? null : commits.get(c).parents().get(0)) {
      out.add(commits.get(c).message());
    }
    return out;
  }

  public synchronized List<ObjectNode> pulls() {
    return List.copyOf(pulls);
  }

  // ---------------------------------------------------------------- objects

  private static String sha1(String kind, byte[] bytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      md.update((kind + " " + bytes.length + "\0").getBytes(StandardCharsets.UTF_8));
      md.update(bytes);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Blob blob(byte[] bytes, String mode) {
    String sha = sha1("blob", bytes);
    Blob b = new Blob(sha, bytes, mode);
    blobs.put(key(b), b);
    blobsBySha.putIfAbsent(sha, b);
    return b;
  }

  /** Trees are flat: path → blob key (sha, or sha+mode for executables). */
  private String putTree(Map<String, String> entries) {
    StringBuilder sb = new StringBuilder();
    entries.forEach((p, b) -> sb.append(blobs.get(b).mode()).append(' ').append(p).append(' ').append(b).append('\n'));
    String sha = sha1("tree", sb.toString().getBytes(StandardCharsets.UTF_8));
    trees.put(sha, Map.copyOf(new TreeMap<>(entries)));
    return sha;
  }

  private String commit(String tree, List<String> parents, String message) {
    String sha = sha1("commit", (tree + parents + message + (++seq)).getBytes(StandardCharsets.UTF_8));
    commits.put(sha, new Commit(sha, tree, List.copyOf(parents), message));
    return sha;
  }

  private boolean descends(String sha, String ancestor) {
    List<String> todo = new ArrayList<>(List.of(sha));
    while (!todo.isEmpty()) {
      String c = todo.remove(todo.size() - 1);
      if (c.equals(ancestor)) return true;
      Commit k = commits.get(c);
      if (k != null) todo.addAll(k.parents());
    }
    return false;
  }

  // ---------------------------------------------------------------- HTTP

  synchronized Answer handle(String method, String rest, String query, JsonNode body, String base, String owner) {
    Map<String, String> q = query(query);
    // GitHub's git data API on a repository with no commit at all.
    if (refs.isEmpty() && (rest.startsWith("/git/") || rest.equals("/commits"))) return new Answer(409, error("Git Repository is empty."));
    if (rest.startsWith("/git/refs/") || rest.equals("/git/refs")) return refs(method, rest, body, base);
    if (method.equals("POST") && rest.equals("/git/trees")) return createTree(body, base);
    if (method.equals("GET") && rest.startsWith("/git/trees/")) return getTree(rest.substring("/git/trees/".length()), q, base);
    if (method.equals("POST") && rest.equals("/git/commits")) return createCommit(body, base);
    if (method.equals("GET") && rest.equals("/commits")) return listCommits(q, base);
    if (rest.startsWith("/pulls")) return pulls(method, rest, q, body, base, owner);
    return new Answer(404, error("Not Found"));
  }

  private Answer refs(String method, String rest, JsonNode body, String base) {
    if (method.equals("POST") && rest.equals("/git/refs")) {
      String ref = body == null ? "" : body.path("ref").asText("");
      String sha = body == null ? "" : body.path("sha").asText("");
      if (!ref.startsWith("refs/") || ref.chars().filter(c -> c == '/').count() < 2) {
        return new Answer(422, error("Reference name must start with 'refs/' and have at least two slashes."));
      }
      if (!commits.containsKey(sha)) return new Answer(422, error("Object does not exist"));
      if (refs.containsKey(ref)) return new Answer(422, error("Reference already exists"));
      refs.put(ref, sha);
      return new Answer(201, ref(ref, base));
    }
    String ref = "refs/" + URLDecoder.decode(rest.substring("/git/refs/".length()), StandardCharsets.UTF_8);
    if (method.equals("GET")) {
      return refs.containsKey(ref) ? new Answer(200, ref(ref, base)) : new Answer(404, error("Not Found"));
    }
    if (method.equals("PATCH")) {
      if (!refs.containsKey(ref)) return new Answer(422, error("Reference does not exist"));
      if (beforeNextRefUpdate != null) {
        Runnable r = beforeNextRefUpdate;
        beforeNextRefUpdate = null;
        r.run();
      }
      String sha = body == null ? "" : body.path("sha").asText("");
      if (!commits.containsKey(sha)) return new Answer(422, error("Object does not exist"));
      boolean force = body.path("force").asBoolean(false);
      if (!force && !descends(sha, refs.get(ref))) return new Answer(422, error("Update is not a fast forward"));
      refs.put(ref, sha);
      return new Answer(200, ref(ref, base));
    }
    return new Answer(404, error("Not Found"));
  }

  private ObjectNode ref(String ref, String base) {
    ObjectNode n = JSON.createObjectNode().put("ref", ref).put("node_id", "REF_" + ref.hashCode()).put("url", base + "/git/" + ref);
    n.putObject("object").put("sha", refs.get(ref)).put("type", "commit").put("url", base + "/git/commits/" + refs.get(ref));
    return n;
  }

  /** A tree-ish: a tree SHA, a commit SHA, or a branch name. */
  private String resolveTree(String ish) {
    if (trees.containsKey(ish)) return ish;
    if (commits.containsKey(ish)) return commits.get(ish).tree();
    String head = refs.get("refs/heads/" + ish);
    return head == null ? null : commits.get(head).tree();
  }

  private Answer getTree(String ish, Map<String, String> q, String base) {
    String sha = resolveTree(URLDecoder.decode(ish, StandardCharsets.UTF_8));
    if (sha == null) return new Answer(404, error("Not Found"));
    ObjectNode n = JSON.createObjectNode().put("sha", sha).put("url", base + "/git/trees/" + sha);
    ArrayNode arr = n.putArray("tree");
    boolean recursive = q.containsKey("recursive");
    java.util.Set<String> dirs = new java.util.TreeSet<>();
    trees.get(sha).forEach((p, b) -> {
      int slash = p.indexOf('/');
      if (!recursive && slash >= 0) {
        dirs.add(p.substring(0, slash));
        return;
      }
      Blob blob = blobs.get(b);
      arr.addObject().put("path", p).put("mode", blob.mode()).put("type", "blob").put("sha", blob.sha())
          .put("size", blob.bytes().length).put("url", base + "/git/blobs/" + blob.sha());
    });
    for (String d : dirs) arr.addObject().put("path", d).put("mode", "040000").put("type", "tree").put("sha", sha1("tree", d.getBytes(StandardCharsets.UTF_8)));
    n.put("truncated", false);
    return new Answer(200, n);
  }

  private Answer createTree(JsonNode body, String base) {
    if (body == null || !body.path("tree").isArray()) return new Answer(422, validation("Tree", "tree", "missing_field"));
    Map<String, String> tree = new TreeMap<>();
    if (body.hasNonNull("base_tree")) {
      String b = resolveTree(body.path("base_tree").asText());
      if (b == null) return new Answer(422, error("base_tree is not a valid tree oid"));
      tree.putAll(trees.get(b));
    }
    for (JsonNode e : body.path("tree")) {
      String path = e.path("path").asText("");
      if (path.startsWith(".github/workflows/") && workflowRefusal != 0) {
        return new Answer(workflowRefusal, workflowRefusal == 404 ? error("Not Found")
            : error("refusing to allow a GitHub App to create or update workflow `" + path + "` without `workflows` permission"));
      }
      String mode = e.path("mode").asText("100644");
      if (!List.of("100644", "100755", "040000", "160000", "120000").contains(mode)) {
        return new Answer(422, validation("Tree", "mode", "invalid"));
      }
      if (e.has("content")) {
        tree.put(path, key(blob(e.path("content").asText().getBytes(StandardCharsets.UTF_8), mode)));
      } else if (e.has("sha") && e.get("sha").isNull()) {
        tree.remove(path);
      } else if (e.hasNonNull("sha")) {
        Blob b = blobsBySha.get(e.path("sha").asText());
        if (b == null) return new Answer(422, error("tree.sha " + e.path("sha").asText() + " is not a valid blob"));
        tree.put(path, key(blob(b.bytes(), mode)));
      } else {
        return new Answer(422, error("Must supply either tree.sha or tree.content"));
      }
    }
    String sha = putTree(tree);
    return getTree(sha, Map.of("recursive", "1"), base).status() == 200
        ? new Answer(201, getTree(sha, Map.of("recursive", "1"), base).body()) : new Answer(500, error("Server Error"));
  }

  private String key(Blob b) {
    return b.mode().equals("100644") ? b.sha() : b.sha() + b.mode();
  }

  private Answer createCommit(JsonNode body, String base) {
    if (body == null || !body.hasNonNull("message") || !body.hasNonNull("tree")) {
      return new Answer(422, validation("Commit", body == null || !body.hasNonNull("message") ? "message" : "tree", "missing_field"));
    }
    String tree = body.path("tree").asText();
    if (!trees.containsKey(tree)) return new Answer(422, error("Tree SHA does not exist"));
    List<String> parents = new ArrayList<>();
    for (JsonNode p : body.path("parents")) {
      if (!commits.containsKey(p.asText())) return new Answer(422, error("Parent SHA does not exist or is not a commit object"));
      parents.add(p.asText());
    }
    String sha = commit(tree, parents, body.path("message").asText());
    return new Answer(201, gitCommit(commits.get(sha), base));
  }

  private ObjectNode gitCommit(Commit c, String base) {
    ObjectNode n = JSON.createObjectNode().put("sha", c.sha()).put("node_id", "C_" + c.sha().substring(0, 8))
        .put("url", base + "/git/commits/" + c.sha()).put("html_url", "https://github.com/commit/" + c.sha());
    n.putObject("author").put("name", "github-actions[bot]").put("email", "41898282+github-actions[bot]@users.noreply.github.com").put("date", "2026-01-01T00:00:00Z");
    n.putObject("committer").put("name", "GitHub").put("email", "noreply@github.com").put("date", "2026-01-01T00:00:00Z");
    n.put("message", c.message());
    n.putObject("tree").put("sha", c.tree()).put("url", base + "/git/trees/" + c.tree());
    ArrayNode ps = n.putArray("parents");
    for (String p : c.parents()) ps.addObject().put("sha", p).put("url", base + "/git/commits/" + p).put("html_url", "https://github.com/commit/" + p);
    n.putObject("verification").put("verified", false).put("reason", "unsigned").putNull("signature").putNull("payload");
    return n;
  }

  /** {@code GET /commits?sha=&path=&per_page=}: first-parent history, only commits that changed the path. */
  private Answer listCommits(Map<String, String> q, String base) {
    String from = q.getOrDefault("sha", "main");
    String start = commits.containsKey(from) ? from : refs.get("refs/heads/" + from);
    if (start == null) return new Answer(404, error("Not Found"));
    int perPage = Integer.parseInt(q.getOrDefault("per_page", "30"));
    String path = q.get("path");
    ArrayNode arr = JSON.createArrayNode();
    for (String c = start; c != null && arr.size() < perPage; ) {
      Commit k = commits.get(c);
      String parent = k.parents().isEmpty() ? null : k.parents().get(0);
      String mine = path == null ? null : trees.get(k.tree()).get(path);
      String theirs = path == null || parent == null ? null : trees.get(commits.get(parent).tree()).get(path);
      if (path == null || !java.util.Objects.equals(mine, theirs)) {
        ObjectNode n = JSON.createObjectNode().put("sha", k.sha()).put("node_id", "C_" + k.sha().substring(0, 8))
            .put("url", base + "/commits/" + k.sha()).put("html_url", "https://github.com/commit/" + k.sha());
        ObjectNode inner = gitCommit(k, base);
        inner.remove("sha");
        inner.remove("node_id");
        inner.remove("html_url");
        inner.remove("parents");
        n.set("commit", inner);
        n.putNull("author").putNull("committer");
        ArrayNode ps = n.putArray("parents");
        for (String p : k.parents()) ps.addObject().put("sha", p).put("url", base + "/commits/" + p);
        arr.add(n);
      }
      c = parent;
    }
    return new Answer(200, arr);
  }

  private Answer pulls(String method, String rest, Map<String, String> q, JsonNode body, String base, String owner) {
    if (rest.equals("/pulls") && method.equals("GET")) {
      ArrayNode arr = JSON.createArrayNode();
      String state = q.getOrDefault("state", "open");
      String head = q.get("head");
      for (ObjectNode p : pulls) {
        if (!state.equals("all") && !p.path("state").asText().equals(state)) continue;
        if (head != null && !p.path("head").path("label").asText().equals(head)) continue;
        arr.add(p);
      }
      return new Answer(200, arr);
    }
    if (rest.equals("/pulls") && method.equals("POST")) {
      if (body == null || !body.hasNonNull("head") || !body.hasNonNull("base")) {
        return new Answer(422, validation("PullRequest", body == null || !body.hasNonNull("head") ? "head" : "base", "missing_field"));
      }
      String head = body.path("head").asText();
      String baseRef = body.path("base").asText();
      String label = head.contains(":") ? head : owner + ":" + head;
      String branch = label.substring(label.indexOf(':') + 1);
      if (!refs.containsKey("refs/heads/" + branch)) return new Answer(422, custom("head", "invalid"));
      for (ObjectNode p : pulls) {
        if (p.path("state").asText().equals("open") && p.path("head").path("label").asText().equals(label)
            && p.path("base").path("ref").asText().equals(baseRef)) {
          return new Answer(422, customMessage("A pull request already exists for " + label + "."));
        }
      }
      if (refs.get("refs/heads/" + branch).equals(refs.get("refs/heads/" + baseRef))) {
        return new Answer(422, customMessage("No commits between " + baseRef + " and " + branch));
      }
      int number = 1 + pulls.size();
      ObjectNode p = JSON.createObjectNode().put("id", 9000 + number).put("node_id", "PR_" + number).put("number", number)
          .put("url", base + "/pulls/" + number).put("html_url", "https://github.com/" + base.substring(base.indexOf("/repos/") + 7) + "/pull/" + number)
          .put("state", "open").put("title", body.path("title").asText("")).put("body", body.path("body").asText(null))
          .put("draft", body.path("draft").asBoolean(false)).put("merged", false)
          .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
      p.putObject("user").put("login", "github-actions[bot]").put("id", 41898282).put("type", "Bot");
      p.putObject("head").put("label", label).put("ref", branch).put("sha", refs.get("refs/heads/" + branch));
      p.putObject("base").put("label", owner + ":" + baseRef).put("ref", baseRef).put("sha", refs.get("refs/heads/" + baseRef));
      pulls.add(p);
      return new Answer(201, p);
    }
    String[] parts = rest.split("/");
    if (parts.length == 3 && parts[2].matches("\\d+")) {
      int n = Integer.parseInt(parts[2]);
      ObjectNode p = pulls.stream().filter(x -> x.path("number").asInt() == n).findFirst().orElse(null);
      if (p == null) return new Answer(404, error("Not Found"));
      if (method.equals("PATCH") && body != null) {
        for (String f : List.of("title", "body", "state")) if (body.has(f)) p.put(f, body.path(f).asText());
        p.put("updated_at", "2026-01-02T00:00:00Z");
      }
      return new Answer(200, p);
    }
    return new Answer(404, error("Not Found"));
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null) return q;
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq < 0) q.put(URLDecoder.decode(kv, StandardCharsets.UTF_8), "");
      else q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("message", message).put("documentation_url", "https://docs.github.com/rest");
  }

  private static ObjectNode validation(String resource, String field, String code) {
    ObjectNode e = error("Validation Failed");
    e.putArray("errors").addObject().put("resource", resource).put("field", field).put("code", code);
    return e;
  }

  private static ObjectNode custom(String field, String code) {
    return validation("PullRequest", field, code);
  }

  private static ObjectNode customMessage(String message) {
    ObjectNode e = error("Validation Failed");
    e.putArray("errors").addObject().put("resource", "PullRequest").put("code", "custom").put("message", message);
    return e;
  }
}
