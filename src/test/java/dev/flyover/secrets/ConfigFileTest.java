package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.UserError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
  private static ConfigFile.Parsed parse(String text, String name) {
    return ConfigFile.parse(text, name, "from-file");
  }

  @Test
  void herokuShellQuotingAsTheCliWritesIt() {
    ConfigFile.Parsed p = parse("A=plain\nB=\nC='a b#c $d'\nD=\"it's \\$5\\! \\\"q\\\" \\\\ \\`x\\`\\nline2\"\r\n", "vars.txt");
    assertEquals(ConfigFile.Format.HEROKU_SHELL, p.format());
    assertEquals(Map.of("A", "plain", "B", "", "C", "a b#c $d", "D", "it's $5! \"q\" \\ `x`\nline2"), p.vars());
    assertEquals(List.of("A", "B", "C", "D"), List.copyOf(p.vars().keySet()));
  }

  @Test
  void legacyMultiLineSingleQuotes() {
    ConfigFile.Parsed p = parse("KEY='-----BEGIN-----\nabc\n-----END-----'\nNEXT=1\n", "vars.txt");
    assertEquals("-----BEGIN-----\nabc\n-----END-----", p.vars().get("KEY"));
    assertEquals("1", p.vars().get("NEXT"));
  }

  @Test
  void doubledBackslashesAreAmbiguousUnlessAnOddRunProvesTheNewForm() {
    ConfigFile.Parsed old = parse("P='a\\\\b c'\n", "vars.txt");
    assertTrue(old.refused().containsKey("P"));
    ConfigFile.Parsed proven = parse("P='a\\\\b c'\nQ='x\\y z'\n", "vars.txt");
    assertEquals(Map.of(), proven.refused());
    assertEquals("a\\\\b c", proven.vars().get("P"));
  }

  @Test
  void whatHerokuNeverWritesIsRefusedByLine() {
    UserError bare = assertThrows(UserError.class, () -> parse("A=two words\n", "vars.txt"));
    assertTrue(bare.getMessage().startsWith("A on line 1 of vars.txt (from-file) has an unquoted value"), bare.getMessage());
    UserError escape = assertThrows(UserError.class, () -> parse("A=\"x\\ty\"\n", "vars.txt"));
    assertTrue(escape.getMessage().contains("escape"), escape.getMessage());
    UserError words = assertThrows(UserError.class, () -> parse("A=1\njust some words\n", "vars.txt"));
    assertTrue(words.getMessage().startsWith("Line 2 of vars.txt (from-file) is not NAME=VALUE"), words.getMessage());
    assertTrue(!words.getMessage().contains("some words"));
  }

  /** Plain {@code heroku config}, as heroku 11.10.0 / 10.17.0 / 8.7.1 print it (styledHeader + styledObject). */
  @Test
  void theTableOfPlainHerokuConfigIsNamedWithTheCommandsThatExport() {
    String table = "=== shop Config Vars\n\nDATABASE_URL: postgres://u:canarypw@h:5432/d?sslmode=require\n"
        + "POOL_SIZE:    10\nSECRET_KEY:   canary=secret\n";
    String colored = "\u001B[2m=== \u001B[22m\u001B[1mshop Config Vars\u001B[22m\n\n\u001B[34mPOOL_SIZE\u001B[39m: 10\n";
    String headless = "DATABASE_URL: postgres://u:canarypw@h:5432/d?sslmode=require\nPOOL_SIZE:    10\n";
    for (String text : List.of(table, "\r\n" + table.replace("\n", "\r\n"), colored, headless)) {
      for (String input : List.of("from-file", "--from-file")) {
        UserError e = assertThrows(UserError.class, () -> ConfigFile.parse(text, "config.txt", input));
        assertEquals("config.txt (" + input + ") holds the table `heroku config` prints for reading, which cannot be"
            + " read back exactly: export with `heroku config -s -a APP > config.txt` (or `heroku config --json -a APP"
            + " > config.txt`) and give that file to " + input + ".", e.getMessage());
        assertTrue(!e.getMessage().contains("canary") && !e.getMessage().contains("shop"), e.getMessage());
      }
    }
    // What `heroku config -s` writes for a value with ": " is quoted, so it is never taken for the table.
    assertEquals("a: b", parse("A='a: b'\n", "vars.txt").vars().get("A"));
  }

  /**
   * heroku CLI 11.10.0 (dist/lib/config/quote.js), 10.17.0 and 8.7.1 (lib/lib/config/quote.js) test values with
   * JavaScript's \s, which does not include U+001C..U+001F: such values are written bare, and are read exactly.
   */
  @Test
  void informationSeparatorsAreWrittenBareAndReadExactly() {
    String value = "a\u001Cb\u001Dc\u001Ed\u001Ff";
    ConfigFile.Parsed p = parse("SEPARATED=" + value + "\nONLY=\u001F\n", "vars.txt");
    assertEquals(Map.of("SEPARATED", value, "ONLY", "\u001F"), p.vars());
    assertEquals(Map.of(), p.refused());
    // And the other way round: what JavaScript's \s counts (but Java's whitespace does not) is always quoted.
    for (char c : new char[] {'\u00A0', '\u2007', '\u202F', '\uFEFF'}) {
      assertTrue(ConfigFile.isJsSpace(c), Integer.toHexString(c));
      UserError e = assertThrows(UserError.class, () -> parse("A=x" + c + "y\n", "vars.txt"));
      assertTrue(e.getMessage().startsWith("A on line 1 of vars.txt (from-file) has an unquoted value"), e.getMessage());
    }
    for (char c = '\u001C'; c <= '\u001F'; c++) assertTrue(!ConfigFile.isJsSpace(c) && Character.isWhitespace(c));
    assertTrue(!ConfigFile.isJsSpace('\u0085'), "NEL is not in JavaScript's \\s");
  }

  /** The CLI writes every name as Heroku has it; one that cannot be a Fly secret is the plan's to skip, by name. */
  @Test
  void namesThatCannotBeFlySecretsDoNotSinkTheFile() {
    ConfigFile.Parsed p = parse("FOO-BAR=1\nGOOD=2\nweird.name='a b'\n1ST=3\n", "vars.txt");
    assertEquals(List.of("FOO-BAR", "GOOD", "weird.name", "1ST"), List.copyOf(p.vars().keySet()));
    assertEquals("a b", p.vars().get("weird.name"));
    ConfigFile.Parsed json = parse("{\"FOO-BAR\": \"1\", \"GOOD\": \"2\"}", "config.json");
    assertEquals(Map.of("FOO-BAR", "1", "GOOD", "2"), json.vars());
  }

  @Test
  void herokuJson() {
    ConfigFile.Parsed p = parse("{\n  \"A\": \"x\\ny\",\n  \"B\": null\n}\n", "config.json");
    assertEquals(ConfigFile.Format.HEROKU_JSON, p.format());
    assertEquals("x\ny", p.vars().get("A"));
    assertTrue(p.vars().containsKey("B") && p.vars().get("B") == null);
  }

  @Test
  void dotenv() {
    ConfigFile.Parsed p = parse("# c\n\nexport A=1\nB = \"x\\ny\" # note\nC='lit\\n'\nD=v # comment\nE=\"multi\nline\"\nF=a#b\n", ".env");
    assertEquals(ConfigFile.Format.DOTENV, p.format());
    assertEquals(Map.of("A", "1", "B", "x\ny", "C", "lit\\n", "D", "v", "E", "multi\nline", "F", "a#b"), p.vars());
  }

  @Test
  void globsAndExclusions() {
    assertTrue(Glob.of("STRIPE_*").matches("STRIPE_KEY"));
    assertTrue(!Glob.of("STRIPE_*").matches("XSTRIPE_KEY"));
    assertTrue(Glob.of("A?C").matches("ABC") && Glob.of("A.C").literal());
    Exclusions byName = Exclusions.byName();
    assertTrue(byName.reason("HEROKU_POSTGRESQL_ONYX_URL").isPresent());
    assertTrue(byName.reason("REDIS_TLS_URL").isPresent());
    assertTrue(byName.reason("PAPERTRAIL_API_TOKEN").isPresent());
    assertTrue(byName.reason("HEROKU_SLUG_COMMIT").isPresent());
    assertTrue(byName.reason("STRIPE_KEY").isEmpty());
  }
}
