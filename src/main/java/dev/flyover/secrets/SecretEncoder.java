package dev.flyover.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Chooses how each value reaches flyctl exactly. First choice: a line (or {@code """} block) of the
 * {@code secrets import} stream, in whichever of {@code 'v'}, {@code "v"} or {@code """v"""} flyctl's parser
 * ({@link FlyImportParser}) reads back byte for byte. Second: {@code secrets set NAME=-}, one value on stdin,
 * exact only when it has no leading or trailing whitespace (flyctl trims) and fits in 64 KiB. Otherwise none.
 */
public final class SecretEncoder {
  /** helpers.ReadStdin(64 * 1024): more is an error. */
  public static final int MAX_STDIN_BYTES = 64 * 1024;

  private SecretEncoder() {}

  /** How a value travels. */
  public enum Route {
    /** In the one {@code flyctl secrets import} stream. */
    IMPORT,
    /** Alone, by {@code flyctl secrets set NAME=-} on stdin. */
    SET_STDIN,
    /** No exact route. */
    NONE
  }

  /** The route, the import text when the route is IMPORT, and why not when NONE. */
  public record Encoding(Route route, String importValue, String why) {}

  public static Encoding encode(String name, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (!new String(bytes, StandardCharsets.UTF_8).equals(value)) {
      return new Encoding(Route.NONE, null, "its value is not valid Unicode text (a lone surrogate)");
    }
    for (String form : List.of("'" + value + "'", "\"" + value + "\"", "\"\"\"" + value + "\"\"\"")) {
      if (roundTrips(Map.of(name, value), Map.of(name, form))) return new Encoding(Route.IMPORT, form, null);
    }
    if (setStdinExact(value)) return new Encoding(Route.SET_STDIN, null, null);
    return new Encoding(Route.NONE, null, whyNot(value, bytes));
  }

  /** {@code set NAME=-} gives back exactly this value. */
  public static boolean setStdinExact(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length <= MAX_STDIN_BYTES
        && FlyImportParser.goTrimSpace(value).equals(value);
  }

  private static String whyNot(String value, byte[] bytes) {
    String imp;
    if (value.indexOf('\n') < 0) {
      imp = "it is one line of " + bytes.length + " bytes and flyctl secrets import stops at lines over 64 KiB";
    } else if (value.contains("\r\n")) {
      imp = "it has CRLF line breaks, which flyctl secrets import turns into LF";
    } else {
      imp = "flyctl secrets import cannot carry its line structure (a line over 64 KiB, or one ending in \"\"\" or #-comment-like text)";
    }
    String set = bytes.length > MAX_STDIN_BYTES
        ? "it is " + bytes.length + " bytes and flyctl secrets set NAME=- reads at most 64 KiB"
        : "it starts or ends with whitespace, which flyctl secrets set NAME=- trims";
    return imp + ", and " + set;
  }

  /** The import stream for these name → import-form pairs. */
  public static byte[] stream(Map<String, String> forms) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : forms.entrySet()) {
      byte[] line = (e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(line, 0, line.length);
    }
    return out.toByteArray();
  }

  /** flyctl's parser reads exactly {@code expected} (no more, no less, byte for byte) from the stream of {@code forms}. */
  public static boolean roundTrips(Map<String, String> expected, Map<String, String> forms) {
    FlyImportParser.Result r = FlyImportParser.parse(stream(forms));
    if (!r.clean() || r.secrets().size() != expected.size()) return false;
    for (Map.Entry<String, String> e : expected.entrySet()) {
      byte[] got = r.secrets().get(e.getKey());
      if (got == null || !Arrays.equals(got, e.getValue().getBytes(StandardCharsets.UTF_8))) return false;
    }
    return true;
  }
}
