package dev.flyover.cutover;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Heroku dyno sizes and the Fly machine size flyover suggests for each. The rule: the Fly size of the same CPU
 * class (shared for Eco/Basic/Standard, performance for Performance/Private/Shield) with at least the dyno's
 * memory, rounded up to what Fly accepts (256 MB steps on shared CPUs, 1 GB on performance ones). Memory figures
 * are Heroku's published ones (Dev Center "Dyno Types").
 */
public final class DynoSizes {
  /** A Heroku size and its suggested Fly {@code [[vm]]}. */
  public record Mapping(String heroku, int herokuMemoryMb, String flySize, int flyMemoryMb) {
    /** The fly.toml lines to get it. */
    public String flyToml(String processGroup) {
      return "[[vm]]\n  size = \"" + flySize + "\"\n  memory = \"" + flyMemoryMb + "mb\"\n  processes = [\"" + processGroup + "\"]";
    }
  }

  private static final Map<String, Mapping> TABLE = new LinkedHashMap<>();

  private static void add(String heroku, int mem, String fly, int flyMem) {
    TABLE.put(heroku, new Mapping(heroku, mem, fly, flyMem));
  }

  static {
    add("eco", 512, "shared-cpu-1x", 512);
    add("basic", 512, "shared-cpu-1x", 512);
    add("standard-1x", 512, "shared-cpu-1x", 512);
    add("standard-2x", 1024, "shared-cpu-2x", 1024);
    add("performance-m", 2560, "performance-1x", 3072);
    add("performance-l", 14336, "performance-4x", 14336);
    add("performance-l-ram", 30720, "performance-4x", 30720);
    add("performance-xl", 63488, "performance-8x", 63488);
    add("performance-2xl", 129024, "performance-16x", 129024);
    add("private-s", 1024, "shared-cpu-2x", 1024);
    add("private-m", 2560, "performance-1x", 3072);
    add("private-l", 14336, "performance-4x", 14336);
    add("shield-s", 1024, "shared-cpu-2x", 1024);
    add("shield-m", 2560, "performance-1x", 3072);
    add("shield-l", 14336, "performance-4x", 14336);
  }

  private DynoSizes() {}

  /** The mapping for a Heroku size name in any casing ("Standard-1X", "standard-1x", "Eco"). */
  public static Optional<Mapping> forHeroku(String size) {
    if (size == null) return Optional.empty();
    return Optional.ofNullable(TABLE.get(size.strip().toLowerCase(Locale.ROOT)));
  }

  public static Map<String, Mapping> table() {
    return java.util.Collections.unmodifiableMap(TABLE);
  }
}
