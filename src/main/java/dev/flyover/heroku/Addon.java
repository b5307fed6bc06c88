package dev.flyover.heroku;

import java.util.List;

/**
 * An add-on of a Heroku app: {@code service} is the add-on service ({@code heroku-postgresql},
 * {@code heroku-redis}, {@code papertrail}…), {@code configVars} the names of the config vars it sets on its
 * owning app, {@code app} the owning app.
 */
public record Addon(String id, String name, String service, String plan, String state, List<String> configVars,
    String app) {
  public Addon {
    configVars = List.copyOf(configVars);
  }

  public boolean postgres() {
    return "heroku-postgresql".equals(service);
  }
}
