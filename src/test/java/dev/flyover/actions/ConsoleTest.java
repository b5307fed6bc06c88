package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertTrue(WorkflowCommands.parse(out.toString(StandardCharsets.UTF_8)).commands().isEmpty());
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
