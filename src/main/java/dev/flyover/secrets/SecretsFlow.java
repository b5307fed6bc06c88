package dev.flyover.secrets;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.fly.Flyctl;
import dev.flyover.fly.FlyctlException;
import dev.flyover.heroku.Domain;
import dev.flyover.heroku.HerokuClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Moves config vars to Fly secrets: read them (Heroku API or a file), mask every value before anything else
 * prints, plan (exclusions, include/exclude, rename, what Fly already has), refuse up front any value no route
 * carries exactly, then send the values on flyctl's stdin only, in one {@code secrets import} stream checked
 * against a model of flyctl's parser, plus one {@code secrets set NAME=-} per value the stream cannot carry.
 * Used by {@code flyover secrets} and by the cutover; the result writes the outputs and summary ({@link SecretsResult#report}).
 */
public final class SecretsFlow {
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** A non-staged call restarts every machine. */
  private static final Duration FLYCTL_TIMEOUT = Duration.ofMinutes(30);

  private final Context ctx;
  private final Flyctl flyctl;
  private final Optional<HerokuClient> heroku;

  /** @param heroku the client; needed when the request reads Heroku, optional with a file (then add-ons are read) */
  public SecretsFlow(Context ctx, Flyctl flyctl, Optional<HerokuClient> heroku) {
    this.ctx = ctx;
    this.flyctl = flyctl;
    this.heroku = heroku;
  }

  /** @param publicValues this run's public identifiers (see {@link MaskPolicy#publicIdentifiers}) */
  private record Source(String label, Map<String, String> vars, Exclusions exclusions, Map<String, String> refused,
      List<String> publicValues) {}

  /** Runs the request; throws a {@link UserError} carrying the plan and what was set so far when it stops. */
  public SecretsResult run(SecretsRequest req) {
    Console con = ctx.console();
    Source src = load(req, true);
    // Masks first: nothing below may print before every value is registered.
    MaskPolicy.configVars(con, src.vars(), src.publicValues());
    con.info("Read " + count(src.vars().size(), "config var") + " from " + src.label() + ".");

    con.info("Listing the secrets already on Fly app " + req.flyApp() + ".");
    Set<String> onFly = flyNames(req.flyApp());
    List<PlanEntry> plan = plan(req, src, onFly);
    printPlan(plan, req, onFly);
    // Skipped by name, the rest still moves: say so where it stands out, with the way to move it after all.
    for (PlanEntry e : plan) {
      if (e.action() == PlanEntry.Action.INVALID) {
        String shown = e.flyName().equals(e.name()) ? e.name() : e.name() + " (renamed " + e.flyName() + ")";
        con.warn(shown + " is not moved: " + e.reason() + ". Give it such a name with "
            + ctx.optionName("rename") + " (OLD=NEW) to move it.");
      }
    }
    SecretsResult planned = new SecretsResult(src.label(), req.flyApp(), plan, req.dryRun(), req.stage(), false, List.of());

    List<PlanEntry> refused = planned.refused();
    if (req.dryRun()) {
      for (PlanEntry e : refused) con.warn(e.name() + " cannot be moved exactly: " + e.reason() + ".");
      con.notice("Dry run: nothing was changed on Fly. " + count(plan.stream().filter(PlanEntry::moves).count(), "secret")
          + " would be set on " + req.flyApp() + ".");
      return planned;
    }
    if (!refused.isEmpty()) {
      List<String> names = refused.stream().map(PlanEntry::name).toList();
      throw new UserError((names.size() == 1 ? "The config var " + names.get(0) + " cannot"
          : names.size() + " config vars cannot") + " be moved to Fly exactly (" + refused.get(0).name() + ": "
          + refused.get(0).reason() + (names.size() > 1 ? "; also " + String.join(", ", names.subList(1, names.size())) : "")
          + "), so nothing was changed: leave " + (names.size() == 1 ? "it" : "them") + " out with "
          + ctx.optionName("exclude") + " and set " + (names.size() == 1 ? "it" : "them") + " on Fly by hand.")
          .withDone(planned);
    }

    List<PlanEntry> moving = plan.stream().filter(PlanEntry::moves).toList();
    if (moving.isEmpty()) {
      con.notice("No config var to move to Fly app " + req.flyApp() + ".");
      return new SecretsResult(src.label(), req.flyApp(), plan, false, req.stage(), true, List.of());
    }
    transfer(req, src, moving, planned);
    verify(req, moving, planned);
    SecretsResult done = new SecretsResult(src.label(), req.flyApp(), plan, false, req.stage(), true,
        moving.stream().map(PlanEntry::flyName).toList());
    con.notice(count(moving.size(), "secret") + " " + (req.stage() ? "staged" : "set") + " on Fly app " + req.flyApp()
        + (req.stage() ? "; they take effect at the next deploy." : "."));
    return done;
  }

  /**
   * The plan alone, changing nothing and printing nothing (every value is masked all the same): how a cutover asks
   * whether the secrets are already in place, without a dry run's plan in the middle of its log.
   */
  public List<PlanEntry> planQuietly(SecretsRequest req) {
    Source src = load(req, false);
    MaskPolicy.configVars(ctx.console(), src.vars(), src.publicValues());
    return plan(req, src, flyNames(req.flyApp()));
  }

  // ---------------------------------------------------------------- source

  /** @param loud say what is read (a quiet look only reads) */
  private Source load(SecretsRequest req, boolean loud) {
    if (req.fromFile().isPresent()) {
      Path file = req.fromFile().get();
      String input = ctx.optionName("from-file");
      if (!Files.isRegularFile(file)) {
        throw new UserError("The file " + file + " named by " + input + " does not exist: check the path (relative"
            + " paths start at the working directory).");
      }
      ConfigFile.Parsed parsed = ConfigFile.read(file, input);
      Exclusions ex = Exclusions.byName();
      List<Domain> domains = List.of();
      if (heroku.isPresent() && req.herokuApp().isPresent()) {
        String app = req.herokuApp().get();
        ex = Exclusions.fromAddons(heroku.get().addons(app), heroku.get().addonAttachments(app));
        domains = heroku.get().domains(app);
      }
      return new Source(parsed.format().label() + " file " + file.getFileName(), parsed.vars(), ex, parsed.refused(),
          MaskPolicy.publicIdentifiers(req.herokuApp(), req.flyApp(), domains));
    }
    String app = req.herokuApp().orElseThrow();
    HerokuClient client = heroku.orElseThrow(() -> new UserError("No Heroku API key: set "
        + ctx.optionName("heroku-api-key") + " (or HEROKU_API_KEY), or give the config vars in a file with "
        + ctx.optionName("from-file") + "."));
    if (loud) ctx.console().info("Reading the config vars of Heroku app " + app + ".");
    List<String> publicValues = MaskPolicy.publicIdentifiers(req.herokuApp(), req.flyApp(), client.domains(app));
    Map<String, String> vars = client.configVars(app);
    MaskPolicy.configVars(ctx.console(), vars, publicValues);
    Exclusions ex = Exclusions.fromAddons(client.addons(app), client.addonAttachments(app));
    return new Source("Heroku app " + app, vars, ex, Map.of(), publicValues);
  }

  private Set<String> flyNames(String app) {
    Set<String> names = new HashSet<>();
    flyctl.secrets(app).forEach(n -> names.add(n.name()));
    return names;
  }

  // ---------------------------------------------------------------- plan

  private List<PlanEntry> plan(SecretsRequest req, Source src, Set<String> onFly) {
    List<Glob> include = globs(req.include());
    List<Glob> exclude = globs(req.exclude());
    Map<String, String> rename = renames(req.rename(), src.vars().keySet());
    Set<String> named = new HashSet<>(rename.keySet());
    include.stream().filter(Glob::literal).forEach(g -> named.add(g.text()));

    List<PlanEntry> plan = new ArrayList<>();
    for (Map.Entry<String, String> e : src.vars().entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      String fly = rename.getOrDefault(name, name);
      Optional<String> leftOut = leftOut(name, src.exclusions(), include, exclude, named);
      PlanEntry p;
      if (value == null) {
        p = skip(name, fly, PlanEntry.Action.EXCLUDED, "null on Heroku (being deleted)");
      } else if (leftOut.isPresent()) {
        p = skip(name, fly, PlanEntry.Action.EXCLUDED, leftOut.get());
      } else if (!VALID_NAME.matcher(fly).matches()) {
        p = skip(name, fly, PlanEntry.Action.INVALID, "Fly secrets are environment variables, whose names are letters,"
            + " digits and _ and do not start with a digit");
      } else if (src.refused().containsKey(name)) {
        p = skip(name, fly, PlanEntry.Action.REFUSED, src.refused().get(name));
      } else {
        SecretEncoder.Encoding enc = SecretEncoder.encode(fly, value);
        if (enc.route() == SecretEncoder.Route.NONE) {
          p = new PlanEntry(name, fly, PlanEntry.Action.REFUSED, "no exact route: " + enc.why(), enc.route());
        } else if (onFly.contains(fly) && !req.overwrite()) {
          p = new PlanEntry(name, fly, PlanEntry.Action.KEEP, "already on Fly; kept because "
              + ctx.optionName("overwrite") + " is false (Fly cannot show its value to compare)", enc.route());
        } else if (onFly.contains(fly)) {
          p = new PlanEntry(name, fly, PlanEntry.Action.REPLACE, "already on Fly; Fly cannot show its value to compare,"
              + " so it is replaced (" + ctx.disabled("overwrite") + " keeps it)", enc.route());
        } else {
          p = new PlanEntry(name, fly, PlanEntry.Action.NEW, enc.route() == SecretEncoder.Route.IMPORT ? "" :
              "sent alone by flyctl secrets set NAME=- (the import format cannot carry it)", enc.route());
        }
      }
      plan.add(p);
    }
    Map<String, String> targets = new LinkedHashMap<>();
    for (PlanEntry p : plan) {
      if (!p.moves() && p.action() != PlanEntry.Action.KEEP && p.action() != PlanEntry.Action.REFUSED) continue;
      String before = targets.put(p.flyName(), p.name());
      if (before != null) {
        throw new UserError("Both " + before + " and " + p.name() + " would become the Fly secret " + p.flyName()
            + ": fix " + ctx.optionName("rename") + " or leave one out with " + ctx.optionName("exclude") + ".");
      }
    }
    return plan;
  }

  /**
   * Why a config var stays behind by the exclude and include inputs and the default exclusions, or empty when it
   * moves. {@code named}: names the user gave literally (include without wildcards, rename), which move even when
   * left behind by default.
   */
  static Optional<String> leftOut(String name, Exclusions exclusions, List<Glob> include, List<Glob> exclude,
      Set<String> named) {
    Optional<Glob> ex = exclude.stream().filter(g -> g.matches(name)).findFirst();
    if (ex.isPresent()) return Optional.of("matches exclude pattern " + ex.get().text());
    if (!include.isEmpty() && include.stream().noneMatch(g -> g.matches(name))) return Optional.of("not matched by include");
    Optional<String> byDefault = exclusions.reason(name);
    if (byDefault.isPresent() && !named.contains(name)) return byDefault;
    return Optional.empty();
  }

  /**
   * The Fly secret names these config vars would become, by the same rules as a run (for the cutover's plan,
   * which reads names only); rename lines that are not OLD=NEW are left to the run to refuse.
   */
  public static Set<String> flyNames(Collection<String> names, Exclusions exclusions, List<String> include,
      List<String> exclude, List<String> rename) {
    Map<String, String> renamed = new LinkedHashMap<>();
    for (String line : rename) {
      int eq = line.indexOf('=');
      if (eq > 0 && eq < line.strip().length() - 1) renamed.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    List<Glob> in = globs(include);
    Set<String> named = new HashSet<>(renamed.keySet());
    in.stream().filter(Glob::literal).forEach(g -> named.add(g.text()));
    Set<String> out = new java.util.TreeSet<>();
    for (String n : names) {
      if (leftOut(n, exclusions, in, globs(exclude), named).isEmpty()) out.add(renamed.getOrDefault(n, n));
    }
    return out;
  }

  private static PlanEntry skip(String name, String fly, PlanEntry.Action a, String reason) {
    return new PlanEntry(name, fly, a, reason, SecretEncoder.Route.NONE);
  }

  private static List<Glob> globs(List<String> lines) {
    return lines.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Glob::of).toList();
  }

  private Map<String, String> renames(List<String> lines, Collection<String> names) {
    Map<String, String> out = new LinkedHashMap<>();
    String input = ctx.optionName("rename");
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty()) continue;
      int eq = line.indexOf('=');
      String from = eq < 0 ? "" : line.substring(0, eq).strip();
      String to = eq < 0 ? "" : line.substring(eq + 1).strip();
      if (from.isEmpty() || to.isEmpty()) {
        throw new UserError("The " + input + " line '" + line + "' is not OLD=NEW: write one OLD_NAME=NEW_NAME per line.");
      }
      if (!names.contains(from)) {
        throw new UserError(input + " renames " + from + ", which is not among the config vars read: fix or remove that line.");
      }
      if (!VALID_NAME.matcher(to).matches()) {
        throw new UserError(input + " renames " + from + " to '" + to + "', which cannot be an environment variable"
            + " name: use letters, digits and _, not starting with a digit.");
      }
      out.put(from, to);
    }
    return out;
  }

  private void printPlan(List<PlanEntry> plan, SecretsRequest req, Set<String> onFly) {
    Console con = ctx.console();
    con.info("Plan for Fly app " + req.flyApp() + ":");
    int width = plan.stream().mapToInt(p -> p.name().length()).max().orElse(0);
    for (PlanEntry p : plan) {
      String name = p.name() + (p.flyName().equals(p.name()) ? "" : " -> " + p.flyName());
      con.info("  " + pad(name, width) + "  " + p.action().label() + (p.reason().isEmpty() ? "" : ": " + p.reason()));
    }
    Set<String> untouched = new HashSet<>(onFly);
    plan.forEach(p -> untouched.remove(p.flyName()));
    if (!untouched.isEmpty()) {
      con.info("  (" + count(untouched.size(), "other secret") + " on Fly " + (untouched.size() == 1 ? "is" : "are")
          + " left as " + (untouched.size() == 1 ? "it is)" : "they are)"));
    }
  }

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  // ---------------------------------------------------------------- transfer

  private void transfer(SecretsRequest req, Source src, List<PlanEntry> moving, SecretsResult planned) {
    Map<String, String> forms = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    List<PlanEntry> alone = new ArrayList<>();
    for (PlanEntry p : moving) {
      String value = src.vars().get(p.name());
      if (p.route() == SecretEncoder.Route.IMPORT) {
        forms.put(p.flyName(), SecretEncoder.encode(p.flyName(), value).importValue());
        expected.put(p.flyName(), value);
      } else {
        alone.add(p);
      }
    }
    // The whole stream, checked once more as flyctl will read it.
    if (!forms.isEmpty() && !SecretEncoder.roundTrips(expected, forms)) {
      throw new UserError("flyover's check of the import stream for " + req.flyApp() + " failed, so nothing was sent;"
          + " this is a flyover bug: please report it.").origin(UserError.Origin.UNEXPECTED).withDone(planned);
    }
    int calls = (forms.isEmpty() ? 0 : 1) + alone.size();
    int done = 0;
    List<String> set = new ArrayList<>();
    String mode = req.stage() ? "staged" : "deployed";
    if (!forms.isEmpty()) {
      done++;
      run(req, "import", done == calls, List.of(), SecretEncoder.stream(forms), "Setting " + count(forms.size(), "secret") + " on Fly app " + req.flyApp()
          + " (" + mode + ")", set, moving, planned, src, List.copyOf(forms.keySet()));
      set.addAll(forms.keySet());
    }
    for (PlanEntry p : alone) {
      done++;
      run(req, "set", done == calls, List.of(p.flyName() + "=-"), src.vars().get(p.name()).getBytes(StandardCharsets.UTF_8), "Setting " + p.flyName() + " on Fly app "
          + req.flyApp() + " (" + mode + ")", set, moving, planned, src, List.of(p.flyName()));
      set.add(p.flyName());
    }
  }

  /**
   * One {@code secrets import|set} call: {@code --stage} on every call but, when the user wants a deploy now, the
   * last one (which restarts once). A failure says which secrets are on Fly: a non-staged call may have stored its
   * values before the restart failed (fly/Flyctl#setSecrets).
   */
  private void run(SecretsRequest req, String verb, boolean last, List<String> pairs, byte[] stdin, String title,
      List<String> alreadySet, List<PlanEntry> moving, SecretsResult planned, Source src, List<String> thisCall) {
    boolean stage = req.stage() || !last;
    try {
      flyctl.setSecrets(req.flyApp(), verb, stage, pairs, stdin, title, FLYCTL_TIMEOUT);
    } catch (UserError e) {
      // flyctl's message may quote a line it was given: keep it scrubbed, and drop the exception itself (no cause)
      // so a debug stack trace cannot carry it either.
      boolean stored = e instanceof FlyctlException.SecretsUpdateFailed f && f.stored();
      String why = MaskPolicy.scrub(e.getMessage(), src.vars());
      List<String> set = new ArrayList<>(alreadySet);
      if (stored) set.addAll(thisCall);
      List<String> notSet = moving.stream().map(PlanEntry::flyName).filter(n -> !set.contains(n)).toList();
      String state = set.isEmpty() ? "nothing was set" : String.join(", ", set) + " were set"
          + (notSet.isEmpty() ? "" : ", " + String.join(", ", notSet) + " were not");
      String action = stored
          ? "; the values are stored on Fly but the machines did not restart with them: run `fly secrets deploy -a "
              + req.flyApp() + "` (or deploy) once the cause is fixed"
          : ": fix the cause and re-run (secrets already set are replaced, not duplicated)";
      // What is on Fly now is reported (outputs, summary) as well as said.
      throw new UserError("Setting secrets on Fly app " + req.flyApp() + " failed (" + stripDot(why) + "); " + state
          + action + ".").origin(e instanceof FlyctlException ? e.origin() : UserError.Origin.OUTSIDE)
          .withDone(planned.withSet(set));
    }
  }

  private void verify(SecretsRequest req, List<PlanEntry> moving, SecretsResult planned) {
    Set<String> now = flyNames(req.flyApp());
    List<String> missing = moving.stream().map(PlanEntry::flyName).filter(n -> !now.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw UserError.outside("flyctl reported success but Fly app " + req.flyApp() + " does not list "
          + String.join(", ", missing) + ": check with `fly secrets list -a " + req.flyApp() + "` and re-run.")
          .withDone(planned.withSet(moving.stream().map(PlanEntry::flyName).filter(n -> !missing.contains(n)).toList()));
    }
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
