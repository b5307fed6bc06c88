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

  @Test
  void urlsComeFromTheFilesTheFileVariablesNameAndTheExitLineComesLast() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("flyover-files");
    java.nio.file.Path token = java.nio.file.Files.writeString(dir.resolve("token"), "t0k3n\n");
    java.nio.file.Path target = java.nio.file.Files.writeString(dir.resolve("target"), "mysql://nope\n");
    CliHarness.Result r = new CliHarness().env("HEROKU_DATABASE_URL_FILE", dir.resolve("missing").toString())
        .env("FLYOVER_EXIT_TOKEN_FILE", token.toString()).run("database");
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().contains("HEROKU_DATABASE_URL_FILE names " + dir.resolve("missing") + ", which cannot be read"), r.stderr());
    assertTrue(r.stdout().endsWith("flyover-exit t0k3n 2\n"), r.stdout());
    // The file's content is the input's value (here a bad one: its error names the input, not the value).
    r = new CliHarness().env("HEROKU_DATABASE_URL", "postgres://u:Lng5ecretPw@127.0.0.1:1/db")
        .env("FLY_DATABASE_URL_FILE", target.toString()).run("database");
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("The database-url input is not a valid PostgreSQL URL"), r.stderr() + r.stdout());
    assertTrue(!r.stdout().contains("flyover-exit"), "no exit line without FLYOVER_EXIT_TOKEN_FILE");
  }
}
