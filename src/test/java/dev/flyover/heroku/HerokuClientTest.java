package dev.flyover.heroku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.testing.HerokuApiDouble;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class HerokuClientTest {
  private final HerokuApiDouble heroku = new HerokuApiDouble();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    heroku.close();
  }

  private HerokuClient client(String key) {
    Map<String, String> env = new HashMap<>(heroku.env());
    Context ctx = new Context(Env.of(env), out, out);
    ctx.actionMode(true);
    return HerokuClient.of(ctx, key);
  }

  private HerokuClient client() {
    return client(HerokuApiDouble.KEY);
  }

  @Test
  void readsAnAppWithTheV3HeadersAndBearerKey() {
    heroku.app("shop").maintenance = true;
    HerokuApp app = client().app("shop");
    assertEquals("shop", app.name());
    assertTrue(app.maintenance());
    assertEquals("us", app.region());
    assertEquals("heroku-24", app.stack());
    HerokuApiDouble.Request r = heroku.requests().get(0);
    assertEquals("GET", r.method());
    assertEquals("/apps/shop", r.path());
    assertEquals("application/vnd.heroku+json; version=3", r.header("Accept"));
    assertEquals("Bearer " + HerokuApiDouble.KEY, r.header("Authorization"));
    assertTrue(r.header("User-Agent").startsWith("flyover/"));
  }

  @Test
  void configVarsKeepHerokusOrderAndExactValues() {
    heroku.app("shop").configVar("B", "two\nlines\r\n").configVar("A", "").configVar("C", " spaced ");
    Map<String, String> vars = client().configVars("shop");
    assertEquals(List.of("B", "A", "C"), List.copyOf(vars.keySet()));
    assertEquals("two\nlines\r\n", vars.get("B"));
    assertEquals("", vars.get("A"));
    assertEquals(" spaced ", vars.get("C"));
  }

  @Test
  void badKeyIsOneSentenceNamingTheInput() {
    heroku.app("shop");
    HerokuApiException e = assertThrows(HerokuApiException.class, () -> client("wrong-key").configVars("shop"));
    assertEquals(401, e.status());
    assertEquals("unauthorized", e.errorId());
    assertTrue(e.getMessage().startsWith("Heroku rejected the API key in heroku-api-key (401 unauthorized: Invalid credentials provided)"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-key"));
  }

  @Test
  void missingKeyIsAUserError() {
    UserError e = assertThrows(UserError.class, () -> client(" "));
    assertTrue(e.getMessage().contains("heroku-api-key"), e.getMessage());
  }

  @Test
  void unknownAppNamesTheAppInput() {
    HerokuApiException e = assertThrows(HerokuApiException.class, () -> client().app("nope"));
    assertEquals(404, e.status());
    assertEquals("The Heroku app 'nope' was not found (404 not_found: Couldn't find that app): check heroku-app,"
        + " and that the account of heroku-api-key can see that app.", e.getMessage());
  }

  @Test
  void forbiddenAppSaysNoAccess() {
    heroku.app("shop");
    heroku.forbid("other-key", "shop");
    HerokuApiException e = assertThrows(HerokuApiException.class, () -> client("other-key").configVars("shop"));
    assertEquals(403, e.status());
    assertTrue(e.getMessage().startsWith("The account of heroku-api-key has no access to the Heroku app 'shop'"), e.getMessage());
  }

  @Test
  void rateLimitEndsInOneSentenceAfterRetries() {
    heroku.app("shop");
    heroku.rateLimit(0);
    HerokuApiException e = assertThrows(HerokuApiException.class, () -> client().configVars("shop"));
    assertEquals(429, e.status());
    assertEquals("rate_limit", e.errorId());
    assertTrue(e.getMessage().startsWith("Heroku's API rate limit for the account of heroku-api-key is used up (429 rate_limit:"), e.getMessage());
    assertTrue(e.getMessage().contains("after 5 tries"), e.getMessage());
    assertEquals(5, heroku.requests().size());
  }

  @Test
  void retriesRateLimitAndServerErrorsThenSucceeds() {
    heroku.app("shop").configVar("A", "1");
    heroku.retryAfter("0").failNext(2, 429).failRequest(3, 503);
    HerokuClient c = client();
    assertEquals(Map.of("A", "1"), c.configVars("shop"));
    assertEquals(4, heroku.requests().size());
    assertEquals(heroku.rateLimitRemaining(), c.rateLimitRemaining().getAsInt());
  }

  @Test
  void serverErrorsThatPersistEndInOneSentence() {
    heroku.app("shop");
    heroku.failNext(10, 503);
    HerokuApiException e = assertThrows(HerokuApiException.class, () -> client().app("shop"));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().startsWith("Heroku's API kept failing for GET /apps/shop (503 unavailable"), e.getMessage());
  }

  @Test
  void rateLimitRemainingDecrements() {
    heroku.app("shop");
    heroku.rateLimit(100);
    HerokuClient c = client();
    c.app("shop");
    assertEquals(99, c.rateLimitRemaining().getAsInt());
    c.app("shop");
    assertEquals(98, c.rateLimitRemaining().getAsInt());
  }

  @Test
  void listsFollowNextRange() {
    HerokuApiDouble.App app = heroku.app("shop");
    for (int i = 0; i < 4; i++) app.domain("www" + i + ".example.com", "custom");
    heroku.pageSize(2);
    List<Domain> domains = client().domains("shop");
    assertEquals(5, domains.size());
    assertEquals(1, domains.stream().filter(d -> d.kind().equals("heroku")).count());
    assertTrue(domains.stream().filter(Domain::custom).allMatch(d -> d.cname().endsWith(".herokudns.com")));
    List<HerokuApiDouble.Request> reqs = heroku.requests();
    assertEquals(3, reqs.size());
    assertEquals(null, reqs.get(0).header("Range"));
    assertTrue(reqs.get(1).header("Range").startsWith("id ]"), reqs.get(1).header("Range"));
  }

  @Test
  void maintenanceOnAndOff() {
    heroku.app("shop");
    HerokuClient c = client();
    assertTrue(c.setMaintenance("shop", true).maintenance());
    assertTrue(heroku.app("shop").maintenance);
    HerokuApiDouble.Request r = heroku.requests().get(0);
    assertEquals("PATCH", r.method());
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals("{\"maintenance\":true}", r.body());
    assertFalse(c.setMaintenance("shop", false).maintenance());
    assertFalse(c.app("shop").maintenance());
  }

  @Test
  void formationReadAndScaledInOneBatch() throws Exception {
    heroku.app("shop").formation("web", 2, "Standard-1X", "bundle exec puma").formation("worker", 1, "Basic", "bundle exec sidekiq");
    HerokuClient c = client();
    List<Formation> f = c.formation("shop");
    assertEquals(2, f.size());
    Formation web = f.stream().filter(x -> x.type().equals("web")).findFirst().orElseThrow();
    assertEquals(2, web.quantity());
    assertEquals("Standard-1X", web.size());
    assertEquals("bundle exec puma", web.command());
    List<Formation> changed = c.scaleFormation("shop",
        List.of(FormationUpdate.quantity("web", 0), new FormationUpdate("worker", 0, "Standard-2X")));
    assertEquals(2, changed.size());
    assertEquals(1, heroku.requests().stream().filter(r -> r.method().equals("PATCH")).count());
    JsonNode body = new ObjectMapper().readTree(heroku.requests().get(1).body());
    assertEquals(0, body.path("updates").get(0).path("quantity").asInt());
    assertEquals("Standard-2X", body.path("updates").get(1).path("dyno_size").path("name").asText());
    Map<String, Formation> now = new HashMap<>();
    c.formation("shop").forEach(x -> now.put(x.type(), x));
    assertEquals(0, now.get("web").quantity());
    assertEquals(0, now.get("worker").quantity());
    assertEquals("Standard-2X", now.get("worker").size());
  }

  @Test
  void unknownProcessTypeIsRefused() {
    heroku.app("shop").formation("web", 1, "Basic", "x");
    HerokuApiException e = assertThrows(HerokuApiException.class,
        () -> client().scaleFormation("shop", List.of(FormationUpdate.quantity("clock", 0))));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("formation"), e.getMessage());
  }

  @Test
  void addonsAndAttachments() {
    heroku.app("shop").addon("heroku-postgresql", "essential-0", "DATABASE", "URL")
        .addon("heroku-redis", "mini", "REDIS", "URL", "TLS_URL").addon("papertrail", "choklad", "PAPERTRAIL", "API_TOKEN");
    HerokuClient c = client();
    List<Addon> addons = c.addons("shop");
    assertEquals(3, addons.size());
    Addon pg = addons.stream().filter(Addon::postgres).findFirst().orElseThrow();
    assertEquals(List.of("DATABASE_URL"), pg.configVars());
    assertEquals("heroku-postgresql:essential-0", pg.plan());
    assertEquals("shop", pg.app());
    List<AddonAttachment> at = c.addonAttachments("shop");
    assertEquals(3, at.size());
    AddonAttachment redis = at.stream().filter(a -> a.name().equals("REDIS")).findFirst().orElseThrow();
    assertEquals("REDIS_", redis.configVarPrefix());
    assertTrue(addons.stream().anyMatch(a -> a.id().equals(redis.addonId()) && a.service().equals("heroku-redis")));
  }

  @Test
  void unreachableApiSaysSo() {
    Map<String, String> env = Map.of("HEROKU_API_URL", "http://127.0.0.1:1", "FLYOVER_HTTP_BACKOFF_MS", "0");
    HerokuClient c = HerokuClient.of(new Context(Env.of(env), out, out), HerokuApiDouble.KEY);
    HerokuApiException e = assertThrows(HerokuApiException.class, () -> c.app("shop"));
    assertEquals(0, e.status());
    assertTrue(e.getMessage().startsWith("Could not reach the Heroku API at http://127.0.0.1:1"), e.getMessage());
  }

  @Test
  void keyNeverPrinted() {
    heroku.app("shop");
    assertThrows(HerokuApiException.class, () -> client().app("nope"));
    assertFalse(out.toString().contains(HerokuApiDouble.KEY));
  }

  // ------------------------------------------------------------ the double itself, as Heroku behaves

  private static HttpResponse<String> raw(String url, String method, String accept, String auth, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (accept != null) b.header("Accept", accept);
    if (auth != null) b.header("Authorization", auth);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void doubleRequiresTheV3AcceptHeader() throws Exception {
    heroku.app("shop");
    HttpResponse<String> r = raw(heroku.url() + "/apps/shop", "GET", "application/json", "Bearer " + HerokuApiDouble.KEY, null);
    assertEquals(406, r.statusCode());
    assertTrue(r.body().contains("\"not_acceptable\""));
    HttpResponse<String> noAuth = raw(heroku.url() + "/apps/shop", "GET", HerokuClient.ACCEPT, null, null);
    assertEquals(401, noAuth.statusCode());
    assertTrue(noAuth.headers().firstValue("RateLimit-Remaining").isPresent());
  }

  @Test
  void doubleAcceptsTheCliFormationForm() throws Exception {
    heroku.app("shop").formation("web", 2, "Standard-1X", "x");
    HttpResponse<String> r = raw(heroku.url() + "/apps/shop/formation", "PATCH", HerokuClient.ACCEPT,
        "Bearer " + HerokuApiDouble.KEY, "{\"updates\":[{\"type\":\"web\",\"quantity\":\"0\",\"size\":\"Basic\"}]}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode web = heroku.app("shop").formation().get(0);
    assertEquals(0, web.path("quantity").asInt());
    assertEquals("Basic", web.path("size").asText());
    HttpResponse<String> bad = raw(heroku.url() + "/apps/shop/formation", "PATCH", HerokuClient.ACCEPT,
        "Bearer " + HerokuApiDouble.KEY, "{\"updates\":[{\"type\":\"web\",\"quantity\":\"many\"}]}");
    assertEquals(422, bad.statusCode());
  }
}
