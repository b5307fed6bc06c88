package dev.flyover.deploy;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.fly.AppStatus;
import dev.flyover.fly.DeployOutcome;
import dev.flyover.fly.FlyToml;
import dev.flyover.fly.Flyctl;
import dev.flyover.fly.FlyctlException;
import dev.flyover.fly.Machine;
import dev.flyover.fly.Release;
import dev.flyover.proc.Subprocess;
import dev.flyover.secrets.MaskPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One deploy, end to end, without picocli: check the inputs, {@code flyctl deploy --remote-only}, then prove it
 * from Fly's side (a new release, complete, on the new image, running on machines; flyctl's exit code alone is
 * not trusted), check the app over HTTP, roll back if asked, and report to GitHub Deployments.
 *
 * <pre>{@code
 * DeployResult r = new Deployer(ctx).run(DeployRequest.builder(dir).app("shop").token(tok).build());
 * // r.ok(); a failure throws UserError with the failed result as done()
 * }</pre>
 *
 * A failed deploy throws the one {@link UserError}, carrying (as {@link UserError#done()}) the result with
 * {@code status=failure}, the one-sentence error, and everything learned before the failure. It prints progress on
 * the context's console but writes no outputs or summary itself: the result does ({@link DeployResult#report}).
 */
public final class Deployer {
  static final Set<String> STRATEGIES = Set.of("canary", "rolling", "bluegreen", "immediate");
  private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(90);
  private static final Pattern NAME_VALUE = Pattern.compile("[^=\\s]+=.*", Pattern.DOTALL);

  private final Context ctx;
  private final Console console;
  private final HealthCheck.Sleeper sleeper;

  public Deployer(Context ctx) {
    this(ctx, d -> Thread.sleep(d.toMillis()));
  }

  Deployer(Context ctx, HealthCheck.Sleeper sleeper) {
    this.ctx = ctx;
    this.console = ctx.console();
    this.sleeper = sleeper;
  }

  /** Runs the deploy; see the class comment. */
  public DeployResult run(DeployRequest req) {
    Run run = new Run(req);
    UserError failure = null;
    try {
      run.execute();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = UserError.outside("flyover was cancelled during the deploy of " + run.app + "; check `fly releases -a "
          + run.app + "` for what Fly finished.", e);
    } catch (RuntimeException e) {
      // Anything unexpected too: the GitHub Deployment must not be marked a success, and the result is reported.
      failure = dev.flyover.RunReport.asFailure("deploy", e);
    }
    if (failure != null) run.error = failure.getMessage();
    run.finishGitHub();
    DeployResult result = run.result();
    if (failure != null) throw failure.withDone(result);
    return result;
  }

  /**
   * Whether deploying this request builds an image: not when it names one (the image input, {@code --image} among
   * extra-args, or fly.toml's [build] image; flyctl's deploy_build.go {@code fetchImageRef} reads the same three).
   */
  public static boolean builds(DeployRequest req) {
    if (req.image().isPresent()) return false;
    for (String a : req.extraArgs()) {
      String flag = a.strip().split("=", 2)[0];
      if (flag.equals("--image") || flag.equals("-i")) return false;
    }
    return FlyToml.find(req.directory(), req.config()).flatMap(FlyToml::buildImage).isEmpty();
  }

  /** The build alone, as {@link #build} runs it: {@code flyctl} and its arguments, build secrets shown as ***. */
  public String buildCommandLine(DeployRequest req) {
    Run run = new Run(req);
    run.prepare();
    List<String> a = new ArrayList<>(Run.shown(run.buildArgs()));
    a.addAll(List.of("--build-only", "--push"));
    return "flyctl " + String.join(" ", a.stream().map(DeploySummary::shellQuote).toList());
  }

  /**
   * Builds the request's image and pushes it to Fly's registry without deploying it ({@link Flyctl#buildImage}):
   * the same build flags as a deploy. Returns the pushed image's reference, for a later deploy with {@code --image};
   * a failed build throws (nothing on Fly changed).
   */
  public String build(DeployRequest req) {
    Run run = new Run(req);
    run.prepare();
    run.requireToken();
    Flyctl flyctl = new Flyctl(ctx.env(), console, req.token());
    String image = flyctl.buildImage(run.buildArgs(), "flyctl deploy --build-only " + run.app, DEPLOY_TIMEOUT);
    return image;
  }

  /** The mutable state of one run; {@link #result()} freezes it. */
  private final class Run {
    final DeployRequest req;
    final Instant started = ctx.clock().instant();
    String app = "";
    String hostname;
    Optional<FlyToml> toml = Optional.empty();
    List<String> argv = List.of();
    List<Release> before = List.of();
    Integer previousVersion;
    String previousImage;
    Integer releaseVersion;
    /** The highest release version seen after the deploy, failed ones included. */
    int newest;
    String image;
    List<DeployResult.Machine> machines = List.of();
    String healthCheck = "skipped";
    String healthDetail;
    boolean rolledBack;
    Integer rollbackVersion;
    Optional<GitHubDeployment> github = Optional.empty();
    final List<String> warnings = new ArrayList<>();
    String error;
    Flyctl flyctl;

    Run(DeployRequest req) {
      this.req = req;
      req.token().ifPresent(t -> MaskPolicy.secret(console, t));
      req.githubToken().ifPresent(t -> MaskPolicy.secret(console, t));
      for (String line : req.buildSecrets()) {
        // The value only, so logs still name the secret; a line without '=' may be all value. A value too short
        // to register is kept out of what flyover prints by shown().
        int eq = line.indexOf('=');
        MaskPolicy.secret(console, eq >= 0 ? line.substring(eq + 1) : line);
      }
    }

    /** Reads fly.toml, names the app and checks the inputs: what a deploy and a build both need first. */
    void prepare() {
      toml = FlyToml.find(req.directory(), req.config(), ctx.namer());
      app = FlyToml.appName(req.app(), toml, ctx.namer());
      hostname = app + ".fly.dev";
      validate();
      if (toml.isEmpty() && req.image().isEmpty()) {
        throw new UserError("There is no fly.toml in " + req.directory() + ", so there is nothing to build: add one (`fly launch --no-deploy`"
            + " writes it), point " + opt("config") + " or " + opt("working-directory") + " at it, or set "
            + opt("image") + " to deploy a prebuilt image.");
      }
    }

    void requireToken() {
      if (req.token().isEmpty() && ctx.env().inActions()) {
        throw new UserError("No Fly API token: set the " + named("fly-api-token") + " to a repository secret holding a deploy token"
            + " (`fly tokens create deploy -a " + app + "`).");
      }
    }

    void execute() throws InterruptedException {
      prepare();
      argv = deployArgs(req.image(), false);
      if (req.dryRun()) {
        dryRun();
        return;
      }
      requireToken();
      flyctl = new Flyctl(ctx.env(), console, req.token());
      before = currentReleases();
      before.stream().max(Comparator.comparingInt(Release::version)).ifPresent(r -> previousVersion = r.version());
      lastGood(before).ifPresent(r -> previousImage = r.imageRef());
      github = GitHubDeployment.forRun(ctx.env(), console, req.githubToken());
      github.ifPresent(g -> g.start(ctx.env().get("GITHUB_SHA").orElseThrow(), req.environment(), app));
      deployAndVerify();
      if (req.healthCheck()) healthCheck();
    }

    private String opt(String name) {
      return ctx.optionName(name);
    }

    private String named(String name) {
      return ctx.named(name);
    }

    // ---- inputs ----

    private void validate() {
      req.strategy().ifPresent(s -> {
        if (!STRATEGIES.contains(s.toLowerCase(Locale.ROOT))) {
          throw new UserError("The " + named("strategy") + " is '" + s + "', which Fly does not have: use canary, rolling,"
              + " bluegreen or immediate (or leave it empty for fly.toml's, else rolling).");
        }
      });
      req.waitTimeout().ifPresent(t -> {
        if (!FlyDuration.valid(t)) {
          throw new UserError("The " + named("wait-timeout") + " is '" + t + "', which flyctl does not accept: use a number of"
              + " seconds (300), a duration with a unit (5m, 90s, 1m30s) or none.");
        }
      });
      checkLines("build-args", req.buildArgs(), true);
      checkLines("build-secrets", req.buildSecrets(), false);
      checkLines("env", req.env(), true);
      for (String a : req.extraArgs()) {
        String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        if (flag.equals("-t") || flag.startsWith("-t") && !flag.startsWith("--") || flag.equals("--access-token")) {
          throw new UserError("The " + named("extra-args") + " sets flyctl's access token on the command line, where it"
              + " would show in the process list: pass the token with the " + named("fly-api-token") + " instead.");
        }
        if (a.startsWith("-") && a.contains(" ") && !a.contains("=")) {
          // Name the flag only: the value may be a secret.
          String name = a.substring(0, a.indexOf(' '));
          throw new UserError("The " + named("extra-args") + " line '" + name + " …' holds a flag and its value separated"
              + " by a space: put one argument per line, or write it as " + name + "=VALUE.");
        }
      }
      if (req.healthCheck()) {
        if (req.healthCheckStatus() < 100 || req.healthCheckStatus() > 599) {
          throw new UserError("The " + named("health-check-status") + " is " + req.healthCheckStatus()
              + ", which is not an HTTP status: use a number from 100 to 599 such as 200.");
        }
        if (req.healthCheckRetries() < 1) {
          throw new UserError("The " + named("health-check-retries") + " is " + req.healthCheckRetries()
              + ": use 1 or more (or set " + ctx.disabled("health-check") + " to turn the check off).");
        }
        if (req.healthCheckTimeout().isNegative() || req.healthCheckTimeout().isZero()) {
          throw new UserError("The " + named("health-check-timeout") + " must be a number of seconds above 0, such as 10.");
        }
        req.healthCheckUrl().ifPresent(u -> parseUrl(u, "health-check-url"));
      }
    }

    private void checkLines(String input, List<String> lines, boolean showLine) {
      for (int i = 0; i < lines.size(); i++) {
        if (!NAME_VALUE.matcher(lines.get(i)).matches()) {
          throw new UserError("Line " + (i + 1) + " of the " + named(input)
              + (showLine ? " ('" + lines.get(i) + "')" : "") + " is not NAME=VALUE: write one NAME=VALUE per line.");
        }
      }
    }

    private URI parseUrl(String u, String input) {
      try {
        URI uri = new URI(u);
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
            || uri.getHost() == null) {
          throw new URISyntaxException(u, "not an http(s) URL with a host");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new UserError("The " + named(input) + " '" + u + "' is not an http:// or https:// URL: write it like"
            + " https://" + (app.isEmpty() ? "APP" : app) + ".fly.dev.");
      }
    }

    /** {@code flyctl deploy} as an argument array: the values are plain arguments, never shell text. */
    private List<String> deployArgs(Optional<String> image, boolean rollback) {
      List<String> a = new ArrayList<>();
      a.add("deploy");
      a.add(req.directory().toAbsolutePath().toString());
      a.add("--remote-only");
      a.add("--app=" + app);
      toml.ifPresent(t -> a.add("--config=" + t.path().toAbsolutePath()));
      image.ifPresent(i -> a.add("--image=" + i));
      if (rollback) {
        // The failed release already migrated forward; the old image's release command has nothing to add.
        a.add("--skip-release-command");
      } else {
        req.strategy().ifPresent(s -> a.add("--strategy=" + s.toLowerCase(Locale.ROOT)));
        // flyctl offers no other route for build secrets than --build-secret NAME=VALUE (see README). With an image
        // nothing is built (deploy_build.go returns before reading them), so they stay off the command line.
        if (image.isEmpty()) {
          for (String l : req.buildArgs()) a.add("--build-arg=" + l);
          for (String l : req.buildSecrets()) a.add("--build-secret=" + l);
        }
        for (String l : req.env()) a.add("--env=" + l);
      }
      req.waitTimeout().ifPresent(t -> a.add("--wait-timeout=" + t));
      if (!req.ha()) a.add("--ha=false");
      if (!rollback) a.addAll(req.extraArgs());
      return List.copyOf(a);
    }

    /** {@code flyctl deploy} for the build alone: where, which app and config, the build flags, extra-args. */
    private List<String> buildArgs() {
      List<String> a = new ArrayList<>();
      a.add("deploy");
      a.add(req.directory().toAbsolutePath().toString());
      a.add("--remote-only");
      a.add("--app=" + app);
      toml.ifPresent(t -> a.add("--config=" + t.path().toAbsolutePath()));
      for (String l : req.buildArgs()) a.add("--build-arg=" + l);
      for (String l : req.buildSecrets()) a.add("--build-secret=" + l);
      a.addAll(req.extraArgs());
      return List.copyOf(a);
    }

    /**
     * The argv as flyover shows it: build secret values as {@code ***} whatever their length (one too short to be
     * a runner mask must still not be printed, see MaskPolicy).
     */
    private static List<String> shown(List<String> argv) {
      return argv.stream().map(a -> {
        if (!a.startsWith("--build-secret=")) return a;
        int eq = a.indexOf('=', "--build-secret=".length());
        return eq < 0 ? "--build-secret=***" : a.substring(0, eq + 1) + "***";
      }).toList();
    }

    private void dryRun() {
      console.info("Dry run: nothing is changed and flyctl is not called.");
      // The app and the command are in the summary; a terminal prints it below, so they are said once.
      if (!ctx.summaryOnTerminal()) {
        console.info("App: " + app + " (https://" + hostname + "/)");
        console.info("Would run: flyctl " + String.join(" ", shown(argv).stream()
            .map(DeploySummary::shellQuote).toList()));
      }
      console.info("Then check: a release newer than the current one, complete, on the new image, running on the"
          + " app's machines" + (req.healthCheck() ? "; GET " + healthUrl() + " answers " + req.healthCheckStatus()
          + " within " + req.healthCheckRetries() + " tries" : "; no HTTP health check")
          + (req.rollback() ? "; on failure, redeploy the previous image" : "") + ".");
    }

    // ---- Fly ----

    private List<Release> currentReleases() {
      try {
        return releases();
      } catch (FlyctlException.AppNotFound e) {
        // create it below, or say so
      }
      if (!req.createApp()) {
        throw new UserError("The Fly app " + app + " does not exist: create it with `fly apps create " + app
            + "`, or set " + ctx.enabled("create-app") + " with an org token (an app-scoped deploy token cannot create apps).");
      }
      createApp();
      return List.of();
    }

    private void createApp() {
      try {
        flyctl.createApp(app, req.org());
      } catch (FlyctlException.Unauthorized e) {
        throw new UserError("create-app could not create " + app + " because the " + named("fly-api-token")
            + " is an app-scoped deploy token, and those cannot create apps: use an org token (`fly tokens create org`)"
            + " for the first deploy, then go back to a deploy token.");
      } catch (FlyctlException.NameTaken e) {
        throw new UserError("The app name " + app + " is taken by another Fly app, maybe in an organization you cannot"
            + " see (names are global across Fly.io): choose another name in fly.toml or the " + named("fly-app") + ".");
      } catch (FlyctlException e) {
        // internal/prompt/prompt.go: without a terminal, prompt.Org fails with this flyctl-owned text.
        if (e.flyError().orElse("").contains("org slug must be specified")) {
          throw new UserError("create-app needs the organization to create " + app + " in: set the " + named("org")
              + " to its slug (`fly orgs list`).");
        }
        throw e;
      }
      console.notice("Created the Fly app " + app + (req.org().map(o -> " in organization " + o).orElse("")) + ".");
    }

    private List<Release> releases() {
      return flyctl.releases(app);
    }

    private Optional<Release> lastGood(List<Release> rs) {
      return rs.stream().filter(r -> r.status().equals("complete") && !r.imageRef().isEmpty())
          .max(Comparator.comparingInt(Release::version));
    }

    private void readStatus() {
      AppStatus s = flyctl.status(app);
      if (!s.hostname().isBlank()) hostname = s.hostname();
      List<DeployResult.Machine> ms = new ArrayList<>();
      for (Machine m : s.machines()) {
        List<DeployResult.Check> checks = m.checks().stream().map(c -> new DeployResult.Check(c.name(), c.status())).toList();
        ms.add(new DeployResult.Machine(m.id(), m.processGroup(), m.region(), m.state(), m.releaseVersion(), checks));
      }
      machines = List.copyOf(ms);
    }

    private void deployAndVerify() {
      DeployOutcome at = flyctl.deploy(argv, "flyctl deploy " + app, DEPLOY_TIMEOUT);
      Optional<String> expected = at.emittedImage().or(at::builtImage).or(req::image);
      expected.ifPresent(i -> image = i);
      List<Release> after;
      try {
        after = releases();
        readStatus();
      } catch (UserError e) {
        if (at.failure().isPresent()) throw explain(at.failure().get());
        throw e;
      }
      int prev = previousVersion == null ? 0 : previousVersion;
      newest = Math.max(prev, after.stream().mapToInt(Release::version).max().orElse(0));
      Optional<Release> fresh = at.emittedVersion().flatMap(v -> after.stream().filter(r -> r.version() == v).findFirst())
          .or(() -> after.stream().filter(r -> r.version() > prev).max(Comparator.comparingInt(Release::version)));
      if (fresh.isEmpty()) {
        if (at.failure().isPresent()) throw explain(at.failure().get());
        throw UserError.outside("flyctl deploy exited 0, but Fly has no release newer than v" + prev + ", so nothing was"
            + " deployed: flyover counts this as a failure; see flyctl's output above and `fly releases -a " + app + "`.");
      }
      Release rel = fresh.get();
      // machines_deploymachinesapp.go: when marking the release final fails after a good deploy, flyctl warns, emits
      // the release JSON and exits 0, and the release stays `running`. That is proved below from the machines.
      boolean unmarked = rel.status().equals("running") && at.failure().isEmpty()
          && at.emittedVersion().map(v -> v == rel.version()).orElse(false);
      if (!rel.status().equals("complete") && !unmarked) {
        if (at.failure().isPresent()) throw explain(at.failure().get());
        throw UserError.outside("flyctl deploy exited 0, but release v" + rel.version() + " is " + rel.status()
            + ": flyover counts this as a failure; see `fly releases -a " + app + "` and `fly logs -a " + app + "`.");
      }
      if (expected.isPresent() && !sameImage(rel.imageRef(), expected.get())) {
        if (at.failure().isPresent()) throw explain(at.failure().get());
        throw UserError.outside("Release v" + rel.version() + " runs " + rel.imageRef() + ", not " + expected.get()
            + ", the image this deploy pushed: another deploy probably ran at the same time; check `fly releases -a " + app + " --image`.");
      }
      releaseVersion = rel.version();
      if (!rel.imageRef().isEmpty()) image = rel.imageRef();
      List<DeployResult.Machine> onNew = machines.stream()
          .filter(m -> m.releaseVersion().equals(String.valueOf(rel.version())) && !m.state().equals("destroyed")).toList();
      if (onNew.isEmpty()) {
        if (at.failure().isPresent()) throw explain(at.failure().get());
        throw UserError.outside("Release v" + rel.version() + " is complete but no machine of " + app + " runs it: see `fly status -a "
            + app + "`; `fly scale count 1 -a " + app + "` starts one.");
      }
      boolean critical = onNew.stream().anyMatch(m -> m.checks().stream().anyMatch(c -> c.status().equals("critical")));
      if (unmarked) {
        if (critical) {
          throw UserError.outside("flyctl deploy exited 0 but left release v" + rel.version() + " running, and its machines"
              + " report critical Fly health checks: flyover counts this as a failure; see `fly status -a " + app + "`.");
        }
        String w = "Fly could not mark release v" + rel.version() + " complete (" + at.finalStatusWarning()
            .orElse("flyctl exited 0 and left it running") + "), but " + onNew.size() + " machine(s) run it with no"
            + " critical check: flyover treats the deploy as done; `fly releases -a " + app + "` will show it as running.";
        warnings.add(w);
        console.warn(w);
      } else if (at.failure().isPresent()) {
        if (critical) throw explain(at.failure().get());
        String w = "flyctl deploy exited " + at.result().exitCode() + " (" + at.failure().get().flyError().orElse("no error line")
            + "), but release v" + rel.version() + " is complete on the new image and " + onNew.size()
            + " machine(s) run it: flyover treats the deploy as done and checks the app next.";
        warnings.add(w);
        console.warn(w);
      } else if (critical) {
        String w = "Release v" + rel.version() + " is live, but some of its machines report critical Fly health checks: see `fly status -a " + app + "`.";
        warnings.add(w);
        console.warn(w);
      }
      console.info("Fly release v" + rel.version() + " is " + (unmarked ? "deployed" : "complete") + " on " + rel.imageRef() + " (" + onNew.size() + " of "
          + machines.size() + " machine(s) run it).");
    }

    /** flyctl's failures, told as what the user should do next. */
    private UserError explain(FlyctlException e) {
      String why = e.flyError().orElse("");
      if (why.contains("release command failed")) {
        String cmd = toml.flatMap(FlyToml::releaseCommand).map(c -> " `" + c + "`").orElse("");
        return UserError.outside("The release command" + cmd + " failed, so Fly aborted the deploy and no machine was updated (" + why
            + "): fix the command or what it runs (see its log above), then push again.");
      }
      if (why.contains("timeout reached waiting for health checks")) {
        String failed = "The new machines never passed their Fly health checks, so the deploy failed (" + why + ")";
        // Unlike a failed release command, this leaves machines on the new image: worth rolling back.
        if (req.rollback()) return UserError.outside(failed + "; " + rollback() + ".");
        return UserError.outside(failed + ": check `fly logs -a " + app + "` and the checks in fly.toml, raise "
            + opt("wait-timeout") + ", or set " + ctx.enabled("rollback") + " to restore the previous image automatically.");
      }
      if (why.contains("could not find image")) {
        return new UserError("The image to deploy was not found (" + why + "): check the " + named("image") + ", and that the image"
            + " was pushed to a registry Fly can read (`fly auth docker` for registry.fly.io).");
      }
      return e;
    }

    private boolean sameImage(String actual, String expected) {
      String a = normalize(actual);
      String b = normalize(expected);
      return a.equals(b) || a.endsWith("/" + b) || b.endsWith("/" + a);
    }

    private String normalize(String ref) {
      String r = ref.replaceFirst("^(docker\\.io|index\\.docker\\.io)/", "").replaceFirst("^library/", "");
      int slash = r.lastIndexOf('/');
      return r.substring(slash + 1).contains(":") || r.contains("@") ? r : r + ":latest";
    }

    // ---- HTTP ----

    private String healthUrl() {
      String base = req.healthCheckUrl().orElse("https://" + hostname + "/");
      String path = req.healthCheckPath().startsWith("/") ? req.healthCheckPath() : "/" + req.healthCheckPath();
      if (path.equals("/") && req.healthCheckUrl().isPresent()) return base;
      return base.replaceAll("/+$", "") + path;
    }

    private void healthCheck() throws InterruptedException {
      URI url = parseUrl(healthUrl(), req.healthCheckUrl().isPresent() ? "health-check-url" : "health-check-path");
      console.group("Health check " + url);
      HealthCheck.Outcome o;
      try {
        o = new HealthCheck(console, sleeper).run(url, req.healthCheckStatus(), req.healthCheckTimeout(),
            req.healthCheckRetries());
      } finally {
        console.endGroup();
      }
      if (o.passed()) {
        healthCheck = "passed";
        healthDetail = o.last() + " from " + url + " (try " + o.attempts() + ")";
        return;
      }
      healthCheck = "failed";
      healthDetail = "no " + req.healthCheckStatus() + " from " + url + " in " + o.attempts() + " tries (last: " + o.last() + ")";
      String failed = "The health check never got " + req.healthCheckStatus() + " from " + url + " (" + o.attempts()
          + " tries, last: " + o.last() + "), so release v" + releaseVersion + " is deployed but not serving as expected";
      if (!req.rollback()) {
        throw UserError.outside(failed + ": check `fly logs -a " + app + "`, fix " + opt("health-check-path") + " or "
            + opt("health-check-status") + " if they are wrong, or set " + ctx.enabled("rollback") + " to restore the previous image automatically.");
      }
      throw UserError.outside(failed + "; " + rollback() + ".");
    }

    /** Redeploys the last good release's image; says what happened, in a clause. */
    private String rollback() {
      Optional<Release> target = lastGood(before);
      if (target.isEmpty()) {
        return "rollback was asked for, but " + app + " had no earlier complete release to go back to";
      }
      Release t = target.get();
      console.notice("Rolling back " + app + " to the image of release v" + t.version() + ": " + t.imageRef());
      DeployOutcome at = flyctl.deploy(deployArgs(Optional.of(t.imageRef()), true), "flyctl deploy " + app
          + " (rollback to v" + t.version() + ")", DEPLOY_TIMEOUT);
      try {
        List<Release> after = releases();
        readStatus();
        Optional<Release> r = after.stream().filter(x -> x.version() > newest && x.status().equals("complete")
            && sameImage(x.imageRef(), t.imageRef())).max(Comparator.comparingInt(Release::version));
        if (r.isPresent()) {
          rolledBack = true;
          rollbackVersion = r.get().version();
          String done = "flyover rolled back to release v" + t.version() + "'s image " + t.imageRef() + " as release v" + rollbackVersion;
          console.notice(done + ".");
          return done;
        }
      } catch (UserError e) {
        // fall through: the rollback's own failure is what the user needs
      }
      String why = at.failure().map(UserError::getMessage).orElse("no new complete release appeared");
      return "the rollback to release v" + t.version() + "'s image " + t.imageRef() + " failed too (" + why
          + "): roll back by hand with `fly deploy -a " + app + " --image " + t.imageRef() + "`";
    }

    // ---- GitHub and result ----

    void finishGitHub() {
      if (github.isEmpty()) return;
      github.get().finish(error == null, Optional.of("https://" + hostname + "/"),
          error == null ? "Release v" + releaseVersion + " is live" : error);
    }

    DeployResult result() {
      long seconds = Duration.between(started, ctx.clock().instant()).toSeconds();
      Optional<String> host = Optional.ofNullable(hostname);
      // Plain calls rather than method references: a dry run then never loads the GitHub classes.
      Optional<Long> deploymentId = Optional.empty();
      Optional<String> deploymentNote = Optional.empty();
      if (github.isPresent()) {
        deploymentId = github.get().id();
        deploymentNote = github.get().note();
      }
      return new DeployResult(error == null ? "success" : "failure", Optional.ofNullable(error), app, host,
          host.map(h -> "https://" + h + "/"), Optional.ofNullable(previousVersion), Optional.ofNullable(releaseVersion),
          Optional.ofNullable(previousImage), Optional.ofNullable(image), machines, healthCheck,
          Optional.ofNullable(healthDetail), rolledBack, Optional.ofNullable(rollbackVersion),
          deploymentId, deploymentNote, seconds, shown(argv), req.dryRun(),
          List.copyOf(warnings), req.directory());
    }
  }
}
