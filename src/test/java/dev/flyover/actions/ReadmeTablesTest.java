package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's inputs and outputs tables are action.yml, rendered. Run with {@code -Dflyover.updateReadme=true}
 * to rewrite them after changing action.yml.
 */
class ReadmeTablesTest {
  private static final Path README = Path.of("README.md");

  static String inputsTable(ActionManifest m) {
    StringBuilder sb = new StringBuilder("| Input | Description | Default |\n| --- | --- | --- |\n");
    for (ActionManifest.Input in : m.inputs()) {
      sb.append("| `").append(in.name()).append("` | ").append(in.description().replace("|", "\\|"))
          .append(" | ").append(in.defaultValue().map(d -> "`" + d + "`").orElse("")).append(" |\n");
    }
    return sb.toString();
  }

  static String outputsTable(ActionManifest m) {
    StringBuilder sb = new StringBuilder("| Output | Description |\n| --- | --- |\n");
    for (ActionManifest.Output o : m.outputs()) {
      sb.append("| `").append(o.name()).append("` | ").append(o.description().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  static String replaceBetween(String text, String name, String body) {
    String start = "<!-- " + name + ":start -->\n";
    String end = "<!-- " + name + ":end -->";
    int a = text.indexOf(start);
    int b = text.indexOf(end);
    if (a < 0 || b < a) throw new AssertionError("README.md lacks the " + name + " markers");
    return text.substring(0, a + start.length()) + body + text.substring(b);
  }

  @Test
  void tablesMatchActionYml() throws IOException {
    ActionManifest m = ActionManifest.parse(Files.readAllBytes(Path.of("action.yml")));
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    String expected = replaceBetween(replaceBetween(readme, "inputs", inputsTable(m)), "outputs", outputsTable(m));
    if (Boolean.getBoolean("flyover.updateReadme")) {
      Files.writeString(README, expected, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(expected, readme, "README tables differ from action.yml: run mvn test -Dtest=ReadmeTablesTest -Dflyover.updateReadme=true");
  }
}
