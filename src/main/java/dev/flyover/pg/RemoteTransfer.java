package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.fly.Flyctl;
import dev.flyover.proc.Subprocess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's own route, for databases the runner cannot reach or should not carry: the source URL is staged as
 * the Fly secret {@code HEROKU_DATABASE_URL} (value on flyctl's stdin) and deployed (a staged secret never reaches
 * running machines), {@code pg_dump | pg_restore} runs inside one of the app's machines through
 * {@code flyctl ssh console -C}, and the secret is unset (and that deployed) whatever happened.
 *
 * <p>flyctl runs {@code -C} without a shell and turns every remote failure into exit 1, so the remote command is
 * {@code sh -c '<fixed script>'} that only references environment variables (no user value is ever put into it)
 * and prints a {@code FLYOVER_RESULT dump=N restore=M} line that is the real verdict.
 */
final class RemoteTransfer {
  static final String SECRET = "HEROKU_DATABASE_URL";
  private static final Pattern RESULT = Pattern.compile("FLYOVER_RESULT dump=(\\d+) restore=(\\d+)");
  private static final Pattern REMOTE_ERROR = Pattern.compile("FLYOVER_REMOTE_ERROR (.*)");

  private final Env env;
  private final Console console;
  private final Stopper stopper;

  RemoteTransfer(Env env, Console console, Stopper stopper) {
    this.env = env;
    this.console = console;
    this.stopper = stopper;
  }

  /** The remote script: fixed text and environment variable references only. */
  static String remoteCommand(boolean overwrite) {
    String restoreFlags = overwrite ? " --clean --if-exists" : "";
    String script = "test -n \"$" + SECRET + "\" || { echo \"FLYOVER_REMOTE_ERROR " + SECRET + " is not set on the machine\"; exit 3; }; "
        + "test -n \"$DATABASE_URL\" || { echo \"FLYOVER_REMOTE_ERROR DATABASE_URL is not set on the machine\"; exit 3; }; "
        + "command -v pg_dump >/dev/null && command -v pg_restore >/dev/null"
        + " || { echo \"FLYOVER_REMOTE_ERROR pg_dump and pg_restore are not installed on the machine\"; exit 3; }; "
        + "rcfile=$(mktemp); "
        + "{ pg_dump --format=custom --compress=0 --no-owner --no-acl --no-subscriptions --dbname=\"$" + SECRET + "\"; echo $? > \"$rcfile\"; }"
        + " | pg_restore --no-owner --no-acl" + restoreFlags + " --dbname=\"$DATABASE_URL\"; "
        + "r=$?; d=$(cat \"$rcfile\"); rm -f \"$rcfile\"; echo \"FLYOVER_RESULT dump=$d restore=$r\"; "
        + "test \"$d\" = 0";
    return "sh -c '" + script + "'";
  }

  TransferResult run(TransferRequest req, long started) {
    String app = req.flyApp().orElseThrow(() -> new UserError(
        "transfer-mode remote runs inside one of the Fly app's machines: set fly-app (or app in fly.toml)."));
    Flyctl flyctl = new Flyctl(env, console, req.flyToken());
    console.info("remote transfer inside a machine of " + app + ": staging the " + SECRET + " secret");
    flyctl.call("secrets", "set", "--stage", SECRET + "=-", "--app", app)
        .stdin(req.source().raw().getBytes(StandardCharsets.UTF_8)).quiet().run();
    long t0 = System.nanoTime();
    Subprocess.Result r;
    try {
      // A staged secret is not on the running machines; deploying it restarts them with it in their environment.
      flyctl.call("secrets", "deploy", "--app", app).stream("flyctl secrets deploy (" + SECRET + ")").run();
      stopper.check();
      r = flyctl.call("ssh", "console", "--app", app, "--command", remoteCommand(req.overwrite()))
          .stream("pg_dump | pg_restore on a machine of " + app).timeout(Duration.ofHours(12)).noCheck().run();
    } finally {
      try {
        // Not staged: the machines restart without it, so the value does not linger in their environment.
        flyctl.call("secrets", "unset", SECRET, "--app", app).stream("flyctl secrets unset " + SECRET).run();
        console.info("unset the " + SECRET + " secret");
      } catch (UserError e) {
        console.warn("Could not unset the " + SECRET + " secret on " + app + " (" + e.getMessage()
            + "): remove it with flyctl secrets unset " + SECRET + " -a " + app + ".");
      }
    }
    Integer dump = null;
    Integer restore = null;
    for (String line : r.stdout()) {
      Matcher m = RESULT.matcher(line);
      if (m.find()) {
        dump = Integer.parseInt(m.group(1));
        restore = Integer.parseInt(m.group(2));
      }
      Matcher e = REMOTE_ERROR.matcher(line);
      if (e.find()) throw new UserError("The remote transfer could not start: " + e.group(1) + ".");
    }
    List<String> all = new ArrayList<>(r.stderr());
    all.addAll(r.stdout());
    if (dump == null) {
      throw new DatabaseTransfer.TransferFailure("the remote command printed no result (flyctl "
          + (r.exitCode() == 0 ? "exited 0" : Tools.lastError(r.stderr())) + ")", null);
    }
    if (dump != 0) {
      throw new DatabaseTransfer.TransferFailure("pg_dump on the machine exited with status " + dump + " ("
          + lastMatching(all, "pg_dump") + ")", null);
    }
    RestoreLog log = RestoreLog.parse(all);
    for (String b : log.benign) console.info("pg_restore: ignored a harmless error: " + b);
    if (!log.ok()) {
      throw new DatabaseTransfer.TransferFailure("pg_restore on the machine failed: " + log.fatal.get(0), null);
    }
    if (restore != 0 && log.benign.isEmpty()) {
      throw new DatabaseTransfer.TransferFailure("pg_restore on the machine exited with status " + restore, null);
    }
    Duration copy = Duration.ofNanos(System.nanoTime() - t0);
    console.info(String.format(java.util.Locale.ROOT, "remote pg_dump | pg_restore finished in %.1fs", copy.toMillis() / 1000.0));
    return new TransferResult("?", "?", 0, TransferRequest.Mode.REMOTE, 1, req.verify(), List.of(), 0, 0, List.of(), 0,
        copy, Duration.ZERO, Duration.ofNanos(System.nanoTime() - started), false);
  }

  private static String lastMatching(List<String> lines, String prefix) {
    for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith(prefix)) return lines.get(i);
    return "no output";
  }
}
