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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What real databases hold and the transfer once lost while reporting "verified" (issue 11): extension
 * configuration rows, privileges that name no role, objects outside schemas on overwrite, settings the target
 * user may not apply, setting values in the log. Source and target are ordinary roles owning their databases.
 */
@Tag("integration")
class ExactnessTest {
  static TestDatabases dbs;

  @BeforeAll
  static void setUp() {
    dbs = new TestDatabases();
  }

  @AfterAll
  static void tearDown() {
    if (dbs != null) dbs.close();
  }

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final Console console = new Console(out, out, false, false);

  TransferResult transfer(String source, String target, Mode mode, boolean overwrite) {
    TransferRequest req = new TransferRequest(dbs.pgUrl(source), dbs.pgUrl(target), mode, 2, Verify.CHECKSUMS, overwrite,
        Optional.empty(), Optional.empty());
    return new DatabaseTransfer(Env.of(new HashMap<>(System.getenv())), console).minChunkBytes(64 * 1024).run(req);
  }

  String log() {
    return out.toString(StandardCharsets.UTF_8);
  }

  static boolean partmanInstalled() {
    return Files.exists(Path.of("/usr/share/postgresql/15/extension/pg_partman.control"));
  }

  /** pg_partman as a platform installs it: by the superuser, in its schema, usable by the database's owner. */
  static void installPartman(String db) {
    installPartman(dbs, db);
  }

  static void installPartman(TestDatabases dbs, String db) {
    String owner = dbs.role(db);
    dbs.adminExec(db, "CREATE SCHEMA partman AUTHORIZATION " + owner + "; CREATE EXTENSION pg_partman SCHEMA partman;"
        + " GRANT ALL ON ALL TABLES IN SCHEMA partman TO " + owner + "; GRANT ALL ON ALL SEQUENCES IN SCHEMA partman TO " + owner + ";"
        + " GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA partman TO " + owner + "; GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA partman TO " + owner);
  }

  static String partmanSource() {
    String source = dbs.createSource("xpm");
    installPartman(source);
    dbs.exec(source, "CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL, what text) PARTITION BY RANGE (at);"
        + " CREATE INDEX events_at_idx ON events (at);"
        + " SELECT partman.create_parent('public.events', 'at', 'native', 'daily', p_premake := 2);"
        + " INSERT INTO events SELECT g, now() + g * interval '10 seconds', 'e' || g FROM generate_series(1, 3000) g;");
    return source;
  }

  @Test
  void extensionConfigRowsArriveInParallelMode() {
    assumeTrue(partmanInstalled(), "pg_partman is not installed: run scripts/setup-local.sh (Debian's postgresql-15-partman)");
    String source = partmanSource();
    Map<String, String> before = Fingerprint.of(dbs, source);
    assertEquals("1", dbs.scalar(source, "SELECT count(*) FROM partman.part_config"));
    String target = dbs.create("xpmt");
    installPartman(target);
    TransferResult r = transfer(source, target, Mode.PARALLEL, false);
    assertTrue(r.verified(), log());
    assertEquals(before, Fingerprint.of(dbs, target));
    assertEquals("public.events", dbs.scalar(target, "SELECT parent_table FROM partman.part_config"));
    assertTrue(r.tables().stream().anyMatch(t -> t.table().equals("partman.part_config") && t.sourceRows() == 1 && t.match()),
        r.tables().toString());
    // The copy manages its partitions: maintenance on the target works from the carried configuration.
    dbs.exec(target, "SELECT partman.run_maintenance('public.events')");
  }

  @Test
  void anUntrustedExtensionTheTargetLacksStopsBeforeAnything() {
    assumeTrue(partmanInstalled(), "pg_partman is not installed: run scripts/setup-local.sh (Debian's postgresql-15-partman)");
    String source = partmanSource();
    String target = dbs.create("xpmn");
    UserError e = assertThrows(UserError.class, () -> transfer(source, target, Mode.PARALLEL, false));
    assertTrue(e.getMessage().startsWith("The source holds extension pg_partman (install it in schema partman on the target first),"
        + " which only a superuser can create, and the target user " + TestDatabases.ROLE + " is not one"),
        e.getMessage());
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'partman'"));
  }

  @Test
  void privilegesThatNameNoRoleAreCarriedAndTheRestListed() {
    String source = dbs.createSource("xacl");
    dbs.adminExec(source, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fo_app_reader') THEN"
        + " CREATE ROLE fo_app_reader; END IF; END $$");
    dbs.exec(source, "CREATE FUNCTION private_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        + " REVOKE EXECUTE ON FUNCTION private_fn() FROM PUBLIC;"
        + " CREATE TABLE notes (id int PRIMARY KEY, body text, secret text); INSERT INTO notes VALUES (1, 'a', 's');"
        + " GRANT SELECT ON notes TO PUBLIC; GRANT SELECT (body) ON notes TO fo_app_reader; GRANT SELECT ON notes TO fo_app_reader;"
        + " REVOKE TRUNCATE ON notes FROM CURRENT_USER;"
        + " CREATE SCHEMA api; GRANT USAGE ON SCHEMA api TO PUBLIC;"
        + " ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
        + " ALTER DEFAULT PRIVILEGES IN SCHEMA api GRANT SELECT ON TABLES TO PUBLIC;"
        + " SELECT lo_from_bytea(515151, 'x'); GRANT SELECT ON LARGE OBJECT 515151 TO PUBLIC;");
    String target = dbs.create("xaclt");
    TransferResult r = transfer(source, target, Mode.PARALLEL, false);
    assertTrue(r.verified(), log());
    Map<String, String> s = acls(source);
    Map<String, String> t = acls(target);
    assertEquals(s, t);
    assertEquals("f", dbs.scalar(target, "SELECT has_function_privilege('public', 'private_fn()', 'EXECUTE')"));
    assertEquals("t", dbs.scalar(target, "SELECT has_table_privilege('public', 'notes', 'SELECT')"));
    assertEquals(List.of("SELECT on column public.notes (body) to role fo_app_reader", "SELECT on table public.notes to role fo_app_reader"),
        r.notCarried());
    assertTrue(log().contains("Not carried over (the role is the source's): SELECT on table public.notes to role fo_app_reader"), log());
    // A function made later on the target is private too, as on the source.
    dbs.exec(target, "CREATE FUNCTION later_fn() RETURNS int LANGUAGE sql AS 'SELECT 2'");
    assertEquals("f", dbs.scalar(target, "SELECT has_function_privilege('public', 'later_fn()', 'EXECUTE')"));
  }

  /** Each object's privileges with the owner as OWNER and roles other than PUBLIC and the owner left out. */
  static Map<String, String> acls(String db) {
    Map<String, String> m = new java.util.TreeMap<>();
    for (String row : dbs.column(db, "SELECT o.what || ' ' || string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE 'OWNER' END"
        + " || '=' || a.privilege_type, ',' ORDER BY 1) FROM ("
        + " SELECT 'rel ' || oid::regclass::text AS what, relowner AS owner, coalesce(relacl, acldefault('r', relowner)) AS acl"
        + "   FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
        + " UNION ALL SELECT 'fn ' || oid::regprocedure::text, proowner, coalesce(proacl, acldefault('f', proowner)) FROM pg_proc"
        + "   WHERE pronamespace = 'public'::regnamespace"
        + " UNION ALL SELECT 'schema ' || nspname, nspowner, coalesce(nspacl, acldefault('n', nspowner)) FROM pg_namespace WHERE nspname IN ('api', 'public')"
        + " UNION ALL SELECT 'lo ' || oid, lomowner, coalesce(lomacl, acldefault('L', lomowner)) FROM pg_largeobject_metadata"
        + " UNION ALL SELECT 'default ' || defaclobjtype::text || coalesce(' in ' || nullif(defaclnamespace, 0)::regnamespace::text, ''),"
        + "   defaclrole, defaclacl FROM pg_default_acl) o, aclexplode(o.acl) a WHERE a.grantee IN (0, o.owner) GROUP BY o.what")) {
      int sp = row.lastIndexOf(' ');
      m.put(row.substring(0, sp), row.substring(sp + 1));
    }
    return m;
  }

  @Test
  void overwriteEmptiesObjectsOutsideSchemas() {
    String source = dbs.createSource("xovs");
    dbs.exec(source, "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1);"
        + " CREATE PUBLICATION orders_pub FOR TABLE orders; ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;");
    String target = dbs.create("xovt");
    assertTrue(transfer(source, target, Mode.PARALLEL, false).verified(), log());
    // A second run without overwrite names what is there; with it, replaces everything.
    UserError e = assertThrows(UserError.class, () -> transfer(source, target, Mode.PARALLEL, false));
    assertTrue(e.getMessage().contains("overwrite: true"), e.getMessage());
    assertTrue(transfer(source, target, Mode.PARALLEL, true).verified(), log());
    assertTrue(transfer(source, target, Mode.STREAM, true).verified(), log());
    assertEquals(Fingerprint.of(dbs, source), Fingerprint.of(dbs, target));
    assertEquals(acls(source), acls(target));
  }

  @Test
  void overwriteNamesWhatTheTargetUserMayNotDrop() {
    String source = dbs.createSource("xovb");
    dbs.exec(source, "CREATE TABLE t (id int)");
    String target = dbs.create("xovbt");
    dbs.exec(target, "CREATE TABLE old (id int)");
    dbs.adminExec(target, "CREATE FUNCTION platform_hook() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;"
        + " CREATE EVENT TRIGGER platform_hook ON ddl_command_end EXECUTE FUNCTION platform_hook()");
    UserError e = assertThrows(UserError.class, () -> transfer(source, target, Mode.PARALLEL, true));
    assertTrue(e.getMessage().startsWith("overwrite cannot empty the target database"), e.getMessage());
    assertTrue(e.getMessage().contains("event trigger platform_hook (owner flyover)"), e.getMessage());
    assertTrue(e.getMessage().contains("may not drop"), e.getMessage());
    assertFalse(e.getMessage().contains("overwrite: true"), e.getMessage());
    assertEquals("1", dbs.scalar(target, "SELECT count(*) FROM pg_class WHERE relname = 'old'"), "nothing dropped");
  }

  @Test
  void settingsTheTargetUserMayNotApplyStopBeforeAnythingAndNoValueIsPrinted() {
    String source = dbs.createSource("xset");
    dbs.exec(source, "CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
    dbs.adminExec(source, "ALTER ROLE postgres IN DATABASE " + source + " SET work_mem = '8MB';"
        + " ALTER DATABASE " + source + " SET app.jwt_secret = 'jwt-S3cret-Value-4-test'");
    String target = dbs.create("xsett");
    UserError e = assertThrows(UserError.class, () -> transfer(source, target, Mode.PARALLEL, false));
    assertTrue(e.getMessage().startsWith("The target user " + TestDatabases.ROLE + " may not apply 2 database settings the source"
        + " has (app.jwt_secret: permission denied to set parameter \"app.jwt_secret\"; work_mem (role postgres): must be superuser"
        + " to alter superusers)"), e.getMessage());
    assertFalse(e.getMessage().contains("jwt-S3cret-Value-4-test"), e.getMessage());
    assertFalse(log().contains("jwt-S3cret-Value-4-test"), log());
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_class WHERE relname = 't'"), "nothing written");
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
        + " WHERE d.datname = current_database()"));
  }

  @Test
  void aSecretSettingIsCarriedByName() {
    String source = dbs.createSource("xsec");
    dbs.exec(source, "CREATE TABLE t (id int)");
    dbs.adminExec(source, "ALTER DATABASE " + source + " SET app.api_secret = 'api-S3cret-Value-4-test'");
    // The target's administrator lets its user set it (PostgreSQL 15: GRANT SET ON PARAMETER).
    dbs.adminExec("postgres", "GRANT SET ON PARAMETER app.api_secret TO " + TestDatabases.ROLE);
    try {
      String target = dbs.create("xsect");
      TransferResult r = transfer(source, target, Mode.STREAM, false);
      assertTrue(r.verified(), log());
      assertEquals(List.of("app.api_secret"), r.settings());
      assertTrue(log().contains("database settings carried over: app.api_secret"), log());
      assertFalse(log().contains("api-S3cret-Value-4-test"), log());
      assertEquals(Fingerprint.of(dbs, source).get("settings"), Fingerprint.of(dbs, target).get("settings"));
    } finally {
      dbs.adminExec("postgres", "REVOKE SET ON PARAMETER app.api_secret FROM " + TestDatabases.ROLE);
    }
  }

  @Test
  void aTargetUserThatCannotCreateTheSchemaStopsBeforeAnything() {
    String source = dbs.createSource("xrgt");
    dbs.exec(source, "CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int); CREATE TABLE t (id int)");
    String target = dbs.create("xrgtt");
    // Reached as a role that does not own the database (PostgreSQL 15: then no CREATE on it nor on public).
    dbs.adminExec("postgres", "ALTER DATABASE " + target + " OWNER TO CURRENT_USER");
    UserError e = assertThrows(UserError.class, () -> transfer(source, target, Mode.PARALLEL, false));
    assertEquals("The target user " + TestDatabases.ROLE + " lacks CREATE on the database (to create the source's schemas) and"
        + " CREATE on schema public, which the restore needs: connect as the database's owner (as Heroku and Fly hand it"
        + " out), or have it granted, then run again.", e.getMessage());
    assertEquals("0", dbs.scalar(target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'billing'"));
  }
}
