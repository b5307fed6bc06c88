package dev.flyover.testing;

import com.sun.net.httpserver.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The deployed app as the health check sees it: a loopback HTTP server answering one status to every path. */
public final class AppServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private volatile int status;

  public AppServer(int status) {
    this.status = status;
    server = Loopback.serve(ex -> {
      try (ex) {
        paths.add(ex.getRequestURI().getPath());
        byte[] body = ("status " + this.status).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.sendResponseHeaders(this.status, body.length);
        ex.getResponseBody().write(body);
      }
    });
  }

  public String url() {
    return Loopback.url(server);
  }

  public void status(int s) {
    status = s;
  }

  /** Paths requested so far. */
  public List<String> paths() {
    return List.copyOf(paths);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
