package dev.flyover.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheatSheetTest {
  @TempDir
  Path dir;

  static String fly(List<CheatSheet.Row> rows, String heroku) {
    return rows.stream().filter(r -> r.heroku().equals(heroku)).findFirst().orElseThrow().fly();
  }

  @Test
  void phoenixWithoutAnAppKeyUsesTheFlyName() throws IOException {
    Files.writeString(dir.resolve("mix.exs"), "defmodule X do end\n");
    List<CheatSheet.Row> rows = CheatSheet.rows("my-shop", dir, Optional.of("registry.fly.io/my-shop:deployment-01"));
    assertTrue(fly(rows, "heroku run iex -S mix").equals("fly ssh console --pty -C \"/app/bin/my_shop remote\" -a my-shop"));
    assertTrue(fly(rows, "heroku rollback").equals("fly deploy -a my-shop --image registry.fly.io/my-shop:deployment-01"));
  }

  @Test
  void railsAndNode() throws IOException {
    Files.writeString(dir.resolve("Gemfile"), "gem 'rails'\n");
    assertTrue(fly(CheatSheet.rows("a", dir, Optional.empty()), "heroku run rails console").contains("/rails/bin/rails console"));
    Files.delete(dir.resolve("Gemfile"));
    Files.writeString(dir.resolve("package.json"), "{}");
    assertTrue(fly(CheatSheet.rows("a", dir, Optional.empty()), "heroku run node").contains("-C \"node\""));
  }
}
