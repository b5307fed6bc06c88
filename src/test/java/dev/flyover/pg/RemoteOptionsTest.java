package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import dev.flyover.UserError;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteOptionsTest {
  @Test
  void sizesAreFlyGosPresetsAndTheImageIsFlyoversOwnUnlessOverridden() {
    RemoteOptions o = RemoteOptions.of(Env.of(Map.of()), "", Optional.empty(), "transfer-vm-size");
    assertEquals("performance-2x", o.vmSize());
    assertTrue(o.image().startsWith("ghcr.io/flyover/flyover:"), o.image());
    assertEquals("registry.example/fork:v9", RemoteOptions.of(Env.of(Map.of(RemoteOptions.IMAGE_ENV, "registry.example/fork:v9")),
        "shared-cpu-4x", Optional.of(3), "transfer-vm-size").image());
    UserError e = assertThrows(UserError.class, () -> RemoteOptions.of(Env.of(Map.of()), "a100-40gb", Optional.empty(), "--transfer-vm-size option"));
    assertTrue(e.getMessage().startsWith("The --transfer-vm-size option is a100-40gb, which is not a Fly Machine size: use one of shared-cpu-1x"),
        e.getMessage());
  }

  @Test
  void theMachineReachesManagedPostgresDirectlyAndEverythingElseAsNamed() {
    PgUrl pooled = PgUrl.parse("postgresql://fly-user:Pw0rdLong@pgbouncer.q9x1abcd.flympg.net/fly-db", "database-url");
    assertEquals("postgresql://fly-user:Pw0rdLong@direct.q9x1abcd.flympg.net:5432/fly-db", RemoteTransfer.onFlyNetwork(pooled).uri());
    PgUrl flycast = PgUrl.parse("postgres://u:Pw0rdLong@shop-db.flycast:5432/shop?sslmode=disable", "database-url");
    assertEquals("postgresql://u:Pw0rdLong@shop-db.flycast:5432/shop?sslmode=disable", RemoteTransfer.onFlyNetwork(flycast).uri());
  }
}
