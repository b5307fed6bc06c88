package dev.flyover.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.fly.FlyToml;
import dev.flyover.heroku.Formation;
import dev.flyover.heroku.HerokuApp;
import dev.flyover.heroku.Space;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan and fly.toml for a Phoenix app that has only ever run on Heroku. */
class LaunchPlanTest {
  @TempDir
  Path dir;

  static HerokuFacts facts(String region, Map<String, String> vars) {
    HerokuApp app = new HerokuApp("id", "shop", false, "https://shop.herokuapp.com/", region, "heroku-24", "cedar", null, null);
    List<Formation> formation = List.of(new Formation("1", "web", 2, "Standard-2X", "mix phx.server"),
        new Formation("2", "worker", 1, "Standard-1X", "mix run --no-halt"),
        new Formation("3", "release", 0, "Standard-1X", "mix ecto.migrate"));
    return new HerokuFacts(app, Optional.empty(), Optional.empty(), formation, List.of("hashnuke/elixir", "https://github.com/gjaldon/heroku-buildpack-phoenix-static"),
        Optional.empty(), List.copyOf(vars.keySet()), Map.of());
  }

  @Test
  void phoenixOnHerokuEu() throws Exception {
    PhoenixFixture.write(dir, false);
    LaunchPlan p = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir),
        facts("eu", Map.of("SECRET_KEY_BASE", "x", "PHX_HOST", "shop.herokuapp.com")), Optional.empty());
    String toml = p.file("fly.toml").orElseThrow().content();
    assertEquals(List.of(), FlyTomlWriter.check(toml, p));
    Path f = dir.resolve("fly.toml");
    Files.writeString(f, toml);
    FlyToml read = FlyToml.read(f);
    assertEquals(Optional.of("ams"), read.primaryRegion());
    assertEquals(Map.of("web", "/app/bin/server", "worker", "/app/bin/shop start"), read.processes());
    assertEquals(Optional.of("/app/bin/migrate"), read.releaseCommand());
    assertEquals(Optional.of(8080), read.internalPort());
    assertEquals("shared-cpu-2x", read.root().path("vm").get(0).path("size").asText());
    assertEquals("1024mb", read.root().path("vm").get(0).path("memory").asText());
    assertEquals("worker", read.root().path("vm").get(1).path("processes").get(0).asText());
    assertFalse(read.root().path("http_service").has("checks"), "no check on a path that does not exist");
    assertTrue(p.warnings().stream().anyMatch(w -> w.contains("PHX_HOST") && w.contains("exclude: PHX_HOST")), p.warnings().toString());
    assertTrue(p.warnings().stream().anyMatch(w -> w.contains("No health check route")), p.warnings().toString());
    assertTrue(p.file("rel/env.sh.eex").orElseThrow().content().contains("-proto_dist inet6_tcp"));
    assertTrue(p.nextSteps().stream().anyMatch(s -> s.contains("mix phx.gen.release --docker")));
    assertTrue(p.mapping().stream().anyMatch(r -> r.fly().contains("ams") && r.why().contains("EU")));
  }

  @Test
  void healthRouteIsUsedWhenTheRouterHasOne() throws Exception {
    PhoenixFixture.write(dir, true);
    LaunchPlan p = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), facts("us", Map.of()), Optional.empty());
    assertEquals(Optional.of("/api/health"), p.healthPath());
    String toml = p.file("fly.toml").orElseThrow().content();
    assertTrue(toml.contains("path = '/api/health'"), toml);
    assertTrue(toml.contains("primary_region = 'iad'"), toml);
    assertEquals(List.of(), FlyTomlWriter.check(toml, p));
    assertFalse(toml.contains("X-Forwarded-Proto"), toml);

    // An app that redirects to HTTPS gets the header Heroku's router would have sent.
    Files.writeString(dir.resolve("config/prod.exs"), "config :shop, ShopWeb.Endpoint, force_ssl: [rewrite_on: [:x_forwarded_proto]]\n");
    LaunchPlan ssl = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), facts("us", Map.of()), Optional.empty());
    String sslToml = ssl.file("fly.toml").orElseThrow().content();
    assertTrue(sslToml.contains("headers.X-Forwarded-Proto = 'https'") || sslToml.contains("X-Forwarded-Proto = 'https'"), sslToml);
    assertEquals(List.of(), FlyTomlWriter.check(sslToml, ssl));
  }

  @Test
  void unknownRegionIsAQuestionNotADefault() {
    PhoenixFixture.write(dir, false);
    HerokuFacts base = facts("atlantis", Map.of());
    HerokuFacts h = new HerokuFacts(base.app(), base.space(), Optional.of(new dev.flyover.heroku.Region("atlantis", "Atlantis",
        "sea-floor-1", true)), base.formation(), base.buildpacks(), base.slug(), base.configVarNames(), base.leftBehind());
    LaunchPlan p = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), h, Optional.empty());
    assertTrue(p.region().isEmpty());
    assertFalse(p.file("fly.toml").orElseThrow().content().contains("primary_region ="));
    assertTrue(p.questions().get(0).contains("atlantis") && p.questions().get(0).contains("sea-floor-1"), p.questions().toString());
  }

  @Test
  void privateSpaceRegionWins() {
    PhoenixFixture.write(dir, false);
    HerokuFacts base = facts("frankfurt", Map.of());
    HerokuFacts h = new HerokuFacts(base.app(), Optional.of(new Space("acme-eu", "frankfurt", false)),
        Optional.of(new dev.flyover.heroku.Region("frankfurt", "Frankfurt, Germany", "eu-central-1", true)), base.formation(),
        base.buildpacks(), base.slug(), base.configVarNames(), base.leftBehind());
    LaunchPlan p = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), h, Optional.empty());
    assertEquals("fra", p.region().orElseThrow().flyRegion());
    assertTrue(p.mapping().stream().anyMatch(r -> r.heroku().contains("Private Space `acme-eu`")));
    assertTrue(p.warnings().stream().noneMatch(w -> w.contains("cloud region")), "the table agrees with Heroku");
    HerokuFacts moved = new HerokuFacts(h.app(), h.space(), Optional.of(new dev.flyover.heroku.Region("frankfurt", "Frankfurt",
        "eu-central-2", true)), h.formation(), h.buildpacks(), h.slug(), h.configVarNames(), h.leftBehind());
    assertTrue(LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), moved, Optional.empty()).warnings().stream()
        .anyMatch(w -> w.contains("eu-central-2")));
  }

  @Test
  void theCheckCatchesWhatFlyctlWouldRefuse() {
    PhoenixFixture.write(dir, true);
    LaunchPlan p = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), facts("eu", Map.of()), Optional.empty());
    String good = p.file("fly.toml").orElseThrow().content();
    assertEquals(List.of(), FlyTomlWriter.check(good, p));
    assertTrue(FlyTomlWriter.check(good.replace("processes = ['web']\n\n[[http_service.checks]]", "processes = ['app']\n\n[[http_service.checks]]"), p)
        .stream().anyMatch(x -> x.contains("'app'")));
    assertTrue(FlyTomlWriter.check(good.replace("size = 'shared-cpu-2x'", "size = 'shared-cpu-3x'"), p)
        .stream().anyMatch(x -> x.contains("shared-cpu-3x")));
    assertTrue(FlyTomlWriter.check(good.replace("memory = '1024mb'", "memory = '0mb'"), p).stream().anyMatch(x -> x.contains("0mb")));
    assertTrue(FlyTomlWriter.check(good.replace("interval = '30s'", "interval = '2m'"), p).stream().anyMatch(x -> x.contains("interval")));
    assertTrue(FlyTomlWriter.check(good.replace("web = '/app/bin/server'", "web = '/app/bin/server \"unclosed'"), p)
        .stream().anyMatch(x -> x.contains("web")));
    assertTrue(FlyTomlWriter.check("app = [", p).get(0).contains("does not read back"));
  }

  @Test
  void theDeployWorkflowPassesOnlyInputsTheActionDeclares() throws Exception {
    PhoenixFixture.write(dir, false);
    LaunchPlan p = LaunchPlan.of("shop", Optional.empty(), RepoScan.of(dir), facts("eu", Map.of()), Optional.of("apps/shop"));
    String yml = p.file(LaunchPlan.WORKFLOW_PATH).orElseThrow().content();
    com.fasterxml.jackson.databind.JsonNode wf = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yml);
    com.fasterxml.jackson.databind.JsonNode with = wf.path("jobs").path("deploy").path("steps").get(1).path("with");
    with.fieldNames().forEachRemaining(k -> assertTrue(dev.flyover.testing.ActionHarness.manifest().input(k).isPresent(), k));
    assertEquals("apps/shop", with.path("working-directory").asText());
    assertEquals("${{ secrets.FLY_API_TOKEN }}", with.path("fly-api-token").asText());
  }
}
