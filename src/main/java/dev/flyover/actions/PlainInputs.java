package dev.flyover.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads action.yml's {@code inputs:} without a YAML library, for {@code flyover action}'s start-up: building
 * Jackson's YAML reader costs more than the rest of a dry run. It understands only the plain layout action.yml
 * keeps (two-space names, four-space {@code key: scalar} lines, one line each) and gives up, returning empty, on
 * anything else, so the caller falls back to the full parser. PlainInputsTest holds it equal to that parser.
 */
final class PlainInputs {
  private static final Pattern NAME = Pattern.compile("  ([A-Za-z_][A-Za-z0-9_-]*):");
  private static final Pattern KEY = Pattern.compile("    ([A-Za-z]+): ?(.*)");
  private static final Set<String> KEYS = Set.of("description", "required", "default", "deprecationMessage");
  /** Plain scalars whose meaning is the same in any YAML reading: no indicators, no type ambiguity. */
  private static final Pattern SAFE_PLAIN = Pattern.compile("[A-Za-z/$][^#:\"'\\\\]*");
  private static final Pattern TYPED = Pattern.compile(
      "(?i)(true|false|yes|no|on|off|y|n|null|~|[-+.0-9].*|\\.inf|\\.nan)");

  private PlainInputs() {}

  static Optional<List<ActionManifest.Input>> parse(String yaml) {
    if (yaml.indexOf('\t') >= 0 || yaml.indexOf('\r') >= 0) return Optional.empty();
    String[] lines = yaml.split("\n", -1);
    int i = 0;
    while (i < lines.length && !lines[i].equals("inputs:")) i++;
    if (i == lines.length) return Optional.empty();
    List<ActionManifest.Input> inputs = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    String name = null;
    String description = null;
    String defaultValue = null;
    boolean required = false;
    Set<String> keys = new java.util.HashSet<>();
    for (i++; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : "end:";
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
      boolean topLevel = !line.startsWith(" ");
      Matcher n = NAME.matcher(line);
      if (topLevel || n.matches()) {
        if (name != null) {
          inputs.add(new ActionManifest.Input(name, description == null ? "" : description,
              Optional.ofNullable(defaultValue), required));
        }
        if (topLevel) break;
        name = n.group(1);
        if (!seen.add(name)) return Optional.empty();
        description = null;
        defaultValue = null;
        required = false;
        keys.clear();
        continue;
      }
      Matcher k = KEY.matcher(line);
      if (name == null || !k.matches() || !KEYS.contains(k.group(1)) || !keys.add(k.group(1))) return Optional.empty();
      Optional<String> value = scalar(k.group(2));
      if (value.isEmpty()) return Optional.empty();
      switch (k.group(1)) {
        case "description" -> description = value.get();
        case "default" -> defaultValue = value.get();
        case "required" -> {
          if (!value.get().equals("true") && !value.get().equals("false")) return Optional.empty();
          required = value.get().equals("true");
        }
        default -> { }
      }
    }
    return Optional.of(List.copyOf(inputs));
  }

  /** One single-line scalar, or empty when it is anything this reader does not handle exactly. */
  private static Optional<String> scalar(String raw) {
    String v = raw.strip();
    if (v.isEmpty()) return Optional.empty();
    if (v.startsWith("\"")) return doubleQuoted(v);
    if (v.startsWith("'")) {
      if (v.length() < 2 || !v.endsWith("'")) return Optional.empty();
      String body = v.substring(1, v.length() - 1);
      if (body.replace("''", "").contains("'")) return Optional.empty();
      return Optional.of(body.replace("''", "'"));
    }
    if (v.equals("true") || v.equals("false") || v.matches("0|[1-9][0-9]{0,8}")) return Optional.of(v);
    if (TYPED.matcher(v).matches() || !SAFE_PLAIN.matcher(v).matches() || v.contains(" #")) return Optional.empty();
    return Optional.of(v);
  }

  private static Optional<String> doubleQuoted(String v) {
    if (v.length() < 2 || !v.endsWith("\"")) return Optional.empty();
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < v.length() - 1; i++) {
      char c = v.charAt(i);
      if (c == '"') return Optional.empty();
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (++i >= v.length() - 1) return Optional.empty();
      switch (v.charAt(i)) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(sb.toString());
  }
}
