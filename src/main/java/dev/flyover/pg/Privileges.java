package dev.flyover.pg;

import dev.flyover.actions.Console;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Phase: privileges. The schema is restored with {@code --no-acl} (the source's roles do not exist on the target),
 * which also drops the privileges that name no role: a {@code REVOKE EXECUTE … FROM PUBLIC} (a function the source
 * kept private would be callable by everyone) or a {@code GRANT SELECT … TO PUBLIC}. This phase carries those that
 * do not depend on roles: for every object whose privileges differ from the built-in default on either side, the
 * grants to {@code PUBLIC} and the owner's own (the source owner's map to the target owner, as {@code --no-owner}
 * maps ownership), plus the source user's default privileges ({@code ALTER DEFAULT PRIVILEGES}), applied last so
 * they touch no restored object. Every other grant names a role the target does not share: it is listed, by role,
 * for the summary. Objects: relations, columns, sequences, routines, schemas, types, large objects, languages,
 * foreign-data wrappers and servers (acldefault kinds from PostgreSQL 15 {@code acl.c}).
 */
final class Privileges {
  /** One object's privileges, by who holds them: PUBLIC, OWNER, or a role name. */
  record Acl(String kind, String name, String column, String owner, Map<String, Set<String>> actual, Map<String, Set<String>> defaults) {}

  /** What to run on the target, and the grants it cannot have (one line per object and role). */
  record Plan(List<String> statements, List<String> notCarried) {}

  private Privileges() {}

  private static final String USER_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
      + " AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

  private static String notMember(String catalog, String oid) {
    return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog." + catalog + "'::regclass"
        + " AND d.objid = " + oid + " AND d.deptype = 'e')";
  }

  /** Objects with explicit privileges: kind keyword for GRANT, name, column, owner, acl, acldefault kind. */
  private static final String OBJECTS = "SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,"
      + " quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, NULL::text AS col, c.relowner AS owner, c.relacl AS acl,"
      + " CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\" AS dk FROM pg_catalog.pg_class c"
      + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')"
      + " AND c.relacl IS NOT NULL AND " + USER_NS + " AND " + notMember("pg_class", "c.oid")
      + " UNION ALL SELECT 'COLUMN', quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname), c.relowner,"
      + " a.attacl, 'c' FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
      + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL"
      + " AND " + USER_NS + " AND " + notMember("pg_class", "c.oid")
      + " UNION ALL SELECT 'ROUTINE', p.oid::pg_catalog.regprocedure::text, NULL, p.proowner, p.proacl, 'f'"
      + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.proacl IS NOT NULL"
      + " AND " + USER_NS + " AND " + notMember("pg_proc", "p.oid")
      + " UNION ALL SELECT 'SCHEMA', quote_ident(n.nspname), NULL, n.nspowner, n.nspacl, 'n' FROM pg_catalog.pg_namespace n"
      + " WHERE n.nspacl IS NOT NULL AND " + USER_NS + " AND " + notMember("pg_namespace", "n.oid")
      + " UNION ALL SELECT 'TYPE', t.oid::pg_catalog.regtype::text, NULL, t.typowner, t.typacl, 'T' FROM pg_catalog.pg_type t"
      + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typacl IS NOT NULL AND " + USER_NS
      + " AND " + notMember("pg_type", "t.oid")
      + " UNION ALL SELECT 'LARGE OBJECT', l.oid::text, NULL, l.lomowner, l.lomacl, 'L' FROM pg_catalog.pg_largeobject_metadata l"
      + " WHERE l.lomacl IS NOT NULL"
      + " UNION ALL SELECT 'LANGUAGE', quote_ident(l.lanname), NULL, l.lanowner, l.lanacl, 'l' FROM pg_catalog.pg_language l"
      + " WHERE l.lanacl IS NOT NULL AND l.oid >= 16384 AND " + notMember("pg_language", "l.oid")
      + " UNION ALL SELECT 'FOREIGN DATA WRAPPER', quote_ident(w.fdwname), NULL, w.fdwowner, w.fdwacl, 'F'"
      + " FROM pg_catalog.pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL AND " + notMember("pg_foreign_data_wrapper", "w.oid")
      + " UNION ALL SELECT 'FOREIGN SERVER', quote_ident(s.srvname), NULL, s.srvowner, s.srvacl, 'S'"
      + " FROM pg_catalog.pg_foreign_server s WHERE s.srvacl IS NOT NULL AND " + notMember("pg_foreign_server", "s.oid");

  /** Each object with explicit privileges on one side, its privileges and its built-in default, by holder. */
  static Map<String, Acl> read(Connection c) throws SQLException {
    String sql = "SELECT o.kind, o.name, o.col, o.owner::regrole::text, 'A', a.grantee, a.grantee = o.owner, a.privilege_type"
        + " FROM (" + OBJECTS + ") o, aclexplode(o.acl) a"
        + " UNION ALL SELECT o.kind, o.name, o.col, o.owner::regrole::text, 'D', a.grantee, a.grantee = o.owner, a.privilege_type"
        + " FROM (" + OBJECTS + ") o, aclexplode(acldefault(o.dk, o.owner)) a"
        // An object whose ACL is empty after revoking everything still counts (it has no aclexplode rows).
        + " UNION ALL SELECT o.kind, o.name, o.col, o.owner::regrole::text, 'A', NULL, NULL, NULL FROM (" + OBJECTS + ") o";
    Map<String, Acl> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String key = rs.getString(1) + " " + rs.getString(2) + (rs.getString(3) == null ? "" : " (" + rs.getString(3) + ")");
        Acl acl = out.computeIfAbsent(key, k -> {
          try {
            return new Acl(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), new TreeMap<>(), new TreeMap<>());
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        if (rs.getString(8) == null) continue;
        long grantee = rs.getLong(6);
        String holder = rs.getBoolean(7) ? "OWNER" : grantee == 0 ? "PUBLIC" : Catalog.scalar(c, "SELECT " + grantee + "::regrole::text");
        Map<String, Set<String>> m = rs.getString(5).equals("A") ? acl.actual() : acl.defaults();
        m.computeIfAbsent(holder, h -> new TreeSet<>()).add(rs.getString(8));
      }
    }
    return out;
  }

  /** The statements that make the target's PUBLIC and owner privileges the source's, and what cannot be carried. */
  static Plan plan(Connection source, Connection target) throws SQLException {
    Map<String, Acl> s = read(source);
    Map<String, Acl> t = read(target);
    String sourceUser = Catalog.scalar(source, "SELECT current_user");
    String targetUser = Catalog.scalar(target, "SELECT current_user");
    List<String> statements = new ArrayList<>();
    List<String> notCarried = new ArrayList<>();
    Set<String> keys = new TreeSet<>(s.keySet());
    keys.addAll(t.keySet());
    for (String key : keys) {
      Acl a = s.get(key);
      Acl b = t.get(key);
      Map<String, Set<String>> want = a != null ? a.actual() : b.defaults();
      Map<String, Set<String>> have = b != null ? b.actual() : a.defaults();
      Acl any = a != null ? a : b;
      String on = " ON " + (any.kind().equals("COLUMN") ? "TABLE" : any.kind()) + " " + any.name();
      for (String holder : List.of("PUBLIC", "OWNER")) {
        String who = holder.equals("PUBLIC") ? "PUBLIC" : (b != null ? PgSession.ident(b.owner()) : PgSession.ident(targetUser));
        Set<String> add = new TreeSet<>(want.getOrDefault(holder, Set.of()));
        add.removeAll(have.getOrDefault(holder, Set.of()));
        Set<String> remove = new TreeSet<>(have.getOrDefault(holder, Set.of()));
        remove.removeAll(want.getOrDefault(holder, Set.of()));
        if (!add.isEmpty()) statements.add("GRANT " + privileges(add, any.column()) + on + " TO " + who);
        if (!remove.isEmpty()) statements.add("REVOKE " + privileges(remove, any.column()) + on + " FROM " + who);
      }
      if (a != null) {
        for (Map.Entry<String, Set<String>> e : a.actual().entrySet()) {
          String holder = e.getKey();
          if (holder.equals("PUBLIC") || holder.equals("OWNER") || holder.equals(sourceUser)) continue;
          notCarried.add(String.join(", ", e.getValue()) + " on " + a.kind().toLowerCase(java.util.Locale.ROOT) + " " + a.name()
              + (a.column() == null ? "" : " (" + a.column() + ")") + " to role " + holder);
        }
      }
    }
    defaultPrivileges(source, sourceUser, targetUser, statements, notCarried);
    return new Plan(statements, notCarried);
  }

  /**
   * What is left to fix after the phase ran: object privileges that still differ, and the connecting user's
   * default privileges (PUBLIC and its own) when they differ from the source user's.
   */
  static List<String> differences(Connection source, Connection target) throws SQLException {
    List<String> out = new ArrayList<>();
    for (String st : plan(source, target).statements()) {
      if (!st.startsWith("ALTER DEFAULT PRIVILEGES")) out.add(st);
    }
    Map<String, String> a = ownDefaults(source);
    Map<String, String> b = ownDefaults(target);
    if (!a.equals(b)) out.add("default privileges " + a + " on the source but " + b + " on the target");
    return out;
  }

  private static Map<String, String> ownDefaults(Connection c) throws SQLException {
    Map<String, String> m = new TreeMap<>();
    String sql = "SELECT d.defaclobjtype::text || coalesce(' in ' || nullif(d.defaclnamespace, 0)::regnamespace::text, ''),"
        + " string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE 'OWNER' END || '=' || a.privilege_type, ',' ORDER BY 1)"
        + " FROM pg_catalog.pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclrole = current_user::regrole"
        + " AND a.grantee IN (0, d.defaclrole) GROUP BY 1";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) m.put(rs.getString(1), rs.getString(2));
    }
    return m;
  }

  /** Runs the plan on the target; names what was not carried. */
  static List<String> apply(Connection target, Plan plan, Console console) {
    try (Statement st = target.createStatement()) {
      for (String sql : plan.statements()) {
        try {
          st.execute(sql);
        } catch (SQLException e) {
          throw new DatabaseTransfer.TransferFailure("carrying privileges over failed (" + DatabaseTransfer.firstLine(e)
              + " in " + sql + ")", e);
        }
      }
    } catch (SQLException e) {
      throw new DatabaseTransfer.TransferFailure("carrying privileges over failed (" + DatabaseTransfer.firstLine(e) + ")", e);
    }
    if (!plan.statements().isEmpty()) console.info("privileges carried over: " + plan.statements().size() + " grants and revokes for PUBLIC and the owner");
    for (String n : plan.notCarried()) console.warn("Not carried over (the role is the source's): " + n);
    return plan.notCarried();
  }

  private static String privileges(Set<String> privileges, String column) {
    List<String> out = new ArrayList<>();
    for (String p : privileges) out.add(column == null ? p : p + " (" + column + ")");
    return String.join(", ", out);
  }

  static String defaultAclKind(String objtype) {
    return switch (objtype) {
      case "r" -> "TABLES";
      case "S" -> "SEQUENCES";
      case "f" -> "FUNCTIONS";
      case "T" -> "TYPES";
      case "n" -> "SCHEMAS";
      default -> throw new IllegalArgumentException("default privileges of object type " + objtype);
    };
  }

  /**
   * The source user's {@code ALTER DEFAULT PRIVILEGES}, for the target user: database-wide entries replace the
   * built-in default (so both grants and revokes), per-schema entries add to it.
   */
  private static void defaultPrivileges(Connection source, String sourceUser, String targetUser, List<String> statements,
      List<String> notCarried) throws SQLException {
    String sql = "SELECT d.defaclrole::regrole::text, d.defaclobjtype::text, CASE WHEN d.defaclnamespace = 0 THEN NULL"
        + " ELSE d.defaclnamespace::regnamespace::text END, x.src, x.grantee, x.grantee = d.defaclrole, x.privilege_type"
        + " FROM pg_catalog.pg_default_acl d, LATERAL (SELECT 'A' AS src, a.* FROM aclexplode(d.defaclacl) a UNION ALL"
        + " SELECT 'D', a.* FROM aclexplode(acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)) a"
        + " WHERE d.defaclnamespace = 0) x ORDER BY 1, 2, 3";
    Map<String, Map<String, Set<String>>> actual = new TreeMap<>();
    Map<String, Map<String, Set<String>>> defaults = new TreeMap<>();
    try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String role = rs.getString(1);
        String key = rs.getString(2) + "|" + (rs.getString(3) == null ? "" : rs.getString(3)) + "|" + role;
        long grantee = rs.getLong(5);
        String holder = rs.getBoolean(6) ? "OWNER" : grantee == 0 ? "PUBLIC" : Catalog.scalar(source, "SELECT " + grantee + "::regrole::text");
        (rs.getString(4).equals("A") ? actual : defaults).computeIfAbsent(key, k -> new TreeMap<>())
            .computeIfAbsent(holder, h -> new TreeSet<>()).add(rs.getString(7));
        actual.computeIfAbsent(key, k -> new TreeMap<>());
      }
    }
    for (Map.Entry<String, Map<String, Set<String>>> e : actual.entrySet()) {
      String[] k = e.getKey().split("\\|", -1);
      String kind = defaultAclKind(k[0]);
      String schema = k[1].isEmpty() ? null : k[1];
      String role = k[2];
      String where = "default privileges of role " + role + " on " + kind.toLowerCase(java.util.Locale.ROOT)
          + (schema == null ? "" : " in schema " + schema);
      if (!role.equals(sourceUser)) {
        notCarried.add(where);
        continue;
      }
      String prefix = "ALTER DEFAULT PRIVILEGES FOR ROLE " + PgSession.ident(targetUser) + (schema == null ? "" : " IN SCHEMA " + schema);
      Map<String, Set<String>> want = e.getValue();
      Map<String, Set<String>> base = schema == null ? defaults.getOrDefault(e.getKey(), Map.of()) : Map.of();
      for (String holder : List.of("PUBLIC", "OWNER")) {
        String who = holder.equals("PUBLIC") ? "PUBLIC" : PgSession.ident(targetUser);
        Set<String> add = new TreeSet<>(want.getOrDefault(holder, Set.of()));
        add.removeAll(base.getOrDefault(holder, Set.of()));
        Set<String> remove = new TreeSet<>(base.getOrDefault(holder, Set.of()));
        remove.removeAll(want.getOrDefault(holder, Set.of()));
        if (!add.isEmpty()) statements.add(prefix + " GRANT " + String.join(", ", add) + " ON " + kind + " TO " + who);
        if (!remove.isEmpty()) statements.add(prefix + " REVOKE " + String.join(", ", remove) + " ON " + kind + " FROM " + who);
      }
      for (Map.Entry<String, Set<String>> h : want.entrySet()) {
        if (!h.getKey().equals("PUBLIC") && !h.getKey().equals("OWNER")) {
          notCarried.add(String.join(", ", h.getValue()) + " by " + where + " to role " + h.getKey());
        }
      }
    }
  }
}
