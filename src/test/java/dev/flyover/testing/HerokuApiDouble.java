package dev.flyover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heroku's Platform API v3 on loopback, as flyctl-heroku-facts.md B.2 and D describe it: the v3 Accept header is
 * required (406 {@code not_acceptable}), a Bearer (or Basic {@code :key}) token is required (401
 * {@code unauthorized}), errors are {@code {id, message}}, every answer carries a decrementing
 * {@code RateLimit-Remaining} and an empty pool answers 429 {@code rate_limit}; lists page with 206 +
 * {@code Next-Range}; {@code PATCH /formation} takes quantity as a number or a numeric string and {@code size}
 * or {@code dyno_size}. Tests set up apps and faults through its methods and read the requests it saw.
 */
public final class HerokuApiDouble implements AutoCloseable {
  public static final String KEY = "heroku-key-0b9f5c2e-4d61-4a8e-9a3c-7f2d1e6b8c40";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RANGE = Pattern.compile("^\\s*(id|name)\\s+(\\]?)([^.;]*)\\.\\.\\s*(?:;\\s*max=(\\d+))?.*$");

  private final HttpServer server;
  private final Map<String, App> apps = new LinkedHashMap<>();
  private final Map<String, ObjectNode> spaces = new LinkedHashMap<>();
  private final Set<String> keys = new HashSet<>(Set.of(KEY));
  private final Map<String, Set<String>> forbidden = new HashMap<>();
  private final Map<Integer, Integer> failAt = new HashMap<>();
  private final Deque<int[]> failNext = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private int remaining = 4500;
  private int pageMax = 1000;
  private int seq;
  private String retryAfter;

  /** One request as the double saw it. */
  public record Request(int number, String method, String path, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  public HerokuApiDouble() {
    server = Loopback.serve(this::handle);
  }

  public String url() {
    return Loopback.url(server);
  }

  /** HEROKU_API_URL for the run under test, and a short backoff so retries do not slow the tests. */
  public Map<String, String> env() {
    return Map.of("HEROKU_API_URL", url(), "FLYOVER_HTTP_BACKOFF_MS", "1");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---------------------------------------------------------------- set-up

  public synchronized HerokuApiDouble key(String key) {
    keys.add(key);
    return this;
  }

  /** The key may authenticate but not see this app (403 forbidden). */
  public synchronized HerokuApiDouble forbid(String key, String app) {
    keys.add(key);
    forbidden.computeIfAbsent(key, k -> new HashSet<>()).add(app);
    return this;
  }

  /** Requests left in the account's pool; at 0 every call answers 429 until {@link #rateLimit} refills it. */
  public synchronized HerokuApiDouble rateLimit(int left) {
    this.remaining = left;
    return this;
  }

  /** The largest page the server hands out, whatever the client asks (Heroku's default is 200). */
  public synchronized HerokuApiDouble pageSize(int max) {
    this.pageMax = max;
    return this;
  }

  /** The Nth request (1-based, counting every request) answers this status with Heroku's error body. */
  public synchronized HerokuApiDouble failRequest(int nth, int status) {
    failAt.put(nth, status);
    return this;
  }

  /** The next {@code count} requests answer this status. */
  public synchronized HerokuApiDouble failNext(int count, int status) {
    for (int i = 0; i < count; i++) failNext.add(new int[] {status});
    return this;
  }

  /** Adds {@code Retry-After} (seconds) to 429 and 503 answers; null for none (Heroku's usual). */
  public synchronized HerokuApiDouble retryAfter(String seconds) {
    this.retryAfter = seconds;
    return this;
  }

  /** A Private Space in a space region ({@code frankfurt}, {@code virginia}, …). */
  public synchronized HerokuApiDouble space(String name, String region, boolean shield) {
    ObjectNode sp = JSON.createObjectNode().put("created_at", "2026-01-01T00:00:00Z").put("id", nextId()).put("name", name);
    sp.putObject("organization").put("name", "acme");
    sp.putObject("region").put("id", nextId()).put("name", region);
    sp.put("shield", shield).put("state", "allocated");
    sp.putObject("team").put("id", nextId()).put("name", "acme");
    sp.put("updated_at", "2026-01-01T00:00:00Z").put("cidr", "10.0.0.0/16").put("data_cidr", "172.23.0.0/20");
    spaces.put(name, sp);
    return this;
  }

  /** The regions {@code GET /regions} lists: the two Common Runtime ones and the Private Space ones. */
  private static final String[][] REGIONS = {
    {"us", "United States", "us-east-1", "false", "Virginia"},
    {"eu", "Europe", "eu-west-1", "false", "Ireland"},
    {"dublin", "Dublin, Ireland", "eu-west-1", "true", "Ireland"},
    {"frankfurt", "Frankfurt, Germany", "eu-central-1", "true", "Germany"},
    {"london", "London, United Kingdom", "eu-west-2", "true", "United Kingdom"},
    {"montreal", "Montreal, Canada", "ca-central-1", "true", "Canada"},
    {"mumbai", "Mumbai, India", "ap-south-1", "true", "India"},
    {"oregon", "Oregon, United States", "us-west-2", "true", "United States"},
    {"singapore", "Singapore", "ap-southeast-1", "true", "Singapore"},
    {"sydney", "Sydney, Australia", "ap-southeast-2", "true", "Australia"},
    {"tokyo", "Tokyo, Japan", "ap-northeast-1", "true", "Japan"},
    {"virginia", "Virginia, United States", "us-east-1", "true", "United States"},
  };

  private static List<ObjectNode> regionList() {
    List<ObjectNode> out = new ArrayList<>();
    int i = 0;
    for (String[] r : REGIONS) {
      ObjectNode n = JSON.createObjectNode().put("country", r[4]).put("created_at", "2012-01-01T12:00:00Z")
          .put("description", r[1]).put("id", String.format("0b0b0b0b-0000-4000-8000-%012d", ++i)).put("locale", r[0])
          .put("name", r[0]).put("private_capable", Boolean.parseBoolean(r[3]));
      n.putObject("provider").put("name", "amazon-web-services").put("region", r[2]);
      n.put("updated_at", "2012-01-01T12:00:00Z");
      out.add(n);
    }
    return out;
  }

  public synchronized App app(String name) {
    return apps.computeIfAbsent(name, n -> new App(n));
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  public synchronized int rateLimitRemaining() {
    return remaining;
  }

  private String nextId() {
    seq++;
    return String.format("0a1b2c3d-0000-4000-8000-%012d", seq);
  }

  /** An app on the double, with its config vars, formation, domains and add-ons. */
  public final class App {
    public final String id;
    public final String name;
    public boolean maintenance;
    public final Map<String, String> configVars = new LinkedHashMap<>();
    final List<ObjectNode> formation = new ArrayList<>();
    final List<ObjectNode> domains = new ArrayList<>();
    final List<ObjectNode> addons = new ArrayList<>();
    final List<ObjectNode> attachments = new ArrayList<>();
    final List<ObjectNode> buildpacks = new ArrayList<>();
    final List<ObjectNode> releases = new ArrayList<>();
    final Map<String, ObjectNode> slugs = new LinkedHashMap<>();
    String region = "us";
    String space;

    App(String name) {
      this.name = name;
      this.id = nextId();
      domain(name + ".herokuapp.com", "heroku");
    }

    ObjectNode ref() {
      return JSON.createObjectNode().put("id", id).put("name", name);
    }

    public App configVar(String key, String value) {
      synchronized (HerokuApiDouble.this) {
        configVars.put(key, value);
      }
      return this;
    }

    public App configVars(Map<String, String> vars) {
      synchronized (HerokuApiDouble.this) {
        configVars.putAll(vars);
      }
      return this;
    }

    public App formation(String type, int quantity, String size, String command) {
      synchronized (HerokuApiDouble.this) {
        ObjectNode f = JSON.createObjectNode();
        f.set("app", ref());
        f.put("command", command).put("created_at", "2026-01-01T00:00:00Z");
        f.putObject("dyno_size").put("id", nextId()).put("name", size);
        f.put("id", nextId()).put("quantity", quantity).put("size", size).put("type", type)
            .put("updated_at", "2026-01-01T00:00:00Z");
        formation.add(f);
      }
      return this;
    }

    public App domain(String hostname, String kind) {
      synchronized (HerokuApiDouble.this) {
        ObjectNode d = JSON.createObjectNode();
        boolean custom = kind.equals("custom");
        d.put("acm_status", custom ? "cert issued" : null).putNull("acm_status_reason");
        d.set("app", ref());
        d.put("cname", custom ? hostname.replace('.', '-') + ".herokudns.com" : null)
            .put("created_at", "2026-01-01T00:00:00Z").put("hostname", hostname).put("id", nextId())
            .put("kind", kind).put("status", "succeeded").putNull("sni_endpoint")
            .put("updated_at", "2026-01-01T00:00:00Z");
        domains.add(d);
      }
      return this;
    }

    /**
     * Provisions an add-on attached as {@code attachment}; {@code varSuffixes} are the parts after
     * {@code ATTACHMENT_} of the config vars it sets (their values are set with {@link #configVar}).
     */
    public App addon(String service, String plan, String attachment, String... varSuffixes) {
      synchronized (HerokuApiDouble.this) {
        ObjectNode a = JSON.createObjectNode();
        String addonName = service.replace("heroku-", "") + "-curved-" + (10000 + seq);
        String addonId = nextId();
        a.putArray("actions");
        a.putObject("addon_service").put("id", nextId()).put("name", service);
        a.set("app", ref());
        a.putObject("billed_price").put("cents", 500).put("contract", false).put("unit", "month");
        a.putObject("billing_entity").put("id", id).put("name", name).put("type", "app");
        ArrayNode vars = a.putArray("config_vars");
        for (String s : varSuffixes) vars.add(attachment + "_" + s);
        a.put("created_at", "2026-01-01T00:00:00Z").put("id", addonId).put("name", addonName);
        a.putObject("plan").put("id", nextId()).put("name", service + ":" + plan);
        a.put("provider_id", "resource" + seq + "@heroku.com").put("state", "provisioned")
            .put("updated_at", "2026-01-01T00:00:00Z").put("web_url", "https://addons-sso.heroku.com/apps/" + id);
        addons.add(a);
        ObjectNode at = JSON.createObjectNode();
        ObjectNode addonRef = at.putObject("addon").put("id", addonId).put("name", addonName);
        addonRef.set("app", ref());
        at.set("app", ref());
        at.put("created_at", "2026-01-01T00:00:00Z").put("id", nextId()).put("name", attachment).putNull("namespace")
            .put("updated_at", "2026-01-01T00:00:00Z").put("web_url", "https://addons-sso.heroku.com/apps/" + id)
            .putNull("log_input_url");
        attachments.add(at);
      }
      return this;
    }

    /** The Common Runtime region ({@code us}, {@code eu}); see {@link HerokuApiDouble#space} for Private Spaces. */
    public App region(String name) {
      synchronized (HerokuApiDouble.this) {
        this.region = name;
      }
      return this;
    }

    /** Puts the app in a Private Space made with {@link HerokuApiDouble#space}; the app's region is the space's. */
    public App inSpace(String spaceName) {
      synchronized (HerokuApiDouble.this) {
        ObjectNode sp = spaces.get(spaceName);
        if (sp == null) throw new IllegalArgumentException("no space " + spaceName);
        this.space = spaceName;
        this.region = sp.path("region").path("name").asText();
      }
      return this;
    }

    /** A buildpack installation, by name ({@code heroku/ruby}) or URL, appended in build order. */
    public App buildpack(String nameOrUrl) {
      synchronized (HerokuApiDouble.this) {
        ObjectNode b = JSON.createObjectNode();
        boolean url = nameOrUrl.contains("://");
        b.putObject("buildpack").put("url", url ? nameOrUrl : "urn:buildpack:" + nameOrUrl)
            .put("name", url ? null : nameOrUrl);
        b.put("ordinal", buildpacks.size());
        buildpacks.add(b);
      }
      return this;
    }

    /** A successful deploy release whose slug has these process types (what Heroku read from the Procfile). */
    public App slug(Map<String, String> processTypes, String buildpackDescription) {
      synchronized (HerokuApiDouble.this) {
        String slugId = nextId();
        ObjectNode sl = JSON.createObjectNode();
        sl.putObject("blob").put("method", "get").put("url", "https://s3.example.com/slug.tgz");
        sl.put("buildpack_provided_description", buildpackDescription).put("checksum", "SHA256:0")
            .put("commit", "60883d9e8947a57e04dc9124f25df004866a2051").putNull("commit_description")
            .put("created_at", "2026-01-01T00:00:00Z").put("id", slugId);
        ObjectNode pt = sl.putObject("process_types");
        processTypes.forEach(pt::put);
        sl.put("size", 52_428_800);
        sl.putObject("stack").put("id", "ee582d3c-717d-4a57-ba5f-8b3a39f3a817").put("name", "heroku-24");
        sl.put("updated_at", "2026-01-01T00:00:00Z");
        slugs.put(slugId, sl);
        ObjectNode rel = JSON.createObjectNode();
        rel.putArray("addon_plan_names");
        rel.set("app", ref());
        rel.put("created_at", "2026-01-01T00:00:00Z").put("description", "Deploy 60883d9e").put("id", nextId())
            .put("status", "succeeded").put("updated_at", "2026-01-01T00:00:00Z").put("version", releases.size() + 1)
            .put("current", true);
        rel.putObject("slug").put("id", slugId);
        releases.forEach(r -> r.put("current", false));
        releases.add(rel);
      }
      return this;
    }

    public List<JsonNode> formation() {
      synchronized (HerokuApiDouble.this) {
        return List.copyOf(formation);
      }
    }

    ObjectNode toJson() {
      ObjectNode a = JSON.createObjectNode();
      a.put("acm", false).putNull("archived_at").put("buildpack_provided_description", "Ruby/Rack");
      a.putObject("build_stack").put("id", "ee582d3c-717d-4a57-ba5f-8b3a39f3a817").put("name", "heroku-24");
      a.put("created_at", "2026-01-01T00:00:00Z").put("git_url", "https://git.heroku.com/" + name + ".git");
      a.putObject("generation").put("id", "c6e0ff5e-0dc4-4f6a-b1b1-1d3a2b7e3c01").put("name", "cedar");
      a.put("id", id).put("internal_routing", (String) null).put("maintenance", maintenance).put("name", name);
      a.putObject("owner").put("email", "owner@example.com").put("id", "5d8201b4-5b3e-4a67-a5bf-3f3f8b3b8e11");
      a.putNull("organization");
      a.putObject("region").put("id", "59accabd-516d-4f0e-83e6-6e3757701145").put("name", region);
      a.put("released_at", "2026-01-02T00:00:00Z").put("repo_size", (Integer) null).put("slug_size", 52_428_800);
      if (space == null) a.putNull("space");
      else a.putObject("space").put("id", spaces.get(space).path("id").asText()).put("name", space)
          .put("shield", spaces.get(space).path("shield").asBoolean());
      a.putObject("stack").put("id", "ee582d3c-717d-4a57-ba5f-8b3a39f3a817").put("name", "heroku-24");
      a.putNull("team");
      a.put("updated_at", "2026-01-02T00:00:00Z").put("web_url", "https://" + name + "-4f8e2a1b9c3d.herokuapp.com/");
      return a;
    }
  }

  // ---------------------------------------------------------------- serving

  private record Answer(int status, String body, Map<String, String> headers) {
    static Answer json(int status, Object body) {
      try {
        return new Answer(status, JSON.writeValueAsString(body), new LinkedHashMap<>());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Answer error(int status, String id, String message) {
      ObjectNode n = JSON.createObjectNode().put("id", id).put("message", message);
      return json(status, n);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    Answer a;
    synchronized (this) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
      Request req = new Request(requests.size() + 1, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body);
      requests.add(req);
      try {
        a = answer(req);
      } catch (RuntimeException e) {
        a = Answer.error(500, "internal_server_error", "Internal server error.");
      }
      a.headers.put("RateLimit-Remaining", String.valueOf(remaining));
      a.headers.put("Request-Id", java.util.UUID.randomUUID().toString());
    }
    byte[] bytes = a.body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    a.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(a.status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) ex.getResponseBody().write(bytes);
    ex.close();
  }

  private Answer answer(Request req) {
    String accept = req.header("Accept");
    if (accept == null || !accept.contains("application/vnd.heroku+json") || !accept.replace(" ", "").contains("version=3")) {
      return Answer.error(406, "not_acceptable", "Please specify a version along with Heroku's API MIME type. For"
          + " example, `Accept: application/vnd.heroku+json; version=3`.");
    }
    String key = bearer(req.header("Authorization"));
    if (key == null || !keys.contains(key)) {
      return Answer.error(401, "unauthorized", "Invalid credentials provided.");
    }
    if (req.path().equals("/account/rate-limits")) {
      return Answer.json(200, JSON.createObjectNode().put("remaining", remaining));
    }
    if (remaining <= 0) {
      Answer a = Answer.error(429, "rate_limit", "Your account reached the API rate limit\nPlease wait a few minutes"
          + " before making new requests");
      if (retryAfter != null) a.headers.put("Retry-After", retryAfter);
      return a;
    }
    remaining--;
    Integer injected = failAt.remove(req.number());
    if (injected == null && !failNext.isEmpty()) injected = failNext.poll()[0];
    if (injected != null) {
      Answer a = injected == 429
          ? Answer.error(429, "rate_limit", "Your account reached the API rate limit\nPlease wait a few minutes before making new requests")
          : injected == 503 ? Answer.error(503, "unavailable", "Heroku API is temporarily unavailable.")
          : Answer.error(injected, injected >= 500 ? "internal_server_error" : "bad_request", "Injected failure.");
      if (retryAfter != null) a.headers.put("Retry-After", retryAfter);
      return a;
    }
    String[] parts = req.path().split("/");
    if (req.method().equals("GET") && req.path().equals("/regions")) return page(regionList(), req);
    if (req.method().equals("GET") && parts.length == 3 && parts[1].equals("spaces")) {
      String sp = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
      ObjectNode found = spaces.values().stream().filter(x -> x.path("name").asText().equals(sp) || x.path("id").asText().equals(sp))
          .findFirst().orElse(null);
      return found == null
          ? Answer.json(404, JSON.createObjectNode().put("id", "not_found").put("message", "Couldn't find that space.").put("resource", "space"))
          : Answer.json(200, found);
    }
    if (parts.length < 3 || !parts[1].equals("apps")) return Answer.error(404, "not_found", "Not found.");
    String appName = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
    App app = apps.values().stream().filter(x -> x.name.equals(appName) || x.id.equals(appName)).findFirst().orElse(null);
    if (app == null) {
      return Answer.json(404, JSON.createObjectNode().put("id", "not_found").put("message", "Couldn't find that app.")
          .put("resource", "app"));
    }
    if (forbidden.getOrDefault(key, Set.of()).contains(app.name)) {
      return Answer.error(403, "forbidden", "You do not have access to the app " + app.name + ".");
    }
    String rest = parts.length > 3 ? parts[3] : "";
    String method = req.method();
    switch (method + " " + rest) {
      case "GET ":
        return Answer.json(200, app.toJson());
      case "PATCH ":
        return patchApp(app, req);
      case "GET config-vars": {
        ObjectNode o = JSON.createObjectNode();
        app.configVars.forEach(o::put);
        return Answer.json(200, o);
      }
      case "PATCH config-vars": {
        JsonNode b = parse(req);
        if (b == null || !b.isObject()) return Answer.error(400, "bad_request", "Invalid JSON.");
        b.fields().forEachRemaining(e -> {
          if (e.getValue().isNull()) app.configVars.remove(e.getKey()); else app.configVars.put(e.getKey(), e.getValue().asText());
        });
        ObjectNode o = JSON.createObjectNode();
        app.configVars.forEach(o::put);
        return Answer.json(200, o);
      }
      case "GET formation":
        return page(app.formation, req);
      case "PATCH formation":
        return patchFormation(app, req);
      case "GET domains":
        return page(app.domains, req);
      case "GET addons":
        return page(app.addons, req);
      case "GET addon-attachments":
        return page(app.attachments, req);
      case "GET buildpack-installations": {
        // Not a ranged list on Heroku: the whole array, in ordinal order.
        ArrayNode arr = JSON.createArrayNode();
        app.buildpacks.forEach(arr::add);
        return Answer.json(200, arr);
      }
      case "GET releases":
        return releases(app, req);
      case "GET slugs": {
        ObjectNode sl = parts.length > 4 ? app.slugs.get(URLDecoder.decode(parts[4], StandardCharsets.UTF_8)) : null;
        return sl == null
            ? Answer.json(404, JSON.createObjectNode().put("id", "not_found").put("message", "Couldn't find that slug.").put("resource", "slug"))
            : Answer.json(200, sl);
      }
      default:
        return Answer.error(404, "not_found", "Not found.");
    }
  }

  private static String bearer(String header) {
    if (header == null) return null;
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) return header.substring(7).strip();
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    }
    return null;
  }

  private static JsonNode parse(Request req) {
    try {
      return JSON.readTree(req.body());
    } catch (IOException e) {
      return null;
    }
  }

  private Answer patchApp(App app, Request req) {
    JsonNode b = parse(req);
    if (b == null || !b.isObject()) return Answer.error(400, "bad_request", "Invalid JSON.");
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) b::fields) {
      switch (e.getKey()) {
        case "maintenance" -> {
          if (!e.getValue().isBoolean()) return Answer.error(422, "invalid_params", "Invalid maintenance value.");
          app.maintenance = e.getValue().asBoolean();
        }
        case "name", "build_stack" -> { /* accepted, not modelled */ }
        default -> {
          return Answer.error(422, "invalid_params", "Invalid params: " + e.getKey() + " is not allowed.");
        }
      }
    }
    return Answer.json(200, app.toJson());
  }

  private Answer patchFormation(App app, Request req) {
    JsonNode b = parse(req);
    if (b == null || !b.path("updates").isArray()) {
      return Answer.error(422, "invalid_params", "Invalid params: updates is required.");
    }
    List<ObjectNode> changed = new ArrayList<>();
    // Validate all first: Heroku applies a batch as a whole.
    List<Object[]> plan = new ArrayList<>();
    for (JsonNode u : b.path("updates")) {
      String type = u.path("type").asText(null);
      if (type == null) return Answer.error(422, "invalid_params", "Invalid params: type is required.");
      for (Iterator<String> it = u.fieldNames(); it.hasNext();) {
        String f = it.next();
        if (!Set.of("type", "quantity", "size", "dyno_size").contains(f)) {
          return Answer.error(422, "invalid_params", "Invalid params: " + f + " is not allowed.");
        }
      }
      ObjectNode f = app.formation.stream().filter(x -> x.path("type").asText().equals(type)).findFirst().orElse(null);
      if (f == null) {
        return Answer.json(404, JSON.createObjectNode().put("id", "not_found").put("message", "Couldn't find that formation.")
            .put("resource", "formation"));
      }
      Integer qty = null;
      JsonNode q = u.path("quantity");
      if (q.isInt()) {
        qty = q.asInt();
      } else if (q.isTextual() && q.asText().matches("\\d+")) {
        qty = Integer.parseInt(q.asText());
      } else if (!q.isMissingNode()) {
        return Answer.error(422, "invalid_params", "Invalid params: quantity must be an integer.");
      }
      String size = u.path("dyno_size").path("name").asText(null);
      if (size == null) size = u.path("size").asText(null);
      plan.add(new Object[] {f, qty, size});
    }
    for (Object[] p : plan) {
      ObjectNode f = (ObjectNode) p[0];
      if (p[1] != null) f.put("quantity", (Integer) p[1]);
      if (p[2] != null) {
        f.put("size", (String) p[2]);
        ((ObjectNode) f.path("dyno_size")).put("name", (String) p[2]);
      }
      f.put("updated_at", "2026-01-03T00:00:00Z");
      changed.add(f);
    }
    ArrayNode out = JSON.createArrayNode();
    changed.forEach(out::add);
    return Answer.json(200, out);
  }

  /** Releases sorted by {@code version} (the CLI asks {@code Range: version ..; max=N, order=desc}). */
  private Answer releases(App app, Request req) {
    String range = req.header("Range");
    List<ObjectNode> sorted = new ArrayList<>(app.releases);
    sorted.sort(Comparator.comparingInt(n -> n.path("version").asInt()));
    int max = 200;
    if (range != null) {
      if (!range.strip().startsWith("version") && !range.strip().startsWith("id")) {
        return Answer.error(416, "requested_range_not_satisfiable", "Requested range not satisfiable.");
      }
      if (range.contains("order=desc")) java.util.Collections.reverse(sorted);
      Matcher m = Pattern.compile("max=(\\d+)").matcher(range);
      if (m.find()) max = Math.min(1000, Integer.parseInt(m.group(1)));
    }
    ArrayNode out = JSON.createArrayNode();
    sorted.stream().limit(max).forEach(out::add);
    Answer a = Answer.json(sorted.size() > max ? 206 : 200, out);
    a.headers.put("Accept-Ranges", "id, version");
    return a;
  }

  /** A list answer, paged by {@code Range: id ..; max=N} / {@code id ]LAST..; max=N}. */
  private Answer page(List<ObjectNode> all, Request req) {
    String key = "id";
    String after = null;
    int max = 200;
    String range = req.header("Range");
    if (range != null && !range.isBlank()) {
      Matcher m = RANGE.matcher(range);
      if (!m.matches()) {
        return Answer.error(416, "requested_range_not_satisfiable", "Requested range not satisfiable.");
      }
      key = m.group(1);
      if (m.group(2).equals("]") && !m.group(3).isBlank()) after = m.group(3).strip();
      if (m.group(4) != null) max = Math.min(1000, Integer.parseInt(m.group(4)));
    }
    String sortKey = key;
    List<ObjectNode> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(n -> n.path(sortKey).asText()));
    int start = 0;
    if (after != null) {
      while (start < sorted.size() && sorted.get(start).path(sortKey).asText().compareTo(after) <= 0) start++;
    }
    int size = Math.min(max, pageMax);
    int end = Math.min(sorted.size(), start + size);
    ArrayNode out = JSON.createArrayNode();
    for (int i = start; i < end; i++) out.add(sorted.get(i));
    boolean more = end < sorted.size();
    Answer a = Answer.json(more ? 206 : 200, out);
    a.headers.put("Accept-Ranges", "id, name");
    if (end > start) {
      a.headers.put("Content-Range", sortKey + " " + sorted.get(start).path(sortKey).asText() + ".."
          + sorted.get(end - 1).path(sortKey).asText() + "; max=" + size);
    }
    if (more) a.headers.put("Next-Range", sortKey + " ]" + sorted.get(end - 1).path(sortKey).asText() + "..; max=" + size);
    return a;
  }
}
