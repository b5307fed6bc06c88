package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.UserError;
import dev.flyover.pg.RemoteOptions;
import dev.flyover.pg.TransferRequest;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How the database moves, shared by {@code flyover database} and the cutover's database step. */
public final class TransferOptions {
  @Option(names = "--transfer-mode", paramLabel = "MODE", defaultValue = "parallel",
      description = "parallel (default), stream (pg_dump | pg_restore) or remote (on a one-off Fly Machine next to the database).")
  TransferRequest.Mode mode;

  @Option(names = "--jobs", paramLabel = "N", description = "Parallel workers for the transfer, 1 to 64. Default: the number of CPUs (at most 64).")
  Integer jobs;

  @Option(names = "--verify", paramLabel = "HOW", defaultValue = "counts",
      description = "counts (exact row counts and sequences) or checksums (also an ordered hash of every table).")
  TransferRequest.Verify verify;

  @Option(names = "--transfer-vm-size", paramLabel = "SIZE", defaultValue = RemoteOptions.DEFAULT_VM_SIZE,
      description = "transfer-mode remote: size of the one-off Fly Machine that runs the transfer (fly machine run --vm-size).")
  String vmSize;

  /** The remote mode's machine; checked before anything runs, whatever the mode (a typo is still a typo). */
  RemoteOptions remote(Context ctx) {
    return RemoteOptions.of(ctx.env(), vmSize, Optional.ofNullable(jobs), ctx.named("transfer-vm-size"));
  }

  int jobs(Context ctx) {
    if (jobs != null && (jobs < 1 || jobs > TransferRequest.MAX_JOBS)) {
      throw new UserError("The " + ctx.named("jobs") + " is " + jobs + ": give a number of workers from 1 to "
          + TransferRequest.MAX_JOBS + ".");
    }
    return jobs == null ? Math.min(TransferRequest.MAX_JOBS, Runtime.getRuntime().availableProcessors()) : jobs;
  }
}
