package dev.flyover.cutover;

import dev.flyover.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the user asked the cutover for (the inputs), checked once.
 *
 * @param buildFrom the inputs' own way to build, described for the plan ("the image input"), when they give one
 * @param include the secrets step's include globs (with exclude and rename: the plan names what would move)
 * @param strict a Heroku process type with no Fly process group stops the cutover instead of being a warning
 */
public record Settings(
    String herokuApp,
    String flyApp,
    Optional<String> confirm,
    DatabaseChoice database,
    boolean createDatabase,
    boolean setDatabaseUrl,
    HerokuAfter herokuAfter,
    boolean overwrite,
    Optional<String> databaseUrl,
    Optional<String> herokuDatabaseUrl,
    Optional<String> org,
    Postgres postgres,
    Path workDir,
    Optional<String> buildFrom,
    List<String> include,
    List<String> exclude,
    List<String> rename,
    boolean strict) {

  public enum DatabaseChoice {
    TRANSFER("transfer"), KEEP_HEROKU("keep-heroku"), SKIP("skip");

    public final String input;

    DatabaseChoice(String input) {
      this.input = input;
    }

    public static DatabaseChoice parse(String v, String inputName) {
      for (DatabaseChoice c : values()) if (c.input.equalsIgnoreCase(v.strip())) return c;
      throw new UserError("The " + inputName + " is '" + v + "': use transfer, keep-heroku or skip.");
    }
  }

  public enum HerokuAfter {
    MAINTENANCE("maintenance"), SCALE_DOWN("scale-down");

    public final String input;

    HerokuAfter(String input) {
      this.input = input;
    }

    public static HerokuAfter parse(String v, String inputName) {
      for (HerokuAfter c : values()) if (c.input.equalsIgnoreCase(v.strip())) return c;
      throw new UserError("The " + inputName + " is '" + v + "': use maintenance or scale-down.");
    }
  }

  /**
   * What create-database makes: Managed Postgres ({@code fly mpg create}) or, with {@code postgres-kind: unmanaged},
   * {@code flyctl postgres create}; every flag of either is given, so flyctl never prompts.
   */
  public record Postgres(String name, Optional<String> region, String vmSize, int clusterSize, int volumeGb,
      Kind kind, String plan, Optional<Integer> majorVersion) {
    public Postgres(String name, Optional<String> region, String vmSize, int clusterSize, int volumeGb) {
      this(name, region, vmSize, clusterSize, volumeGb, Kind.MANAGED, "basic", Optional.empty());
    }
  }

  /** The postgres-kind input. */
  public enum Kind {
    MANAGED("managed"), UNMANAGED("unmanaged");

    public final String input;

    Kind(String input) {
      this.input = input;
    }

    public static Kind parse(String v, String inputName) {
      for (Kind k : values()) if (k.input.equalsIgnoreCase(v.strip())) return k;
      throw new UserError("The " + inputName + " is '" + v + "': use managed (Fly Managed Postgres) or unmanaged"
          + " (flyctl postgres create).");
    }
  }

  /**
   * Managed Postgres plans flyctl accepts (internal/command/mpg/plans.go, read at ad0172f). flyctl lowercases
   * --plan before the lookup but keys the fifth plan "Performance", so {@code performance} silently falls back to
   * basic when not interactive (create.go); and any unknown plan does the same. flyover refuses both instead.
   */
  public static final java.util.List<String> MPG_PLANS = java.util.List.of("basic", "starter", "launch", "scale");

  /** True when the confirm input equals the Heroku app name exactly (case as Heroku spells names: lower). */
  public boolean confirmed() {
    return confirm.map(c -> c.strip().equals(herokuApp)).orElse(false);
  }

  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
