package dev.flyover.launch;

import dev.flyover.heroku.Formation;
import dev.flyover.heroku.HerokuApp;
import dev.flyover.heroku.HerokuClient;
import dev.flyover.heroku.Region;
import dev.flyover.heroku.Slug;
import dev.flyover.heroku.Space;
import dev.flyover.secrets.Exclusions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What launch reads from Heroku, and only reads: the app (region, Private Space), the formation, the buildpacks,
 * the running slug's process types, and the config var NAMES with why each stays behind or moves. Values are never
 * kept.
 */
public record HerokuFacts(HerokuApp app, Optional<Space> space, Optional<Region> regionInfo, List<Formation> formation,
    List<String> buildpacks, Optional<Slug> slug, List<String> configVarNames, Map<String, String> leftBehind) {

  /** The region the app runs in: its Private Space's, else the Common Runtime one. */
  public String region() {
    return space.map(Space::region).filter(r -> r != null && !r.isBlank()).orElse(app.region());
  }

  public static HerokuFacts read(HerokuClient heroku, String appName) {
    HerokuApp app = heroku.app(appName);
    Optional<Space> space = Optional.ofNullable(app.space()).filter(s -> !s.isBlank()).map(heroku::space);
    String region = space.map(Space::region).filter(r -> r != null && !r.isBlank()).orElse(app.region());
    // Where Heroku says the region runs, to check the region table against (and to help answer for an unknown one).
    Optional<Region> regionInfo = heroku.regions().stream().filter(r -> r.name() != null && r.name().equals(region)).findFirst();
    List<Formation> formation = heroku.formation(appName);
    List<String> buildpacks = heroku.buildpacks(appName);
    Optional<Slug> slug = heroku.currentSlug(appName);
    Map<String, String> vars = heroku.configVars(appName);
    Exclusions ex = Exclusions.fromAddons(heroku.addons(appName), heroku.addonAttachments(appName));
    Map<String, String> left = new java.util.LinkedHashMap<>();
    for (String name : vars.keySet()) ex.reason(name).ifPresent(r -> left.put(name, r));
    return new HerokuFacts(app, space, regionInfo, formation, buildpacks, slug, List.copyOf(new ArrayList<>(vars.keySet())),
        java.util.Collections.unmodifiableMap(left));
  }
}
