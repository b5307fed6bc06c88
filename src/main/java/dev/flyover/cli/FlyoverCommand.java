package dev.flyover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code flyover}: move an app from Heroku to Fly.io and keep deploying it. Its subcommands are in
 * {@link Main#COMMANDS}, added by {@link Main#commandLine} only when a run needs them.
 */
@Command(name = "flyover", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Move an app from Heroku to Fly.io, then keep deploying it.")
public final class FlyoverCommand {
  private final dev.flyover.Context ctx;

  FlyoverCommand(dev.flyover.Context ctx) {
    this.ctx = ctx;
  }

  FlyoverCommand() {
    this(null);
  }

  @Option(names = "--summary-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Append the run's Markdown summary to FILE (default: $GITHUB_STEP_SUMMARY in Actions, text on stdout elsewhere).")
  void summaryFile(Path p) {
    if (ctx != null) ctx.summaryFile(p);
  }

  @Option(names = "--output-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Append step outputs to FILE in the runner's format (default: $GITHUB_OUTPUT in Actions).")
  void outputFile(Path p) {
    if (ctx != null) ctx.outputFile(p);
  }
}
