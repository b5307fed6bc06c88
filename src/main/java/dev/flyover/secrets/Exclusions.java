package dev.flyover.secrets;

import dev.flyover.heroku.Addon;
import dev.flyover.heroku.AddonAttachment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The config vars that must not follow the app to Fly, each with its reason: the database URLs (the database
 * moves on its own), Heroku's dyno metadata and platform variables, and the credentials of the Heroku add-ons
 * the app is leaving. With the API, add-on variables are known exactly from the app's add-on attachments;
 * from a file, the usual add-on variable names are used.
 */
public final class Exclusions {
  static final Set<String> DYNO_METADATA = Set.of("HEROKU_APP_ID", "HEROKU_APP_NAME", "HEROKU_DYNO_ID",
      "HEROKU_RELEASE_CREATED_AT", "HEROKU_RELEASE_VERSION", "HEROKU_SLUG_COMMIT", "HEROKU_SLUG_DESCRIPTION",
      "HEROKU_BRANCH", "HEROKU_PR_NUMBER", "HEROKU_PARENT_APP_NAME", "HEROKU_APP_DEFAULT_DOMAIN_NAME");
  /** Add-on variables seen on Heroku apps, for when the add-on list cannot be read (from-file). */
  static final List<String> USUAL_ADDON_VARS = List.of("REDIS_URL", "REDIS_TLS_URL", "REDISCLOUD_URL", "REDISTOGO_URL",
      "OPENREDIS_URL", "MEMCACHIER_*", "PAPERTRAIL_*", "CLOUDAMQP_*", "BONSAI_URL", "SEARCHBOX_*", "LOGDNA_*",
      "SCOUT_*", "JAWSDB_*", "CLEARDB_DATABASE_URL", "FIXIE_URL", "QUOTAGUARD*");

  private final Optional<List<Rule>> addonRules;

  private record Rule(String prefix, Set<String> exact, String reason) {}

  private Exclusions(Optional<List<Rule>> addonRules) {
    this.addonRules = addonRules;
  }

  /** Rules from the app's add-ons as Heroku lists them. */
  public static Exclusions fromAddons(List<Addon> addons, List<AddonAttachment> attachments) {
    Map<String, Addon> byId = addons.stream().collect(Collectors.toMap(Addon::id, Function.identity(), (a, b) -> a));
    List<Rule> rules = new java.util.ArrayList<>();
    for (AddonAttachment at : attachments) {
      Addon a = byId.get(at.addonId());
      String service = a == null ? null : a.service();
      rules.add(new Rule(at.configVarPrefix(), Set.of(), "set by the Heroku add-on " + at.addonName()
          + (service == null ? "" : " (" + service + ")") + ", which stays on Heroku"));
    }
    for (Addon a : addons) {
      rules.add(new Rule(null, Set.copyOf(a.configVars()), "set by the Heroku add-on " + a.name() + " (" + a.service()
          + "), which stays on Heroku"));
    }
    return new Exclusions(Optional.of(rules));
  }

  /** Without the add-on list: the usual add-on variable names. */
  public static Exclusions byName() {
    return new Exclusions(Optional.empty());
  }

  /** Why this variable stays behind by default, or empty when it moves. */
  public Optional<String> reason(String name) {
    if (name.equals("DATABASE_URL") || name.startsWith("HEROKU_POSTGRESQL_")) {
      return Optional.of("Heroku Postgres connection: the database moves separately and Fly gets its own DATABASE_URL");
    }
    if (name.equals("PORT") || name.equals("DYNO")) return Optional.of("set by the platform on every dyno or machine");
    if (DYNO_METADATA.contains(name) || name.startsWith("HEROKU_TEST_RUN_")) return Optional.of("Heroku dyno metadata");
    if (addonRules.isPresent()) {
      for (Rule r : addonRules.get()) {
        if (r.exact.contains(name) || (r.prefix != null && name.startsWith(r.prefix))) return Optional.of(r.reason);
      }
    } else {
      for (String g : USUAL_ADDON_VARS) {
        if (Glob.of(g).matches(name)) {
          return Optional.of("usually set by a Heroku add-on, which stays on Heroku (the add-on list was not read:"
              + " name it in include to move it)");
        }
      }
    }
    if (name.startsWith("HEROKU_")) {
      return Optional.of("a HEROKU_* variable, usually Heroku's own (name it in include to move it)");
    }
    return Optional.empty();
  }
}
