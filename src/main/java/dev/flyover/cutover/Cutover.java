package dev.flyover.cutover;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.fly.Flyctl;
import dev.flyover.fly.MpgConnection;
import dev.flyover.secrets.MaskPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cutover: the settings, the systems it talks to, the steps in order, and what they learn along the way
 * (the plan, the target database, DNS records, timings) for the report.
 */
public final class Cutover {
  final Context ctx;
  final Settings settings;
  final dev.flyover.heroku.HerokuClient heroku;
  final Flyctl fly;
  final Parts parts;

  Plan plan;
  private String sourceUrl;
  private String targetUrl;
  private List<String> publicValues;
  final List<DnsRecord> dns = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  /** The image the build step pushed, which the deploy step deploys. */
  String builtImage;

  public Cutover(Context ctx, Settings settings, dev.flyover.heroku.HerokuClient heroku, Flyctl fly, Parts parts) {
    this.ctx = ctx;
    this.settings = settings;
    this.heroku = heroku;
    this.fly = fly;
    this.parts = parts;
    settings.databaseUrl().ifPresent(u -> {
      MaskPolicy.secret(ctx.console(), u);
      targetUrl = u;
    });
    settings.herokuDatabaseUrl().ifPresent(u -> {
      MaskPolicy.secret(ctx.console(), u);
      sourceUrl = u;
    });
  }

  public Settings settings() {
    return settings;
  }

  public Optional<Plan> plan() {
    return Optional.ofNullable(plan);
  }

  public List<DnsRecord> dnsRecords() {
    return List.copyOf(dns);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  void warn(String w) {
    if (!warnings.contains(w)) {
      warnings.add(w);
      ctx.console().warn(w);
    }
  }

  /** The steps this cutover runs, in order; the plan prints the same list. */
  public List<Step> steps() {
    List<Step> steps = new ArrayList<>();
    steps.add(new PlanStep(this));
    // First of the changes: a build that fails stops the cutover before a database is created or Heroku frozen.
    parts.build().ifPresent(b -> steps.add(new BuildStep(this, b)));
    if (settings.createDatabase() && settings.database() == Settings.DatabaseChoice.TRANSFER) {
      steps.add(new CreateDatabaseStep(this));
    }
    steps.add(new PartStep("secrets", "Stage Heroku config vars as Fly secrets", this, () -> parts.secrets()));
    steps.add(new MaintenanceStep(this));
    steps.add(new ScaleWorkersStep(this));
    switch (settings.database()) {
      case TRANSFER -> steps.add(new PartStep("database", "Copy the database to Fly and verify it", this,
          () -> parts.database(sourceUrl(), targetUrl())));
      case KEEP_HEROKU -> steps.add(new KeepHerokuDatabaseStep(this));
      case SKIP -> { }
    }
    if (settings.database() == Settings.DatabaseChoice.TRANSFER && settings.setDatabaseUrl() && !settings.createDatabase()) {
      steps.add(new SetDatabaseUrlStep(this));
    }
    steps.add(new PartStep("deploy", "Deploy on Fly and check it is healthy", this, () -> parts.deploy(Optional.ofNullable(builtImage))));
    steps.add(new CertificatesStep(this));
    steps.add(new HerokuAfterStep(this));
    return steps;
  }

  /**
   * Registers the config vars' secret values, by the one policy every command uses ({@link MaskPolicy}): the
   * app names and domains, which the plan and the DNS table print, are this run's public identifiers.
   */
  void maskConfigVars(Map<String, String> vars) {
    if (publicValues == null) {
      publicValues = MaskPolicy.publicIdentifiers(Optional.of(settings.herokuApp()), settings.flyApp(),
          heroku.domains(settings.herokuApp()));
    }
    MaskPolicy.configVars(ctx.console(), vars, publicValues);
  }

  /** Heroku's DATABASE_URL (or the heroku-database-url input), masked the moment it is read. */
  String sourceUrl() {
    if (sourceUrl != null) return sourceUrl;
    Map<String, String> vars = heroku.configVars(settings.herokuApp());
    maskConfigVars(vars);
    String url = vars.get("DATABASE_URL");
    if (url == null || url.isBlank()) {
      throw new UserError("Heroku app " + settings.herokuApp() + " has no DATABASE_URL config var: set the "
          + ctx.named("heroku-database-url") + ", or use " + ctx.given("database", "skip") + ".");
    }
    MaskPolicy.secret(ctx.console(), url);
    sourceUrl = url;
    return url;
  }

  boolean hasTarget() {
    return targetUrl != null;
  }

  String targetUrl() {
    if (targetUrl == null) {
      throw new UserError("No target database: set the " + ctx.named("database-url")
          + " (Fly Postgres connection string), or " + ctx.enabled("create-database") + ", or "
          + ctx.given("database", "skip") + ".");
    }
    // A Managed Postgres cluster ID becomes its connection string once, before any step uses it (DATABASE_URL too).
    if (MpgConnection.isClusterId(targetUrl)) targetUrl = MpgConnection.resolveTarget(targetUrl, () -> fly, ctx::optionName);
    return targetUrl;
  }

  void targetUrl(String url) {
    MaskPolicy.secret(ctx.console(), url);
    targetUrl = url;
  }

  Instant now() {
    return ctx.clock().instant();
  }
}
