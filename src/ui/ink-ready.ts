/**
 * What must happen before Ink's first render in the bundled CLI (scripts/bundle.mjs): there yoga, Ink's
 * layout engine, starts loading its WebAssembly when Ink's modules are evaluated (CommonJS has no
 * top-level await to wait for it), and its promise is at globalThis[Symbol.for('lambda-tui.yoga-ready')].
 * Outside the bundle yoga's own module awaited it and there is no promise: this returns at once.
 *
 * It also tells the bundle's loader (src/code-cache.ts) that this run compiled Ink's code, so that the
 * code cache it keeps holds the dashboard's functions too.
 *
 * @example
 * await inkReady();
 * const app = render(<App controller={controller} />);
 */
export async function inkReady(): Promise<void> {
  const global = globalThis as Record<symbol, unknown>;
  await global[Symbol.for('lambda-tui.yoga-ready')];
  global[Symbol.for('lambda-tui.code-cache.dashboard')] = true;
}
