package dev.flyover.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the repository says, and the build advice that follows: a generator named, never a Dockerfile invented. */
class RepoScanTest {
  @TempDir
  Path dir;

  @Test
  void procfileAsHerokuReadsIt() {
    assertEquals(Map.of("web", "bundle exec puma -C config/puma.rb", "worker", "bundle exec sidekiq"),
        Procfile.parse("# comment\nweb: bundle exec puma -C config/puma.rb\n\nworker:   bundle exec sidekiq  \nnot a line\n"));
  }

  @Test
  void railsWithAnUpRouteAndNoDockerfile() throws Exception {
    Files.writeString(dir.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\ngem \"sidekiq\"\n");
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config/routes.rb"), "Rails.application.routes.draw do\n  get \"up\" => \"rails/health#show\", as: :rails_health_check\nend\n");
    RepoScan r = RepoScan.of(dir);
    assertEquals(RepoScan.Stack.RAILS, r.stack());
    assertEquals(Optional.of("/up"), r.healthPath());
    BuildAdvice b = BuildAdvice.of(r);
    assertTrue(b.steps().get(0).contains("dockerfile-rails"), b.steps().toString());
    assertTrue(b.envShEex().isEmpty());
  }

  @Test
  void nodeNamesFlysGeneratorAndAnUnknownStackGetsNoDockerfile() throws Exception {
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"shop\"}");
    assertTrue(BuildAdvice.of(RepoScan.of(dir)).steps().get(0).contains("@flydotio/dockerfile"));
    Files.delete(dir.resolve("package.json"));
    BuildAdvice unknown = BuildAdvice.of(RepoScan.of(dir));
    assertTrue(unknown.summary().contains("no generator"), unknown.summary());
    assertTrue(unknown.generatedPaths().isEmpty(), "nothing carried for a stack flyover cannot build");
  }

  @Test
  void anExistingDockerfileIsUsedAndItsPortChecked() throws Exception {
    PhoenixFixture.write(dir, false);
    Files.writeString(dir.resolve("Dockerfile"), "FROM debian\nEXPOSE 4000\nCMD [\"/app/bin/server\"]\n");
    RepoScan r = RepoScan.of(dir);
    assertTrue(r.dockerfile());
    assertEquals(List.of("4000"), r.dockerExposes());
    assertTrue(BuildAdvice.of(r).steps().isEmpty());
  }

  @Test
  void envShEexWithoutTheIpv6SettingsIsAWarningNotARewrite() throws Exception {
    PhoenixFixture.write(dir, false);
    Files.createDirectories(dir.resolve("rel"));
    Files.writeString(dir.resolve("rel/env.sh.eex"), "#!/bin/sh\nexport RELEASE_DISTRIBUTION=name\n");
    Files.writeString(dir.resolve("config/runtime.exs"), "import Config\n");
    BuildAdvice b = BuildAdvice.of(RepoScan.of(dir));
    assertTrue(b.envShEex().isEmpty(), "the user's file is theirs");
    assertTrue(b.warnings().get(0).contains("ECTO_IPV6, ERL_AFLAGS, RELEASE_NODE"), b.warnings().toString());
    assertTrue(b.warnings().get(1).contains("config/runtime.exs does not read ECTO_IPV6"), b.warnings().toString());
  }

  @Test
  void phoenixHealthRoutesFollowTheirScopes() {
    String router = """
        scope "/", ShopWeb do
          get "/", PageController, :home
        end

        scope "/ops" do
          scope "/v1" do
            get "/healthz", HealthController, :show
          end
        end
        """;
    assertEquals(Optional.of("/ops/v1/healthz"), RepoScan.phoenixHealthIn(router));
    assertEquals(Optional.empty(), RepoScan.phoenixHealthIn("scope \"/\" do\n  get \"/\", P, :home\nend\n"));
  }
}
