package dev.flyover.fly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.proc.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flyctl's failures as internal/cli/cli.go prints them, read by {@link FlyErrors}. */
class FlyErrorsTest {
  static Subprocess.Result failed(String... stderr) {
    return new Subprocess.Result(1, false, List.of(), List.of(stderr));
  }

  static FlyctlException classify(List<String> args, Subprocess.Result r) {
    return FlyErrors.classify(Env.of(Map.of()), true, args, r, Duration.ofMinutes(1));
  }

  @Test
  void colouredErrorLinesAndTheNameTakenSuggestion() {
    FlyctlException e = classify(List.of("apps", "create", "shop"), failed("\u001b[0;31mError: \u001b[0msome server text",
        "App names are unique across all of Fly.io, not just your organization, so this name may be held by an app you cannot see. Try a different name.", ""));
    assertInstanceOf(FlyctlException.NameTaken.class, e);
    assertEquals("some server text", e.flyError().orElseThrow());
  }

  @Test
  void secretsTellStoredFromNotStored() {
    List<String> set = List.of("secrets", "import", "-a", "shop");
    var before = (FlyctlException.SecretsUpdateFailed) classify(set, failed("Error: update secrets: failed to update app secrets: x"));
    assertFalse(before.stored());
    var parse = (FlyctlException.SecretsUpdateFailed) classify(set, failed("Error: Failed to parse secrets from stdin: y"));
    assertFalse(parse.stored());
    var after = (FlyctlException.SecretsUpdateFailed) classify(set, failed("Error: machine 123 did not restart"));
    assertTrue(after.stored());
    var staged = (FlyctlException.SecretsUpdateFailed) classify(List.of("secrets", "set", "--stage", "-a", "shop", "A=-"),
        failed("Error: anything"));
    assertFalse(staged.stored());
  }

  @Test
  void aStaleLoginIsNamed(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve(".fly"));
    Files.writeString(home.resolve(".fly/config.yml"), "access_token: fo1_x\nlast_login: "
        + Instant.now().minus(31, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + "\n");
    FlyctlException e = FlyErrors.classify(Env.of(Map.of("HOME", home.toString())), false, List.of("status"),
        failed("Error: no access token available. Please login with 'flyctl auth login'"), Duration.ofMinutes(1));
    assertInstanceOf(FlyctlException.NotLoggedIn.class, e);
    assertTrue(e.getMessage().contains("over 30 days ago"), e.getMessage());
  }
}
