package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.RunReport;
import java.io.OutputStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The jar's entry point: {@code java -jar flyover.jar <command>}, and the container's ({@code flyover action}). */
public final class Main {
  /**
   * flyover's commands, in the order {@code --help} lists them. picocli builds a command's model by reflection,
   * which is most of a run's start-up time, so a run builds only the commands it can reach.
   */
  public static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("deploy", DeployCommand.class);
    m.put("secrets", SecretsCommand.class);
    m.put("database", DatabaseCommand.class);
    m.put("plan", PlanCommand.class);
    m.put("cutover", CutoverCommand.class);
    m.put("launch", LaunchCommand.class);
    m.put("action", ActionCommand.class);
    return java.util.Collections.unmodifiableMap(m);
  }

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
    int code = 1;
    try {
      code = commandLine(ctx, reachable(args)).execute(args);
    } finally {
      code = RunReport.written(ctx, code);
      exitLine(ctx, code);
    }
    return code;
  }

  /**
   * On the remote transfer's machine the runner reads the exit status from the log stream: the last line is
   * {@code flyover-exit <token> <code>}, the token read from the file {@code FLYOVER_EXIT_TOKEN_FILE} names (a
   * secret file only the runner and the machine know, so no text from a database can forge the line).
   */
  static void exitLine(Context ctx, int code) {
    java.util.Optional<String> file = ctx.env().get("FLYOVER_EXIT_TOKEN_FILE");
    if (file.isEmpty()) return;
    String token;
    try {
      token = java.nio.file.Files.readString(java.nio.file.Path.of(file.get()), java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (java.io.IOException | RuntimeException e) {
      token = "unreadable";
    }
    ctx.console().flush();
    ctx.console().stdout().println("flyover-exit " + token + " " + code);
    ctx.console().stdout().flush();
  }

  /** The commands {@code args} can reach: the one it starts with, none for a lone --version, else all. */
  static Collection<String> reachable(String[] args) {
    if (args.length > 0 && COMMANDS.containsKey(args[0])) return List.of(args[0]);
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return List.of();
    return COMMANDS.keySet();
  }

  /** The whole command tree for one run; commands get the {@link Context} through their constructor. */
  public static CommandLine commandLine(Context ctx) {
    return commandLine(ctx, COMMANDS.keySet());
  }

  /** The command tree with only the named subcommands (names from {@link #COMMANDS}). */
  public static CommandLine commandLine(Context ctx, Collection<String> commands) {
    ContextFactory factory = new ContextFactory(ctx);
    // The root gets the run's context: --summary-file and --output-file (inherited by every command) set it.
    CommandLine cl = new CommandLine(new FlyoverCommand(ctx), factory);
    for (String name : commands) {
      cl.addSubcommand(name, new CommandLine(COMMANDS.get(name), factory));
    }
    cl.setDefaultValueProvider(new EnvDefaults(ctx.env()));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(new BadParameters(ctx));
    cl.setOut(new java.io.PrintWriter(ctx.console().stdout(), true));
    cl.setErr(new java.io.PrintWriter(ctx.console().stderr(), true));
    return cl;
  }
}
