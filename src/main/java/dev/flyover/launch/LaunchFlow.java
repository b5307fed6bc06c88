package dev.flyover.launch;

import dev.flyover.Context;
import dev.flyover.Outcome;
import dev.flyover.UserError;
import dev.flyover.actions.JobSummary;
import dev.flyover.fly.Flyctl;
import dev.flyover.fly.FlyctlException;
import dev.flyover.heroku.HerokuClient;
import dev.flyover.proc.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code launch}: read the Heroku app and the repository, plan the Fly app ({@link LaunchPlan}), check the
 * fly.toml against flyctl's rules, then deliver: a pull request (in Actions), the files in the working tree (in a
 * terminal), or nothing at all (dry run). Heroku is only read; Fly is touched only to create a missing app when
 * {@code create-app} asks for it.
 */
public final class LaunchFlow {
  /** Fly app names: lowercase letters, digits and dashes (what `fly apps create` accepts). */
  private static final Pattern FLY_APP = Pattern.compile("^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$");

  private final Context ctx;
  private final HerokuClient heroku;

  public LaunchFlow(Context ctx, HerokuClient heroku) {
    this.ctx = ctx;
    this.heroku = heroku;
  }

  public int run(LaunchRequest req) {
    HerokuFacts facts = HerokuFacts.read(heroku, req.herokuApp());
    RepoScan repo = RepoScan.of(req.directory());
    // The fly-app input, else the app an existing fly.toml names, else the Heroku app's name.
    String flyApp = req.flyApp().map(String::strip)
        .or(() -> repo.flyToml() ? dev.flyover.fly.FlyToml.find(req.directory(), Optional.empty()).flatMap(dev.flyover.fly.FlyToml::app) : Optional.empty())
        .orElse(facts.app().name()).toLowerCase(Locale.ROOT);
    if (!FLY_APP.matcher(flyApp).matches()) {
      throw new UserError("The " + ctx.optionName("fly-app") + " '" + flyApp + "' is not a Fly app name: use lowercase"
          + " letters, digits and dashes.");
    }
    Optional<String> sub = subdirectory(req);
    // The branch the run was started from: a manual launch runs on the default branch, whose pushes should deploy.
    String deployBranch = ctx.env().get("GITHUB_REF").filter(r -> r.startsWith("refs/heads/"))
        .map(r -> r.substring("refs/heads/".length())).filter(b -> b.matches("[A-Za-z0-9._/-]+")).orElse("main");
    LaunchPlan plan = LaunchPlan.of(flyApp, req.org(), repo, facts, sub, deployBranch, req.createApp(), ctx::enabled);
    String toml = plan.file("fly.toml").orElseThrow().content();
    List<String> problems = FlyTomlWriter.check(toml, plan);
    if (!problems.isEmpty()) {
      throw new UserError("flyover wrote a fly.toml that flyctl would refuse (" + String.join("; ", problems)
          + "): nothing was changed; report it at the project's issue tracker with the Procfile.");
    }
    List<Deliverable> files = deliverables(plan, req, sub);
    List<String> existing = files.stream().filter(d -> d.generated && Files.exists(d.local)).map(d -> d.file.path()).toList();

    for (String w : plan.warnings()) ctx.console().warn(w);
    for (String q : plan.questions()) ctx.console().warn(q);

    if (req.dryRun()) return dryRun(plan, files, existing);
    boolean pr = ctx.env().get("GITHUB_REPOSITORY").isPresent() && req.githubToken().isPresent();
    if (!pr && ctx.env().inActions()) {
      throw new UserError("launch opens a pull request, which needs the " + ctx.optionName("github-token")
          + " (default: the job's GITHUB_TOKEN, with `contents: write` and `pull-requests: write`).");
    }
    if (!pr && !existing.isEmpty() && !req.overwrite()) {
      throw new UserError(String.join(", ", existing) + (existing.size() == 1 ? " already exists" : " already exist")
          + " in " + req.directory() + ": nothing was written; re-run with " + ctx.optionName("overwrite")
          + " to replace " + (existing.size() == 1 ? "it" : "them") + ", or --dry-run to see what launch would write.");
    }
    createAppIfAsked(req, plan);
    if (pr) return pullRequest(plan, req, files, existing);
    return writeFiles(plan, files);
  }

  /** A file and where it goes: {@code repoPath} inside the repository, {@code local} in the working tree. */
  private record Deliverable(LaunchPlan.GeneratedFile file, String repoPath, Path local, boolean generated) {}

  private List<Deliverable> deliverables(LaunchPlan plan, LaunchRequest req, Optional<String> sub) {
    List<Deliverable> out = new ArrayList<>();
    String prefix = sub.map(s -> s + "/").orElse("");
    for (LaunchPlan.GeneratedFile f : plan.files()) {
      String repoPath = f.workflow() ? f.path() : prefix + f.path();
      out.add(new Deliverable(f, repoPath, req.repoRoot().resolve(repoPath), true));
    }
    // What the generator step wrote before launch (mix phx.gen.release --docker…), carried into the PR as it is.
    for (String path : plan.build().generatedPaths()) {
      Path local = req.directory().resolve(path);
      if (!Files.isRegularFile(local)) continue;
      try {
        String text = Files.readString(local, StandardCharsets.UTF_8);
        boolean exec = Files.isExecutable(local);
        out.add(new Deliverable(new LaunchPlan.GeneratedFile(path, text, exec, "generated before launch"), prefix + path, local, false));
      } catch (IOException e) {
        throw new UserError("Could not read " + local + " (" + e.getMessage() + "): check the files the generator step wrote.");
      }
    }
    return out;
  }

  private Optional<String> subdirectory(LaunchRequest req) {
    Path rel = req.repoRoot().toAbsolutePath().normalize().relativize(req.directory().toAbsolutePath().normalize());
    String s = rel.toString().replace('\\', '/');
    if (s.startsWith("..")) {
      throw new UserError("The " + ctx.optionName("working-directory") + " is outside the repository: point it at the app's directory inside it.");
    }
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private int dryRun(LaunchPlan plan, List<Deliverable> files, List<String> existing) {
    ctx.console().info("Dry run: nothing is written, committed or created.");
    for (Deliverable d : files) {
      // result(): line by line, so no line of a file can pass for a workflow command.
      ctx.console().result("--- " + d.repoPath + (existing.contains(d.file.path()) ? " (exists; kept unless overwrite)" : "")
          + (d.generated ? "" : " (carried as generated)") + " ---\n" + (d.generated ? d.file.content() : "(" + d.file.content().length() + " characters)"));
    }
    ctx.outputs().set("files", String.join(",", files.stream().map(Deliverable::repoPath).toList()));
    JobSummary s = ctx.summary();
    s.heading(2, "flyover launch (dry run): " + plan.herokuApp() + " → " + plan.flyApp());
    s.markdown(LaunchReport.body(plan, List.of(), List.of(), List.of(), existing, ctx::enabled));
    s.code("toml", plan.file("fly.toml").orElseThrow().content());
    return 0;
  }

  private int writeFiles(LaunchPlan plan, List<Deliverable> files) {
    List<String> written = new ArrayList<>();
    for (Deliverable d : files) {
      if (!d.generated) continue; // already in the working tree
      try {
        Files.createDirectories(d.local.getParent());
        Files.writeString(d.local, d.file.content(), StandardCharsets.UTF_8);
        if (d.file.executable()) {
          Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(d.local));
          perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
          Files.setPosixFilePermissions(d.local, perms);
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw new UserError("Could not write " + d.local + " (" + e.getMessage() + ")" + (written.isEmpty() ? "" : "; already"
            + " written: " + String.join(", ", written)) + ": check the directory's permissions and re-run with --overwrite.")
            .withDone(new Written(List.copyOf(written)));
      }
      written.add(d.repoPath);
      ctx.console().info("Wrote " + d.repoPath);
    }
    ctx.outputs().set("files", String.join(",", written));
    ctx.summary().heading(2, "flyover launch: " + plan.herokuApp() + " → " + plan.flyApp());
    ctx.summary().markdown(LaunchReport.body(plan, plan.files().stream().map(LaunchPlan.GeneratedFile::path).toList(),
        List.of(), List.of(), List.of(), ctx::enabled));
    return 0;
  }

  /** The files a terminal launch wrote before it stopped: the {@code files} output names them. */
  private record Written(List<String> files) implements Outcome {
    @Override
    public void report(Context ctx) {
      ctx.outputs().set("files", String.join(",", files));
    }

    @Override
    public List<String> done() {
      return List.of(files.isEmpty() ? "No file was written." : "Written: " + String.join(", ", files) + ".");
    }
  }

  private int pullRequest(LaunchPlan plan, LaunchRequest req, List<Deliverable> files, List<String> existing) {
    String api = ctx.env().getOrDefault("GITHUB_API_URL", "https://api.github.com").replaceAll("/+$", "");
    String repoName = ctx.env().get("GITHUB_REPOSITORY").orElseThrow();
    req.githubToken().ifPresent(ctx.console()::mask);
    List<LaunchPlan.GeneratedFile> send = new ArrayList<>();
    for (Deliverable d : files) {
      // A file already on the checked-out default branch is the user's: kept unless overwrite.
      if (d.generated && existing.contains(d.file.path()) && !req.overwrite()) continue;
      send.add(new LaunchPlan.GeneratedFile(d.repoPath, d.file.content(), d.file.executable(), d.file.why()));
    }
    PullRequest pr = new PullRequest(ctx.console(), api, req.githubToken().get(), repoName, req.branch(), req.overwrite(),
        ctx::optionName);
    PullRequest.Outcome o = pr.open(LaunchReport.title(plan), plan.flyApp(), send,
        draft -> LaunchReport.body(plan, local(draft.committed(), req), local(draft.keptUserChanges(), req),
            unprefix(draft.workflowsByHand(), plan), existing, ctx::enabled));
    if (o.number() == 0) {
      ctx.outputs().set("files", "");
      ctx.summary().heading(2, "flyover launch: " + plan.herokuApp() + " → " + plan.flyApp());
      ctx.summary().markdown("No pull request: the repository already holds everything launch would write"
          + " (set " + JobSummary.code(ctx.enabled("overwrite")) + " to replace those files with flyover's).");
      ctx.summary().markdown(LaunchReport.table(plan));
      return 0;
    }
    ctx.outputs().set("pull-request-url", o.url());
    ctx.outputs().set("pull-request-number", String.valueOf(o.number()));
    ctx.outputs().set("files", String.join(",", o.committed()));
    if (!o.workflowsByHand().isEmpty()) {
      ctx.console().warn("The github-token has no `workflows` permission, so " + String.join(", ", o.workflowsByHand().stream()
          .map(LaunchPlan.GeneratedFile::path).toList()) + " is not in the pull request's commit: add it by hand (its text is in the"
          + " pull request's description), or re-run with a token that has the permission.");
    }
    if (!o.keptUserChanges().isEmpty()) {
      ctx.console().warn("Kept your changes on " + req.branch() + " to " + String.join(", ", o.keptUserChanges())
          + "; set " + ctx.optionName("overwrite") + " to replace them.");
    }
    ctx.console().info((o.created() ? "Opened " : "Updated ") + "pull request #" + o.number() + ": " + o.url());
    JobSummary s = ctx.summary();
    s.heading(2, "flyover launch: " + plan.herokuApp() + " → " + plan.flyApp());
    s.markdown((o.created() ? "Opened " : "Updated ") + JobSummary.link("pull request #" + o.number(), o.url())
        + (o.commit().isPresent() ? " with " + o.committed().size() + " files in one commit." : "; its branch already held these files.")
        + (o.workflowsByHand().isEmpty() ? "" : " **Add the workflow file by hand:** the token has no `workflows`"
            + " permission (its text is in the pull request)."));
    s.markdown(LaunchReport.table(plan));
    return 0;
  }

  /** Repository paths back to the plan's (app-relative) paths, for the description's file list. */
  private static List<String> local(List<String> repoPaths, LaunchRequest req) {
    Path root = req.repoRoot().toAbsolutePath().normalize();
    Path dir = req.directory().toAbsolutePath().normalize();
    List<String> out = new ArrayList<>();
    for (String p : repoPaths) {
      Path abs = root.resolve(p).normalize();
      out.add(p.startsWith(".github/workflows/") || !abs.startsWith(dir) ? p : dir.relativize(abs).toString().replace('\\', '/'));
    }
    return out;
  }

  private static List<LaunchPlan.GeneratedFile> unprefix(List<LaunchPlan.GeneratedFile> files, LaunchPlan plan) {
    return files.stream().map(f -> plan.file(f.path()).orElse(f)).toList();
  }

  /** Fly app: created in the org when create-app is set and the app is missing; else the PR says how. */
  private void createAppIfAsked(LaunchRequest req, LaunchPlan plan) {
    if (!req.createApp()) return;
    Flyctl fly = new Flyctl(ctx.env(), ctx.console(), req.flyToken());
    Subprocess.Result status = fly.call("status", "-a", plan.flyApp(), "--json").quiet().noCheck().run();
    if (status.exitCode() == 0) {
      ctx.console().info("The Fly app " + plan.flyApp() + " exists.");
      return;
    }
    try {
      fly.createApp(plan.flyApp(), req.org());
    } catch (FlyctlException e) {
      String why = e.flyError().orElse("").toLowerCase(Locale.ROOT);
      if (why.contains("organization") && why.contains("not found") && req.org().isPresent()) {
        throw new UserError("create-app could not create " + plan.flyApp() + ": Fly knows no organization '" + req.org().get()
            + "' for this token; fix " + ctx.optionName("org") + " (`fly orgs list` shows the slugs).");
      }
      if (why.contains("org slug must be specified")) {
        throw new UserError("create-app could not create " + plan.flyApp() + ": the token sees several organizations; set "
            + ctx.optionName("org") + " to the one for this app.");
      }
      throw new UserError("create-app could not create the Fly app " + plan.flyApp() + " (" + e.flyError().orElse("flyctl failed")
          + "): use an org token (`fly tokens create org`), or create it with `fly apps create " + plan.flyApp() + "`.");
    }
  }
}
