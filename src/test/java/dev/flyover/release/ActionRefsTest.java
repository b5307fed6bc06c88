package dev.flyover.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code uses: …/flyover@REF} a reader can copy (README, examples) names a ref that the release of the
 * pom's version creates (issue 13, part 2): the exact tag {@code vX.Y.Z}, the major tag {@code vX} that the release
 * moves, or a commit SHA. The release workflow's trigger and tag names are checked against the same rule.
 */
class ActionRefsTest {
  private static final Pattern USES = Pattern.compile("uses:\\s*[\"']?([A-Za-z0-9-]+/flyover)@([^\\s\"'#]+)");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  static String pomVersion() throws IOException {
    Matcher m = Pattern.compile("(?m)^  <version>([^<]+)</version>$").matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "pom.xml has a project version");
    return m.group(1);
  }

  /** The refs the release of {@code version} leaves behind: vX.Y.Z and the moved vX. */
  static Set<String> refsReleased(String version) {
    return Set.of("v" + version, "v" + version.substring(0, version.indexOf('.')));
  }

  static List<String> unresolvable(String where, String text, Set<String> refs) {
    List<String> bad = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = USES.matcher(lines[i]);
      while (m.find()) {
        String ref = m.group(2);
        if (!refs.contains(ref) && !SHA.matcher(ref).matches()) bad.add(where + ":" + (i + 1) + ": " + m.group(1) + "@" + ref);
      }
    }
    return bad;
  }

  @Test
  void everyDocumentedUsesLineNamesARefTheReleaseCreates() throws IOException {
    String version = pomVersion();
    assertTrue(version.matches("\\d+\\.\\d+\\.\\d+"), "pom.xml's version is X.Y.Z (the release tags vX.Y.Z): " + version);
    Set<String> refs = refsReleased(version);
    List<String> bad = new ArrayList<>();
    int seen = 0;
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().forEach(docs::add);
    }
    for (Path p : docs) {
      String text = Files.readString(p);
      Matcher m = USES.matcher(text);
      while (m.find()) seen++;
      bad.addAll(unresolvable(p.toString(), text, refs));
    }
    assertTrue(seen >= 6, "README and examples should show flyover's uses: line; found " + seen);
    assertEquals(List.of(), bad, "use one of " + refs + " or a commit SHA");
  }

  @Test
  void theReleaseWorkflowCreatesThoseRefs() throws IOException {
    String release = Files.readString(Path.of(".github/workflows/release.yml"));
    // Triggered by vX.Y.Z; the major tag is v + everything before the first dot.
    assertTrue(release.contains("tags: [\"v[0-9]+.[0-9]+.[0-9]+\"]"), "release.yml runs on vX.Y.Z tags");
    assertTrue(release.contains("echo \"major=v${version%%.*}\""), "release.yml derives the major tag vX");
    assertTrue(release.contains("git tag -fa \"$MAJOR\""), "release.yml moves the major tag");
  }

  @Test
  void theRuleItself() {
    Set<String> refs = refsReleased("1.0.0");
    assertEquals(Set.of("v1.0.0", "v1"), refs);
    String text = "- uses: flyover/flyover@v1\n- uses: OWNER/flyover@v1.0.0\n  uses: flyover/flyover@main\n"
        + "  uses: flyover/flyover@0123456789abcdef0123456789abcdef01234567\n  uses: 'flyover/flyover@v0'\n";
    assertEquals(List.of("t:3: flyover/flyover@main", "t:5: flyover/flyover@v0"), unresolvable("t", text, refs));
  }
}
