package dev.flyover.cli;

import dev.flyover.Context;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Lets picocli build commands and mixins that take the run's {@link Context}. */
final class ContextFactory implements CommandLine.IFactory {
  private final Context ctx;

  ContextFactory(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    try {
      Constructor<K> c = cls.getDeclaredConstructor(Context.class);
      c.setAccessible(true);
      return c.newInstance(ctx);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
