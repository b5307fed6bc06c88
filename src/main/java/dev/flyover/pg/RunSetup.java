package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.actions.Console;

/**
 * The first part of the {@link RunSpec}: the request and the run's machinery, fixed before anything connects.
 * {@link Preflight} starts from it ({@link RunSpec.Builder}); every phase reads it through the spec.
 */
class RunSetup {
  final Env env;
  final Console console;
  final Stopper stopper;
  final WorkerPool pool;
  final TransferRequest req;
  /** Both sides as this run reaches them (TLS settled, a Fly-private target through its proxy). */
  final PgUrl source;
  final PgUrl target;
  /** System.nanoTime() at the start: the total's origin. */
  final long started;
  /** Smallest piece a big table is split into. */
  final long minChunkBytes;
  /** Where phases register their work for the progress lines (the run's, with its ticker; silent otherwise). */
  final Progress progress;

  RunSetup(Env env, Console console, Stopper stopper, WorkerPool pool, TransferRequest req, PgUrl source, PgUrl target,
      long started, long minChunkBytes, Progress progress) {
    this.env = env;
    this.console = console;
    this.stopper = stopper;
    this.pool = pool;
    this.req = req;
    this.source = source;
    this.target = target;
    this.started = started;
    this.minChunkBytes = minChunkBytes;
    this.progress = progress;
  }

  /** The source's input as this surface names it in messages ("heroku-database-url input" / "--heroku-database-url option"). */
  String sourceInput() {
    return console.named(DatabaseTransfer.SOURCE_INPUT);
  }

  /** The target's input as this surface names it in messages. */
  String targetInput() {
    return console.named(DatabaseTransfer.TARGET_INPUT);
  }

  RunSetup(RunSetup s) {
    this(s.env, s.console, s.stopper, s.pool, s.req, s.source, s.target, s.started, s.minChunkBytes, s.progress);
  }
}
