package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.actions.Console;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingTest {
  private final Console con = new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream()).console();

  @Test
  void valuesLinesAndUrlPasswordsAreMaskedButNotSingleCharacters() {
    SecretsFlow.mask(con, "postgres://user:p%40ssword@host:5432/db");
    SecretsFlow.mask(con, "-----BEGIN KEY-----\nabcdef\n}\n");
    SecretsFlow.mask(con, "-");
    SecretsFlow.mask(con, "  padded  ");
    assertEquals("*** *** *** *** *** - } *** ***",
        con.redact("postgres://user:p%40ssword@host:5432/db p%40ssword p@ssword -----BEGIN KEY----- abcdef - } padded   padded  "));
  }

  @Test
  void dynoMetadataIsNotMasked() {
    SecretsFlow.maskVar(con, "HEROKU_APP_NAME", "shop");
    SecretsFlow.maskVar(con, "PORT", "5000");
    SecretsFlow.maskVar(con, "SECRET", "shop-secret");
    assertEquals("shop 5000 ***", con.redact("shop 5000 shop-secret"));
  }
}
