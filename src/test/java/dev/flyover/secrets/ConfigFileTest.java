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
    UserError human = assertThrows(UserError.class, () -> parse("=== shop Config Vars\n", "vars.txt"));
    assertTrue(human.getMessage().startsWith("Line 1 of vars.txt (from-file) is not NAME=VALUE"), human.getMessage());
    assertTrue(!human.getMessage().contains("shop Config"));
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
