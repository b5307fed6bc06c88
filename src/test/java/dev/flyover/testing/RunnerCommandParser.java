package dev.flyover.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A port of how the GitHub Actions runner turns a step's output into workflow commands, to judge flyover's real
 * stdout the way the runner would. Read from actions/runner at commit 258d6c857db3519913f7deb6004b60172f8043ae
 * (runner 2.336.0, 2026-08-17); each rule names the file it came from. Not the runner's code: its rules, in Java.
 *
 * <p>Where the runner calls culture-sensitive .NET string methods ({@code StartsWith(string)},
 * {@code IndexOf(string)}, which on Linux go through ICU collation) a character with no collation weight is skipped
 * as if it were not there: {@code "\u200B::x::y"} starts with {@code "::"} for the runner. The exact ICU set is
 * not reproducible here, so {@link #collationIgnorable} is a deliberately wide superset: the oracle may see a
 * command the runner would not, never the reverse.
 */
public final class RunnerCommandParser {
  /** A command the runner obeyed. {@code name} is the registered name (lower case); {@code line} is 0-based. */
  public record Command(String name, String writtenName, Map<String, String> properties, String data, int line,
      boolean v2) {}

  /**
   * Commands registered for a step (ActionCommandManager.cs: Initialize registers "stop-commands" and each
   * IActionCommandExtension's Command but "internal-set-repo-path", which only plugins enable).
   */
  static final Set<String> REGISTERED = Set.of("stop-commands", "set-env", "set-output", "save-state", "add-mask",
      "add-path", "add-matcher", "remove-matcher", "debug", "warning", "error", "notice", "group", "endgroup", "echo");

  /** ActionCommandManager.cs: a HashSet with StringComparer.OrdinalIgnoreCase. */
  private final Set<String> registered = new LinkedHashSet<>(REGISTERED);
  private boolean stopped;
  private String stopToken;
  private final List<Command> commands = new ArrayList<>();
  private final List<String> shown = new ArrayList<>();
  private final List<String> masks = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private int lineNo;

  /** Feeds one stream's bytes (decoded as UTF-8, as ProcessInvoker's StreamReader does by default on Linux). */
  public RunnerCommandParser feed(String streamText) {
    for (String line : readLines(streamText)) onLine(line);
    return this;
  }

  public List<Command> commands() {
    return List.copyOf(commands);
  }

  /** The step's log as the runner writes it: lines that were not commands, masked with the masks known then. */
  public List<String> shown() {
    return List.copyOf(shown);
  }

  /** Every value registered with the runner's secret masker. */
  public List<String> masks() {
    return List.copyOf(masks);
  }

  /** Commands the runner would fail on (an unusable stop token). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public boolean stopped() {
    return stopped;
  }

  // ---- lines: Runner.Sdk/ProcessInvoker.cs StartReadStream reads with StreamReader.ReadLine ----

  /**
   * StreamReader.ReadLine: a line ends at "\n", "\r" or "\r\n" (only those: not U+0085, U+2028 or U+2029); the
   * text after the last terminator is a line if not empty; an empty stream has no lines.
   */
  public static List<String> readLines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(s.substring(start, i));
        i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < s.length()) out.add(s.substring(start));
    return out;
  }

  // ---- Runner.Worker/Handlers/OutputManager.cs OnDataReceived ----

  private void onLine(String line) {
    int n = lineNo++;
    // OutputManager: only lines holding "##[" or "::" (culture-sensitive IndexOf) are offered to the manager.
    if (!line.isEmpty() && (cultureIndexOf(line, "##[", 0) >= 0 || cultureIndexOf(line, "::", 0) >= 0)) {
      if (tryProcessCommand(line, n)) return;
    }
    // OutputManager then prints it (after problem matchers, which flyover's steps do not register).
    output(line);
  }

  private void output(String line) {
    String masked = line;
    // SecretMasker: every registered value is replaced by "***" when the line is written (longest first here;
    // the runner also masks derived encodings such as base64, not modelled).
    List<String> byLength = new ArrayList<>(masks);
    byLength.sort(Comparator.comparingInt(String::length).reversed());
    for (String m : byLength) masked = masked.replace(m, "***");
    shown.add(masked);
  }

  // ---- Runner.Worker/ActionCommandManager.cs TryProcessCommand ----

  private boolean tryProcessCommand(String input, int n) {
    Parsed cmd = tryParseV2(input, registered);
    if (cmd == null) cmd = tryParseV1(input, registered);
    if (cmd == null) return false;
    // ("notice" needs the server's EnhancedAnnotations flag, which github.com sets: assumed on.)
    if (stopped) {
      // Only the token resumes, compared OrdinalIgnoreCase; the resume line is echoed to the log.
      if (stopToken != null && !stopToken.isEmpty() && cmd.name.equalsIgnoreCase(stopToken)) {
        output(input);
        registered.removeIf(r -> r.equalsIgnoreCase(stopToken));
        stopped = false;
        stopToken = null;
        return true;
      }
      return false; // printed as plain text
    }
    if (cmd.name.equalsIgnoreCase("stop-commands")) {
      // ValidateStopToken: empty, "pause-logging" or an already registered command fails the command (and the
      // step) unless ACTIONS_ALLOW_UNSECURE_STOP_COMMAND_TOKENS is set; the runner is then not stopped.
      if (cmd.data.isEmpty() || cmd.data.equalsIgnoreCase("pause-logging") || containsIgnoreCase(registered, cmd.data)) {
        problems.add("invalid stop-commands token '" + cmd.data + "' at line " + n);
        return true;
      }
      stopToken = cmd.data;
      stopped = true;
      registered.add(stopToken);
      if (stopToken.length() > 6) masks.add(stopToken); // the token is masked from then on
      output(input);
      commands.add(new Command("stop-commands", cmd.name, cmd.properties, cmd.data, n, cmd.v2));
      return true;
    }
    String canonical = cmd.name.toLowerCase(Locale.ROOT);
    commands.add(new Command(canonical, cmd.name, cmd.properties, cmd.data, n, cmd.v2));
    if (canonical.equals("add-mask")) {
      // AddMaskCommandExtension: blank data only warns; else the whole value and each line of it
      // (Split on CR/LF, RemoveEmptyEntries | TrimEntries).
      if (!cmd.data.isBlank() && !isDotnetBlank(cmd.data)) {
        masks.add(cmd.data);
        for (String part : cmd.data.split("[\r\n]")) {
          String t = dotnetTrim(part);
          if (!t.isEmpty()) masks.add(t);
        }
      }
    }
    return true;
  }

  private static boolean containsIgnoreCase(Set<String> set, String s) {
    return set.stream().anyMatch(x -> x.equalsIgnoreCase(s));
  }

  record Parsed(String name, Map<String, String> properties, String data, boolean v2) {}

  // ---- Runner.Common/ActionCommand.cs TryParseV2: "::name k=v,k=v::data" ----

  static Parsed tryParseV2(String message, Set<String> registered) {
    if (message.isEmpty()) return null;
    // "the message needs to start with the keyword after trim leading space": String.TrimStart() trims
    // Char.IsWhiteSpace, then StartsWith("::") is culture-sensitive.
    message = dotnetTrimStart(message);
    int afterPrefix = cultureStartsWith(message, "::");
    if (afterPrefix < 0) return null;
    // IndexOf("::", 2): culture-sensitive, from index 2 (_commandKey.Length), not from after skipped ignorables.
    int endIndex = cultureIndexOf(message, "::", 2);
    if (endIndex < 0) return null;
    if (endIndex < 2) return null; // Substring would throw: caught, not a command
    String cmdInfo = message.substring(2, endIndex);
    int space = cmdInfo.indexOf(' '); // char IndexOf: ordinal
    String name = space < 0 ? cmdInfo : cmdInfo.substring(0, space);
    if (!containsIgnoreCase(registered, name)) return null;
    Map<String, String> props = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // OrdinalIgnoreCase dictionary
    if (space > 0) {
      String propertiesStr = dotnetTrim(cmdInfo.substring(space + 1));
      for (String property : dotnetSplitRemoveEmpty(propertiesStr, ',', Integer.MAX_VALUE)) {
        List<String> pair = dotnetSplitRemoveEmpty(property, '=', 2);
        if (pair.size() == 2) props.put(pair.get(0), unescapeProperty(pair.get(1)));
      }
    }
    // Data starts after the separator's matched text (endIndex + 2 chars in the runner: the separator is plain).
    String data = unescapeData(message.substring(Math.min(message.length(), endIndex + 2)));
    return new Parsed(name, new LinkedHashMap<>(props), data, true);
  }

  // ---- Runner.Common/ActionCommand.cs TryParse (v1): "##[name k=v;k=v]data", found ANYWHERE in the line ----

  static Parsed tryParseV1(String message, Set<String> registered) {
    if (message.isEmpty()) return null;
    int prefixIndex = cultureIndexOf(message, "##[", 0);
    if (prefixIndex < 0) return null;
    int rb = message.indexOf(']', prefixIndex); // char IndexOf: ordinal
    if (rb < 0) return null;
    int cmdIndex = prefixIndex + 3;
    if (rb < cmdIndex) return null; // Substring would throw: caught, not a command
    String cmdInfo = message.substring(cmdIndex, rb);
    int space = cmdInfo.indexOf(' ');
    String name = space < 0 ? cmdInfo : cmdInfo.substring(0, space);
    if (!containsIgnoreCase(registered, name)) return null;
    Map<String, String> props = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (space > 0) {
      for (String property : dotnetSplitRemoveEmpty(cmdInfo.substring(space + 1), ';', Integer.MAX_VALUE)) {
        List<String> pair = dotnetSplitRemoveEmpty(property, '=', 2);
        if (pair.size() == 2) props.put(pair.get(0), unescapeV1(pair.get(1)));
      }
    }
    return new Parsed(name, new LinkedHashMap<>(props), unescapeV1(message.substring(rb + 1)), false);
  }

  // ---- Runner.Common/ActionCommand.cs escape mappings, replaced in the order listed there ----

  /** _escapeMappings (v1): %3B ; then %0D, %0A, %5D ], %25 % last. */
  static String unescapeV1(String s) {
    if (s.isEmpty()) return "";
    return s.replace("%3B", ";").replace("%0D", "\r").replace("%0A", "\n").replace("%5D", "]").replace("%25", "%");
  }

  /** _escapeDataMappings: %0D, %0A, then %25. */
  static String unescapeData(String s) {
    if (s.isEmpty()) return "";
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
  }

  /** _escapePropertyMappings: %0D, %0A, %3A :, %2C ,, then %25. */
  static String unescapeProperty(String s) {
    if (s.isEmpty()) return "";
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
  }

  // ---- .NET string semantics the rules above rely on ----

  /**
   * Char.IsWhiteSpace (dotnet/runtime Char.cs): U+0009–U+000D, U+0020, U+0085, U+00A0, and the Unicode
   * categories Zs, Zl, Zp (U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). Unlike Java's
   * Character.isWhitespace it includes U+00A0/U+2007/U+202F and excludes U+001C–U+001F.
   */
  public static boolean dotnetIsWhiteSpace(char c) {
    if (c <= 0x00FF) return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0;
    int t = Character.getType(c);
    return t == Character.SPACE_SEPARATOR || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
  }

  public static String dotnetTrimStart(String s) {
    int i = 0;
    while (i < s.length() && dotnetIsWhiteSpace(s.charAt(i))) i++;
    return s.substring(i);
  }

  static String dotnetTrim(String s) {
    String t = dotnetTrimStart(s);
    int end = t.length();
    while (end > 0 && dotnetIsWhiteSpace(t.charAt(end - 1))) end--;
    return t.substring(0, end);
  }

  static boolean isDotnetBlank(String s) {
    return dotnetTrim(s).isEmpty();
  }

  /**
   * String.Split(char, count, RemoveEmptyEntries) as dotnet/runtime String.Manipulation.cs does it: empty pieces
   * are dropped, and once count-1 pieces are taken the empty pieces that follow are skipped and the rest of the
   * string is the last piece ("a==b" split on '=' with count 2 gives "a" and "b").
   */
  static List<String> dotnetSplitRemoveEmpty(String s, char sep, int count) {
    List<String> out = new ArrayList<>();
    List<Integer> seps = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == sep) seps.add(i);
    if (s.isEmpty()) return out;
    if (seps.isEmpty()) {
      out.add(s);
      return out;
    }
    int curr = 0;
    for (int i = 0; i < seps.size(); i++) {
      String entry = s.substring(curr, seps.get(i));
      if (!entry.isEmpty()) out.add(entry);
      curr = seps.get(i) + 1;
      if (out.size() == count - 1) {
        while (++i < seps.size()) {
          if (!s.substring(curr, seps.get(i)).isEmpty()) break;
          curr = seps.get(i) + 1;
        }
        break;
      }
    }
    if (curr < s.length()) out.add(s.substring(curr));
    return out;
  }

  /**
   * Characters treated as having no collation weight. A superset of ICU's root collation ignorables: C0/C1
   * controls but the whitespace ones, every Cf (format) character (U+00AD, U+200B–U+200F, U+202A–U+202E,
   * U+2060–U+206F, U+FEFF, U+E0001…), variation selectors, unassigned and private-use code points, and
   * unpaired surrogates.
   */
  public static boolean collationIgnorable(char c) {
    if (c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85) return false;
    int t = Character.getType(c);
    if (t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED || t == Character.PRIVATE_USE
        || t == Character.SURROGATE) return true;
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x180B && c <= 0x180F) || c == 0x034F || c == 0x115F
        || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || (c >= 0x17B4 && c <= 0x17B5);
  }

  /** Culture-sensitive StartsWith: the index just after the match, or -1. */
  static int cultureStartsWith(String s, String prefix) {
    return matchAt(s, 0, prefix);
  }

  /** Culture-sensitive IndexOf(value, startIndex): where the match begins (ignorables before it skipped), or -1. */
  static int cultureIndexOf(String s, String value, int from) {
    for (int i = from; i < s.length(); i++) {
      if (collationIgnorable(s.charAt(i))) continue;
      if (matchAt(s, i, value) >= 0) return i;
    }
    return -1;
  }

  private static int matchAt(String s, int at, String value) {
    int i = at;
    for (int k = 0; k < value.length(); k++) {
      while (i < s.length() && collationIgnorable(s.charAt(i))) i++;
      if (i >= s.length() || s.charAt(i) != value.charAt(k)) return -1;
      i++;
    }
    return i;
  }
}
