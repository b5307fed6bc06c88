package dev.flyover.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.proc.Subprocess;
import dev.flyover.testing.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The release's shell parts, run for real in a copy of the files they touch: scripts/pin-image.sh (action.yml
 * names the image by digest), scripts/set-version.sh (back from a digest to the next tag), and the {@code flyover}
 * launcher attached to each release (run by /bin/sh, with stand-in javas that report a version).
 */
@Tag("integration")
class ReleaseScriptsTest {
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
  private static final Map<String, String> PATH = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");

  private static Subprocess.Result run(Path dir, Map<String, String> env, String... command) throws Exception {
    Subprocess p = Subprocess.of(List.of(command)).directory(dir);
    env.forEach(p::env);
    return p.run();
  }

  /** A copy of the repository's action.yml, pom.xml and the scripts, to be changed by the scripts under test. */
  private static Path checkout() throws IOException {
    Path dir = TempDirs.create("flyover-release");
    Files.createDirectories(dir.resolve("scripts"));
    for (String f : List.of("action.yml", "pom.xml", "scripts/pin-image.sh", "scripts/set-version.sh")) {
      Files.copy(Path.of(f), dir.resolve(f));
    }
    return dir;
  }

  private static List<String> changedLines(Path before, Path after) throws IOException {
    List<String> a = Files.readAllLines(before);
    List<String> b = Files.readAllLines(after);
    assertEquals(a.size(), b.size(), "the same number of lines");
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) if (!a.get(i).equals(b.get(i))) changed.add(b.get(i));
    return changed;
  }

  @Test
  void pinImageNamesTheDigestAndChangesNothingElse() throws Exception {
    Path dir = checkout();
    String ref = "ghcr.io/acme/flyover@" + DIGEST;
    Subprocess.Result r = run(dir, PATH, "bash", "scripts/pin-image.sh", ref);
    assertEquals(0, r.exitCode(), r.stderrText());
    assertEquals(List.of("  image: docker://" + ref), changedLines(Path.of("action.yml"), dir.resolve("action.yml")));

    // Back to a tag for the next version, as on main after a release.
    r = run(dir, PATH, "bash", "scripts/set-version.sh", "1.2.3");
    assertEquals(0, r.exitCode(), r.stderrText());
    assertTrue(Files.readString(dir.resolve("action.yml")).contains("\n  image: docker://ghcr.io/acme/flyover:v1.2.3\n"));
    assertTrue(Files.readString(dir.resolve("pom.xml")).contains("\n  <version>1.2.3</version>\n"));
  }

  @Test
  void pinImageRefusesWhatIsNotADigest() throws Exception {
    Path dir = checkout();
    for (String bad : List.of("ghcr.io/acme/flyover:v1.0.0", "ghcr.io/acme/flyover@sha256:abc",
        "ghcr.io/acme/flyover@" + DIGEST.toUpperCase(), "ghcr.io/acme/flyover@" + DIGEST + "|x", "")) {
      Subprocess.Result r = run(dir, PATH, "bash", "scripts/pin-image.sh", bad);
      assertEquals(2, r.exitCode(), bad + ": " + r.stderrText());
      assertTrue(r.stderrText().contains("is not REPOSITORY@sha256:<64 lowercase hex digits>"), r.stderrText());
      assertEquals(Files.readString(Path.of("action.yml")), Files.readString(dir.resolve("action.yml")));
    }
  }

  /** A release directory: the launcher, a stand-in jar, and a stand-in java that reports {@code version}. */
  private static Path release(String javaVersionLine) throws IOException {
    Path dir = TempDirs.create("flyover-launcher");
    Files.copy(Path.of("scripts/flyover"), dir.resolve("flyover"));
    Files.writeString(dir.resolve("flyover.jar"), "not really a jar");
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.writeString(bin.resolve("java"), "#!/bin/sh\n"
        + "if [ \"$1\" = -version ]; then echo 'Picked up JAVA_TOOL_OPTIONS: -Dx=y' >&2; echo '" + javaVersionLine
        + "' >&2; exit 0; fi\n"
        + "for a in \"$@\"; do printf '[%s]' \"$a\"; done; echo\n");
    for (Path p : List.of(dir.resolve("flyover"), bin.resolve("java"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }

  private static Subprocess.Result launch(Path dir, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", script));
    cmd.addAll(List.of(args));
    return run(dir, Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", dir.resolve("jdk").toString()),
        cmd.toArray(String[]::new));
  }

  @Test
  void theLauncherRunsTheJarNextToItWithJava17OrNewer() throws Exception {
    for (String v : List.of("openjdk version \"17.0.15\" 2025-04-15", "java version \"21\" 2023-09-19",
        "openjdk version \"25-ea\" 2025-09-16")) {
      Path dir = release(v);
      Subprocess.Result r = launch(dir, dir.resolve("flyover").toString(), "deploy", "--app", "two words", "");
      assertEquals(0, r.exitCode(), v + ": " + r.stderrText());
      String jar = dir.toRealPath().resolve("flyover.jar").toString();
      // The image's JVM flags (Dockerfile ENTRYPOINT), then the jar and the arguments as given.
      assertEquals("[-XX:TieredStopAtLevel=1][-XX:+UseSerialGC][-XX:-UsePerfData][-jar][" + jar + "][deploy][--app][two words][]",
          r.stdoutText().strip(), v);
    }
    // Through a symlink elsewhere (a bin directory on PATH), the jar is still the one next to the real script.
    Path dir = release("openjdk version \"17.0.2\" 2022-01-18");
    Path link = Files.createDirectories(dir.resolve("bin")).resolve("flyover");
    Files.createSymbolicLink(link, Path.of("../flyover"));
    Subprocess.Result r = launch(dir, link.toString(), "--version");
    assertEquals(0, r.exitCode(), r.stderrText());
    assertTrue(r.stdoutText().contains("[" + dir.toRealPath().resolve("flyover.jar") + "][--version]"), r.stdoutText());
  }

  @Test
  void theLauncherMakesAClassDataArchiveOnceAndMapsItAfter() throws Exception {
    Path dir = release("openjdk version \"17.0.15\" 2025-04-15");
    Path cache = dir.resolve("cache");
    Path archive = cache.resolve("flyover/flyover-java-17.0.15.jsa");
    String jar = dir.toRealPath().resolve("flyover.jar").toString();
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", dir.resolve("jdk").toString(),
        "XDG_CACHE_HOME", cache.toString());
    String launcher = dir.resolve("flyover").toString();

    // First run of a command: the archive is written at exit, under a temporary name (the stand-in java writes none).
    Subprocess.Result r = run(dir, env, "/bin/sh", launcher, "database", "--jobs", "2");
    assertEquals(0, r.exitCode(), r.stderrText());
    assertTrue(r.stdoutText().startsWith("[-XX:TieredStopAtLevel=1][-XX:+UseSerialGC][-XX:-UsePerfData][-XX:ArchiveClassesAtExit="
        + archive + "."), r.stdoutText());
    assertTrue(r.stdoutText().strip().endsWith("][-Xlog:cds*=off][-jar][" + jar + "][database][--jobs][2]"), r.stdoutText());
    assertFalse(Files.exists(archive));

    // Once it exists, later runs map it.
    Files.writeString(archive, "archive");
    Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    r = run(dir, env, "/bin/sh", launcher, "database");
    assertEquals("[-XX:TieredStopAtLevel=1][-XX:+UseSerialGC][-XX:-UsePerfData][-XX:SharedArchiveFile=" + archive
        + "][-Xlog:cds*=off][-jar][" + jar + "][database]", r.stdoutText().strip());

    // A newer jar (an upgrade) is archived again; --help and --version never make one.
    Files.setLastModifiedTime(dir.resolve("flyover.jar"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 120_000));
    r = run(dir, env, "/bin/sh", launcher, "database");
    assertTrue(r.stdoutText().contains("[-XX:ArchiveClassesAtExit=" + archive + "."), r.stdoutText());
    for (String help : List.of("--help", "--version", "-h")) {
      r = run(dir, env, "/bin/sh", launcher, "database", help);
      assertEquals("[-XX:TieredStopAtLevel=1][-XX:+UseSerialGC][-XX:-UsePerfData][-jar][" + jar + "][database][" + help + "]",
          r.stdoutText().strip());
    }
    // The JDK's release file, when there is one, names the version without starting a JVM.
    Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"21.0.1\"\n");
    r = run(dir, env, "/bin/sh", launcher, "database");
    assertTrue(r.stdoutText().contains("[-XX:ArchiveClassesAtExit=" + cache.resolve("flyover/flyover-java-21.0.1.jsa") + "."),
        r.stdoutText());
    Files.delete(dir.resolve("jdk/release"));
    // FLYOVER_CDS=0 turns it off.
    Map<String, String> off = new java.util.HashMap<>(env);
    off.put("FLYOVER_CDS", "0");
    r = run(dir, off, "/bin/sh", launcher, "database");
    assertEquals("[-XX:TieredStopAtLevel=1][-XX:+UseSerialGC][-XX:-UsePerfData][-jar][" + jar + "][database]", r.stdoutText().strip());
  }

  @Test
  void theLauncherRefusesAnOlderJavaOrAMissingJarInOneSentence() throws Exception {
    for (String v : List.of("openjdk version \"11.0.22\" 2024-01-16", "java version \"1.8.0_392\"")) {
      Path dir = release(v);
      Subprocess.Result r = launch(dir, dir.resolve("flyover").toString(), "--version");
      assertEquals(1, r.exitCode(), v);
      assertTrue(r.stderrText().startsWith("flyover: needs Java 17 or newer, and "), r.stderrText());
      assertEquals("", r.stdoutText());
    }
    Path dir = release("openjdk version \"17.0.15\" 2025-04-15");
    Files.delete(dir.resolve("flyover.jar"));
    Subprocess.Result r = launch(dir, dir.resolve("flyover").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.stderrText().contains("flyover.jar is missing: download flyover.jar from the same release"), r.stderrText());
  }
}
