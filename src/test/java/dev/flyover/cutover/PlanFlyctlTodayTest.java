package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.testing.ActionHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The plan against flyctl as its current source behaves (issue 10 part 2): a missing app answered by the Machines
 * API (fly-go flaps_secrets.go), and more than 50 certificates (internal/command/certificates/root.go).
 */
@Tag("integration")
class PlanFlyctlTodayTest {
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  List<String> warnings(ActionHarness.Result r) {
    return r.commands().commands().stream().filter(c -> c.name().equals("warning")).map(c -> c.data()).toList();
  }

  @Test
  void aMissingAppStillReadsAsNotCreatedYet() {
    ActionHarness.Result r = f.action("plan").input("fly-app", "shop-new").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(warnings(r).stream().anyMatch(w -> w.contains("The Fly app shop-new does not exist yet")), warnings(r).toString());
    assertTrue(r.summary().contains("(does not exist yet)"), r.summary());
  }

  /** root.go lists at most 50: a domain past them is found with certs show, not added twice. */
  @Test
  void certificatesPastTheFirstFiftyAreFoundByName() {
    f.fly.edit(s -> {
      ObjectNode certs = s.with("apps").with("shop-fly").with("certs");
      for (int i = 0; i < 60; i++) {
        String host = "h" + (100 + i) + ".example.org";
        certs.putObject(host).put("hostname", host).put("status", "active").put("created_at", "2026-01-01T00:00:00Z");
      }
      for (String host : List.of("shop.example", "www.shop.example")) {
        certs.putObject(host).put("hostname", host).put("status", "active").put("created_at", "2026-01-01T00:00:00Z");
      }
    });
    ActionHarness.Result r = f.action("cutover").input("database", "skip").input("database-url", "").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(f.fly.calls("certs", "add").isEmpty(), f.fly.calls("certs").toString());
    assertTrue(r.summary().contains("every custom domain already has a Fly certificate"), r.summary());
  }
}
