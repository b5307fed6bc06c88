package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one string that builds several small tables' indexes and analyzes them (no database). */
class IndexesTogetherTest {
  @Test
  void everyEntryInOrderThenOneAnalyzeOfAllTheTables() {
    PostData.Entry pkey = new PostData.Entry(10, 2606, 1, "CONSTRAINT", "s", "t1 t1_pkey",
        "--\n-- Name: t1 t1_pkey; Type: CONSTRAINT; Schema: s; Owner: -\n--\n\nALTER TABLE ONLY s.t1\n    ADD CONSTRAINT t1_pkey PRIMARY KEY (id);\n\n\n", 1, null);
    PostData.Entry idx = new PostData.Entry(11, 1259, 2, "INDEX", "s", "t2_code_idx", "CREATE INDEX t2_code_idx ON s.t2 USING btree (code);", 1,
        null);
    assertEquals("--\n-- Name: t1 t1_pkey; Type: CONSTRAINT; Schema: s; Owner: -\n--\n\nALTER TABLE ONLY s.t1\n"
        + "    ADD CONSTRAINT t1_pkey PRIMARY KEY (id);\n\n\n"
        + "CREATE INDEX t2_code_idx ON s.t2 USING btree (code);\n"
        + "ANALYZE \"s\".\"t1\", \"s\".\"t2\";", Indexes.statement(List.of(pkey, idx), List.of("\"s\".\"t1\"", "\"s\".\"t2\"")));
  }

  @Test
  void tablesWithoutIndexesAreStillAnalyzed() {
    assertEquals("ANALYZE \"public\".\"a\";", Indexes.statement(List.of(), List.of("\"public\".\"a\"")));
  }
}
