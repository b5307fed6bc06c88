package dev.flyover.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the app gets built on Fly. An existing Dockerfile is used as it is. Otherwise the framework's own
 * generator writes one ({@code mix phx.gen.release --docker} for Phoenix, dockerfile-rails, Fly's
 * dockerfile-node), which needs the framework's toolchain: the example workflow runs it in a step before
 * {@code launch}, and the files it wrote then go into the pull request. flyover never writes a Dockerfile itself.
 * For an Elixir release, {@code rel/env.sh.eex} sets what Fly's IPv6-only private network needs.
 */
public record BuildAdvice(String summary, List<String> steps, List<String> generatedPaths, Optional<String> envShEex,
    List<String> warnings) {

  /** What {@code mix phx.gen.release --docker} writes (Phoenix 1.7); carried into the PR when present. */
  static List<String> phoenixGenerated(String app) {
    return List.of("Dockerfile", ".dockerignore", "rel/overlays/bin/server", "rel/overlays/bin/server.bat",
        "rel/overlays/bin/migrate", "rel/overlays/bin/migrate.bat", "lib/" + app + "/release.ex");
  }

  public static BuildAdvice of(RepoScan repo) {
    List<String> steps = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> generated = new ArrayList<>();
    String summary;
    RepoScan.Stack stack = repo.stack();
    boolean elixir = stack == RepoScan.Stack.PHOENIX || stack == RepoScan.Stack.ELIXIR;
    if (stack == RepoScan.Stack.PHOENIX && repo.mixApp().isPresent()) generated.addAll(phoenixGenerated(repo.mixApp().get()));
    if (repo.dockerfile()) {
      summary = "the repository's Dockerfile (flyover does not change it)";
      if (stack == RepoScan.Stack.PHOENIX && !generated.isEmpty()) {
        summary = "the repository's Dockerfile (from `mix phx.gen.release --docker`, or your own)";
      }
    } else {
      switch (stack) {
        case PHOENIX -> {
          summary = "none yet: run Phoenix's own generator, `mix phx.gen.release --docker`";
          steps.add("Generate the Dockerfile and release scripts with Phoenix's own generator: `mix deps.get && mix"
              + " phx.gen.release --docker` (it writes Dockerfile, .dockerignore, rel/overlays/bin/server and"
              + " rel/overlays/bin/migrate). The example workflow examples/launch.yml runs it in a step with the Elixir"
              + " toolchain before `launch`, so this pull request carries the generated files.");
        }
        case RAILS -> {
          summary = "none yet: run Rails' generator (dockerfile-rails)";
          steps.add("Generate the Dockerfile with `bundle add dockerfile-rails --optimistic --group development && bin/rails"
              + " generate dockerfile` (Rails 7.1 and later also ship one from `rails new`), in a step with Ruby before `launch`.");
          generated.addAll(List.of("Dockerfile", ".dockerignore", "bin/docker-entrypoint"));
        }
        case NODE -> {
          summary = "none yet: run Fly's Node generator (dockerfile-node)";
          steps.add("Generate the Dockerfile with `npx --yes @flydotio/dockerfile@latest`, in a step with Node before `launch`.");
          generated.addAll(List.of("Dockerfile", ".dockerignore"));
        }
        case ELIXIR -> {
          summary = "none: Elixir without Phoenix has no Dockerfile generator";
          steps.add("Write a Dockerfile that builds a release (`mix release`); `mix phx.gen.release --docker`'s output in any"
              + " Phoenix 1.7 app is a good model. flyover does not invent one.");
        }
        default -> {
          summary = "none: flyover knows no generator for this stack";
          steps.add("Add a Dockerfile that builds and starts the app (Heroku's buildpacks are not available on Fly);"
              + " flyover does not invent one for a stack it cannot build.");
        }
      }
    }
    Optional<String> envSh = Optional.empty();
    if (elixir) {
      if (repo.envShEex().isEmpty()) {
        envSh = Optional.of(ENV_SH_EEX);
      } else {
        List<String> missing = new ArrayList<>();
        for (String need : List.of("ECTO_IPV6", "ERL_AFLAGS", "RELEASE_DISTRIBUTION", "RELEASE_NODE")) {
          if (!repo.envShEex().get().contains(need)) missing.add(need);
        }
        if (!missing.isEmpty()) {
          warnings.add("rel/env.sh.eex exists but does not set " + String.join(", ", missing) + ": on Fly, Ecto and"
              + " distributed Erlang reach other machines only over IPv6; add the settings shown in the pull request.");
        }
      }
      if (repo.ecto() && !repo.runtimeReadsEctoIpv6()) {
        warnings.add("config/runtime.exs does not read ECTO_IPV6: make the Repo's `socket_options` `[:inet6]` when"
            + " ECTO_IPV6 is true (Phoenix 1.7's generated runtime.exs does), or the database on Fly's IPv6 network is unreachable.");
      }
    }
    return new BuildAdvice(summary, List.copyOf(steps), List.copyOf(generated), envSh, List.copyOf(warnings));
  }

  /**
   * rel/env.sh.eex for a release on Fly: Fly's private network (6PN) is IPv6 only, so Ecto must connect over
   * IPv6 and Erlang distribution must use inet6_tcp, with each node named after its machine's private address.
   * The settings are those of Fly's Elixir guide (and of flyctl's {@code scanner/phoenix.go}); the text is ours.
   */
  static final String ENV_SH_EEX = """
      #!/bin/sh
      # Written by flyover launch. Sourced by the release before it starts (mix release reads rel/env.sh.eex).
      # Fly's private network between machines, and to Fly Postgres, is IPv6 only.
      if [ -n "$FLY_APP_NAME" ]; then
        # Ecto connects over IPv6 (config/runtime.exs turns this into socket_options: [:inet6]).
        export ECTO_IPV6="true"
        # Erlang distribution over IPv6.
        export ERL_AFLAGS="-proto_dist inet6_tcp"
        # Long node names: one per machine, reachable at its private IPv6 address.
        export RELEASE_DISTRIBUTION="name"
        export RELEASE_NODE="${FLY_APP_NAME}-${FLY_IMAGE_REF##*-}@${FLY_PRIVATE_IP}"
        # The other machines of the app, for clustering with DNSCluster.
        export DNS_CLUSTER_QUERY="${FLY_APP_NAME}.internal"
      fi
      """;
}
