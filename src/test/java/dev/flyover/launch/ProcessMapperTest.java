package dev.flyover.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.heroku.Formation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Heroku commands as a release image (or a plain image without a shell) needs them, or flagged. */
class ProcessMapperTest {
  final ProcessMapper phoenix = new ProcessMapper(RepoScan.Stack.PHOENIX, Optional.of("shop"), true);
  final ProcessMapper rails = new ProcessMapper(RepoScan.Stack.RAILS, Optional.empty(), false);

  @Test
  void phoenixCommandsBecomeReleaseCommands() {
    assertEquals(Optional.of("/app/bin/server"), phoenix.rewrite("web", "mix phx.server").command());
    assertEquals(Optional.of("/app/bin/server"), phoenix.rewrite("web", "MIX_ENV=prod elixir --sname x -S mix phx.server").command());
    assertEquals(Optional.of("/app/bin/shop start"), phoenix.rewrite("worker", "mix run --no-halt").command());
    assertEquals(Optional.of("/app/bin/migrate"), phoenix.rewriteRelease("mix ecto.migrate").command());
    assertEquals(Optional.of("bin/shop start"), phoenix.rewrite("worker", "bin/shop start").command());
  }

  @Test
  void mixTasksAReleaseCannotRunAreFlagged() {
    ProcessMapper.Rewrite r = phoenix.rewrite("mailer", "mix mailer.drain");
    assertTrue(r.command().isEmpty());
    assertTrue(r.why().contains("/app/bin/shop eval"), r.why());
    assertTrue(phoenix.rewriteRelease("mix ecto.migrate && mix run priv/repo/seeds.exs").command().isEmpty());
    assertTrue(new ProcessMapper(RepoScan.Stack.PHOENIX, Optional.empty(), true).rewrite("web", "mix phx.server").command().isEmpty(),
        "no release name, no command");
  }

  @Test
  void shellSyntaxRunsUnderShBecauseFlyHasNoShell() {
    assertEquals(Optional.of("bundle exec puma -C config/puma.rb"), rails.rewrite("web", "bundle exec puma -C config/puma.rb").command());
    assertEquals(Optional.of("/bin/sh -c 'bin/rails server -p $PORT'"), rails.rewrite("web", "bin/rails server -p $PORT").command());
    assertTrue(rails.rewrite("web", "echo 'hi' && bin/rails s").command().isEmpty(), "a single quote cannot be wrapped");
    assertEquals(Optional.of("/bin/sh -c 'bin/rails db:migrate && bin/rails db:seed'"),
        rails.rewriteRelease("bin/rails db:migrate && bin/rails db:seed").command());
  }

  @Test
  void groupsFollowTheFormation() {
    Map<String, String> procfile = new LinkedHashMap<>();
    procfile.put("worker", "mix run --no-halt");
    procfile.put("web", "mix phx.server");
    procfile.put("console", "iex -S mix");
    procfile.put("release", "mix ecto.migrate");
    List<Formation> formation = List.of(new Formation("1", "web", 2, "Standard-2X", null),
        new Formation("2", "worker", 1, "Private-M", null), new Formation("3", "console", 0, "Basic", null),
        new Formation("4", "clock", 1, "Huge-9X", "mix run --no-halt"));
    ProcessMapper.Result r = phoenix.map(procfile, formation);
    assertEquals(List.of("web", "worker", "clock"), r.groups().stream().map(ProcessMapper.Group::name).toList());
    assertEquals("performance-1x", r.groups().get(1).vm().orElseThrow().flySize());
    assertTrue(r.groups().get(2).vm().isEmpty());
    assertTrue(r.warnings().get(0).contains("Huge-9X"), r.warnings().toString());
    assertEquals("console", r.left().get(0).name());
    assertEquals(Optional.of("/app/bin/migrate"), r.release().orElseThrow().command());
  }

  @Test
  void shlexSplitsAsFlyctlDoes() {
    assertEquals(Optional.of(List.of("sh", "-c", "a $B && c")), Shlex.split("sh -c 'a $B && c'"));
    assertEquals(Optional.of(List.of("a b", "c\"d")), Shlex.split("\"a b\" c\\\"d"));
    assertTrue(Shlex.split("echo 'unclosed").isEmpty());
    assertTrue(Shlex.split("trailing\\").isEmpty());
  }

  @Test
  void everyRegionIsExplainedAndUnknownOnesAreNotGuessed() {
    for (RegionMap.Choice c : RegionMap.table().values()) {
      assertTrue(c.flyRegion().matches("[a-z]{3}"), c.toString());
      assertTrue(c.why().contains(c.flyRegion()) && c.why().length() > 40, "explained: " + c);
      assertTrue(FlyTomlWriter.SIZES.size() > 0);
    }
    assertEquals("ams", RegionMap.forHeroku("EU").orElseThrow().flyRegion());
    assertTrue(RegionMap.forHeroku("atlantis").isEmpty());
  }
}
