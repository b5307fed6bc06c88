package dev.flyover.fly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlyTomlTest {
  @Test
  void readsThePhoenixLaunchShape(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("fly.toml"), """
        app = 'shop-ünï'
        primary_region = 'ams'
        kill_signal = 'SIGTERM'

        [deploy]
          release_command = '/app/bin/migrate'

        [env]
          PHX_HOST = 'shop.fly.dev'

        [http_service]
          internal_port = 8080
          processes = ['app']

        [processes]
          app = '/app/bin/server'
          worker = '/app/bin/worker'
        """);
    FlyToml t = FlyToml.find(dir, Optional.empty()).orElseThrow();
    assertEquals(Optional.of("shop-ünï"), t.app());
    assertEquals(Optional.of("/app/bin/migrate"), t.releaseCommand());
    assertEquals(Optional.of(8080), t.internalPort());
    assertEquals(Map.of("app", "/app/bin/server", "worker", "/app/bin/worker"), t.processes());
    assertEquals("input-wins", FlyToml.appName(Optional.of("input-wins"), Optional.of(t)));
  }

  @Test
  void configPathMayNameTheDirectoryAsFlyctlAllows(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("deploy"));
    Files.writeString(dir.resolve("deploy/fly.toml"), "app = 'a'\n");
    assertEquals(Optional.of("a"), FlyToml.find(dir, Optional.of("deploy")).orElseThrow().app());
    UserError e = assertThrows(UserError.class, () -> FlyToml.find(dir, Optional.of("missing.toml")));
    assertTrue(e.getMessage().startsWith("The config input points at"), e.getMessage());
  }

  @Test
  void noAppNameAnywhereIsAClearError(@TempDir Path dir) throws Exception {
    UserError e = assertThrows(UserError.class, () -> FlyToml.appName(Optional.empty(), FlyToml.find(dir, Optional.empty())));
    assertTrue(e.getMessage().startsWith("No Fly app name"), e.getMessage());
    Files.writeString(dir.resolve("fly.toml"), "app = [broken\n");
    e = assertThrows(UserError.class, () -> FlyToml.find(dir, Optional.empty()));
    assertTrue(e.getMessage().contains("is not valid TOML"), e.getMessage());
  }
}
