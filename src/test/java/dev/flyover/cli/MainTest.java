package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.CliHarness;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void versionAndHelp() {
    CliHarness.Result v = new CliHarness().run("--version");
    assertEquals(0, v.exitCode());
    assertTrue(v.stdout().startsWith("flyover "), v.stdout());
    CliHarness.Result h = new CliHarness().run("--help");
    assertEquals(0, h.exitCode());
    assertTrue(h.stdout().contains("deploy") && h.stdout().contains("cutover"), h.stdout());
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliHarness.Result r = new CliHarness().run("deploy", "--no-such-option");
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().contains("error: Unknown option: '--no-such-option'"), r.stderr());
  }
}
