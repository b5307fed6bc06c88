package dev.flyover.cutover;

import dev.flyover.heroku.Addon;
import dev.flyover.heroku.Formation;
import dev.flyover.heroku.FormationUpdate;
import java.util.List;

/** Small readings of Heroku's objects the cutover needs. */
final class HerokuFacts {
  private HerokuFacts() {}

  static boolean web(Formation f) {
    return "web".equals(f.type());
  }

  /** Heroku Key-Value Store (heroku-redis) and the marketplace Redis add-ons. */
  static boolean redis(Addon a) {
    String s = a.service() == null ? "" : a.service();
    return s.equals("heroku-redis") || s.contains("redis") || s.contains("key-value");
  }

  /** The updates that put these process types back exactly: quantity and size. */
  static List<FormationUpdate> restore(List<Formation> remembered) {
    return remembered.stream().map(f -> new FormationUpdate(f.type(), f.quantity(), f.size())).toList();
  }
}
