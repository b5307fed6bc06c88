package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.proc.Subprocess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts pg_dump/pg_restore with a minimal environment of their own (the libpq variables for one side, never a
 * password in argv), tracked by the {@link Stopper} so a failure or SIGTERM kills them.
 */
final class Tools {
  private Tools() {}

  /** The environment a client tool gets: PATH, HOME, a UTF-8 locale, and the side's libpq variables. */
  static Map<String, String> childEnv(Env env, PgUrl side, Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("PATH", env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.get("HOME").ifPresent(h -> m.put("HOME", h));
    m.put("LC_ALL", "C.UTF-8");
    m.put("PGAPPNAME", "flyover");
    m.put("PGCONNECT_TIMEOUT", "20");
    m.putAll(side.libpqEnv());
    m.putAll(extra);
    return m;
  }

  /**
   * The {@code --dbname} value for pg_restore and psql: a conninfo string naming the database only, quoted. A bare
   * name is read as a conninfo when it holds {@code =} (or as a URI when it starts with {@code postgres://}), so a
   * database named {@code x host=elsewhere} would send the restore, and PGPASSWORD, elsewhere (libpq
   * {@code conninfo_array_parse}, expand_dbname; PostgreSQL 15 docs "Connection Strings": values in single quotes,
   * {@code \\} and {@code \'} escaped). Only the first dbname is expanded, so the one inside is taken literally.
   * Host, port, user and password still come from the libpq environment, never from argv.
   */
  /**
   * A new temp file only its owner can read or write: the run's schema archive, its SQL and TOC lists hold the
   * source's definitions (function bodies, defaults), not for other users of the machine.
   */
  static java.nio.file.Path privateTempFile(String prefix, String suffix) throws IOException {
    return java.nio.file.Files.createTempFile(prefix, suffix, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
  }

  static String dbnameConninfo(String database) {
    return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  static ProcessBuilder builder(List<String> argv, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb;
  }

  record Run(int exit, List<String> stderr) {}

  /** Runs one tool to completion (stdout discarded, stderr kept). */
  static Run run(Stopper stopper, List<String> argv, Map<String, String> env, Consumer<String> onStderr)
      throws IOException, InterruptedException {
    ProcessBuilder pb = builder(argv, env).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = stopper.track(pb.start());
    p.getOutputStream().close();
    List<String> err = new ArrayList<>();
    Thread t = dev.flyover.proc.Subprocess.drain(p.getErrorStream(), err, onStderr, "stderr-" + argv.get(0));
    try {
      int code = p.waitFor();
      t.join(5000);
      synchronized (err) {
        return new Run(code, List.copyOf(err));
      }
    } catch (InterruptedException e) {
      Subprocess.killTree(p);
      throw e;
    } finally {
      stopper.untrack(p);
    }
  }

  /** The last line that says what went wrong, for a one-sentence message. */
  static String lastError(List<String> stderr) {
    for (int i = stderr.size() - 1; i >= 0; i--) {
      String l = stderr.get(i);
      if (l.contains("error:") || l.contains("FATAL") || l.contains("ERROR")) return l.strip();
    }
    return stderr.isEmpty() ? "no output" : stderr.get(stderr.size() - 1).strip();
  }

  /** How a child ended, in words: 128+N is a signal death. */
  static String exitText(int code) {
    if (code > 128) return "was killed by signal " + (code - 128);
    return "exited with status " + code;
  }
}
