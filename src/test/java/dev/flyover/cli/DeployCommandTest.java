package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.AppServer;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code flyover deploy} from a terminal. */
@Tag("integration")
class DeployCommandTest {
  static final String TOKEN = "fo1_cli_token_value";

  FlyctlDouble fly;
  Path dir;
  AppServer app;

  @BeforeEach
  void setUp() throws IOException {
    fly = new FlyctlDouble();
    fly.token(TOKEN, "org", null);
    fly.run(TOKEN, "apps", "create", "shop");
    dir = TempDirs.create("flyover-cli-app");
    Files.writeString(dir.resolve("fly.toml"), "app = \"shop\"\n[http_service]\n  internal_port = 8080\n");
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
    app = new AppServer(200);
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  CliHarness cli() {
    return new CliHarness().env(fly.env()).env("PWD", dir.toString());
  }

  @Test
  void deploysFromATerminal() {
    CliHarness.Result r = cli().env("FLY_API_TOKEN", TOKEN).run("deploy", "--health-check-url", app.url(),
        "--env", "A=1", "--env", "B=2");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("Deployed shop on Fly.io"), r.stdout());
    assertTrue(r.stderr().contains("release-version=1"), r.stderr());
    assertFalse(r.stdout().contains("::"), "no workflow commands outside Actions");
    String argv = fly.calls("deploy").get(0).path("argv").toString();
    assertTrue(argv.contains("\"--env=A=1\",\"--env=B=2\""), argv);
    assertFalse((r.stdout() + r.stderr()).contains(TOKEN));
  }

  @Test
  void dryRunNeedsNoTokenAndRunsNothing() {
    CliHarness.Result r = cli().run("deploy", "--dry-run", "--strategy", "canary", "--build-secrets", "NPM_TOKEN=npm_dry_value");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(fly.calls().stream().noneMatch(c -> c.path("argv").get(0).asText().equals("deploy")), "flyctl deploy never ran");
    assertEquals(1, fly.calls().size(), "only the setup call");
    String all = r.stdout() + r.stderr();
    assertTrue(all.contains("flyctl deploy " + dir.toAbsolutePath() + " --remote-only --app=shop --config="), all);
    assertTrue(all.contains("--strategy=canary"), all);
    assertTrue(all.contains("--build-secret=NPM_TOKEN=***"), all);
    assertFalse(all.contains("npm_dry_value"));
    assertTrue(all.contains("https://shop.fly.dev/"), all);
    assertTrue(all.contains("Deploy plan for shop"), all);
    // a terminal gets text: the command indented, not a Markdown fence
    assertTrue(r.stdout().contains("\n    flyctl deploy "), r.stdout());
    assertFalse(r.stdout().contains("```"), r.stdout());
    r.assertReadsAsText();
  }

  /**
   * A build secret too short for a runner mask (it would blank "ab" all over the job log) is not registered, and
   * flyover still never prints it: the command line shows {@code ***} in its place.
   */
  @Test
  void aShortBuildSecretIsNeitherAMaskNorPrinted() {
    dev.flyover.testing.ActionHarness.Result r = new dev.flyover.testing.ActionHarness().env(fly.env())
        .input("command", "deploy").input("dry-run", "true").input("build-secrets", "NPM_TOKEN=ab\nSENTRY_TOKEN=sntrys_long_value")
        .file("fly.toml", "app = \"shop\"\n[http_service]\n  internal_port = 8080\n").file("Dockerfile", "FROM scratch\n").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertFalse(r.commands().masks().contains("ab"), r.commands().masks().toString());
    assertTrue(r.commands().masks().contains("sntrys_long_value"), r.commands().masks().toString());
    assertTrue(r.stdout().contains("'--build-secret=NPM_TOKEN=***' '--build-secret=SENTRY_TOKEN=***'"), r.stdout());
    assertFalse(r.everything().contains("NPM_TOKEN=ab"), r.everything());
  }

  @Test
  void badStrategySpeaksOfTheOption() {
    CliHarness.Result r = cli().env("FLY_API_TOKEN", TOKEN).run("deploy", "--strategy", "fast");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("error: The --strategy option is 'fast'"), r.stderr());
  }

  @Test
  void badNumberIsAUsageError() {
    CliHarness.Result r = cli().run("deploy", "--health-check-retries", "many");
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().contains("--health-check-retries"), r.stderr());
  }

  @Test
  void noFlyTomlAndNoApp() throws IOException {
    Files.delete(dir.resolve("fly.toml"));
    CliHarness.Result r = cli().run("deploy");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("No Fly app name"), r.stderr());
  }
}
