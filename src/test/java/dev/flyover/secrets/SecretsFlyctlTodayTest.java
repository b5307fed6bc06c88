package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.HerokuApiDouble;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Secrets against flyctl as its current source behaves (issue 10 part 2): store-then-restart
 * (internal/command/secrets/set.go), the Machines API's text for a missing app (fly-go flaps_secrets.go), and the
 * allow-listed, colourless child environment (issue 9 part 6).
 */
@Tag("integration")
class SecretsFlyctlTodayTest {
  static final String FLY_TOKEN = "fo1_canaryflytoken0123456789";
  private HerokuApiDouble heroku;
  private FlyctlDouble fly;

  @BeforeEach
  void setUp() {
    heroku = new HerokuApiDouble();
    fly = new FlyctlDouble();
    // In an order of their own: messages follow the plan, which follows the config vars as Heroku lists them.
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("SECRET_KEY_BASE", "skb-canary-0123456789");
    vars.put("RAILS_ENV", "production");
    heroku.app("shop").configVars(vars);
    fly.edit(s -> {
      ObjectNode app = s.with("apps").putObject("shop-fly").put("name", "shop-fly").put("deployed", true);
      app.putArray("machines").addObject().put("id", "148ed726c12358");
    });
  }

  @AfterEach
  void tearDown() {
    heroku.close();
  }

  private ActionHarness action() {
    return new ActionHarness().env(heroku.env()).env(fly.env()).input("command", "secrets")
        .input("heroku-app", "shop").input("heroku-api-key", HerokuApiDouble.KEY)
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN);
  }

  @Test
  void aFailedRestartSaysTheValuesAreStored() {
    fly.fault("secrets import", Map.of("mode", "restart-fails"));
    ActionHarness.Result r = action().input("stage", "false").run();
    assertEquals(1, r.exitCode(), r.everything());
    String error = r.commands().errors().get(0);
    assertTrue(error.contains("SECRET_KEY_BASE, RAILS_ENV were set"), "in plan order: " + error);
    assertTrue(error.contains("stored on Fly but the machines did not restart") && error.contains("fly secrets deploy -a shop-fly"), error);
    assertEquals(2, fly.app("shop-fly").path("secrets").size());
  }

  @Test
  void aRefusedUpdateSaysNothingWasStored() {
    fly.fault("secrets import", Map.of("mode", "update-fails"));
    ActionHarness.Result r = action().input("stage", "false").run();
    assertEquals(1, r.exitCode(), r.everything());
    String error = r.commands().errors().get(0);
    assertTrue(error.contains("nothing was set") && !error.contains("stored on Fly"), error);
    assertEquals(0, fly.app("shop-fly").path("secrets").size());
  }

  @Test
  void aMissingAppIsNamedEvenWithColourForcedAndNoInputReachesFlyctl() {
    ActionHarness.Result r = action().input("fly-app", "shop-gone").env("CLICOLOR_FORCE", "1")
        .env("GITHUB_TOKEN", "ghs_canary_token").env("DATABASE_URL", "postgres://u:p@h/db").run();
    assertEquals(1, r.exitCode(), r.everything());
    String error = r.commands().errors().get(0);
    assertTrue(error.contains("The Fly app shop-gone does not exist"), error);
    for (JsonNode c : fly.calls()) {
      List<String> names = new ArrayList<>();
      c.path("env").forEach(n -> names.add(n.asText()));
      assertTrue(names.contains("NO_COLOR"), names.toString());
      assertFalse(names.stream().anyMatch(n -> n.startsWith("INPUT_") || n.equals("CLICOLOR_FORCE")
          || n.equals("GITHUB_TOKEN") || n.equals("DATABASE_URL")), names.toString());
    }
  }
}
