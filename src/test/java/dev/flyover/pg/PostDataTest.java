package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The post-data split into per-table builds, foreign keys and pg_restore's remaining list (no database). */
class PostDataTest {
  private static final List<String> SQL = List.of(
      "SET statement_timeout = 0;",
      "-- TOC entry 3 (class 1259 OID 20)",
      "-- Name: posts_user_id_index; Type: INDEX; Schema: public; Owner: -",
      "CREATE INDEX posts_user_id_index ON public.posts USING btree (user_id);",
      "-- TOC entry 4 (class 2606 OID 21)",
      "-- Name: posts posts_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -",
      "ALTER TABLE ONLY public.posts",
      "    ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);",
      "-- TOC entry 5 (class 2620 OID 22)",
      "-- Name: posts touch; Type: TRIGGER; Schema: public; Owner: -",
      "CREATE TRIGGER touch BEFORE UPDATE ON public.posts FOR EACH ROW EXECUTE FUNCTION public.touch();");
  private static final List<String> LIST = List.of(
      ";",
      "3; 1259 20 INDEX public posts_user_id_index -",
      "4; 2606 21 FK CONSTRAINT public posts posts_user_id_fkey -",
      "5; 2620 22 TRIGGER public posts touch -");
  private static final Map<PostData.ObjectId, PostData.Info> OWNERS = Map.of(
      new PostData.ObjectId(1259, 20), new PostData.Info("public.posts", 100, null, null),
      new PostData.ObjectId(2606, 21), new PostData.Info("public.posts", 0, null, "public.users"));

  @Test
  void foreignKeysBetweenPlainTablesAreSetApartWithBothTables() {
    PostData pd = PostData.split(SQL, LIST, OWNERS);
    assertTrue(pd.split);
    assertEquals(List.of(3), pd.perTable.get("public.posts").stream().map(PostData.Entry::dumpId).toList());
    assertEquals(1, pd.foreignKeys.size());
    PostData.ForeignKey fk = pd.foreignKeys.get(0);
    assertEquals("public.posts", fk.table());
    assertEquals("public.users", fk.references());
    assertTrue(fk.entry().sql().contains("ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);"));
  }

  @Test
  void pgRestoreGetsWhatWasNotDoneAlongsideAndNothingWhenAllWas() {
    PostData pd = PostData.split(SQL, LIST, OWNERS);
    // The foreign key not added alongside (its other table never finished): pg_restore adds it.
    assertEquals(List.of(";", ";3; 1259 20 INDEX public posts_user_id_index -",
        "4; 2606 21 FK CONSTRAINT public posts posts_user_id_fkey -", "5; 2620 22 TRIGGER public posts touch -"),
        pd.remainingList(LIST, Set.of()));
    assertEquals(List.of(";", ";3; 1259 20 INDEX public posts_user_id_index -",
        ";4; 2606 21 FK CONSTRAINT public posts posts_user_id_fkey -", "5; 2620 22 TRIGGER public posts touch -"),
        pd.remainingList(LIST, Set.of(4)));
    // Without the trigger every entry was done: pg_restore need not run.
    assertNull(pd.remainingList(LIST.subList(0, 3), Set.of(4)));
  }
}
