package dev.flyover.actions;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The one way flyover prints. Every line is redacted through the {@link Masker}. In Actions everything goes to
 * stdout (the runner reads commands from both streams, but interleaving two pipes reorders them), warnings and
 * errors become annotations, and subprocess output is folded into groups. In a terminal, progress goes to
 * stderr and results to stdout.
 */
public final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean inActions;
  private final boolean debug;
  private final Masker masker;
  private boolean inGroup;

  public Console(OutputStream out, OutputStream err, boolean inActions, boolean debug) {
    // The container has no LANG: never rely on the platform charset.
    this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    this.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    this.inActions = inActions;
    this.debug = debug;
    this.masker = new Masker(inActions, this::rawOut);
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

  /**
   * Registers a connection URL: the whole value and the password inside it, both as written (percent-encoded)
   * and decoded, since either form may end up printed by a child process.
   */
  public void maskUrl(String url) {
    mask(url);
    if (url == null) return;
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) return;
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    if (colon < 0) return;
    String password = userInfo.substring(colon + 1);
    mask(password);
    try {
      mask(java.net.URLDecoder.decode(password.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IllegalArgumentException ignored) {
      // Not valid percent-encoding: the raw form is already masked.
    }
  }

  public String redact(String s) {
    return masker.redact(s);
  }

  private synchronized void rawOut(String line) {
    out.println(line);
  }

  /** Progress and log lines. */
  public synchronized void info(String line) {
    String safe = redact(line);
    if (inActions) out.println(neutralize(safe)); else err.println(safe);
  }

  /** A result meant for stdout in a terminal (summaries, plans). */
  public synchronized void result(String text) {
    String safe = redact(text);
    if (inActions) {
      for (String line : safe.split("\n", -1)) out.println(neutralize(line));
    } else {
      out.println(safe);
    }
  }

  public synchronized void warn(String message) {
    String safe = redact(message);
    if (inActions) out.println(Annotations.command("warning", null, safe)); else err.println("warning: " + safe);
  }

  public synchronized void error(String message) {
    String safe = redact(message);
    if (inActions) out.println(Annotations.command("error", null, safe)); else err.println("error: " + safe);
  }

  public synchronized void notice(String message) {
    String safe = redact(message);
    if (inActions) out.println(Annotations.command("notice", null, safe)); else err.println(safe);
  }

  public synchronized void debug(String message) {
    if (!debug) return;
    String safe = redact(message);
    if (inActions) out.println("::debug::" + Annotations.escapeData(safe)); else err.println("debug: " + safe);
  }

  /** Starts a collapsible group in Actions (no nesting: an open group is closed first). */
  public synchronized void group(String title) {
    if (!inActions) {
      err.println("==> " + redact(title));
      return;
    }
    if (inGroup) out.println("::endgroup::");
    out.println("::group::" + Annotations.escapeData(redact(title)));
    inGroup = true;
  }

  public synchronized void endGroup() {
    if (inActions && inGroup) out.println("::endgroup::");
    inGroup = false;
  }

  /** A line of a child process's output, echoed live. */
  public synchronized void child(String line) {
    String safe = redact(line);
    if (inActions) out.println(neutralize(safe)); else err.println("    " + safe);
  }

  /**
   * Text that is not ours (a child's output, a value from outside) must not be taken for a workflow command:
   * a line starting with {@code ::} could otherwise add masks, stop commands or forge annotations.
   */
  private static String neutralize(String line) {
    String t = line.stripLeading();
    if (!t.startsWith("::") && !t.startsWith("##[")) return line;
    // The runner trims before matching, so a leading space is not enough: break the marker itself.
    return line.replaceFirst("^(\\s*)(::|##\\[)", "$1\u200B$2");
  }

  public void flush() {
    out.flush();
    err.flush();
  }
}
