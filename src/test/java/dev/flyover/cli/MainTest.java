package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertTrue(r.stderr().contains("The --database-url option is not a valid PostgreSQL URL"), r.stderr() + r.stdout());
    assertTrue(!r.stdout().contains("flyover-exit"), "no exit line without FLYOVER_EXIT_TOKEN_FILE");
  }

  static final String SECRET = "fo1_mistyped_token_s3cr3t_value";

  @Test
  void aMistypedSecretOptionIsNamedButItsValueNeverShown() {
    for (String cmd : java.util.List.of("deploy", "secrets", "database", "plan", "cutover")) {
      for (String[] args : java.util.List.of(new String[] {cmd, "--fly-api-tokn=" + SECRET},
          new String[] {cmd, "--fly-api-tokn", SECRET}, new String[] {cmd, SECRET})) {
        CliHarness.Result r = new CliHarness().run(args);
        assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.stderr());
        String all = r.stdout() + r.stderr();
        assertFalse(all.contains(SECRET), all);
        assertFalse(all.contains("s3cr3t"), all);
        if (args.length > 1 && args[1].startsWith("--")) {
          assertTrue(all.contains("'--fly-api-tokn'"), all);
          assertTrue(all.contains("did you mean --fly-api-token"), all);
        }
      }
    }
  }

  @Test
  void aBadValueOfASecretOptionIsNotShownEither() {
    // a secret option given twice: picocli's message would quote both values
    CliHarness.Result r = new CliHarness().run("deploy", "--fly-api-token=" + SECRET, "--fly-api-token=" + SECRET + "2");
    assertEquals(2, r.exitCode(), r.stderr());
    assertFalse((r.stdout() + r.stderr()).contains("s3cr3t"), r.stderr());
  }

  @Test
  void inActionsTooOnlyTheNameIsSaid() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    int code = Main.run(dev.flyover.Env.of(env), new String[] {"deploy", "--fly-api-tokn=" + SECRET}, out,
        new java.io.ByteArrayOutputStream());
    assertEquals(2, code);
    String s = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    dev.flyover.testing.WorkflowCommands w = dev.flyover.testing.WorkflowCommands.parse(s);
    assertEquals(1, w.errors().size(), s);
    assertFalse(w.log().contains("s3cr3t"), w.log());
    assertFalse(w.errors().get(0).contains("s3cr3t"), w.errors().get(0));
    assertTrue(w.errors().get(0).contains("fly-api-tokn"), w.errors().get(0));
  }
}
