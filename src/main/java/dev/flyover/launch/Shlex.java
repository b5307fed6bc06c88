package dev.flyover.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a command the way flyctl does before it runs one ({@code github.com/google/shlex} {@code Split}, used
 * in flyctl {@code internal/appconfig/validation.go} for {@code [processes]} and {@code release_command}, and in
 * {@code machines.go} to build a machine's {@code init.cmd}): words separated by blanks, single quotes literal,
 * double quotes with backslash escapes, a backslash escaping the next character, {@code #} starting a comment
 * at a word start. There is no shell: {@code $VAR}, {@code &&} and pipes are plain words.
 */
final class Shlex {
  private Shlex() {}

  /** The words, or empty when flyctl would refuse the string (an unclosed quote, a trailing backslash). */
  static Optional<List<String>> split(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (w == null) {
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        if (c == '#') break;
        w = new StringBuilder();
      }
      if (Character.isWhitespace(c)) {
        words.add(w.toString());
        w = null;
        i++;
      } else if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        if (end < 0) return Optional.empty();
        w.append(s, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char d = s.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\') {
            if (i + 1 >= s.length()) return Optional.empty();
            w.append(s.charAt(i + 1));
            i += 2;
          } else {
            w.append(d);
            i++;
          }
        }
        if (!closed) return Optional.empty();
      } else if (c == '\\') {
        if (i + 1 >= s.length()) return Optional.empty();
        w.append(s.charAt(i + 1));
        i += 2;
      } else {
        w.append(c);
        i++;
      }
    }
    if (w != null) words.add(w.toString());
    return Optional.of(words);
  }

  /** Single-quoted for shlex and sh alike; empty when the text holds a single quote (no portable way in). */
  static Optional<String> quote(String s) {
    return s.indexOf('\'') >= 0 ? Optional.empty() : Optional.of("'" + s + "'");
  }
}
