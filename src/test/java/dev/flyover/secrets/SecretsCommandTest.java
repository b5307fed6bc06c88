package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.CliHarness;
import dev.flyover.testing.FlyctlDouble;
import dev.flyover.testing.HerokuApiDouble;
import dev.flyover.testing.TempDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** flyover secrets end to end: Heroku API double -> flyover (as the runner runs it) -> flyctl double. */
@Tag("integration")
class SecretsCommandTest {
  static final String FLY_TOKEN = "fo1_canaryflytoken0123456789";
  static final String SPECIAL = "\"#!$&'()*,:;<=>?@[\\]^`{|}";

  private HerokuApiDouble heroku;
  private FlyctlDouble fly;
  private final Map<String, String> all = new LinkedHashMap<>();
  private final List<String> written = new ArrayList<>();
  private Instant started;

  @BeforeEach
  void setUp() {
    started = Instant.now().minusSeconds(1);
    heroku = new HerokuApiDouble();
    fly = new FlyctlDouble();
    all.putAll(Corpus.movable());
    all.putAll(Corpus.refused());
    all.putAll(Corpus.excluded());
    all.put("1BAD_NAME", "canary-bad-name-value");
    heroku.app("shop").configVars(all)
        .addon("heroku-postgresql", "essential-0", "DATABASE", "URL")
        .addon("heroku-redis", "mini", "REDIS", "URL", "TLS_URL")
        .addon("papertrail", "choklad", "PAPERTRAIL", "API_TOKEN");
    flyApp(false);
  }

  @AfterEach
  void tearDown() throws IOException {
    heroku.close();
    // Leak scan of what the runs left in files: the double's call log and any temp file written meanwhile.
    String calls = Files.exists(fly.stateDir().resolve("calls.jsonl"))
        ? Files.readString(fly.stateDir().resolve("calls.jsonl")) : "";
    assertNoLeak("flyctl argv (calls.jsonl)", calls, 3);
    assertNoLeak("temp files", tempFilesWrittenSince(started), 12);
    for (String w : written) assertNoLeak("run output", w, 3);
  }

  private void flyApp(boolean deployed) {
    fly.edit(s -> {
      ObjectNode app = s.with("apps").putObject("shop-fly").put("name", "shop-fly").put("deployed", deployed);
      if (deployed) app.putArray("machines").addObject().put("id", "148ed726c12358");
    });
  }

  private ActionHarness action() {
    return new ActionHarness().env(heroku.env()).env(fly.env()).input("command", "secrets")
        .input("heroku-app", "shop").input("heroku-api-key", HerokuApiDouble.KEY)
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN);
  }

  private ActionHarness.Result run(ActionHarness h) {
    ActionHarness.Result r = h.run();
    written.add(r.everything());
    return r;
  }

  private Map<String, String> storedOnFly() {
    Map<String, String> out = new LinkedHashMap<>();
    fly.app("shop-fly").path("secrets").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("value").asText()));
    return out;
  }

  // ------------------------------------------------------------ the corpus

  @Test
  void refusesTheWholeRunWhenAValueCannotArriveExactly() {
    ActionHarness.Result r = run(action());
    assertEquals(1, r.exitCode(), r.stdout());
    List<String> errors = r.commands().errors();
    assertEquals(1, errors.size(), r.stdout());
    assertTrue(errors.get(0).startsWith("2 config vars cannot be moved to Fly exactly (HUGE_LINE: no exact route: it is one line of"), errors.get(0));
    assertTrue(errors.get(0).contains("also CRLF_TRAILING"), errors.get(0));
    assertTrue(errors.get(0).endsWith("leave them out with exclude and set them on Fly by hand."), errors.get(0));
    assertEquals(List.of(), fly.calls("secrets", "import"));
    assertEquals(Map.of(), storedOnFly());
    assertEquals("failure", r.outputs().get("status"));
    assertEquals("0", r.outputs().get("secrets-imported-count"));
    assertTrue(r.summary().contains("| `HUGE_LINE` |  | refused |"), r.summary());
  }

  @Test
  void everyOtherVarArrivesByteIdentical() {
    ActionHarness.Result r = run(action().input("exclude", "HUGE_LINE\nCRLF_TRAILING"));
    assertEquals(0, r.exitCode(), r.stdout());
    Map<String, String> stored = storedOnFly();
    assertEquals(Corpus.movable().keySet(), stored.keySet());
    Corpus.movable().forEach((k, v) -> assertEquals(v, stored.get(k), k + " arrived changed"));
    for (JsonNode s : fly.app("shop-fly").path("secrets")) assertEquals("Staged", s.path("status").asText());

    Map<String, String> out = r.outputs();
    assertEquals("success", out.get("status"));
    assertEquals(String.join(",", Corpus.movable().keySet()), out.get("secrets-imported"));
    assertEquals(String.valueOf(Corpus.movable().size()), out.get("secrets-imported-count"));
    List<String> skipped = List.of(out.get("secrets-skipped").split(","));
    assertTrue(skipped.containsAll(Corpus.excluded().keySet()), out.get("secrets-skipped"));
    assertTrue(skipped.containsAll(List.of("HUGE_LINE", "CRLF_TRAILING", "1BAD_NAME")));
    assertEquals(String.valueOf(skipped.size()), out.get("secrets-skipped-count"));

    // One import for the batch, one `set NAME=-` per value the import stream cannot carry; all staged.
    List<JsonNode> imports = fly.calls("secrets", "import");
    assertEquals(1, imports.size());
    assertEquals("[\"secrets\",\"import\",\"-a\",\"shop-fly\",\"--stage\"]", imports.get(0).path("argv").toString());
    List<String> alone = fly.calls("secrets", "set").stream().map(c -> c.path("argv").get(c.path("argv").size() - 1).asText()).toList();
    // "--" first: a name from Heroku is never read as a flag
    fly.calls("secrets", "set").forEach(c -> assertEquals("--", c.path("argv").get(c.path("argv").size() - 2).asText()));
    assertEquals(List.of("CRLF_INSIDE=-", "TRIPLE_LINE_END=-", "QUOTE_HASH_FIRST_LINE=-"), alone);
    fly.calls("secrets", "set").forEach(c -> assertTrue(c.path("argv").toString().contains("\"--stage\"")));

    // Reasons in the summary, by name.
    assertTrue(r.summary().contains("| `REDIS_URL` |  | excluded | set by the Heroku add-on"), r.summary());
    assertTrue(r.summary().contains("| `DATABASE_URL` |  | excluded | Heroku Postgres connection"), r.summary());
    assertTrue(r.summary().contains("| `1BAD_NAME` |  | invalid name |"), r.summary());
    assertTrue(r.summary().contains("| `HEROKU_APP_NAME` |  | excluded | Heroku dyno metadata |"), r.summary());
    assertTrue(r.summary().contains("Check on Fly: `fly secrets list -a shop-fly`"), r.summary());
  }

  @Test
  void dryRunStopsAfterThePlan() {
    ActionHarness.Result r = run(action().input("dry-run", "true"));
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals(List.of(), fly.calls("secrets", "import"));
    assertEquals(List.of(), fly.calls("secrets", "set"));
    assertEquals(1, fly.calls("secrets", "list").size());
    assertTrue(fly.calls().stream().allMatch(c -> c.path("argv").toString().startsWith("[\"secrets\",\"list\"")
        || c.path("argv").toString().startsWith("[\"apps\",\"create\"")), "flyctl only read: " + fly.calls());
    assertTrue(heroku.requests().stream().allMatch(q -> q.method().equals("GET")), "Heroku only read");
    assertEquals("", r.outputs().get("secrets-imported"));
    assertTrue(r.summary().contains("Secrets plan (dry run)"), r.summary());
    assertTrue(r.commands().data("warning").stream().anyMatch(w -> w.startsWith("HUGE_LINE cannot be moved exactly")));
  }

  @Test
  void stageFalseDeploysOnceWithTheLastCall() {
    flyApp(true);
    ActionHarness.Result r = run(action().input("exclude", "HUGE_LINE\nCRLF_TRAILING").input("stage", "false"));
    assertEquals(0, r.exitCode(), r.stdout());
    List<JsonNode> calls = new ArrayList<>(fly.calls("secrets", "import"));
    calls.addAll(fly.calls("secrets", "set"));
    long unstaged = calls.stream().filter(c -> !c.path("argv").toString().contains("--stage")).count();
    assertEquals(1, unstaged);
    assertFalse(fly.calls("secrets", "set").get(2).path("argv").toString().contains("--stage"));
    for (JsonNode s : fly.app("shop-fly").path("secrets")) assertEquals("Deployed", s.path("status").asText());
    assertTrue(r.stdout().contains("Updating existing machines in 'shop-fly'"), r.stdout());
  }

  @Test
  void overwriteFalseKeepsWhatFlyHas() {
    fly.run(FLY_TOKEN, "secrets", "set", "-a", "shop-fly", "--stage", "EMPTY=kept-on-fly");
    ActionHarness.Result r = run(action().input("include", "EMPTY\nDASH_ONLY").input("overwrite", "false"));
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals("kept-on-fly", storedOnFly().get("EMPTY"));
    assertEquals("-", storedOnFly().get("DASH_ONLY"));
    assertEquals("DASH_ONLY", r.outputs().get("secrets-imported"));
    assertTrue(r.summary().contains("| `EMPTY` |  | keep | already on Fly; kept because overwrite is false"), r.summary());
  }

  @Test
  void presentSecretsAreReplacedByDefaultAndSaySo() {
    fly.run(FLY_TOKEN, "secrets", "set", "-a", "shop-fly", "--stage", "EMPTY=old");
    ActionHarness.Result r = run(action().input("include", "EMPTY"));
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals("", storedOnFly().get("EMPTY"));
    assertTrue(r.summary().contains("| `EMPTY` |  | replace | already on Fly; Fly cannot show its value to compare"), r.summary());
  }

  @Test
  void renameAndExplicitIncludeOverrideDefaults() {
    ActionHarness.Result r = run(action().input("include", "REDIS_URL\nPEM_*").input("rename", "PEM_KEY=TLS_KEY\nREDIS_URL=CACHE_URL"));
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals(Map.of("TLS_KEY", Corpus.PEM, "CACHE_URL", Corpus.excluded().get("REDIS_URL")), storedOnFly());
    assertEquals("TLS_KEY,CACHE_URL", r.outputs().get("secrets-imported"));
    assertTrue(r.summary().contains("| `PEM_KEY` | `TLS_KEY` | new |"), r.summary());
  }

  @Test
  void badRenameIsOneSentence() {
    ActionHarness.Result r = run(action().input("rename", "NOPE=X"));
    assertEquals(1, r.exitCode());
    assertEquals(List.of("rename renames NOPE, which is not among the config vars read: fix or remove that line."),
        r.commands().errors());
  }

  // ------------------------------------------------------------ Heroku failures

  @Test
  void badKeyUnknownAppAndRateLimitEndInOneSentence() {
    ActionHarness.Result bad = run(action().input("heroku-api-key", "canary-wrong-heroku-key"));
    assertEquals(1, bad.exitCode());
    assertEquals(1, bad.commands().errors().size());
    assertTrue(bad.commands().errors().get(0).startsWith("Heroku rejected the API key in heroku-api-key (401 unauthorized"));
    assertFalse(bad.everything().replaceAll("(?m)^::add-mask::.*$", "").contains("canary-wrong-heroku-key"));

    ActionHarness.Result unknown = run(action().input("heroku-app", "shoq"));
    assertEquals(List.of("The Heroku app 'shoq' was not found (404 not_found: Couldn't find that app): check heroku-app,"
        + " and that the account of heroku-api-key can see that app."), unknown.commands().errors());

    heroku.rateLimit(0);
    ActionHarness.Result limited = run(action());
    assertEquals(1, limited.commands().errors().size());
    assertTrue(limited.commands().errors().get(0).startsWith("Heroku's API rate limit for the account of heroku-api-key is used up"));
    assertEquals(List.of(), fly.calls("secrets", "import"));
  }

  @Test
  void noSourceAndNoKeyEachSaySoInOneSentence() {
    ActionHarness.Result noApp = run(action().input("heroku-app", ""));
    assertEquals(List.of("No Heroku app: set heroku-app (or HEROKU_APP) to the name of the app on Heroku."),
        noApp.commands().errors());
    ActionHarness.Result noKey = run(action().input("heroku-api-key", ""));
    assertEquals(List.of("No Heroku API key: set heroku-api-key (or HEROKU_API_KEY) to a key from `heroku authorizations:create`."),
        noKey.commands().errors());
    assertEquals(List.of(), fly.calls());
  }

  @Test
  void flyctlFailureIsScrubbedAndSaysWhatWasSet() {
    fly.fault("secrets import", Map.of("mode", "echo-first-line"));
    // With step debug on, so stack traces and flyctl's own output are printed (and scanned) too.
    ActionHarness.Result r = run(action().input("exclude", "HUGE_LINE\nCRLF_TRAILING").env("RUNNER_DEBUG", "1"));
    assertEquals(1, r.exitCode());
    String error = r.commands().errors().get(0);
    assertTrue(error.startsWith("Setting secrets on Fly app shop-fly failed (flyctl secrets import failed (exit 1): Failed to parse"), error);
    assertTrue(error.contains("nothing was set"), error);
    assertEquals(Map.of(), storedOnFly());
  }

  @Test
  void aFailedSetAfterTheImportSaysWhatWasSetAndWhatWasNot() {
    fly.fault("secrets set", Map.of("exit", 1, "stderr", "Error: update secrets: failed to update app secrets: 500 boom"));
    ActionHarness.Result r = run(action().input("include", "PEM_KEY\nCRLF_INSIDE"));
    assertEquals(1, r.exitCode());
    assertEquals(List.of("Setting secrets on Fly app shop-fly failed (flyctl secrets set failed (exit 1): update secrets:"
        + " failed to update app secrets: 500 boom); PEM_KEY were set, CRLF_INSIDE were not: fix the cause and re-run"
        + " (secrets already set are replaced, not duplicated)."), r.commands().errors());
    assertEquals(Map.of("PEM_KEY", Corpus.PEM), storedOnFly());
    // What reached Fly is in the outputs and the summary's failure section, not only in the sentence.
    assertEquals("PEM_KEY", r.outputs().get("secrets-imported"));
    assertEquals("1", r.outputs().get("secrets-imported-count"));
    assertTrue(r.summary().startsWith("> [!CAUTION]\n> **secrets failed:** Setting secrets on Fly app shop-fly failed"), r.summary());
    assertTrue(r.summary().contains("> - Set on Fly app shop-fly: PEM\\_KEY; not set: CRLF\\_INSIDE."), r.summary());
    assertTrue(r.summary().contains("> **Cause:** outside flyover"), r.summary());
  }

  @Test
  void missingFlyAppFailsBeforeAnything() {
    ActionHarness.Result r = run(action().input("fly-app", "nope-fly"));
    assertEquals(1, r.exitCode());
    assertEquals(1, r.commands().errors().size());
    assertEquals(List.of(), fly.calls("secrets", "import"));
  }

  // ------------------------------------------------------------ files

  static String herokuShellQuote(String v, boolean legacy) {
    // JavaScript's \s, not Java's whitespace: the CLI writes U+001C..U+001F unquoted (heroku 11.10.0 quote.js).
    boolean special = v.chars().anyMatch(c -> ConfigFile.isJsSpace((char) c) || SPECIAL.indexOf(c) >= 0);
    if (!special) return v;
    if (v.contains("'") || v.contains("\n")) {
      return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`")
          .replace("!", "\\!").replace("\n", "\\n") + "\"";
    }
    return "'" + (legacy ? v.replace("\\", "\\\\") : v) + "'";
  }

  static String herokuShell(Map<String, String> vars, boolean legacy) {
    StringBuilder sb = new StringBuilder();
    vars.forEach((k, v) -> sb.append(k).append('=').append(herokuShellQuote(v, legacy)).append('\n'));
    return sb.toString();
  }

  @Test
  void fromFileInHerokuShellFormatArrivesExactly() {
    Map<String, String> vars = new LinkedHashMap<>(Corpus.movable());
    ActionHarness h = new ActionHarness().env(fly.env()).input("command", "secrets").input("from-file", "config.txt")
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN).file("config.txt", herokuShell(vars, false));
    ActionHarness.Result r = run(h);
    assertEquals(0, r.exitCode(), r.stdout());
    Map<String, String> stored = storedOnFly();
    vars.forEach((k, v) -> assertEquals(v, stored.get(k), k));
    assertEquals(vars.keySet(), stored.keySet());
  }

  /** What the real CLI writes (issue 13, part 7): a name Fly cannot take is skipped by name with a warning, and a
   * value with U+001C..U+001F, written bare, arrives exactly. */
  @Test
  void fromFileSkipsANameFlyCannotTakeAndKeepsInformationSeparators() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("FOO-BAR", "canary-dash-value");
    vars.put("SEPARATED", "canary\u001Cfs\u001Dgs\u001Ers\u001Fus");
    vars.put("PLAIN", "canary-plain");
    ActionHarness h = new ActionHarness().env(fly.env()).input("command", "secrets").input("from-file", "config.txt")
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN).file("config.txt", herokuShell(vars, false));
    assertTrue(herokuShell(vars, false).contains("SEPARATED=canary\u001Cfs"), "written bare, as the CLI does");
    ActionHarness.Result r = run(h);
    assertEquals(0, r.exitCode(), r.stdout());
    assertEquals(Map.of("SEPARATED", vars.get("SEPARATED"), "PLAIN", "canary-plain"), storedOnFly());
    List<String> warnings = r.commands().warnings();
    assertTrue(warnings.stream().anyMatch(w -> w.startsWith("FOO-BAR is not moved: Fly secrets are environment variables")
        && w.endsWith("Give it such a name with rename (OLD=NEW) to move it.")), warnings.toString());
    assertTrue(r.summary().contains("| `FOO-BAR` |  | invalid name |"), r.summary());
    assertFalse(r.everything().replaceAll("(?m)^::add-mask::.*$", "").contains("canary-dash-value"), "never shown");

    // Renamed, it moves.
    ActionHarness renamed = new ActionHarness().env(fly.env()).input("command", "secrets").input("from-file", "config.txt")
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN).input("rename", "FOO-BAR=FOO_BAR")
        .file("config.txt", herokuShell(vars, false));
    assertEquals(0, run(renamed).exitCode());
    assertEquals("canary-dash-value", storedOnFly().get("FOO_BAR"));
  }

  @Test
  void fromFileWithPlainHerokuConfigOutputSaysWhichExportToUse() {
    ActionHarness h = new ActionHarness().env(fly.env()).input("command", "secrets").input("from-file", "config.txt")
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN)
        .file("config.txt", "=== shop Config Vars\n\nPOOL_SIZE:  10\nSECRET:     canary-table-secret\n");
    ActionHarness.Result r = run(h);
    assertEquals(1, r.exitCode());
    assertEquals(List.of("config.txt (from-file) holds the table `heroku config` prints for reading, which cannot be read"
        + " back exactly: export with `heroku config -s -a APP > config.txt` (or `heroku config --json -a APP >"
        + " config.txt`) and give that file to from-file."), r.commands().errors());
    assertEquals(Map.of(), storedOnFly());
    assertFalse(r.everything().replaceAll("(?m)^::add-mask::.*$", "").contains("canary-table-secret"));
  }

  @Test
  void fromFileWithTheApiUsesTheAddonList() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("REDIS_URL", "redis://:canaryredis@h:6379");
    vars.put("MEMCACHIER_SERVERS", "canary-memcachier.example:11211");
    ActionHarness h = action().input("from-file", "config.json")
        .file("config.json", "{\"REDIS_URL\": \"redis://:canaryredis@h:6379\", \"MEMCACHIER_SERVERS\": \"canary-memcachier.example:11211\"}");
    ActionHarness.Result r = run(h);
    assertEquals(0, r.exitCode(), r.stdout());
    // The add-on list says REDIS is a Heroku add-on of this app; MEMCACHIER is not attached, so it moves.
    assertEquals(Map.of("MEMCACHIER_SERVERS", "canary-memcachier.example:11211"), storedOnFly());
    assertTrue(r.summary().contains("| `REDIS_URL` |  | excluded | set by the Heroku add-on redis-curved"), r.summary());
    assertTrue(r.summary().contains("heroku config --json file config.json"), r.summary());
  }

  @Test
  void legacyDoubledBackslashesAreRefusedByName() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("WIN_PATH", "C:\\canary dir\\x");
    vars.put("PLAIN", "canary-plain");
    ActionHarness h = new ActionHarness().env(fly.env()).input("command", "secrets").input("from-file", "config.txt")
        .input("fly-app", "shop-fly").input("fly-api-token", FLY_TOKEN).file("config.txt", herokuShell(vars, true));
    ActionHarness.Result r = run(h);
    assertEquals(1, r.exitCode());
    assertTrue(r.commands().errors().get(0).startsWith("The config var WIN_PATH cannot be moved to Fly exactly"
        + " (WIN_PATH: single-quoted with backslashes, which heroku CLI before 11.9 doubled"), r.commands().errors().get(0));
    // The same value written by heroku CLI 11.9 (an odd run of backslashes proves it) goes through.
    vars.put("PROOF", "one\\ backslash");
    h.file("config.txt", herokuShell(vars, false));
    ActionHarness.Result ok = run(h);
    assertEquals(0, ok.exitCode(), ok.stdout());
    assertEquals("C:\\canary dir\\x", storedOnFly().get("WIN_PATH"));
  }

  @Test
  void dotenvFileFromTheTerminal() throws IOException {
    Path dir = TempDirs.create("flyover-secrets-cli");
    Files.writeString(dir.resolve(".env"), "# app settings\nexport API_KEY=canary-dotenv-key\nGREETING=\"hello\\nworld canary\"\n"
        + "LITERAL='a\\n $b'\nTRAILING=value canary # comment\nDATABASE_URL=postgres://x:canarydotenvpass@h/d\n");
    CliHarness cli = new CliHarness().env(fly.env()).env("PWD", dir.toString()).env("FLY_API_TOKEN", FLY_TOKEN);
    CliHarness.Result r = cli.run("secrets", "--from-file", ".env", "--fly-app", "shop-fly");
    r.assertReadsAsText();
    written.add(r.stdout() + r.stderr());
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(Map.of("API_KEY", "canary-dotenv-key", "GREETING", "hello\nworld canary", "LITERAL", "a\\n $b",
        "TRAILING", "value canary"), storedOnFly());
    assertTrue(r.stdout().contains("fly secrets list -a shop-fly"), r.stdout());
    assertTrue(r.stderr().contains("DATABASE_URL"), r.stderr());
    assertFalse(r.stderr().contains("canarydotenvpass"));
  }

  @Test
  void cliWithTheApiAndEnvironmentKeys() {
    CliHarness cli = new CliHarness().env(heroku.env()).env(fly.env()).env("HEROKU_API_KEY", HerokuApiDouble.KEY)
        .env("FLY_API_TOKEN", FLY_TOKEN);
    CliHarness.Result r = cli.run("secrets", "--heroku-app", "shop", "--fly-app", "shop-fly", "--include", "PEM_KEY",
        "--include", "UNICODE");
    written.add(r.stdout() + r.stderr());
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(Map.of("PEM_KEY", Corpus.PEM, "UNICODE", Corpus.movable().get("UNICODE")), storedOnFly());

    // Boolean flags as a terminal user writes them.
    CliHarness.Result dry = cli.run("secrets", "--heroku-app", "shop", "--fly-app", "shop-fly", "--include", "PEM_KEY",
        "--overwrite=false", "--stage=false", "--dry-run");
    written.add(dry.stdout() + dry.stderr());
    assertEquals(0, dry.exitCode(), dry.stderr());
    assertTrue(dry.stderr().matches("(?s).*PEM_KEY +keep: already on Fly; kept because --overwrite is false.*"), dry.stderr());
    assertEquals(1, fly.calls("secrets", "import").size());
  }

  // ------------------------------------------------------------ leak scanning

  /** Every value (each line of a multi-line one) long enough to mean anything, the keys, and the token. */
  private List<String> canaries() {
    List<String> c = new ArrayList<>(List.of(HerokuApiDouble.KEY, FLY_TOKEN));
    all.forEach((k, v) -> {
      if (k.equals("HEROKU_APP_NAME") || k.equals("PORT")) return;
      for (String line : v.split("\r\n|\r|\n")) if (line.strip().length() >= 3) c.add(line.strip());
    });
    return c;
  }

  private void assertNoLeak(String where, String text, int minLength) {
    // ::add-mask:: lines are how the runner learns the values; it never shows them.
    String shown = text.replaceAll("(?m)^::add-mask::.*$", "");
    for (String canary : canaries()) {
      if (canary.length() >= minLength && shown.contains(canary)) {
        String brief = canary.length() > 30 ? canary.substring(0, 30) + "…" : canary;
        throw new AssertionError(where + " contains a secret value: " + brief);
      }
    }
  }

  private String tempFilesWrittenSince(Instant since) throws IOException {
    StringBuilder sb = new StringBuilder();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> files = Files.walk(tmp, 4)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          // The doubles' state is Fly's and Heroku's storage, and the input files are the user's.
          if (!Files.isRegularFile(p) || p.toString().contains("flyctl-double") || p.getFileName().toString().startsWith("config.")
              || p.getFileName().toString().equals(".env")) continue;
          if (Files.getLastModifiedTime(p).toInstant().isBefore(since) || Files.size(p) > 4_000_000) continue;
          sb.append(new String(Files.readAllBytes(p), StandardCharsets.UTF_8)).append('\n');
        } catch (IOException | SecurityException e) {
          // vanished or unreadable: another process's file
        }
      }
    } catch (java.io.UncheckedIOException e) {
      // a directory vanished while walking
    }
    return sb.toString();
  }
}
