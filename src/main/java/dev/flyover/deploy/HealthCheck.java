package dev.flyover.deploy;

import dev.flyover.actions.Console;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Proves the new release answers: GET the URL until it returns the expected status, with a per-request timeout
 * and a growing pause between tries (1 s, 2 s, 4 s… at most 10 s). Redirects are not followed, so the status
 * compared is the app's own answer.
 */
final class HealthCheck {
  /** The outcome: whether the check passed, after how many tries, and what the last try saw. */
  record Outcome(boolean passed, int attempts, String last) {}

  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

  private final Console console;
  private final Sleeper sleeper;

  HealthCheck(Console console, Sleeper sleeper) {
    this.console = console;
    this.sleeper = sleeper;
  }

  Outcome run(URI url, int expected, Duration timeout, int retries) throws InterruptedException {
    // Created only here: a deploy with the check off, or a dry run, never pays for an HttpClient.
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1).build();
    String last = "no response";
    Duration pause = Duration.ofSeconds(1);
    for (int attempt = 1; attempt <= retries; attempt++) {
      HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "flyover-health-check")
          .GET().build();
      try {
        HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (resp.statusCode() == expected) {
          console.info("Health check " + url + ": " + resp.statusCode() + " (try " + attempt + " of " + retries + ")");
          return new Outcome(true, attempt, String.valueOf(resp.statusCode()));
        }
        last = "HTTP " + resp.statusCode() + resp.headers().firstValue("Location").map(l -> " to " + l).orElse("");
      } catch (HttpConnectTimeoutException e) {
        last = "no connection within " + timeout.toSeconds() + " s";
      } catch (HttpTimeoutException e) {
        last = "no answer within " + timeout.toSeconds() + " s";
      } catch (ConnectException e) {
        last = "connection refused";
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      console.info("Health check " + url + ": " + last + ", expected " + expected + " (try " + attempt + " of "
          + retries + ")");
      if (attempt < retries) {
        sleeper.sleep(pause);
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
    }
    return new Outcome(false, retries, last);
  }
}
