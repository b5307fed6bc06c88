package dev.flyover.heroku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.testing.HerokuApiDouble;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What launch reads: buildpacks, the running slug's process types, Private Spaces and regions. */
@Tag("integration")
class HerokuLaunchReadsTest {
  private final HerokuApiDouble heroku = new HerokuApiDouble();

  @AfterEach
  void stop() {
    heroku.close();
  }

  private HerokuClient client() {
    return HerokuClient.of(new Context(Env.of(heroku.env()), new ByteArrayOutputStream(), new ByteArrayOutputStream()),
        HerokuApiDouble.KEY);
  }

  @Test
  void buildpacksInOrderByNameOrUrl() {
    heroku.app("shop").buildpack("heroku/nodejs").buildpack("https://github.com/HashNuke/heroku-buildpack-elixir");
    assertEquals(List.of("heroku/nodejs", "https://github.com/HashNuke/heroku-buildpack-elixir"), client().buildpacks("shop"));
  }

  @Test
  void theSlugOfTheNewestRelease() {
    heroku.app("shop").slug(Map.of("web", "old"), "Elixir").slug(Map.of("web", "mix phx.server", "release", "mix ecto.migrate"), "Elixir");
    Slug s = client().currentSlug("shop").orElseThrow();
    assertEquals(Map.of("web", "mix phx.server", "release", "mix ecto.migrate"), s.processTypes());
    assertEquals("heroku-24", s.stack());
    HerokuApiDouble.Request last = heroku.requests().stream().filter(r -> r.path().endsWith("/releases")).findFirst().orElseThrow();
    assertTrue(last.header("Range").contains("order=desc"), last.header("Range"));
    heroku.app("empty");
    assertFalse(client().currentSlug("empty").isPresent(), "never built: no slug");
  }

  @Test
  void privateSpaceAndRegions() {
    heroku.space("acme-eu", "frankfurt", true).app("shop").inSpace("acme-eu");
    HerokuApp app = client().app("shop");
    assertEquals("acme-eu", app.space());
    Space s = client().space(app.space());
    assertEquals("frankfurt", s.region());
    assertTrue(s.shield());
    assertNull(client().app("shop").team());
    Region eu = client().regions().stream().filter(r -> r.name().equals("eu")).findFirst().orElseThrow();
    assertEquals("eu-west-1", eu.providerRegion());
  }
}
