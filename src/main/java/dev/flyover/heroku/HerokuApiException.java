package dev.flyover.heroku;

import dev.flyover.UserError;

/**
 * A Heroku API call that failed for good: its message is one sentence naming the input at fault; {@link #status()}
 * and {@link #errorId()} ({@code not_found}, {@code unauthorized}, {@code rate_limit}…) let callers tell cases
 * apart. Status 0 means Heroku was not reached.
 */
public final class HerokuApiException extends UserError {
  private final int status;
  private final String errorId;

  HerokuApiException(String message, int status, String errorId, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorId = errorId;
    // A refused key or an unknown app is the inputs' fault; anything else (unreachable, rate limit, 5xx) Heroku's.
    origin(status == 401 || status == 403 || status == 404 ? Origin.INPUT : Origin.OUTSIDE);
  }

  public int status() {
    return status;
  }

  public String errorId() {
    return errorId;
  }
}
