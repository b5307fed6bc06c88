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

  /**
   * The most workers a transfer runs: each opens a source session, a target session and an index-build session,
   * so a mistyped {@code jobs: 1000} would exhaust any plan's connection limit before it copied a row.
   */
  public static final int MAX_JOBS = 64;

  public TransferRequest {
    // The commands reject values outside 1..MAX_JOBS with a sentence naming jobs; here it is only kept in range.
    jobs = Math.max(1, Math.min(MAX_JOBS, jobs));
  }

  /** A local transfer with the defaults (parallel, CPU count, counts, no overwrite). */
  public static TransferRequest of(PgUrl source, PgUrl target) {
    return new TransferRequest(source, target, Mode.PARALLEL, Math.min(MAX_JOBS, Runtime.getRuntime().availableProcessors()),
        Verify.COUNTS, false, Optional.empty(), Optional.empty());
  }
}
