package dev.flyover.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.flyover.fly.FlyToml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fly.toml from a {@link LaunchPlan}. Every value is serialized by Jackson's TOML writer (so a command or name
 * from outside is always a quoted TOML string); flyover only lays the sections out as {@code [table]} and
 * {@code [[array]]} headers with a comment above each, which Jackson cannot write. {@link #check} then reads the
 * text back with flyover's own {@link FlyToml} and applies the rules flyctl applies to these fields.
 */
public final class FlyTomlWriter {
  private static final TomlMapper TOML = new TomlMapper();

  private FlyTomlWriter() {}

  public static String write(LaunchPlan p) {
    StringBuilder sb = new StringBuilder();
    sb.append("# fly.toml for the Fly app ").append(oneLine(p.flyApp())).append(", written by flyover launch from the Heroku app ")
        .append(oneLine(p.herokuApp())).append(".\n# The pull request that added it explains every line.\n\n");
    ObjectNode top = TOML.createObjectNode().put("app", p.flyApp());
    p.region().ifPresent(r -> top.put("primary_region", r.flyRegion()));
    // Heroku sends SIGTERM and waits 30 s before SIGKILL; Fly's defaults are SIGINT and 5 s.
    top.put("kill_signal", "SIGTERM").put("kill_timeout", "30s");
    sb.append(values(top));
    if (p.region().isEmpty()) sb.append("# primary_region: see the question in the pull request.\n");

    p.processes().release().flatMap(ProcessMapper.Release::command).ifPresent(cmd -> {
      sb.append("\n# Heroku's release phase: runs once per deploy, in a temporary machine with the new image.\n[deploy]\n");
      sb.append(values(TOML.createObjectNode().put("release_command", cmd)));
    });

    if (!p.env().isEmpty()) {
      ObjectNode env = TOML.createObjectNode();
      p.env().forEach(env::put);
      sb.append("\n# Plain settings, not secrets (secrets come from `flyover secrets` and win over these).\n[env]\n");
      sb.append(values(env));
    }

    if (!p.processes().groups().isEmpty()) {
      ObjectNode procs = TOML.createObjectNode();
      p.processes().groups().forEach(g -> procs.put(g.name(), g.command()));
      sb.append("\n# One group per Heroku process type, each command as the image runs it (no shell, no mix).\n[processes]\n");
      sb.append(values(procs));
    }

    // The plan sets PORT exactly when the app serves HTTP (a web group, or no Procfile at all).
    if (p.env().containsKey("PORT")) {
      ObjectNode http = TOML.createObjectNode().put("internal_port", p.internalPort()).put("force_https", true)
          .put("auto_stop_machines", "off").put("auto_start_machines", true).put("min_machines_running", 0);
      if (!p.processes().groups().isEmpty()) http.putArray("processes").add("web");
      sb.append("\n# Heroku's router: HTTPS on 443 (HTTP redirected) to $PORT; machines stay up as dynos do.\n[http_service]\n");
      sb.append(values(http));
      p.healthPath().ifPresent(path -> {
        ObjectNode check = TOML.createObjectNode().put("grace_period", "10s").put("interval", "30s").put("method", "GET")
            .put("timeout", "5s").put("path", path);
        // The app redirects plain HTTP to HTTPS unless the proxy says the request came in over HTTPS.
        if (p.repo().forceSsl()) check.putObject("headers").put("X-Forwarded-Proto", "https");
        sb.append("\n[[http_service.checks]]\n").append(values(check));
      });
    }

    for (ProcessMapper.Group g : p.processes().groups()) {
      if (g.vm().isEmpty()) continue;
      ObjectNode vm = TOML.createObjectNode().put("size", g.vm().get().flySize()).put("memory", g.vm().get().flyMemoryMb() + "mb");
      vm.putArray("processes").add(g.name());
      sb.append("\n# ").append(oneLine(g.name())).append(": Heroku ").append(oneLine(String.valueOf(g.dynoSize())))
          .append(" (").append(g.vm().get().herokuMemoryMb()).append(" MB)\n[[vm]]\n").append(values(vm));
    }
    return sb.toString();
  }

  private static String values(ObjectNode n) {
    try {
      return TOML.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  // ---------------------------------------------------------------- flyctl's rules

  /**
   * The machine sizes flyctl accepts for {@code [[vm]] size} (fly-go {@code MachinePresets}, read by
   * {@code guest.SetSize} in flyctl {@code internal/appconfig/machines.go computeToGuest}; GPU sizes left out).
   */
  static final Set<String> SIZES = Set.of("shared-cpu-1x", "shared-cpu-2x", "shared-cpu-4x", "shared-cpu-8x",
      "performance-1x", "performance-2x", "performance-4x", "performance-8x", "performance-16x");
  private static final Pattern MEMORY = Pattern.compile("(?i)^\\s*(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*$");
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m)$");

  /**
   * Problems flyctl would report for this text, as flyctl words them in spirit; empty when it would accept it.
   * Rules from flyctl v0.4.87 {@code internal/appconfig/validation.go} (release_command and [processes] must split
   * with shlex; every service must name existing groups when [processes] exists; check interval 1 s–1 min,
   * timeout ≤ 60 s) and {@code machines.go} (a known [[vm]] size, a parseable non-zero memory), and
   * {@code service.go} ({@code internal_port} required). The text must also read back through {@link FlyToml}
   * with the same app, region, release command, port and groups.
   */
  public static List<String> check(String text, LaunchPlan p) {
    List<String> problems = new ArrayList<>();
    FlyToml toml;
    try {
      Path tmp = Files.createTempFile("flyover-launch", ".toml");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        toml = FlyToml.read(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      problems.add("fly.toml does not read back: " + e.getMessage());
      return problems;
    }
    JsonNode root = toml.root();
    if (!toml.app().equals(Optional.of(p.flyApp()))) problems.add("app reads back as " + toml.app());
    if (!toml.primaryRegion().equals(p.region().map(RegionMap.Choice::flyRegion))) problems.add("primary_region reads back as " + toml.primaryRegion());
    Optional<String> release = p.processes().release().flatMap(ProcessMapper.Release::command);
    if (!toml.releaseCommand().equals(release)) problems.add("release_command reads back as " + toml.releaseCommand());
    release.ifPresent(r -> {
      if (Shlex.split(r).isEmpty()) problems.add("Can't shell split release command: '" + r + "'");
    });
    Map<String, String> groups = toml.processes();
    boolean hasProcesses = root.has("processes");
    for (ProcessMapper.Group g : p.processes().groups()) {
      if (!g.command().equals(groups.get(g.name()))) problems.add("[processes] " + g.name() + " reads back as " + groups.get(g.name()));
    }
    for (Map.Entry<String, String> e : groups.entrySet()) {
      if (hasProcesses && Shlex.split(e.getValue()).isEmpty()) {
        problems.add("Could not parse command for '" + e.getKey() + "' process group");
      }
    }
    JsonNode http = root.path("http_service");
    if (!http.isMissingNode()) {
      int port = http.path("internal_port").asInt(0);
      if (port < 1 || port > 65535) problems.add("[http_service] internal_port is required (1-65535)");
      if (!toml.internalPort().equals(Optional.of(p.internalPort()))) problems.add("internal_port reads back as " + toml.internalPort());
      JsonNode procs = http.path("processes");
      if (hasProcesses && (!procs.isArray() || procs.isEmpty())) {
        problems.add("Service has no processes set but app has " + groups.size() + " processes defined");
      }
      for (JsonNode n : procs) {
        if (!groups.containsKey(n.asText())) problems.add("Service specifies '" + n.asText() + "' as one of its processes, but no processes are defined with that name");
      }
      for (JsonNode c : http.path("checks")) {
        checkDuration(c, "interval", 1, 60, problems);
        checkDuration(c, "timeout", 1, 60, problems);
        checkDuration(c, "grace_period", 0, 60, problems);
        if (!c.path("path").asText("").startsWith("/")) problems.add("HTTP check path must start with /");
      }
    }
    for (JsonNode vm : root.path("vm")) {
      String size = vm.path("size").asText("");
      if (!size.isEmpty() && !SIZES.contains(size)) problems.add("[[vm]] size '" + size + "' is not a Fly machine size");
      String mem = vm.path("memory").asText("");
      if (!mem.isEmpty()) {
        Matcher m = MEMORY.matcher(mem);
        if (!m.matches() || Double.parseDouble(m.group(1)) == 0) problems.add("[[vm]] memory '" + mem + "' is not a size flyctl parses (or is zero)");
      }
      for (JsonNode g : vm.path("processes")) {
        if (hasProcesses && !groups.containsKey(g.asText())) problems.add("[[vm]] names the group '" + g.asText() + "', which [processes] does not define");
      }
    }
    return problems;
  }

  private static void checkDuration(JsonNode check, String field, int minSeconds, int maxSeconds, List<String> problems) {
    JsonNode v = check.get(field);
    if (v == null) return;
    Matcher m = DURATION.matcher(v.asText());
    if (!m.matches()) {
      problems.add("check " + field + " '" + v.asText() + "' is not a duration");
      return;
    }
    double seconds = Long.parseLong(m.group(1)) * switch (m.group(2)) {
      case "ms" -> 0.001;
      case "m" -> 60.0;
      default -> 1.0;
    };
    if (seconds < minSeconds || seconds > maxSeconds) {
      problems.add("check " + field + " " + v.asText() + " is outside " + minSeconds + "s-" + maxSeconds + "s");
    }
  }
}
