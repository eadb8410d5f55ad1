// A trivial real handler through the handler sandbox (docs/sandbox.md), against the same scenario with
// no handler code, both measured in this run: 20,000 synchronous invocations of one function over 10
// simulated seconds. The case runs twice (bench/run.js): `scenario()` as it is (no handler: the engine's
// own cost), then with `handler` written to a file beside a scenario file that names it, loaded and run
// through the worker pool as the CLI does. The line prints invocations per second of each and their
// ratio, and how many calls travelled per message to a worker.
export default {
  unit: 'invocations',
  scenario() {
    return {
      name: 'bench: 20k sync invocations, trivial handler',
      duration: '11s',
      account: { concurrentExecutions: 10_000 },
      functions: { fn: { duration: { p50: '8ms', p99: '40ms' } } },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', via: 'cli', rate: 2000, count: 20_000 }],
    };
  },
  /** The real code of the sandboxed run: a module that returns at once. */
  handler: 'export const handler = async (event) => ({ ok: true, n: event.n });\n',
  count: (s) => Object.values(s.functions).reduce((n, f) => n + f.invocations, 0),
  detail: (s) => `successes ${s.functions.fn.successes}, errors ${s.functions.fn.errors}`,
};
