package dev.flyover.actions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps every secret value flyover has seen. In Actions it registers each with the runner (one
 * {@code ::add-mask::} for the whole value, escaped, and one per line, as the runner only masks the first line
 * of a raw multi-line command); everywhere it replaces the values in whatever flyover itself prints or writes.
 */
public final class Masker {
  public static final String MASK = "***";

  private final Set<String> values = new LinkedHashSet<>();
  private final Consumer<String> commandSink;
  private final boolean inActions;
  private List<String> longestFirst = List.of();

  /** @param commandSink receives raw workflow-command lines (stdout in Actions), never redacted */
  public Masker(boolean inActions, Consumer<String> commandSink) {
    this.inActions = inActions;
    this.commandSink = commandSink;
  }

  /** Registers a secret. Blank values are ignored (the runner warns on them and they cannot leak). */
  public synchronized void add(String value) {
    if (value == null || value.isBlank()) return;
    List<String> parts = new ArrayList<>();
    parts.add(value);
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      for (String line : value.split("\r\n|\r|\n")) {
        String t = line.strip();
        if (!t.isEmpty()) parts.add(t);
      }
    }
    boolean changed = false;
    for (String p : parts) {
      if (values.add(p)) {
        changed = true;
        if (inActions) commandSink.accept("::add-mask::" + Annotations.escapeData(p));
      }
    }
    if (changed) {
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(Comparator.comparingInt(String::length).reversed());
      longestFirst = List.copyOf(sorted);
    }
  }

  /** Replaces every registered value in {@code text} with {@value #MASK}. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    for (String v : longestFirst) {
      if (out.contains(v)) out = out.replace(v, MASK);
    }
    return out;
  }

  /**
   * Replaces every registered value, and each of the forms {@code encodings} gives for it (a value escaped for
   * Markdown no longer contains the value as it was), with {@value #MASK}.
   */
  public String redact(String text, java.util.function.Function<String, List<String>> encodings) {
    if (text == null || text.isEmpty()) return text;
    List<String> forms = new ArrayList<>();
    for (String v : longestFirst) {
      forms.add(v);
      for (String e : encodings.apply(v)) if (!e.isEmpty() && !e.equals(v)) forms.add(e);
    }
    forms.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String f : forms) {
      if (out.contains(f)) out = out.replace(f, MASK);
    }
    return out;
  }

  public synchronized boolean isEmpty() {
    return values.isEmpty();
  }
}
