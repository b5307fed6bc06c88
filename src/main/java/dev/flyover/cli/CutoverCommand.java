package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flyover cutover}. */
@Command(name = "cutover", mixinStandardHelpOptions = true, description = "Move the app from Heroku to Fly in one run, undoing every step on failure.")
final class CutoverCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  CutoverCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    throw new UserError("flyover cutover is not built yet.");
  }
}
