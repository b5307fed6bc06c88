package dev.flyover.heroku;

import dev.flyover.secrets.MaskPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Heroku Platform API v3 (https://devcenter.heroku.com/articles/platform-api-reference). Base URL from
 * {@code HEROKU_API_URL} (default {@code https://api.heroku.com}). Retries 429 and 5xx answers and network
 * failures with exponential backoff, honouring {@code Retry-After}, and slows down when
 * {@code RateLimit-Remaining} runs low. Lists follow {@code 206 + Next-Range}. A failure ends as a
 * {@link HerokuApiException}: one sentence naming the input at fault (heroku-api-key, heroku-app).
 *
 * <p>The key is masked on construction and only ever sent in the Authorization header.
 */
public final class HerokuClient {
  public static final String DEFAULT_URL = "https://api.heroku.com";
  static final String ACCEPT = "application/vnd.heroku+json; version=3";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Below this many remaining requests, calls are spaced out so the pool can refill (~75 a minute). */
  private static final int LOW_REMAINING = 5;
  private static final Duration MAX_DELAY = Duration.ofSeconds(60);

  private final URI base;
  private final String apiKey;
  private final Console console;
  private final UnaryOperator<String> inputName;
  private final Options options;
  private volatile HttpClient http;
  private volatile OptionalInt rateLimitRemaining = OptionalInt.empty();

  /** Tunables; {@link #from(Env)} reads {@code FLYOVER_HTTP_BACKOFF_MS} so tests need not sleep. */
  public record Options(int maxAttempts, Duration baseDelay, Duration requestTimeout, Duration connectTimeout,
      String userAgent) {
    public static Options from(Env env) {
      long backoff = env.get("FLYOVER_HTTP_BACKOFF_MS").map(String::strip).filter(v -> v.matches("\\d{1,7}"))
          .map(Long::parseLong).orElse(1000L);
      String version = Optional.ofNullable(HerokuClient.class.getPackage().getImplementationVersion()).orElse("dev");
      return new Options(5, Duration.ofMillis(backoff), Duration.ofSeconds(60), Duration.ofSeconds(15),
          "flyover/" + version + " (Heroku to Fly.io; Java " + Runtime.version().feature() + ")");
    }
  }

  /**
   * @param inputName how the user knows an input ({@code heroku-app}, or {@code --heroku-app} in a terminal)
   */
  public HerokuClient(Env env, Console console, String apiKey, UnaryOperator<String> inputName, Options options) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new UserError("No Heroku API key: set " + inputName.apply("heroku-api-key")
          + " (or HEROKU_API_KEY) to a key from `heroku authorizations:create`.");
    }
    this.apiKey = apiKey.strip();
    this.console = console;
    MaskPolicy.secret(console, this.apiKey);
    this.inputName = inputName;
    this.options = options;
    String url = env.getOrDefault("HEROKU_API_URL", DEFAULT_URL).strip();
    try {
      URI u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException("no scheme or host");
      this.base = u;
    } catch (IllegalArgumentException e) {
      throw new UserError("HEROKU_API_URL is '" + url + "', which is not a URL: unset it to use " + DEFAULT_URL + ".");
    }
  }

  /** A client for one run: names inputs as the run's user knows them. */
  public static HerokuClient of(Context ctx, String apiKey) {
    return new HerokuClient(ctx.env(), ctx.console(), apiKey, ctx::optionName, Options.from(ctx.env()));
  }

  /** The last {@code RateLimit-Remaining} Heroku reported, if any. */
  public OptionalInt rateLimitRemaining() {
    return rateLimitRemaining;
  }

  // ---------------------------------------------------------------- endpoints

  /** {@code GET /apps/{app}}. */
  public HerokuApp app(String app) {
    return toApp(request("GET", appPath(app), null, app).body);
  }

  /** {@code PATCH /apps/{app}} with {@code maintenance}: what {@code heroku maintenance:on/off} does. */
  public HerokuApp setMaintenance(String app, boolean on) {
    ObjectNode body = JSON.createObjectNode().put("maintenance", on);
    return toApp(request("PATCH", appPath(app), body, app).body);
  }

  /** {@code GET /apps/{app}/config-vars}, in Heroku's order. A null value (a var being deleted) is kept as null. */
  public Map<String, String> configVars(String app) {
    JsonNode body = request("GET", appPath(app) + "/config-vars", null, app).body;
    if (!body.isObject()) throw unexpected("GET /apps/" + app + "/config-vars", "an object");
    Map<String, String> vars = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      vars.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
    }
    return Collections.unmodifiableMap(vars);
  }

  /** {@code GET /apps/{app}/formation}. */
  public List<Formation> formation(String app) {
    return list(appPath(app) + "/formation", app).stream().map(HerokuClient::toFormation).toList();
  }

  /** {@code PATCH /apps/{app}/formation}: one batch call; returns the changed process types. */
  public List<Formation> scaleFormation(String app, List<FormationUpdate> updates) {
    ArrayNode list = JSON.createArrayNode();
    for (FormationUpdate u : updates) {
      ObjectNode o = list.addObject().put("type", u.type());
      if (u.quantity() != null) o.put("quantity", u.quantity());
      if (u.size() != null) o.putObject("dyno_size").put("name", u.size());
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("updates", list);
    JsonNode res = request("PATCH", appPath(app) + "/formation", body, app).body;
    if (!res.isArray()) throw unexpected("PATCH /apps/" + app + "/formation", "an array");
    List<Formation> out = new ArrayList<>();
    res.forEach(n -> out.add(toFormation(n)));
    return out;
  }

  /** {@code GET /apps/{app}/domains}: the herokuapp.com name and the custom ones. */
  public List<Domain> domains(String app) {
    return list(appPath(app) + "/domains", app).stream().map(n -> new Domain(text(n, "id"), text(n, "hostname"),
        text(n, "kind"), text(n, "cname"), text(n, "status"), text(n, "acm_status"))).toList();
  }

  /** {@code GET /apps/{app}/addons}. */
  public List<Addon> addons(String app) {
    return list(appPath(app) + "/addons", app).stream().map(n -> {
      List<String> vars = new ArrayList<>();
      n.path("config_vars").forEach(v -> vars.add(v.asText()));
      return new Addon(text(n, "id"), text(n, "name"), text(n.path("addon_service"), "name"),
          text(n.path("plan"), "name"), text(n, "state"), vars, text(n.path("app"), "name"));
    }).toList();
  }

  /** {@code GET /apps/{app}/addon-attachments}: which add-ons the app uses, under which names. */
  public List<AddonAttachment> addonAttachments(String app) {
    return list(appPath(app) + "/addon-attachments", app).stream().map(n -> new AddonAttachment(text(n, "id"),
        text(n, "name"), text(n.path("addon"), "id"), text(n.path("addon"), "name"),
        text(n.path("addon").path("app"), "name"), text(n.path("app"), "name"))).toList();
  }

  /** {@code GET /apps/{app}/buildpack-installations}, in build order: each buildpack's name, else its URL. */
  public List<String> buildpacks(String app) {
    List<JsonNode> items = new ArrayList<>(list(appPath(app) + "/buildpack-installations", app));
    items.sort(java.util.Comparator.comparingInt(n -> n.path("ordinal").asInt(0)));
    List<String> out = new ArrayList<>();
    for (JsonNode n : items) {
      String name = text(n.path("buildpack"), "name");
      out.add(name != null && !name.isBlank() ? name : Objects.toString(text(n.path("buildpack"), "url"), "?"));
    }
    return out;
  }

  /**
   * The slug the app runs: the newest succeeded release with a slug ({@code GET /apps/{app}/releases}, newest
   * first by {@code Range: version ..; order=desc}), then {@code GET /apps/{app}/slugs/{id}}. Empty when the
   * app was never built (or runs a container image, which has no slug).
   */
  public Optional<Slug> currentSlug(String app) {
    Response r = request("GET", appPath(app) + "/releases", null, app, "version ..; max=25, order=desc");
    if (!r.body.isArray()) throw unexpected("GET /apps/" + app + "/releases", "an array");
    String slugId = null;
    for (JsonNode rel : r.body) {
      String id = text(rel.path("slug"), "id");
      if (id != null && "succeeded".equals(text(rel, "status"))) {
        slugId = id;
        break;
      }
    }
    if (slugId == null) return Optional.empty();
    JsonNode s = request("GET", appPath(app) + "/slugs/" + URLEncoder.encode(slugId, StandardCharsets.UTF_8), null, app).body;
    Map<String, String> types = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("process_types").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      types.put(e.getKey(), e.getValue().asText());
    }
    return Optional.of(new Slug(text(s, "id"), Collections.unmodifiableMap(types),
        text(s, "buildpack_provided_description"), text(s.path("stack"), "name")));
  }

  /** {@code GET /spaces/{space}}: the Private Space's region (a name such as {@code frankfurt}) and Shield flag. */
  public Space space(String space) {
    JsonNode n = request("GET", "/spaces/" + URLEncoder.encode(space.strip(), StandardCharsets.UTF_8), null, null).body;
    return new Space(text(n, "name"), text(n.path("region"), "name"), n.path("shield").asBoolean(false));
  }

  /** {@code GET /regions}: name, description and the cloud region underneath ({@code provider.region}). */
  public List<Region> regions() {
    return list("/regions", null).stream().map(n -> new Region(text(n, "name"), text(n, "description"),
        text(n.path("provider"), "region"), n.path("private_capable").asBoolean(false))).toList();
  }

  // ---------------------------------------------------------------- mapping

  private static HerokuApp toApp(JsonNode n) {
    return new HerokuApp(text(n, "id"), text(n, "name"), n.path("maintenance").asBoolean(false), text(n, "web_url"),
        text(n.path("region"), "name"), text(n.path("stack"), "name"), text(n.path("generation"), "name"),
        text(n.path("team"), "name"), text(n.path("space"), "name"));
  }

  private static Formation toFormation(JsonNode n) {
    String size = text(n.path("dyno_size"), "name");
    if (size == null) size = text(n, "size");
    return new Formation(text(n, "id"), text(n, "type"), n.path("quantity").asInt(0), size, text(n, "command"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  private static String appPath(String app) {
    Objects.requireNonNull(app, "app");
    return "/apps/" + URLEncoder.encode(app.strip(), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- transport

  private record Response(int status, JsonNode body, HttpResponse<String> raw) {}

  /** Every page of a list endpoint, following 206 + Next-Range. */
  private List<JsonNode> list(String path, String app) {
    List<JsonNode> items = new ArrayList<>();
    String range = null;
    for (int page = 0; page < 10_000; page++) {
      Response r = request("GET", path, null, app, range);
      if (!r.body.isArray()) throw unexpected("GET " + path, "an array");
      r.body.forEach(items::add);
      Optional<String> next = r.raw.headers().firstValue("Next-Range");
      if (r.status != 206 || next.isEmpty() || next.get().isBlank()) return items;
      range = next.get();
    }
    throw new UserError("Heroku kept paging GET " + path + " past 10000 pages; re-run, and report it if it persists.");
  }

  private Response request(String method, String path, JsonNode body, String app) {
    return request(method, path, body, app, null);
  }

  private Response request(String method, String path, JsonNode body, String app, String range) {
    String what = method + " " + path;
    int attempt = 0;
    while (true) {
      attempt++;
      paceForRateLimit();
      HttpResponse<String> res;
      try {
        res = client().send(build(method, path, body, range), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        if (attempt < options.maxAttempts()) {
          Duration d = backoff(attempt, Optional.empty());
          console.debug("Heroku " + what + ": " + describe(e) + "; retrying in " + d.toMillis() + " ms");
          sleep(d);
          continue;
        }
        throw new HerokuApiException("Could not reach the Heroku API at " + base + " for " + what + " after "
            + attempt + " tries (" + describe(e) + "): check the network, or HEROKU_API_URL if it is set.", 0,
            "unreachable", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("The Heroku API call " + what + " was interrupted because flyover was cancelled.", e);
      }
      res.headers().firstValue("RateLimit-Remaining").map(String::strip).filter(s -> s.matches("\\d+"))
          .ifPresent(s -> rateLimitRemaining = OptionalInt.of(Integer.parseInt(s)));
      int status = res.statusCode();
      if (status == 429 || status >= 500) {
        if (attempt < options.maxAttempts()) {
          Duration d = backoff(attempt, retryAfter(res));
          console.debug("Heroku " + what + " answered " + status + "; retrying in " + d.toMillis() + " ms");
          sleep(d);
          continue;
        }
      }
      if (status >= 200 && status < 300) {
        JsonNode json;
        try {
          json = res.body().isBlank() ? JSON.nullNode() : JSON.readTree(res.body());
        } catch (IOException e) {
          throw unexpected(what, "JSON");
        }
        return new Response(status, json, res);
      }
      throw error(what, app, res, attempt);
    }
  }

  private HttpRequest build(String method, String path, JsonNode body, String range) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(options.requestTimeout())
        .header("Accept", ACCEPT)
        .header("Authorization", "Bearer " + apiKey)
        .header("User-Agent", options.userAgent());
    if (range != null) b.header("Range", range);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }
    return b.build();
  }

  private HttpClient client() {
    HttpClient c = http;
    if (c == null) {
      synchronized (this) {
        if (http == null) {
          http = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
              .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        c = http;
      }
    }
    return c;
  }

  /** When Heroku says the request pool is nearly empty, leave it time to refill instead of hitting 429. */
  private void paceForRateLimit() {
    OptionalInt left = rateLimitRemaining;
    if (left.isPresent() && left.getAsInt() < LOW_REMAINING) {
      console.debug("Heroku API rate limit: " + left.getAsInt() + " requests left; pausing");
      sleep(options.baseDelay());
    }
  }

  private Duration backoff(int attempt, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) return retryAfter.get().compareTo(MAX_DELAY) > 0 ? MAX_DELAY : retryAfter.get();
    long base = options.baseDelay().toMillis() << Math.min(attempt - 1, 6);
    long jitter = base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4 + 1);
    return Duration.ofMillis(Math.min(MAX_DELAY.toMillis(), base + jitter));
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> res) {
    return res.headers().firstValue("Retry-After").map(String::strip).filter(s -> s.matches("\\d{1,6}"))
        .map(s -> Duration.ofSeconds(Long.parseLong(s)));
  }

  private static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) return;
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("flyover was cancelled while waiting to retry the Heroku API.", e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) return "timed out";
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  private HerokuApiException unexpected(String what, String expected) {
    return new HerokuApiException("Heroku's answer to " + what + " was not " + expected
        + ": check HEROKU_API_URL (it must point at the Heroku Platform API).", 0, "unexpected", null);
  }

  /** Heroku's {@code {id, message}} error, as one sentence that says which input to fix. */
  private HerokuApiException error(String what, String app, HttpResponse<String> res, int attempts) {
    int status = res.statusCode();
    String id = "";
    String message = "";
    try {
      JsonNode n = JSON.readTree(res.body());
      id = Optional.ofNullable(text(n, "id")).orElse("");
      message = Optional.ofNullable(text(n, "message")).orElse("");
    } catch (IOException | RuntimeException e) {
      // Not Heroku's JSON (a proxy's HTML page, say): the status alone must do.
    }
    message = message.replaceAll("\\s+", " ").strip();
    if (message.length() > 200) message = message.substring(0, 200) + "…";
    String heroku = "(" + status + (id.isEmpty() ? "" : " " + id) + (message.isEmpty() ? "" : ": " + stripDot(message)) + ")";
    String key = inputName.apply("heroku-api-key");
    String appInput = inputName.apply("heroku-app");
    String text;
    if (status == 401) {
      text = "Heroku rejected the API key in " + key + " " + heroku + ": set it to a valid key from"
          + " `heroku authorizations:create` (or HEROKU_API_KEY).";
    } else if (status == 404 && app != null && (id.equals("not_found") || id.isEmpty())
        && (message.isEmpty() || message.toLowerCase().contains("app"))) {
      text = "The Heroku app '" + app + "' was not found " + heroku + ": check " + appInput
          + ", and that the account of " + key + " can see that app.";
    } else if (status == 403 && id.equals("suspended")) {
      text = "The Heroku account of " + key + " is suspended " + heroku + ": sort it out with Heroku support, or use"
          + " the key of another collaborator on '" + app + "'.";
    } else if (status == 403) {
      text = "The account of " + key + " has no access to the Heroku app '" + app + "' " + heroku
          + ": use a key of a user who is a collaborator or team member with access, or fix " + appInput + ".";
    } else if (status == 429) {
      text = "Heroku's API rate limit for the account of " + key + " is used up " + heroku + ", still after "
          + attempts + " tries: wait a few minutes and re-run (Heroku refills about 75 requests a minute).";
    } else if (status >= 500) {
      text = "Heroku's API kept failing for " + what + " " + heroku + " after " + attempts
          + " tries: check https://status.heroku.com and re-run.";
    } else if (status == 406) {
      text = "Heroku refused flyover's request " + what + " " + heroku + ": check HEROKU_API_URL points at the"
          + " Heroku Platform API v3.";
    } else if (status == 402) {
      text = "Heroku refused " + what + " because the account is delinquent " + heroku
          + ": settle the account's billing on Heroku, then re-run.";
    } else {
      text = "Heroku refused " + what + " " + heroku + ".";
    }
    return new HerokuApiException(text, status, id.isEmpty() ? "http_" + status : id, null);
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
