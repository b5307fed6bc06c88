package dev.flyover;

/**
 * A failure the user can act on. The message is one sentence that names the input at fault and says what to
 * do; it is shown as-is (and as an ::error:: annotation in Actions), with no stack trace unless debug is on.
 * Never put a secret value in it.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
