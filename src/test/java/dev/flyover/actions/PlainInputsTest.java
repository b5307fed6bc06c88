package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The start-up reader of action.yml's inputs gives what the YAML parser gives, or gives up. */
class PlainInputsTest {
  private static List<ActionManifest.Input> yamlParser(String yaml) throws Exception {
    return ActionManifest.parse(yaml.getBytes(StandardCharsets.UTF_8)).inputs();
  }

  @Test
  void readsTheRealActionYmlExactlyAsTheYamlParserDoes() throws Exception {
    String yaml = Files.readString(Path.of("action.yml"));
    Optional<List<ActionManifest.Input>> plain = PlainInputs.parse(yaml);
    assertTrue(plain.isPresent(), "action.yml left the plain layout PlainInputs reads; flyover action would "
        + "start slower (keep each input's keys on single lines: description, required, default)");
    assertEquals(yamlParser(yaml), plain.get());
  }

  @Test
  void theJarServesTheSameInputsAsTheFile() throws Exception {
    assertEquals(yamlParser(Files.readString(Path.of("action.yml"))), ActionManifest.loadInputs());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "  a:\n    description: plain text, with commas (and brackets)\n    default: x\n",
      "  a:\n    description: \"quoted: with \\\"escapes\\\" and \\\\ slashes\"\n    required: true\n",
      "  a:\n    description: 'single ''quoted'' # not a comment'\n    default: ''\n",
      "  a:\n    default: ${{ github.token }}\n",
      "  a:\n    default: \"10\"\n  b:\n    default: 10\n  c:\n    default: true\n",
      "  a:\n    default: 010\n",
      "  a:\n    default: True\n",
      "  a:\n    default: yes\n",
      "  a:\n    default: 1.5\n",
      "  a:\n    default: ~\n",
      "  a:\n    default:\n",
      "  a:\n    default: x # comment\n",
      "  a:\n    description: |\n      block\n      scalar\n",
      "  a:\n    description: folded\n      onto two lines\n",
      "  a:\n    description: \"\\u00e9\"\n",
      "  a:\n    description: \"open\n",
      "  a:\n    description: a: b\n",
      "  a:\n    description: *anchor\n",
      "  a:\n    required: false\n    required: true\n",
      "  a:\n    unknown: x\n",
      "  a:\n  a:\n",
      "  a: {description: flow}\n",
      "  # a comment\n  a:\n\n    # another\n    description: d\n",
      "  a:\n\tdescription: tab\n",
  })
  void givesWhatTheYamlParserGivesOrGivesUp(String inputsBody) throws Exception {
    String yaml = "name: x\ndescription: y\ninputs:\n" + inputsBody + "outputs:\n  o:\n    description: z\n";
    Optional<List<ActionManifest.Input>> plain = PlainInputs.parse(yaml);
    if (plain.isPresent()) assertEquals(yamlParser(yaml), plain.get(), inputsBody);
  }

  @Test
  void readsTheCommonShapes() {
    String yaml = "inputs:\n  a:\n    description: d\n    default: x\n  b:\n    required: true\nruns:\n  using: docker\n";
    assertEquals(List.of(new ActionManifest.Input("a", "d", Optional.of("x"), false),
        new ActionManifest.Input("b", "", Optional.empty(), true)), PlainInputs.parse(yaml).orElseThrow());
  }
}
