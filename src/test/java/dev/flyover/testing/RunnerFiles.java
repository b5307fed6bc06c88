package dev.flyover.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Actions runner's file-command parser for GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE, rule for rule
 * (FileCommandManager.cs): {@code name=value}, or {@code name<<DELIM} heredocs ending at the first line exactly
 * equal to DELIM; anything else fails the step, as it does on the runner.
 */
public final class RunnerFiles {
  private RunnerFiles() {}

  public static final class InvalidFileCommand extends RuntimeException {
    InvalidFileCommand(String m) {
      super(m);
    }
  }

  public static Map<String, String> parseKeyValue(String content) {
    Map<String, String> out = new LinkedHashMap<>();
    if (content.isEmpty()) return out;
    List<String> lines = List.of(content.split("\n", -1));
    // A final "\n" leaves one empty string after it: that is the end, not a line.
    int n = content.endsWith("\n") ? lines.size() - 1 : lines.size();
    int i = 0;
    while (i < n) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        i++;
        continue;
      }
      int eq = line.indexOf('=');
      int heredoc = line.indexOf("<<");
      if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
        i++;
      } else if (heredoc >= 0) {
        String name = line.substring(0, heredoc);
        String delim = line.substring(heredoc + 2);
        if (name.isEmpty() || delim.isEmpty()) {
          throw new InvalidFileCommand("Invalid format '" + line + "'. Name must not be empty and delimiter must not be empty");
        }
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        boolean found = false;
        for (; j < lines.size(); j++) {
          if (j == n && !content.endsWith("\n")) {
            // the last line without a newline may only be the delimiter itself
            if (lines.get(j).equals(delim)) found = true;
            break;
          }
          if (j >= n) break;
          if (lines.get(j).equals(delim)) {
            found = true;
            break;
          }
          if (j > i + 1) value.append('\n');
          value.append(lines.get(j));
        }
        if (!found) throw new InvalidFileCommand("Invalid value. Matching delimiter not found '" + delim + "'");
        out.put(name, value.toString());
        i = j + 1;
      } else {
        throw new InvalidFileCommand("Invalid format '" + line + "'");
      }
    }
    return out;
  }
}
