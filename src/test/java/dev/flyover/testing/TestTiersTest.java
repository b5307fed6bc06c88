package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast tier ({@code mvn test}) must run on nothing but the JVM: a test class that reaches PostgreSQL,
 * python3 (the flyctl double), a loopback HTTP double or a subprocess, directly or through a test helper that
 * does, must carry {@code @Tag("integration")} (on the class, or on the methods that need it) so that only
 * {@code mvn verify} runs it. Run this after merging a branch that adds test classes.
 */
class TestTiersTest {
  private static final Path TESTS = Path.of("src/test/java");

  /** What needs more than the JVM, by the name a test source uses for it. */
  static final Set<String> NEEDS_MORE = Set.of("TestDatabases", "FlyctlDouble", "HerokuApiDouble",
      "GitHubApiDouble", "AppServer", "Loopback", "HttpServer", "ProcessBuilder", "Subprocess", "DriverManager",
      "python3");
  private static final Pattern TEST_CLASS = Pattern.compile("@(Test|ParameterizedTest|TestFactory|RepeatedTest)\\b");
  private static final String TAG = "@Tag(\"integration\")";

  static Map<String, String> sources() throws IOException {
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(TESTS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        sources.put(f.getFileName().toString().replace(".java", ""), Files.readString(f));
      }
    }
    return sources;
  }

  /** Test classes that need more than the JVM, directly or through helpers, and are not tagged. */
  static Set<String> untagged(Map<String, String> sources) {
    // Helpers (no tests of their own) that use something in the set join it, until nothing changes.
    Set<String> markers = new LinkedHashSet<>(NEEDS_MORE);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, String> e : sources.entrySet()) {
        if (!TEST_CLASS.matcher(e.getValue()).find() && !markers.contains(e.getKey()) && uses(e.getValue(), markers)) {
          markers.add(e.getKey());
          grew = true;
        }
      }
    }
    Set<String> untagged = new TreeSet<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      String src = e.getValue();
      if (e.getKey().equals("TestTiersTest") || !TEST_CLASS.matcher(src).find()) continue;
      if (uses(src, markers) && !src.contains(TAG)) untagged.add(e.getKey());
    }
    return untagged;
  }

  /** Import lines name a class without using it; Subprocess.Result is a plain record a unit test may build. */
  private static final Pattern NOT_A_USE = Pattern.compile("(?m)^import [^;]+;|\\bSubprocess\\.Result\\b");

  private static boolean uses(String source, Set<String> names) {
    source = NOT_A_USE.matcher(source).replaceAll("");
    for (String n : names) {
      if (Pattern.compile("\\b" + Pattern.quote(n) + "\\b").matcher(source).find()) return true;
    }
    return false;
  }

  @Test
  void everyTestClassThatNeedsMoreThanTheJvmIsTaggedIntegration() throws IOException {
    assertEquals(Set.of(), untagged(sources()),
        "add @org.junit.jupiter.api.Tag(\"integration\") to these classes (see CONTRIBUTING.md, Tests)");
  }

  @Test
  void theRuleSeesThroughHelpers() {
    Map<String, String> srcs = Map.of(
        "Fixture", "class Fixture { FlyctlDouble fly = new FlyctlDouble(); }",
        "UsesFixture", "class UsesFixture { @Test void t() { new Fixture(); } }",
        "Tagged", TAG + " class Tagged { @Test void t() { new Fixture(); } }",
        "Pure", "class Pure { @Test void t() { Math.abs(1); } }",
        "Python", "class Python { @Test void t() { run(\"python3\"); } }",
        "Result", "import dev.flyover.proc.Subprocess; class Result { @Test void t() { new Subprocess.Result(1, false, null, null); } }",
        "Runs", "import dev.flyover.proc.Subprocess; class Runs { @Test void t() { Subprocess.of(List.of(\"true\")).run(); } }");
    assertEquals(Set.of("UsesFixture", "Python", "Runs"), untagged(srcs));
    assertTrue(untagged(Map.of("X", "class X { @Test void t() {} }")).isEmpty());
  }
}
