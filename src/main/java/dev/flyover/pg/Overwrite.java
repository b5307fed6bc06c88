package dev.flyover.pg;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase: emptying the target ({@code overwrite}), the only path that drops anything. Dropping the schemas drops
 * what lives in them, but a database also holds objects outside any schema (publications, foreign-data wrappers
 * and servers, event triggers, transforms, casts, access methods, procedural languages, default privileges),
 * which survive and make the restore fail on its second run. {@link #inventory} lists everything to drop and is
 * checked in preflight: anything the target user may not drop (a superuser's event trigger, a platform's
 * extension it could not create again, a subscription, whose drop would reach into its publisher) is named there,
 * before anything is written, instead of failing half-way with advice that cannot work.
 */
final class Overwrite {
  /** One object to drop: how it reads in a message, the statement, and whether the target user may run it. */
  record Item(String label, String owner, String drop, boolean allowed) {}

  private Overwrite() {}

  private static final String MAY_DROP = "(pg_catalog.pg_has_role(current_user, %s, 'MEMBER')"
      + " OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user))";
  private static final String NOT_MEMBER = "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '%s'::regclass"
      + " AND d.objid = x.oid AND d.deptype = 'e')";

  /** Everything overwrite would drop, outside-schema objects first (they may depend on what the schemas hold). */
  static List<Item> inventory(Connection target) throws SQLException {
    List<Item> items = new ArrayList<>();
    query(target, items, "SELECT 'subscription ' || x.subname, x.subowner::regrole::text, '', false"
        + " FROM pg_catalog.pg_subscription x WHERE x.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())");
    query(target, items, "SELECT 'event trigger ' || x.evtname, x.evtowner::regrole::text, 'DROP EVENT TRIGGER '"
        + " || quote_ident(x.evtname), " + mayDrop("x.evtowner") + " FROM pg_catalog.pg_event_trigger x WHERE "
        + notMember("pg_event_trigger"));
    query(target, items, "SELECT 'publication ' || x.pubname, x.pubowner::regrole::text, 'DROP PUBLICATION '"
        + " || quote_ident(x.pubname), " + mayDrop("x.pubowner") + " FROM pg_catalog.pg_publication x");
    query(target, items, "SELECT 'foreign server ' || x.srvname, x.srvowner::regrole::text, 'DROP SERVER '"
        + " || quote_ident(x.srvname) || ' CASCADE', " + mayDrop("x.srvowner") + " FROM pg_catalog.pg_foreign_server x WHERE "
        + notMember("pg_foreign_server"));
    query(target, items, "SELECT 'foreign-data wrapper ' || x.fdwname, x.fdwowner::regrole::text, 'DROP FOREIGN DATA WRAPPER '"
        + " || quote_ident(x.fdwname) || ' CASCADE', " + mayDrop("x.fdwowner") + " FROM pg_catalog.pg_foreign_data_wrapper x WHERE "
        + notMember("pg_foreign_data_wrapper"));
    query(target, items, "SELECT 'transform for ' || format_type(x.trftype, NULL) || ' language ' || l.lanname,"
        + " t.typowner::regrole::text, 'DROP TRANSFORM FOR ' || format_type(x.trftype, NULL) || ' LANGUAGE ' || quote_ident(l.lanname)"
        + " || ' CASCADE', " + mayDrop("t.typowner") + " FROM pg_catalog.pg_transform x JOIN pg_catalog.pg_type t ON t.oid = x.trftype"
        + " JOIN pg_catalog.pg_language l ON l.oid = x.trflang WHERE x.oid >= 16384 AND " + notMember("pg_transform"));
    query(target, items, "SELECT 'cast (' || format_type(x.castsource, NULL) || ' AS ' || format_type(x.casttarget, NULL) || ')',"
        + " s.typowner::regrole::text, 'DROP CAST (' || format_type(x.castsource, NULL) || ' AS ' || format_type(x.casttarget, NULL)"
        + " || ') CASCADE', (" + mayDrop("s.typowner") + " OR " + mayDrop("t.typowner") + ")"
        + " FROM pg_catalog.pg_cast x JOIN pg_catalog.pg_type s ON s.oid = x.castsource JOIN pg_catalog.pg_type t ON t.oid = x.casttarget"
        + " WHERE x.oid >= 16384 AND " + notMember("pg_cast")
        // A cast on a type in a schema goes with it; only casts between built-in types outlive the schemas.
        + " AND s.oid < 16384 AND t.oid < 16384");
    query(target, items, "SELECT 'access method ' || x.amname, 'a superuser', 'DROP ACCESS METHOD ' || quote_ident(x.amname)"
        + " || ' CASCADE', (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)"
        + " FROM pg_catalog.pg_am x WHERE x.oid >= 16384 AND " + notMember("pg_am"));
    query(target, items, "SELECT 'language ' || x.lanname, x.lanowner::regrole::text, 'DROP LANGUAGE ' || quote_ident(x.lanname)"
        + " || ' CASCADE', " + mayDrop("x.lanowner") + " FROM pg_catalog.pg_language x WHERE x.oid >= 16384 AND " + notMember("pg_language"));
    // Extensions go with their schema; one the target user could not create again would be lost for good.
    query(target, items, "SELECT 'extension ' || e.extname || ' (schema ' || n.nspname || ', which user ' || current_user"
        + " || ' could not create again)', e.extowner::regrole::text, '', false FROM pg_catalog.pg_extension e"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace LEFT JOIN pg_catalog.pg_available_extension_versions v"
        + " ON v.name = e.extname AND v.version = e.extversion WHERE n.nspname <> 'pg_catalog'"
        + " AND NOT coalesce(v.trusted, false) AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)");
    query(target, items, "SELECT 'schema ' || x.nspname, x.nspowner::regrole::text, 'DROP SCHEMA ' || quote_ident(x.nspname)"
        + " || ' CASCADE', " + mayDrop("x.nspowner") + " FROM pg_catalog.pg_namespace x WHERE x.nspname NOT IN ('pg_catalog', 'information_schema')"
        + " AND x.nspname NOT LIKE 'pg\\_toast%' AND x.nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY x.nspname");
    return items;
  }

  /** Preflight: one sentence naming everything overwrite could not drop. */
  static void check(List<Item> items, String targetUser, String target, String targetInput) {
    List<String> blocked = new ArrayList<>();
    for (Item i : items) {
      if (!i.allowed()) blocked.add(i.label() + (i.label().startsWith("extension ") ? "" : " (owner " + i.owner() + ")"));
    }
    if (blocked.isEmpty()) return;
    throw new UserError("overwrite cannot empty the target database " + target + ": it holds " + String.join(", ", blocked)
        + ", which user " + targetUser + " may not drop"
        + (blocked.stream().anyMatch(b -> b.startsWith("subscription ")) ? " (a subscription is never dropped for you:"
        + " dropping it reaches into its publisher)" : "") + ": have the target's"
        + " administrator remove " + (blocked.size() == 1 ? "it" : "them") + ", or point " + targetInput + " at a new, empty database.");
  }

  /** Drops everything listed, and leaves what initdb leaves: an empty public schema, no large objects, no settings. */
  static void run(Connection target, List<Item> items, Console console) throws SQLException {
    List<String> labels = new ArrayList<>();
    for (Item i : items) labels.add(i.label());
    console.info("overwrite: dropping " + (labels.isEmpty() ? "nothing" : String.join(", ", labels))
        + ", large objects, default privileges and settings on the target");
    int num = Catalog.serverVersionNum(target);
    String db = PgSession.ident(Catalog.currentDatabase(target));
    try (Statement st = target.createStatement()) {
      for (Item i : items) st.execute(i.drop());
      resetDefaultPrivileges(target);
      // As initdb leaves it, so the target's schema reads exactly like the source's.
      st.execute("CREATE SCHEMA public");
      st.execute("COMMENT ON SCHEMA public IS 'standard public schema'");
      if (num >= 140000) st.execute("ALTER SCHEMA public OWNER TO pg_database_owner");
      st.execute("GRANT USAGE ON SCHEMA public TO PUBLIC");
      if (num < 150000) st.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
      st.execute("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata");
      st.execute("ALTER DATABASE " + db + " RESET ALL");
      st.execute("ALTER ROLE CURRENT_USER IN DATABASE " + db + " RESET ALL");
    }
  }

  /**
   * Database-wide default privileges (per-schema ones went with their schema) back to the built-in defaults:
   * PostgreSQL deletes the entry once it equals them.
   */
  private static void resetDefaultPrivileges(Connection target) throws SQLException {
    List<String> statements = new ArrayList<>();
    try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT d.defaclrole::regrole::text,"
        + " d.defaclobjtype, a.grantee FROM pg_catalog.pg_default_acl d, aclexplode(d.defaclacl) a"
        + " WHERE d.defaclnamespace = 0 AND " + mayDrop("d.defaclrole") + " GROUP BY 1, 2, 3")) {
      while (rs.next()) {
        String kind = Privileges.defaultAclKind(rs.getString(2));
        String role = rs.getString(1);
        long grantee = rs.getLong(3);
        String who = grantee == 0 ? "PUBLIC" : Catalog.scalar(target, "SELECT " + grantee + "::regrole::text");
        statements.add("ALTER DEFAULT PRIVILEGES FOR ROLE " + role + " REVOKE ALL ON " + kind + " FROM " + who);
        statements.add("ALTER DEFAULT PRIVILEGES FOR ROLE " + role + " GRANT ALL ON " + kind + " TO " + role);
        if (kind.equals("FUNCTIONS") || kind.equals("TYPES")) {
          statements.add("ALTER DEFAULT PRIVILEGES FOR ROLE " + role + " GRANT " + (kind.equals("TYPES") ? "USAGE" : "EXECUTE")
              + " ON " + kind + " TO PUBLIC");
        }
      }
    }
    try (Statement st = target.createStatement()) {
      for (String s : statements) st.execute(s);
    }
  }

  private static String mayDrop(String ownerColumn) {
    return String.format(MAY_DROP, ownerColumn);
  }

  private static String notMember(String catalog) {
    return String.format(NOT_MEMBER, "pg_catalog." + catalog);
  }

  private static void query(Connection c, List<Item> items, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) items.add(new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
    }
  }
}
