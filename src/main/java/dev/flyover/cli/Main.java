package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.Env;
import java.io.OutputStream;
import picocli.CommandLine;

/** The jar's entry point: {@code java -jar flyover.jar <command>}, and the container's ({@code flyover action}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(Env.system(), args, System.out, System.err);
    System.exit(code);
  }

  /** Runs one command with the given environment and streams, then writes outputs and summary. */
  public static int run(Env env, String[] args, OutputStream out, OutputStream err) {
    Context ctx = new Context(env, out, err);
    return run(ctx, args);
  }

  public static int run(Context ctx, String[] args) {
    int code;
    try {
      code = commandLine(ctx).execute(args);
    } finally {
      ctx.finish();
    }
    return code;
  }

  /** The command tree for one run; commands get the {@link Context} through their constructor. */
  public static CommandLine commandLine(Context ctx) {
    CommandLine cl = new CommandLine(new FlyoverCommand(), new ContextFactory(ctx));
    cl.setDefaultValueProvider(new EnvDefaults(ctx.env()));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(new BadParameters(ctx));
    cl.setOut(new java.io.PrintWriter(ctx.console().stdout(), true));
    cl.setErr(new java.io.PrintWriter(ctx.console().stderr(), true));
    return cl;
  }
}
