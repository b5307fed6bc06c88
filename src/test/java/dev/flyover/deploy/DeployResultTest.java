package dev.flyover.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Context;
import dev.flyover.Env;
import dev.flyover.RunReport;
import dev.flyover.UserError;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed deploy says whether Fly got a new release and whether the previous image was put back. */
class DeployResultTest {
  static DeployResult failed(Optional<Integer> release, boolean rolledBack) {
    return new DeployResult("failure", Optional.of("The health check never got 200."), "shop", Optional.of("shop.fly.dev"),
        Optional.of("https://shop.fly.dev/"), Optional.of(11), release, Optional.of("registry.fly.io/shop:old"),
        Optional.of("registry.fly.io/shop:new"), List.of(), "failed", Optional.empty(), rolledBack,
        rolledBack ? Optional.of(13) : Optional.empty(), Optional.empty(), Optional.empty(), 42, List.of("deploy"), false,
        List.of(), Path.of("."));
  }

  @Test
  void whatWasDone() {
    assertEquals(List.of("Fly app shop got release v12 (registry.fly.io/shop:new); health check failed.",
        "The previous image was redeployed as release v13."), failed(Optional.of(12), true).done());
    assertEquals(List.of("No new release was proven on Fly app shop (v11 was live before)."),
        failed(Optional.empty(), false).done());
  }

  @Test
  void theFailedDeployIsReportedOnceWithTheFailureFirst() {
    Context ctx = new Context(Env.of(Map.of("GITHUB_ACTIONS", "true")), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    ctx.actionMode(true);
    UserError e = UserError.outside("The health check never got 200.").withDone(failed(Optional.of(12), true));
    assertEquals(1, RunReport.failed(ctx, "deploy", e));
    assertEquals("failure", ctx.outputs().get("status"));
    assertEquals("The health check never got 200.", ctx.outputs().get("error"));
    assertEquals("12", ctx.outputs().get("release-version"));
    assertEquals("true", ctx.outputs().get("rolled-back"));
    String md = ctx.summary().render();
    assertTrue(md.startsWith("> [!CAUTION]\n> **deploy failed:** The health check never got 200.\n"), md);
    assertTrue(md.contains("## Deploy failed: shop on Fly.io"), md);
    assertEquals(md.indexOf("The health check never got 200."), md.lastIndexOf("The health check never got 200."),
        "the sentence is said once:\n" + md);
  }
}
