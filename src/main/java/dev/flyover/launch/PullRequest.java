package dev.flyover.launch;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTreeBuilder;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.extras.HttpClientGitHubConnector;

/**
 * The launch pull request, through github-api's git data calls: the files go in ONE commit on the branch (a tree
 * on the branch head's tree, a commit, a ref), then the PR is opened, or updated when one is open for the branch.
 * A file whose newest commit on the branch is not flyover's was changed by someone: it is kept unless overwrite.
 * GitHub refuses trees touching {@code .github/workflows/} from a token without the {@code workflows} permission
 * (which GITHUB_TOKEN never has): users report 404 from the trees and contents APIs, git pushes say "refusing to
 * allow a GitHub App to create or update workflow"; so a 403/404/422 while workflow files are in the commit is
 * retried once without them, and their text goes in the PR body instead. A ref update that is not a fast forward
 * (someone pushed meanwhile: 422 "Update is not a fast forward") is redone from the new head.
 */
final class PullRequest {
  /** The trailer that marks flyover's commits, so a later run can tell them from the user's. */
  static final String TRAILER = "Flyover-Launch: ";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 3;

  /** What happened: the PR, the files committed, kept (changed by the user) and left for the body (workflows). */
  record Outcome(int number, String url, boolean created, Optional<String> commit, List<String> committed,
      List<String> keptUserChanges, List<LaunchPlan.GeneratedFile> workflowsByHand) {}

  private final Console console;
  private final String api;
  private final String token;
  private final String repoName;
  private final String branch;
  private final boolean overwrite;
  private final Function<String, String> inputName;

  PullRequest(Console console, String api, String token, String repoName, String branch, boolean overwrite,
      Function<String, String> inputName) {
    this.console = console;
    this.api = api;
    this.token = token;
    this.repoName = repoName;
    this.branch = branch;
    this.overwrite = overwrite;
    this.inputName = inputName;
  }

  /**
   * @param files the files with paths relative to the repository root
   * @param body the PR body for an outcome (it lists what was committed and what to add by hand)
   */
  Outcome open(String title, String app, List<LaunchPlan.GeneratedFile> files, Function<Outcome, String> body) {
    GHRepository repo;
    try {
      // HTTP/1.1: the default client's h2c upgrade on plain http:// trips some proxies and test servers.
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
      GitHub gh = new GitHubBuilder().withEndpoint(api).withAppInstallationToken(token)
          .withRateLimitHandler(GitHubRateLimitHandler.FAIL).withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
          .withConnector(new HttpClientGitHubConnector(http)).build();
      repo = gh.getRepository(repoName);
    } catch (IOException e) {
      throw failed("read the repository " + repoName, e);
    }
    String base = repo.getDefaultBranch();
    if (branch.equals(base)) {
      throw new UserError("The " + inputName.apply("launch-branch") + " is '" + branch + "', the default branch: launch"
          + " opens a pull request from its own branch; choose another name (default flyover/launch).");
    }
    boolean withWorkflows = files.stream().anyMatch(LaunchPlan.GeneratedFile::workflow);
    boolean refused = false;
    Commit done = null;
    for (int attempt = 1; attempt <= ATTEMPTS && done == null; attempt++) {
      List<LaunchPlan.GeneratedFile> now = refused ? files.stream().filter(f -> !f.workflow()).toList() : files;
      try {
        done = commit(repo, base, app, now);
      } catch (IOException e) {
        int status = status(e);
        if (status == 422 && attempt < ATTEMPTS && isStale(e)) {
          console.info("The branch " + branch + " moved while flyover committed; starting again from its new head.");
          continue;
        }
        if (withWorkflows && !refused && (status == 403 || status == 404 || status == 422)) {
          console.info("GitHub refused a commit with workflow files (" + status + "): the token has no `workflows`"
              + " permission; committing the other files and putting the workflow in the pull request's description.");
          refused = true;
          attempt--;
          continue;
        }
        throw failed("commit to the branch " + branch, e);
      }
    }
    if (done == null) throw new UserError("The branch " + branch + " kept moving while flyover committed to it: re-run launch.");
    List<LaunchPlan.GeneratedFile> byHand = refused ? files.stream().filter(LaunchPlan.GeneratedFile::workflow).toList() : List.of();
    try {
      Optional<GHPullRequest> existing = findOpen(repo);
      Outcome draft = new Outcome(existing.map(GHPullRequest::getNumber).orElse(0), "", existing.isEmpty(), done.sha,
          done.committed, done.kept, byHand);
      String text = body.apply(draft);
      GHPullRequest pr;
      if (existing.isPresent()) {
        pr = existing.get();
        pr.setTitle(title);
        pr.setBody(text);
        console.info("Updated pull request #" + pr.getNumber() + ".");
      } else {
        try {
          pr = repo.createPullRequest(title, branch, base, text);
          console.info("Opened pull request #" + pr.getNumber() + ".");
        } catch (HttpException e) {
          if (e.getResponseCode() != 422) throw e;
          // 422: a pull request for the branch already exists (a run racing this one), or there is nothing to
          // propose (no commits between the branch and the default branch, or no branch at all).
          Optional<GHPullRequest> raced = findOpen(repo);
          if (raced.isEmpty()) {
            console.info("Nothing to propose: the default branch already has what launch writes (or you kept your own).");
            return new Outcome(0, "", false, done.sha, done.committed, done.kept, byHand);
          }
          pr = raced.get();
          pr.setBody(text);
        }
      }
      return new Outcome(pr.getNumber(), pr.getHtmlUrl().toString(), existing.isEmpty(), done.sha, done.committed,
          done.kept, byHand);
    } catch (IOException e) {
      throw failed("open the pull request from " + branch, e);
    }
  }

  private record Commit(Optional<String> sha, List<String> committed, List<String> kept) {}

  private Commit commit(GHRepository repo, String base, String app, List<LaunchPlan.GeneratedFile> files) throws IOException {
    Optional<GHRef> ref = ref(repo, "heads/" + branch);
    String parent = ref.isPresent() ? ref.get().getObject().getSha() : repo.getRef("heads/" + base).getObject().getSha();
    List<String> kept = new ArrayList<>();
    List<LaunchPlan.GeneratedFile> write = new ArrayList<>();
    for (LaunchPlan.GeneratedFile f : files) {
      if (ref.isPresent() && !overwrite && changedByUser(repo, parent, f.path())) {
        kept.add(f.path());
      } else {
        write.add(f);
      }
    }
    if (write.isEmpty()) return new Commit(Optional.empty(), List.of(), kept);
    String parentTree = newest(repo, parent, null).map(c -> treeOf(c)).orElseThrow(() -> new IOException("no commit " + parent));
    GHTreeBuilder tree = repo.createTree().baseTree(parentTree);
    for (LaunchPlan.GeneratedFile f : write) tree.textEntry(f.path(), f.content(), f.executable());
    String treeSha = tree.create().getSha();
    List<String> paths = write.stream().map(LaunchPlan.GeneratedFile::path).toList();
    if (treeSha.equals(parentTree) && ref.isPresent()) {
      console.info("The branch " + branch + " already holds these files; no new commit.");
      return new Commit(Optional.empty(), List.of(), kept);
    }
    String message = "Fly.io configuration for " + app + " (flyover launch)\n\n"
        + "Written from the Heroku app and this repository: " + String.join(", ", paths) + ".\n"
        + "The pull request description explains every line.\n\n" + TRAILER + app + "\n";
    GHCommit c = repo.createCommit().message(message).tree(treeSha).parent(parent).create();
    if (ref.isPresent()) {
      ref.get().updateTo(c.getSHA1(), false);
    } else {
      repo.createRef("refs/heads/" + branch, c.getSHA1());
    }
    console.info("Committed " + String.join(", ", paths) + " to " + branch + " (" + c.getSHA1().substring(0, 7) + ").");
    return new Commit(Optional.of(c.getSHA1()), paths, kept);
  }

  /** The file's newest commit on the branch is someone else's: a user edit flyover must not overwrite. */
  private boolean changedByUser(GHRepository repo, String head, String path) throws IOException {
    Optional<GHCommit> last = newest(repo, head, path);
    return last.isPresent() && !last.get().getCommitShortInfo().getMessage().contains("\n" + TRAILER);
  }

  private static Optional<GHCommit> newest(GHRepository repo, String from, String path) throws IOException {
    var q = repo.queryCommits().from(from).pageSize(1);
    if (path != null) q.path(path);
    try {
      Iterator<GHCommit> it = q.list().withPageSize(1).iterator();
      return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
    } catch (GHException e) {
      // Paged lists report HTTP failures unchecked; their cause is the IOException with the status.
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private static String treeOf(GHCommit c) {
    try {
      return c.getCommitShortInfo().getTreeSHA1();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Optional<GHPullRequest> findOpen(GHRepository repo) throws IOException {
    String owner = repoName.substring(0, repoName.indexOf('/'));
    try {
      for (GHPullRequest pr : repo.queryPullRequests().head(owner + ":" + branch).state(GHIssueState.OPEN).list()) {
        return Optional.of(pr);
      }
      return Optional.empty();
    } catch (GHException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private static Optional<GHRef> ref(GHRepository repo, String name) throws IOException {
    try {
      return Optional.of(repo.getRef(name));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (HttpException e) {
      if (e.getResponseCode() == 404) return Optional.empty();
      throw e;
    }
  }

  private static int status(IOException e) {
    if (e instanceof HttpException h) return h.getResponseCode();
    if (e instanceof FileNotFoundException) return 404;
    return 0;
  }

  private static boolean isStale(IOException e) {
    String m = String.valueOf(e.getMessage());
    // The wording GitHub uses (issues quoting it); without it the retry is simply not taken.
    return m.contains("not a fast forward") || m.contains("Reference already exists");
  }

  private UserError failed(String what, IOException e) {
    int status = status(e);
    String why = switch (status) {
      case 401 -> "GitHub rejected the " + inputName.apply("github-token") + " (401)";
      case 403, 404 -> "GitHub answered " + status + ": the " + inputName.apply("github-token") + " needs `contents: write`"
          + " and `pull-requests: write` (workflow `permissions:`), and access to " + repoName;
      case 409 -> "GitHub answered 409: the repository " + repoName + " has no commit yet; push the app to its default branch first";
      case 0 -> "the GitHub API at " + api + " did not answer (" + e.getClass().getSimpleName() + ")";
      default -> "GitHub answered " + status;
    };
    return new UserError("launch could not " + what + ": " + why + ". Nothing was merged; re-run launch when it is fixed.", e);
  }
}
