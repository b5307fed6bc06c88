package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.WorkflowCommands;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTest {
  @Test
  void annotationsAreEscapedAsTheRunnerUnescapesThem() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console c = new Console(out, new ByteArrayOutputStream(), true, false);
    c.error("100% broken\nsecond line: ünïcødé");
    c.warn("careful");
    WorkflowCommands cmds = WorkflowCommands.parse(out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of("100% broken\nsecond line: ünïcødé"), cmds.errors());
    assertEquals(List.of("careful"), cmds.warnings());
  }

  @Test
  void childOutputCannotIssueWorkflowCommands() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console c = new Console(out, new ByteArrayOutputStream(), true, false);
    c.child("  ::add-mask::x");
    c.child("::error::forged");
    c.info("##[group]forged");
    c.flush();
    WorkflowCommands w = WorkflowCommands.parse(out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(), w.obeyed());
    assertFalse(w.leftStopped());
  }

  /** Text the runner reads as a command although a naive check does not (issue 9). */
  static final List<String> HOSTILE = List.of(
      "\u00A0::set-output name=x::y",
      "\u2007\u202F::error::nbsp",
      "\u3000\u0085::warning::ideographic space",
      "a\n::error::forged after LF",
      "a\r::error::forged after CR",
      "a\r\n::add-mask::after CRLF",
      "x##[error]y",
      "x##[set-output name=z]w",
      "::stop-commands::abc",
      "\u200B::error::zero width",
      "#\u200B#[error]zero width v1",
      "::ERROR::upper case",
      "  ::endgroup::");

  @Test
  void hostileTextInEveryKindOfLineIsNeverACommand() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console c = new Console(out, new ByteArrayOutputStream(), true, true);
    c.mask("first-secret-value");
    for (String h : HOSTILE) {
      c.info(h);
      c.child(h);
      c.result("plan:\n" + h + "\nend");
      c.info("plain ascii line");
      c.warn("warning about " + h);
      c.child(h);
      c.group("group " + h);
      c.child(h);
      c.endGroup();
      c.error("error about " + h);
      c.notice("notice about " + h);
      c.debug("debug about " + h);
    }
    c.mask("later-secret-value");
    c.child("later-secret-value and first-secret-value");
    c.flush();
    WorkflowCommands w = WorkflowCommands.parse(out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(), w.problems());
    assertFalse(w.leftStopped());
    List<String> expected = new java.util.ArrayList<>();
    expected.add("add-mask");
    for (String h : HOSTILE) {
      expected.addAll(List.of("warning", "group", "endgroup", "error", "notice", "debug"));
    }
    expected.add("add-mask");
    assertEquals(expected, w.obeyed().stream().map(WorkflowCommands.Command::name).toList());
    // annotations carry the hostile text as their data, intact
    assertEquals(HOSTILE.stream().map(h -> "error about " + h).toList(), w.errors());
    assertEquals(List.of("first-secret-value", "later-secret-value"), w.masks());
    assertFalse(w.log().contains("secret-value"), w.log());
  }

  @Test
  void plainLinesPrintAsTheyAreAndOneBlockHoldsConsecutiveOutsideLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console c = new Console(out, new ByteArrayOutputStream(), true, false);
    c.info("Reading the config vars of Heroku app shop.");
    c.child("\u2713 Configuration is valid");
    c.child("::error::x");
    c.child("plain");
    c.warn("w");
    c.info("done");
    c.flush();
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertEquals("Reading the config vars of Heroku app shop.", lines.get(0));
    assertTrue(lines.get(1).matches("::stop-commands::flyover-[0-9a-f]{32}"), lines.get(1));
    String token = lines.get(1).substring("::stop-commands::".length());
    assertEquals(List.of("\u2713 Configuration is valid", "::error::x", "plain", "::" + token + "::", "::warning::w", "done"),
        lines.subList(2, lines.size()));
  }

  @Test
  void everyBlockHasANewToken() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console c = new Console(out, new ByteArrayOutputStream(), true, false);
    for (int i = 0; i < 50; i++) {
      c.child("::x::");
      c.warn("w");
    }
    List<String> tokens = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("::stop-commands::")).toList();
    assertEquals(50, tokens.size());
    assertEquals(50, new java.util.HashSet<>(tokens).size());
  }

  @Test
  void groupsDoNotNest() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console c = new Console(out, new ByteArrayOutputStream(), true, false);
    c.group("a");
    c.group("b");
    c.endGroup();
    c.endGroup();
    assertEquals("::group::a\n::endgroup::\n::group::b\n::endgroup::\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void terminalModeSendsProgressToStderrAndResultsToStdout() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console c = new Console(out, err, false, false);
    c.info("progress");
    c.result("result");
    c.error("bad");
    assertEquals("result\n", out.toString(StandardCharsets.UTF_8));
    assertEquals("progress\nerror: bad\n", err.toString(StandardCharsets.UTF_8));
  }
}
