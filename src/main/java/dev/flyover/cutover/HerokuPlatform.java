package dev.flyover.cutover;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Heroku Platform API calls the cutover makes. Implemented over the project's Heroku client
 * ({@link HerokuApiPlatform}); kept as an interface so the cutover's steps say what they need and no more.
 */
public interface HerokuPlatform {
  /** {@code GET /apps/{app}}: the fields the cutover reads. */
  App app(String app);

  /** {@code PATCH /apps/{app}} with {@code {"maintenance": on}}. */
  void maintenance(String app, boolean on);

  /** {@code GET /apps/{app}/formation}. */
  List<Dyno> formation(String app);

  /** {@code PATCH /apps/{app}/formation} (batch): each type to its quantity, size kept. */
  void scale(String app, List<Dyno> updates);

  /** {@code GET /apps/{app}/domains}. */
  List<Domain> domains(String app);

  /** {@code GET /apps/{app}/addons}. */
  List<Addon> addons(String app);

  /** {@code GET /apps/{app}/config-vars}: values are secrets; callers mask them at once. */
  Map<String, String> configVars(String app);

  record App(String name, boolean maintenance, String webUrl, String region, String stack) {}

  /** One process type: {@code web}, {@code worker}…; size as Heroku names it ("Standard-1X", "Basic", "Eco"). */
  record Dyno(String type, int quantity, String size) {
    public boolean web() {
      return type.equals("web");
    }
  }

  record Domain(String hostname, String kind, String cname) {
    public boolean custom() {
      return "custom".equals(kind);
    }
  }

  /** service is {@code heroku-postgresql}, {@code heroku-redis}…; price in cents per month when known. */
  record Addon(String name, String service, String plan, List<String> configVars, Optional<Integer> centsPerMonth) {
    public boolean postgres() {
      return "heroku-postgresql".equals(service);
    }

    public boolean redis() {
      return "heroku-redis".equals(service) || service.contains("redis") || service.contains("key-value");
    }
  }
}
