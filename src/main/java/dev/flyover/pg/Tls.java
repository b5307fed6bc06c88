package dev.flyover.pg;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import dev.flyover.pg.PgSession.Side;
import java.sql.Connection;
import java.util.Locale;

/**
 * TLS defaults that cannot be silently downgraded, one place for both commands and for JDBC and the libpq tools.
 * <ul>
 *   <li>The source (Heroku, which requires TLS): {@code sslmode=require} unless the URL says otherwise.
 *   <li>The target: {@code sslmode=require}, except through {@code flyctl proxy} (a {@code .flycast} or
 *       {@code .internal} host: the WireGuard tunnel is the encryption, and Fly's private Postgres has no TLS:
 *       {@code disable}), through {@code fly mpg proxy} (a Managed Postgres host: {@code prefer}, see
 *       {@link #target}) and on loopback (libpq's {@code prefer}: the bytes never leave the machine).
 *   <li>A URL's own {@code sslmode} always wins (stated, so not silent); a weaker one on a remote host is warned of.
 *   <li>{@code sslrootcert} with {@code require} verifies the chain in libpq ("If a root CA file is present, verify
 *       the certificate in the same way as if verify-ca was specified", PostgreSQL 15 libpq.sgml, sslmode) but not in
 *       pgjdbc (its {@code require} never validates: {@code org/postgresql/ssl/LibPQFactory.java}), so JDBC is given
 *       {@code verify-ca} then ({@link PgUrl#jdbcProperties()}): both sides check the same thing.
 *   <li>{@code channel_binding=require} once the server has shown it offers SCRAM channel binding
 *       ({@link #pinChannelBinding}).
 * </ul>
 */
public final class Tls {
  private Tls() {}

  /** The source's defaults. */
  public static PgUrl source(PgUrl url) {
    return url.withDefaultSslMode("require");
  }

  /**
   * The target's defaults. A Managed Postgres host ({@code *.flympg.net}) is reached through {@code fly mpg proxy}
   * (fly/FlyProxy#startMpg; internal/command/mpg/proxy.go), or directly from a machine on Fly's private network:
   * both ways the bytes travel inside Fly's WireGuard, which is the encryption, as for flyctl proxy. The proxy
   * forwards raw TCP, so the cluster's own TLS (on by default) is still negotiated end to end: {@code prefer} gets
   * it from a real cluster, and still connects to a server without TLS behind the same tunnel (the tests' double).
   * {@code require} would add no check here (it verifies no certificate) and would refuse such a server.
   */
  public static PgUrl target(PgUrl url) {
    if (url.isFlyPrivate()) return url.withDefaultSslMode("disable");
    if (url.isManagedPostgres()) return url.withDefaultSslMode("prefer");
    if (isLoopback(url.host())) return url.withDefaultSslMode("prefer");
    return url.withDefaultSslMode("require");
  }

  /** Hosts whose traffic stays on this machine. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** Whether the URL encrypts: require or stricter. */
  static boolean encrypts(PgUrl url) {
    return switch (url.sslMode()) {
      case "require", "verify-ca", "verify-full" -> true;
      default -> false;
    };
  }

  /** A warning for a URL that does not encrypt a connection leaving this machine; null when there is none. */
  public static String weakModeWarning(PgUrl url, String inputName) {
    if (encrypts(url) || url.needsFlyProxy() || isLoopback(url.host())) return null;
    return "The URL in the " + inputName + " sets sslmode=" + url.sslMode() + ": the connection to " + url.describe()
        + " may be unencrypted; remove sslmode (flyover then requires TLS) or set sslmode=verify-full.";
  }

  /** What a run connects with: the weak-mode warning printed, channel binding pinned where the server offers it. */
  public static PgUrl forRun(PgUrl url, String inputName, Console console) {
    String warning = weakModeWarning(url, inputName);
    if (warning != null) console.warn(warning);
    return pinChannelBinding(url, inputName, console);
  }

  /**
   * {@link #forRun} for both sides, as the run starts: each side's first session is opened demanding channel
   * binding (so the probe is the session the run then uses: one connection, not two, each a TLS handshake and an
   * authentication), both sides side by side, and what they found printed in the order of one after the other. A
   * target that is not probed (Fly's private network, Managed Postgres through its proxy) is returned as it is, with
   * no session. A session is null too when the probe failed for another reason: the run's own connection reports it.
   */
  static Beside.Both<Pinned, Pinned> forRun(PgUrl source, String sourceInput, PgUrl target, String targetInput,
      boolean probeTarget, Console console) {
    Beside.Both<Pinned, Pinned> pinned = Beside.run(() -> pin(source, sourceInput, Side.SOURCE),
        () -> probeTarget ? pin(target, targetInput, Side.TARGET) : new Pinned(target, null, null, null));
    String warning = weakModeWarning(source, sourceInput);
    if (warning != null) console.warn(warning);
    pinned.first().print(console);
    if (probeTarget) {
      warning = weakModeWarning(target, targetInput);
      if (warning != null) console.warn(warning);
      pinned.second().print(console);
    }
    return pinned;
  }

  /**
   * A probe's outcome: the URL to run with, what to say about it (each null when there is nothing to say), and the
   * session it opened, when it opened one ({@link PgSession#open}'s, settings applied).
   */
  record Pinned(PgUrl url, String debug, String info, Connection session) {
    void print(Console console) {
      if (debug != null) console.debug(debug);
      if (info != null) console.info(info);
    }
  }

  /**
   * {@code channel_binding=require} for the rest of the run when the server offers SCRAM channel binding, learnt
   * from a connection that demands it (pgjdbc 42.7.8 refuses every other authentication then, including a
   * downgrade to md5 or password: {@code ConnectionFactoryImpl} "Channel binding is required, but server requested
   * ... authentication"). From then on JDBC ({@code channelBinding}) and pg_dump/pg_restore ({@code PGCHANNELBINDING},
   * libpq 13+) demand it too, so a man in the middle who appears mid-run cannot downgrade the authentication. What
   * the first connection meets cannot be checked this way: only {@code sslmode=verify-full} with {@code sslrootcert}
   * verifies the server itself. A URL that sets channel_binding is left as it is; without TLS there is nothing to bind.
   */
  public static PgUrl pinChannelBinding(PgUrl url, String inputName, Console console) {
    // Opened read-only, whichever side the URL is: it runs nothing but its settings and is closed.
    Pinned p = pin(url, inputName, Side.SOURCE);
    if (p.session() != null) Stopper.closeQuietly(p.session());
    p.print(console);
    return p.url();
  }

  /** {@link #pinChannelBinding} without printing, keeping the session it opened: safe to run beside another probe. */
  static Pinned pin(PgUrl url, String inputName, Side side) {
    if (url.params().containsKey("channel_binding") || !encrypts(url)) return new Pinned(url, null, null, null);
    PgUrl pinned = url.withParam("channel_binding", "require");
    try {
      Connection c = PgSession.open(pinned, side, inputName);
      return new Pinned(pinned, "the server at " + url.describe() + " (the " + inputName
          + ") uses SCRAM channel binding: required from now on", null, c);
    } catch (UserError e) {
      String m = e.getCause() == null || e.getCause().getMessage() == null ? "" : e.getCause().getMessage();
      if (m.contains("Channel binding") || m.contains("Channel Binding")) {
        return new Pinned(url, null, "the server at " + url.describe() + " (the " + inputName + ") does not offer SCRAM"
            + " channel binding: the connection is encrypted, but the server is verified only with sslmode=verify-full"
            + " and sslrootcert", null);
      }
      // Anything else (a wrong password, an unreachable host) is reported by the run's own connection.
      return new Pinned(url, null, null, null);
    }
  }
}
