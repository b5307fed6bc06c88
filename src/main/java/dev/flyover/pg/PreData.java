package dev.flyover.pg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-data section split for restores side by side (parallel mode, many tables). pg_restore restores the
 * pre-data one entry after another in one connection even with {@code --jobs} (PostgreSQL 15 pg_backup_archiver.c,
 * restore_toc_entries_prefork: to save connections, and because pg_dump before 9.2 did not record every pre-data
 * dependency; the archive here is always made by a pg_dump of the source's major or newer). At thousands of tables
 * (a schema per tenant) that is the biggest part of a run (8.7 s of pg_restore for 2,000 tables, 5.7 to 7.3 s split
 * in two, measured). So the entries are split by pg_dump's own
 * dependencies, the {@code -- Dependencies:} line pg_restore {@code --verbose} writes right after each
 * {@code -- TOC entry <dumpId> (class <catalog> OID <oid>)} line:
 * <ol>
 *   <li>first, by one pg_restore: every entry that depends, directly or not, on no relation (schemas, extensions,
 *       types, functions, their comments);
 *   <li>then the relations (catalog {@code pg_class}: tables, sequences, views…), each in one group with everything
 *       that depends on it (its sequence, defaults and comments, a view, a partition's attachment), groups that share
 *       an entry joined; the groups are dealt to {@code jobs} pg_restore runs at once, each by TOC list, in the
 *       archive's order.
 * </ol>
 * As in {@link PostData}, the parsed entries must be exactly {@code pg_restore --list}'s, in order (a name may hold a
 * newline and forge a line inside the SQL); on any difference there is no plan, and one pg_restore does it all.
 */
final class PreData {
  /** Below this many relations one pg_restore is kept: the split costs two more pg_restore runs over the archive. */
  static final int MIN_RELATIONS = 100;
  /** {@code pg_class}'s OID: the catalog of tables, sequences, views, materialized views and foreign tables. */
  static final long PG_CLASS = 1259;
  private static final Pattern DEPENDENCIES = Pattern.compile("^-- Dependencies: (\\d+(?: \\d+)*)$");

  /** The restore order: {@code first} by one pg_restore, then each of {@code parts} by its own, side by side (list lines). */
  record Plan(List<String> first, List<List<String>> parts, int relations) {}

  private PreData() {}

  /**
   * The split of the pre-data ({@code sqlLines} from {@code pg_restore --section=pre-data --verbose --file},
   * {@code listLines} from {@code --list} of the same section) over {@code jobs} restores; empty when one pg_restore
   * should do it all (fewer than {@code minRelations} relations, one group, or SQL that does not match the list).
   */
  static Optional<Plan> plan(List<String> sqlLines, List<String> listLines, int jobs, int minRelations) {
    if (jobs < 2) return Optional.empty();
    LinkedHashMap<Integer, String> listed = new LinkedHashMap<>();
    for (String line : listLines) {
      Matcher m = PostData.LIST_LINE.matcher(line);
      if (m.matches()) listed.put(Integer.parseInt(m.group(1)), line);
    }
    List<Integer> parsed = new ArrayList<>();
    Map<Integer, Long> classOf = new HashMap<>();
    Map<Integer, List<Integer>> deps = new HashMap<>();
    Integer last = null;
    for (String line : sqlLines) {
      Matcher m = PostData.TOC_ENTRY.matcher(line);
      if (m.matches()) {
        last = Integer.parseInt(m.group(1));
        parsed.add(last);
        classOf.put(last, Long.parseLong(m.group(2)));
        deps.put(last, List.of());
        continue;
      }
      // Only the line right after an entry's own line: a name comes later, so it cannot forge this one.
      if (last != null) {
        Matcher d = DEPENDENCIES.matcher(line);
        if (d.matches()) {
          List<Integer> ids = new ArrayList<>();
          for (String s : d.group(1).split(" ")) ids.add(Integer.parseInt(s));
          deps.put(last, ids);
        }
      }
      last = null;
    }
    if (!parsed.equals(new ArrayList<>(listed.keySet()))) return Optional.empty();

    // Which entries stand on a relation (in this section), in the archive's order: a dependency comes first.
    Map<Integer, Boolean> onRelation = new HashMap<>();
    int relations = 0;
    for (int id : parsed) {
      boolean on = classOf.get(id) == PG_CLASS;
      if (on) relations++;
      for (int d : deps.get(id)) on |= onRelation.getOrDefault(d, false);
      onRelation.put(id, on);
    }
    // A dependency listed after its dependant would break the one pass above: then no plan.
    Map<Integer, Integer> position = new HashMap<>();
    for (int i = 0; i < parsed.size(); i++) position.put(parsed.get(i), i);
    for (int id : parsed) {
      for (int d : deps.get(id)) {
        if (position.containsKey(d) && position.get(d) > position.get(id)) return Optional.empty();
      }
    }
    if (relations < minRelations) return Optional.empty();

    // Groups: an entry on a relation joins the group of each of its dependencies that is on a relation too.
    Map<Integer, Integer> parent = new HashMap<>();
    for (int id : parsed) if (onRelation.get(id)) parent.put(id, id);
    for (int id : parsed) {
      if (!onRelation.get(id)) continue;
      for (int d : deps.get(id)) if (onRelation.getOrDefault(d, false)) union(parent, id, d);
    }
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int id : parsed) if (onRelation.get(id)) groups.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(id);
    if (groups.size() < 2) return Optional.empty();

    // Biggest group first, each to the part with the fewest entries so far; each part in the archive's order.
    List<List<Integer>> ordered = new ArrayList<>(groups.values());
    ordered.sort(Comparator.comparingInt((List<Integer> g) -> -g.size()));
    int n = Math.min(jobs, ordered.size());
    List<List<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) parts.add(new ArrayList<>());
    for (List<Integer> g : ordered) parts.stream().min(Comparator.comparingInt(List::size)).orElseThrow().addAll(g);
    List<String> first = new ArrayList<>();
    for (int id : parsed) if (!onRelation.get(id)) first.add(listed.get(id));
    List<List<String>> lines = new ArrayList<>();
    for (List<Integer> p : parts) {
      p.sort(Comparator.comparingInt(position::get));
      lines.add(p.stream().map(listed::get).toList());
    }
    return Optional.of(new Plan(first, lines, relations));
  }

  private static int find(Map<Integer, Integer> parent, int x) {
    int root = x;
    while (parent.get(root) != root) root = parent.get(root);
    while (parent.get(x) != root) {
      int next = parent.get(x);
      parent.put(x, root);
      x = next;
    }
    return root;
  }

  private static void union(Map<Integer, Integer> parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) parent.put(Math.max(ra, rb), Math.min(ra, rb));
  }
}
