package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The port checked against the behaviour the runner's own unit tests pin down (src/Test/L0/Worker/
 * ActionCommandL0.cs and ActionCommandManagerL0.cs at actions/runner 258d6c85), in our own examples.
 */
class RunnerCommandParserTest {
  static final Set<String> DO = Set.of("do-something");

  static WorkflowCommands run(String out) {
    return WorkflowCommands.parse(out);
  }

  @Test
  void v2NeedsTheMarkerAtTheStartAfterDotnetWhitespace() {
    assertEquals(List.of("x"), run("::error::x").errors());
    assertEquals(List.of("x"), run("   \t::error::x").errors());
    // .NET Char.IsWhiteSpace, which Java's String.strip does not fully share
    for (char ws : new char[] {'\u00A0', '\u2007', '\u202F', '\u0085', '\u1680', '\u2000', '\u200A', '\u2028',
        '\u2029', '\u205F', '\u3000', '\u000B', '\u000C'}) {
      assertEquals(List.of("x"), run(ws + "::error::x").errors(), "U+" + Integer.toHexString(ws));
    }
    // not whitespace for .NET
    assertTrue(run("\u001C::error::x").commands().isEmpty());
    assertTrue(run("   >>>   ::error::x").commands().isEmpty());
    assertTrue(run("::nosuch::x").commands().isEmpty());
  }

  @Test
  void v2PropertiesAndEscapes() {
    var p = RunnerCommandParser.tryParseV2("::do-something k1=v1,::msg", DO);
    assertEquals(Map.of("k1", "v1"), p.properties());
    assertEquals("msg", p.data());
    p = RunnerCommandParser.tryParseV2("::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,", DO);
    assertEquals(";=,=\r=\n=]=:", p.properties().get("k1"));
    assertEquals(";-\r-\n-]-:-,", p.data());
    p = RunnerCommandParser.tryParseV2("::do-something k1=;=%252C=%250D,::%250A", DO);
    assertEquals(";=%2C=%0D", p.properties().get("k1"));
    assertEquals("%0A", p.data());
    assertEquals(Map.of(), RunnerCommandParser.tryParseV2("::do-something k1=,k2=,::", DO).properties());
    assertEquals("", RunnerCommandParser.tryParseV2("::do-something::", DO).data());
  }

  @Test
  void v1IsFoundAnywhereInTheLine() {
    assertEquals(List.of("y"), run("x##[error]y").errors());
    assertEquals(List.of("msg"), run(">>>   ##[error k1=v1;]msg").errors());
    var p = RunnerCommandParser.tryParseV1("##[do-something k1=%3B=%0D=%0A=%5D;]%3B-%0D-%0A-%5D", DO);
    assertEquals(";=\r=\n=]", p.properties().get("k1"));
    assertEquals(";-\r-\n-]", p.data());
    p = RunnerCommandParser.tryParseV1("##[do-something k1=%253B;]%255D", DO);
    assertEquals("%3B", p.properties().get("k1"));
    assertEquals("%5D", p.data());
    assertNull(RunnerCommandParser.tryParseV1("##[do-something", DO));
  }

  @Test
  void namesAreCaseInsensitive() {
    assertEquals(List.of("x"), run("::ERROR::x").errors());
    assertEquals(List.of("x"), run("##[Error]x").errors());
  }

  @Test
  void linesEndAtCrLfAndCrlfOnly() {
    assertEquals(List.of("a", "b", "c", "d"), RunnerCommandParser.readLines("a\nb\r\nc\rd"));
    assertEquals(List.of("a", ""), RunnerCommandParser.readLines("a\n\n"));
    assertEquals(List.of("a\u2028b\u0085c"), RunnerCommandParser.readLines("a\u2028b\u0085c"));
    assertEquals(List.of("forged"), run("text\r::error::forged").errors());
  }

  @Test
  void stopCommandsUntilTheToken() {
    WorkflowCommands w = run("::stop-commands::tok123456\n::error::ignored\n::add-mask::s3cr3t\n##[error]also\n"
        + "s3cr3t\n::tok123456::\n::error::obeyed\ns3cr3t\n");
    assertEquals(List.of("obeyed"), w.errors());
    assertEquals(List.of(), w.masks(), "a mask inside a stopped block is not registered");
    assertTrue(w.log().contains("::add-mask::s3cr3t"), "and is shown in clear");
    assertFalse(w.leftStopped());
    // the token (over 6 characters) is masked from then on
    assertTrue(w.shown().contains("::stop-commands::***"), w.shown().toString());
    // v1 resumes too, case-insensitively
    assertEquals(List.of("b"), run("::stop-commands::abcdefgh\n::error::a\n##[ABCDEFGH]\n::error::b").errors());
    assertTrue(run("::stop-commands::abcdefgh\n::error::a").leftStopped());
  }

  @Test
  void unusableStopTokensFailAndDoNotStop() {
    assertEquals(1, run("::stop-commands::error\n").problems().size());
    assertEquals(1, run("::stop-commands::pause-logging\n").problems().size());
    assertEquals(1, run("::stop-commands::\n").problems().size());
    assertEquals(List.of("x"), run("::stop-commands::error\n::error::x").errors());
  }

  @Test
  void masksApplyToLaterLinesAndEachLineOfAValue() {
    WorkflowCommands w = run("pw1 before\n::add-mask::pw1\npw1 after\n::add-mask::l1%0A  l2  \nl2\n");
    assertEquals(List.of("pw1 before", "*** after", "***"), w.shown());
  }

  @Test
  void zeroWidthCharactersWeighNothingInTheMarkerSearch() {
    // culture-sensitive search: the oracle errs on the side of seeing a command
    assertNotNull(RunnerCommandParser.tryParseV1("a\u200B##[error]x", Set.of("error")));
    assertEquals(0, RunnerCommandParser.cultureStartsWith("\u200B::", "::") < 0 ? -1 : 0);
  }
}
