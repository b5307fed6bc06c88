package dev.flyover.pg;

import java.util.Optional;

/**
 * What to transfer and how. {@code flyApp} and {@code flyToken} are needed for {@code .flycast}/{@code .internal}
 * targets (flyctl proxy) and for {@link Mode#REMOTE}.
 */
public record TransferRequest(PgUrl source, PgUrl target, Mode mode, int jobs, Verify verify, boolean overwrite,
    Optional<String> flyApp, Optional<String> flyToken) {

  public enum Mode {
    PARALLEL, STREAM, REMOTE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum Verify {
    COUNTS, CHECKSUMS;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public TransferRequest {
    if (jobs < 1) jobs = 1;
  }

  /** A local transfer with the defaults (parallel, CPU count, counts, no overwrite). */
  public static TransferRequest of(PgUrl source, PgUrl target) {
    return new TransferRequest(source, target, Mode.PARALLEL, Runtime.getRuntime().availableProcessors(),
        Verify.COUNTS, false, Optional.empty(), Optional.empty());
  }
}
