package dev.flyover.cutover;

import dev.flyover.UserError;
import dev.flyover.fly.FlyToml;
import dev.flyover.proc.Subprocess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code create-database: true}: the Fly Postgres cluster {@code fly launch} would make, made without prompts
 * ({@code flyctl postgres create} with name, org, region, VM size, cluster size and volume size), then
 * {@code flyctl postgres attach}, which stages DATABASE_URL on the app and prints it with its password: both
 * printed secrets are masked before any line is shown, and the URL becomes the transfer's target. Runs before
 * Heroku is frozen (it takes minutes). Never undone: the cluster is kept for inspection.
 */
final class CreateDatabaseStep implements Step {
  private final Cutover c;

  CreateDatabaseStep(Cutover c) {
    this.c = c;
  }

  @Override
  public String id() {
    return "create-database";
  }

  @Override
  public String title() {
    return "Create Fly Postgres " + c.settings.postgres().name() + " and attach it";
  }

  private boolean clusterExists() {
    String name = c.settings.postgres().name();
    Subprocess.Result r = c.fly.call("status", "-a", name, "--json").quiet().noCheck().run();
    if (r.ok()) return true;
    String err = r.stderrText().toLowerCase(java.util.Locale.ROOT);
    if (err.contains("could not find") || err.contains("could not be found") || err.contains("not found")) return false;
    throw new UserError("Could not tell whether the Fly Postgres app " + name + " exists (flyctl status exit "
        + r.exitCode() + "): check the fly-api-token input (creating databases needs an org token).");
  }

  @Override
  public Optional<String> alreadyDone() {
    if (!clusterExists()) return Optional.empty();
    if (!c.hasTarget()) {
      throw new UserError("The Fly Postgres app " + c.settings.postgres().name() + " already exists (an earlier run "
          + "created and attached it, staging DATABASE_URL on " + c.settings.flyApp() + "): pass its connection string "
          + "as the " + c.ctx.optionName("database-url") + " input, or name another cluster with "
          + c.ctx.optionName("postgres-app") + ".");
    }
    return Optional.of("Fly Postgres " + c.settings.postgres().name() + " exists; the target is the database-url input");
  }

  String region() {
    return c.settings.postgres().region()
        .or(() -> FlyToml.find(c.settings.workDir(), Optional.empty()).flatMap(FlyToml::primaryRegion))
        .orElseThrow(() -> new UserError("No region for the new Fly Postgres: set the "
            + c.ctx.optionName("postgres-region") + " input or primary_region in fly.toml."));
  }

  List<String> createArgs() {
    Settings.Postgres p = c.settings.postgres();
    return List.of("postgres", "create", "--name", p.name(), "--org", c.settings.org().orElse("personal"),
        "--region", region(), "--vm-size", p.vmSize(), "--initial-cluster-size", String.valueOf(p.clusterSize()),
        "--volume-size", String.valueOf(p.volumeGb()));
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    String name = c.settings.postgres().name();
    // quiet: stdout carries the password, so nothing is echoed before it is masked.
    Subprocess.Result created = c.fly.call(createArgs()).quiet().timeout(Duration.ofMinutes(20)).run();
    for (String line : created.stdout()) {
      String t = line.strip();
      if (t.startsWith("Password:")) c.ctx.console().mask(t.substring("Password:".length()).strip());
      if (t.startsWith("Connection string:")) c.ctx.console().maskUrl(t.substring("Connection string:".length()).strip());
    }
    show(created.stdout());
    Subprocess.Result attached = c.fly.call("postgres", "attach", "-a", c.settings.flyApp(), "--yes", "--", name)
        .quiet().timeout(Duration.ofMinutes(5)).run();
    String url = null;
    for (String line : attached.stdout()) {
      String t = line.strip();
      int eq = t.indexOf('=');
      if (eq > 0 && t.substring(0, eq).equals("DATABASE_URL")) {
        url = t.substring(eq + 1).strip();
        c.ctx.console().maskUrl(url);
      }
    }
    show(attached.stdout());
    if (url == null) {
      throw new UserError("flyctl postgres attach did not print the DATABASE_URL it staged on " + c.settings.flyApp()
          + ": pass the connection string as the database-url input and re-run.");
    }
    c.targetUrl(url);
    return "created " + name + " in " + region() + " and staged DATABASE_URL on " + c.settings.flyApp();
  }

  private void show(List<String> lines) {
    List<String> shown = new ArrayList<>(lines);
    shown.forEach(l -> c.ctx.console().child(l));
  }
}
