package dev.flyover.cutover;

import static dev.flyover.cutover.HerokuFacts.*;

import dev.flyover.UserError;
import dev.flyover.actions.JobSummary;
import dev.flyover.heroku.Addon;
import dev.flyover.heroku.Domain;
import dev.flyover.heroku.Formation;
import dev.flyover.heroku.FormationUpdate;
import dev.flyover.fly.CertificateList;
import dev.flyover.fly.FlyToml;
import dev.flyover.fly.FlyctlException;
import dev.flyover.fly.IpAddress;
import dev.flyover.fly.SecretInfo;
import dev.flyover.launch.ProcessMapper;
import dev.flyover.launch.RepoScan;
import dev.flyover.secrets.Exclusions;
import dev.flyover.secrets.SecretsFlow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Everything the cutover needs to know, read and nothing changed: the Heroku app (config var names, formation,
 * add-ons, domains), the Procfile, the Fly app (fly.toml, secrets, certificates, IPs), the database preflight;
 * then the ordered steps and every warning.
 */
public final class Plan {
  dev.flyover.heroku.HerokuApp app;
  List<String> configVarNames = List.of();
  List<Formation> formation = List.of();
  List<Addon> addons = List.of();
  List<Domain> domains = List.of();
  Map<String, String> procfile = new LinkedHashMap<>();
  /** The launch flow's rewrites of Procfile commands for the image (a release has no mix). */
  ProcessMapper mapper = new ProcessMapper(RepoScan.Stack.UNKNOWN, Optional.empty(), false);
  Optional<FlyToml> flyToml = Optional.empty();
  Map<String, String> flySecrets = new LinkedHashMap<>(); // name -> status
  List<String> flyCerts = new ArrayList<>();
  List<String> flyIps = new ArrayList<>();
  boolean flyAppExists = true;
  List<String> databasePreflight = new ArrayList<>();
  /** The first Fly read that failed (bad token, missing app): a cutover stops on it before changing anything. */
  Optional<UserError> flyProblem = Optional.empty();
  /** Why the database preflight failed (a cutover stops on it before changing anything). */
  Optional<UserError> databaseProblem = Optional.empty();
  final List<String> warnings = new ArrayList<>();
  /** What stops a cutover in its plan step, before anything changes (each one sentence). */
  final List<String> blocking = new ArrayList<>();
  List<Step> steps = List.of();

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public List<String> blocking() {
    return List.copyOf(blocking);
  }

  /** The blocking problems as the one sentence a cutover stops with, or empty. */
  Optional<UserError> blocked() {
    if (blocking.isEmpty()) return Optional.empty();
    if (blocking.size() == 1) return Optional.of(new UserError(blocking.get(0)));
    return Optional.of(new UserError("The cutover cannot start, nothing was changed: " + blocking.size()
        + " blocking problems (see the plan): " + String.join(" Also: ", blocking)));
  }

  public List<Step> steps() {
    return steps;
  }

  public List<Addon> addons() {
    return addons;
  }

  public List<Formation> formation() {
    return formation;
  }

  /** Reads everything. Heroku failures are fatal (nothing can be planned without the app); Fly ones are warnings. */
  static Plan read(Cutover c) {
    Plan p = new Plan();
    Settings s = c.settings;
    String h = s.herokuApp();
    p.app = c.heroku.app(h);
    Map<String, String> vars = c.heroku.configVars(h);
    c.maskConfigVars(vars);
    p.configVarNames = new ArrayList<>(new TreeSet<>(vars.keySet()));
    p.formation = c.heroku.formation(h);
    p.addons = c.heroku.addons(h);
    p.domains = c.heroku.domains(h);
    RepoScan repo = RepoScan.of(s.workDir());
    p.procfile = new LinkedHashMap<>(repo.procfile().orElse(Map.of()));
    p.mapper = ProcessMapper.of(repo);
    p.flyToml = FlyToml.find(s.workDir(), Optional.empty());
    String app = s.flyApp();
    try {
      for (SecretInfo n : c.fly.secrets(app)) p.flySecrets.put(n.name(), n.status());
    } catch (UserError e) {
      if (e instanceof FlyctlException.AppNotFound) p.flyAppExists = false;
      p.flyProblem = Optional.of(e);
      p.warnings.add("Could not read the Fly app's secrets (" + e.getMessage() + ")");
    }
    if (p.flyAppExists) {
      try {
        CertificateList certs = c.fly.certificates(app);
        p.flyCerts.addAll(certs.hostnames());
        if (certs.truncated()) p.flyCerts.add("(flyctl lists the first 50; the certificates step checks each domain)");
      } catch (UserError e) {
        if (p.flyProblem.isEmpty()) p.flyProblem = Optional.of(e);
        p.warnings.add("Could not read the Fly app's certificates (" + e.getMessage() + ")");
      }
      try {
        for (IpAddress n : c.fly.ips(app)) p.flyIps.add(n.type() + " " + n.address());
      } catch (UserError e) {
        p.warnings.add("Could not read the Fly app's IP addresses (" + e.getMessage() + ")");
      }
    }
    if (s.database() == Settings.DatabaseChoice.TRANSFER && c.hasTarget()) {
      try {
        c.parts.databasePreflight(c.sourceUrl(), c.targetUrl()).ifPresentOrElse(p.databasePreflight::addAll,
            () -> p.databasePreflight.add("(the database preflight runs at the database step)"));
        p.databasePreflight.stream().filter(l -> l.startsWith("WARNING: ")).forEach(l -> p.warnings.add(l.substring(9)));
      } catch (UserError e) {
        p.databaseProblem = Optional.of(e);
        p.warnings.add("Database preflight: " + e.getMessage());
      } catch (Exception e) {
        p.databaseProblem = Optional.of(new UserError("The database preflight failed (" + e.getClass().getSimpleName()
            + ": " + e.getMessage() + "): check the " + c.ctx.named("heroku-database-url") + " and the " + c.ctx.named("database-url") + ".", e));
        p.warnings.add(p.databaseProblem.get().getMessage());
      }
    }
    p.steps = c.steps();
    p.warn(c);
    p.block(c);
    return p;
  }

  /**
   * The [processes] entry to add for a process type, its command rewritten for the image as `fly launch`'s does
   * ({@link ProcessMapper}: a release image has no mix), or why it cannot be.
   */
  private String suggestion(String type, String herokuCommand) {
    if (herokuCommand.isBlank()) return "add " + type + " = \"…\" under [processes] (and name the web one too)";
    ProcessMapper.Rewrite r = mapper.rewrite(type, herokuCommand);
    if (r.command().isEmpty()) {
      return "Heroku's command `" + herokuCommand + "` cannot be mapped for the image because " + r.why()
          + " (and name the web group too)";
    }
    String mapped = r.command().get();
    return "add " + type + " = " + toml(mapped) + " under [processes] (and name the web one too)"
        + (mapped.equals(herokuCommand) ? "" : "; Heroku ran `" + herokuCommand + "`: " + r.why());
  }

  /** A TOML basic string. */
  private static String toml(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Process types Heroku runs or the Procfile declares, except the release phase. */
  List<String> processTypes() {
    TreeSet<String> types = new TreeSet<>();
    formation.forEach(d -> types.add(d.type()));
    types.addAll(procfile.keySet());
    types.remove("release");
    return new ArrayList<>(types);
  }

  private void warn(Cutover c) {
    Settings s = c.settings;
    if (!flyAppExists) warnings.add("The Fly app " + s.flyApp() + " does not exist yet: create it (`fly apps create "
        + s.flyApp() + "`, or the deploy's " + c.ctx.enabled("create-app") + " with an org token) before the cutover.");
    if (app.maintenance()) warnings.add("Heroku app " + s.herokuApp() + " is already in maintenance mode (an earlier "
        + "cutover that was stopped hard?): a failed run leaves it as found, on. If workers were scaled to 0 by that run, "
        + "restore their counts from its summary.");
    for (String type : unmatchedProcessTypes()) {
      Optional<Formation> dyno = formation.stream().filter(d -> d.type().equals(type)).findFirst();
      String cmd = procfile.getOrDefault(type, dyno.map(Formation::command).orElse(""));
      String running = dyno.map(d -> d.quantity() + " × " + d.size()).orElse("in the Procfile");
      warnings.add("Heroku runs a `" + type + "` process (" + running + ") but fly.toml has no matching [processes] "
          + "group, so it will not run on Fly: " + suggestion(type, cmd) + ".");
    }
    if (procfile.containsKey("release") && flyToml.flatMap(FlyToml::releaseCommand).isEmpty()) {
      ProcessMapper.Rewrite r = mapper.rewriteRelease(procfile.get("release"));
      warnings.add("The Procfile has a release phase (" + procfile.get("release") + ") but fly.toml has no "
          + "[deploy] release_command: migrations will not run on Fly's deploy; " + r.command()
              .map(m -> "add release_command = " + toml(m) + " under [deploy] (" + r.why() + ")")
              .orElse("it cannot be mapped for the image: " + r.why()) + ".");
    }
    for (Formation d : formation) {
      if (DynoSizes.forHeroku(d.size()).isEmpty()) {
        warnings.add("Heroku dyno size " + d.size() + " (" + d.type() + ") is not in flyover's size table: choose the Fly VM size by hand.");
      }
    }
    for (Addon a : addons) {
      if (a.postgres()) continue;
      if (a.service() != null && a.service().contains("scheduler")) {
        warnings.add("Heroku Scheduler (" + a.name() + ") keeps running its jobs in maintenance mode and they may "
            + "write to the database during the transfer: disable its jobs before the cutover, and schedule them on Fly "
            + "(a [processes] cron group or scheduled machines).");
        continue;
      }
      if (redis(a)) {
        boolean onFly = a.configVars().stream().anyMatch(v -> flySecrets.containsKey(v)) || flySecrets.containsKey("REDIS_URL");
        if (!onFly) {
          warnings.add("Heroku add-on " + a.name() + " (" + a.plan() + ") is Redis with no Fly equivalent set up: create "
              + "one (`fly redis create`) and set REDIS_URL as a Fly secret before the cutover, or the app on Fly has no Redis.");
        }
        continue;
      }
      warnings.add("Heroku add-on " + a.name() + " (" + a.plan() + ") stays on Heroku and keeps billing"
          + (a.configVars().isEmpty() ? "" : "; the app finds it through " + String.join(", ", a.configVars()))
          + ": replace it or keep paying for it.");
    }
    if (s.database() == Settings.DatabaseChoice.KEEP_HEROKU) warnings.add(KeepHerokuDatabaseStep.ROTATION_WARNING);
    if (s.database() == Settings.DatabaseChoice.TRANSFER && !s.setDatabaseUrl() && !s.createDatabase()
        && !flySecrets.containsKey("DATABASE_URL")) {
      warnings.add("Fly has no DATABASE_URL secret and " + c.ctx.optionName("set-database-url") + " is off: the app on Fly"
          + " will not find the new database; set " + c.ctx.enabled("set-database-url") + " or stage DATABASE_URL yourself.");
    }
    if (s.createDatabase() && flySecrets.containsKey("DATABASE_URL")) {
      warnings.add("Fly already has a DATABASE_URL secret, so attaching the new database will refuse: unset it "
          + "(`fly secrets unset --stage DATABASE_URL -a " + s.flyApp() + "`) or give database-url instead of create-database.");
    }
    boolean custom = domains.stream().anyMatch(Domain::custom);
    if (custom && flyAppExists && flyIps.isEmpty()) {
      warnings.add("The Fly app has no public IP addresses yet: the first deploy allocates them; apex domains need them for A/AAAA records.");
    }
  }

  /**
   * The problems that would make the cutover fail after Heroku is frozen, found now: Fly unreadable, the database
   * preflight failed, no target database, nothing to build the app from, and (with strict) a process type with no
   * Fly process group. Each moves from the warnings to the blocking list.
   */
  private void block(Cutover c) {
    Settings s = c.settings;
    flyProblem.ifPresent(e -> blocking.add(e.getMessage()));
    databaseProblem.ifPresent(e -> blocking.add(e.getMessage()));
    if (s.database() == Settings.DatabaseChoice.TRANSFER && !s.createDatabase() && !c.hasTarget()) {
      blocking.add("No target database: set " + c.ctx.optionName("database-url") + " to the Fly Postgres connection "
          + "string, or set " + c.ctx.enabled("create-database") + ", or " + c.ctx.given("database", "skip") + ".");
    }
    buildProblem(c).ifPresent(blocking::add);
    if (s.strict()) {
      for (String type : unmatchedRunning()) {
        blocking.add("Heroku runs a `" + type + "` process but fly.toml has no [processes] group for it, and "
            + c.ctx.optionName("strict") + " is true: add the group (see the warning) or set strict to false to cut over without it.");
      }
    }
    for (String b : blocking) warnings.removeIf(w -> w.contains(b) || b.contains(w));
    shadowedEnv(c);
  }

  /**
   * Whether the deploy step will have something to build, as flyctl decides (internal/build/imgsrc/resolver.go:
   * --image or [build] image, [build] builder, [build] dockerfile, else Dockerfile or dockerfile in the build
   * directory): without, the build fails after the freeze and the database copy.
   */
  private Optional<String> buildProblem(Cutover c) {
    Settings s = c.settings;
    if (s.buildFrom().isPresent()) return Optional.empty();
    if (flyToml.isEmpty()) {
      return Optional.of("There is no fly.toml in " + s.workDir() + ", so the deploy step has nothing to build: add one"
          + " (`fly launch --no-deploy` writes it), point " + c.ctx.optionName("config") + " or "
          + c.ctx.optionName("working-directory") + " at it, or set " + c.ctx.optionName("image") + " to a prebuilt image.");
    }
    FlyToml t = flyToml.get();
    if (t.buildImage().isPresent() || t.buildBuilder().isPresent()) return Optional.empty();
    if (t.buildDockerfile().isPresent()) {
      Path dir = t.path().toAbsolutePath().getParent();
      Path df = dir.resolve(t.buildDockerfile().get());
      if (Files.isRegularFile(df)) return Optional.empty();
      return Optional.of("fly.toml's [build] dockerfile names " + t.buildDockerfile().get() + ", which does not exist in "
          + dir + ": fix the path, or the build fails after Heroku is frozen.");
    }
    if (Files.isRegularFile(s.workDir().resolve("Dockerfile")) || Files.isRegularFile(s.workDir().resolve("dockerfile"))) {
      return Optional.empty();
    }
    return Optional.of("Nothing to build the app from: no Dockerfile in " + s.workDir() + ", no [build] image,"
        + " dockerfile or builder in fly.toml, and no " + c.ctx.optionName("image") + ", so the deploy would fail after"
        + " Heroku is frozen and the database copied. Add a Dockerfile (for Phoenix, `mix phx.gen.release --docker`"
        + " writes one), or set " + c.ctx.optionName("image") + " to a prebuilt image.");
  }

  /**
   * Config vars that would become Fly secrets under a name fly.toml's [env] also sets: the app then has two values
   * for one name and fly.toml no longer says what it runs with (Phoenix: PHX_HOST, MIX_ENV, POOL_SIZE, PORT).
   */
  private void shadowedEnv(Cutover c) {
    Map<String, String> env = flyToml.map(FlyToml::env).orElse(Map.of());
    if (env.isEmpty()) return;
    Settings s = c.settings;
    // The secrets step's own rules, add-on attachments included, so the plan names exactly what would move.
    Exclusions exclusions = Exclusions.fromAddons(addons, c.heroku.addonAttachments(s.herokuApp()));
    List<String> both = SecretsFlow.flyNames(configVarNames, exclusions, s.include(), s.exclude(), s.rename()).stream()
        .filter(env::containsKey).toList();
    if (both.isEmpty()) return;
    warnings.add((both.size() == 1 ? "The config var " + both.get(0) + " would become a Fly secret with the same name as"
        + " a key" : "The config vars " + String.join(", ", both) + " would become Fly secrets with the same names as keys")
        + " in fly.toml's [env], so the app would get two values for one name and fly.toml would no longer say what it"
        + " runs with: keep fly.toml's by leaving " + (both.size() == 1 ? "it" : "them") + " out with "
        + c.ctx.optionName("exclude") + " (" + String.join(", ", both) + "), or remove " + (both.size() == 1 ? "it" : "them")
        + " from [env].");
  }

  /** Unmatched types Heroku runs dynos of: a type scaled to 0 on Heroku loses nothing on Fly. */
  List<String> unmatchedRunning() {
    return unmatchedProcessTypes().stream().filter(t -> formation.stream()
        .anyMatch(d -> d.type().equals(t) && d.quantity() > 0)).toList();
  }

  /**
   * What a cutover that completed without strict must say first: processes Heroku ran that do not run on Fly (their
   * dynos are scaled to 0 or frozen, so nothing runs them now).
   */
  Optional<String> notRunningOnFly(Cutover c) {
    List<String> types = unmatchedRunning();
    if (types.isEmpty()) return Optional.empty();
    String names = String.join(", ", types);
    return Optional.of("Heroku's " + names + (types.size() == 1 ? " process does" : " processes do") + " not run on Fly:"
        + " fly.toml has no [processes] group for " + (types.size() == 1 ? "it" : "them") + " and Heroku's dynos are"
        + " stopped, so nothing runs " + (types.size() == 1 ? "it" : "them") + " now. Add the group (see the warnings)"
        + " and deploy, or set " + c.ctx.optionName("strict") + " to true to stop a cutover on this.");
  }

  /** Process types Heroku runs or the Procfile declares (but web and release) with no fly.toml process group. */
  List<String> unmatchedProcessTypes() {
    Map<String, String> groups = flyToml.map(FlyToml::processes).orElse(Map.of("app", ""));
    return processTypes().stream().filter(t -> !t.equals("web") && !groups.containsKey(t)).toList();
  }

  /** The plan as the summary shows it (and, as text, the terminal). */
  void report(JobSummary sum, Cutover c) {
    Settings s = c.settings;
    sum.heading(2, "Cutover plan: Heroku " + s.herokuApp() + " → Fly " + s.flyApp());
    List<List<String>> facts = new ArrayList<>();
    facts.add(List.of("Heroku app", JobSummary.code(app.name()) + (app.maintenance() ? " (in maintenance)" : "")
        + (app.region() == null ? "" : ", region " + JobSummary.inline(app.region()))
        + (app.stack() == null ? "" : ", " + JobSummary.inline(app.stack()))));
    facts.add(List.of("Config vars", configVarNames.size() + ": " + JobSummary.inline(String.join(", ", configVarNames))));
    facts.add(List.of("Procfile", procfile.isEmpty() ? "none in the working directory"
        : JobSummary.inline(String.join(", ", procfile.keySet()))));
    facts.add(List.of("Fly app", JobSummary.code(s.flyApp()) + (flyAppExists ? "" : " (does not exist yet)")));
    facts.add(List.of("fly.toml", flyToml.map(t -> "release_command: "
        + t.releaseCommand().map(JobSummary::code).orElse("none") + "; processes: "
        + JobSummary.inline(String.join(", ", t.processes().keySet()))).orElse("not found")));
    facts.add(List.of("Fly secrets", flySecrets.size() + (flySecrets.isEmpty() ? "" : ": " + JobSummary.inline(String.join(", ", flySecrets.keySet())))));
    facts.add(List.of("Fly certificates", flyCerts.isEmpty() ? "none" : JobSummary.inline(String.join(", ", flyCerts))));
    facts.add(List.of("Fly IPs", flyIps.isEmpty() ? "none" : JobSummary.inline(String.join(", ", flyIps))));
    facts.add(List.of("Database", JobSummary.inline(s.database().input) + (s.createDatabase() ? ", create "
        + (s.postgres().kind() == Settings.Kind.MANAGED ? "Fly Managed Postgres " : "Fly Postgres (unmanaged) ")
        + JobSummary.code(s.postgres().name()) : "")));
    sum.facts(facts);
    if (!formation.isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      for (Formation d : formation) {
        var m = DynoSizes.forHeroku(d.size());
        rows.add(List.of(JobSummary.code(d.type()), String.valueOf(d.quantity()), JobSummary.inline(d.size()),
            m.map(x -> x.herokuMemoryMb() + " MB").orElse("?"),
            m.map(x -> JobSummary.code(x.flySize()) + ", " + x.flyMemoryMb() + " MB").orElse("choose by hand"),
            flyToml.map(FlyToml::processes).orElse(Map.of("app", "")).containsKey(d.type()) || web(d) ? "yes" : "**no**"));
      }
      sum.heading(3, "Formation and Fly sizes");
      sum.table(List.of("Process", "Dynos", "Heroku size", "Memory", "Fly VM (memory)", "Fly group"), rows);
    }
    if (!addons.isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      for (Addon a : addons) {
        rows.add(List.of(JobSummary.inline(a.name()), JobSummary.inline(a.plan()),
            a.postgres() ? "moved by the database step" : redis(a) ? "needs a Fly Redis" : "stays on Heroku",
            JobSummary.inline(String.join(", ", a.configVars()))));
      }
      sum.heading(3, "Add-ons");
      sum.table(List.of("Add-on", "Plan", "On Fly", "Config vars"), rows);
    }
    if (!databasePreflight.isEmpty()) {
      sum.heading(3, "Database preflight");
      sum.markdown(String.join("\n", databasePreflight.stream().map(l -> "- " + JobSummary.inline(l)).toList()));
    }
    sum.heading(3, "Steps");
    List<List<String>> rows = new ArrayList<>();
    int i = 0;
    for (Step st : steps) {
      rows.add(List.of(String.valueOf(++i), JobSummary.code(st.id()), JobSummary.inline(st.title()),
          st.undoTitle().isEmpty() ? "kept" : JobSummary.inline(st.undoTitle())));
    }
    sum.table(List.of("#", "Step", "What it does", "On failure"), rows);
    if (!blocking.isEmpty()) {
      sum.heading(3, "Blocking problems (the cutover stops before changing anything)");
      sum.markdown(String.join("\n", blocking.stream().map(b -> "- ⛔ " + JobSummary.inline(b)).toList()));
    }
    if (!warnings.isEmpty()) {
      sum.heading(3, "Warnings");
      sum.markdown(String.join("\n", warnings.stream().map(w -> "- ⚠️ " + JobSummary.inline(w)).toList()));
    }
  }
}
