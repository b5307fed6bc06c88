package dev.flyover.launch;

import static dev.flyover.actions.JobSummary.code;

import java.util.List;

/**
 * The pull request's description and the job summary: the Heroku → Fly table, the questions, the warnings, the
 * files, anything to add by hand, and the next steps. Outside text reaches it only through the plan's rows,
 * which quote it as code, or through {@link dev.flyover.actions.JobSummary#inline}.
 */
final class LaunchReport {
  /** Marks the description as flyover's, for people and for later runs. */
  static final String MARKER = "<!-- flyover launch -->";

  private LaunchReport() {}

  /** @param enabled how the run's surface switches an option on ("overwrite: true" / "--overwrite") */
  static String body(LaunchPlan p, List<String> written, List<String> kept, List<LaunchPlan.GeneratedFile> byHand,
      List<String> existing, java.util.function.UnaryOperator<String> enabled) {
    StringBuilder sb = new StringBuilder(MARKER).append('\n');
    sb.append("## Heroku → Fly.io for ").append(code(p.herokuApp())).append("\n\n");
    sb.append("flyover read the Heroku app ").append(code(p.herokuApp())).append(" (never changing it) and this repository,"
        + " and wrote what Fly needs to run it as ").append(code(p.flyApp())).append(". Nothing is deployed until you say so.\n\n");
    sb.append(table(p));
    if (!p.questions().isEmpty()) {
      sb.append("\n### Questions for you\n\n");
      for (String q : p.questions()) sb.append("- ").append(q).append('\n');
    }
    if (!p.warnings().isEmpty()) {
      sb.append("\n### Warnings\n\n");
      for (String w : p.warnings()) sb.append("- ").append(w).append('\n');
    }
    sb.append("\n### Files\n\n");
    for (LaunchPlan.GeneratedFile f : p.files()) {
      String state = written.contains(f.path()) ? "" : kept.contains(f.path()) ? " — **kept as you changed it on this"
          + " branch** (run with " + code(enabled.apply("overwrite")) + " to replace it)" : existing.contains(f.path()) ? " — **already in the"
          + " repository, left as it is** (" + code(enabled.apply("overwrite")) + " replaces it)" : byHand.contains(f) ? " — **add it by hand, below**" : "";
      sb.append("- ").append(code(f.path())).append(": ").append(f.why()).append(state).append('\n');
    }
    for (String w : written) {
      if (p.file(w).isEmpty()) sb.append("- ").append(code(w)).append(": generated in the workflow before launch, carried as it is\n");
    }
    for (LaunchPlan.GeneratedFile f : p.files()) {
      if (f.workflow() || written.contains(f.path()) || !(kept.contains(f.path()) || existing.contains(f.path()))) continue;
      sb.append("\n<details><summary>flyover's ").append(escapeHtml(f.path())).append(", not committed</summary>\n\n")
          .append(fence(f.content(), f.path().endsWith(".toml") ? "toml" : "")).append("\n</details>\n");
    }
    if (!byHand.isEmpty()) {
      sb.append("\n### Add by hand\n\nThe token this run used has no `workflows` permission (`GITHUB_TOKEN` never has it),"
          + " so GitHub refused the workflow files. Add them in a commit of your own (or re-run launch with a token that"
          + " has it):\n");
      for (LaunchPlan.GeneratedFile f : byHand) {
        sb.append("\n").append(code(f.path())).append(":\n\n").append(fence(f.content(), "yaml"));
      }
    }
    if (p.file("rel/env.sh.eex").isEmpty() && p.warnings().stream().anyMatch(w -> w.startsWith("rel/env.sh.eex"))) {
      sb.append("\n### rel/env.sh.eex settings for Fly\n\n").append(fence(BuildAdvice.ENV_SH_EEX, "sh"));
    }
    sb.append("\n### Next steps\n\n");
    int i = 1;
    for (String s : p.nextSteps()) sb.append(i++).append(". ").append(s).append('\n');
    return sb.toString();
  }

  static String table(LaunchPlan p) {
    StringBuilder sb = new StringBuilder("| Heroku | Fly.io | Why |\n| --- | --- | --- |\n");
    for (LaunchPlan.Row r : p.mapping()) sb.append("| ").append(cell(r.heroku())).append(" | ").append(cell(r.fly()))
        .append(" | ").append(cell(r.why())).append(" |\n");
    return sb.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  static String fence(String text, String lang) {
    String fence = "```";
    while (text.contains(fence)) fence += "`";
    return fence + lang + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence + "\n";
  }

  private static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String title(LaunchPlan p) {
    return "Run " + p.herokuApp() + " on Fly.io (flyover launch)";
  }
}
