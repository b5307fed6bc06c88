package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A secrets run that stopped half-way says, in its outputs and summary, which secrets reached Fly. */
class SecretsResultTest {
  static final List<PlanEntry> PLAN = List.of(
      new PlanEntry("A", "A", PlanEntry.Action.NEW, "", SecretEncoder.Route.IMPORT),
      new PlanEntry("B", "B2", PlanEntry.Action.REPLACE, "already on Fly", SecretEncoder.Route.SET_STDIN),
      new PlanEntry("DATABASE_URL", "DATABASE_URL", PlanEntry.Action.EXCLUDED, "Heroku Postgres", SecretEncoder.Route.NONE));

  static SecretsResult planned() {
    return new SecretsResult("Heroku app shop", "shop-fly", PLAN, false, true, false, List.of());
  }

  @Test
  void whatWasDone() {
    assertEquals(List.of("No secret was set on Fly app shop-fly."), planned().done());
    assertEquals(List.of("Set on Fly app shop-fly: B2; not set: A."), planned().withSet(List.of("B2")).done());
    assertEquals(List.of("Nothing was changed on Fly (dry run)."),
        new SecretsResult("Heroku app shop", "shop-fly", PLAN, true, true, false, List.of()).done());
  }

  @Test
  void aPartialRunReportsWhatReachedFly() {
    Context ctx = new Context(Env.of(Map.of()), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    planned().withSet(List.of("B2")).report(ctx);
    assertEquals("B2", ctx.outputs().get("secrets-imported"));
    assertEquals("1", ctx.outputs().get("secrets-imported-count"));
    assertEquals("DATABASE_URL", ctx.outputs().get("secrets-skipped"));
    String md = ctx.summary().render();
    assertTrue(md.contains("**2** secrets to set, 1 set before the run stopped, **1** config var left behind."), md);
  }

  @Test
  void aCompletedRunImportsInPlanOrder() {
    SecretsResult done = new SecretsResult("Heroku app shop", "shop-fly", PLAN, false, true, true, List.of("B2", "A"));
    assertEquals(List.of("A", "B2"), done.imported());
  }
}
