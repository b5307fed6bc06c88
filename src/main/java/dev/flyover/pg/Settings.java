package dev.flyover.pg;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Setting;
import dev.flyover.secrets.MaskPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase: database settings. {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} live in
 * {@code pg_db_role_setting}, in no dump made without {@code --create} (Heroku's {@code search_path} with
 * {@code heroku_ext} lives there). Each setting goes to the target database, or to the target user when the
 * source sets it for the source user (each side's app role), or to the same role when the target has it; a role
 * the target lacks is reported. The plan is tried in preflight, inside a transaction that is rolled back, so a
 * setting the target user may not apply (a role it cannot alter, a superuser-only parameter) stops the run before
 * anything is written, not after the data is in. Values are never printed (they can be secrets such as
 * {@code app.jwt_secret}); only names are.
 */
final class Settings {
  /** One setting as it will be applied: {@code role} null for the database itself. */
  record Planned(Setting source, String role) {
    String label() {
      return source.name() + (role == null ? "" : " (role " + role + ")");
    }
  }

  /** What will be applied, and what cannot be (role missing on the target: reported, not applied). */
  record Plan(List<Planned> apply, List<String> missingRoles) {}

  private Settings() {}

  /**
   * Reads the source's settings, maps their roles, and tries them on the target in a rolled-back transaction
   * ({@code trial}: only on a target proven not to be the source, see {@link TargetGuard}).
   * Throws a {@link UserError} naming every setting the target user may not apply.
   */
  static Plan plan(Connection source, Connection target, Console console, boolean trial) throws SQLException {
    List<Setting> settings = Catalog.databaseSettings(source);
    // Values of application settings can be secrets: masked before anything prints, by the one policy.
    for (Setting s : settings) MaskPolicy.setting(console, s.name(), s.value());
    String sourceUser = Catalog.scalar(source, "SELECT current_user");
    String targetUser = Catalog.scalar(target, "SELECT current_user");
    List<String> roles = Catalog.strings(target, "SELECT rolname FROM pg_catalog.pg_roles");
    List<Planned> apply = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Setting s : settings) {
      if (s.role() == null) {
        apply.add(new Planned(s, null));
      } else if (s.role().equals(sourceUser)) {
        apply.add(new Planned(s, targetUser));
      } else if (roles.contains(s.role())) {
        apply.add(new Planned(s, s.role()));
      } else {
        missing.add(s.name() + " (role " + s.role() + ")");
      }
    }
    List<String> refused = new ArrayList<>();
    if (!trial) return new Plan(apply, missing);
    boolean auto = target.getAutoCommit();
    target.setAutoCommit(false);
    try (Statement st = target.createStatement()) {
      String db = PgSession.ident(Catalog.currentDatabase(target));
      for (Planned p : apply) {
        Savepoint sp = target.setSavepoint();
        try {
          st.execute(statement(p, db));
          target.releaseSavepoint(sp);
        } catch (SQLException e) {
          target.rollback(sp);
          refused.add(p.label() + ": " + reason(e, p.source().value()));
        }
      }
    } finally {
      target.rollback();
      target.setAutoCommit(auto);
    }
    if (!refused.isEmpty()) {
      throw new UserError("The target user " + targetUser + " may not apply " + (refused.size() == 1 ? "a database setting" : refused.size()
          + " database settings") + " the source has (" + String.join("; ", refused) + "): have the target's administrator"
          + " apply them, or remove them on the source (ALTER ROLE … IN DATABASE … RESET, ALTER DATABASE … RESET), then run again.");
    }
    return new Plan(apply, missing);
  }

  /** Applies the plan for real; returns the labels applied (names only). */
  static List<String> apply(Connection target, Plan plan, Console console) {
    List<String> applied = new ArrayList<>();
    try (Statement st = target.createStatement()) {
      String db = PgSession.ident(Catalog.currentDatabase(target));
      for (Planned p : plan.apply()) {
        try {
          st.execute(statement(p, db));
        } catch (SQLException e) {
          throw new DatabaseTransfer.TransferFailure("applying the database setting " + p.label() + " failed ("
              + reason(e, p.source().value()) + ")", e);
        }
        applied.add(p.label());
      }
    } catch (SQLException e) {
      throw new DatabaseTransfer.TransferFailure("applying the database settings failed (" + DatabaseTransfer.firstLine(e) + ")", e);
    }
    for (String m : plan.missingRoles()) {
      console.warn("The source sets " + m + ", a role that does not exist on the target: not carried over.");
    }
    if (!applied.isEmpty()) console.info("database settings carried over: " + String.join(", ", applied));
    return applied;
  }

  private static String statement(Planned p, String db) {
    String set = " SET " + PgSession.ident(p.source().name()) + " TO " + DatabaseTransfer.settingValue(p.source().name(), p.source().value());
    if (p.role() == null) return "ALTER DATABASE " + db + set;
    return "ALTER ROLE " + PgSession.ident(p.role()) + " IN DATABASE " + db + set;
  }

  /** The server's reason without the value (PostgreSQL quotes an invalid value back). */
  private static String reason(SQLException e, String value) {
    String m = DatabaseTransfer.firstLine(e);
    if (m.startsWith("ERROR: ")) m = m.substring(7);
    if (!value.isEmpty() && m.contains(value)) m = m.replace(value, "…");
    return m;
  }
}
