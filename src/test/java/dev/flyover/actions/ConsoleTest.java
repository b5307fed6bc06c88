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
