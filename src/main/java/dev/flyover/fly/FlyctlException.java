package dev.flyover.fly;

import dev.flyover.UserError;
import dev.flyover.proc.Subprocess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A failed flyctl call, told in one sentence built from flyctl's exit code and its {@code Error:} line. */
public final class FlyctlException extends UserError {
  private final transient Subprocess.Result result;

  private FlyctlException(String message, Subprocess.Result result) {
    super(message);
    this.result = result;
  }

  public Subprocess.Result result() {
    return result;
  }

  /** The text after {@code Error: } on stderr, or empty. */
  public Optional<String> flyError() {
    return errorLine(result);
  }

  static Optional<String> errorLine(Subprocess.Result r) {
    for (String line : r.stderr()) {
      if (line.startsWith("Error: ")) return Optional.of(line.substring("Error: ".length()).strip());
    }
    return Optional.empty();
  }

  static FlyctlException from(List<String> args, Subprocess.Result r, Duration timeout) {
    String verb = "flyctl " + verbOf(args);
    if (r.timedOut()) {
      return new FlyctlException(verb + " did not finish within " + human(timeout)
          + " and was stopped; raise the matching timeout input or check Fly's status page.", r);
    }
    Optional<String> err = errorLine(r);
    String why = err.orElseGet(() -> lastLine(r));
    String message = switch (r.exitCode()) {
      case 126 -> verb + " gave up waiting (deadline exceeded): " + why + ".";
      case 127 -> verb + " was cancelled.";
      case 3 -> verb + " crashed inside flyctl (exit 3); this is a flyctl bug: try again or use another flyctl version.";
      default -> explain(verb, why, r.exitCode());
    };
    return new FlyctlException(message, r);
  }

  /** Known flyctl failures turned into what the user should do. */
  private static String explain(String verb, String why, int code) {
    String lower = why.toLowerCase();
    if (lower.contains("no access token available")) {
      return "No Fly API token: set the fly-api-token input (from `fly tokens create deploy`) or FLY_API_TOKEN.";
    }
    if (lower.contains("must be authenticated") || lower.contains("not authorized") || lower.contains("unauthorized")
        || lower.contains("invalid token") || lower.contains("token validation")) {
      return "Fly rejected the API token (" + why + "): check the fly-api-token input, and that the token belongs to this app or its organization.";
    }
    if (lower.contains("could not be found") || lower.contains("could not find app")) {
      return "The Fly app does not exist (" + why + "): check the fly-app input or `app` in fly.toml, or set create-app: true.";
    }
    if (lower.contains("config file not found")) {
      return "fly.toml was not found (" + why + "): check the config and working-directory inputs.";
    }
    return verb + " failed (exit " + code + "): " + why + (why.endsWith(".") ? "" : ".");
  }

  private static String lastLine(Subprocess.Result r) {
    List<String> lines = r.stderr().isEmpty() ? r.stdout() : r.stderr();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) return lines.get(i).strip();
    }
    return "no output";
  }

  private static String verbOf(List<String> args) {
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      if (a.startsWith("-")) break;
      if (a.contains("/")) continue; // a working directory or config path says nothing about the verb
      if (sb.length() > 0) sb.append(' ');
      sb.append(a);
      if (sb.length() > 40) break;
    }
    return sb.toString();
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 ? (s / 60) + " min" : s + " s";
  }
}
