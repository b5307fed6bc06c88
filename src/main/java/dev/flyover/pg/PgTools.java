package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * pg_dump and pg_restore of one major version, called by full path from {@code /usr/lib/postgresql/N/bin}: Debian's
 * {@code /usr/bin/pg_dump} is a wrapper that picks a version by cluster heuristics. One client major for both
 * tools, equal to the target's (a newer pg_restore sends settings an older target rejects; an older pg_dump
 * refuses a newer source).
 */
public record PgTools(int major, Path pgDump, Path pgRestore) {
  /** Where versioned client binaries live; FLYOVER_PG_LIB overrides it (tests, other layouts). */
  static Path root(Env env) {
    return Path.of(env.getOrDefault("FLYOVER_PG_LIB", "/usr/lib/postgresql"));
  }

  /** Installed client majors that have both tools. */
  public static TreeMap<Integer, PgTools> installed(Env env) {
    TreeMap<Integer, PgTools> found = new TreeMap<>();
    Path root = root(env);
    if (!Files.isDirectory(root)) return found;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.matches("\\d+")) continue;
        Path dump = d.resolve("bin/pg_dump");
        Path restore = d.resolve("bin/pg_restore");
        if (Files.isExecutable(dump) && Files.isExecutable(restore)) {
          int major = Integer.parseInt(name);
          found.put(major, new PgTools(major, dump, restore));
        }
      }
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  /** The client for this source and target, or one sentence naming the three versions and what to install. */
  public static PgTools choose(Env env, int sourceMajor, int targetMajor, dev.flyover.actions.Console console) {
    TreeMap<Integer, PgTools> all = installed(env);
    PgTools exact = all.get(targetMajor);
    if (exact != null && targetMajor >= sourceMajor) return exact;
    List<String> have = new ArrayList<>();
    for (Integer m : all.keySet()) have.add(m.toString());
    throw new UserError("No pg_dump/pg_restore of major version " + targetMajor + " is installed (source server "
        + sourceMajor + ", target server " + targetMajor + ", clients found: "
        + (have.isEmpty() ? "none" : String.join(", ", have)) + " in " + root(env)
        + "): install postgresql-client-" + targetMajor + ", or set the " + console.named("transfer-mode")
        + " to remote to run the transfer inside Fly.");
  }
}
