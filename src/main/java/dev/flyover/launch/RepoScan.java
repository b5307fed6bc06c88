package dev.flyover.launch;

import dev.flyover.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the repository says about the app, read from the working tree without running anything: the Procfile,
 * the stack's manifest (mix.exs, Gemfile, package.json), an existing Dockerfile or fly.toml, the release's
 * env.sh.eex, and the routes, to find a health check path that exists.
 */
public record RepoScan(Path dir, Optional<Map<String, String>> procfile, Stack stack, Optional<String> mixApp,
    boolean ecto, boolean dockerfile, boolean flyToml, Optional<String> envShEex, boolean runtimeReadsEctoIpv6,
    Optional<String> healthPath, List<String> dockerExposes, boolean forceSsl) {

  /** The frameworks flyover knows how to move, and the generator that writes each one's Dockerfile. */
  public enum Stack {
    PHOENIX("Phoenix"), ELIXIR("Elixir (no Phoenix)"), RAILS("Rails"), RUBY("Ruby (no Rails)"), NODE("Node.js"), UNKNOWN("unknown");

    public final String label;

    Stack(String label) {
      this.label = label;
    }
  }

  private static final Pattern MIX_APP = Pattern.compile("\\bapp:\\s*:([a-z_][a-z0-9_]*)");
  private static final Pattern PHX_ROUTE = Pattern.compile("^(\\s*)(get|head)\\s+\"(/[^\"]*)\"");
  private static final Pattern PHX_SCOPE = Pattern.compile("^(\\s*)scope\\s+\"(/[^\"]*)\"");
  private static final Pattern HEALTHY = Pattern.compile("/(health|healthz|healthcheck|_health|up|ping|status)/?$");
  private static final Pattern RAILS_UP = Pattern.compile("^\\s*get\\s+[\"'](/?(up|health|healthz|healthcheck|_health|ping|status))[\"']");
  private static final Pattern EXPOSE = Pattern.compile("(?im)^\\s*EXPOSE\\s+(\\d+)");

  public static RepoScan of(Path dir) {
    Optional<Map<String, String>> procfile = read(dir.resolve("Procfile")).map(Procfile::parse);
    Optional<String> mix = read(dir.resolve("mix.exs"));
    Optional<String> gemfile = read(dir.resolve("Gemfile"));
    boolean pkg = Files.isRegularFile(dir.resolve("package.json"));
    Stack stack;
    if (mix.isPresent()) {
      stack = mix.get().contains(":phoenix,") || mix.get().contains(":phoenix ") ? Stack.PHOENIX : Stack.ELIXIR;
    } else if (gemfile.isPresent()) {
      stack = gemfile.get().matches("(?s).*\\bgem\\s+[\"']rails[\"'].*") ? Stack.RAILS : Stack.RUBY;
    } else {
      stack = pkg ? Stack.NODE : Stack.UNKNOWN;
    }
    Optional<String> mixApp = mix.flatMap(m -> {
      Matcher mm = MIX_APP.matcher(m);
      return mm.find() ? Optional.of(mm.group(1)) : Optional.empty();
    });
    boolean ecto = mix.map(m -> m.contains(":ecto_sql") || m.contains(":postgrex")).orElse(false);
    Optional<String> dockerText = read(dir.resolve("Dockerfile"));
    List<String> exposes = new ArrayList<>();
    dockerText.ifPresent(t -> {
      Matcher m = EXPOSE.matcher(t);
      while (m.find()) exposes.add(m.group(1));
    });
    Optional<String> health = switch (stack) {
      case PHOENIX -> phoenixHealth(dir);
      case RAILS -> read(dir.resolve("config/routes.rb")).flatMap(RepoScan::railsHealth);
      default -> Optional.empty();
    };
    return new RepoScan(dir, procfile, stack, mixApp, ecto, dockerText.isPresent(),
        Files.isRegularFile(dir.resolve("fly.toml")), read(dir.resolve("rel/env.sh.eex")),
        read(dir.resolve("config/runtime.exs")).map(t -> t.contains("ECTO_IPV6")).orElse(false), health,
        List.copyOf(exposes), forceSsl(dir));
  }

  /**
   * The app redirects plain HTTP to HTTPS (Phoenix {@code force_ssl}, Rails {@code config.force_ssl = true}), as
   * Heroku apps usually do behind its router's {@code X-Forwarded-Proto}. Fly's checks call the machine over plain
   * HTTP without that header, so they would get a redirect, not a 200.
   */
  static boolean forceSsl(Path dir) {
    for (String f : List.of("config/prod.exs", "config/runtime.exs")) {
      if (read(dir.resolve(f)).map(t -> t.contains("force_ssl")).orElse(false)) return true;
    }
    return read(dir.resolve("config/environments/production.rb"))
        .map(t -> t.lines().anyMatch(l -> l.strip().replace(" ", "").equals("config.force_ssl=true")))
        .orElse(false);
  }

  /** A health-like GET route in the Phoenix router, with the paths of the scopes around it (by indentation). */
  static Optional<String> phoenixHealth(Path dir) {
    Path lib = dir.resolve("lib");
    if (!Files.isDirectory(lib)) return Optional.empty();
    List<Path> routers;
    try (Stream<Path> s = Files.walk(lib, 3)) {
      routers = s.filter(p -> p.getFileName().toString().equals("router.ex")).sorted().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    for (Path r : routers) {
      Optional<String> found = read(r).flatMap(RepoScan::phoenixHealthIn);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  static Optional<String> phoenixHealthIn(String router) {
    List<int[]> indents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String line : router.split("\\r?\\n")) {
      if (line.isBlank()) continue;
      int indent = line.length() - line.stripLeading().length();
      while (!indents.isEmpty() && indent <= indents.get(indents.size() - 1)[0]) {
        indents.remove(indents.size() - 1);
        prefixes.remove(prefixes.size() - 1);
      }
      Matcher scope = PHX_SCOPE.matcher(line);
      if (scope.find()) {
        indents.add(new int[] {indent});
        prefixes.add(scope.group(2));
        continue;
      }
      Matcher route = PHX_ROUTE.matcher(line);
      if (route.find()) {
        String path = join(prefixes, route.group(3));
        if (HEALTHY.matcher(path).find()) return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private static String join(List<String> prefixes, String route) {
    StringBuilder sb = new StringBuilder();
    for (String p : prefixes) sb.append(p.equals("/") ? "" : p.replaceAll("/+$", ""));
    sb.append(route);
    String s = sb.toString().replaceAll("/{2,}", "/");
    return s.isEmpty() ? "/" : s;
  }

  static Optional<String> railsHealth(String routes) {
    for (String line : routes.split("\\r?\\n")) {
      Matcher m = RAILS_UP.matcher(line);
      if (m.find()) return Optional.of(m.group(1).startsWith("/") ? m.group(1) : "/" + m.group(1));
    }
    return Optional.empty();
  }

  private static Optional<String> read(Path p) {
    if (!Files.isRegularFile(p)) return Optional.empty();
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UserError("Could not read " + p + " (" + e.getMessage() + "): check the working-directory.");
    }
  }
}
