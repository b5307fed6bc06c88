package dev.flyover.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pg_restore's stderr. pg_restore exits 1 whenever it ignored an error, cosmetic or not, so exit codes
 * alone cannot tell a finished restore from a broken one: each error is classed benign (nothing the app relies
 * on is missing) or fatal.
 */
final class RestoreLog {
  private static final Pattern IGNORED = Pattern.compile("errors ignored on restore: (\\d+)");
  /** Errors that lose nothing: comments on extensions owned by the platform, settings the target does not know. */
  private static final List<Pattern> BENIGN = List.of(
      Pattern.compile("must be owner of extension (plpgsql|pg_stat_statements|plpgsql_check)"),
      // A target role that is no superuser (Fly Managed Postgres) did not create the extension (`fly mpg` did), so
      // it cannot re-comment it: the extension is there, only pg_dump's copy of its stock description is skipped.
      Pattern.compile("must be owner of extension \\S+ \\(COMMENT ON EXTENSION "),
      Pattern.compile("unrecognized configuration parameter \"transaction_timeout\""),
      Pattern.compile("schema \"public\" already exists"));

  final List<String> benign = new ArrayList<>();
  final List<String> fatal = new ArrayList<>();
  int ignoredCount = -1;

  static RestoreLog parse(List<String> stderr) {
    return parse(stderr, List.of());
  }

  /**
   * {@code kept}: extensions the target already had in the same schema (installed by its platform), kept as they
   * are: their schema exists and their comment is not the target user's to set.
   */
  static RestoreLog parse(List<String> stderr, List<Catalog.Extension> kept) {
    List<Pattern> benign = new ArrayList<>(BENIGN);
    for (Catalog.Extension e : kept) {
      benign.add(Pattern.compile("schema \"" + Pattern.quote(e.schema()) + "\" already exists"));
      benign.add(Pattern.compile("must be owner of extension " + Pattern.quote(e.name()) + "( |$)"));
    }
    RestoreLog log = new RestoreLog();
    for (int i = 0; i < stderr.size(); i++) {
      String line = stderr.get(i);
      Matcher m = IGNORED.matcher(line);
      if (m.find()) {
        log.ignoredCount = Integer.parseInt(m.group(1));
        continue;
      }
      int at = line.indexOf("error: ");
      if (!line.startsWith("pg_restore: ") || at < 0) continue;
      String text = line.substring(at + "error: ".length()).strip();
      if (text.startsWith("could not execute query: ")) text = text.substring("could not execute query: ".length());
      if (i + 1 < stderr.size() && stderr.get(i + 1).startsWith("Command was: ")) {
        text = text + " (" + abbreviate(stderr.get(i + 1).substring("Command was: ".length())) + ")";
      }
      final String t = text;
      if (benign.stream().anyMatch(p -> p.matcher(t).find())) log.benign.add(t); else log.fatal.add(t);
    }
    return log;
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ').strip();
    return one.length() > 160 ? one.substring(0, 160) + "…" : one;
  }

  boolean ok() {
    return fatal.isEmpty();
  }
}
