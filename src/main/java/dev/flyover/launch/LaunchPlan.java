package dev.flyover.launch;

import dev.flyover.cutover.DynoSizes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import static dev.flyover.actions.JobSummary.code;
import static dev.flyover.actions.JobSummary.inline;

/**
 * Everything launch decided, with the reason for each decision: the Heroku → Fly mapping, the files to write,
 * the warnings, the questions only the user can answer, and the next steps. Built from what was read; nothing
 * here talks to Heroku, Fly or GitHub.
 */
public record LaunchPlan(String herokuApp, String flyApp, Optional<String> org, RepoScan repo, HerokuFacts heroku,
    Optional<RegionMap.Choice> region, ProcessMapper.Result processes, BuildAdvice build, Map<String, String> env,
    int internalPort, Optional<String> healthPath, List<Row> mapping, List<String> warnings, List<String> questions,
    List<String> nextSteps, List<GeneratedFile> files) {

  /** The port a release listens on: Heroku apps bind $PORT, so PORT is set to Fly's usual 8080. */
  static final int PORT = 8080;
  static final String WORKFLOW_PATH = ".github/workflows/fly-deploy.yml";

  /** One line of the Heroku → Fly table. */
  public record Row(String heroku, String fly, String why) {}

  /** A file for the repository: path relative to the app's directory; workflow files need special permission. */
  public record GeneratedFile(String path, String content, boolean executable, String why) {
    public boolean workflow() {
      return path.startsWith(".github/workflows/");
    }
  }

  public static LaunchPlan of(String flyApp, Optional<String> org, RepoScan repo, HerokuFacts h, Optional<String> repoRoot) {
    return of(flyApp, org, repo, h, repoRoot, "main", false);
  }

  /**
   * @param repoRoot the app's directory inside the repository, when it is not the root
   * @param deployBranch the branch whose pushes deploy (the repository's default branch)
   * @param creatingApp whether this run creates the Fly app (create-app), else the next steps say how
   */
  public static LaunchPlan of(String flyApp, Optional<String> org, RepoScan repo, HerokuFacts h, Optional<String> repoRoot,
      String deployBranch, boolean creatingApp) {
    return of(flyApp, org, repo, h, repoRoot, deployBranch, creatingApp, n -> n + ": true");
  }

  /** @param enabled how the current surface switches an option on ("create-app: true" / "--create-app") */
  public static LaunchPlan of(String flyApp, Optional<String> org, RepoScan repo, HerokuFacts h, Optional<String> repoRoot,
      String deployBranch, boolean creatingApp, java.util.function.UnaryOperator<String> enabled) {
    List<Row> rows = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    String herokuApp = h.app().name();
    rows.add(new Row("app " + code(herokuApp), "app " + code(flyApp), flyApp.equals(herokuApp)
        ? "the same name (Fly app names are global: if it is taken, set fly-app)" : "the fly-app you chose"));

    // Region
    String herokuRegion = h.region();
    Optional<RegionMap.Choice> region = RegionMap.forHeroku(herokuRegion);
    String where = h.space().map(s -> "Private Space " + code(s.name()) + " in " + code(herokuRegion))
        .orElse("region " + code(herokuRegion));
    String cloud = h.regionInfo().map(r -> " (Heroku: " + inline(String.valueOf(r.description())) + ", cloud region "
        + code(String.valueOf(r.providerRegion())) + ")").orElse("");
    if (region.isPresent()) {
      rows.add(new Row(where, "primary_region " + code(region.get().flyRegion()), region.get().why()));
      h.regionInfo().map(dev.flyover.heroku.Region::providerRegion).filter(pr -> pr != null && !pr.equals(region.get().cloudRegion()))
          .ifPresent(pr -> warnings.add("Heroku reports the region " + code(herokuRegion) + " in the cloud region " + code(pr)
              + ", not the " + code(region.get().cloudRegion()) + " flyover's table assumes: check that primary_region "
              + code(region.get().flyRegion()) + " is still the nearest."));
    } else {
      rows.add(new Row(where + cloud, "primary_region not set", "flyover's region table does not know this region"));
      questions.add("Which Fly region should the app run in? The Heroku app runs in " + where + cloud + ", which"
          + " flyover's table does not map; add `primary_region = \"CODE\"` to fly.toml (`fly platform regions` lists"
          + " the codes), near the database and your users.");
    }
    h.space().filter(s -> s.shield()).ifPresent(s -> warnings.add("The app runs in a Shield Private Space (" + code(s.name())
        + "): check that Fly meets the compliance needs (HIPAA, PCI) that made you choose Shield before moving."));

    // Stack and commands
    rows.add(new Row("buildpacks " + (h.buildpacks().isEmpty() ? "(none listed)" : String.join(", ", h.buildpacks().stream().map(b -> code(b)).toList())),
        "stack: " + repo.stack().label, "from the repository's " + stackEvidence(repo)));
    Map<String, String> commands;
    if (repo.procfile().isPresent()) {
      commands = repo.procfile().get();
      h.slug().ifPresent(s -> {
        Map<String, String> deployed = new LinkedHashMap<>(s.processTypes());
        if (!deployed.isEmpty() && !deployed.equals(commands)) {
          warnings.add("The Procfile in the repository differs from the process types of the slug Heroku runs ("
              + String.join(", ", deployed.keySet()) + "): fly.toml follows the repository; deploy it to Heroku or"
              + " check the difference before moving.");
        }
      });
    } else if (h.slug().isPresent() && !h.slug().get().processTypes().isEmpty()) {
      commands = h.slug().get().processTypes();
      warnings.add("The repository has no Procfile: the process types come from the slug Heroku runs (its Procfile"
          + " at build time, or the buildpack's defaults).");
    } else {
      commands = Map.of();
      warnings.add("Neither the repository nor Heroku's slug has a Procfile: fly.toml has no [processes], and the image's"
          + " own CMD runs.");
    }
    Optional<String> releaseName = repo.mixApp();
    ProcessMapper.Result pm = new ProcessMapper(repo.stack(), releaseName, repo.ecto()).map(commands, h.formation());
    warnings.addAll(pm.warnings());
    for (ProcessMapper.Group g : pm.groups()) {
      rows.add(new Row(code(g.name() + ": " + g.herokuCommand()), "[processes] " + g.name() + " = " + code(g.command()), g.why()));
      String dyno = g.quantity() + " × " + (g.dynoSize() == null ? "?" : inline(g.dynoSize()));
      String vm = g.vm().map(v -> "[[vm]] " + code(v.flySize()) + ", " + v.flyMemoryMb() + " MB; "
          + code("fly scale count " + g.name() + "=" + g.quantity())).orElse("no [[vm]] (Fly's default size)");
      rows.add(new Row(g.name() + " dynos: " + dyno, vm, g.vm().map(v -> "same CPU class, at least the dyno's "
          + v.herokuMemoryMb() + " MB (the table `plan` uses); fly.toml holds sizes, not counts").orElse("no Fly size for this dyno size")));
    }
    for (ProcessMapper.Left l : pm.left()) {
      rows.add(new Row(code(l.name() + (l.herokuCommand().isEmpty() ? "" : ": " + l.herokuCommand())),
          "not in fly.toml", l.why()));
      if (l.needsYou()) {
        warnings.add("The " + l.name() + " process is not in fly.toml: " + l.why() + ".");
      }
    }
    pm.release().ifPresent(r -> {
      rows.add(new Row(code("release: " + r.herokuCommand()), r.command().map(c -> "[deploy] release_command = " + code(c))
          .orElse("no release_command"), r.why()));
      if (r.command().isEmpty()) warnings.add("The release phase is not in fly.toml: " + r.why() + ".");
    });

    // HTTP service
    boolean web = pm.groups().stream().anyMatch(g -> g.name().equals("web")) || commands.isEmpty();
    Optional<String> health = repo.healthPath();
    if (web) {
      rows.add(new Row("web dynos get $PORT from Heroku", "[http_service] internal_port = " + PORT + ", [env] PORT = \""
          + PORT + "\"", "the app already listens on $PORT, as every Heroku app must; force_https as Heroku's SSL"
          + " endpoint did, and machines kept running as dynos are"));
      if (health.isPresent()) {
        rows.add(new Row("(Heroku has no health checks)", "[[http_service.checks]] GET " + code(health.get()),
            "a health route found in the " + (repo.stack() == RepoScan.Stack.RAILS ? "Rails routes" : "router")));
      } else {
        warnings.add("No health check route was found in the app's routes, so fly.toml has no HTTP check (flyover does"
            + " not invent a path that would answer 404): add a route such as `get \"/health\"` and an"
            + " [[http_service.checks]] for it.");
      }
      for (String p : repo.dockerExposes()) {
        if (!p.equals(String.valueOf(PORT))) {
          warnings.add("The Dockerfile EXPOSEs " + inline(p) + ", but fly.toml sends traffic to port " + PORT + " (PORT): make sure"
              + " the server in the image binds $PORT.");
        }
      }
    }

    // Env
    Map<String, String> env = new LinkedHashMap<>();
    if (web) env.put("PORT", String.valueOf(PORT));
    if (repo.stack() == RepoScan.Stack.PHOENIX) {
      env.put("PHX_HOST", flyApp + ".fly.dev");
      rows.add(new Row("PHX_HOST (the Heroku hostname, if set)", "[env] PHX_HOST = \"" + flyApp + ".fly.dev\"",
          "the endpoint's URL host on Fly; change it to your domain at cutover"));
    }
    for (String name : env.keySet()) {
      if (!h.configVarNames().contains(name)) continue;
      if (h.leftBehind().containsKey(name)) {
        warnings.add("Heroku has a config var " + name + "; `secrets` leaves it behind (" + h.leftBehind().get(name)
            + "), so fly.toml's [env] " + name + " applies.");
      } else {
        warnings.add("Heroku has a config var " + name + ": `secrets` would make it a Fly secret, and secrets shadow"
            + " [env], so fly.toml's " + name + " would be ignored. Run `secrets` with `exclude: " + name + "`.");
      }
    }
    List<String> moving = h.configVarNames().stream().filter(n -> !h.leftBehind().containsKey(n)).toList();
    rows.add(new Row("config vars (" + h.configVarNames().size() + ")", moving.size() + " to move as Fly secrets with"
        + " `secrets`", moving.isEmpty() ? "none" : String.join(", ", moving)));
    if (!h.leftBehind().isEmpty()) {
      rows.add(new Row("left behind", String.join(", ", h.leftBehind().keySet()), "Heroku's own, the database's and"
          + " the add-ons' variables (see `secrets` for each reason)"));
    }

    if (repo.flyToml()) {
      warnings.add("The repository already has a fly.toml: launch leaves it as it is unless overwrite is set; compare it"
          + " with the one below before choosing.");
    }

    // Build
    BuildAdvice build = BuildAdvice.of(repo);
    warnings.addAll(build.warnings());
    rows.add(new Row("buildpack build", "Dockerfile: " + build.summary(), repo.dockerfile() ? "found in the repository"
        : "Fly builds images from a Dockerfile; flyover never invents one"));

    List<GeneratedFile> files = new ArrayList<>();
    LaunchPlan draft = new LaunchPlan(herokuApp, flyApp, org, repo, h, region, pm, build, env, PORT, web ? health : Optional.empty(),
        rows, warnings, questions, List.of(), List.of());
    files.add(new GeneratedFile("fly.toml", FlyTomlWriter.write(draft), false,
        "the Fly app's configuration, from the Heroku app"));
    build.envShEex().ifPresent(t -> files.add(new GeneratedFile("rel/env.sh.eex", t, true,
        "the release's environment for Fly's IPv6 private network (distributed Erlang, Ecto)")));
    files.add(new GeneratedFile(WORKFLOW_PATH, DeployWorkflow.text(flyApp, draft.healthPath(), repoRoot, deployBranch), false,
        "deploys with flyover on every push to " + deployBranch));

    List<String> next = new ArrayList<>(build.steps());
    if (!creatingApp) {
      next.add("Create the Fly app if it does not exist yet: `fly apps create " + flyApp + org.map(o -> " --org " + o).orElse("")
          + "` (or re-run launch with " + code(enabled.apply("create-app")) + " and an org token).");
    }
    next.add("Create a deploy token and store it as the repository secret FLY_API_TOKEN: `fly tokens create deploy -a "
        + flyApp + "`.");
    next.add("Move the config vars with `command: secrets` (" + moving.size() + " of them, listed above; values are"
        + " never shown)." + (moving.contains("SECRET_KEY_BASE") ? " No new SECRET_KEY_BASE is needed: the Heroku one moves." : ""));
    next.add("Rehearse the database move with `command: database` against a scratch Fly Postgres (examples/database-rehearsal.yml).");
    next.add("Read the cutover plan with `command: plan`, then run `command: cutover` in a quiet hour.");
    next.add("Merge this pull request; from then on every push to " + deployBranch + " deploys through " + WORKFLOW_PATH + ".");
    return new LaunchPlan(herokuApp, flyApp, org, repo, h, region, pm, build, env, PORT, draft.healthPath(),
        List.copyOf(rows), List.copyOf(warnings), List.copyOf(questions), List.copyOf(next), List.copyOf(files));
  }

  private static String stackEvidence(RepoScan repo) {
    return switch (repo.stack()) {
      case PHOENIX -> "mix.exs (Phoenix" + repo.mixApp().map(a -> ", release `" + a + "`").orElse("") + ")";
      case ELIXIR -> "mix.exs";
      case RAILS, RUBY -> "Gemfile";
      case NODE -> "package.json";
      default -> "files (no mix.exs, Gemfile or package.json)";
    };
  }

  /** The [[vm]] mapping for a group, for callers that show sizes. */
  public Optional<DynoSizes.Mapping> vm(String group) {
    return processes.groups().stream().filter(g -> g.name().equals(group)).findFirst().flatMap(ProcessMapper.Group::vm);
  }

  public Optional<GeneratedFile> file(String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst();
  }
}
