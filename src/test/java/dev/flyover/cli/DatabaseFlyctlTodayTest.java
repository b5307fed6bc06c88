package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.FlyctlDouble;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * internal/command/proxy/proxy.go: with neither an app nor --org, flyctl proxy asks for the organization, which
 * fails without a terminal once the token sees more than a personal org. flyover asks for the app first.
 */
@Tag("integration")
class DatabaseFlyctlTodayTest {
  @Test
  void aPrivateTargetWithoutAnAppIsOneSentenceAndNoProxy() {
    FlyctlDouble fly = new FlyctlDouble();
    fly.edit(s -> s.putArray("orgs").add(s.objectNode().put("slug", "personal").put("name", "Me").put("type", "PERSONAL"))
        .add(s.objectNode().put("slug", "acme").put("name", "Acme").put("type", "SHARED")));
    ActionHarness.Result r = new ActionHarness().env(fly.env()).input("command", "database").input("fly-api-token", "fo-tok")
        .input("heroku-database-url", "postgres://u:src-pw-canary-1@127.0.0.1:5432/src")
        .input("database-url", "postgres://u:dst-pw-canary-2@shop-db.flycast:5432/shop").run();
    assertEquals(1, r.exitCode(), r.everything());
    String error = r.commands().errors().get(0);
    assertTrue(error.contains("shop-db.flycast is on Fly's private network") && error.contains("fly-app input"), error);
    assertEquals(0, fly.calls("proxy").size(), fly.calls().toString());
  }
}
