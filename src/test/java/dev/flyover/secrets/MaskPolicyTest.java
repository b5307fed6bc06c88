package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.actions.Console;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskPolicyTest {
  private final Console con = new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream()).console();

  @Test
  void applicationSettingsAreMaskedLikeConfigVarsAndBuiltInParametersAreNot() {
    MaskPolicy.setting(con, "app.jwt_secret", "jwt-s3cret");
    MaskPolicy.setting(con, "app.tenant", "acme");
    MaskPolicy.setting(con, "app.feature", "on");
    MaskPolicy.setting(con, "app.pool", "25");
    MaskPolicy.setting(con, "timezone", "Europe/Amsterdam");
    MaskPolicy.setting(con, "search_path", "\"$user\", public, heroku_ext");
    assertEquals("*** *** on 25 Europe/Amsterdam \"$user\", public, heroku_ext",
        con.redact("jwt-s3cret acme on 25 Europe/Amsterdam \"$user\", public, heroku_ext"));
  }

  @Test
  void valuesLinesAndUrlPasswordsAreMaskedButNotSingleCharacters() {
    MaskPolicy.secret(con, "postgres://user:p%40ssword@host:5432/db");
    MaskPolicy.secret(con, "-----BEGIN KEY-----\nabcdef\n}\n");
    MaskPolicy.secret(con, "-");
    MaskPolicy.secret(con, "  padded  ");
    assertEquals("*** *** *** *** *** - } *** ***",
        con.redact("postgres://user:p%40ssword@host:5432/db p%40ssword p@ssword -----BEGIN KEY----- abcdef - } padded   padded  "));
  }

  @Test
  void dynoMetadataIsNotMasked() {
    MaskPolicy.configVar(con, "HEROKU_APP_NAME", "shop", List.of());
    MaskPolicy.configVar(con, "PORT", "5000", List.of());
    MaskPolicy.configVar(con, "SECRET", "shop-secret", List.of());
    assertEquals("shop 5000 ***", con.redact("shop 5000 shop-secret"));
  }

  /** A Phoenix app's config as Heroku holds it: only the credentials become masks, in Actions too. */
  @Test
  void aPhoenixConfigMasksItsSecretsAndNothingElse() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console actions = new Context(Env.of(Map.of("GITHUB_ACTIONS", "true")), out, new ByteArrayOutputStream()).console();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("SECRET_KEY_BASE", "q8Vt3xk0ZrW9bYc1LmN2pQ4sT6uV8wX0yZ1aB3cD5eF7gH9iJ1kL3mN5oP7qR9sT");
    vars.put("DATABASE_URL", "postgres://u8a9:pw-Of-Heroku-9@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8f7");
    vars.put("REDIS_URL", "rediss://:redis-pw-7781@ec2-5-6-7-8.compute-1.amazonaws.com:6380");
    vars.put("POOL_SIZE", "10");
    vars.put("MIX_ENV", "prod");
    vars.put("HEROKU_APP_NAME", "my-app");
    vars.put("PHX_HOST", "www.my-app.example");
    vars.put("ECTO_IPV6", "true");
    vars.put("WEB_CONCURRENCY", "2");
    vars.put("LOG_LEVEL", "info");
    vars.put("MAILER_TIMEOUT_MS", "15000");
    MaskPolicy.configVars(actions, vars, List.of("my-app", "my-app-phx", "www.my-app.example"));
    String commands = out.toString(StandardCharsets.UTF_8);
    assertTrue(commands.contains("::add-mask::" + vars.get("SECRET_KEY_BASE")), commands);
    assertTrue(commands.contains("::add-mask::" + vars.get("DATABASE_URL")), commands);
    assertTrue(commands.contains("::add-mask::pw-Of-Heroku-9"), "the URL's password alone: " + commands);
    assertTrue(commands.contains("::add-mask::redis-pw-7781"), commands);
    for (String plain : List.of("10", "prod", "my-app", "www.my-app.example", "true", "2", "info", "15000")) {
      assertFalse(commands.lines().anyMatch(l -> l.equals("::add-mask::" + plain)), plain + " is not a mask: " + commands);
    }
    assertEquals("CNAME | www.my-app.example | my-app-phx.fly.dev | prod | database-verified=true | ***",
        actions.redact("CNAME | www.my-app.example | my-app-phx.fly.dev | prod | database-verified=true | "
            + vars.get("SECRET_KEY_BASE")));
  }

  @Test
  void aPublicIdentifierIsComparedWholeNotAsASubstring() {
    assertTrue(MaskPolicy.notSecret("APP_NAME", "My-App", List.of("my-app")).isPresent());
    assertTrue(MaskPolicy.notSecret("API_KEY", "my-app-key-123", List.of("my-app")).isEmpty());
    assertTrue(MaskPolicy.notSecret("PIN", "123456", List.of()).isEmpty(), "six digits may be a PIN");
    assertTrue(MaskPolicy.notSecret("MULTI", "true\nsecret-line", List.of()).isEmpty(), "multi-line values are secrets");
  }

  /** A mistyped option's value: a token is masked, "true" (--dry-rn=true) is not turned into a mask over the log. */
  @Test
  void anUnknownValueIsMaskedUnlessItIsASetting() {
    MaskPolicy.unknown(con, "fo1_mistyped_token_value");
    MaskPolicy.unknown(con, "true");
    MaskPolicy.unknown(con, "8080");
    assertEquals("*** true 8080", con.redact("fo1_mistyped_token_value true 8080"));
  }

  @Test
  void scrubTakesOutShortValuesWhereTheyFollowTheirName() {
    Map<String, String> vars = Map.of("PIN", "42", "TOKEN", "tok-secret-9");
    assertEquals("bad line PIN=*** near *** (2 errors)",
        MaskPolicy.scrub("bad line PIN=42 near tok-secret-9 (2 errors)", vars));
  }
}
