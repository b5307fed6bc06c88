package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.pg.PgSession;
import dev.flyover.pg.PgUrl;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.CliHarness;
import java.io.ByteArrayOutputStream;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Messages name an input as the run's surface spells it (GUIDE: "--flag" in a terminal, the input in Actions),
 * checked on both surfaces for the database, transfer and deploy wordings. Nothing here connects anywhere.
 */
class InputWordingTest {
  static final String BAD_URL = "postgres://u:Sup3rSecret@h:notaport/db";

  static Context context(boolean actions) {
    Context ctx = new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    ctx.actionMode(actions);
    return ctx;
  }

  @Test
  void aBadDatabaseUrlIsNamedAsTheSurfaceSpellsIt() {
    ActionHarness.Result action = new ActionHarness().input("command", "database")
        .input("heroku-database-url", "postgres://u:p@127.0.0.1:1/db").input("database-url", BAD_URL).run();
    assertEquals(1, action.exitCode(), action.stdout());
    assertTrue(action.commands().errors().get(0).startsWith("The database-url input is not a valid PostgreSQL URL: "),
        action.commands().errors().toString());

    CliHarness.Result cli = new CliHarness().run("database", "--heroku-database-url", "postgres://u:p@127.0.0.1:1/db",
        "--database-url", BAD_URL);
    assertEquals(1, cli.exitCode(), cli.stderr());
    assertTrue(cli.stderr().contains("The --database-url option is not a valid PostgreSQL URL: "), cli.stderr());
  }

  @Test
  void aRefusedPasswordNamesTheInputOnBothSurfaces() {
    PgUrl url = PgUrl.parse("postgres://app:pw@db.example.com/shop", "test");
    SQLException refused = new SQLException("FATAL: password authentication failed", "28P01");
    assertEquals("The password for user app was rejected by db.example.com:5432/shop (from the database-url input): check the"
        + " database-url input.", PgSession.connectError(url, context(true).named("database-url"), refused).getMessage());
    assertEquals("The password for user app was rejected by db.example.com:5432/shop (from the --database-url option): check"
        + " the --database-url option.", PgSession.connectError(url, context(false).named("database-url"), refused).getMessage());
  }

  @Test
  void aMachineSizeThatIsNoneIsNamedAsTheSurfaceSpellsIt() {
    TransferOptions t = new TransferOptions();
    t.vmSize = "huge-1x";
    for (boolean actions : new boolean[] {true, false}) {
      Context ctx = context(actions);
      String e = org.junit.jupiter.api.Assertions.assertThrows(dev.flyover.UserError.class, () -> t.remote(ctx)).getMessage();
      assertTrue(e.startsWith(actions ? "The transfer-vm-size input is huge-1x," : "The --transfer-vm-size option is huge-1x,"), e);
    }
  }

  @Test
  void aPrebuiltImageIsNamedAsTheSurfaceSpellsIt() {
    DeployOptions d = new DeployOptions();
    d.image = "registry.fly.io/shop:v1";
    assertEquals(Optional.of("the image input"), d.buildFrom(context(true)));
    assertEquals(Optional.of("the --image option"), d.buildFrom(context(false)));
    d.image = null;
    d.extraArgs = java.util.List.of("--dockerfile=Dockerfile.fly");
    assertEquals(Optional.of("extra-args --dockerfile"), d.buildFrom(context(true)));
    assertEquals(Optional.of("--extra-args --dockerfile"), d.buildFrom(context(false)));
  }
}
