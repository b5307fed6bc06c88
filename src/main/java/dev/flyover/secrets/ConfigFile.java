package dev.flyover.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyover.UserError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config vars from a file, for people without an API key: the output of {@code heroku config -s} (read exactly
 * as the heroku CLI quotes, flyctl-heroku-facts.md B.1), of {@code heroku config --json}, or a dotenv file.
 * Error messages name the line and variable, never a value.
 */
public final class ConfigFile {
  public enum Format {
    HEROKU_SHELL("heroku config -s"), HEROKU_JSON("heroku config --json"), DOTENV("dotenv");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * @param vars the variables in file order (null for a JSON null)
   * @param refused variables whose exact value the file cannot tell, with why
   */
  public record Parsed(Format format, Map<String, String> vars, Map<String, String> refused) {}

  /**
   * Characters that make {@code heroku config -s} quote a value, besides JavaScript's {@code \s}: the regex
   * {@code /["\s#!$&'()*,:;<=>?@\[\\\]^`{|}]/} in {@code quote()}, the same in heroku CLI 11.10.0
   * ({@code dist/lib/config/quote.js}), 10.17.0 and 8.7.1 ({@code lib/lib/config/quote.js}).
   */
  private static final String SPECIAL = "\"#!$&'()*,:;<=>?@[\\]^`{|}";
  /**
   * {@code heroku config -s} writes {@code `${k}=${quote(v)}`} for every config var (heroku CLI 11.10.0
   * {@code dist/commands/config/index.js}; 10.17.0 and 8.7.1 {@code lib/commands/config/index.js}): the name as
   * Heroku has it, whatever it is ({@code FOO-BAR} too), up to the first {@code =}. Whether a name can be a Fly
   * secret is the plan's business: such a var is skipped by name there, not the whole file refused here.
   */
  private static final Pattern HEROKU_LINE = Pattern.compile("^([^=]+)=(.*)$", Pattern.DOTALL);
  /**
   * What plain {@code heroku config} prints for people: {@code styledHeader(`${app} Config Vars`)}, i.e.
   * {@code "=== " + header}, then {@code styledObject}: {@code KEY:} padded with spaces to the longest key + 2,
   * then the raw value (@heroku/heroku-cli-util 10.10.0 {@code dist/ux/styled-header.js} and
   * {@code styled-object.js}, used by heroku 11.10.0; @oclif/core 2.x {@code lib/cli-ux/index.js} and
   * {@code lib/cli-ux/styled/object.js}, used by 10.17.0 and 8.7.1). Colours only on a terminal.
   */
  private static final Pattern CONFIG_HEADER = Pattern.compile("^=== .* Config Vars[ \t]*$");
  private static final Pattern CONFIG_ROW = Pattern.compile("^[^\\s=:]+: +\\S.*$");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
  private static final Pattern DOTENV_KEY = Pattern.compile("^\\s*(?:export\\s+)?([^=\\s]+)\\s*=");
  private static final Pattern ODD_BACKSLASHES = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\(?!\\\\)");

  private ConfigFile() {}

  public static Parsed read(Path file, String input) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserError("Could not read " + file + " named by " + input + " (" + e.getClass().getSimpleName()
          + "): check the path.");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new UserError("The file " + file.getFileName() + " named by " + input + " is not UTF-8 text: save it as"
          + " UTF-8 (heroku config -s writes UTF-8).");
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    return parse(text, file.getFileName().toString(), input);
  }

  static Parsed parse(String text, String fileName, String input) {
    String where = fileName + " (" + input + ")";
    if (text.strip().startsWith("{")) return json(text, where);
    if (isHerokuConfigTable(text)) {
      // Its values are printed raw (no quoting, line breaks as they are): it cannot be read back exactly.
      throw new UserError(where + " holds the table `heroku config` prints for reading, which cannot be read back"
          + " exactly: export with `heroku config -s -a APP > " + fileName + "` (or `heroku config --json -a APP > "
          + fileName + "`) and give that file to " + input + ".");
    }
    boolean dotenv = fileName.equals(".env") || fileName.endsWith(".env") || fileName.startsWith(".env.");
    for (String line : text.split("\n", -1)) {
      String t = line.stripLeading();
      if (t.startsWith("#") || t.startsWith("export ") || t.startsWith("export\t")) dotenv = true;
    }
    return dotenv ? dotenv(text, where) : herokuShell(text, where);
  }

  /** The first non-blank line is plain {@code heroku config}'s header, or (header cut off) one of its rows. */
  static boolean isHerokuConfigTable(String text) {
    for (String line : text.split("\n", -1)) {
      String t = ANSI.matcher(stripCr(line)).replaceAll("");
      if (t.isBlank()) continue;
      return CONFIG_HEADER.matcher(t).matches() || CONFIG_ROW.matcher(t).matches();
    }
    return false;
  }

  /**
   * JavaScript's {@code \s} (ECMAScript WhiteSpace and LineTerminator: tab, LF, VT, FF, CR, space, U+00A0,
   * U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), which is what makes the heroku CLI
   * quote a value. Not Java's {@link Character#isWhitespace}: that also counts U+001C–U+001F, which the CLI
   * writes unquoted, and leaves out U+00A0, U+2007, U+202F and U+FEFF, which it quotes.
   */
  static boolean isJsSpace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F',
          '\u3000', '\uFEFF' -> true;
      default -> c >= '\u2000' && c <= '\u200A';
    };
  }

  // ---------------------------------------------------------------- heroku config --json

  private static Parsed json(String text, String where) {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UserError(where + " starts with { but is not JSON: use the output of `heroku config --json` as it is.");
    }
    if (!n.isObject()) throw new UserError(where + " is JSON but not an object of config vars.");
    Map<String, String> vars = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual() && !e.getValue().isNull()) {
        throw new UserError(where + ": " + e.getKey() + " is not a string, as `heroku config --json` writes every value.");
      }
      vars.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
    }
    return new Parsed(Format.HEROKU_JSON, vars, Map.of());
  }

  // ---------------------------------------------------------------- heroku config -s

  private static Parsed herokuShell(String text, String where) {
    Map<String, String> vars = new LinkedHashMap<>();
    Map<String, String> singleQuotedWithBackslash = new LinkedHashMap<>();
    boolean literalBackslashes = false;
    List<String> lines = List.of(text.split("\n", -1));
    for (int i = 0; i < lines.size(); i++) {
      String line = stripCr(lines.get(i));
      if (line.isEmpty()) continue;
      int lineNo = i + 1;
      Matcher m = HEROKU_LINE.matcher(line);
      if (!m.matches()) {
        throw new UserError("Line " + lineNo + " of " + where + " is not NAME=VALUE as `heroku config -s` writes it:"
            + " export with `heroku config -s -a APP > file` (or `heroku config --json`).");
      }
      String name = m.group(1);
      String raw = m.group(2);
      String value;
      if (raw.startsWith("'")) {
        StringBuilder sb = new StringBuilder(raw.substring(1));
        // The legacy CLI wrote a value with line breaks single-quoted over several lines.
        while (sb.indexOf("'") < 0 && i + 1 < lines.size()) {
          i++;
          sb.append('\n').append(stripCr(lines.get(i)));
        }
        int close = sb.indexOf("'");
        if (close < 0) throw new UserError(name + " on line " + lineNo + " of " + where + " opens a ' quote that never closes.");
        if (close != sb.length() - 1) {
          throw new UserError(name + " on line " + lineNo + " of " + where + " has text after its closing quote, which"
              + " `heroku config -s` never writes.");
        }
        value = sb.substring(0, close);
        if (value.indexOf('\\') >= 0) {
          singleQuotedWithBackslash.put(name, value);
          if (ODD_BACKSLASHES.matcher(value).find()) literalBackslashes = true;
        }
      } else if (raw.startsWith("\"")) {
        value = unescapeDouble(raw, name, lineNo, where);
      } else {
        for (char c : raw.toCharArray()) {
          if (isJsSpace(c) || SPECIAL.indexOf(c) >= 0) {
            throw new UserError(name + " on line " + lineNo + " of " + where + " has an unquoted value with spaces or"
                + " shell characters, which `heroku config -s` always quotes: re-export the file, or use a dotenv file.");
          }
        }
        value = raw;
      }
      vars.put(name, value);
    }
    Map<String, String> refused = new LinkedHashMap<>();
    if (!literalBackslashes) {
      // heroku CLI < 11.9 doubled every backslash inside '…', 11.9+ does not. A run of odd length proves the new
      // form; without one the file cannot tell whether \\ means one backslash or two.
      for (String name : singleQuotedWithBackslash.keySet()) {
        refused.put(name, "single-quoted with backslashes, which heroku CLI before 11.9 doubled and 11.9 and later do"
            + " not, and this file cannot tell which: export with `heroku config --json` or read it with heroku-api-key");
      }
    }
    return new Parsed(Format.HEROKU_SHELL, vars, refused);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String unescapeDouble(String raw, String name, int lineNo, String where) {
    StringBuilder sb = new StringBuilder();
    int i = 1;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '"') {
        if (i != raw.length() - 1) {
          throw new UserError(name + " on line " + lineNo + " of " + where + " has text after its closing quote, which"
              + " `heroku config -s` never writes.");
        }
        return sb.toString();
      }
      if (c == '\\') {
        if (i + 1 >= raw.length()) break;
        char e = raw.charAt(i + 1);
        switch (e) {
          case '"', '\\', '$', '`', '!' -> sb.append(e);
          case 'n' -> sb.append('\n');
          default -> throw new UserError(name + " on line " + lineNo + " of " + where + " has an escape that `heroku"
              + " config -s` never writes (backslash followed by something other than \" \\ $ ` ! or n).");
        }
        i += 2;
        continue;
      }
      sb.append(c);
      i++;
    }
    throw new UserError(name + " on line " + lineNo + " of " + where + " opens a \" quote that never closes.");
  }

  // ---------------------------------------------------------------- dotenv

  /**
   * The common dotenv rules: blank and {@code #} lines skipped, optional {@code export}, {@code KEY=VALUE} with
   * spaces around {@code =} allowed; {@code '…'} literal, {@code "…"} with {@code \n \r \t \" \\} escapes, both
   * possibly over several lines; an unquoted value ends at {@code  #} and is trimmed.
   */
  private static Parsed dotenv(String text, String where) {
    Map<String, String> vars = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = stripCr(lines[i]);
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      int lineNo = i + 1;
      Matcher m = DOTENV_KEY.matcher(line);
      if (!m.find()) {
        throw new UserError("Line " + lineNo + " of " + where + " is not NAME=VALUE: fix the dotenv file.");
      }
      String name = m.group(1);
      String rest = line.substring(m.end()).stripLeading();
      String value;
      if (rest.startsWith("'") || rest.startsWith("\"") || rest.startsWith("`")) {
        char q = rest.charAt(0);
        StringBuilder src = new StringBuilder(rest.substring(1));
        int close;
        while ((close = closing(src, q)) < 0 && i + 1 < lines.length) {
          i++;
          src.append('\n').append(stripCr(lines[i]));
        }
        if (close < 0) throw new UserError(name + " on line " + lineNo + " of " + where + " opens a " + q + " quote that never closes.");
        String after = src.substring(close + 1).strip();
        if (!after.isEmpty() && !after.startsWith("#")) {
          throw new UserError(name + " on line " + lineNo + " of " + where + " has text after its closing quote.");
        }
        String inner = src.substring(0, close);
        value = q == '"' ? unescapeDotenv(inner) : inner;
      } else {
        int hash = -1;
        for (int k = 0; k < rest.length(); k++) {
          if (rest.charAt(k) == '#' && (k == 0 || Character.isWhitespace(rest.charAt(k - 1)))) {
            hash = k;
            break;
          }
        }
        value = (hash < 0 ? rest : rest.substring(0, hash)).strip();
      }
      vars.put(name, value);
    }
    return new Parsed(Format.DOTENV, vars, Map.of());
  }

  private static int closing(CharSequence s, char q) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (q == '"' && c == '\\') {
        i++;
        continue;
      }
      if (c == q) return i;
    }
    return -1;
  }

  private static String unescapeDotenv(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case '"', '\\' -> sb.append(e);
          default -> sb.append('\\').append(e);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
