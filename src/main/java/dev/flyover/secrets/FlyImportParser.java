package dev.flyover.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model of how {@code flyctl secrets import} reads stdin (flyctl v0.4.87, internal/command/secrets/parser.go;
 * flyctl-heroku-facts.md A.1), rule for rule, so every value can be checked to come out exactly before it is
 * sent. Works on bytes, as Go does: lines split on {@code \n} with one trailing {@code \r} dropped; comment lines
 * and blank lines skipped; {@code NAME=VALUE} split at the first {@code =}; the key trimmed, the value's leading
 * spaces dropped; the value cut at {@code #} when the text before it holds an even number of {@code "};
 * {@code """…"""} on one line, or {@code """} opening a multi-line value closed by the first line ending in
 * {@code """} (dropped silently at EOF); one pair of {@code "} or {@code '} stripped, nothing unescaped; a value of
 * exactly {@code "} or {@code '} panics; a line over 64 KiB silently ends the input.
 */
public final class FlyImportParser {
  /** bufio.Scanner's 64 KiB buffer must hold the line and its newline. */
  public static final int MAX_LINE_BYTES = 64 * 1024 - 1;

  private FlyImportParser() {}

  /**
   * What flyctl would make of a stream.
   *
   * @param secrets the pairs, keys and values as UTF-8 bytes decoded (the stream is always ours: valid UTF-8)
   * @param stoppedAtLongLine the scanner stopped at a line over 64 KiB; the rest was ignored
   * @param droppedUnclosed a multi-line value was still open at the end and was dropped
   * @param panics flyctl would crash (exit 3) on a value of exactly {@code "} or {@code '}
   * @param error flyctl's parse error, if any (a line without {@code =})
   */
  public record Result(Map<String, byte[]> secrets, boolean stoppedAtLongLine, boolean droppedUnclosed,
      boolean panics, Optional<String> error) {
    public boolean clean() {
      return !stoppedAtLongLine && !droppedUnclosed && !panics && error.isEmpty();
    }
  }

  public static Result parse(byte[] input) {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    boolean multiline = false;
    String key = "";
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int pos = 0;
    int n = input.length;
    while (pos < n) {
      int nl = indexOf(input, (byte) '\n', pos);
      int end = nl < 0 ? n : nl;
      if (end - pos > MAX_LINE_BYTES) {
        return new Result(secrets, true, multiline, false, Optional.empty());
      }
      int lineEnd = end > pos && input[end - 1] == '\r' ? end - 1 : end;
      byte[] line = Arrays.copyOfRange(input, pos, lineEnd);
      pos = nl < 0 ? n : nl + 1;
      if (multiline) {
        if (endsWith(line, TRIPLE)) {
          buf.write(line, 0, line.length - 3);
          secrets.put(key, buf.toByteArray());
          buf.reset();
          multiline = false;
          key = "";
        } else {
          buf.write(line, 0, line.length);
          buf.write('\n');
        }
        continue;
      }
      if ((line.length > 0 && line[0] == '#') || goTrimSpace(utf8(line)).isEmpty()) continue;
      int eq = indexOf(line, (byte) '=', 0);
      if (eq < 0) {
        return new Result(secrets, false, false, false,
            Optional.of("Secrets must be provided as NAME=VALUE pairs (… is invalid)"));
      }
      String k = goTrimSpace(utf8(Arrays.copyOfRange(line, 0, eq)));
      int vs = eq + 1;
      while (vs < line.length && line[vs] == ' ') vs++;
      byte[] value = Arrays.copyOfRange(line, vs, line.length);
      int hash = indexOf(value, (byte) '#', 0);
      if (hash >= 0) {
        int quotes = 0;
        for (int i = 0; i < hash; i++) if (value[i] == '"') quotes++;
        if (quotes % 2 == 0) {
          int e = hash;
          while (e > 0 && value[e - 1] == ' ') e--;
          value = Arrays.copyOfRange(value, 0, e);
        }
      }
      if (startsWith(value, TRIPLE) && endsWith(value, TRIPLE) && value.length >= 6) {
        secrets.put(k, Arrays.copyOfRange(value, 3, value.length - 3));
      } else if (startsWith(value, TRIPLE)) {
        multiline = true;
        key = k;
        buf.reset();
        buf.write(value, 3, value.length - 3);
        buf.write('\n');
      } else {
        if (value.length > 0 && (value[0] == '"' || value[0] == '\'') && value[value.length - 1] == value[0]) {
          if (value.length == 1) return new Result(secrets, false, false, true, Optional.empty());
          value = Arrays.copyOfRange(value, 1, value.length - 1);
        }
        secrets.put(k, value);
      }
    }
    return new Result(secrets, false, multiline, false, Optional.empty());
  }

  private static final byte[] TRIPLE = {'"', '"', '"'};

  /** Go's strings.TrimSpace (unicode.IsSpace), which flyctl applies to keys and to {@code set NAME=-} input. */
  public static String goTrimSpace(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && goSpace(s.charAt(a))) a++;
    while (b > a && goSpace(s.charAt(b - 1))) b--;
    return s.substring(a, b);
  }

  static boolean goSpace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
          '\u205F', '\u3000' -> true;
      default -> c >= '\u2000' && c <= '\u200A';
    };
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) if (a[i] == b) return i;
    return -1;
  }

  private static boolean startsWith(byte[] a, byte[] p) {
    if (a.length < p.length) return false;
    for (int i = 0; i < p.length; i++) if (a[i] != p[i]) return false;
    return true;
  }

  private static boolean endsWith(byte[] a, byte[] p) {
    if (a.length < p.length) return false;
    for (int i = 0; i < p.length; i++) if (a[a.length - p.length + i] != p[i]) return false;
    return true;
  }
}
