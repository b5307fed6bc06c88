package dev.flyover.fly;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.proc.Subprocess;
import dev.flyover.secrets.MaskPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * flyover's one Fly client: every flyctl command flyover runs, its JSON read into records, its failures into
 * {@link FlyctlException} and its subclasses ({@link FlyErrors} reads them). Flows call the typed methods; the raw
 * {@link #call} is for commands whose output is only shown.
 *
 * <p>Rules were read in flyctl's source at ad0172f (v0.4.87+6, 2026-08-21) and fly-go v0.9.6 (the version that
 * flyctl pins); the image pins flyctl 0.4.111 (Dockerfile, docker/flyctl.sha256). Each method names its file.
 *
 * <p>The executable comes from {@code FLYCTL} or {@code flyctl} on PATH. The child gets an allow-listed
 * environment ({@link FlyEnv}) with the token as {@code FLY_API_TOKEN} (never argv). flyctl prints progress on
 * stderr and results on stdout; both are echoed live (redacted) unless the call is a quiet query, and kept.
 *
 * <p>A positional argument built from outside data (an app or cluster name, a hostname, a secret's name, an
 * extension) comes after {@code --}: flyctl's pflag FlagSet stops reading flags there and hands the rest over as
 * arguments (internal/flag/context.go {@code Args} is {@code FlagSet.Args()}; pflag v1.0.10 in go.mod).
 */
public final class Flyctl {
  /** Built on first use, not when a command merely holds a Flyctl (a dry run never parses flyctl's JSON). */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, true);
  }

  private static final Pattern IMAGE_LINE = Pattern.compile("^image: (\\S+)\\s*$");
  /** internal/command/deploy/machines_deploymachinesapp.go, through terminal.Warnf (stdout, {@code WARN } prefix). */
  private static final String FINAL_STATUS_WARNING = "failed to set final release status after successful deployment";

  private final Env env;
  private final Console console;
  private final Optional<String> token;
  private Path executable;

  public Flyctl(Env env, Console console, Optional<String> token) {
    this.env = env;
    this.console = console;
    this.token = token;
    token.ifPresent(console::mask);
  }

  Env env() {
    return env;
  }

  Console console() {
    return console;
  }

  Optional<String> token() {
    return token;
  }

  /** Resolves the executable once; a clear error when it is missing. */
  public Path executable() {
    if (executable != null) return executable;
    Optional<String> configured = env.get("FLYCTL");
    if (configured.isPresent()) {
      executable = env.which(configured.get()).orElseThrow(() -> new UserError(
          "FLYCTL is set to " + configured.get() + ", which is not an executable file: fix FLYCTL or unset it to use flyctl from PATH."));
    } else {
      executable = env.which("flyctl").or(() -> env.which("fly")).orElseThrow(() -> new UserError(
          "flyctl was not found on PATH: install it (https://fly.io/docs/flyctl/install/) or set FLYCTL to its path."));
    }
    return executable;
  }

  /** The environment every flyctl child gets (see {@link FlyEnv}). */
  Map<String, String> childEnv() {
    return FlyEnv.forFlyctl(env, token);
  }

  /** A call to build and run: {@code flyctl.call("deploy", "--remote-only").stream("Deploying").run()}. */
  public Call call(String... args) {
    return new Call(List.of(args));
  }

  public Call call(List<String> args) {
    return new Call(args);
  }

  /** Runs a {@code --json} query quietly and parses the first JSON value on stdout (text after it is ignored). */
  JsonNode json(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    // Before a "--", after which flyctl reads only positional arguments, else at the end.
    int end = a.indexOf("--");
    a.add(end < 0 ? a.size() : end, "--json");
    return parse(args, new Call(a).quiet().run());
  }

  private JsonNode parse(String[] args, Subprocess.Result r) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(r.stdoutText())) {
      JsonNode n = Json.MAPPER.readTree(p);
      if (n == null) throw new IOException("empty");
      return n;
    } catch (IOException e) {
      throw new UserError("flyctl " + String.join(" ", args) + " --json printed something that is not JSON;"
          + " check that FLYCTL points at flyctl (got: " + abbreviate(r.stdoutText()) + ").");
    }
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ').strip();
    return one.length() > 120 ? one.substring(0, 120) + "…" : one;
  }

  // ---------------------------------------------------------------- apps

  /**
   * Whether the app exists, asked over GraphQL ({@code status --json}: fly-go {@code GetAppCompact}), whose answer for
   * a missing app, {@code Could not find App}, flyctl itself matches (internal/command/deploy/deploy.go).
   */
  public boolean appExists(String app) {
    Subprocess.Result r = call("status", "-a", app, "--json").quiet().noCheck().run();
    if (r.ok()) return true;
    FlyctlException e = failure(List.of("status", "-a", app, "--json"), r, Duration.ofMinutes(30));
    if (e instanceof FlyctlException.AppNotFound) return false;
    throw e;
  }

  /** {@code flyctl status --json}: hostname, organization and machines (internal/command/status/status.go). */
  public AppStatus status(String app) {
    JsonNode s = json("status", "-a", app);
    List<Machine> ms = new ArrayList<>();
    for (JsonNode m : s.path("Machines")) {
      List<Machine.Check> checks = new ArrayList<>();
      for (JsonNode c : m.path("checks")) checks.add(new Machine.Check(c.path("name").asText(), c.path("status").asText()));
      JsonNode meta = m.path("config").path("metadata");
      ms.add(new Machine(m.path("id").asText(), meta.path("fly_process_group").asText("app"), m.path("region").asText(),
          m.path("state").asText(), meta.path("fly_release_version").asText(""), List.copyOf(checks)));
    }
    String network = s.path("Network").asText("");
    return new AppStatus(s.path("Name").asText(app), s.path("Hostname").asText(""),
        s.path("Organization").path("Slug").asText(""), List.copyOf(ms),
        network.isEmpty() ? Optional.empty() : Optional.of(network));
  }

  /**
   * {@code flyctl apps create NAME [--org]} over the Machines API (internal/command/apps/create.go → fly-go
   * flaps_apps.go {@code CreateApp}). A taken name is {@link FlyctlException.NameTaken} (recognised by fly-go's fixed
   * suggestion line, flaps/flaps_error.go), a deploy token {@link FlyctlException.Unauthorized}.
   */
  public void createApp(String app, Optional<String> org) {
    createApp(app, org, Optional.empty());
  }

  /** The same on a custom private network ({@code --network}, apps/create.go {@code CreateAppRequest.Network}). */
  public void createApp(String app, Optional<String> org, Optional<String> network) {
    List<String> a = new ArrayList<>(List.of("apps", "create"));
    org.ifPresent(o -> a.add("--org=" + o));
    network.ifPresent(n -> a.add("--network=" + n));
    a.addAll(List.of("--", app)); // a name is never read as a flag
    call(a).stream("Creating Fly app " + app).run();
  }

  /**
   * {@code flyctl releases --json} (fly-go resource_releases.go: the 25 newest; see {@link Release} for the fields
   * that are never filled).
   */
  public List<Release> releases(String app) {
    JsonNode arr = json("releases", "-a", app);
    List<Release> out = new ArrayList<>();
    if (arr == null || !arr.isArray()) return out;
    for (JsonNode r : arr) {
      out.add(new Release(r.path("Version").asInt(), r.path("Status").asText(""), r.path("ImageRef").asText(""),
          r.path("Description").asText("")));
    }
    return out;
  }

  /**
   * {@code flyctl deploy ARGS} with {@code FLY_EMIT_RELEASE_JSON=1}, streamed; a failure is returned, not thrown
   * (see {@link DeployOutcome}).
   */
  public DeployOutcome deploy(List<String> args, String title, Duration timeout) {
    Subprocess.Result r;
    FlyctlException failure = null;
    try {
      r = call(args).stream(title).env("FLY_EMIT_RELEASE_JSON", "1").timeout(timeout).run();
    } catch (FlyctlException e) {
      failure = e;
      r = e.result();
    }
    Optional<String> built = Optional.empty();
    for (String line : r.stderr()) {
      Matcher m = IMAGE_LINE.matcher(line);
      if (m.matches()) built = Optional.of(m.group(1));
    }
    Optional<Integer> version = Optional.empty();
    Optional<String> emittedImage = Optional.empty();
    Optional<String> warning = Optional.empty();
    for (String line : r.stdout()) {
      String t = line.strip();
      if (t.contains(FINAL_STATUS_WARNING)) warning = Optional.of(t.replaceFirst("^WARN\\s+", ""));
      if (!t.startsWith("{\"id\"")) continue;
      try {
        JsonNode n = Json.MAPPER.readTree(t);
        if (n.has("version")) version = Optional.of(n.get("version").asInt());
        if (n.hasNonNull("image_ref") && !n.get("image_ref").asText().isEmpty()) emittedImage = Optional.of(n.get("image_ref").asText());
      } catch (IOException ignored) {
        // not the release line
      }
    }
    return new DeployOutcome(r, Optional.ofNullable(failure), built, version, emittedImage, warning);
  }

  /**
   * {@code flyctl deploy ARGS --build-only --push}: builds the image and pushes it to Fly's registry without
   * deploying it, and returns its reference. Read in flyctl at ad0172f (2026-08-21):
   * internal/command/deploy/deploy.go {@code DeployWithConfig} returns right after {@code determineImage} when
   * {@code --build-only} is set (no release, no {@code FLY_EMIT_RELEASE_JSON} line: that is printed only in
   * machines_deploymachinesapp.go, which is not reached); deploy_build.go {@code determineImage} publishes only when
   * {@code --push || !--build-only} (so without {@code --push} the image stays on the builder and a later
   * {@code --image} deploy cannot find it), and prints {@code image: <tag>} then {@code image size: …} through a
   * render.TextBlock, whose writer is stderr (internal/render/render.go {@code NewTextBlock}). The tag is
   * {@code <registry>/<app>:deployment-<ULID>} (internal/build/imgsrc/docker.go {@code NewDeploymentTag}): unique per
   * build, so no {@code --image-label} is given and another run's image is never picked up by name.
   */
  public String buildImage(List<String> args, String title, Duration timeout) {
    List<String> a = new ArrayList<>(args);
    a.add("--build-only");
    a.add("--push");
    Subprocess.Result r = call(a).stream(title).timeout(timeout).run();
    Optional<String> built = Optional.empty();
    for (String line : r.stderr()) {
      Matcher m = IMAGE_LINE.matcher(line);
      if (m.matches()) built = Optional.of(m.group(1));
    }
    return built.orElseThrow(() -> new UserError("flyctl deploy --build-only --push exited 0 but printed no `image:`"
        + " line, so flyover cannot tell which image it pushed: check that FLYCTL points at flyctl, or build the image"
        + " yourself and give it as the " + console.named("image") + "."));
  }

  // ---------------------------------------------------------------- secrets

  /**
   * {@code flyctl secrets list --json} (internal/appsecrets/secrets.go over the Machines API, fly-go
   * flaps/flaps_secrets.go). On a missing app the error is {@code failed to list app secrets: } plus the server's
   * text, which flyover does not match: any other failure is checked with {@link #appExists} and becomes
   * {@link FlyctlException.AppNotFound} when GraphQL says the app is not there.
   */
  public List<SecretInfo> secrets(String app) {
    JsonNode list;
    try {
      list = json("secrets", "list", "-a", app);
    } catch (FlyctlException.Unauthorized | FlyctlException.NotLoggedIn | FlyctlException.AppNotFound e) {
      throw e;
    } catch (FlyctlException e) {
      if (!appExists(app)) {
        throw new FlyctlException.AppNotFound("The Fly app " + app + " does not exist (" + e.flyError().orElse("no error line")
            + "): check the " + console.named("fly-app") + " or `app` in fly.toml, or create it.", e.result(), FlyErrors.text(e.result()));
      }
      throw e;
    }
    List<SecretInfo> out = new ArrayList<>();
    list.forEach(n -> out.add(new SecretInfo(n.path("name").asText(), n.path("digest").asText(""), n.path("status").asText(""))));
    return out;
  }

  /** Stages one secret exactly: {@code flyctl secrets set --stage -a APP NAME=-} reads the value from stdin. */
  public void stageSecret(String app, String name, String value) {
    // The value never goes in argv; `-` makes flyctl read it from stdin (helpers/stdin.go: trimmed, up to 64 KiB).
    call("secrets", "set", "--stage", "-a", app, "--", name + "=-").stdin(value.getBytes(StandardCharsets.UTF_8)).quiet().run();
  }

  /**
   * {@code flyctl secrets import|set -a APP [--stage] [NAME=-]} with the values on stdin, streamed. A failure is a
   * {@link FlyctlException.SecretsUpdateFailed} whose {@code stored()} says whether the values reached Fly
   * (internal/command/secrets/set.go {@code SetSecretsAndDeploy}: stored first, then the machines restart).
   */
  public void setSecrets(String app, String verb, boolean stage, List<String> pairs, byte[] stdin, String title,
      Duration timeout) {
    List<String> a = new ArrayList<>(List.of("secrets", verb, "-a", app));
    if (stage) a.add("--stage");
    if (!pairs.isEmpty()) a.add("--"); // names from Heroku are never read as flags
    a.addAll(pairs);
    call(a).stdin(stdin).timeout(timeout).stream(title).run();
  }

  // ---------------------------------------------------------------- certificates and IPs

  /**
   * {@code flyctl certs list --json}: at most 50 (internal/command/certificates/root.go), and when there are more
   * flyctl prints {@code Showing N of M…} after the JSON, so only the first JSON value is read.
   */
  public CertificateList certificates(String app) {
    Subprocess.Result r = call("certs", "list", "-a", app, "--json").quiet().run();
    JsonNode arr = parse(new String[] {"certs", "list", "-a", app}, r);
    List<String> names = new ArrayList<>();
    arr.forEach(n -> names.add(n.path("hostname").asText()));
    boolean truncated = names.size() >= 50 || r.stdoutText().contains("Showing ");
    return new CertificateList(List.copyOf(names), truncated);
  }

  /**
   * {@code flyctl certs show HOST --json} (= {@code certs check}, root.go): empty when Fly has no certificate for
   * it. The Machines API's wording for "no such certificate" is the server's, so any failure but a refused token or
   * a missing app counts as none (the caller then adds it, and that call's error is the one reported).
   */
  public Optional<Certificate> certificate(String app, String host) {
    try {
      return Optional.of(certificateOf(json("certs", "show", "-a", app, "--", host)));
    } catch (FlyctlException.Unauthorized | FlyctlException.NotLoggedIn | FlyctlException.AppNotFound e) {
      throw e;
    } catch (FlyctlException e) {
      console.debug("no certificate for " + host + " (" + e.flyError().orElse("no error line") + ")");
      return Optional.empty();
    }
  }

  /** {@code flyctl certs add HOST --json}. */
  public Certificate addCertificate(String app, String host) {
    return certificateOf(json("certs", "add", "-a", app, "--", host));
  }

  private static Certificate certificateOf(JsonNode cert) {
    JsonNode req = cert.path("dns_requirements");
    JsonNode acme = req.path("acme_challenge");
    return new Certificate(cert.path("hostname").asText(), texts(req.path("a")), texts(req.path("aaaa")),
        req.path("cname").asText(""), acme.path("name").asText(""), acme.path("target").asText(""));
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr.isArray()) arr.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  /** {@code flyctl ips list --json}. */
  public List<IpAddress> ips(String app) {
    List<IpAddress> out = new ArrayList<>();
    json("ips", "list", "-a", app).forEach(n -> out.add(new IpAddress(n.path("Type").asText(), n.path("Address").asText())));
    return out;
  }

  // ---------------------------------------------------------------- Postgres

  /**
   * {@code fly mpg list --org ORG --json} (internal/command/mpg/list.go): the clusters of an organization. With none,
   * flyctl prints a sentence instead of JSON, even with --json, so anything that is not a JSON array means none.
   * {@code organization} is fly-go's Organization, which has no json tags: render.JSON writes {@code Slug}.
   */
  public List<MpgCluster> mpgClusters(String org) {
    Subprocess.Result r = call("mpg", "list", "--org", org, "--json").quiet().run();
    if (!r.stdoutText().strip().startsWith("[")) return List.of();
    List<MpgCluster> out = new ArrayList<>();
    parse(new String[] {"mpg", "list", "--org", org}, r).forEach(n -> out.add(new MpgCluster(n.path("id").asText(),
        n.path("name").asText(), n.path("status").asText(), n.path("region").asText(),
        n.path("organization").path("Slug").asText(""))));
    return out;
  }

  /**
   * {@code fly mpg create} with every flag (internal/command/mpg/create.go: --name, --org, --region, --plan,
   * --volume-size, --pg-major-version; without them it prompts, or quietly picks basic/16), then
   * {@code fly mpg attach CLUSTER -a APP} (mpg/attach.go, v2/run_attach.go: without a terminal it uses the cluster's
   * default user and database, stores DATABASE_URL on the app without restarting it, and refuses if the app has one).
   * create waits until the cluster is ready (v2/run_create.go polls every 5 s) and prints {@code ID:} and
   * {@code Connection string:} (PgBouncer's URI, {@code pgbouncer_uri}); attach prints {@code DATABASE_URL=…}. Every
   * credential is masked before the line carrying it is shown.
   */
  public NewDatabase createManagedPostgres(String name, String org, String region, String plan, int volumeGb, int major,
      String app) {
    String[] cluster = {null};
    call("mpg", "create", "--name", name, "--org", org, "--region", region, "--plan", plan,
        "--volume-size", String.valueOf(volumeGb), "--pg-major-version", String.valueOf(major))
        .stream("fly mpg create " + name).timeout(Duration.ofMinutes(30)).watch(line -> {
          String t = line.strip();
          if (t.startsWith("Connection string:")) MaskPolicy.secret(console, t.substring("Connection string:".length()).strip());
          if (t.startsWith("ID:")) cluster[0] = t.substring(3).strip();
        }).run();
    if (cluster[0] == null || cluster[0].isEmpty()) {
      throw new UserError("fly mpg create did not print the new cluster's ID: find it with `fly mpg list --org " + org
          + "` and pass its connection string as the " + console.named("database-url") + ".");
    }
    String url = attach(List.of("mpg", "attach", "-a", app, "--", cluster[0]), app, "fly mpg attach " + cluster[0]);
    return new NewDatabase(cluster[0], url, List.of());
  }

  /** internal/command/mpg/mpg.go ClusterFromArgOrSelect: neither the v2 nor the v1 API found the ID. */
  private static final Pattern MPG_NOT_FOUND = Pattern.compile("^managed postgres cluster \".*\" not found$");
  /** One line of Go's indented JSON (render.JSON) carrying a credential: masked before the line is seen. */
  private static final Pattern MPG_CREDENTIAL_LINE = Pattern.compile("^\\s*\"(?:password|pgbouncer_uri)\"\\s*:\\s*(\".*\")\\s*,?\\s*$");

  /**
   * {@code fly mpg status --json -- ID}: the cluster's default credentials, which is how flyctl itself gets a
   * connection string from an ID without a prompt (internal/command/mpg/status.go: an ID argument skips the org
   * and cluster prompts; v2/run_status.go and v1/run_status.go render the API's {@code GetClusterResponse} whole,
   * {@code credentials} included, with render.JSON; {@code fly mpg connect} and {@code attach} read the same
   * {@code credentials} from GetClusterById; flyctl ad0172f). Empty when flyctl says the cluster is not found,
   * which is also what it says when the token cannot read it (mpg.go falls back from v2 to v1 on any error). The
   * password and URIs are masked as each stdout line arrives, before anything can print them.
   */
  public Optional<MpgConnection> mpgConnection(String clusterId) {
    List<String> args = List.of("mpg", "status", "--json", "--", clusterId);
    Subprocess.Result r;
    try {
      r = call(args).quiet().watch(line -> {
        Matcher m = MPG_CREDENTIAL_LINE.matcher(line);
        if (!m.matches()) return;
        try {
          MaskPolicy.secret(console, Json.MAPPER.readValue(m.group(1), String.class));
        } catch (IOException e) {
          MaskPolicy.secret(console, m.group(1));
        }
      }).run();
    } catch (FlyctlException e) {
      if (e.flyError().map(t -> MPG_NOT_FOUND.matcher(t.strip()).matches()).orElse(false)) return Optional.empty();
      throw e;
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(r.stdoutText());
      if (n == null || !n.isObject()) throw new IOException("not an object");
    } catch (IOException e) {
      // Never quoted: the text may hold the credentials.
      throw new UserError("flyctl mpg status --json printed something that is not JSON: check that FLYCTL points at flyctl.");
    }
    JsonNode data = n.path("data");
    JsonNode cred = n.path("credentials");
    String user = cred.path("user").asText("");
    String password = cred.path("password").asText("");
    String base = cred.path("pgbouncer_uri").asText("");
    MaskPolicy.secret(console, password);
    MaskPolicy.secret(console, base);
    String url = "";
    if (!user.isEmpty() && !password.isEmpty() && !base.isEmpty()) {
      url = mpgUrl(base, user, password, cred.path("dbname").asText(""));
      MaskPolicy.secret(console, url);
    }
    // fly-go's Organization has no json tags, so render.JSON spells its fields as Go does: Slug.
    return Optional.of(new MpgConnection(data.path("id").asText(clusterId), data.path("name").asText(""),
        data.path("status").asText(""), data.path("organization").path("Slug").asText(""), url));
  }

  /** v2/run_attach.go: the pgbouncer_uri with the credentials' user and password and path {@code /DBNAME}. */
  static String mpgUrl(String base, String user, String password, String db) {
    int scheme = base.indexOf("://");
    String rest = scheme < 0 ? base : base.substring(scheme + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) end = i;
    }
    String authority = rest.substring(0, end);
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    int q = rest.indexOf('?');
    String query = q >= 0 ? rest.substring(q) : "";
    return (scheme < 0 ? "postgresql" : base.substring(0, scheme)) + "://" + pct(user) + ":" + pct(password) + "@"
        + hostPort + "/" + pct(db) + query;
  }

  private static String pct(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * {@code fly mpg databases extensions enable EXT --cluster ID --database DB} (internal/command/mpg/extensions.go,
   * v2/run_extensions.go): Managed Postgres's role is no superuser, so extensions are enabled through Fly's API.
   */
  public void enableMpgExtension(String cluster, String database, String extension) {
    call("mpg", "databases", "extensions", "enable", "--cluster", cluster, "--database", database, "--", extension)
        .stream("fly mpg databases extensions enable " + extension).run();
  }

  /**
   * {@code flyctl postgres create} with every flag, then {@code postgres attach APP_DB -a APP --yes}
   * (internal/command/postgres/create.go, attach.go, flypg/launcher.go). create prints {@code Password:} and
   * {@code Connection string:}, attach {@code DATABASE_URL=…}: masked before shown. Every {@code postgres} command
   * first prints a notice on stderr as {@code "\n%s\n"} (postgres.go PreRun); its first paragraph is returned.
   */
  public NewDatabase createUnmanagedPostgres(List<String> createArgs, String name, String app) {
    Subprocess.Result created = call(createArgs).stream("flyctl postgres create " + name).timeout(Duration.ofMinutes(20))
        .watch(line -> {
          String t = line.strip();
          if (t.startsWith("Password:")) MaskPolicy.secret(console, t.substring("Password:".length()).strip());
          if (t.startsWith("Connection string:")) MaskPolicy.secret(console, t.substring("Connection string:".length()).strip());
        }).run();
    List<String> notice = new ArrayList<>();
    for (String l : created.stderr()) {
      if (l.isBlank()) {
        if (notice.isEmpty()) continue;
        break;
      }
      notice.add(l.strip());
    }
    String url = attach(List.of("postgres", "attach", "-a", app, "--yes", "--", name), app, "flyctl postgres attach " + name);
    return new NewDatabase(name, url, List.copyOf(notice));
  }

  private String attach(List<String> args, String app, String title) {
    String[] url = {null};
    call(args).stream(title).timeout(Duration.ofMinutes(5)).watch(line -> {
      String t = line.strip();
      int eq = t.indexOf('=');
      if (eq > 0 && t.substring(0, eq).equals("DATABASE_URL")) {
        url[0] = t.substring(eq + 1).strip();
        MaskPolicy.secret(console, url[0]);
      }
    }).run();
    if (url[0] == null) {
      throw new UserError(String.join(" ", args.subList(0, 2)) + " did not print the DATABASE_URL it set on " + app
          + ": pass the connection string as the " + console.named("database-url") + " and re-run.");
    }
    return url[0];
  }

  // ---------------------------------------------------------------- calls

  FlyctlException failure(List<String> args, Subprocess.Result r, Duration timeout) {
    return FlyErrors.classify(env, token.isPresent(), args, r, timeout, console::named);
  }

  /** One invocation. */
  public final class Call {
    private final List<String> args;
    private byte[] stdin;
    private Duration timeout = Duration.ofMinutes(30);
    private String group;
    private boolean quiet;
    private boolean check = true;
    private Consumer<String> watcher = l -> {};
    private final List<String[]> extraEnv = new ArrayList<>();

    private Call(List<String> args) {
      this.args = List.copyOf(args);
    }

    /** Data for flyctl's stdin (secret values travel this way, never as arguments). */
    public Call stdin(byte[] bytes) {
      this.stdin = bytes;
      return this;
    }

    public Call timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    /** Echo the output inside a collapsible group with this title. */
    public Call stream(String groupTitle) {
      this.group = groupTitle;
      return this;
    }

    /** Do not echo stdout (JSON queries); stderr is still shown in debug. */
    public Call quiet() {
      this.quiet = true;
      return this;
    }

    /** Return the result whatever the exit code, for callers that read failures themselves. */
    public Call noCheck() {
      this.check = false;
      return this;
    }

    /**
     * Sees every line (stdout and stderr) before it is echoed, so a credential flyctl prints can be masked before
     * the line that carries it is shown.
     */
    public Call watch(Consumer<String> beforeEcho) {
      this.watcher = beforeEcho;
      return this;
    }

    public Call env(String name, String value) {
      extraEnv.add(new String[] {name, value});
      return this;
    }

    public Subprocess.Result run() {
      List<String> command = new ArrayList<>();
      command.add(executable().toString());
      command.addAll(args);
      Subprocess sp = Subprocess.of(command).directory(env.workDir()).timeout(timeout);
      childEnv().forEach(sp::env);
      for (String[] kv : extraEnv) sp.env(kv[0], kv[1]);
      if (stdin != null) sp.stdin(stdin);
      Consumer<String> w = watcher;
      if (quiet) {
        sp.onStdout(w::accept).onStderr(l -> {
          w.accept(l);
          console.debug("flyctl: " + l);
        });
      } else {
        sp.onStdout(l -> {
          w.accept(l);
          console.child(l);
        }).onStderr(l -> {
          w.accept(l);
          console.child(l);
        });
      }
      String shown = "flyctl " + String.join(" ", args);
      console.debug("running " + shown);
      if (group != null) console.group(group);
      Subprocess.Result r;
      try {
        r = sp.run();
      } catch (IOException e) {
        throw new UserError("Could not start flyctl (" + executable() + "): " + e.getMessage()
            + "; check FLYCTL or the flyctl installation.");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError(shown + " was interrupted because flyover was cancelled.");
      } finally {
        if (group != null) console.endGroup();
      }
      if (check && !r.ok()) throw failure(args, r, timeout);
      return r;
    }
  }
}
