package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.testing.ActionHarness;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Positional arguments built from outside data (Heroku's domain names, a config var name) come after "--", where
 * flyctl (cobra/pflag) reads no more flags.
 */
@Tag("integration")
class FlyctlPositionalsTest {
  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void domainsAndNamesComeAfterDoubleDash() {
    ActionHarness.Result r = f.action("cutover").input("set-database-url", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    Set<String> outside = Set.of("shop.example", "www.shop.example", "DATABASE_URL=-");
    int seen = 0;
    for (JsonNode c : f.fly.calls()) {
      List<String> argv = new java.util.ArrayList<>();
      c.path("argv").forEach(a -> argv.add(a.asText()));
      for (int i = 0; i < argv.size(); i++) {
        if (!outside.contains(argv.get(i))) continue;
        seen++;
        int dd = argv.indexOf("--");
        assertTrue(dd >= 0 && dd < i, "after --: " + argv);
      }
      if (argv.contains("--")) assertFalse(argv.indexOf("--json") > argv.indexOf("--"), "--json is a flag: " + argv);
    }
    assertTrue(seen >= 3, "the calls were made: " + f.fly.calls());
  }
}
