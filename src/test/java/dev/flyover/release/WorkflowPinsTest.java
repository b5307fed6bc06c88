package dev.flyover.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the workflows and examples run is pinned (issue 9, part 8): a tag of a third-party action can be moved to
 * other code, a commit SHA cannot, so every third-party {@code uses:} names a full 40-hex commit with the release
 * it is ({@code # vX.Y.Z}, which Dependabot keeps in step); a {@code docker://} image is named by digest. No job
 * of this repository's workflows that holds {@code contents: write} runs a third-party step, the release builds
 * without any build cache, and no checkout leaves the job's token in .git/config for the steps after it. (An
 * example's job may hold {@code contents: write} for flyover itself: {@code launch} opens a pull request.)
 */
class WorkflowPinsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern USES_LINE = Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*[\"']?([^\\s\"'#]+)[\"']?\\s*(?:#\\s*(.*?))?\\s*$");
  private static final Pattern PINNED = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\\s]+)?@[0-9a-f]{40}");
  private static final Pattern VERSION_COMMENT = Pattern.compile("v\\d+\\.\\d+\\.\\d+");
  private static final Pattern DOCKER_BY_DIGEST = Pattern.compile("docker://[^@\\s]+@sha256:[0-9a-f]{64}");
  /** The action this repository publishes: the examples name the refs its release creates (ActionRefsTest). */
  private static final Pattern OWN_ACTION = Pattern.compile("[A-Za-z0-9-]+/flyover@\\S+");

  /** .github/workflows and examples, by path. */
  static Map<String, String> workflows() throws IOException {
    Map<String, String> docs = new LinkedHashMap<>();
    for (String dir : List.of(".github/workflows", "examples")) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList()) {
          docs.put(f.toString(), Files.readString(f));
        }
      }
    }
    return docs;
  }

  /** Every {@code uses:} that is not pinned as it should be, with where it is. */
  static List<String> unpinned(String where, String text) throws IOException {
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int found = 0;
    for (int i = 0; i < lines.length; i++) {
      Matcher m = USES_LINE.matcher(lines[i]);
      if (!m.matches()) continue;
      found++;
      String uses = m.group(1);
      String comment = m.group(2);
      String at = where + ":" + (i + 1) + ": " + uses;
      if (uses.startsWith("./") || OWN_ACTION.matcher(uses).matches()) continue;
      if (uses.startsWith("docker://")) {
        if (!DOCKER_BY_DIGEST.matcher(uses).matches()) problems.add(at + " is not an image by @sha256 digest");
      } else if (!PINNED.matcher(uses).matches()) {
        problems.add(at + " is not pinned by a full 40-hex commit SHA");
      } else if (comment == null || !VERSION_COMMENT.matcher(comment).matches()) {
        problems.add(at + " needs its release as a comment (# vX.Y.Z)");
      }
    }
    // A uses: the line scan missed (flow style, a quoted key) would escape the check: the counts must agree.
    int inTree = allUses(YAML.readTree(text)).size();
    if (inTree != found) problems.add(where + ": " + inTree + " uses: in the YAML but " + found + " found line by line");
    return problems;
  }

  private static List<String> allUses(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) return out;
    if (node.isObject()) {
      if (node.path("uses").isTextual()) out.add(node.get("uses").asText());
      for (Iterator<JsonNode> it = node.elements(); it.hasNext();) out.addAll(allUses(it.next()));
    } else if (node.isArray()) {
      node.forEach(n -> out.addAll(allUses(n)));
    }
    return out;
  }

  /** A job's token can write contents when its permissions (or the workflow's, when it has none) say so. */
  static boolean writesContents(JsonNode workflow, JsonNode job) {
    JsonNode p = job.has("permissions") ? job.get("permissions") : workflow.get("permissions");
    if (p == null) return true; // the repository's default token may write: treat as writing
    if (p.isTextual()) return p.asText().equals("write-all");
    return p.path("contents").asText().equals("write");
  }

  /** Steps of contents: write jobs that are not the repository's own shell. */
  static List<String> thirdPartyStepsWithContentsWrite(String where, String text) throws IOException {
    List<String> problems = new ArrayList<>();
    JsonNode wf = YAML.readTree(text);
    for (Iterator<Map.Entry<String, JsonNode>> it = wf.path("jobs").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> job = it.next();
      if (!writesContents(wf, job.getValue())) continue;
      if (job.getValue().has("uses")) problems.add(where + ": job " + job.getKey() + " calls " + job.getValue().get("uses").asText());
      for (JsonNode step : job.getValue().path("steps")) {
        if (step.has("uses")) problems.add(where + ": job " + job.getKey() + " runs " + step.get("uses").asText());
      }
    }
    return problems;
  }

  @Test
  void everyThirdPartyActionIsPinnedByCommitSha() throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, String> docs = workflows();
    assertTrue(docs.size() >= 6, docs.keySet().toString());
    for (Map.Entry<String, String> d : docs.entrySet()) problems.addAll(unpinned(d.getKey(), d.getValue()));
    assertEquals(List.of(), problems);
  }

  @Test
  void noJobThatCanWriteContentsRunsAThirdPartyStep() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> d : workflows().entrySet()) {
      if (d.getKey().startsWith(".github")) problems.addAll(thirdPartyStepsWithContentsWrite(d.getKey(), d.getValue()));
    }
    assertEquals(List.of(), problems);
  }

  /** actions/checkout keeps the token in .git/config unless told not to, where every later step can read it. */
  @Test
  void noCheckoutLeavesTheTokenBehind() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> d : workflows().entrySet()) {
      for (JsonNode job : YAML.readTree(d.getValue()).path("jobs")) {
        for (JsonNode step : job.path("steps")) {
          if (step.path("uses").asText().startsWith("actions/checkout@")
              && !step.path("with").path("persist-credentials").asText().equals("false")) {
            problems.add(d.getKey() + ": " + step.path("uses").asText() + " without persist-credentials: false");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theReleasePinsTheImageByDigestAndPublishesFromTheFirstPartyJob() throws IOException {
    String text = Files.readString(Path.of(".github/workflows/release.yml"));
    JsonNode wf = YAML.readTree(text);
    List<String> cached = new ArrayList<>();
    for (JsonNode job : wf.path("jobs")) {
      for (JsonNode step : job.path("steps")) {
        JsonNode with = step.path("with");
        for (String key : List.of("cache-from", "cache-to")) if (with.has(key)) cached.add(step.path("uses").asText() + " " + key);
        if (step.path("run").asText().contains("--cache-from")) cached.add("run: --cache-from");
      }
    }
    assertEquals(List.of(), cached, "the release build must not read (or write) a build cache");
    List<String> writers = new ArrayList<>();
    StringBuilder writerScripts = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = wf.path("jobs").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> job = it.next();
      if (!writesContents(wf, job.getValue())) continue;
      writers.add(job.getKey());
      for (JsonNode step : job.getValue().path("steps")) writerScripts.append(step.path("run").asText()).append('\n');
    }
    assertEquals(List.of("publish"), writers, "one job holds contents: write");
    String run = writerScripts.toString();
    assertTrue(run.contains("scripts/pin-image.sh \"$IMAGE_REF\""), "action.yml is rewritten to the image by digest");
    assertTrue(wf.at("/jobs/publish/env/IMAGE_REF").asText().endsWith("@${{ needs.image.outputs.digest }}"));
    assertTrue(run.contains("gh release create") && run.contains("dist/flyover.jar") && run.contains("dist/flyover "),
        "the jar and the launcher are attached to the release");
    assertTrue(run.contains("\"refs/tags/$TAG\" \"refs/tags/$MAJOR\""), "the release tag and the major tag are pushed");
    assertEquals("write", wf.at("/jobs/image/permissions/packages").asText());
    assertEquals("read", wf.at("/jobs/image/permissions/contents").asText());
  }

  @Test
  void theChecksCatchWhatTheyAreFor() throws IOException {
    String wf = """
        permissions:
          contents: write
        jobs:
          a:
            steps:
              - uses: actions/checkout@v4
              - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262
              - uses: actions/checkout@11d5960 # v4.4.0
              - uses: docker://alpine:3
              - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
              - uses: ./local
              - uses: flyover/flyover@v1
              - run: git push
          b:
            permissions:
              contents: read
            steps:
              - uses: docker/login-action@c94ce9fb468520275223c153574b00df6fe4bcc9 # v3.7.0
        """;
    List<String> pins = unpinned("w", wf);
    assertEquals(4, pins.size(), pins.toString());
    assertTrue(pins.get(0).startsWith("w:6: actions/checkout@v4 is not pinned"), pins.get(0));
    assertTrue(pins.get(1).endsWith("needs its release as a comment (# vX.Y.Z)"), pins.get(1));
    assertTrue(pins.get(3).contains("docker://alpine:3 is not an image by @sha256 digest"), pins.get(3));
    assertTrue(unpinned("f", "jobs:\n  a:\n    steps: [{uses: actions/checkout@v4}]\n").get(0).contains("1 uses: in the YAML but 0"));
    List<String> writers = thirdPartyStepsWithContentsWrite("w", wf);
    assertEquals(7, writers.size(), writers.toString());
    assertTrue(writers.stream().allMatch(s -> s.startsWith("w: job a runs ")), writers.toString());
  }
}
