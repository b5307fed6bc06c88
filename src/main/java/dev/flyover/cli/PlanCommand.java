package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flyover plan}. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Read Heroku and Fly and print what a cutover would do; change nothing.")
final class PlanCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  PlanCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    throw new UserError("flyover plan is not built yet.");
  }
}
