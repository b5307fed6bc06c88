package dev.flyover.fly;

import dev.flyover.UserError;
import dev.flyover.proc.Subprocess;
import java.util.List;
import java.util.Optional;

/**
 * A failed flyctl call, told in one sentence built from flyctl's exit code and its {@code Error:} line. The
 * subclasses are the failures a flow acts on ({@link AppNotFound}, {@link NameTaken}, {@link Unauthorized},
 * {@link NotLoggedIn}, {@link SecretsUpdateFailed}); {@link FlyErrors#classify} is the one place that tells them
 * apart. Anything else is this class, carrying flyctl's own {@code Error:} text.
 */
public class FlyctlException extends UserError {
  private final transient Subprocess.Result result;
  private final transient FlyErrors.Text text;

  FlyctlException(String message, Subprocess.Result result, FlyErrors.Text text) {
    super(message);
    this.result = result;
    this.text = text;
    // Fly refused or failed; the token and app-name subclasses below are the inputs' fault instead.
    origin(this instanceof AppNotFound || this instanceof Unauthorized || this instanceof NotLoggedIn ? Origin.INPUT
        : Origin.OUTSIDE);
  }

  public Subprocess.Result result() {
    return result;
  }

  /** The text after {@code Error: } on stderr, or empty. */
  public Optional<String> flyError() {
    return text.error();
  }

  /** The description and suggestion lines flyctl printed after the {@code Error:} line (internal/cli/cli.go). */
  public List<String> details() {
    return text.details();
  }

  /** The Fly app does not exist (or this token cannot see it). */
  public static final class AppNotFound extends FlyctlException {
    AppNotFound(String message, Subprocess.Result r, FlyErrors.Text t) {
      super(message, r, t);
    }
  }

  /** {@code apps create}: the name is held by another app, maybe one the token cannot see. */
  public static final class NameTaken extends FlyctlException {
    NameTaken(String message, Subprocess.Result r, FlyErrors.Text t) {
      super(message, r, t);
    }
  }

  /** The token was refused, or is not allowed to do this (an app-scoped deploy token creating an app). */
  public static final class Unauthorized extends FlyctlException {
    Unauthorized(String message, Subprocess.Result r, FlyErrors.Text t) {
      super(message, r, t);
    }
  }

  /** No token at all, or a {@code fly auth login} older than flyctl accepts. */
  public static final class NotLoggedIn extends FlyctlException {
    NotLoggedIn(String message, Subprocess.Result r, FlyErrors.Text t) {
      super(message, r, t);
    }
  }

  /**
   * {@code secrets set}/{@code import} failed; {@link #stored()} says whether the values reached Fly before the
   * failure (internal/command/secrets/set.go stores them first, then restarts the machines).
   */
  public static final class SecretsUpdateFailed extends FlyctlException {
    private final boolean stored;

    SecretsUpdateFailed(String message, Subprocess.Result r, FlyErrors.Text t, boolean stored) {
      super(message, r, t);
      this.stored = stored;
    }

    public boolean stored() {
      return stored;
    }
  }
}
