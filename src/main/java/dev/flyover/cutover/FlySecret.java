package dev.flyover.cutover;

import dev.flyover.fly.Flyctl;

/** Stages one Fly secret exactly: {@code flyctl secrets set --stage NAME=-} reads the value from stdin. */
final class FlySecret {
  private FlySecret() {}

  static void stage(Flyctl fly, String app, String name, String value) {
    fly.stageSecret(app, name, value);
  }
}
