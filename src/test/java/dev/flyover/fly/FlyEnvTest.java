package dev.flyover.fly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlyEnvTest {
  @Test
  void onlyWhatFlyctlNeedsAndNoColour() {
    Map<String, String> parent = new HashMap<>();
    parent.put("PATH", "/usr/bin");
    parent.put("HOME", "/home/u");
    parent.put("LC_ALL", "C.UTF-8");
    parent.put("FLY_CONFIG_DIR", "/cfg");
    parent.put("FLY_ACCESS_TOKEN", "stale");
    parent.put("HTTPS_PROXY", "http://proxy:3128");
    parent.put("GITHUB_SHA", "abc");
    parent.put("INPUT_HEROKU-API-KEY", "hk");
    parent.put("INPUT_FLY-API-TOKEN", "tok");
    parent.put("GITHUB_TOKEN", "ghs");
    parent.put("HEROKU_API_KEY", "hk");
    parent.put("DATABASE_URL", "postgres://u:p@h/d");
    parent.put("CLICOLOR_FORCE", "1");
    Map<String, String> child = FlyEnv.forFlyctl(Env.of(parent), Optional.of("fm2_tok"));
    assertEquals("fm2_tok", child.get("FLY_API_TOKEN"));
    assertEquals("1", child.get("NO_COLOR"));
    for (String kept : new String[] {"PATH", "HOME", "LC_ALL", "FLY_CONFIG_DIR", "HTTPS_PROXY", "GITHUB_SHA"}) {
      assertTrue(child.containsKey(kept), kept);
    }
    for (String dropped : new String[] {"FLY_ACCESS_TOKEN", "INPUT_HEROKU-API-KEY", "INPUT_FLY-API-TOKEN", "GITHUB_TOKEN",
        "HEROKU_API_KEY", "DATABASE_URL", "CLICOLOR_FORCE"}) {
      assertFalse(child.containsKey(dropped), dropped);
    }
  }

  @Test
  void managedPostgresHostsNameTheirCluster() {
    assertEquals(Optional.of("abc123"), FlyProxy.mpgCluster("pgbouncer.abc123.flympg.net"));
    assertEquals(Optional.of("abc123"), FlyProxy.mpgCluster("direct.abc123.flympg.net"));
    assertEquals(Optional.empty(), FlyProxy.mpgCluster("shop-db.flycast"));
  }
}
