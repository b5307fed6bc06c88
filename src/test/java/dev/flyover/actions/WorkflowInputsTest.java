package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flyover.testing.ActionHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every step that uses flyover ({@code uses: ./} or {@code uses: OWNER/flyover@REF}) in the examples, the
 * workflows and the README passes only inputs action.yml declares: the runner only warns about an unknown
 * {@code with:} key and the schema validators in .ci/validate-workflows cannot see action.yml, so a typo
 * ({@code tokn:}) would otherwise reach users as a silently ignored setting.
 */
class WorkflowInputsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern FLYOVER = Pattern.compile("\\./?|([A-Za-z0-9-]+)/flyover@\\S+");
  private static final Pattern FENCE = Pattern.compile("(?m)^```ya?ml[ \\t]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL);
  private static final Pattern IMAGE_OWNER = Pattern.compile(
      "docker://ghcr\\.io/([A-Za-z0-9-]+)/flyover(?::v\\S+|@sha256:[0-9a-f]{64})"); // by tag on main, by digest at a release

  record Step(String where, String uses, Set<String> with) {}

  /** The documents to check, by a name that says where they are. */
  static Map<String, String> documents() throws IOException {
    Map<String, String> docs = new LinkedHashMap<>();
    for (String dir : List.of("examples", ".github/workflows")) {
      Path d = Path.of(dir);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> files = Files.list(d)) {
        for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList()) {
          docs.put(f.toString(), Files.readString(f));
        }
      }
    }
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = FENCE.matcher(readme);
    while (m.find()) {
      int line = (int) readme.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
      docs.put("README.md line " + line, m.group(1));
    }
    return docs;
  }

  static List<Step> flyoverSteps(String where, String yaml) throws IOException {
    List<Step> steps = new ArrayList<>();
    collect(where, YAML.readTree(yaml), steps);
    return steps;
  }

  private static void collect(String where, JsonNode node, List<Step> out) {
    if (node == null) return;
    if (node.isObject()) {
      JsonNode uses = node.get("uses");
      if (uses != null && uses.isTextual() && FLYOVER.matcher(uses.asText().strip()).matches()) {
        Set<String> with = new TreeSet<>();
        JsonNode w = node.get("with");
        if (w != null) w.fieldNames().forEachRemaining(with::add);
        out.add(new Step(where, uses.asText().strip(), with));
      }
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) collect(where, it.next(), out);
    } else if (node.isArray()) {
      node.forEach(n -> collect(where, n, out));
    }
  }

  static List<String> unknownInputs(List<Step> steps, Set<String> inputs) {
    List<String> problems = new ArrayList<>();
    for (Step s : steps) {
      for (String key : s.with()) {
        if (!inputs.contains(key)) problems.add(s.where() + ": `" + s.uses() + "` has with: " + key + ", which action.yml does not declare");
      }
    }
    return problems;
  }

  private static Set<String> inputNames() {
    return ActionHarness.manifest().inputs().stream().map(ActionManifest.Input::name).collect(Collectors.toSet());
  }

  @Test
  void flyoverStepsPassOnlyDeclaredInputs() throws IOException {
    List<Step> steps = new ArrayList<>();
    for (Map.Entry<String, String> doc : documents().entrySet()) steps.addAll(flyoverSteps(doc.getKey(), doc.getValue()));
    assertTrue(steps.stream().filter(s -> s.where().startsWith("examples")).count() >= 4,
        "the examples should use flyover at least four times; found " + steps);
    assertEquals(List.of(), unknownInputs(steps, inputNames()));
  }

  @Test
  void flyoverStepsNameTheOwnerThatPublishesTheImage() throws IOException {
    // A step naming another owner would pull another account's image than this repository publishes.
    Matcher image = IMAGE_OWNER.matcher(ActionHarness.manifest().root().path("runs").path("image").asText());
    assertTrue(image.matches(), "action.yml's runs.image should be docker://ghcr.io/OWNER/flyover:vX.Y.Z (or @sha256:…)");
    List<String> others = new ArrayList<>();
    for (Map.Entry<String, String> doc : documents().entrySet()) {
      for (Step s : flyoverSteps(doc.getKey(), doc.getValue())) {
        Matcher m = FLYOVER.matcher(s.uses());
        // "OWNER" is the README's stand-in for whoever publishes the action; any real name must be runs.image's.
        if (m.matches() && m.group(1) != null && !m.group(1).equalsIgnoreCase(image.group(1))
            && !m.group(1).equals("OWNER")) {
          others.add(s.where() + ": " + s.uses());
        }
      }
    }
    assertEquals(List.of(), others, "steps should use " + image.group(1) + "/flyover, the owner runs.image names");
  }

  @Test
  void aMisspelledInputIsReported() throws IOException {
    String yaml = "jobs:\n  a:\n    steps:\n      - uses: acme/flyover@v1\n        with:\n          tokn: x\n"
        + "          fly-app: y\n      - uses: actions/checkout@v4\n        with:\n          tokn: z\n";
    List<Step> steps = flyoverSteps("t", yaml);
    assertEquals(List.of("t: `acme/flyover@v1` has with: tokn, which action.yml does not declare"),
        unknownInputs(steps, inputNames()));
  }
}
