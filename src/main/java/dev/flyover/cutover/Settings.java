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
      throw new UserError("The " + inputName + " input is '" + v + "': use transfer, keep-heroku or skip.");
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
      throw new UserError("The " + inputName + " input is '" + v + "': use maintenance or scale-down.");
    }
  }

  /** {@code flyctl postgres create} flags: every one given, so flyctl never prompts. */
  public record Postgres(String name, Optional<String> region, String vmSize, int clusterSize, int volumeGb) {}

  /** True when the confirm input equals the Heroku app name exactly (case as Heroku spells names: lower). */
  public boolean confirmed() {
    return confirm.map(c -> c.strip().equals(herokuApp)).orElse(false);
  }

  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
