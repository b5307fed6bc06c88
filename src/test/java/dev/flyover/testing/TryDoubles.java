package dev.flyover.testing;

import dev.flyover.Env;
import dev.flyover.cli.Main;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * flyover from a terminal against the tests' doubles, to try {@code plan} (or {@code secrets --dry-run},
 * {@code deploy --dry-run}, {@code cutover}) with no Heroku or Fly account: nothing leaves the machine.
 * Heroku (the API double): the Phoenix app {@code shop} with web and worker dynos, Postgres and Redis add-ons,
 * config vars and two custom domains. Fly (the flyctl double, python3): an org token and the app {@code shop-fly}
 * with shared IPv4 and IPv6. The app's directory: fly.toml, a Dockerfile and the Procfile. The tokens are in
 * the environment ({@code HEROKU_APP}, {@code HEROKU_API_KEY}, {@code FLY_API_TOKEN}); what is given on the
 * command line is passed to flyover as it is. Everything is deleted at exit.
 *
 * <pre>
 *   mvn -q package -DskipTests        # target/flyover.jar and target/test-classes
 *   java -cp target/flyover.jar:target/test-classes dev.flyover.testing.TryDoubles plan --create-database
 * </pre>
 * Run it from the repository root (the flyctl double is {@code src/test/doubles/flyctl/flyctl}).
 */
public final class TryDoubles {
  static final String HEROKU = "shop";
  static final String FLY = "shop-fly";
  static final String FLY_TOKEN = "fo1_try_the_doubles_org_token";
  static final String FLY_TOML = """
      app = "shop-fly"
      primary_region = "ams"

      [env]
        PHX_HOST = "shop.example"

      [processes]
        web = "/app/bin/server"
        worker = "/app/bin/shop eval Shop.Worker.start"

      [http_service]
        internal_port = 4000
        processes = ["web"]

      [deploy]
        release_command = "/app/bin/migrate"
      """;

  private TryDoubles() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs flyover with these arguments (none: {@code plan --create-database}) against fresh doubles; its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (!Files.isExecutable(FlyctlDouble.EXECUTABLE)) {
      err.println("Run this from the repository root: " + FlyctlDouble.EXECUTABLE + " is not there.");
      return 2;
    }
    try (HerokuApiDouble heroku = new HerokuApiDouble()) {
      heroku.app(HEROKU)
          .configVar("SECRET_KEY_BASE", "try-the-doubles-secret-key-base-0123456789abcdef")
          .configVar("DATABASE_URL", "postgres://u:try-the-doubles-password@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1")
          .configVar("REDIS_URL", "redis://h:try-the-doubles-redis@ec2-1-2-3-5.compute-1.amazonaws.com:6379")
          .configVar("STRIPE_SECRET_KEY", "sk_test_try_the_doubles")
          .configVar("POOL_SIZE", "10")
          .configVar("MIX_ENV", "prod")
          .formation("web", 2, "Standard-1X", "/app/bin/server")
          .formation("worker", 1, "Standard-2X", "/app/bin/shop eval Shop.Worker.start")
          .addon("heroku-postgresql", "essential-0", "DATABASE", "URL")
          .addon("heroku-redis", "mini", "REDIS", "URL")
          .domain("shop.example", "custom")
          .domain("www.shop.example", "custom");
      FlyctlDouble fly = new FlyctlDouble();
      fly.token(FLY_TOKEN, "org", null);
      fly.run(FLY_TOKEN, "apps", "create", FLY, "--org", "personal");
      fly.run(FLY_TOKEN, "ips", "allocate-v4", "--shared", "-a", FLY);
      fly.run(FLY_TOKEN, "ips", "allocate-v6", "-a", FLY);

      Path app = TempDirs.create("flyover-try");
      write(app.resolve("fly.toml"), FLY_TOML);
      write(app.resolve("Dockerfile"), "FROM scratch\n");
      write(app.resolve("Procfile"), "web: /app/bin/server\nworker: /app/bin/shop eval Shop.Worker.start\n"
          + "release: /app/bin/migrate\n");

      Map<String, String> env = new HashMap<>();
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
      env.put("HOME", TempDirs.create("flyover-try-home").toString());
      env.put("PWD", app.toString());
      env.put("HEROKU_APP", HEROKU);
      env.put("HEROKU_API_KEY", HerokuApiDouble.KEY);
      env.put("FLY_API_TOKEN", FLY_TOKEN);
      env.putAll(heroku.env());
      env.putAll(fly.env());
      String[] argv = args.length == 0 ? new String[] {"plan", "--create-database"} : args;
      err.println("(against the doubles: Heroku app " + HEROKU + ", Fly app " + FLY + ", app directory " + app + ")");
      return Main.run(Env.of(env), argv, out, err);
    }
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
