package dev.flyover.cutover;

import dev.flyover.UserError;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the user asked the cutover for (the inputs), checked once. */
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
    Path workDir) {

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
