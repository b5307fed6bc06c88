package dev.flyover.actions;

import dev.flyover.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Step outputs. Collected as the run goes and written once, at the end, even on failure, to
 * {@code $GITHUB_OUTPUT} in the runner's format: {@code name=value} for one line, a heredoc with a random
 * {@code ghadelimiter_<uuid>} delimiter for anything with a line break. A later {@link #set} of the same name
 * wins, so a failure path can overwrite {@code status}.
 */
public final class StepOutputs {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Masker masker;

  public StepOutputs(Masker masker) {
    this.masker = masker;
  }

  public synchronized void set(String name, Object value) {
    values.put(name, value == null ? "" : String.valueOf(value));
  }

  public synchronized String get(String name) {
    return values.get(name);
  }

  public synchronized Map<String, String> asMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The runner's file format for every output, redacted: an output is never a place for a secret. */
  public synchronized String render() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      sb.append(format(e.getKey(), masker.redact(e.getValue())));
    }
    return sb.toString();
  }

  static String format(String name, String value) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) return name + "=" + value + "\n";
    String delimiter = "ghadelimiter_" + UUID.randomUUID();
    if (name.contains(delimiter) || value.contains(delimiter)) {
      throw new IllegalStateException("output " + name + " contains its own delimiter");
    }
    return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
  }

  /** Appends to the file (the runner makes it empty for each step). */
  public synchronized void writeTo(Path file) {
    try {
      Files.writeString(file, render(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UserError("Could not write step outputs to GITHUB_OUTPUT (" + file + "): " + e.getMessage() + ".");
    }
  }
}
