package dev.flyover.pg;

import dev.flyover.actions.Console;
import dev.flyover.pg.Catalog.Sequence;
import dev.flyover.pg.Catalog.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * Phase: extension configuration data. Tables an extension marks with {@code pg_extension_config_dump()}
 * (pg_partman's {@code part_config}, PostGIS's user rows in {@code spatial_ref_sys}…) hold the user's data but
 * belong to the extension: a schema-only dump carries only {@code CREATE EXTENSION}, and the table copy skips
 * extension members. pg_dump dumps the rows each table's {@code extcondition} selects (the rest are inserted by
 * the extension's own script on both sides), and so does this phase, from the source snapshot, after the table
 * data and before the post-data (foreign keys, triggers). Config sequences get the source's value, as pg_dump
 * gives them. Without this, pg_partman on the target manages nothing (PostgreSQL 15 {@code pg_dump.c},
 * {@code processExtensionTables}).
 */
final class ExtensionConfigData {
  private ExtensionConfigData() {}

  /**
   * Copies every config table's user rows; returns rows per table. Tables may reference each other (pg_partman's
   * {@code part_config_sub} references {@code part_config}), so a table that fails is retried after the others.
   */
  static Map<String, Long> copy(Connection source, Connection target, List<Table> tables, List<Sequence> sequences,
      Console console, Stopper stopper) throws SQLException {
    Map<String, Long> copied = new java.util.LinkedHashMap<>();
    List<Table> pending = new ArrayList<>(tables);
    SQLException last = null;
    Table lastTable = null;
    boolean auto = target.getAutoCommit();
    target.setAutoCommit(false);
    try {
      while (!pending.isEmpty()) {
        List<Table> failed = new ArrayList<>();
        for (Table t : pending) {
          stopper.check();
          try {
            copied.put(t.display(), copyOne(source, target, t));
            target.commit();
          } catch (SQLException e) {
            target.rollback();
            last = e;
            lastTable = t;
            failed.add(t);
          }
        }
        if (failed.size() == pending.size()) break;
        pending = failed;
      }
    } finally {
      target.setAutoCommit(auto);
    }
    if (!pending.isEmpty()) {
      throw new DatabaseTransfer.TransferFailure("copying the configuration rows of extension " + lastTable.extension()
          + " (" + lastTable.display() + ") failed (" + DatabaseTransfer.firstLine(last) + ")", last);
    }
    Sequences.set(target, sequences, Catalog.sequenceStates(source, sequences));
    long rows = copied.values().stream().mapToLong(Long::longValue).sum();
    if (!tables.isEmpty()) {
      console.info("extension configuration: " + Progress.count(rows, "row", "rows") + " in " + Progress.count(tables.size(), "table", "tables")
          + (sequences.isEmpty() ? "" : ", " + Progress.count(sequences.size(), "sequence", "sequences")));
    }
    return copied;
  }

  /** Config tables are small (a few rows per managed object): one table's rows are held in memory. */
  private static long copyOne(Connection source, Connection target, Table t) throws SQLException {
    String cols = t.copyColumns().isEmpty() ? "" : " (" + t.copyColumnList() + ")";
    String select = t.copyColumns().isEmpty() ? "*" : t.copyColumnList();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      long rows = source.unwrap(PGConnection.class).getCopyAPI()
          .copyOut("COPY (SELECT " + select + " FROM " + t.rowsFrom() + ") TO STDOUT", buf);
      long loaded = target.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("COPY " + t.qualified() + cols + " FROM STDIN", new ByteArrayInputStream(buf.toByteArray()));
      if (loaded != rows) {
        throw new SQLException("the target took " + loaded + " rows of " + rows);
      }
      return rows;
    } catch (IOException e) {
      throw new SQLException(e.getMessage(), e);
    }
  }
}
