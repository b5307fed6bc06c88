package dev.flyover.actions;

import dev.flyover.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The job summary, built as GitHub-flavoured Markdown. Sections are kept in order; when the whole would pass
 * the runner's 1 MiB limit (over it the runner drops the summary entirely) the latest, least important sections
 * are cut and a note says so. Text from outside is escaped: nothing is HTML-escaped by the runner.
 */
public final class JobSummary {
  /** The runner's AttachmentSizeLimit, less room for the truncation note. */
  static final int LIMIT_BYTES = 1024 * 1024 - 4096;

  private final List<String> blocks = new ArrayList<>();
  private final Masker masker;

  public JobSummary(Masker masker) {
    this.masker = masker;
  }

  public synchronized JobSummary heading(int level, String text) {
    blocks.add("#".repeat(Math.max(1, Math.min(6, level))) + " " + inline(text) + "\n");
    return this;
  }

  /** A paragraph of trusted Markdown (flyover's own words; escape outside values with {@link #inline}). */
  public synchronized JobSummary markdown(String md) {
    blocks.add(md.endsWith("\n") ? md : md + "\n");
    return this;
  }

  public synchronized JobSummary table(List<String> headers, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(row(headers));
    sb.append("|").append(" --- |".repeat(headers.size())).append("\n");
    for (List<String> r : rows) sb.append(row(r));
    blocks.add(sb.toString());
    return this;
  }

  /** A key/value table with no header text worth repeating. */
  public synchronized JobSummary facts(List<List<String>> rows) {
    return table(List.of("", ""), rows);
  }

  /** A fenced code block: the fence is a backtick run longer than any in the text, so the text cannot close it. */
  public synchronized JobSummary code(String language, String text) {
    String fence = "`".repeat(Math.max(3, longestRun(text, '`') + 1));
    blocks.add(fence + (language == null ? "" : language) + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence + "\n");
    return this;
  }

  public synchronized JobSummary details(String summary, String markdownBody) {
    blocks.add("<details><summary>" + html(summary) + "</summary>\n\n" + markdownBody + "\n</details>\n");
    return this;
  }

  private static String row(List<String> cells) {
    StringBuilder sb = new StringBuilder("|");
    for (String c : cells) sb.append(" ").append(cell(c)).append(" |");
    return sb.append("\n").toString();
  }

  /**
   * Table cells: already-formatted Markdown is allowed, but pipes and line breaks would break the table. GFM
   * splits a row at every pipe not escaped by a backslash, reading "\\x" pairs from the left (cmark-gfm's table
   * extension), inside code spans too: a pipe after an odd run of backslashes is escaped already, any other one
   * gets a backslash.
   */
  static String cell(String s) {
    if (s == null) return "";
    StringBuilder sb = new StringBuilder();
    int backslashes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '|' && backslashes % 2 == 0) sb.append('\\');
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
        sb.append("<br>");
        backslashes = 0;
        continue;
      }
      sb.append(c);
      backslashes = c == '\\' ? backslashes + 1 : 0;
    }
    return sb.toString();
  }

  /** Escapes a value from outside for use in Markdown text (table cells escape pipes themselves). */
  public static String inline(String s) {
    if (s == null) return "";
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '\\', '`', '*', '_', '[', ']', '#', '~', '|' -> sb.append('\\').append(c);
        case '\n', '\r' -> sb.append(' ');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * A value shown as a code span (CommonMark 0.31 §6.1): delimited by a backtick run longer than any in the value,
   * so the value cannot close it; padded with a space on each side when it starts or ends with a backtick, or
   * both starts and ends with a space (one space is stripped from each end of such content). Inside a span
   * nothing is Markdown or HTML, so {@code <}, {@code >} and {@code &} need no escaping; line breaks become spaces
   * (a line ending inside a span is read as a space anyway, and a table row must stay on one line).
   */
  public static String code(String s) {
    if (s == null || s.isEmpty()) return "";
    String clean = s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    String ticks = "`".repeat(longestRun(clean, '`') + 1);
    boolean pad = clean.startsWith("`") || clean.endsWith("`")
        || (clean.startsWith(" ") && clean.endsWith(" ") && !clean.isBlank());
    return ticks + (pad ? " " + clean + " " : clean) + ticks;
  }

  static int longestRun(String s, char c) {
    int best = 0;
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      run = s.charAt(i) == c ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  }

  /** A link; the URL is percent-encoded where it could end the destination or break the line. */
  public static String link(String text, String url) {
    StringBuilder u = new StringBuilder();
    for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c <= 0x20 || c >= 0x7F || "<>()\"'`\\|[]".indexOf(c) >= 0) u.append(String.format("%%%02X", c));
      else u.append((char) c);
    }
    return "[" + inline(text) + "](" + u + ")";
  }

  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * The forms a value takes once escaped here, so that a secret escaped into the Markdown is still found and
   * masked: the runner's masker and {@link Masker#redact} only know the value as it was.
   */
  static java.util.List<String> escapedForms(String v) {
    String oneLine = v.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    return java.util.List.of(inline(v), html(v), cell(v), cell(inline(v)), cell(html(v)), oneLine, cell(oneLine));
  }

  public synchronized boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** The Markdown, redacted and within the size limit. */
  public synchronized String render() {
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    int kept = 0;
    for (String b : blocks) {
      String safe = masker.redact(b, JobSummary::escapedForms) + "\n";
      int n = safe.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > LIMIT_BYTES) break;
      sb.append(safe);
      bytes += n;
      kept++;
    }
    if (kept < blocks.size()) {
      sb.append("> **Note:** ").append(blocks.size() - kept)
          .append(" more section(s) left out to stay under GitHub's 1 MiB job-summary limit.\n");
    }
    return sb.toString();
  }

  /** Appends to the summary file ({@code $GITHUB_STEP_SUMMARY} or {@code --summary-file}). */
  public synchronized void writeTo(Path file) {
    if (blocks.isEmpty()) return;
    try {
      Files.writeString(file, render(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UserError("Could not write the job summary to " + file + ": " + e.getMessage() + ".");
    }
  }

  /** The summary as plain text for a terminal: Markdown stays readable as it is, less the HTML entities. */
  public synchronized String renderText() {
    return render().replace("<br>", "\n    ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
