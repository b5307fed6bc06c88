package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flyover secrets}. */
@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Copy Heroku config vars to Fly secrets, byte for byte, never showing a value.")
final class SecretsCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  SecretsCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    throw new UserError("flyover secrets is not built yet.");
  }
}
