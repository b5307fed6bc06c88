package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.pg.TransferRequest.Mode;
import dev.flyover.pg.TransferRequest.Verify;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The local cluster with TLS on (scripts/setup-local.sh: a self-signed certificate for localhost and 127.0.0.1,
 * SCRAM authentication), as Heroku and Fly serve theirs: a transfer whose URLs demand a verified certificate reaches
 * every session that way (JDBC, pg_dump, pg_restore and the psql data path), SCRAM channel binding is pinned once
 * the server shows it, and a certificate that does not verify stops the run in one sentence before anything is
 * written.
 */
@Tag("integration")
class TlsServerTest {
  static final Path CERT = Path.of("/var/lib/flyover/pg-tls/server.crt");
  static TestDatabases dbs;
  static String source;

  @BeforeAll
  static void setUp() {
    assumeTrue(Files.isReadable(CERT), "the cluster's certificate (scripts/setup-local.sh) is not there");
    dbs = new TestDatabases();
    source = dbs.createSource("tls");
    dbs.exec(source, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 60000) g;"
        + " CREATE TABLE small (id int PRIMARY KEY); INSERT INTO small SELECT generate_series(1, 10)");
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  /** The database's URL demanding a certificate that verifies against {@code root}. */
  static PgUrl verified(String db, String root) {
    return PgUrl.parse(dbs.url(db).replace("sslmode=disable", "sslmode=verify-full&sslrootcert=" + root), "test");
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"PARALLEL", "STREAM"})
  void aTransferWithVerifiedCertificatesOnBothSides(Mode mode) throws Exception {
    String target = dbs.create("tlst");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FLYOVER_PG_PIPE", "all"); // every table through psql, so the children's TLS is proven too
    TransferRequest req = new TransferRequest(verified(source, CERT.toString()), verified(target, CERT.toString()), mode, 2,
        Verify.CHECKSUMS, false, Optional.empty(), Optional.empty());
    TransferResult r = new DatabaseTransfer(Env.of(env), new Console(out, out, false, true)).run(req);
    String log = out.toString(StandardCharsets.UTF_8);
    assertTrue(r.verified(), log);
    assertEquals("60000", dbs.scalar(target, "SELECT count(*) FROM t"));
    // SCRAM over TLS offers channel binding: it is pinned for the rest of the run.
    assertTrue(log.contains("uses SCRAM channel binding: required from now on"), log);
    assertFalse(log.contains("does not offer SCRAM channel binding"), log);
  }

  @Test
  void theSessionsAreEncryptedAndBound() throws Exception {
    PgUrl u = Tls.pinChannelBinding(verified(source, CERT.toString()), "the heroku-database-url input",
        new Console(new ByteArrayOutputStream(), new ByteArrayOutputStream(), false, false));
    assertEquals("require", u.params().get("channel_binding"));
    try (Connection c = PgSession.open(u, PgSession.Side.SOURCE, "the heroku-database-url input")) {
      assertEquals("t", Catalog.scalar(c, "SELECT ssl::text FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()")
          .substring(0, 1));
    }
  }

  @Test
  void aCertificateThatDoesNotVerifyStopsTheRunBeforeAnyWrite() {
    // Debian's public CA bundle: a real root, but not the one that signed this server's certificate.
    Path other = Path.of("/etc/ssl/certs/ca-certificates.crt");
    assumeTrue(Files.isReadable(other));
    String target = dbs.create("tlsbad");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransferRequest req = new TransferRequest(verified(source, other.toString()), dbs.pgUrl(target), Mode.PARALLEL, 2,
        Verify.COUNTS, false, Optional.empty(), Optional.empty());
    UserError e = assertThrows(UserError.class,
        () -> new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), new Console(out, out, false, false)).run(req));
    assertTrue(e.getMessage().contains("heroku-database-url"), e.getMessage());
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_catalog.pg_class WHERE relnamespace = 'public'::regnamespace"));
  }
}
