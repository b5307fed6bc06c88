package dev.flyover.cutover;

import dev.flyover.fly.Flyctl;
import java.nio.charset.StandardCharsets;

/** Stages one Fly secret exactly: {@code flyctl secrets set --stage NAME=-} reads the value from stdin. */
final class FlySecret {
  private FlySecret() {}

  static void stage(Flyctl fly, String app, String name, String value) {
    // The value never goes in argv; `-` makes flyctl read it from stdin (trimmed, up to 64 KiB: fine for a URL).
    fly.call("secrets", "set", "--stage", "-a", app, "--", name + "=-")
        .stdin(value.getBytes(StandardCharsets.UTF_8)).quiet().run();
  }
}
