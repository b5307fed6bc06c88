package dev.flyover.fly;

import dev.flyover.Env;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment flyctl (and {@code flyctl proxy}, {@code fly mpg proxy}) runs with: an allow-list, not flyover's
 * whole environment. A workflow step's environment holds every {@code INPUT_*} (the Heroku API key and database
 * URLs among them), the GitHub token and whatever else the job set; flyctl needs none of it. What it does read was
 * listed from flyctl's source (ad0172f, v0.4.87+6): {@code internal/env/env.go} (CI detection, the GitHub run
 * metadata it records on a deploy), {@code helpers/config.go} ({@code FLY_CONFIG_DIR}, else {@code HOME/.fly}),
 * {@code internal/config/config.go} (the {@code FLY_*} settings and tokens), Go's net/http and crypto/x509 (proxy and
 * CA variables).
 */
public final class FlyEnv {
  private FlyEnv() {}

  /** Passed through by exact name. */
  private static final Set<String> NAMES = Set.of(
      "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE",
      "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
      "SSL_CERT_FILE", "SSL_CERT_DIR",
      "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy",
      // internal/env/env.go: IsCI() and the deploy-trigger metadata; none of these is a secret.
      "CI", "GITHUB_ACTIONS", "GITHUB_SHA", "GITHUB_REF", "GITHUB_REF_NAME", "GITHUB_REF_TYPE", "GITHUB_HEAD_REF",
      "GITHUB_EVENT_NAME", "GITHUB_ACTION", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_SERVER_URL",
      "RUNNER_TEMP");

  /** Passed through by prefix: flyctl's own settings ({@code FLY_*}) and the locale ({@code LC_*}). */
  private static final String[] PREFIXES = {"FLY_", "LC_"};

  /**
   * The child's whole environment. {@code FLY_ACCESS_TOKEN} is dropped (flyctl prefers it over {@code FLY_API_TOKEN},
   * internal/config/config.go, so a stale one would win over the token flyover was given) and, with a token,
   * {@code FLY_API_TOKEN} is set to it. {@code CLICOLOR_FORCE} is never passed and {@code NO_COLOR=1} is set:
   * iostreams/color.go colours {@code Error: } under CLICOLOR_FORCE even without a terminal, and NO_COLOR does not
   * override it, so every error parse would fail.
   */
  public static Map<String, String> forFlyctl(Env parent, Optional<String> token) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : parent.asMap().entrySet()) {
      if (allowed(e.getKey())) out.put(e.getKey(), e.getValue());
    }
    out.remove("FLY_ACCESS_TOKEN");
    token.ifPresent(t -> out.put("FLY_API_TOKEN", t));
    out.remove("CLICOLOR_FORCE");
    out.put("NO_COLOR", "1");
    return out;
  }

  static boolean allowed(String name) {
    if (NAMES.contains(name)) return true;
    for (String p : PREFIXES) if (name.startsWith(p)) return true;
    return false;
  }
}
