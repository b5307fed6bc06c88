package dev.flyover.fly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.pg.PgUrl;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster-ID shape a database-url may take, and the connection string built from fly mpg status's credentials. */
class MpgConnectionTest {
  @Test
  void aClusterIdIsOneLowercaseDnsLabelAndNeverAUrl() {
    for (String id : List.of("gjpkdon3lv4r0m1e", "mpg148e001eef", "test-cluster-123", "a", " x1 ")) {
      assertTrue(MpgConnection.isClusterId(id), id);
    }
    for (String not : List.of("", "postgres://u:p@h/db", "pgbouncer.abc.flympg.net", "shop-db.flycast", "-abc", "abc-",
        "Abc", "u:p@h", "a/b", "host=x dbname=y", "x".repeat(64))) {
      assertFalse(MpgConnection.isClusterId(not), not);
    }
    assertFalse(MpgConnection.isClusterId(null));
  }

  @Test
  void theUrlIsThePgbouncerHostWithTheCredentialsUserPasswordAndDatabase() {
    String url = Flyctl.mpgUrl("postgresql://old:old@pgbouncer.abc123.flympg.net/old?sslmode=require", "fly-user",
        "p@ss:w/rd +%", "fly-db");
    assertEquals("postgresql://fly-user:p%40ss%3Aw%2Frd%20%2B%25@pgbouncer.abc123.flympg.net/fly-db?sslmode=require", url);
    PgUrl parsed = PgUrl.parse(url, "database-url");
    assertEquals("pgbouncer.abc123.flympg.net", parsed.host());
    assertEquals("fly-db", parsed.database());
    assertTrue(parsed.isManagedPostgres(), "reached through fly mpg proxy");
  }

  @Test
  void itsTextNeverCarriesThePassword() {
    MpgConnection c = new MpgConnection("abc", "db", "ready", "acme", "postgresql://u:secret-pw@pgbouncer.abc.flympg.net/d");
    assertFalse(c.toString().contains("secret-pw"), c.toString());
  }
}
