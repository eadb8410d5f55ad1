/**
 * Engine invariants: counts the engine keeps that must never go wrong (concurrency within its limits and
 * never below 0, a record leaving only a state it is in, checkpoints only moving forward, a module's
 * counters never below 0). A broken one is a bug in the engine, never the scenario's or the handler's
 * doing, so it throws at once, naming what broke and where, instead of letting a wrong count reach a
 * summary. Each check is a comparison and a branch on a path that does the arithmetic anyway.
 */
export class EngineInvariantError extends Error {
  override readonly name = 'EngineInvariantError';

  constructor(
    readonly what: string,
    readonly context: Record<string, unknown>,
  ) {
    super(`lambda-tui internal error: ${what} (${JSON.stringify(context)}); please report it`);
  }
}

/** Throws the invariant error: call it in the branch where the invariant failed (`if (n < 0) broken(...)`). */
export function broken(what: string, context: Record<string, unknown>): never {
  throw new EngineInvariantError(what, context);
}
