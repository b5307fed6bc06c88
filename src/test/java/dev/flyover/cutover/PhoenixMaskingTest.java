package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One masking policy in every command, on a Phoenix app's config as Heroku holds it: the credentials are
 * registered as masks (and never shown), while settings (POOL_SIZE=10, MIX_ENV=prod, ECTO_IPV6=true,
 * WEB_CONCURRENCY=2), dyno metadata (HEROKU_APP_NAME) and the app's own domain (PHX_HOST) are not, so outputs,
 * the plan and the DNS table stay readable.
 */
@Tag("integration")
class PhoenixMaskingTest {
  /** A secret too short for a runner mask: flyover must still never print it. */
  static final String SHORT_SECRET = "Zq";

  final CutoverFixture f = new CutoverFixture();

  PhoenixMaskingTest() {
    f.heroku.app(CutoverFixture.HEROKU)
        .configVar("POOL_SIZE", "10")
        .configVar("MIX_ENV", "prod")
        .configVar("HEROKU_APP_NAME", CutoverFixture.HEROKU)
        .configVar("PHX_HOST", "www.shop.example")
        .configVar("ECTO_IPV6", "true")
        .configVar("WEB_CONCURRENCY", "2")
        .configVar("PHX_SERVER", "true")
        .configVar("SHOP_PIN", SHORT_SECRET);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  static void assertOnlySecretsAreMasks(ActionHarness.Result r) {
    List<String> masks = r.commands().masks();
    assertTrue(masks.contains(CutoverFixture.SECRET_KEY_BASE), "SECRET_KEY_BASE is a mask: " + masks);
    assertTrue(masks.contains("redis-canary-pw"), "REDIS_URL's password is a mask: " + masks);
    for (String plain : List.of("10", "prod", "shop", "www.shop.example", "true", "2", SHORT_SECRET)) {
      assertFalse(masks.contains(plain), plain + " must not be a runner mask (it would blank the whole log): " + masks);
    }
    String seen = CutoverFixture.visible(r);
    assertFalse(seen.contains(CutoverFixture.SECRET_KEY_BASE), "no secret value anywhere");
    assertFalse(seen.contains("redis-canary-pw"));
    assertFalse(seen.contains(SHORT_SECRET), "a value too short to mask is never printed by flyover");
  }

  @Test
  void thePlanStaysReadable() {
    ActionHarness.Result r = f.action("plan").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertOnlySecretsAreMasks(r);
    String s = r.summary();
    assertFalse(s.contains("***"), "nothing in the plan is masked:\n" + s);
    assertTrue(s.contains("Cutover plan: Heroku shop → Fly shop-fly"), s);
    assertTrue(s.contains("`shared-cpu-2x`, 1024 MB"), s);
  }

  @Test
  void theCutoverOutputsAndDnsTableStayReadable() {
    ActionHarness.Result r = f.action("cutover").input("set-database-url", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertOnlySecretsAreMasks(r);
    var out = r.outputs();
    assertEquals("completed", out.get("cutover-status"));
    assertEquals("true", out.get("database-verified"));
    assertTrue(out.get("image").contains("shop-fly"), "image output: " + out.get("image"));
    assertEquals("shop-fly", out.get("app-name"));
    out.forEach((k, v) -> assertFalse(v.contains("***"), k + " is masked: " + v));
    String s = r.summary();
    assertTrue(s.contains("| `CNAME` | `www.shop.example` | `shop-fly.fly.dev` |"), s);
    // The settings arrived on Fly exactly.
    var secrets = f.fly.app(CutoverFixture.FLY).path("secrets");
    assertEquals("10", secrets.path("POOL_SIZE").path("value").asText());
    assertEquals(SHORT_SECRET, secrets.path("SHOP_PIN").path("value").asText());
  }

  @Test
  void theSecretsCommandUsesTheSameRules() {
    ActionHarness.Result r = f.action("secrets").input("fly-app", CutoverFixture.FLY).input("confirm", "").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertOnlySecretsAreMasks(r);
    assertTrue(r.outputs().get("secrets-imported").contains("POOL_SIZE"), r.outputs().toString());
  }
}
