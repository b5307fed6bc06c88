package dev.flyover.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flyover.Env;
import dev.flyover.proc.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How flyctl reports a failure, and the one place that reads it. Rules read in flyctl's source at ad0172f
 * (v0.4.87+6, 2026-08-21) and fly-go v0.9.6; the image pins flyctl 0.4.111.
 *
 * <p>internal/cli/cli.go {@code printError}: {@code Error: <err>} (plus {@code (Request ID: …)}) on stderr, then
 * optional description, suggestion and doc-URL paragraphs, each followed by a blank line. Exit codes
 * (internal/cli/cli.go, main.go): 1 errors, 126 deadline, 127 cancelled, 3 recovered panic.
 *
 * <p>On Machines-API paths the error is the server's own text (fly-go flaps/flaps.go {@code handleAPIError}), so no
 * rule here matches a server wording that flyctl does not fix itself; where one is unavoidable it says so.
 */
final class FlyErrors {
  private FlyErrors() {}

  /** What followed {@code Error: }, and the paragraphs printed after it. */
  record Text(Optional<String> error, List<String> details) {}

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
  /** fly-go flaps/flaps_error.go {@code Suggestion()} for status {@code name_taken}: a fixed client-side text. */
  static final String NAME_TAKEN_SUGGESTION = "App names are unique across all of Fly.io";
  /** fly-go flaps/flaps_error.go {@code legacyNameTakenMessage}: fly-go's own fallback when there is no status. */
  private static final String LEGACY_NAME_TAKEN = "Name has already been taken";
  /** fly-go api.go {@code ErrNoAuthToken}; flyctl also returns it for a stale login (internal/command/command.go). */
  private static final String NO_TOKEN = "no access token available";
  /** GraphQL's answer for an unknown app; flyctl matches the same text (internal/command/deploy/deploy.go). */
  private static final String GRAPHQL_NO_APP = "Could not find App";
  /** internal/command/command.go {@code TokenTimeout}. */
  static final Duration LOGIN_MAX_AGE = Duration.ofDays(30);

  /**
   * Errors flyctl returns from {@code secrets set}/{@code import} before it stores anything
   * (internal/command/secrets/set.go {@code runSet}, import.go {@code runImport}: app lookup, argument and stdin
   * parsing), and the prefix it wraps a failed store with ({@code SetSecretsAndDeploy}: {@code update secrets:}).
   */
  private static final List<String> SECRETS_NOT_STORED = List.of("update secrets:", "could not parse secrets:",
      "Failed to parse secrets from stdin:", "requires at least one SECRET=VALUE pair", "error reading stdin for",
      "Input exceeded max length", "expects standard input but none provided");

  static Text text(Subprocess.Result r) {
    List<String> lines = r.stderr().stream().map(l -> ANSI.matcher(l).replaceAll("")).toList();
    int at = -1;
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("Error: ")) at = i;
    if (at < 0) return new Text(Optional.empty(), List.of());
    String err = lines.get(at).substring("Error: ".length()).strip();
    List<String> details = new ArrayList<>();
    for (int i = at + 1; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.startsWith("Stacktrace:")) break;
      if (!l.isEmpty()) details.add(l);
    }
    return new Text(Optional.of(err), List.copyOf(details));
  }

  static FlyctlException classify(Env env, boolean tokenGiven, List<String> args, Subprocess.Result r, Duration timeout) {
    return classify(env, tokenGiven, args, r, timeout, n -> env.inActions() ? n + " input" : "--" + n + " option");
  }

  /** @param named how the run's surface names an option ("fly-app input" / "--fly-app option") */
  static FlyctlException classify(Env env, boolean tokenGiven, List<String> args, Subprocess.Result r, Duration timeout,
      java.util.function.UnaryOperator<String> named) {
    Text t = text(r);
    String verb = "flyctl " + verbOf(args);
    if (r.timedOut()) {
      return new FlyctlException(verb + " did not finish within " + human(timeout)
          + " and was stopped; raise the matching timeout or check Fly's status page.", r, t);
    }
    String why = t.error().orElseGet(() -> lastLine(r));
    switch (r.exitCode()) {
      case 126:
        return new FlyctlException(verb + " gave up waiting (deadline exceeded): " + why + ".", r, t);
      case 127:
        return new FlyctlException(verb + " was cancelled.", r, t);
      case 3:
        return new FlyctlException(verb + " crashed inside flyctl (exit 3); this is a flyctl bug: try again or use"
            + " another flyctl version.", r, t);
      default:
        break;
    }
    String lower = why.toLowerCase(Locale.ROOT);
    String tokenInput = "the " + named.apply("fly-api-token");
    if (lower.contains(NO_TOKEN)) {
      return new FlyctlException.NotLoggedIn(notLoggedIn(env, tokenGiven, tokenInput), r, t);
    }
    if (t.details().stream().anyMatch(d -> d.startsWith(NAME_TAKEN_SUGGESTION)) || why.contains(LEGACY_NAME_TAKEN)) {
      return new FlyctlException.NameTaken(verb + " failed: the name is taken (" + why + "); Fly app names are"
          + " global, so another organization may hold it.", r, t);
    }
    // GraphQL's wordings for a refused token; server texts, kept from flyover's earlier rules (a miss is generic).
    if (lower.contains("must be authenticated") || lower.contains("not authorized") || lower.contains("unauthorized")
        || lower.contains("invalid token") || lower.contains("token validation")) {
      return new FlyctlException.Unauthorized("Fly rejected the API token (" + why + "): check " + tokenInput
          + ", and that the token belongs to this app or its organization.", r, t);
    }
    if (why.contains(GRAPHQL_NO_APP)) {
      return new FlyctlException.AppNotFound("The Fly app does not exist (" + why + "): check the " + named.apply("fly-app") + " or"
          + " `app` in fly.toml, or create it.", r, t);
    }
    if (args.size() > 1 && args.get(0).equals("secrets") && (args.get(1).equals("set") || args.get(1).equals("import"))) {
      boolean staged = args.contains("--stage");
      boolean notStored = staged || SECRETS_NOT_STORED.stream().anyMatch(why::contains);
      return new FlyctlException.SecretsUpdateFailed(verb + " failed (exit " + r.exitCode() + "): " + stripDot(why) + ".",
          r, t, !notStored);
    }
    if (lower.contains("config file not found")) {
      return new FlyctlException("fly.toml was not found (" + why + "): check the " + named.apply("config") + " and the "
          + named.apply("working-directory") + ".", r, t);
    }
    return new FlyctlException(verb + " failed (exit " + r.exitCode() + "): " + stripDot(why) + ".", r, t);
  }

  /**
   * flyctl refuses a token from its config file when {@code last_login} is missing or over 30 days old and it
   * cannot prompt (internal/command/command.go {@code RequireSession}, {@code handleReLogin}); a token from the
   * environment or {@code --access-token} is never aged. Tell a terminal user which one happened.
   */
  static String notLoggedIn(Env env, boolean tokenGiven, String tokenInput) {
    if (!tokenGiven) {
      Optional<Instant> last = lastLogin(env);
      if (last.isPresent() && last.get().isBefore(Instant.now().minus(LOGIN_MAX_AGE))) {
        return "Your `fly auth login` session is from " + last.get().toString().substring(0, 10) + ", over 30 days ago,"
            + " and flyctl refuses it when it cannot prompt: run `fly auth login` again, or pass " + tokenInput + ".";
      }
      if (last.isEmpty() && hasConfigToken(env)) {
        return "Your `fly auth login` session has no login date, so flyctl treats it as expired when it cannot prompt:"
            + " run `fly auth login` again, or pass " + tokenInput + ".";
      }
    }
    return "No Fly API token: set " + tokenInput + " (from `fly tokens create deploy`) or FLY_API_TOKEN"
        + (env.inActions() ? "." : ", or run `fly auth login`.");
  }

  /** helpers/config.go: {@code FLY_CONFIG_DIR}, else {@code ~/.fly}; the file is config.yml. */
  private static Optional<JsonNode> configFile(Env env) {
    Optional<Path> dir = Optional.ofNullable(env.raw("FLY_CONFIG_DIR")).map(Path::of)
        .or(() -> env.get("HOME").map(h -> Path.of(h, ".fly")));
    if (dir.isEmpty()) return Optional.empty();
    Path file = dir.get().resolve("config.yml");
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      return Optional.ofNullable(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static boolean hasConfigToken(Env env) {
    return configFile(env).map(n -> !n.path("access_token").asText("").isBlank()).orElse(false);
  }

  /** internal/config/config.go {@code last_login}. */
  static Optional<Instant> lastLogin(Env env) {
    return configFile(env).flatMap(n -> {
      String v = n.path("last_login").asText("");
      if (v.isBlank()) return Optional.empty();
      try {
        return Optional.of(OffsetDateTime.parse(v).toInstant());
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  private static String lastLine(Subprocess.Result r) {
    List<String> lines = r.stderr().isEmpty() ? r.stdout() : r.stderr();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) return ANSI.matcher(lines.get(i)).replaceAll("").strip();
    }
    return "no output";
  }

  static String verbOf(List<String> args) {
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

  static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 ? (s / 60) + " min" : s + " s";
  }
}
