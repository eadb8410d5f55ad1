/**
 * A function that answers a call with the same arguments (by identity) as its previous call from that
 * call's result: a frame asks a pane for its rows twice (the selection, then the drawing), with the same
 * snapshot, model and size, and builds them once (docs/architecture.md, "The live dashboard's CPU").
 * The result is shared, so callers must not change it.
 *
 * @example const rows = lastCall((state: SimState, width: number) => build(state, width));
 */
export function lastCall<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | undefined;
  let last!: R;
  return (...args: A): R => {
    if (lastArgs !== undefined && lastArgs.length === args.length && lastArgs.every((a, i) => a === args[i])) return last;
    last = fn(...args);
    lastArgs = args;
    return last;
  };
}
