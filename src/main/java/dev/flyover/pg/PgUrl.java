package dev.flyover.pg;

import dev.flyover.UserError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A libpq connection URI ({@code postgres://} or {@code postgresql://}) taken apart once, then handed to pgjdbc as
 * a JDBC URL plus {@link Properties} and to pg_dump/pg_restore as a libpq environment. pgjdbc accepts neither the
 * {@code postgres} scheme nor credentials in the authority, and a password in a child's argv is world-readable,
 * so the password only ever travels in properties or the child's environment. {@link #toString()} is masked.
 */
public final class PgUrl {
  /** URI query parameters libpq knows, and the environment variable each maps to for a child process. */
  private static final Map<String, String> LIBPQ_ENV = Map.ofEntries(
      Map.entry("sslmode", "PGSSLMODE"),
      Map.entry("sslrootcert", "PGSSLROOTCERT"),
      Map.entry("sslcert", "PGSSLCERT"),
      Map.entry("sslkey", "PGSSLKEY"),
      Map.entry("sslcrl", "PGSSLCRL"),
      Map.entry("connect_timeout", "PGCONNECT_TIMEOUT"),
      Map.entry("application_name", "PGAPPNAME"),
      Map.entry("target_session_attrs", "PGTARGETSESSIONATTRS"),
      Map.entry("gssencmode", "PGGSSENCMODE"),
      Map.entry("channel_binding", "PGCHANNELBINDING"),
      Map.entry("options", "PGOPTIONS"));
  /** The same parameters as pgjdbc names them (null: libpq only, not needed by JDBC). */
  private static final Map<String, String> JDBC_PROPERTY = Map.ofEntries(
      Map.entry("sslmode", "sslmode"),
      Map.entry("sslrootcert", "sslrootcert"),
      Map.entry("sslcert", "sslcert"),
      Map.entry("sslkey", "sslkey"),
      Map.entry("connect_timeout", "connectTimeout"),
      Map.entry("application_name", "ApplicationName"),
      Map.entry("target_session_attrs", "targetServerType"),
      Map.entry("channel_binding", "channelBinding"),
      Map.entry("options", "options"));
  private static final java.util.Set<String> SSL_MODES =
      java.util.Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private final String input;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> params;

  private PgUrl(String input, String host, int port, String database, String user, String password,
      Map<String, String> params) {
    this.input = input;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Parses {@code url}; {@code inputName} names the input in the one-sentence error as the surface does (Context#named:
   * "database-url input" in Actions, "--database-url option" in a terminal), which never repeats the value (it
   * holds a password).
   */
  public static PgUrl parse(String url, String inputName) {
    if (url == null || url.isBlank()) {
      throw new UserError("The " + inputName + " is empty: give a postgres://user:password@host:port/database URL.");
    }
    String s = url.strip();
    String rest;
    if (s.startsWith("postgres://")) {
      rest = s.substring("postgres://".length());
    } else if (s.startsWith("postgresql://")) {
      rest = s.substring("postgresql://".length());
    } else {
      throw bad(inputName, "it must start with postgres:// or postgresql://");
    }
    int q = rest.indexOf('?');
    String query = q >= 0 ? rest.substring(q + 1) : "";
    String beforeQuery = q >= 0 ? rest.substring(0, q) : rest;
    int slash = beforeQuery.indexOf('/', beforeQuery.lastIndexOf('@') + 1);
    String authority = slash >= 0 ? beforeQuery.substring(0, slash) : beforeQuery;
    String path = slash >= 0 ? beforeQuery.substring(slash + 1) : "";
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    String hostPort = authority;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, inputName, "user name");
      if (colon >= 0) password = decode(userInfo.substring(colon + 1), inputName, "password");
    }
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) throw bad(inputName, "its IPv6 host has no closing ]");
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) throw bad(inputName, "text follows its IPv6 host");
        portText = after.substring(1);
      }
    } else {
      if (hostPort.indexOf(',') >= 0) throw bad(inputName, "it names several hosts; give one");
      int colon = hostPort.lastIndexOf(':');
      host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
      if (colon >= 0) portText = hostPort.substring(colon + 1);
      host = decode(host, inputName, "host");
    }
    if (host.isEmpty()) throw bad(inputName, "it has no host");
    int port = 5432;
    if (portText != null && !portText.isEmpty()) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw bad(inputName, "its port is not a number");
      }
      if (port < 1 || port > 65535) throw bad(inputName, "its port is out of range");
    }
    String database = decode(path, inputName, "database name");
    if (database.isEmpty()) database = user == null ? "postgres" : user;
    Map<String, String> params = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        if (eq < 0) throw bad(inputName, "its query parameter " + safeName(pair) + " has no value");
        String key = decode(pair.substring(0, eq), inputName, "parameter name");
        String value = decode(pair.substring(eq + 1), inputName, "parameter value");
        switch (key) {
          case "user" -> user = value;
          case "password" -> password = value;
          case "dbname" -> database = value;
          case "host" -> host = value;
          case "port" -> {
            try {
              port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              throw bad(inputName, "its port parameter is not a number");
            }
          }
          case "ssl" -> {
            // Not libpq; Node and Ruby clients use ssl=true. It means "encrypt", so require (never verify-full, as
            // pgjdbc would read it).
            if (value.equals("true") || value.equals("1")) params.putIfAbsent("sslmode", "require");
          }
          default -> {
            if (!LIBPQ_ENV.containsKey(key)) {
              throw bad(inputName, "its query parameter " + safeName(key) + " is not one flyover passes on"
                  + " (known: " + String.join(", ", new java.util.TreeSet<>(LIBPQ_ENV.keySet())) + ")");
            }
            params.put(key, value);
          }
        }
      }
    }
    String mode = params.get("sslmode");
    if (mode != null && !SSL_MODES.contains(mode)) {
      throw bad(inputName, "its sslmode " + safeName(mode) + " is not one of " + String.join(", ", new java.util.TreeSet<>(SSL_MODES)));
    }
    return new PgUrl(s, host, port, database, user, password, params);
  }

  private static String safeName(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return "'" + t + "'";
  }

  private static UserError bad(String inputName, String why) {
    return new UserError("The " + inputName + " is not a valid PostgreSQL URL: " + why
        + "; use postgres://user:password@host:port/database (percent-encode special characters in the password).");
  }

  private static String decode(String s, String inputName, String part) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%') {
        if (i + 2 >= bytes.length) throw bad(inputName, "its " + part + " has a broken %-escape");
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi < 0 || lo < 0) throw bad(inputName, "its " + part + " has a broken %-escape");
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The same database with a default sslmode when the URL sets none (Heroku: require). */
  public PgUrl withDefaultSslMode(String mode) {
    if (params.containsKey("sslmode")) return this;
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put("sslmode", mode);
    return new PgUrl(input, host, port, database, user, password, p);
  }

  /** The same database with one more (or another) libpq parameter. */
  PgUrl withParam(String key, String value) {
    if (!LIBPQ_ENV.containsKey(key)) throw new IllegalArgumentException(key);
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put(key, value);
    return new PgUrl(input, host, port, database, user, password, p);
  }

  /** The same database reached at another address (through {@code flyctl proxy}). */
  public PgUrl via(String newHost, int newPort) {
    return new PgUrl(input, newHost, newPort, database, user, password, params);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  /** The password, for masking and for the child's environment only. */
  public String password() {
    return password;
  }

  public Map<String, String> params() {
    return params;
  }

  public String sslMode() {
    return params.getOrDefault("sslmode", "prefer");
  }

  /** The input as given, to register with the masker. */
  public String raw() {
    return input;
  }

  /** Fly's private addresses, unreachable from outside Fly's network except through {@code flyctl proxy}. */
  public boolean isFlyPrivate() {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.endsWith(".flycast") || h.endsWith(".internal");
  }

  /**
   * A Fly Managed Postgres host: {@code pgbouncer.<cluster>.flympg.net} (pooled) or {@code direct.<cluster>.flympg.net}
   * (fly.io/docs/mpg/client-configuration/). Reached through {@code fly mpg proxy}, which tunnels to the direct
   * address (fly/FlyProxy#startMpg), so COPY and session settings never go through PgBouncer.
   */
  public boolean isManagedPostgres() {
    return host.toLowerCase(java.util.Locale.ROOT).endsWith(".flympg.net");
  }

  /** Reached through a flyctl tunnel ({@code flyctl proxy} or {@code fly mpg proxy}, fly/FlyProxy). */
  public boolean needsFlyProxy() {
    return isFlyPrivate() || isManagedPostgres();
  }

  public String jdbcUrl() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** pgjdbc properties: credentials and TLS outside the URL, so they never show in a logged URL. */
  public Properties jdbcProperties() {
    Properties p = new Properties();
    if (user != null) p.setProperty("user", user);
    if (password != null) p.setProperty("password", password);
    // libpq and pgjdbc both default to prefer, but set it explicitly so the JDBC checks and pg_dump agree. With a
    // root certificate libpq's require verifies the chain and pgjdbc's does not: give pgjdbc verify-ca (see Tls).
    boolean rootCert = params.containsKey("sslrootcert");
    p.setProperty("sslmode", sslMode().equals("require") && rootCert ? "verify-ca" : sslMode());
    for (Map.Entry<String, String> e : params.entrySet()) {
      String name = JDBC_PROPERTY.get(e.getKey());
      if (name == null || e.getKey().equals("sslmode")) continue;
      String v = e.getValue();
      if (e.getKey().equals("target_session_attrs")) v = v.equals("read-write") ? "primary" : "any";
      p.setProperty(name, v);
    }
    return p;
  }

  /** The libpq environment for pg_dump/pg_restore: no password in argv, ever. */
  public Map<String, String> libpqEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGHOST", host);
    env.put("PGPORT", Integer.toString(port));
    if (user != null) env.put("PGUSER", user);
    if (password != null) env.put("PGPASSWORD", password);
    env.put("PGDATABASE", database);
    env.put("PGSSLMODE", sslMode());
    for (Map.Entry<String, String> e : params.entrySet()) env.put(LIBPQ_ENV.get(e.getKey()), e.getValue());
    return env;
  }

  /**
   * The URL written out again, with every parameter this PgUrl holds (a default sslmode included), for handing the
   * same database to another flyover (the remote transfer's machine). It carries the password: a secret.
   */
  public String uri() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : encode(host);
    StringBuilder sb = new StringBuilder("postgresql://");
    if (user != null) {
      sb.append(encode(user));
      if (password != null) sb.append(':').append(encode(password));
      sb.append('@');
    }
    sb.append(h).append(':').append(port).append('/').append(encode(database));
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A printable form: everything but the password. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "postgres://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + h + ":" + port + "/" + database;
  }

  /** Host, port and database only, for messages and the summary. */
  public String describe() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return h + ":" + port + "/" + database;
  }
}
