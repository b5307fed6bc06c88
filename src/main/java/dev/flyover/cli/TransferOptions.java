package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.pg.TransferRequest;
import picocli.CommandLine.Option;

/** How the database moves, shared by {@code flyover database} and the cutover's database step. */
public final class TransferOptions {
  @Option(names = "--transfer-mode", paramLabel = "MODE", defaultValue = "parallel",
      description = "parallel (default), stream (pg_dump | pg_restore) or remote (inside a Fly machine).")
  TransferRequest.Mode mode;

  @Option(names = "--jobs", paramLabel = "N", description = "Parallel workers for the transfer. Default: the number of CPUs.")
  Integer jobs;

  @Option(names = "--verify", paramLabel = "HOW", defaultValue = "counts",
      description = "counts (exact row counts and sequences) or checksums (also an ordered hash of every table).")
  TransferRequest.Verify verify;

  int jobs(Context ctx) {
    if (jobs != null && (jobs < 1 || jobs > TransferRequest.MAX_JOBS)) {
      throw new UserError("The " + ctx.optionName("jobs") + " input is " + jobs + ": give a number of workers from 1 to "
          + TransferRequest.MAX_JOBS + ".");
    }
    return jobs == null ? Math.min(TransferRequest.MAX_JOBS, Runtime.getRuntime().availableProcessors()) : jobs;
  }
}
