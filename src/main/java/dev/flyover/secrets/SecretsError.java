package dev.flyover.secrets;

import dev.flyover.UserError;

/** A secrets run that stopped: one sentence (names, never values), and the plan as far as it got, for the report. */
public final class SecretsError extends UserError {
  private final transient SecretsResult result;

  SecretsError(String message, SecretsResult result, Throwable cause) {
    super(message, cause);
    this.result = result;
  }

  public SecretsResult result() {
    return result;
  }
}
