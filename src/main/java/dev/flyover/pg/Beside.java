package dev.flyover.pg;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Two independent calls side by side, for what waits on the network rather than on CPU: opening a source and a
 * target session (each a TCP connect, a TLS handshake and an authentication) or probing both servers. The result
 * is as if they had run one after the other: both values, or the first call's failure before the second's. Both
 * calls have ended when this returns, so nothing they opened is left running unseen.
 */
final class Beside {
  private Beside() {}

  record Both<A, B>(A first, B second) {}

  static <A, B> Both<A, B> run(Supplier<A> first, Supplier<B> second) {
    CompletableFuture<B> later = new CompletableFuture<>();
    Thread th = new Thread(() -> {
      try {
        later.complete(second.get());
      } catch (Throwable e) {
        later.completeExceptionally(e);
      }
    }, "flyover-beside");
    th.setDaemon(true);
    th.start();
    A a = null;
    RuntimeException firstFailure = null;
    try {
      a = first.get();
    } catch (RuntimeException e) {
      firstFailure = e;
    }
    B b;
    try {
      b = later.join();
    } catch (CompletionException e) {
      if (firstFailure != null) throw firstFailure;
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause);
    }
    if (firstFailure != null) throw firstFailure;
    return new Both<>(a, b);
  }
}
