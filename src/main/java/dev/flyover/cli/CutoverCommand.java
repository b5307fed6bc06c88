package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.cutover.Cutover;
import dev.flyover.cutover.CutoverRun;
import dev.flyover.cutover.Settings;
import dev.flyover.fly.Flyctl;
import dev.flyover.heroku.HerokuClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flyover cutover}: plan, then every step with its undo. */
@Command(name = "cutover", mixinStandardHelpOptions = true, description = "Move the app from Heroku to Fly in one run, undoing every step on failure.")
final class CutoverCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Mixin
  HerokuOptions heroku;

  @Mixin
  CutoverOptions cutover;

  @Mixin
  DeployOptions deploy;

  @Option(names = "--confirm", paramLabel = "HEROKU_APP",
      description = "Must equal heroku-app for the cutover to change anything; empty: plan only (exit 0, cutover-status=planned).")
  String confirm;

  @Option(names = "--dry-run", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "BOOL",
      description = "Plan and preview every part (secrets, database preflight, the flyctl deploy command), then stop; change nothing.")
  boolean dryRun;

  CutoverCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    Optional<String> confirmed = Optional.ofNullable(confirm).filter(s -> !s.isBlank());
    Cutover c = build(ctx, fly, heroku, cutover, deploy, confirmed);
    if (dryRun || confirmed.isEmpty()) {
      CutoverRun.preview(c, dryRun);
      return 0;
    }
    CutoverRun.run(c);
    return 0;
  }

  static Cutover build(Context ctx, FlyOptions fly, HerokuOptions heroku, CutoverOptions options,
      DeployOptions deploy, Optional<String> confirm) {
    String herokuApp = heroku.requireApp(ctx);
    String flyApp = fly.appName(ctx);
    Settings s = options.settings(ctx, herokuApp, flyApp, fly.directory(ctx), confirm, deploy.buildFrom(ctx));
    Flyctl flyctl = new Flyctl(ctx.env(), ctx.console(), fly.token());
    HerokuClient client = heroku.client(ctx);
    return new Cutover(ctx, s, client, flyctl,
        new ComposedParts(ctx, s, flyctl, client, deploy.request(fly, s.workDir()),
            deploy.builder(fly, s.workDir()).dryRun(true).build(), options, fly.token()));
  }
}
