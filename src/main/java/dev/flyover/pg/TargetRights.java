package dev.flyover.pg;

import dev.flyover.UserError;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Preflight: what the source holds that only a superuser can create, checked against the target user before
 * anything is written (on Heroku and Fly Managed Postgres the target user owns its database and is no superuser).
 * Without it, the restore fails half-way on the first such object, with the data half in. Settings are checked by
 * {@link Settings#plan}, the target's own objects (overwrite) by {@link Overwrite#check}.
 */
final class TargetRights {
  private TargetRights() {}

  private static final String NOT_MEMBER = "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.%s'::regclass"
      + " AND d.objid = x.oid AND d.deptype = 'e')";

  static void check(Connection source, Connection target, String targetUser) throws SQLException {
    if (Catalog.isSuperuser(target)) return;
    // The schema is restored as the target user: it creates schemas, and objects in public.
    List<String> rights = new ArrayList<>();
    boolean otherSchemas = !Catalog.strings(source, "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN"
        + " ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\\_%'").isEmpty();
    if (otherSchemas && "f".equals(Catalog.scalar(target, "SELECT has_database_privilege(current_database(), 'CREATE')"))) {
      rights.add("CREATE on the database (to create the source's schemas)");
    }
    if ("t".equals(Catalog.scalar(source, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = 'public'::regnamespace)"))
        && "t".equals(Catalog.scalar(target, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'public')"))
        && "f".equals(Catalog.scalar(target, "SELECT has_schema_privilege('public', 'CREATE')"))) {
      rights.add("CREATE on schema public");
    }
    if (!rights.isEmpty()) {
      throw new UserError("The target user " + targetUser + " lacks " + String.join(" and ", rights) + ", which the restore"
          + " needs: connect as the database's owner (as Heroku and Fly hand it out), or have it granted, then run again.");
    }
    List<String> needs = new ArrayList<>();
    // Extensions the target lacks and its user may not create (not marked trusted in their control file).
    List<String> present = Catalog.strings(target, "SELECT extname || ' ' || n.nspname FROM pg_catalog.pg_extension e"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace");
    List<String> untrusted = Catalog.strings(target, "SELECT DISTINCT name FROM pg_catalog.pg_available_extension_versions WHERE NOT trusted"
        + " AND name NOT IN (SELECT name FROM pg_catalog.pg_available_extension_versions WHERE trusted)");
    for (Catalog.Extension e : Catalog.extensions(source)) {
      if (e.name().equals("plpgsql")) continue;
      if (!present.contains(e.name() + " " + e.schema()) && untrusted.contains(e.name())) {
        needs.add("extension " + e.name() + " (install it in schema " + e.schema() + " on the target first)");
      }
    }
    needs.addAll(Catalog.strings(source, "SELECT 'event trigger ' || x.evtname FROM pg_catalog.pg_event_trigger x WHERE "
        + String.format(NOT_MEMBER, "pg_event_trigger")));
    needs.addAll(Catalog.strings(source, "SELECT 'foreign-data wrapper ' || x.fdwname FROM pg_catalog.pg_foreign_data_wrapper x WHERE "
        + String.format(NOT_MEMBER, "pg_foreign_data_wrapper")));
    needs.addAll(Catalog.strings(source, "SELECT 'access method ' || x.amname FROM pg_catalog.pg_am x WHERE x.oid >= 16384 AND "
        + String.format(NOT_MEMBER, "pg_am")));
    needs.addAll(Catalog.strings(source, "SELECT 'transform for ' || format_type(x.trftype, NULL) FROM pg_catalog.pg_transform x"
        + " WHERE x.oid >= 16384 AND " + String.format(NOT_MEMBER, "pg_transform")));
    needs.addAll(Catalog.strings(source, "SELECT 'cast (' || format_type(x.castsource, NULL) || ' AS ' || format_type(x.casttarget, NULL)"
        + " || ')' FROM pg_catalog.pg_cast x WHERE x.oid >= 16384 AND x.castsource < 16384 AND x.casttarget < 16384 AND "
        + String.format(NOT_MEMBER, "pg_cast")));
    needs.addAll(Catalog.strings(source, "SELECT 'language ' || x.lanname FROM pg_catalog.pg_language x WHERE x.oid >= 16384"
        + " AND NOT x.lanpltrusted AND " + String.format(NOT_MEMBER, "pg_language")));
    needs.addAll(Catalog.strings(source, "SELECT 'publication ' || x.pubname || ' (FOR ALL TABLES)' FROM pg_catalog.pg_publication x"
        + " WHERE x.puballtables"));
    if (needs.isEmpty()) return;
    throw new UserError("The source holds " + String.join(", ", needs) + ", which only a superuser can create, and the target"
        + " user " + targetUser + " is not one: have the target's administrator create " + (needs.size() == 1 ? "it" : "them")
        + " (extensions), or drop " + (needs.size() == 1 ? "it" : "them") + " from the source if the app does not use "
        + (needs.size() == 1 ? "it" : "them") + ", then run again.");
  }
}
