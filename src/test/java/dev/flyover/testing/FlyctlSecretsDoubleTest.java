package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The flyctl double's secrets verbs behave as flyctl-heroku-facts.md A.1 and A.2 say flyctl does. */
@Tag("integration")
class FlyctlSecretsDoubleTest {
  private final FlyctlDouble fly = new FlyctlDouble();

  record Run(int code, String stdout, String stderr) {}

  private Run run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(FlyctlDouble.EXECUTABLE.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(fly.env());
    pb.environment().put("FLY_API_TOKEN", "tok");
    Process p = pb.start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out, err);
  }

  private void app(boolean deployed) {
    fly.edit(s -> {
      var a = s.with("apps").putObject("app1").put("name", "app1").put("deployed", deployed);
      if (deployed) a.putArray("machines").addObject().put("id", "m1");
    });
  }

  private String stored(String name) {
    return fly.app("app1").path("secrets").path(name).path("value").asText(null);
  }

  @Test
  void importKeepsFlyctlsQuirks() throws Exception {
    app(false);
    Run r = run("A='s3cr#t'\nB=\"x\\ny\"\nC=\"\"\"l1\nl2\"\"\"\n  D = 'sp'\n", "secrets", "import", "-a", "app1", "--stage");
    assertEquals(0, r.code(), r.stderr());
    assertEquals("Secrets have been staged, but not set on VMs. Deploy or update machines in this app for the secrets to take effect.\n", r.stdout());
    assertEquals("'s3cr", stored("A"));
    assertEquals("x\\ny", stored("B"));
    assertEquals("l1\nl2", stored("C"));
    assertEquals("sp", stored("D"));
  }

  @Test
  void importPanicsOnALoneQuote() throws Exception {
    app(false);
    Run r = run("A=\"\n", "secrets", "import", "-a", "app1");
    assertEquals(3, r.code());
    assertTrue(r.stdout().startsWith("Oops, something went wrong! Could you try that again?"), r.stdout());
  }

  @Test
  void importDropsSilently() throws Exception {
    app(false);
    Run r = run("A=1\nB=" + "x".repeat(70_000) + "\nC=3\n", "secrets", "import", "-a", "app1");
    assertEquals(0, r.code(), r.stderr());
    assertEquals("Secrets are staged for the first deployment\n", r.stdout());
    assertEquals("1", stored("A"));
    assertEquals(null, stored("C"));
    Run empty = run("", "secrets", "import", "-a", "app1");
    assertEquals(1, empty.code());
    assertTrue(empty.stderr().startsWith("Error: requires at least one SECRET=VALUE pair"), empty.stderr());
    Run bad = run("novalue\n", "secrets", "import", "-a", "app1");
    assertTrue(bad.stderr().startsWith("Error: Failed to parse secrets from stdin: Secrets must be provided as NAME=VALUE pairs (novalue is invalid)"));
  }

  @Test
  void setFromStdinTrimsAndLimits() throws Exception {
    app(false);
    assertEquals(0, run("  a\r\nb \n", "secrets", "set", "-a", "app1", "--stage", "K=-").code());
    assertEquals("a\r\nb", stored("K"));
    Run big = run("x".repeat(65_537), "secrets", "set", "-a", "app1", "--stage", "K=-");
    assertEquals(1, big.code());
    assertTrue(big.stderr().startsWith("Error: Input exceeded max length of 65536 bytes"), big.stderr());
    Run noEq = run(null, "secrets", "set", "-a", "app1", "NOEQ");
    assertTrue(noEq.stderr().startsWith("Error: could not parse secrets: 'NOEQ': must be in the format NAME=VALUE"));
    Run unknown = run(null, "secrets", "set", "-a", "app1", "--bogus", "K=v");
    assertEquals(1, unknown.code());
  }

  @Test
  void listJsonAndDeploy() throws Exception {
    app(false);
    run(null, "secrets", "set", "-a", "app1", "--stage", "B=2", "A=1");
    Run list = run(null, "secrets", "list", "-a", "app1", "--json");
    assertTrue(list.stdout().startsWith("[\n    {\n        \"name\": \"A\",\n        \"digest\": \""), list.stdout());
    assertTrue(list.stdout().contains("\"status\": \"Staged\""));
    Run deploy = run(null, "secrets", "deploy", "-a", "app1");
    assertEquals(1, deploy.code());
    assertTrue(deploy.stderr().startsWith("Error: no machines available to deploy"), deploy.stderr());
    app(true);
    run(null, "secrets", "set", "-a", "app1", "--stage", "C=3");
    Run ok = run(null, "secrets", "deploy", "-a", "app1");
    assertEquals(0, ok.code(), ok.stderr());
    assertTrue(ok.stdout().contains("Updating existing machines in 'app1' with rolling strategy"), ok.stdout());
    Run unset = run(null, "secrets", "unset", "-a", "app1", "--stage", "C", "NOT_THERE");
    assertEquals(0, unset.code(), unset.stderr());
    assertEquals(null, stored("C"));
  }
}
