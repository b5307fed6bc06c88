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
 * The plan's suggested [processes] entries are commands the image can run (the launch flow's ProcessMapper: a
 * Phoenix release has no mix), flagged when they cannot be mapped; and a cutover that completes while a process
 * Heroku ran has no Fly group says so first, in the summary and the log.
 */
@Tag("integration")
class PlanProcessesTest {
  static final String MIX_EXS = """
      defmodule Shop.MixProject do
        use Mix.Project
        def project, do: [app: :shop, version: "0.1.0", deps: deps()]
        defp deps, do: [{:phoenix, "~> 1.7"}, {:ecto_sql, "~> 3.10"}, {:postgrex, ">= 0.0.0"}]
      end
      """;
  static final String WEB_ONLY = "app = \"shop-fly\"\nprimary_region = \"ams\"\n\n[processes]\n  web = \"/app/bin/server\"\n";

  final CutoverFixture f = new CutoverFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  ActionHarness phoenix(String command, String procfile) {
    return f.action(command).file("mix.exs", MIX_EXS).file("fly.toml", WEB_ONLY).file("Procfile", procfile);
  }

  static String workerWarning(ActionHarness.Result r) {
    return r.commands().warnings().stream().filter(w -> w.contains("`worker` process")).findFirst()
        .orElseThrow(() -> new AssertionError(r.commands().warnings().toString()));
  }

  @Test
  void aReleaseWorkerIsSuggestedAsTheReleaseCommand() {
    ActionHarness.Result r = phoenix("plan", "web: mix phx.server\nworker: mix run --no-halt\nrelease: mix ecto.migrate\n").run();
    assertEquals(0, r.exitCode(), r.everything());
    String w = workerWarning(r);
    assertTrue(w.contains("add worker = \"/app/bin/shop start\" under [processes]"), w);
    assertFalse(w.contains("worker = \"mix run --no-halt\""), "no mix in a release: " + w);
    String release = r.commands().warnings().stream().filter(x -> x.contains("release phase")).findFirst().orElseThrow();
    assertTrue(release.contains("release_command = \"/app/bin/migrate\""), release);
  }

  @Test
  void aMixTaskThatCannotBeMappedIsFlagged() {
    ActionHarness.Result r = phoenix("plan", "web: mix phx.server\nworker: mix shop.consume --queue default\n").run();
    assertEquals(0, r.exitCode(), r.everything());
    String w = workerWarning(r);
    assertTrue(w.contains("command `mix shop.consume --queue default` cannot be mapped for the image"), w);
    assertTrue(w.contains("needs mix, which a release does not have"), w);
  }

  @Test
  void aCutoverWithoutTheWorkerGroupSaysSoFirst() {
    ActionHarness.Result r = phoenix("cutover", "web: bin/server\nworker: bin/worker\n").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("completed", r.outputs().get("cutover-status"));
    String s = r.summary();
    int callout = s.indexOf("> [!WARNING]\n> **Heroku's worker process does not run on Fly");
    assertTrue(callout > 0, s);
    assertTrue(callout < s.indexOf("| Steps completed |"), "before the facts and steps:\n" + s);
    List<String> last = r.commands().warnings();
    assertTrue(last.get(last.size() - 1).startsWith("The cutover completed, but Heroku's worker process does not run on Fly"),
        last.toString());
  }
}
