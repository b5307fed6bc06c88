package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.cutover.Cutover;
import dev.flyover.cutover.CutoverRun;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flyover plan}: the first phase of every cutover, on its own. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Read Heroku and Fly and print what a cutover would do; change nothing.")
final class PlanCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  @Mixin
  HerokuOptions heroku;

  @Mixin
  CutoverOptions cutover;

  /** The cutover's deploy inputs, so a plan run with the cutover's inputs sees its image (the plan never deploys). */
  @Mixin
  DeployOptions deploy;

  PlanCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    Cutover c = CutoverCommand.build(ctx, fly, heroku, cutover, deploy, Optional.empty());
    CutoverRun.plan(c);
    return 0;
  }
}
