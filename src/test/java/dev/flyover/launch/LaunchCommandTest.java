package dev.flyover.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.CliHarness;
import dev.flyover.testing.HerokuApiDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flyover launch} in a terminal: files in the working tree, never over existing ones without --overwrite. */
@Tag("integration")
class LaunchCommandTest {
  final HerokuApiDouble heroku = new HerokuApiDouble();

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    heroku.close();
  }

  CliHarness cli() {
    heroku.app("shop").region("eu").formation("web", 1, "Basic", "mix phx.server")
        .formation("worker", 1, "Standard-1X", "mix run --no-halt");
    PhoenixFixture.write(dir, true);
    return new CliHarness().env(heroku.env()).env("PWD", dir.toString()).env("HEROKU_API_KEY", HerokuApiDouble.KEY);
  }

  @Test
  void writesTheFilesAndRefusesToOverwriteThem() throws Exception {
    CliHarness c = cli();
    CliHarness.Result r = c.run("launch", "--heroku-app", "shop");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    String toml = Files.readString(dir.resolve("fly.toml"));
    assertTrue(toml.contains("primary_region = 'ams'"), toml);
    assertTrue(toml.contains("path = '/api/health'"), toml);
    assertTrue(Files.isExecutable(dir.resolve("rel/env.sh.eex")));
    assertTrue(Files.isRegularFile(dir.resolve(".github/workflows/fly-deploy.yml")));
    // the mapping as an aligned text table in a terminal, not Markdown
    assertTrue(java.util.regex.Pattern.compile("(?m)^Heroku +Fly\\.io +Why$").matcher(r.stdout()).find(), r.stdout());
    assertFalse(r.stdout().contains("| Heroku |") || r.stdout().contains("<details>") || r.stdout().contains("| --- |"), r.stdout());
    r.assertReadsAsText();

    Files.writeString(dir.resolve("fly.toml"), "# mine\n");
    CliHarness.Result again = c.run("launch", "--heroku-app", "shop");
    assertEquals(1, again.exitCode());
    assertTrue(again.stderr().contains("fly.toml") && again.stderr().contains("--overwrite"), again.stderr());
    assertEquals("# mine\n", Files.readString(dir.resolve("fly.toml")), "nothing written");

    CliHarness.Result forced = c.run("launch", "--heroku-app", "shop", "--overwrite");
    assertEquals(0, forced.exitCode(), forced.stderr());
    assertTrue(Files.readString(dir.resolve("fly.toml")).contains("app = 'shop'"));
  }

  @Test
  void dryRunPrintsAndWritesNothing() {
    CliHarness.Result r = cli().run("launch", "--heroku-app", "shop", "--fly-app", "shop-eu", "--dry-run");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue((r.stdout() + r.stderr()).contains("app = 'shop-eu'"), r.stdout() + r.stderr());
    assertFalse(Files.exists(dir.resolve("fly.toml")));
    assertFalse(Files.exists(dir.resolve("rel/env.sh.eex")));
  }

  @Test
  void aBadFlyAppNameIsOneSentence() {
    CliHarness.Result r = cli().run("launch", "--heroku-app", "shop", "--fly-app", "Shop_EU!", "--dry-run");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("--fly-app") && !r.stderr().contains("\tat "), r.stderr());
  }
}
