package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSummaryTest {
  @Test
  void staysUnderTheRunnersLimitAndSaysWhatWasLeftOut() {
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    String big = "x".repeat(300 * 1024);
    for (int i = 0; i < 5; i++) s.markdown(big);
    String md = s.render();
    assertTrue(md.getBytes(StandardCharsets.UTF_8).length < 1024 * 1024);
    assertTrue(md.contains("2 more section(s) left out"));
  }

  @Test
  void aDetailsBlockIsAddedOnceWithItsSummaryEscaped() {
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    s.heading(2, "Run").details("Cheat <sheet>", d -> d.markdown("| a | b |\n| --- | --- |\n| 1 | 2 |\n"));
    String md = s.render();
    assertEquals(1, md.split("<details>", -1).length - 1, md);
    assertEquals(1, md.split("\\| 1 \\| 2 \\|", -1).length - 1, md);
    assertTrue(md.contains("<details><summary>Cheat &lt;sheet&gt;</summary>\n\n| a | b |"), md);
    assertTrue(md.endsWith("</details>\n\n"), md);
  }

  @Test
  void outsideTextCannotBreakTablesOrInjectHtml() {
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    s.table(List.of("Name", "Why"), List.of(List.of(JobSummary.inline("A|B<script>"), "two\nlines")));
    String md = s.render();
    assertTrue(md.contains("| A\\|B&lt;script&gt; |"), md);
    assertFalse(md.contains("<script>"));
    assertTrue(md.contains("two<br>lines"));
  }

  @Test
  void secretsAreRedacted() {
    Masker m = new Masker(false, l -> {});
    m.add("s3cr#t");
    JobSummary s = new JobSummary(m);
    s.markdown("value s3cr#t");
    assertEquals("value ***\n\n", s.render());
  }

  /** A GFM table row split as cmark-gfm's table extension splits it: "\\x" pairs read from the left, then pipes. */
  static List<String> cells(String row) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    String r = row.strip();
    r = r.substring(1, r.endsWith("|") && !r.endsWith("\\|") ? r.length() - 1 : r.length());
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c == '\\' && i + 1 < r.length()) {
        cur.append(c).append(r.charAt(++i));
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

  static String tableRow(String md, String firstCellStart) {
    return md.lines().filter(l -> l.startsWith("| " + firstCellStart)).findFirst().orElseThrow(() -> new AssertionError(md));
  }

  @Test
  void codeSpansUseALongerBacktickRunThanTheValue() {
    assertEquals("`a`", JobSummary.code("a"));
    assertEquals("``a`b``", JobSummary.code("a`b"));
    assertEquals("```a``b```", JobSummary.code("a``b"));
    assertEquals("```` ``x``` ````", JobSummary.code("``x```"));
    assertEquals("``  x  ``".replace("``", "`"), JobSummary.code(" x "), "spaces at both ends kept");
    assertEquals("` x`", JobSummary.code(" x"));
    assertEquals("`a b`", JobSummary.code("a\nb"));
    assertEquals("`<b>&amp;`", JobSummary.code("<b>&amp;"), "a code span shows HTML as text");
  }

  @Test
  void fencedBlocksCannotBeClosedByTheirText() {
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    s.code("sh", "echo ```\n~~~~\n`````");
    String md = s.render();
    assertTrue(md.startsWith("``````sh\n"), md);
    assertTrue(md.contains("`````\n``````\n"), md);
  }

  @Test
  void cellsKeepTheirColumnsWhateverTheValue() {
    List<String> hostile = List.of("a|b", "a\\|b", "a\\\\|b", "`|`", "x\\", "l1\nl2\r\nl3\rl4", "<img src=x onerror=1>",
        "&lt;", "*_[x](javascript:1)_*", "# h", "| --- |");
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    java.util.List<List<String>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < hostile.size(); i++) {
      rows.add(List.of("r" + i, JobSummary.code(hostile.get(i)), JobSummary.inline(hostile.get(i)), "end"));
    }
    s.table(List.of("n", "code", "text", "last"), rows);
    String md = s.render();
    for (int i = 0; i < hostile.size(); i++) {
      List<String> c = cells(tableRow(md, "r" + i + " "));
      assertEquals(4, c.size(), hostile.get(i) + " -> " + c);
      assertEquals("end", c.get(3));
    }
    assertFalse(md.replace("`<img src=x onerror=1>`", "").contains("<img"), "HTML only inside a code span:\n" + md);
    assertEquals(2 + hostile.size() + 1, md.split("\n", -1).length - 1, "one line per row:\n" + md);
    assertTrue(md.contains("&amp;lt;"), md);
  }

  @Test
  void secretsAreRedactedAfterEscaping() {
    Masker m = new Masker(false, l -> {});
    m.add("pa_ss|w<o>rd`x");
    JobSummary s = new JobSummary(m);
    s.table(List.of("a", "b"), List.of(List.of(JobSummary.code("pa_ss|w<o>rd`x"), JobSummary.inline("pa_ss|w<o>rd`x"))));
    s.markdown("text " + JobSummary.inline("pa_ss|w<o>rd`x"));
    String md = s.render();
    assertFalse(md.contains("ss"), md);
    assertFalse(md.contains("rd"), md);
  }

  @Test
  void linksCannotLeaveTheirDestination() {
    String l = JobSummary.link("x", "https://a.example/p) [y](javascript:1 \"t\"\n<b>");
    assertEquals("[x](https://a.example/p%29%20%5By%5D%28javascript:1%20%22t%22%0A%3Cb%3E)", l);
  }
}
