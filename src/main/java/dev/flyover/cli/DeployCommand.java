package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flyover deploy}. */
@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy the app to Fly.io, check the new release is serving, and report.")
final class DeployCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  DeployCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    throw new UserError("flyover deploy is not built yet.");
  }
}
