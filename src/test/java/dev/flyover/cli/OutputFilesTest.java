package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.CliHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --output-file and --summary-file work in every command: each command here stops on a missing input (so no
 * double is needed), and still writes its outputs and its Markdown summary where it was told to.
 */
class OutputFilesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "secrets", "database", "plan", "cutover", "launch"})
  void everyCommandWritesBothFiles(String command) throws Exception {
    Path out = dir.resolve("out");
    Path sum = dir.resolve("summary.md");
    // an empty directory: no fly.toml, no Heroku app, no database URL
    CliHarness.Result r = new CliHarness().env("PWD", dir.toString())
        .run(command, "--output-file", out.toString(), "--summary-file=" + sum);
    assertEquals(1, r.exitCode(), r.stderr());
    String outputs = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(outputs.contains("status=failure\n"), outputs);
    assertTrue(outputs.contains("error="), outputs);
    String md = Files.readString(sum, StandardCharsets.UTF_8);
    assertTrue(md.toLowerCase(java.util.Locale.ROOT).contains(command + " failed"), md);
    assertTrue(md.contains("> [!CAUTION]"), md);
    assertFalse(md.contains("fly.io/apps//"), md);
    // the files took the outputs and the summary: the terminal is not given them again, and the error is said once
    assertFalse(r.stdout().contains("failed:"), r.stdout());
    assertFalse(r.stderr().contains("Outputs:"), r.stderr());
    assertEquals(1, count(r.stdout() + r.stderr(), firstLine(r.stderr())), r.stdout() + r.stderr());
    r.assertReadsAsText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "plan"})
  void theOptionsMayAlsoComeBeforeTheCommand(String command) throws Exception {
    Path out = dir.resolve("out2");
    CliHarness.Result r = new CliHarness().env("PWD", dir.toString()).run("--output-file=" + out, command);
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(Files.readString(out).contains("status=failure"), r.stderr());
  }

  @org.junit.jupiter.api.Test
  void theActionCommandWritesThemToo() throws Exception {
    Path out = dir.resolve("out3");
    Path sum = dir.resolve("sum3.md");
    CliHarness.Result r = new CliHarness().env("PWD", dir.toString()).env("INPUT_COMMAND", "depoly")
        .run("action", "--output-file", out.toString(), "--summary-file", sum.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(Files.readString(out).contains("status=failure"), r.stderr());
    assertTrue(Files.readString(sum).contains("action failed"), Files.readString(sum));
  }

  static String firstLine(String s) {
    return s.lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow(() -> new AssertionError(s));
  }

  static int count(String hay, String needle) {
    int n = 0;
    for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
    return n;
  }
}
