package dev.flyover.actions;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one way flyover prints. Every line is redacted through the {@link Masker}. In Actions everything goes to
 * stdout (the runner reads commands from both streams, but interleaving two pipes reorders them), warnings and
 * errors become annotations, and subprocess output is folded into groups; text from outside can never become a
 * workflow command (see {@link #untrusted}). In a terminal, progress goes to stderr and results to stdout.
 */
public final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean inActions;
  private final boolean debug;
  private final Masker masker;
  private boolean inGroup;
  /** The token of the open stop-commands block, or null. */
  private String blockToken;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** How messages name an option; {@link dev.flyover.Context} sets its own, which knows the run's surface. */
  private java.util.function.UnaryOperator<String> named;

  public Console(OutputStream out, OutputStream err, boolean inActions, boolean debug) {
    // The container has no LANG: never rely on the platform charset.
    this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    this.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    this.inActions = inActions;
    this.debug = debug;
    this.masker = new Masker(inActions, this::command);
    this.named = n -> inActions ? n + " input" : "--" + n + " option";
  }

  /** The option as a noun after "the": "fly-app input" in Actions, "--fly-app option" in a terminal. */
  public String named(String option) {
    return named.apply(option);
  }

  public void namer(java.util.function.UnaryOperator<String> named) {
    this.named = named;
  }

  /** For picocli's own help and version text only; everything else goes through the methods below. */
  public PrintStream stdout() {
    return out;
  }

  public PrintStream stderr() {
    return err;
  }

  public Masker masker() {
    return masker;
  }

  public boolean inActions() {
    return inActions;
  }

  public boolean debugEnabled() {
    return debug;
  }

  /** Registers a secret before anything that could contain it is printed. */
  public void mask(String secret) {
    masker.add(secret);
  }

  public String redact(String s) {
    return masker.redact(s);
  }

  /**
   * One of flyover's own workflow commands. Commands stopped for an untrusted block are resumed first: the
   * runner ignores every command until the block's token, and a mask registered inside would not mask.
   */
  private synchronized void command(String line) {
    closeBlock();
    out.println(line);
  }

  /** Progress and log lines. */
  public synchronized void info(String line) {
    String safe = redact(line);
    if (inActions) untrusted(safe); else err.println(safe);
  }

  /** A result meant for stdout in a terminal (summaries, plans). */
  public synchronized void result(String text) {
    String safe = redact(text);
    if (inActions) untrusted(safe); else out.println(safe);
  }

  public synchronized void warn(String message) {
    String safe = redact(message);
    if (inActions) command(Annotations.command("warning", null, safe)); else err.println("warning: " + safe);
  }

  public synchronized void error(String message) {
    String safe = redact(message);
    if (inActions) command(Annotations.command("error", null, safe)); else err.println("error: " + safe);
  }

  public synchronized void notice(String message) {
    String safe = redact(message);
    if (inActions) command(Annotations.command("notice", null, safe)); else err.println(safe);
  }

  public synchronized void debug(String message) {
    if (!debug) return;
    String safe = redact(message);
    if (inActions) command("::debug::" + Annotations.escapeData(safe)); else err.println("debug: " + safe);
  }

  /** Starts a collapsible group in Actions (no nesting: an open group is closed first). */
  public synchronized void group(String title) {
    if (!inActions) {
      err.println("==> " + redact(title));
      return;
    }
    if (inGroup) command("::endgroup::");
    command("::group::" + Annotations.escapeData(redact(title)));
    inGroup = true;
  }

  public synchronized void endGroup() {
    if (inActions && inGroup) command("::endgroup::");
    inGroup = false;
  }

  /** A line of a child process's output, echoed live. */
  public synchronized void child(String line) {
    String safe = redact(line);
    if (inActions) untrusted(safe); else err.println("    " + safe);
  }

  // ---- text the runner must not read as a command ----
  //
  // How the runner reads a step's output (actions/runner 2.336.0, commit 258d6c85): ProcessInvoker.cs splits it
  // with StreamReader.ReadLine (CR, LF and CRLF end a line); OutputManager.cs offers a line holding "::" or "##["
  // to ActionCommandManager.cs, which tries ActionCommand.cs TryParseV2 ("::" at the start after TrimStart with
  // .NET's whitespace set) and then TryParse (v1: "##[" ANYWHERE in the line). Both look for the markers with
  // culture-sensitive (ICU) string search, in which zero-width and control characters weigh nothing, so no
  // character-level escaping can be proven complete. Instead a line that could possibly be read as a command is
  // printed inside the runner's own stop-commands block, whose random token nobody else can know; every other
  // line is printable ASCII without "::" or "##[", which no rule of the runner can take for a command.

  /** Prints outside text (already redacted) line by line, as the runner will split it. */
  private void untrusted(String text) {
    for (String line : lines(text)) {
      if (!inert(line)) openBlock();
      out.println(line);
    }
  }

  private void openBlock() {
    if (blockToken != null) return;
    // 128 random bits, new for every block (ActionCommandManager.cs also masks tokens longer than 6 characters).
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    blockToken = "flyover-" + HexFormat.of().formatHex(b);
    out.println("::stop-commands::" + blockToken);
  }

  private void closeBlock() {
    if (blockToken == null) return;
    out.println("::" + blockToken + "::");
    blockToken = null;
  }

  /** Splits as .NET StreamReader.ReadLine does: at CRLF, CR or LF; a trailing terminator adds no empty line. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(text.substring(start, i));
        i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < text.length() || out.isEmpty()) out.add(text.substring(start));
    return out;
  }

  /** True when no rule of the runner can read the line as a command: tab or printable ASCII, no "::" or "##[". */
  static boolean inert(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7E)) return false;
    }
    return !line.contains("::") && !line.contains("##[");
  }

  /** Ends any open block (so later steps' output is read normally) and flushes. */
  public synchronized void flush() {
    if (inActions) closeBlock();
    out.flush();
    err.flush();
  }
}
