package dev.flyover;

import dev.flyover.actions.Console;
import dev.flyover.actions.JobSummary;
import dev.flyover.actions.StepOutputs;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** One run of flyover: its environment, where it prints, and the outputs and summary it builds up. */
public final class Context {
  private final Env env;
  private final Console console;
  private final StepOutputs outputs;
  private final JobSummary summary;
  private final Clock clock;
  private final Instant started;
  private Path summaryFile;
  private Path outputFile;
  private boolean actionMode;

  public Context(Env env, OutputStream out, OutputStream err) {
    this(env, out, err, Clock.systemUTC());
  }

  public Context(Env env, OutputStream out, OutputStream err, Clock clock) {
    this.env = env;
    this.console = new Console(out, err, env.inActions(), env.debug());
    this.outputs = new StepOutputs(console.masker());
    this.summary = new JobSummary(console.masker());
    this.clock = clock;
    this.started = clock.instant();
    console.namer(this::named);
  }

  public Env env() {
    return env;
  }

  public Console console() {
    return console;
  }

  public StepOutputs outputs() {
    return outputs;
  }

  public JobSummary summary() {
    return summary;
  }

  public Clock clock() {
    return clock;
  }

  public Instant started() {
    return started;
  }

  /** Set by {@code flyover action}: messages then speak of inputs rather than options. */
  public boolean actionMode() {
    return actionMode;
  }

  public void actionMode(boolean on) {
    this.actionMode = on;
  }

  public void summaryFile(Path p) {
    this.summaryFile = p;
  }

  public void outputFile(Path p) {
    this.outputFile = p;
  }

  /**
   * True when the summary will be printed as text on this terminal at the end (no Actions, no --summary-file):
   * a flow then need not print the same facts as progress lines first.
   */
  public boolean summaryOnTerminal() {
    return !env.inActions() && summaryFile == null;
  }

  /** The name a user knows an option by: the input in Actions, the flag in a terminal. */
  public String optionName(String name) {
    return actionMode ? name : "--" + name;
  }

  /** The option as a noun after "the": "strategy input" in Actions, "--strategy option" in a terminal. */
  public String named(String name) {
    return actionMode ? name + " input" : "--" + name + " option";
  }

  /** How to switch a boolean option on: "create-app: true" in Actions, "--create-app" in a terminal. */
  public String enabled(String name) {
    return actionMode ? name + ": true" : "--" + name;
  }

  /** How to switch a boolean option off: "overwrite: false" in Actions, "--overwrite=false" in a terminal. */
  public String disabled(String name) {
    return actionMode ? name + ": false" : "--" + name + "=false";
  }

  /** A value for an option: "database: skip" in Actions, "--database=skip" in a terminal. */
  public String given(String name, String value) {
    return actionMode ? name + ": " + value : "--" + name + "=" + value;
  }

  /** These namings as a function, for code that has no Context (fly.toml lookups). */
  public java.util.function.UnaryOperator<String> namer() {
    return this::named;
  }

  /**
   * Writes what the run produced, success or not: outputs to {@code $GITHUB_OUTPUT} (or {@code --output-file}),
   * the summary to {@code $GITHUB_STEP_SUMMARY} (or {@code --summary-file}, or as text on stdout).
   */
  public void finish() {
    Optional<Path> outFile = Optional.ofNullable(outputFile)
        .or(() -> env.inActions() ? env.get("GITHUB_OUTPUT").map(Path::of) : Optional.empty());
    outFile.ifPresent(outputs::writeTo);
    Optional<Path> sumFile = Optional.ofNullable(summaryFile)
        .or(() -> env.inActions() ? env.get("GITHUB_STEP_SUMMARY").map(Path::of) : Optional.empty());
    if (sumFile.isPresent()) {
      summary.writeTo(sumFile.get());
    } else if (!summary.isEmpty()) {
      // A summary of nothing but the failure section (Markdown only) prints nothing, not an empty line.
      String text = summary.renderText();
      if (!text.isBlank()) console.result(text);
    }
    if (!env.inActions() && outputFile == null && !outputs.asMap().isEmpty()) {
      StringBuilder sb = new StringBuilder("Outputs:");
      for (Map.Entry<String, String> e : outputs.asMap().entrySet()) {
        // The error has been printed already: once is enough.
        if (e.getKey().equals("error")) continue;
        if (e.getValue().indexOf('\n') < 0) sb.append("\n  ").append(e.getKey()).append('=').append(e.getValue());
      }
      console.info(sb.toString());
    }
    console.flush();
  }
}
