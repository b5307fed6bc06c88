package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The same summary model, rendered as text for a terminal: aligned, no HTML, no Markdown, outside text as it was. */
class JobSummaryTextTest {
  static final List<String> HOSTILE = List.of("A|B<script>&amp;", "x`y``z", "*not bold* _or_ [link](http://e)",
      "\\back\\slash\\|", "# not a heading", "> not a quote", "` padded `", "<details>");

  @Test
  void outsideTextReadsInATerminalExactlyAsItWas() {
    for (String v : HOSTILE) {
      assertEquals(v, JobSummary.plain(JobSummary.inline(v)), "inline " + v);
      assertEquals(v, JobSummary.plain(JobSummary.code(v)), "code " + v);
      JobSummary s = new JobSummary(new Masker(false, l -> {}));
      s.table(List.of("Name", "Value"), List.of(List.of(JobSummary.code(v), JobSummary.inline(v))));
      String text = s.renderText();
      assertTrue(text.contains(v + "  " + v), text);
      // and the Markdown still escapes it (the existing renderer, unchanged)
      if (v.contains("<")) assertTrue(s.render().contains("&lt;"), s.render());
    }
  }

  @Test
  void tablesAreAlignedWithoutPipesOrHtml() {
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    s.heading(2, "Deployed shop");
    s.facts(List.of(List.of("App", JobSummary.code("shop")), List.of("Health check", "✅ passed: 200 in 1 try")));
    s.table(List.of("Machine", "Checks"), List.of(List.of(JobSummary.code("e28"), "a passing<br>b critical"),
        List.of(JobSummary.code("0a1b2c3d"), "none")));
    s.details("Cheat sheet", d -> d.table(List.of("Heroku", "Fly"), List.of(List.of(JobSummary.code("heroku ps"),
        JobSummary.code("fly status -a shop")))));
    s.callout("WARNING", "Heroku is **still** in maintenance.");
    s.code("mermaid", "gantt\n  x :done, 1, 2\n");
    s.link("x", "y");
    String text = s.renderText();
    assertEquals("""
        Deployed shop
        =============

        App           shop
        Health check  ✅ passed: 200 in 1 try

        Machine   Checks
        --------  ---------------------
        e28       a passing; b critical
        0a1b2c3d  none

        Cheat sheet
        -----------
        Heroku     Fly
        ---------  ------------------
        heroku ps  fly status -a shop

        WARNING: Heroku is still in maintenance.
        """, text);
    assertFalse(text.contains("|"), text);
    assertFalse(text.contains("<"), text);
    assertTrue(s.render().contains("<details><summary>Cheat sheet</summary>"), s.render());
    assertTrue(s.render().contains("```mermaid"), s.render());
  }

  @Test
  void theFailureIsInTheMarkdownOnly() {
    JobSummary s = new JobSummary(new Masker(false, l -> {}));
    s.failure("**deploy failed:** " + JobSummary.inline("No <app>"));
    assertTrue(s.render().startsWith("> [!CAUTION]\n> **deploy failed:** No &lt;app&gt;\n"), s.render());
    assertEquals("", s.renderText());
  }

  @Test
  void linksShowTheirAddressOnce() {
    assertEquals("https://fly.io/apps/a|b/monitoring",
        JobSummary.plain(JobSummary.link("fly.io/apps/a|b/monitoring", "https://fly.io/apps/a|b/monitoring")));
    assertEquals("pull request #4 (https://github.com/o/r/pull/4)",
        JobSummary.plain(JobSummary.link("pull request #4", "https://github.com/o/r/pull/4")));
  }

  @Test
  void secretsAreRedactedAndControlCharactersCannotReachTheTerminal() {
    Masker m = new Masker(false, l -> {});
    m.add("s3cr|t<x>");
    JobSummary s = new JobSummary(m);
    s.table(List.of("Name", "Note"), List.of(List.of(JobSummary.code("s3cr|t<x>"), JobSummary.inline("bell\u0007 esc\u001b[2J"))));
    String text = s.renderText();
    assertFalse(text.contains("s3cr"), text);
    assertFalse(text.contains("\u001b") || text.contains("\u0007"), text);
  }

  @Test
  void ownMarkdownParagraphsReadAsText() {
    String md = "> [!CAUTION]\n> **Stopped.**\n\n| A | B |\n| --- | --- |\n| `x\\|y` | 1 |\n\n### Files\n\n- `fly.toml`: the app\n"
        + "\n<details><summary>flyover\u2019s fly.toml</summary>\n\n```toml\napp = \"x\"\n```\n</details>\n<!-- flyover launch -->";
    String text = JobSummary.textOfMarkdown(md);
    for (String syntax : List.of("`", "**", "<", "#", "| ---", "[!")) assertFalse(text.contains(syntax), syntax + " in\n" + text);
    assertTrue(text.contains("CAUTION: Stopped."), text);
    assertTrue(text.contains("x|y  1"), text);
    assertTrue(text.contains("    app = \"x\""), text);
  }
}
