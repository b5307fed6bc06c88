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
 * The run's summary: one model (headings, paragraphs, tables, code, callouts, collapsible sections, in order),
 * rendered twice. {@link #render} gives GitHub-flavoured Markdown for {@code $GITHUB_STEP_SUMMARY} and
 * {@code --summary-file}: when the whole would pass the runner's 1 MiB limit (over it the runner drops the summary
 * entirely) the latest, least important sections are cut and a note says so, and text from outside is escaped
 * (nothing is HTML-escaped by the runner). {@link #renderText} gives a short text summary for a terminal: tables
 * aligned, no HTML, no Markdown syntax, and no failure callout (the console has said the error once already).
 * Inline text is kept as flyover writes it for Markdown (outside values through {@link #inline}, {@link #code},
 * {@link #link}); {@link #plain} reads that back to the text it stands for.
 */
public final class JobSummary {
  /** The runner's AttachmentSizeLimit, less room for the truncation note. */
  static final int LIMIT_BYTES = 1024 * 1024 - 4096;

  /** One block of the model; {@code md} is its Markdown, the text renderer reads the structure. */
  private sealed interface Block permits Heading, Para, Table, Code, Details, Callout, Failure {}

  private record Heading(int level, String md) implements Block {}

  private record Para(String md) implements Block {}

  private record Table(List<String> headers, List<List<String>> rows) implements Block {}

  private record Code(String language, String text) implements Block {}

  private record Details(String summary, JobSummary body) implements Block {}

  private record Callout(String kind, String md) implements Block {}

  /** The run's error as a callout: in Markdown only, since a terminal has printed it once already. */
  private record Failure(String md) implements Block {}

  private final List<Block> blocks = new ArrayList<>();
  private final Masker masker;

  public JobSummary(Masker masker) {
    this.masker = masker;
  }

  /** A heading; the text is plain (escaped here). */
  public synchronized JobSummary heading(int level, String text) {
    blocks.add(new Heading(Math.max(1, Math.min(6, level)), inline(text)));
    return this;
  }

  /** A paragraph of trusted Markdown (flyover's own words; escape outside values with {@link #inline}). */
  public synchronized JobSummary markdown(String md) {
    blocks.add(new Para(md));
    return this;
  }

  /** A GitHub alert ({@code NOTE}, {@code WARNING}, {@code CAUTION}) of trusted Markdown; "WARNING: …" in text. */
  public synchronized JobSummary callout(String kind, String md) {
    blocks.add(new Callout(kind, md));
    return this;
  }

  /**
   * The run's failure as a CAUTION callout, first in the summary (what a reader must see first), for the Markdown
   * summary only: in a terminal the console has printed the error already, and saying it twice more (summary,
   * outputs) is noise. Written by {@link dev.flyover.RunReport} alone.
   */
  public synchronized JobSummary failure(String md) {
    blocks.add(0, new Failure(md));
    return this;
  }

  /** A table; cells are trusted Markdown (escape outside values with {@link #inline} or {@link #code}). */
  public synchronized JobSummary table(List<String> headers, List<List<String>> rows) {
    blocks.add(new Table(List.copyOf(headers), rows.stream().map(List::copyOf).toList()));
    return this;
  }

  /** A key/value table with no header text worth repeating. */
  public synchronized JobSummary facts(List<List<String>> rows) {
    return table(List.of("", ""), rows);
  }

  /** A fenced code block: the fence is a backtick run longer than any in the text, so the text cannot close it. */
  public synchronized JobSummary code(String language, String text) {
    blocks.add(new Code(language, text));
    return this;
  }

  /** A collapsible section (plain summary text) holding the blocks {@code body} adds. */
  public synchronized JobSummary details(String summary, java.util.function.Consumer<JobSummary> body) {
    JobSummary inner = new JobSummary(masker);
    body.accept(inner);
    blocks.add(new Details(summary, inner));
    return this;
  }

  /** A collapsible section of another summary's blocks (the cutover's plan inside its report). */
  public synchronized JobSummary details(String summary, JobSummary body) {
    blocks.add(new Details(summary, body));
    return this;
  }

  /** The Markdown of one block, before redaction. */
  private static String markdownOf(Block b) {
    if (b instanceof Heading h) return "#".repeat(h.level()) + " " + h.md() + "\n";
    if (b instanceof Para p) return p.md().endsWith("\n") ? p.md() : p.md() + "\n";
    if (b instanceof Table t) {
      StringBuilder sb = new StringBuilder();
      sb.append(row(t.headers()));
      sb.append("|").append(" --- |".repeat(t.headers().size())).append("\n");
      for (List<String> r : t.rows()) sb.append(row(r));
      return sb.toString();
    }
    if (b instanceof Code c) {
      String fence = "`".repeat(Math.max(3, longestRun(c.text(), '`') + 1));
      return fence + (c.language() == null ? "" : c.language()) + "\n" + c.text() + (c.text().endsWith("\n") ? "" : "\n")
          + fence + "\n";
    }
    if (b instanceof Details d) {
      return "<details><summary>" + html(d.summary()) + "</summary>\n\n" + d.body().markdownBody() + "\n</details>\n";
    }
    if (b instanceof Callout c) return quote("[!" + c.kind() + "]\n" + c.md());
    return quote("[!CAUTION]\n" + ((Failure) b).md());
  }

  private static String quote(String md) {
    StringBuilder sb = new StringBuilder();
    for (String l : md.split("\n", -1)) sb.append(l.isEmpty() ? ">" : "> " + l).append('\n');
    return sb.toString();
  }

  /** This summary's blocks as Markdown, unredacted (a details body; the outer render redacts). */
  private synchronized String markdownBody() {
    StringBuilder sb = new StringBuilder();
    for (Block b : blocks) sb.append(markdownOf(b)).append('\n');
    return sb.toString();
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
    for (Block block : blocks) {
      String safe = masker.redact(markdownOf(block), JobSummary::escapedForms) + "\n";
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

  // ---- the text renderer ----

  /**
   * The summary as text for a terminal: headings underlined, tables aligned in columns (a key/value table as
   * "Key  value" lines), code indented, callouts as "WARNING: …", no HTML and no Markdown syntax; Mermaid charts
   * and the failure callout are left out. Redacted like the Markdown.
   */
  public synchronized String renderText() {
    StringBuilder sb = new StringBuilder();
    for (Block b : blocks) {
      String t = textOf(b);
      if (t.isEmpty()) continue;
      if (sb.length() > 0) sb.append('\n');
      sb.append(masker.redact(t, JobSummary::escapedForms));
    }
    return inertForTerminal(sb.toString());
  }

  private static String textOf(Block b) {
    if (b instanceof Heading h) return underline(plain(h.md()), h.level() <= 2 ? '=' : '-');
    if (b instanceof Para p) return textOfMarkdown(p.md());
    if (b instanceof Table t) {
      return aligned(t.headers().stream().allMatch(String::isBlank) ? List.of() : t.headers().stream()
          .map(JobSummary::plainCell).toList(), t.rows().stream().map(r -> r.stream().map(JobSummary::plainCell).toList()).toList());
    }
    if (b instanceof Code c) return "mermaid".equals(c.language()) ? "" : indent(c.text().stripTrailing());
    if (b instanceof Details d) return underline(d.summary(), '-') + d.body().renderTextBody();
    if (b instanceof Callout c) return c.kind() + ": " + plainLines(c.md()) + "\n";
    return "";
  }

  private synchronized String renderTextBody() {
    StringBuilder sb = new StringBuilder();
    for (Block b : blocks) {
      String t = textOf(b);
      if (t.isEmpty()) continue;
      if (sb.length() > 0) sb.append('\n');
      sb.append(t);
    }
    return sb.toString();
  }

  private static String underline(String title, char c) {
    return title + "\n" + String.valueOf(c).repeat(Math.max(3, width(title))) + "\n";
  }

  private static String indent(String text) {
    StringBuilder sb = new StringBuilder();
    for (String l : text.split("\r?\n", -1)) sb.append("    ").append(l).append('\n');
    return sb.toString();
  }

  /** A block of flyover's own Markdown (lists, alerts, tables, fences, details) read as text, line by line. */
  static String textOfMarkdown(String md) {
    StringBuilder sb = new StringBuilder();
    List<String> lines = List.of(md.split("\r?\n", -1));
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      String fence = l.strip().matches("`{3,}.*") ? l.strip().replaceAll("^(`+).*", "$1") : null;
      if (fence != null) {
        boolean mermaid = l.strip().substring(fence.length()).strip().equals("mermaid");
        StringBuilder code = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).strip().equals(fence); i++) code.append(lines.get(i)).append('\n');
        if (!mermaid) sb.append(indent(code.toString().stripTrailing()));
        continue;
      }
      if (l.startsWith("|")) {
        List<List<String>> rows = new ArrayList<>();
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
          List<String> cells = splitRow(lines.get(i));
          if (cells.stream().allMatch(c -> c.strip().matches(":?-{3,}:?"))) continue;
          rows.add(cells.stream().map(JobSummary::plainCell).toList());
        }
        i--;
        if (!rows.isEmpty()) sb.append(aligned(rows.get(0), rows.subList(1, rows.size())));
        continue;
      }
      String t = l;
      if (t.startsWith(">")) {
        t = t.substring(1).stripLeading();
        t = t.replaceAll("^\\[!([A-Z]+)\\]$", "$1:");
      }
      if (t.matches("#{1,6} .*")) {
        int level = t.indexOf(' ');
        sb.append(underline(plain(t.substring(level + 1)), level <= 2 ? '=' : '-'));
        continue;
      }
      if (t.strip().matches("<!--.*-->|</details>")) continue;
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^<details><summary>(.*)</summary>$").matcher(t.strip());
      if (m.matches()) {
        sb.append(underline(unhtml(m.group(1)), '-'));
        continue;
      }
      sb.append(plain(t)).append('\n');
    }
    // a callout's "WARNING:" line joins the sentence after it
    return sb.toString().replaceAll("(?m)^([A-Z]+):\n(?=\\S)", "$1: ").replaceAll("\n{3,}", "\n\n");
  }

  private static String plainLines(String md) {
    return textOfMarkdown(md).strip();
  }

  /** Cells of a GFM table row split as {@link #cell} escaped them. */
  private static List<String> splitRow(String row) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    String r = row.strip();
    r = r.substring(1, r.endsWith("|") && !r.endsWith("\\|") ? r.length() - 1 : r.length());
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c == '\\' && i + 1 < r.length()) {
        char n = r.charAt(++i);
        if (n != '|') cur.append(c);
        cur.append(n);
      } else if (c == '|') {
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().strip());
    return out;
  }

  /** A table cell as text: its line breaks become "; ", the rest as {@link #plain}. */
  private static String plainCell(String md) {
    String unpiped = md == null ? "" : md.replace("<br>", "\n");
    return String.join("; ", plain(unpiped).lines().map(String::strip).filter(x -> !x.isEmpty()).toList());
  }

  /** Rows in columns two spaces apart; a header row gets a dashed rule (never "|---|"). */
  static String aligned(List<String> headers, List<List<String>> rows) {
    int cols = Math.max(headers.size(), rows.stream().mapToInt(List::size).max().orElse(0));
    int[] w = new int[cols];
    List<List<String>> all = new ArrayList<>();
    if (!headers.isEmpty()) all.add(headers);
    all.addAll(rows);
    for (List<String> r : all) for (int c = 0; c < r.size(); c++) w[c] = Math.max(w[c], width(r.get(c)));
    StringBuilder sb = new StringBuilder();
    if (!headers.isEmpty()) {
      line(sb, headers, w);
      List<String> rule = new ArrayList<>();
      for (int c = 0; c < cols; c++) rule.add("-".repeat(Math.max(1, w[c])));
      line(sb, rule, w);
    }
    for (List<String> r : rows) line(sb, r, w);
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String v = cells.get(c);
      l.append(v);
      if (c < cells.size() - 1) l.append(" ".repeat(w[c] - width(v) + 2));
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  /** Terminal columns, roughly: one per code point, none for combining marks and variation selectors. */
  static int width(String s) {
    return (int) s.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK
        && Character.getType(cp) != Character.ENCLOSING_MARK && !(cp >= 0xFE00 && cp <= 0xFE0F) && cp != 0x200D).count();
  }

  /**
   * What a line of flyover's inline Markdown stands for as text: code spans to their content, backslash escapes
   * and the entities {@link #inline} writes to their characters, links to "text (url)", {@code <br>} to a line
   * break, strong and emphasis asterisks dropped. Exact for what {@link #inline}, {@link #code} and {@link #link}
   * produce, so an outside value reads in a terminal as it was.
   */
  public static String plain(String md) {
    if (md == null) return "";
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < md.length()) {
      char c = md.charAt(i);
      if (c == '\\' && i + 1 < md.length() && isAsciiPunct(md.charAt(i + 1))) {
        sb.append(md.charAt(i + 1));
        i += 2;
      } else if (c == '`') {
        int run = 0;
        while (i + run < md.length() && md.charAt(i + run) == '`') run++;
        int close = closingRun(md, i + run, run);
        if (close < 0) {
          sb.append("`".repeat(run));
          i += run;
          continue;
        }
        String content = md.substring(i + run, close);
        if (content.length() >= 2 && content.startsWith(" ") && content.endsWith(" ") && !content.isBlank()) {
          content = content.substring(1, content.length() - 1);
        }
        sb.append(content);
        i = close + run;
      } else if (c == '[') {
        int end = linkEnd(md, i);
        if (end < 0) {
          sb.append(c);
          i++;
          continue;
        }
        int mid = md.indexOf("](", i);
        String text = plain(md.substring(i + 1, mid));
        String url = md.substring(mid + 2, end);
        String shown = percentDecoded(url);
        sb.append(shown.equals(text) || shown.equals("https://" + text) ? shown : text + " (" + url + ")");
        i = end + 1;
      } else if (c == '*') {
        i++;
      } else if (md.startsWith("<br>", i)) {
        sb.append('\n');
        i += 4;
      } else if (c == '&') {
        String rest = md.substring(i);
        if (rest.startsWith("&lt;")) { sb.append('<'); i += 4; }
        else if (rest.startsWith("&gt;")) { sb.append('>'); i += 4; }
        else if (rest.startsWith("&amp;")) { sb.append('&'); i += 5; }
        else if (rest.startsWith("&quot;")) { sb.append('"'); i += 6; }
        else { sb.append(c); i++; }
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  /** A URL as {@link #link} wrote it, back to what it was (only %XX escapes; invalid ones stay). */
  private static String percentDecoded(String url) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    byte[] in = url.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
        b.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else {
        b.write(in[i]);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Control characters from outside (an ANSI escape could rewrite the terminal) shown as U+FFFD. */
  static String inertForTerminal(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      boolean control = cp != '\n' && cp != '\t' && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029
          || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
      sb.appendCodePoint(control ? 0xFFFD : cp);
    });
    return sb.toString();
  }

  private static String unhtml(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  private static boolean isAsciiPunct(char c) {
    return c >= 0x21 && c <= 0x7E && !Character.isLetterOrDigit(c);
  }

  /** Where a backtick run of exactly {@code n} starts at or after {@code from}, or -1. */
  private static int closingRun(String s, int from, int n) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) != '`') {
        i++;
        continue;
      }
      int run = 0;
      while (i + run < s.length() && s.charAt(i + run) == '`') run++;
      if (run == n) return i;
      i += run;
    }
    return -1;
  }

  /** The index of the ')' ending a link written by {@link #link} that starts at {@code open}, or -1. */
  private static int linkEnd(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        if (--depth == 0) {
          if (i + 1 >= s.length() || s.charAt(i + 1) != '(') return -1;
          int close = s.indexOf(')', i + 2);
          return close < 0 || s.substring(i + 2, close).contains(" ") ? -1 : close;
        }
      }
    }
    return -1;
  }
}
