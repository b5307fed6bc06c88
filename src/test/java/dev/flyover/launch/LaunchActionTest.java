package dev.flyover.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.GitHubApiDouble;
import dev.flyover.testing.GitStore;
import dev.flyover.testing.HerokuApiDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when scenario of issue 12: a Phoenix app that has only a Procfile, three process types (web, worker,
 * release) on two dyno sizes in Heroku's EU region → one pull request whose fly.toml has the region, both groups
 * with release commands, the migrate release command and the sizes; a second run updates it; deploy --dry-run
 * accepts the tree; without the workflows permission the run succeeds and says what to add by hand.
 */
@Tag("integration")
class LaunchActionTest {
  static final String BRANCH = "flyover/launch";
  final HerokuApiDouble heroku = new HerokuApiDouble();
  GitHubApiDouble github = new GitHubApiDouble();
  ActionHarness action;

  @TempDir
  Path tree;

  @BeforeEach
  void setUp() throws Exception {
    heroku.app("shop").region("eu")
        .formation("web", 2, "Standard-2X", "mix phx.server")
        .formation("worker", 1, "Performance-M", "mix run --no-halt")
        .buildpack("https://github.com/HashNuke/heroku-buildpack-elixir")
        .buildpack("https://github.com/gjaldon/heroku-buildpack-phoenix-static")
        .slug(Map.of("web", "mix phx.server", "worker", "mix run --no-halt", "release", "mix ecto.migrate"), "Elixir")
        .configVar("SECRET_KEY_BASE", "s3cr3t-key-base-value-0123456789")
        .configVar("PHX_HOST", "shop.herokuapp.com")
        .configVar("DATABASE_URL", "postgres://u:pw-for-db@h:5432/d");
    action = newAction(github);
  }

  ActionHarness newAction(GitHubApiDouble gh) {
    ActionHarness a = new ActionHarness().env(heroku.env()).env("GITHUB_API_URL", gh.url())
        .input("command", "launch").input("heroku-app", "shop").input("heroku-api-key", HerokuApiDouble.KEY)
        .input("github-token", "ghs_launchtoken0000000000000000000000");
    PhoenixFixture.write(a.workspace(), false);
    Map<String, String> main = new TreeMap<>();
    for (String f : List.of("Procfile", "mix.exs", "lib/shop_web/router.ex", "config/runtime.exs")) {
      try {
        main.put(f, Files.readString(a.workspace().resolve(f)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    gh.git().seed("main", main, "Initial commit");
    return a;
  }

  @AfterEach
  void tearDown() {
    heroku.close();
    github.close();
  }

  static JsonNode toml(String text) throws Exception {
    return new TomlMapper().readTree(text);
  }

  @Test
  void opensOnePullRequestWithoutWorkflowsPermissionThenUpdatesIt() throws Exception {
    github.withoutWorkflowsPermission(404);
    ActionHarness.Result r = action.run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("success", r.outputs().get("status"));
    assertEquals("1", r.outputs().get("pull-request-number"));
    assertEquals("https://github.com/acme/shop/pull/1", r.outputs().get("pull-request-url"));
    assertEquals("fly.toml,rel/env.sh.eex", r.outputs().get("files"));

    GitStore git = github.git();
    assertEquals(List.of("Initial commit"), git.log(BRANCH).subList(1, 2), "one commit on top of main");
    assertEquals(2, git.log(BRANCH).size());
    Map<String, GitStore.Blob> files = git.files(BRANCH);
    assertFalse(files.containsKey(".github/workflows/fly-deploy.yml"), "refused by GitHub");
    assertEquals("100755", files.get("rel/env.sh.eex").mode());
    JsonNode t = toml(files.get("fly.toml").text());
    assertEquals("shop", t.path("app").asText());
    assertEquals("ams", t.path("primary_region").asText());
    assertEquals("/app/bin/server", t.path("processes").path("web").asText());
    assertEquals("/app/bin/shop start", t.path("processes").path("worker").asText());
    assertEquals("/app/bin/migrate", t.path("deploy").path("release_command").asText());
    assertEquals(8080, t.path("http_service").path("internal_port").asInt());
    assertEquals("shared-cpu-2x", t.path("vm").get(0).path("size").asText());
    assertEquals("web", t.path("vm").get(0).path("processes").get(0).asText());
    assertEquals("performance-1x", t.path("vm").get(1).path("size").asText());
    assertEquals("3072mb", t.path("vm").get(1).path("memory").asText());

    JsonNode pr = git.pulls().get(0);
    String body = pr.path("body").asText();
    assertEquals("main", pr.path("base").path("ref").asText());
    assertTrue(body.contains("`ams`") && body.contains("EU"), body);
    assertTrue(body.contains("### Add by hand") && body.contains("uses: flyover/flyover@v1"), body);
    assertTrue(body.contains("fly tokens create deploy -a shop"), body);
    assertTrue(body.contains("exclude: PHX\\_HOST") || body.contains("exclude: PHX_HOST"), body);
    assertTrue(body.contains("SECRET_KEY_BASE") || body.contains("SECRET\\_KEY\\_BASE"), "names listed");
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning") && c.data().contains("workflows")),
        "the run says what to add by hand: " + r.everything());
    assertFalse(r.everything().contains("s3cr3t-key-base-value") || body.contains("s3cr3t-key-base-value"), "never a value");
    assertFalse(r.everything().contains("pw-for-db") || body.contains("pw-for-db"), "never a value");

    // deploy --dry-run on the pull request's tree accepts the config.
    for (Map.Entry<String, GitStore.Blob> e : files.entrySet()) {
      Path p = tree.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue().bytes());
    }
    CliHarness.Result dry = new CliHarness().env("PWD", tree.toString()).run("deploy", "--dry-run");
    assertEquals(0, dry.exitCode(), dry.stdout() + dry.stderr());
    assertTrue((dry.stdout() + dry.stderr()).contains("shop"), dry.stdout() + dry.stderr());

    // A second run updates the same pull request (its description), and adds no empty commit.
    ActionHarness.Result again = action.run();
    assertEquals(0, again.exitCode(), again.everything());
    assertEquals("1", again.outputs().get("pull-request-number"));
    assertEquals(1, git.pulls().size(), "no second pull request");
    assertEquals(2, git.log(BRANCH).size(), "nothing changed, so no new commit");
  }

  @Test
  void aFileTheUserChangedOnTheBranchIsKeptUnlessOverwrite() throws Exception {
    github.withoutWorkflowsPermission(422);
    assertEquals(0, action.run().exitCode());
    String mine = github.git().files(BRANCH).get("fly.toml").text() + "\n# tuned by hand\n";
    github.git().push(BRANCH, "fly.toml", mine, "Tune fly.toml");
    heroku.app("shop").formation("clock", 1, "Standard-1X", "mix run --no-halt");
    ActionHarness.Result r = action.run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(mine, github.git().files(BRANCH).get("fly.toml").text(), "the user's edit stays");
    assertTrue(r.commands().commands().stream().anyMatch(c -> c.name().equals("warning") && c.data().contains("Kept your changes")),
        r.everything());
    String body = github.git().pulls().get(0).path("body").asText();
    assertTrue(body.contains("kept as you changed it"), body);
    assertTrue(body.contains("flyover's fly.toml, not committed") && body.contains("clock = '/app/bin/shop start'"), body);

    ActionHarness.Result forced = action.input("overwrite", "true").run();
    assertEquals(0, forced.exitCode(), forced.everything());
    String now = github.git().files(BRANCH).get("fly.toml").text();
    assertFalse(now.contains("tuned by hand"));
    assertTrue(now.contains("clock = '/app/bin/shop start'"), now);
    assertEquals(1, github.git().pulls().size());
  }

  @Test
  void withTheWorkflowsPermissionTheWorkflowIsCommitted() throws Exception {
    ActionHarness.Result r = action.run();
    assertEquals(0, r.exitCode(), r.everything());
    Map<String, GitStore.Blob> files = github.git().files(BRANCH);
    assertTrue(files.get(".github/workflows/fly-deploy.yml").text().contains("fly-app: \"shop\""));
    assertEquals("fly.toml,rel/env.sh.eex,.github/workflows/fly-deploy.yml", r.outputs().get("files"));
    assertFalse(github.git().pulls().get(0).path("body").asText().contains("### Add by hand"));
  }

  @Test
  void aBranchThatMovesMeanwhileIsCommittedOnAgain() throws Exception {
    assertEquals(0, action.run().exitCode());
    heroku.app("shop").formation("clock", 1, "Standard-1X", "mix run --no-halt");
    github.git().beforeNextRefUpdate(() -> github.git().push(BRANCH, "README.md", "hi\n", "Someone else's push"));
    ActionHarness.Result r = action.run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(github.git().files(BRANCH).containsKey("README.md"), "their push survives");
    assertTrue(github.git().files(BRANCH).get("fly.toml").text().contains("clock"));
  }

  @Test
  void dryRunChangesNothing() {
    ActionHarness.Result r = action.input("dry-run", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals(null, github.git().head(BRANCH));
    assertTrue(github.git().pulls().isEmpty());
    assertTrue(r.stdout().contains("primary_region = 'ams'"), r.stdout());
    assertTrue(r.summary().contains("| Heroku | Fly.io | Why |"), r.summary());
    assertTrue(heroku.requests().stream().allMatch(q -> q.method().equals("GET")), "Heroku is only read");
  }

  @Test
  void createsTheFlyAppInTheOrgWhenAskedAndCarriesTheGeneratedFiles() throws Exception {
    dev.flyover.testing.FlyctlDouble fly = new dev.flyover.testing.FlyctlDouble();
    fly.token("fo1_org_token_for_launch_0000000000", "org", null);
    // What `mix phx.gen.release --docker` wrote in the step before launch.
    action.file("Dockerfile", "FROM hexpm/elixir:1.17.3-erlang-27.1-debian-bookworm-20240926-slim AS builder\n")
        .file("rel/overlays/bin/server", "#!/bin/sh\ncd -P -- \"$(dirname -- \"$0\")\"\nPHX_SERVER=true exec ./shop start\n")
        .file("lib/shop/release.ex", "defmodule Shop.Release do\nend\n");
    Files.setPosixFilePermissions(action.workspace().resolve("rel/overlays/bin/server"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    ActionHarness.Result r = action.env(fly.env()).input("fly-api-token", "fo1_org_token_for_launch_0000000000")
        .input("create-app", "true").input("org", "personal").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertEquals("personal", fly.app("shop").path("org").asText());
    Map<String, GitStore.Blob> files = github.git().files(BRANCH);
    assertTrue(files.get("Dockerfile").text().startsWith("FROM hexpm/elixir"));
    assertEquals("100755", files.get("rel/overlays/bin/server").mode());
    assertTrue(files.containsKey("lib/shop/release.ex"));
    assertEquals(2, github.git().log(BRANCH).size(), "all in one commit");
    String body = github.git().pulls().get(0).path("body").asText();
    assertFalse(body.contains("fly apps create"), "the app exists now");
    assertTrue(body.contains("generated in the workflow before launch"), body);

    ActionHarness.Result again = action.run();
    assertEquals(0, again.exitCode(), again.everything());
    assertEquals(1, fly.calls("apps", "create").size(), "created once");
  }

  @Test
  void outsideTextCannotForgeWorkflowCommands() throws Exception {
    Files.delete(action.workspace().resolve("Procfile"));
    heroku.app("shop").slug(Map.of("web", "bin/server\n::error::forged by a process type", "worker", "mix run --no-halt"), "Elixir");
    ActionHarness.Result r = action.input("dry-run", "true").run();
    assertEquals(0, r.exitCode(), r.everything());
    assertTrue(r.commands().commands().stream().noneMatch(c -> c.data().startsWith("forged")), r.everything());
    assertTrue(r.stdout().contains("worker = '/app/bin/shop start'") && !r.stdout().contains("web = "), "the web command is flagged: " + r.stdout());
  }
}
