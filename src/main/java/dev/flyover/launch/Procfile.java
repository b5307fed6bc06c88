package dev.flyover.launch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Procfile as Heroku reads it: one {@code type: command} per line, the type made of letters, digits, {@code _}
 * and {@code -}; other lines (blank, comments) are ignored, and a type given twice keeps its last command.
 */
public final class Procfile {
  private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(.*?)\\s*$");

  private Procfile() {}

  /** Process type → command, in file order. */
  public static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\\r?\\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches() && !m.group(2).isEmpty()) {
        out.remove(m.group(1));
        out.put(m.group(1), m.group(2));
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
