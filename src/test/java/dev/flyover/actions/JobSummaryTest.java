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
}
