package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the pre-data is split (no database): pg_restore's verbose SQL and list as PostgreSQL 15's pg_restore writes
 * them ("-- TOC entry <id> (class <catalog> OID <oid>)", then "-- Dependencies: …" when there are any).
 */
class PreDataTest {
  /** One entry of both outputs: id, catalog, type and name, and what it depends on. */
  record E(int id, long classId, String type, String name, int... deps) {}

  static List<String> sql(List<E> entries) {
    List<String> out = new ArrayList<>(List.of("--", "-- PostgreSQL database dump", "--", "SET statement_timeout = 0;", ""));
    for (E e : entries) {
      out.add("--");
      out.add("-- TOC entry " + e.id() + " (class " + e.classId() + " OID " + (16000 + e.id()) + ")");
      if (e.deps().length > 0) {
        StringBuilder d = new StringBuilder("-- Dependencies:");
        for (int x : e.deps()) d.append(' ').append(x);
        out.add(d.toString());
      }
      out.add("-- Name: " + e.name() + "; Type: " + e.type() + "; Schema: public; Owner: -");
      out.add("--");
      out.add("");
      out.add("CREATE something " + e.name() + ";");
      out.add("");
    }
    return out;
  }

  static List<String> list(List<E> entries) {
    List<String> out = new ArrayList<>(List.of(";", "; Archive created at 2026-12-02", ";", "; Selected TOC Entries:", ";"));
    for (E e : entries) out.add(e.id() + "; " + e.classId() + " " + (16000 + e.id()) + " " + e.type() + " public " + e.name() + " -");
    return out;
  }

  static String line(List<E> entries, int id) {
    return list(entries).stream().filter(l -> l.startsWith(id + "; ")).findFirst().orElseThrow();
  }

  /** A schema, a type, two tables each with a sequence (owned) and a default, a view on one, a child of the other. */
  static final List<E> SCHEMA = List.of(
      new E(1, 2615, "SCHEMA", "tenant"),
      new E(2, 1247, "TYPE", "mood"),
      new E(3, 1255, "FUNCTION", "f()"),
      new E(10, 1259, "TABLE", "a", 2),
      new E(11, 1259, "SEQUENCE", "a_id_seq", 10),
      new E(12, 0, "SEQUENCE OWNED BY", "a_id_seq", 11),
      new E(13, 2604, "DEFAULT", "a id", 10, 11),
      new E(20, 1259, "TABLE", "b", 1),
      new E(21, 1259, "SEQUENCE", "b_id_seq", 20),
      new E(22, 0, "COMMENT", "COLUMN b.x", 20),
      new E(30, 1259, "VIEW", "a_view", 10, 3),
      new E(40, 1259, "TABLE", "b_child", 20),
      new E(50, 1259, "TABLE", "c"));

  @Test
  void entriesOnNoRelationGoFirstAndEachRelationTakesWhatDependsOnIt() {
    Optional<PreData.Plan> plan = PreData.plan(sql(SCHEMA), list(SCHEMA), 2, 0);
    assertTrue(plan.isPresent());
    assertEquals(List.of(line(SCHEMA, 1), line(SCHEMA, 2), line(SCHEMA, 3)), plan.get().first());
    // Groups: {a, its sequence, owned-by, default, the view} (5), {b, its sequence, comment, the child} (4), {c} (1).
    List<List<String>> parts = plan.get().parts();
    assertEquals(2, parts.size());
    assertEquals(List.of(line(SCHEMA, 10), line(SCHEMA, 11), line(SCHEMA, 12), line(SCHEMA, 13), line(SCHEMA, 30)), parts.get(0));
    assertEquals(List.of(line(SCHEMA, 20), line(SCHEMA, 21), line(SCHEMA, 22), line(SCHEMA, 40), line(SCHEMA, 50)), parts.get(1));
    assertEquals(7, plan.get().relations(), "tables, sequences and the view");
  }

  @Test
  void aViewOnTwoTablesJoinsTheirGroups() {
    List<E> joined = new ArrayList<>(SCHEMA);
    joined.add(new E(60, 1259, "VIEW", "ab", 10, 20));
    PreData.Plan plan = PreData.plan(sql(joined), list(joined), 4, 0).orElseThrow();
    assertEquals(2, plan.parts().size(), "a+b (and what hangs on them) in one part, c in the other");
    assertTrue(plan.parts().get(0).contains(line(joined, 10)) && plan.parts().get(0).contains(line(joined, 40))
        && plan.parts().get(0).contains(line(joined, 60)), plan.parts().toString());
    assertEquals(List.of(line(joined, 50)), plan.parts().get(1));
  }

  @Test
  void oneRestoreWhenSplittingCannotHelpOrCannotBeTrusted() {
    assertTrue(PreData.plan(sql(SCHEMA), list(SCHEMA), 1, 0).isEmpty(), "one job");
    assertTrue(PreData.plan(sql(SCHEMA), list(SCHEMA), 2, 9).isEmpty(), "fewer relations than the minimum");
    List<E> one = List.of(new E(1, 2615, "SCHEMA", "s"), new E(10, 1259, "TABLE", "a", 1), new E(11, 1259, "SEQUENCE", "s", 10));
    assertTrue(PreData.plan(sql(one), list(one), 2, 0).isEmpty(), "one group");
    // A name holding a newline forges an entry line: the SQL no longer matches the list.
    List<String> forged = sql(SCHEMA);
    forged.add(forged.indexOf("CREATE something c;"), "-- TOC entry 99 (class 1259 OID 1)");
    assertTrue(PreData.plan(forged, list(SCHEMA), 2, 0).isEmpty(), "forged entry line");
    // A dependency listed after its dependant: the archive is not in the order the split relies on.
    List<E> late = List.of(new E(10, 1259, "TABLE", "a", 11), new E(11, 1255, "FUNCTION", "g()"), new E(20, 1259, "TABLE", "b"));
    assertTrue(PreData.plan(sql(late), list(late), 2, 0).isEmpty(), "dependency after its dependant");
  }

  @Test
  void aDependenciesLineAfterTheNameIsNotTaken() {
    // "-- Dependencies: 10" inside a name (after the "-- Name:" line) must not tie c to a.
    List<String> sql = sql(SCHEMA);
    int at = sql.indexOf("-- Name: c; Type: TABLE; Schema: public; Owner: -");
    sql.add(at + 1, "-- Dependencies: 10");
    PreData.Plan plan = PreData.plan(sql, list(SCHEMA), 3, 0).orElseThrow();
    assertEquals(3, plan.parts().size(), "c stays a group of its own");
  }
}
