package dev.flyover.pg;

import java.time.Duration;
import java.util.List;

/**
 * What a transfer did and proved. {@code verified} is true only when every table and sequence matched.
 * {@code dataTime}: the table data phase alone (the throughput's divisor).
 * {@code notCarried}: what the target cannot have because it names one of the source's roles (grants, default
 * privileges, role settings), by role name.
 */
public record TransferResult(String sourceVersion, String targetVersion, int clientMajor, TransferRequest.Mode mode,
    int jobs, TransferRequest.Verify verify, List<TableResult> tables, int sequences, int largeObjects,
    List<String> settings, long bytes, Duration copyTime, Duration verifyTime, Duration total, boolean verified,
    List<String> notCarried, Duration dataTime) {

  /** A result whose data phase is not timed apart from its copy (a remote copy's). */
  public TransferResult(String sourceVersion, String targetVersion, int clientMajor, TransferRequest.Mode mode,
      int jobs, TransferRequest.Verify verify, List<TableResult> tables, int sequences, int largeObjects,
      List<String> settings, long bytes, Duration copyTime, Duration verifyTime, Duration total, boolean verified,
      List<String> notCarried) {
    this(sourceVersion, targetVersion, clientMajor, mode, jobs, verify, tables, sequences, largeObjects, settings, bytes,
        copyTime, verifyTime, total, verified, notCarried, copyTime);
  }

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

  /** The run's one throughput figure, named: "table data: 1.2 GiB at 85 MiB/s" (the data phase alone). */
  public String throughput() {
    return Progress.throughput(bytes, dataTime);
  }

  /**
   * What was compared and found, in words: "row counts and sequences equal", "checksums equal", or that it was not
   * proven. The log, the summary and the cutover's step say this, never more than was compared.
   */
  public String verdict() {
    return verdict(verify, verified);
  }

  public static String verdict(TransferRequest.Verify verify, boolean equal) {
    if (!equal) return "not proven equal (" + verify.label() + ")";
    return verify == TransferRequest.Verify.CHECKSUMS ? "checksums equal" : "row counts and sequences equal";
  }
}
