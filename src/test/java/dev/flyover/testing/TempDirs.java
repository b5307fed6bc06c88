package dev.flyover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories for harnesses and doubles, deleted with everything in them when the test JVM exits.
 * At exit rather than after each test: a fixture may be shared by the tests of a class, and a double's state
 * may still be read by a child process that is ending.
 */
public final class TempDirs {
  private static final List<Path> CREATED = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "delete-test-temp-dirs"));
  }

  private TempDirs() {}

  /** A new directory under java.io.tmpdir, deleted at exit. */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      synchronized (CREATED) {
        CREATED.add(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteAll() {
    List<Path> dirs;
    synchronized (CREATED) {
      dirs = new ArrayList<>(CREATED);
      CREATED.clear();
    }
    for (Path dir : dirs) delete(dir);
  }

  /** Deletes a tree, children first; what cannot be deleted (a file a child process still holds) stays. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a leftover file must not fail the run
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // the tree changed while it was walked: best effort
    }
  }
}
