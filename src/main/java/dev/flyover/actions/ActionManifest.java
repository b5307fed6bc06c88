package dev.flyover.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** action.yml as the runner reads it: the declared inputs (with defaults) and outputs. */
public record ActionManifest(String name, List<Input> inputs, List<Output> outputs, JsonNode root) {
  /** Where the build puts action.yml inside the jar. */
  public static final String RESOURCE = "/dev/flyover/action.yml";

  public record Input(String name, String description, Optional<String> defaultValue, boolean required) {
    /** The runner's variable: {@code INPUT_} + name with spaces as {@code _}, upper-cased, hyphens kept. */
    public String envName() {
      return envName(name);
    }

    public static String envName(String inputName) {
      return "INPUT_" + inputName.replace(' ', '_').toUpperCase(Locale.ROOT);
    }
  }

  public record Output(String name, String description) {}

  public static ActionManifest load() {
    try (InputStream in = ActionManifest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("action.yml is missing from the jar");
      return parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Only the inputs, as {@code flyover action} needs them at start-up: read without a YAML parser when action.yml
   * keeps its plain layout ({@link PlainInputs}), else through {@link #load()}.
   */
  public static List<Input> loadInputs() {
    try (InputStream in = ActionManifest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("action.yml is missing from the jar");
      byte[] bytes = in.readAllBytes();
      Optional<List<Input>> plain = PlainInputs.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      return plain.isPresent() ? plain.get() : parse(bytes).inputs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ActionManifest parse(byte[] yaml) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    List<Input> inputs = new ArrayList<>();
    root.path("inputs").fields().forEachRemaining(e -> {
      JsonNode d = e.getValue().get("default");
      inputs.add(new Input(e.getKey(), e.getValue().path("description").asText(""),
          d == null || d.isNull() ? Optional.empty() : Optional.of(d.asText()),
          e.getValue().path("required").asBoolean(false)));
    });
    List<Output> outputs = new ArrayList<>();
    root.path("outputs").fields().forEachRemaining(e ->
        outputs.add(new Output(e.getKey(), e.getValue().path("description").asText(""))));
    return new ActionManifest(root.path("name").asText(), List.copyOf(inputs), List.copyOf(outputs), root);
  }

  public Optional<Input> input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
  }
}
