package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.actions.Console;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Issue 9, part 7: TLS defaults for both ends, the same for JDBC and for pg_dump/pg_restore's libpq. */
class TlsTest {
  static PgUrl parse(String url) {
    return PgUrl.parse(url, "database-url");
  }

  static void assertMode(String expected, PgUrl u) {
    assertEquals(expected, u.sslMode());
    assertEquals(expected, u.jdbcProperties().getProperty("sslmode"));
    assertEquals(expected, u.libpqEnv().get("PGSSLMODE"));
  }

  @Test
  void theSourceRequiresTlsUnlessItsUrlSaysOtherwise() {
    assertMode("require", Tls.source(parse("postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d")));
    assertMode("verify-full", Tls.source(parse("postgres://u:p@db.example.com/d?sslmode=verify-full")));
  }

  @Test
  void aRemoteTargetRequiresTls() {
    assertMode("require", Tls.target(parse("postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d")));
    // A URL's own choice is kept (stated, not silent).
    assertMode("verify-full", Tls.target(parse("postgres://u:p@db.example.com/d?sslmode=verify-full")));
  }

  @Test
  void throughFlyctlProxyAndOnLoopbackTheDefaultsDiffer() {
    // WireGuard is the encryption; Fly's private Postgres has no TLS.
    assertMode("disable", Tls.target(parse("postgres://u:p@myapp-db.flycast:5432/d")));
    assertMode("disable", Tls.target(parse("postgres://u:p@top2.nearest.of.myapp-db.internal:5432/d")));
    // Managed Postgres through fly mpg proxy (raw TCP inside WireGuard): the cluster's own TLS when it offers it.
    assertMode("prefer", Tls.target(parse("postgres://u:p@pgbouncer.abc.flympg.net/d")));
    assertMode("prefer", Tls.target(parse("postgres://u:p@direct.abc.flympg.net:5432/d")));
    assertMode("require", Tls.target(parse("postgres://u:p@pgbouncer.abc.flympg.net/d?sslmode=require")));
    for (String h : new String[] {"localhost", "127.0.0.1", "127.5.6.7", "[::1]"}) {
      assertMode("prefer", Tls.target(parse("postgres://u:p@" + h + ":5432/d")));
    }
    assertFalse(Tls.isLoopback("127.0.0.1.example.com"));
    assertFalse(Tls.isLoopback("localhost.evil.com"));
  }

  @Test
  void aWeakModeOnARemoteHostIsWarnedOfNotSilentlyUsed() {
    String w = Tls.weakModeWarning(Tls.target(parse("postgres://u:p@db.example.com/d?sslmode=prefer")), "database-url input");
    assertTrue(w.startsWith("The URL in the database-url input sets sslmode=prefer: the connection to db.example.com:5432/d may be unencrypted"), w);
    assertFalse(w.contains("u:p"), w);
    assertNull(Tls.weakModeWarning(Tls.target(parse("postgres://u:p@localhost/d?sslmode=disable")), "database-url"));
    assertNull(Tls.weakModeWarning(Tls.target(parse("postgres://u:p@x.flycast/d")), "database-url"));
    assertNull(Tls.weakModeWarning(Tls.target(parse("postgres://u:p@pgbouncer.abc.flympg.net/d")), "database-url"));
    assertNull(Tls.weakModeWarning(Tls.target(parse("postgres://u:p@db.example.com/d")), "database-url"));
  }

  @Test
  void aRootCertificateVerifiesInBothClients() {
    PgUrl u = Tls.target(parse("postgres://u:p@db.example.com/d?sslrootcert=%2Fetc%2Fprovider-ca.pem"));
    // libpq's require verifies the chain when a root certificate is given; pgjdbc's would not, so it gets verify-ca.
    assertEquals("require", u.libpqEnv().get("PGSSLMODE"));
    assertEquals("/etc/provider-ca.pem", u.libpqEnv().get("PGSSLROOTCERT"));
    Properties p = u.jdbcProperties();
    assertEquals("verify-ca", p.getProperty("sslmode"));
    assertEquals("/etc/provider-ca.pem", p.getProperty("sslrootcert"));
    PgUrl full = Tls.target(parse("postgres://u:p@db.example.com/d?sslmode=verify-full&sslrootcert=%2Fca.pem"));
    assertEquals("verify-full", full.jdbcProperties().getProperty("sslmode"));
    assertEquals("verify-full", full.libpqEnv().get("PGSSLMODE"));
  }

  @Test
  void channelBindingReachesBothClients() {
    PgUrl u = Tls.target(parse("postgres://u:p@db.example.com/d?channel_binding=require"));
    assertEquals("require", u.jdbcProperties().getProperty("channelBinding"));
    assertEquals("require", u.libpqEnv().get("PGCHANNELBINDING"));
    Map<String, String> env = u.withParam("channel_binding", "require").libpqEnv();
    assertEquals("require", env.get("PGCHANNELBINDING"));
  }

  @Test
  void noProbeWithoutTlsOrWhenTheUrlDecided() {
    Console console = new Console(new ByteArrayOutputStream(), new ByteArrayOutputStream(), false, false);
    // Port 1 on loopback: a probe would fail; none is made, the URL comes back as it was.
    PgUrl plain = Tls.target(parse("postgres://u:p@127.0.0.1:1/d?sslmode=disable"));
    assertSame(plain, Tls.pinChannelBinding(plain, "database-url", console));
    PgUrl decided = Tls.target(parse("postgres://u:p@127.0.0.1:1/d?sslmode=require&channel_binding=disable"));
    assertSame(decided, Tls.pinChannelBinding(decided, "database-url", console));
    // A probe that fails for another reason leaves reporting to the run's own connection.
    PgUrl unreachable = parse("postgres://u:p@127.0.0.1:1/d?sslmode=require&connect_timeout=2");
    assertSame(unreachable, Tls.pinChannelBinding(unreachable, "database-url", console));
  }
}
