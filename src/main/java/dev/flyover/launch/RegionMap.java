package dev.flyover.launch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Heroku region (Common Runtime {@code us}/{@code eu}, or a Private Space's region) → Fly region. Each Heroku
 * region runs in one AWS region ({@code GET /regions}, {@code provider.region}); the Fly region is the one in the
 * same metro, else the nearest one in the same jurisdiction, because data protection rules (GDPR, Canadian
 * residency) usually weigh more than a few milliseconds. Fly codes from {@code fly platform regions}. A region
 * not in this table is never guessed: the pull request asks.
 */
public final class RegionMap {
  /** A Fly region for a Heroku one, and why. */
  public record Choice(String herokuRegion, String cloudRegion, String flyRegion, String why) {}

  private static final Map<String, Choice> TABLE = new LinkedHashMap<>();

  private static void add(String heroku, String cloud, String fly, String why) {
    TABLE.put(heroku, new Choice(heroku, cloud, fly, why));
  }

  static {
    add("us", "us-east-1", "iad", "Heroku's `us` runs in AWS us-east-1 (northern Virginia); Fly's iad (Ashburn, Virginia) is in the same metro");
    add("eu", "eu-west-1", "ams", "Heroku's `eu` runs in AWS eu-west-1 (Dublin); Fly has no Irish region, and ams (Amsterdam) keeps the app"
        + " and its data in the EU (lhr, London, is nearer but outside the EU)");
    add("virginia", "us-east-1", "iad", "the Private Space region virginia is AWS us-east-1; Fly's iad (Ashburn, Virginia) is in the same metro");
    add("oregon", "us-west-2", "sjc", "the Private Space region oregon is AWS us-west-2; Fly's nearest region is sjc (San Jose, California)");
    add("dublin", "eu-west-1", "ams", "the Private Space region dublin is AWS eu-west-1; Fly has no Irish region, and ams (Amsterdam) keeps"
        + " the app and its data in the EU (lhr, London, is nearer but outside the EU)");
    add("frankfurt", "eu-central-1", "fra", "the Private Space region frankfurt is AWS eu-central-1; Fly's fra is Frankfurt too");
    add("london", "eu-west-2", "lhr", "the Private Space region london is AWS eu-west-2; Fly's lhr is London too");
    add("montreal", "ca-central-1", "yyz", "the Private Space region montreal is AWS ca-central-1; Fly has no Montreal region, and yyz"
        + " (Toronto) keeps the app and its data in Canada");
    add("mumbai", "ap-south-1", "bom", "the Private Space region mumbai is AWS ap-south-1; Fly's bom is Mumbai too");
    add("singapore", "ap-southeast-1", "sin", "the Private Space region singapore is AWS ap-southeast-1; Fly's sin is Singapore too");
    add("sydney", "ap-southeast-2", "syd", "the Private Space region sydney is AWS ap-southeast-2; Fly's syd is Sydney too");
    add("tokyo", "ap-northeast-1", "nrt", "the Private Space region tokyo is AWS ap-northeast-1; Fly's nrt is Tokyo too");
  }

  private RegionMap() {}

  /** The Fly region for a Heroku region name, or empty for one this table does not know. */
  public static Optional<Choice> forHeroku(String region) {
    if (region == null) return Optional.empty();
    return Optional.ofNullable(TABLE.get(region.strip().toLowerCase(Locale.ROOT)));
  }

  public static Map<String, Choice> table() {
    return java.util.Collections.unmodifiableMap(TABLE);
  }
}
