package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flyover database}. */
@Command(name = "database", mixinStandardHelpOptions = true, description = "Copy the Heroku Postgres database to Fly Postgres and verify it.")
final class DatabaseCommand extends RunCommand {
  @Mixin
  FlyOptions fly;

  DatabaseCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    throw new UserError("flyover database is not built yet.");
  }
}
