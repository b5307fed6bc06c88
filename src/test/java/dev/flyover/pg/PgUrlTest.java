package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.UserError;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PgUrlTest {
  @Test
  void herokuUrlBecomesJdbcAndLibpqWithTheHerokuSslMode() {
    PgUrl u = PgUrl.parse("postgres://u9heroku:p%40ss%3Aw%2Frd@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8abc", "heroku-database-url")
        .withDefaultSslMode("require");
    assertEquals("jdbc:postgresql://ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8abc", u.jdbcUrl());
    Properties p = u.jdbcProperties();
    assertEquals("u9heroku", p.getProperty("user"));
    assertEquals("p@ss:w/rd", p.getProperty("password"));
    assertEquals("require", p.getProperty("sslmode"));
    Map<String, String> env = u.libpqEnv();
    assertEquals("ec2-1-2-3-4.compute-1.amazonaws.com", env.get("PGHOST"));
    assertEquals("5432", env.get("PGPORT"));
    assertEquals("u9heroku", env.get("PGUSER"));
    assertEquals("p@ss:w/rd", env.get("PGPASSWORD"));
    assertEquals("d8abc", env.get("PGDATABASE"));
    assertEquals("require", env.get("PGSSLMODE"));
    assertFalse(u.toString().contains("p@ss"));
    assertEquals("postgres://u9heroku:***@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8abc", u.toString());
  }

  @Test
  void explicitSslModeWinsOverTheDefault() {
    PgUrl u = PgUrl.parse("postgresql://a:b@h/db?sslmode=disable", "heroku-database-url").withDefaultSslMode("require");
    assertEquals("disable", u.sslMode());
  }

  @Test
  void ipv6HostsKeepTheirBrackets() {
    PgUrl u = PgUrl.parse("postgres://a:b@[fdaa:0:1:a7b:1::2]:5433/app?sslmode=disable", "database-url");
    assertEquals("fdaa:0:1:a7b:1::2", u.host());
    assertEquals(5433, u.port());
    assertEquals("jdbc:postgresql://[fdaa:0:1:a7b:1::2]:5433/app", u.jdbcUrl());
    assertEquals("fdaa:0:1:a7b:1::2", u.libpqEnv().get("PGHOST"));
  }

  @Test
  void defaultsFollowLibpq() {
    PgUrl u = PgUrl.parse("postgres://someone@db.example", "database-url");
    assertEquals(5432, u.port());
    assertEquals("someone", u.database());
    assertNull(u.password());
    assertEquals("prefer", u.jdbcProperties().getProperty("sslmode"));
  }

  @Test
  void flyPrivateHostsAreRecognised() {
    assertTrue(PgUrl.parse("postgres://a:b@my-db.flycast:5432/x?sslmode=disable", "database-url").isFlyPrivate());
    assertTrue(PgUrl.parse("postgres://a:b@top2.nearest.of.my-db.internal:5432/x", "database-url").isFlyPrivate());
    assertFalse(PgUrl.parse("postgres://a:b@db.example:5432/x", "database-url").isFlyPrivate());
  }

  @Test
  void queryParametersPassThroughAndSslTrueMeansRequire() {
    PgUrl u = PgUrl.parse("postgres://a:b@h/db?ssl=true&application_name=my%20app&connect_timeout=7", "database-url");
    assertEquals("require", u.sslMode());
    assertEquals("my app", u.libpqEnv().get("PGAPPNAME"));
    assertEquals("7", u.jdbcProperties().getProperty("connectTimeout"));
  }

  @Test
  void malformedUrlsAreOneSentenceNamingTheInputWithoutThePassword() {
    for (String bad : List.of("mysql://a:Secr3tPw@h/db", "postgres://a:Secr3tPw@h:notaport/db",
        "postgres://a:Secr3tPw@[::1/db", "postgres://a:Secr3tPw@h/db?sslmode=sometimes",
        "postgres://a:Secr3tPw%zz@h/db", "postgres://a:Secr3tPw@h/db?bogus=1", "postgres://a:Secr3tPw@/db")) {
      UserError e = assertThrows(UserError.class, () -> PgUrl.parse(bad, "database-url input"), bad);
      assertTrue(e.getMessage().startsWith("The database-url input is not a valid PostgreSQL URL: "), e.getMessage());
      assertFalse(e.getMessage().contains("Secr3tPw"), e.getMessage());
    }
    UserError empty = assertThrows(UserError.class, () -> PgUrl.parse(" ", "heroku-database-url"));
    assertTrue(empty.getMessage().contains("heroku-database-url"));
  }

  @Test
  void listSettingsAreSplitIntoLiterals() {
    assertEquals("'$user', 'public', 'heroku_ext'", DatabaseTransfer.settingValue("search_path", "\"$user\", public, heroku_ext"));
    assertEquals("'My \"Schema\"', 'x'", DatabaseTransfer.settingValue("search_path", "\"My \"\"Schema\"\"\", x"));
    assertEquals("'45s'", DatabaseTransfer.settingValue("statement_timeout", "45s"));
    assertEquals("'it''s'", DatabaseTransfer.settingValue("application_name", "it's"));
  }

  @Test
  void restoreErrorsAreClassed() {
    RestoreLog log = RestoreLog.parse(List.of(
        "pg_restore: while PROCESSING TOC:",
        "pg_restore: from TOC entry 3345; 0 0 COMMENT EXTENSION plpgsql",
        "pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql",
        "Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';",
        "pg_restore: error: could not execute query: ERROR:  extension \"old_snapshot\" is not available",
        "Command was: CREATE EXTENSION IF NOT EXISTS old_snapshot WITH SCHEMA public;",
        "pg_restore: warning: errors ignored on restore: 2"));
    assertEquals(2, log.ignoredCount);
    assertEquals(1, log.benign.size());
    assertEquals(1, log.fatal.size());
    assertTrue(log.fatal.get(0).contains("old_snapshot"));
    assertFalse(log.ok());
  }

  @Test
  void uriWritesTheSameDatabaseBackWithTheHerokuSslModeKept() {
    PgUrl u = PgUrl.parse("postgres://u9heroku:p%40ss%3Aw%2Frd%20x@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8abc",
        "heroku-database-url").withDefaultSslMode("require");
    String again = u.uri();
    assertTrue(again.endsWith("?sslmode=require"), again);
    PgUrl back = PgUrl.parse(again, "heroku-database-url");
    assertEquals(u.libpqEnv(), back.libpqEnv());
    assertEquals("p@ss:w/rd x", back.password());
    // An sslmode the user chose is kept as it is; IPv6 hosts keep their brackets.
    assertTrue(PgUrl.parse("postgres://a:b@h/db?sslmode=verify-full&application_name=x y", "t").withDefaultSslMode("require")
        .uri().endsWith("?sslmode=verify-full&application_name=x%20y"));
    assertEquals("postgresql://a:b@[::1]:5433/db", PgUrl.parse("postgres://a:b@[::1]:5433/db", "t").uri());
  }
}
