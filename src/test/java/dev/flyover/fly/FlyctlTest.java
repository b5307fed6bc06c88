package dev.flyover.fly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.testing.FlyctlDouble;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class FlyctlTest {
  private final FlyctlDouble fly = new FlyctlDouble();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Flyctl flyctl(Map<String, String> extra, String token) {
    Map<String, String> env = new HashMap<>(fly.env());
    env.put("PATH", System.getenv("PATH"));
    env.putAll(extra);
    return new Flyctl(Env.of(env), new Console(out, out, false, false), Optional.ofNullable(token));
  }

  @Test
  void tokenTravelsInTheEnvironmentAndWinsOverFlyAccessToken() {
    flyctl(Map.of("FLY_ACCESS_TOKEN", "someone-elses"), "fm2_mine").call("version").run();
    assertEquals("FLY_API_TOKEN", fly.calls().get(0).path("token_source").asText());
    assertEquals("[\"version\"]", fly.calls().get(0).path("argv").toString());
  }

  @Test
  void jsonQueriesAreParsed() {
    assertEquals("0.4.87", flyctl(Map.of(), null).json("version").path("Version").asText());
  }

  @Test
  void errorLineBecomesOneActionableSentence() {
    fly.fault("version", Map.of("exit", 1, "stderr", "Error: no access token available. Please login with 'flyctl auth login'"));
    UserError e = assertThrows(UserError.class, () -> flyctl(Map.of(), null).call("version").run());
    assertTrue(e.getMessage().startsWith("No Fly API token: set the --fly-api-token option"), e.getMessage());
  }

  @Test
  void deadlineAndCancellationExitCodesAreNamed() {
    fly.fault("version", Map.of("exit", 126, "stderr", "Error: context deadline exceeded", "times", 1));
    UserError e = assertThrows(UserError.class, () -> flyctl(Map.of(), null).call("version").run());
    assertTrue(e.getMessage().contains("deadline exceeded"), e.getMessage());
    fly.fault("version", Map.of("exit", 127, "times", 1));
    e = assertThrows(UserError.class, () -> flyctl(Map.of(), null).call("version").run());
    assertEquals("flyctl version was cancelled.", e.getMessage());
  }

  @Test
  void missingExecutableIsAClearError(@TempDir Path empty) {
    Flyctl f = new Flyctl(Env.of(Map.of("PATH", empty.toString())), new Console(out, out, false, false), Optional.empty());
    UserError e = assertThrows(UserError.class, f::executable);
    assertTrue(e.getMessage().startsWith("flyctl was not found on PATH"), e.getMessage());
    Flyctl g = flyctl(Map.of("FLYCTL", empty.resolve("nope").toString()), null);
    e = assertThrows(UserError.class, g::executable);
    assertTrue(e.getMessage().startsWith("FLYCTL is set to"), e.getMessage());
  }
}
