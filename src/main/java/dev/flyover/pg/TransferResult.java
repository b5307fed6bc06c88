package dev.flyover.pg;

import java.time.Duration;
import java.util.List;

/**
 * What a transfer did and proved. {@code verified} is true only when every table and sequence matched.
 * {@code notCarried}: what the target cannot have because it names one of the source's roles (grants, default
 * privileges, role settings), by role name.
 */
public record TransferResult(String sourceVersion, String targetVersion, int clientMajor, TransferRequest.Mode mode,
    int jobs, TransferRequest.Verify verify, List<TableResult> tables, int sequences, int largeObjects,
    List<String> settings, long bytes, Duration copyTime, Duration verifyTime, Duration total, boolean verified,
    List<String> notCarried) {

  /** A result with nothing left behind (a remote copy's, before its proof). */
  public TransferResult(String sourceVersion, String targetVersion, int clientMajor, TransferRequest.Mode mode,
      int jobs, TransferRequest.Verify verify, List<TableResult> tables, int sequences, int largeObjects,
      List<String> settings, long bytes, Duration copyTime, Duration verifyTime, Duration total, boolean verified) {
    this(sourceVersion, targetVersion, clientMajor, mode, jobs, verify, tables, sequences, largeObjects, settings, bytes,
        copyTime, verifyTime, total, verified, List.of());
  }

  /** One table: rows on each side (-1 when not counted) and whether they match (contents too with checksums). */
  public record TableResult(String table, long sourceRows, long targetRows, long bytes, boolean match, String note) {}

  public long rows() {
    long n = 0;
    for (TableResult t : tables) n += Math.max(0, t.targetRows());
    return n;
  }

  /** Bytes per second of the whole run, copy and verification included. */
  public double throughput() {
    double s = total.toMillis() / 1000.0;
    return s <= 0 ? 0 : bytes / s;
  }
}
