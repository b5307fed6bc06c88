package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.actions.ActionManifest;
import dev.flyover.secrets.MaskPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The container's entry point. Reads the inputs exactly as the runner passes them ({@code INPUT_<NAME>}, a
 * left-out input arriving as ""), masks the secret ones before anything prints, and runs the command named by
 * the {@code command} input with each input given as the option of the same name.
 */
@Command(name = "action", mixinStandardHelpOptions = true, description = "Run as the GitHub Action: read INPUT_* variables and run the command they name.")
final class ActionCommand extends RunCommand {
  ActionCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run() {
    ctx.actionMode(true);
    List<ActionManifest.Input> inputs = ActionManifest.loadInputs();
    for (ActionManifest.Input in : inputs) {
      Optional<String> v = value(in);
      if (v.isEmpty()) continue;
      if (SECRET_OPTIONS.contains("--" + in.name()) || SECRET_URL_OPTIONS.contains("--" + in.name())) {
        MaskPolicy.secret(ctx.console(), v.get());
      }
      // Split as the option splits them (DeployOptions: one per line); before any outside text is printed.
      if (SECRET_LINE_OPTIONS.contains("--" + in.name())) maskLineValues(ctx.console(), "--" + in.name(), List.of(v.get().split("\\r?\\n")));
    }
    String command = inputs.stream().filter(in -> in.name().equals("command")).findFirst()
        .flatMap(this::value).orElse("deploy");
    if (!Main.COMMANDS.containsKey(command) || command.equals("action")) {
      List<String> names = new ArrayList<>(Main.COMMANDS.keySet());
      names.remove("action");
      List<String> near = BadParameters.closest(command, names);
      throw new UserError("The command input is '" + command + "', which flyover does not know: "
          + (near.isEmpty() ? "use one of " + String.join(", ", names) : "did you mean " + String.join(" or ", near)
              + "? (the commands are " + String.join(", ", names) + ")") + ".");
    }
    CommandLine root = Main.commandLine(ctx, List.of(command));
    CommandLine sub = root.getSubcommands().get(command);
    List<String> args = new ArrayList<>();
    args.add(command);
    for (ActionManifest.Input in : inputs) {
      if (in.name().equals("command")) continue;
      Optional<String> v = value(in);
      if (v.isEmpty()) continue;
      OptionSpec opt = sub.getCommandSpec().findOption("--" + in.name());
      if (opt == null) {
        if (!v.equals(in.defaultValue().map(String::strip))) {
          ctx.console().warn("Input '" + in.name() + "' is not used by the " + command + " command and was ignored.");
        }
        continue;
      }
      args.add("--" + in.name() + "=" + v.get());
    }
    ctx.console().debug("running: flyover " + String.join(" ", args.stream()
        .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=') + 1) + "…" : a).toList()));
    return root.execute(args.toArray(String[]::new));
  }

  /** The input's value, trimmed as the toolkit's getInput does; "" means the input was left out. */
  private Optional<String> value(ActionManifest.Input in) {
    String raw = ctx.env().raw(in.envName());
    if (raw == null) return Optional.empty();
    String v = raw.strip();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
