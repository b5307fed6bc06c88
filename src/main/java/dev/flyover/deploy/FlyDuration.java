package dev.flyover.deploy;

import java.util.regex.Pattern;

/**
 * flyctl's rule for {@code --wait-timeout} and the other deploy timeouts ({@code parseDurationFlag} in
 * internal/command/deploy/deploy.go): a Go duration ({@code 5m}, {@code 1m30s}, {@code 90s}), a plain number of
 * seconds, or {@code none}. Checked here so a bad value fails before flyctl starts a build.
 */
final class FlyDuration {
  private static final Pattern GO_DURATION =
      Pattern.compile("[-+]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+");
  private static final Pattern SECONDS = Pattern.compile("[-+]?\\d+");

  private FlyDuration() {}

  static boolean valid(String v) {
    return v.equals("none") || GO_DURATION.matcher(v).matches() || SECONDS.matcher(v).matches();
  }
}
