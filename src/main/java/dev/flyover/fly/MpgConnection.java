package dev.flyover.fly;

import dev.flyover.UserError;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Managed Postgres cluster's default connection, as {@code fly mpg status ID --json} prints it
 * (internal/command/mpg/status.go → v2/run_status.go or v1/run_status.go render the API's whole
 * {@code GetClusterResponse}: {@code data} {id, name, status, region, organization} and {@code credentials}
 * {user, password, dbname, pgbouncer_uri}; internal/uiex/mpg/v2/client.go, v1/client.go; flyctl ad0172f).
 * {@link #url} is built the way {@code fly mpg attach} builds DATABASE_URL (v2/run_attach.go): the
 * {@code pgbouncer_uri}'s host and port with the credentials' user, password and database. It holds a password:
 * {@link #toString} leaves it out.
 */
public record MpgConnection(String clusterId, String name, String status, String orgSlug, String url) {
  /**
   * A cluster ID as a {@code database-url}: one lowercase DNS label (letters, digits, inner hyphens, up to 63),
   * because Fly puts the ID in the cluster's host name, {@code pgbouncer.<ID>.flympg.net}
   * (fly.io/docs/mpg/client-configuration/), and flyctl passes it as the last path segment of
   * {@code /api/v1/postgresv2/<ID>} (uiex/mpg/v2/client.go GetClusterById). Such a value has no scheme, colon,
   * slash, {@code @} or dot, so it can never be mistaken for a connection URL or a host name.
   */
  private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  public static boolean isClusterId(String value) {
    return value != null && CLUSTER_ID.matcher(value.strip()).matches();
  }

  /**
   * A target {@code database-url} as a connection string: a cluster ID is resolved through {@code fly mpg status}
   * ({@link Flyctl#mpgConnection}) into the cluster's connection string, masked before anything prints, which
   * names {@code pgbouncer.<ID>.flympg.net} and so is reached through {@code fly mpg proxy} like any Managed
   * Postgres connection string (FlyProxy#start). Anything else is returned unchanged, for PgUrl to judge.
   *
   * @param optionName how this surface spells an input (Context#optionName)
   */
  public static String resolveTarget(String input, Supplier<Flyctl> fly, Function<String, String> optionName) {
    if (!isClusterId(input)) return input;
    String name = optionName.apply("database-url");
    MpgConnection c = fly.get().mpgConnection(input.strip()).orElseThrow(() -> new UserError("The " + name
        + " value is a Managed Postgres cluster ID that flyctl cannot find with this " + optionName.apply("fly-api-token")
        + ": check the ID with `fly mpg list`, use a token of the cluster's organization, or set " + name
        + " to the cluster's connection string (from `fly mpg status` or the Fly dashboard)."));
    if (c.url().isEmpty()) {
      throw new UserError("The " + name + " value is Managed Postgres cluster " + c.clusterId() + ", which has no"
          + " connection credentials yet (status " + (c.status().isEmpty() ? "unknown" : c.status()) + "): wait until"
          + " `fly mpg status` shows it ready, or set " + name + " to its connection string.");
    }
    return c.url();
  }

  @Override
  public String toString() {
    return "MpgConnection[clusterId=" + clusterId + ", name=" + name + ", status=" + status + ", org=" + orgSlug + "]";
  }
}
