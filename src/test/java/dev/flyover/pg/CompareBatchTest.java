package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.pg.Catalog.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the comparison groups small tables into one count statement, and what that statement says (no database). */
class CompareBatchTest {
  static Table table(String name, long bytes) {
    return new Table("public", name, bytes, Math.max(1, bytes / 8192), 0, List.of("id"), List.of("id"), true, 0);
  }

  static Table configTable(String name) {
    return new Table("partman", name, 8192, 1, 0, List.of("id"), List.of("id"), true, 0, "pg_partman", "WHERE NOT jobmon");
  }

  @Test
  void bigTablesAreCountedAloneAndSmallOnesInBatchesInTheirOrder() {
    List<Table> tables = new ArrayList<>();
    tables.add(table("big", Compare.SMALL_TABLE_BYTES + 1));
    for (int i = 0; i < Compare.COUNT_BATCH * 2 + 3; i++) tables.add(table("t" + i, 8192));
    List<List<Table>> units = Compare.units(tables);
    assertEquals(4, units.size(), "one big table, two full batches, one rest");
    assertEquals(List.of(tables.get(0)), units.get(0));
    assertEquals(tables.subList(1, 1 + Compare.COUNT_BATCH), units.get(1));
    assertEquals(tables.subList(1 + Compare.COUNT_BATCH, 1 + 2 * Compare.COUNT_BATCH), units.get(2));
    assertEquals(tables.subList(1 + 2 * Compare.COUNT_BATCH, tables.size()), units.get(3));
  }

  @Test
  void everyTableIsInExactlyOneUnit() {
    List<Table> tables = new ArrayList<>();
    for (int i = 0; i < 1000; i++) tables.add(table("t" + i, i % 7 == 0 ? 10L << 20 : i * 100L));
    tables.add(configTable("part_config"));
    List<Table> flat = new ArrayList<>();
    for (List<Table> u : Compare.units(tables)) {
      assertTrue(u.size() >= 1 && u.size() <= Compare.COUNT_BATCH, "unit of " + u.size());
      flat.addAll(u);
    }
    assertEquals(tables.size(), flat.size());
    assertTrue(flat.containsAll(tables));
  }

  @Test
  void extensionConfigTablesAreCountedAloneWithTheirFilter() {
    Table cfg = configTable("part_config");
    List<List<Table>> units = Compare.units(List.of(table("a", 1), cfg, table("b", 1)));
    assertTrue(units.contains(List.of(cfg)), units.toString());
    assertTrue(units.contains(List.of(table("a", 1), table("b", 1))), units.toString());
  }

  @Test
  void theCountStatementNumbersEachArmAndCountsOnlyTheTablesOwnRows() {
    Table odd = new Table("Tenant \"1\"", "t;x", 1, 1, 0, List.of("id"), List.of("id"), true, 0);
    assertEquals("(SELECT 0, pg_catalog.count(*) FROM ONLY \"public\".\"a\") UNION ALL"
        + " (SELECT 1, pg_catalog.count(*) FROM ONLY \"Tenant \"\"1\"\"\".\"t;x\")",
        Compare.countStatement(List.of(table("a", 1), odd)));
  }

  @Test
  void slicesKeepOrderAndSize() {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 1201; i++) items.add(i);
    List<List<Integer>> s = Catalog.slices(items, Catalog.BATCH);
    assertEquals(List.of(500, 500, 201), s.stream().map(List::size).toList());
    assertEquals(items, s.stream().flatMap(List::stream).toList());
    assertEquals(List.of(), Catalog.slices(List.of(), Catalog.BATCH));
  }
}
