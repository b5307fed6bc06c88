package dev.flyover.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to deploy and how, as plain values (no picocli), so the deploy command and the cutover share one flow.
 * Build one with {@link #builder(Path)}; every field but the directory has the action's default. Lists hold one
 * line per entry, as the multi-line inputs do; they are validated by {@link Deployer}, not here.
 */
public record DeployRequest(
    Path directory,
    Optional<String> app,
    Optional<String> config,
    Optional<String> token,
    Optional<String> image,
    Optional<String> strategy,
    List<String> buildArgs,
    List<String> buildSecrets,
    List<String> env,
    Optional<String> waitTimeout,
    boolean ha,
    List<String> extraArgs,
    boolean healthCheck,
    Optional<String> healthCheckUrl,
    String healthCheckPath,
    int healthCheckStatus,
    Duration healthCheckTimeout,
    int healthCheckRetries,
    boolean rollback,
    boolean createApp,
    Optional<String> org,
    Optional<String> githubToken,
    String environment,
    boolean dryRun) {

  public DeployRequest {
    Objects.requireNonNull(directory, "directory");
    buildArgs = List.copyOf(buildArgs);
    buildSecrets = List.copyOf(buildSecrets);
    env = List.copyOf(env);
    extraArgs = List.copyOf(extraArgs);
  }

  /** Tokens and build secrets stay out of logs and exception messages. */
  @Override
  public String toString() {
    return "DeployRequest[directory=" + directory + ", app=" + app.orElse("(fly.toml)") + ", image="
        + image.orElse("(build)") + ", dryRun=" + dryRun + "]";
  }

  /** The same deploy of a prebuilt image (the cutover's, of the image its build step pushed). */
  public DeployRequest withImage(String ref) {
    return new DeployRequest(directory, app, config, token, Optional.of(ref), strategy, buildArgs, buildSecrets, env,
        waitTimeout, ha, extraArgs, healthCheck, healthCheckUrl, healthCheckPath, healthCheckStatus, healthCheckTimeout,
        healthCheckRetries, rollback, createApp, org, githubToken, environment, dryRun);
  }

  /** A request for the app in {@code directory} (where fly.toml and the Dockerfile are). */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Defaults are action.yml's. */
  public static final class Builder {
    private final Path directory;
    private String app;
    private String config;
    private String token;
    private String image;
    private String strategy;
    private List<String> buildArgs = List.of();
    private List<String> buildSecrets = List.of();
    private List<String> env = List.of();
    private String waitTimeout;
    private boolean ha = true;
    private List<String> extraArgs = List.of();
    private boolean healthCheck = true;
    private String healthCheckUrl;
    private String healthCheckPath = "/";
    private int healthCheckStatus = 200;
    private Duration healthCheckTimeout = Duration.ofSeconds(10);
    private int healthCheckRetries = 10;
    private boolean rollback;
    private boolean createApp;
    private String org;
    private String githubToken;
    private String environment = "production";
    private boolean dryRun;

    private Builder(Path directory) {
      this.directory = directory;
    }

    private static String clean(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }

    private static List<String> lines(List<String> l) {
      return l == null ? List.of() : l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public Builder app(String v) { app = clean(v); return this; }
    public Builder config(String v) { config = clean(v); return this; }
    public Builder token(String v) { token = clean(v); return this; }
    public Builder image(String v) { image = clean(v); return this; }
    public Builder strategy(String v) { strategy = clean(v); return this; }
    public Builder buildArgs(List<String> v) { buildArgs = lines(v); return this; }
    public Builder buildSecrets(List<String> v) { buildSecrets = lines(v); return this; }
    public Builder env(List<String> v) { env = lines(v); return this; }
    public Builder waitTimeout(String v) { waitTimeout = clean(v); return this; }
    public Builder ha(boolean v) { ha = v; return this; }
    public Builder extraArgs(List<String> v) { extraArgs = lines(v); return this; }
    public Builder healthCheck(boolean v) { healthCheck = v; return this; }
    public Builder healthCheckUrl(String v) { healthCheckUrl = clean(v); return this; }
    public Builder healthCheckPath(String v) { healthCheckPath = v == null || v.isBlank() ? "/" : v.strip(); return this; }
    public Builder healthCheckStatus(int v) { healthCheckStatus = v; return this; }
    public Builder healthCheckTimeout(Duration v) { healthCheckTimeout = v; return this; }
    public Builder healthCheckRetries(int v) { healthCheckRetries = v; return this; }
    public Builder rollback(boolean v) { rollback = v; return this; }
    public Builder createApp(boolean v) { createApp = v; return this; }
    public Builder org(String v) { org = clean(v); return this; }
    public Builder githubToken(String v) { githubToken = clean(v); return this; }
    public Builder environment(String v) { environment = v == null || v.isBlank() ? "production" : v.strip(); return this; }
    public Builder dryRun(boolean v) { dryRun = v; return this; }

    public DeployRequest build() {
      return new DeployRequest(directory, Optional.ofNullable(app), Optional.ofNullable(config),
          Optional.ofNullable(token), Optional.ofNullable(image), Optional.ofNullable(strategy), buildArgs,
          buildSecrets, env, Optional.ofNullable(waitTimeout), ha, extraArgs, healthCheck,
          Optional.ofNullable(healthCheckUrl), healthCheckPath, healthCheckStatus, healthCheckTimeout,
          healthCheckRetries, rollback, createApp, Optional.ofNullable(org), Optional.ofNullable(githubToken),
          environment, dryRun);
    }
  }
}
