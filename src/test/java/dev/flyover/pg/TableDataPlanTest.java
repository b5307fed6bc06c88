package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.pg.Catalog.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the table data phase cuts tables into ctid ranges: only where whole tables would idle workers. */
class TableDataPlanTest {
  static final long MB = 1L << 20;

  static List<Table> tables(long... mb) {
    List<Table> out = new ArrayList<>();
    for (int i = 0; i < mb.length; i++) {
      out.add(new Table("public", "t" + i, mb[i] * MB, mb[i] * 128, mb[i] * 1000, List.of("id"), List.of("id"), true, 0));
    }
    return out;
  }

  @Test
  void thePhoenixBenchmarkGoesInWholeTables() {
    // posts, oban_jobs, attachments, users (bench/phoenix_like.sql at 1M rows): posts alone is 1.14x a fair share.
    assertEquals(651 * MB, TableData.wholeTableMakespan(tables(651, 359, 101, 30), 2));
    assertFalse(TableData.splits(tables(651, 359, 101, 30), 2, 150000));
  }

  @Test
  void oneTableHoldingMostOfTheDataIsSplit() {
    assertTrue(TableData.splits(tables(900, 60, 40), 2, 150000));
    // With 8 workers a table of half the data idles seven of them.
    assertTrue(TableData.splits(tables(500, 100, 100, 100, 100, 100), 8, 150000));
  }

  @Test
  void neverWithOneWorkerNorBeforeTidRangeScans() {
    assertFalse(TableData.splits(tables(900, 10), 1, 150000));
    assertFalse(TableData.splits(tables(900, 10), 2, 130000));
  }

  @Test
  void manySmallTablesBalanceWithoutSplitting() {
    long[] sizes = new long[200];
    java.util.Arrays.fill(sizes, 5);
    assertFalse(TableData.splits(tables(sizes), 4, 150000));
  }
}
