package dev.flyover.secrets;

import dev.flyover.actions.Console;
import dev.flyover.heroku.Domain;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one rule for what flyover registers as a mask, used by every command (secrets, plan, cutover, deploy,
 * database). The runner's masker has no minimum length and works on the whole job log
 * (actions/runner {@code src/Runner.Worker/ActionCommandManager.cs} AddMaskCommandExtension, see
 * /work/shared/reference/runner-commands.md): registering {@code 2}, {@code true} or the app's name would blank
 * that text in every later line, output and summary, and hide nothing. So:
 * <ul>
 *   <li>a secret (token, password, URL, build secret, config var value) is registered whole, stripped, line by
 *       line, and, for a URL, its password as written and percent-decoded, each only when at least
 *       {@value #MIN_LENGTH} characters long;</li>
 *   <li>a config var is not a secret when it is Heroku's dyno metadata or a platform variable (the app's name,
 *       release, commit; PORT, DYNO), a setting word or a small number (see {@link #notSecret}), or a public
 *       identifier of this run (the Heroku and Fly app names, the app's domains), which the plan and the DNS
 *       table print anyway.</li>
 * </ul>
 * A value too short to register is still never printed by flyover itself: plans and reports carry names, never
 * values, and messages that might quote one go through {@link #scrub}.
 */
public final class MaskPolicy {
  /** Shorter values (and lines) are not registered: masking "-" or "}" would blank that character everywhere. */
  public static final int MIN_LENGTH = 3;

  /**
   * Words a setting takes (booleans, Mix/Rails/Node environments, log levels): guessable in a few tries, so a mask
   * protects nothing, and masking "true" or "prod" blanks every output that says so (database-verified, a
   * GitHub environment named production).
   */
  private static final Set<String> SETTING_WORDS = Set.of("true", "false", "yes", "no", "on", "off", "enabled",
      "disabled", "prod", "production", "staging", "stage", "dev", "development", "test", "info", "debug", "warn",
      "warning", "error", "none", "null");
  /** Pool sizes, ports, thread counts, timeouts, memory in MB: up to five digits. */
  private static final Pattern SMALL_NUMBER = Pattern.compile("[0-9]{1,5}");

  private MaskPolicy() {}

  /**
   * Why a config var's value is not registered as a mask, or empty when it is a secret.
   *
   * @param publicValues this run's public identifiers (app names, domains), compared case-insensitively
   */
  public static Optional<String> notSecret(String name, String value, Collection<String> publicValues) {
    if (value == null || value.strip().isEmpty()) return Optional.of("empty");
    if (Exclusions.DYNO_METADATA.contains(name) || name.equals("PORT") || name.equals("DYNO")) {
      return Optional.of("Heroku dyno metadata or a platform variable");
    }
    String v = value.strip();
    if (v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      if (v.length() < MIN_LENGTH) return Optional.of("shorter than " + MIN_LENGTH + " characters");
      if (SETTING_WORDS.contains(v.toLowerCase(Locale.ROOT))) return Optional.of("a setting word");
      if (SMALL_NUMBER.matcher(v).matches()) return Optional.of("a small number");
      for (String p : publicValues) {
        if (p != null && !p.isBlank() && p.strip().equalsIgnoreCase(v)) return Optional.of("a public identifier of this app");
      }
    }
    return Optional.empty();
  }

  /**
   * This run's public identifiers: the app names, their platform hostnames, and the Heroku app's domains (with
   * the DNS targets Heroku gave them), all of which the plan, the DNS table and the outputs print.
   */
  public static List<String> publicIdentifiers(Optional<String> herokuApp, String flyApp, List<Domain> domains) {
    List<String> ids = new ArrayList<>();
    herokuApp.ifPresent(h -> {
      ids.add(h);
      ids.add(h + ".herokuapp.com");
    });
    ids.add(flyApp);
    ids.add(flyApp + ".fly.dev");
    for (Domain d : domains) {
      if (d.hostname() != null) ids.add(d.hostname());
      if (d.cname() != null) ids.add(d.cname());
    }
    return List.copyOf(ids);
  }

  /**
   * Registers a value whose kind flyover does not know (a mistyped option's): as a config var's, so a setting
   * word or a small number is not turned into a mask over the whole log.
   */
  public static void unknown(Console con, String value) {
    if (notSecret("", value, List.of()).isEmpty()) secret(con, value);
  }

  /** Registers every config var's value that is a secret by {@link #notSecret}, before anything prints. */
  public static void configVars(Console con, Map<String, String> vars, Collection<String> publicValues) {
    vars.forEach((k, v) -> configVar(con, k, v, publicValues));
  }

  public static void configVar(Console con, String name, String value, Collection<String> publicValues) {
    if (notSecret(name, value, publicValues).isEmpty()) secret(con, value);
  }

  /**
   * Registers a database setting's value ({@code ALTER DATABASE|ROLE … SET}, pg_db_role_setting) that can be a
   * secret: an application setting (a dotted name such as {@code app.jwt_secret}, a custom placeholder variable in
   * PostgreSQL) by the config var rule. A built-in parameter ({@code search_path}, {@code timezone},
   * {@code work_mem}) is server configuration, not a secret, and masking {@code UTC} would blank it everywhere.
   */
  public static void setting(Console con, String name, String value) {
    if (name.contains(".")) configVar(con, name, value, List.of());
  }

  /**
   * Registers a value known to be secret (a token, a password, a connection URL, a build secret): whole and
   * stripped, each line of a multi-line value, and a URL's password as written and percent-decoded (a child
   * may print either); each part only when it is at least {@value #MIN_LENGTH} characters long.
   */
  public static void secret(Console con, String value) {
    for (String part : parts(value)) con.mask(part);
  }

  /** What {@link #secret} registers, in order (for tests and for {@link #scrub}). */
  static List<String> parts(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) return out;
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      if (value.strip().length() < MIN_LENGTH) return out;
      out.add(value);
      if (!value.equals(value.strip())) out.add(value.strip());
      String password = urlPassword(value.strip());
      if (password.length() >= MIN_LENGTH) out.add(password);
      try {
        String decoded = URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (decoded.strip().length() >= MIN_LENGTH && !decoded.equals(password)) out.add(decoded);
      } catch (IllegalArgumentException notPercentEncoded) {
        // the raw form is registered
      }
      return out;
    }
    for (String line : value.split("\r\n|\r|\n")) {
      if (line.strip().length() >= MIN_LENGTH) {
        out.add(line.strip());
        if (!line.equals(line.strip())) out.add(line);
      }
    }
    return out;
  }

  /** The password in {@code scheme://user:password@host…}, or "". */
  static String urlPassword(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) return "";
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? "" : userInfo.substring(colon + 1);
  }

  /**
   * A message from outside (flyctl's error, which may quote a line it was given) with every value taken out:
   * the registrable parts by text, and a value too short to register where it follows its name
   * ({@code NAME=2}, {@code NAME: 2}), since replacing "2" everywhere would garble the message.
   */
  public static String scrub(String message, Map<String, String> vars) {
    if (message == null) return null;
    String out = message;
    List<String> registrable = vars.values().stream().flatMap(v -> parts(v).stream()).distinct()
        .sorted((a, b) -> b.length() - a.length()).collect(Collectors.toList());
    for (String v : registrable) out = out.replace(v, "***");
    for (Map.Entry<String, String> e : vars.entrySet()) {
      String v = e.getValue();
      if (v == null || v.isEmpty() || !parts(v).isEmpty()) continue;
      out = out.replaceAll(Pattern.quote(e.getKey()) + "(\\s*[=:]\\s*)" + Pattern.quote(v.strip()) + "(?![A-Za-z0-9])",
          java.util.regex.Matcher.quoteReplacement(e.getKey()) + "$1***");
    }
    return out;
  }
}
