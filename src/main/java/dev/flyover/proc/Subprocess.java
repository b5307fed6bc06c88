package dev.flyover.proc;

import dev.flyover.Env;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a child process from an argument array (never a shell). Secrets go in {@link #env} or {@link #stdin},
 * never in the arguments. Both streams are read line by line as they come (so the child never stalls on a full
 * pipe), handed to listeners and kept for parsing. On timeout or interruption the whole process tree is killed.
 */
public final class Subprocess {
  private final List<String> command;
  private final Map<String, String> env = new HashMap<>();
  private Path directory;
  private byte[] stdin;
  private Duration timeout = Duration.ofHours(6);
  private Consumer<String> onStdout = l -> {};
  private Consumer<String> onStderr = l -> {};

  private Subprocess(List<String> command) {
    this.command = List.copyOf(command);
  }

  public static Subprocess of(List<String> command) {
    return new Subprocess(command);
  }

  /** The child's whole environment starts as this one (so PATH, HOME and the doubles' settings pass through). */
  public Subprocess inherit(Env parent) {
    env.putAll(parent.asMap());
    return this;
  }

  public Subprocess env(String name, String value) {
    if (value == null) env.remove(name); else env.put(name, value);
    return this;
  }

  public Subprocess directory(Path dir) {
    this.directory = dir;
    return this;
  }

  /** Bytes written to the child's stdin, which is then closed; without it stdin is closed at once. */
  public Subprocess stdin(byte[] bytes) {
    this.stdin = bytes;
    return this;
  }

  public Subprocess timeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout);
    return this;
  }

  public Subprocess onStdout(Consumer<String> listener) {
    this.onStdout = listener;
    return this;
  }

  public Subprocess onStderr(Consumer<String> listener) {
    this.onStderr = listener;
    return this;
  }

  public List<String> command() {
    return command;
  }

  /** Runs to completion. */
  public Result run() throws IOException, InterruptedException {
    Process p = start();
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Thread to = drain(p.getInputStream(), out, onStdout, "stdout");
    Thread te = drain(p.getErrorStream(), err, onStderr, "stderr");
    feed(p);
    boolean finished;
    try {
      finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(p);
      throw e;
    }
    if (!finished) killTree(p);
    to.join(5_000);
    te.join(5_000);
    synchronized (out) {
      synchronized (err) {
        return new Result(finished ? p.exitValue() : -1, !finished, List.copyOf(out), List.copyOf(err));
      }
    }
  }

  /** Starts without waiting, for long-lived children such as {@code flyctl proxy}. */
  public Process start() throws IOException {
    checkEncodable();
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    if (directory != null) pb.directory(directory.toFile());
    return pb.start();
  }

  /**
   * The JVM encodes arguments and environment values in the locale's charset, fixed at start-up; with no LANG
   * (as in a bare container) that is ASCII, and anything else would silently become '?'. Refuse instead, without
   * showing the value.
   */
  private void checkEncodable() {
    java.nio.charset.CharsetEncoder enc;
    try {
      enc = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).newEncoder();
    } catch (IllegalArgumentException e) {
      return;
    }
    for (String a : command) {
      if (!enc.canEncode(a)) throw notEncodable("an argument");
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!enc.canEncode(e.getKey()) || !enc.canEncode(e.getValue())) throw notEncodable("the variable " + e.getKey());
    }
  }

  private dev.flyover.UserError notEncodable(String what) {
    return new dev.flyover.UserError("Cannot pass " + what + " to " + Path.of(command.get(0)).getFileName()
        + ": it has non-ASCII characters and this machine has no UTF-8 locale; set LANG=C.UTF-8 and run again.");
  }

  private void feed(Process p) {
    Thread t = new Thread(() -> {
      try (OutputStream os = p.getOutputStream()) {
        if (stdin != null) os.write(stdin);
      } catch (IOException ignored) {
        // The child exited or closed its stdin early; its exit status says what happened.
      }
    }, "stdin-" + command.get(0));
    t.setDaemon(true);
    t.start();
  }

  /**
   * The most of one stream's output kept in memory, in characters: the tail is kept (the end of a child's
   * output is where it says what went wrong), and a first line says how much was dropped. Far above what flyctl's
   * JSON answers or pg_dump's messages need; a child that prints without end cannot exhaust the heap.
   */
  public static final int KEEP_CHARS = 8 * 1024 * 1024;
  /** The most of one line kept (and passed to listeners): the rest is replaced by a note of its length. */
  public static final int MAX_LINE_CHARS = 256 * 1024;

  /**
   * Reads a child's stream line by line on a daemon thread: each line into {@code sink}, then to the listener.
   * Lines end at "\n", "\r" or "\r\n" (as BufferedReader.readLine and the Actions runner split them), are cut at
   * {@link #MAX_LINE_CHARS}, and {@code sink} keeps only the last {@link #KEEP_CHARS} characters' worth.
   */
  public static Thread drain(InputStream in, List<String> sink, Consumer<String> listener, String name) {
    Thread t = new Thread(() -> {
      Tail tail = new Tail(sink, KEEP_CHARS);
      try (java.io.Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder();
        long cut = 0;
        boolean afterCr = false;
        boolean open = false;
        int n;
        while ((n = r.read(buf)) != -1) {
          for (int i = 0; i < n; i++) {
            char c = buf[i];
            if (afterCr && c == '\n') {
              afterCr = false;
              continue;
            }
            afterCr = c == '\r';
            if (c == '\n' || c == '\r') {
              String l = finish(line, cut);
              tail.add(l);
              listener.accept(l);
              line.setLength(0);
              cut = 0;
              open = false;
              continue;
            }
            open = true;
            if (line.length() < MAX_LINE_CHARS) line.append(c); else cut++;
          }
        }
        if (open) {
          String l = finish(line, cut);
          tail.add(l);
          listener.accept(l);
        }
      } catch (IOException e) {
        // Stream closed because the child was killed.
      } catch (UncheckedIOException e) {
        // same
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String finish(StringBuilder line, long cut) {
    return cut == 0 ? line.toString() : line + " … (" + cut + " more characters not kept)";
  }

  /** A list that keeps the last lines within a character budget, led by a note of what was dropped. */
  static final class Tail {
    private final List<String> sink;
    private final long budget;
    private long chars;
    private long droppedLines;
    private long droppedChars;

    Tail(List<String> sink, long budget) {
      this.sink = sink;
      this.budget = budget;
    }

    void add(String line) {
      synchronized (sink) {
        sink.add(line);
        chars += line.length();
        if (chars <= budget) return;
        // Drop the oldest lines down to three quarters of the budget at once, so each line is moved O(1) times.
        int from = droppedLines > 0 ? 1 : 0;
        int i = from;
        long target = budget * 3 / 4;
        while (chars > target && i < sink.size() - 1) {
          chars -= sink.get(i).length();
          droppedChars += sink.get(i).length();
          droppedLines++;
          i++;
        }
        sink.subList(0, i).clear();
        sink.add(0, "… (" + droppedLines + " earlier lines, " + droppedChars + " characters, not kept)");
      }
    }
  }

  /** Kills the process and everything it started. */
  public static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(3, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** What a finished child left: exit code (-1 when it timed out) and its lines. */
  public record Result(int exitCode, boolean timedOut, List<String> stdout, List<String> stderr) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    public String stdoutText() {
      return String.join("\n", stdout);
    }

    public String stderrText() {
      return String.join("\n", stderr);
    }
  }
}
