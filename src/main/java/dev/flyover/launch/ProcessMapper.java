package dev.flyover.launch;

import dev.flyover.cutover.DynoSizes;
import dev.flyover.heroku.Formation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import static dev.flyover.actions.JobSummary.code;

/**
 * Heroku process types (Procfile + formation) → Fly process groups. Heroku runs every Procfile line through
 * bash in the slug; Fly splits the command with shlex and hands the words to the image (flyctl
 * {@code internal/appconfig/machines.go}: {@code init.cmd}), with no shell. And a Phoenix release has no
 * {@code mix}: its commands are the release's scripts ({@code mix phx.gen.release} writes {@code bin/server} and
 * {@code bin/migrate} next to {@code bin/APP}, under {@code /app} in its Dockerfile). So every command is rewritten
 * for the image, or flagged when it cannot be, never copied blindly.
 */
public final class ProcessMapper {
  /** The directory {@code mix phx.gen.release --docker}'s Dockerfile installs the release in. */
  static final String RELEASE_DIR = "/app/bin/";
  private static final Pattern ENV_ASSIGN = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=\\S*$");
  private static final Pattern SHELL = Pattern.compile("[$&|;<>`(){}*?~]");

  /** A process group for fly.toml. */
  public record Group(String name, String herokuCommand, String command, String why, int quantity, String dynoSize,
      Optional<DynoSizes.Mapping> vm) {}

  /** A Heroku process type that gets no group, and why. */
  public record Left(String name, String herokuCommand, String why, boolean needsYou) {}

  /** The release phase, with the command for fly.toml when there is one. */
  public record Release(String herokuCommand, Optional<String> command, String why) {}

  public record Result(List<Group> groups, List<Left> left, Optional<Release> release, List<String> warnings) {}

  /** A command as the image needs it, or empty with the reason. */
  public record Rewrite(Optional<String> command, String why) {
    static Rewrite to(String cmd, String why) {
      return new Rewrite(Optional.of(cmd), why);
    }

    static Rewrite no(String why) {
      return new Rewrite(Optional.empty(), why);
    }
  }

  private final RepoScan.Stack stack;
  private final Optional<String> releaseName;
  private final boolean ecto;

  /** For the repository as it stands (the cutover's plan maps with this too: one definition of the rewrites). */
  public static ProcessMapper of(RepoScan repo) {
    return new ProcessMapper(repo.stack(), repo.mixApp(), repo.ecto());
  }

  public ProcessMapper(RepoScan.Stack stack, Optional<String> releaseName, boolean ecto) {
    this.stack = stack;
    this.releaseName = releaseName;
    this.ecto = ecto;
  }

  private boolean release() {
    return stack == RepoScan.Stack.PHOENIX || stack == RepoScan.Stack.ELIXIR;
  }

  /**
   * @param commands process type → command (the repository's Procfile, else the running slug's process types)
   * @param formation Heroku's formation: which types run, how many, on which dyno size
   */
  public Result map(Map<String, String> commands, List<Formation> formation) {
    Map<String, Formation> byType = new LinkedHashMap<>();
    for (Formation f : formation) byType.put(f.type(), f);
    List<String> types = new ArrayList<>();
    if (commands.containsKey("web") || byType.containsKey("web")) types.add("web");
    commands.keySet().stream().filter(t -> !t.equals("web") && !t.equals("release")).forEach(types::add);
    byType.keySet().stream().filter(t -> !types.contains(t) && !t.equals("release")).forEach(types::add);
    List<Group> groups = new ArrayList<>();
    List<Left> left = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (String type : types) {
      Formation f = byType.get(type);
      String heroku = commands.getOrDefault(type, f == null ? null : f.command());
      int quantity = f == null ? (type.equals("web") ? 1 : 0) : f.quantity();
      if (heroku == null || heroku.isBlank()) {
        left.add(new Left(type, "", "Heroku has no command for it", true));
        continue;
      }
      if (quantity == 0) {
        left.add(new Left(type, heroku, "0 dynos on Heroku: no group, so Fly does not start machines Heroku does not run"
            + " (add it to [processes] when you need it)", false));
        continue;
      }
      Rewrite r = rewrite(type, heroku);
      if (r.command().isEmpty()) {
        left.add(new Left(type, heroku, r.why(), true));
        continue;
      }
      String size = f == null ? null : f.size();
      Optional<DynoSizes.Mapping> vm = DynoSizes.forHeroku(size);
      if (size != null && vm.isEmpty()) {
        warnings.add("The " + type + " dynos are " + size + ", a size flyover has no Fly equivalent for: fly.toml sets no"
            + " [[vm]] for " + type + ", so Fly's default (shared-cpu-1x, 256 MB) applies until you add one.");
      }
      groups.add(new Group(type, heroku, r.command().get(), r.why(), quantity, size, vm));
    }
    Optional<Release> release = Optional.ofNullable(commands.get("release")).map(cmd -> {
      Rewrite r = rewriteRelease(cmd);
      return new Release(cmd, r.command(), r.why());
    });
    return new Result(List.copyOf(groups), List.copyOf(left), release, List.copyOf(warnings));
  }

  /** A Procfile command of a process type, as a fly.toml [processes] entry runs it in the image. */
  public Rewrite rewrite(String type, String heroku) {
    if (heroku.indexOf('\n') >= 0 || heroku.indexOf('\r') >= 0) return Rewrite.no("the command spans several lines, which no Procfile line can");
    Optional<List<String>> split = Shlex.split(heroku);
    if (split.isEmpty() || split.get().isEmpty()) return Rewrite.no("flyctl cannot split the command (an unclosed quote)");
    List<String> words = new ArrayList<>(split.get());
    List<String> assigns = new ArrayList<>();
    while (!words.isEmpty() && ENV_ASSIGN.matcher(words.get(0)).matches()) assigns.add(words.remove(0));
    if (release()) return rewriteForRelease(type, heroku, words, assigns);
    return keepWithShell(heroku);
  }

  /** A Phoenix or Elixir release: {@code mix} tasks become the release's scripts. */
  private Rewrite rewriteForRelease(String type, String heroku, List<String> words, List<String> assigns) {
    if (releaseName.isEmpty()) return Rewrite.no("the release name is unknown (no `app:` in mix.exs), so the release's command cannot be named");
    String bin = RELEASE_DIR + releaseName.get();
    List<String> mix = mixTask(words);
    String extra = assigns.stream().filter(a -> !a.startsWith("MIX_ENV=")).findAny().map(a -> "; Heroku also set "
        + code(String.join(" ", assigns.stream().filter(x -> !x.startsWith("MIX_ENV=")).toList()))
        + " for it, which belongs in [env] if the release needs it").orElse("");
    if (mix.isEmpty()) {
      if (!words.isEmpty() && (words.get(0).startsWith("bin/") || words.get(0).startsWith("/app/bin/"))) {
        return Rewrite.to(heroku, "already a release command" + extra);
      }
      return Rewrite.no("not a mix task flyover can map to the release (" + code(heroku) + "): give it a release"
          + " command, such as " + code(bin + " eval \"MyApp.Task.run()\""));
    }
    String task = mix.get(0);
    List<String> args = mix.subList(1, mix.size());
    if (task.equals("phx.server") && args.isEmpty()) {
      return Rewrite.to(RELEASE_DIR + "server", "a release has no mix: `bin/server` (from `mix phx.gen.release`)"
          + " starts it with PHX_SERVER=true, the release's `phx.server`" + extra);
    }
    if (task.equals("run") && args.equals(List.of("--no-halt"))) {
      return Rewrite.to(bin + " start", "a release has no mix: `bin/" + releaseName.get() + " start` boots the"
          + " application and keeps running, as `mix run --no-halt` did (no web server without PHX_SERVER)" + extra);
    }
    return Rewrite.no(code("mix " + String.join(" ", mix)) + " needs mix, which a release does not have: rewrite it as "
        + code(bin + " eval \"…\"") + " (or a module started by the application) and add it to [processes]");
  }

  /** {@code mix TASK …}, also behind {@code elixir … -S mix}; empty when the command is not a mix task. */
  private static List<String> mixTask(List<String> words) {
    if (words.isEmpty()) return List.of();
    if (words.get(0).equals("mix")) return words.size() > 1 ? words.subList(1, words.size()) : List.of();
    if (words.get(0).equals("elixir") || words.get(0).equals("iex")) {
      int s = words.indexOf("-S");
      if (s >= 0 && s + 1 < words.size() && words.get(s + 1).equals("mix")) {
        return s + 2 < words.size() ? words.subList(s + 2, words.size()) : List.of();
      }
    }
    return List.of();
  }

  /** Other stacks run the same command in the image, wrapped in sh when it used the shell Heroku gave it. */
  private static Rewrite keepWithShell(String heroku) {
    if (!SHELL.matcher(heroku).find()) return Rewrite.to(heroku, "the same command, run in the image");
    Optional<String> quoted = Shlex.quote(heroku);
    if (quoted.isEmpty()) {
      return Rewrite.no("it relies on Heroku's shell and holds a single quote, so it cannot be wrapped in `sh -c` safely:"
          + " move it into a script in the repository and name that script");
    }
    return Rewrite.to("/bin/sh -c " + quoted.get(), "Heroku ran it through a shell ($VARS, &&, pipes); Fly does not,"
        + " so it runs under `sh -c`");
  }

  /** The Procfile's release phase, as fly.toml's [deploy] release_command runs it in the image. */
  public Rewrite rewriteRelease(String heroku) {
    if (heroku.indexOf('\n') >= 0 || heroku.indexOf('\r') >= 0) return Rewrite.no("the command spans several lines, which no Procfile line can");
    Optional<List<String>> split = Shlex.split(heroku);
    if (split.isEmpty() || split.get().isEmpty()) return Rewrite.no("flyctl cannot split the command (an unclosed quote)");
    List<String> words = new ArrayList<>(split.get());
    while (!words.isEmpty() && ENV_ASSIGN.matcher(words.get(0)).matches()) words.remove(0);
    if (!release()) return keepWithShell(heroku);
    List<String> mix = mixTask(words);
    if (mix.equals(List.of("ecto.migrate"))) {
      if (stack == RepoScan.Stack.PHOENIX && ecto) {
        return Rewrite.to(RELEASE_DIR + "migrate", "a release has no mix: `bin/migrate` (from `mix phx.gen.release`,"
            + " which writes it for Ecto apps) runs the release's migrations");
      }
      return Rewrite.no("`mix ecto.migrate` needs mix; without `mix phx.gen.release` there is no `bin/migrate`: write a"
          + " release migrate function and set `release_command` to " + code(RELEASE_DIR + releaseName.orElse("APP")
          + " eval \"MyApp.Release.migrate()\""));
    }
    if (!words.isEmpty() && (words.get(0).startsWith("bin/") || words.get(0).startsWith("/app/bin/"))) {
      return Rewrite.to(heroku, "already a release command");
    }
    return Rewrite.no(code(heroku) + " needs mix, which a release does not have: set `release_command` to a release"
        + " command such as " + code(RELEASE_DIR + releaseName.orElse("APP") + " eval \"…\""));
  }
}
