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

  public synchronized JobSummary code(String language, String text) {
    String fence = text.contains("```") ? "~~~~" : "```";
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

  /** Table cells: already-formatted Markdown is allowed, but pipes and line breaks would break the table. */
  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>");
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
        case '\\', '`', '*', '_', '[', ']', '#', '~' -> sb.append('\\').append(c);
        case '\n', '\r' -> sb.append(' ');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A value shown as code: backticks chosen so the value cannot close the span. */
  public static String code(String s) {
    if (s == null || s.isEmpty()) return "";
    String clean = s.replace('\n', ' ').replace('\r', ' ');
    String ticks = clean.contains("`") ? "``" : "`";
    return ticks + (clean.startsWith("`") || clean.endsWith("`") ? " " + clean + " " : clean) + ticks;
  }

  public static String link(String text, String url) {
    return "[" + inline(text) + "](" + url.replace(")", "%29").replace(" ", "%20") + ")";
  }

  private static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
      String safe = masker.redact(b) + "\n";
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
