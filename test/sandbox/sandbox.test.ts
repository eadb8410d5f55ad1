/**
 * The handler sandbox (docs/sandbox.md): real handler code runs in worker threads, is judged on simulated
 * time, and a handler that hangs is stopped by a wall-clock safety net and reported as Sandbox.Timedout.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneFunction, runFile, scenarioFolder } from '../helpers/sandbox.js';

/** Short enough to keep the suite quick, long enough for a worker's first module load on a busy machine. */
const FAST_GUARD = { guardMs: 400 };

/**
 * The scenario as a plain default export, without `import { defineScenario } from 'lambda-tui'`. The
 * worker's init of an environment imports the scenario file, and through that import the whole package
 * (about 300 ms of CPU on a busy machine): under FAST_GUARD's 400 ms that init alone can reach the guard's
 * 80% CPU rule, which the tests of a blocked call do not test.
 */
function withoutPackage(text: string): string {
  return text.replace("import { defineScenario } from 'lambda-tui';\n", '').replace('export default defineScenario({', 'export default ({');
}
const LOOP_GUARD = { guardMs: 2_000 };

describe('a handler that never finishes is stopped at its timeout', () => {
  it('reports a promise that never settles as Sandbox.Timedout at the simulated timeout', async () => {
    const dir = scenarioFolder({ 's.ts': oneFunction("{ timeout: '2s', handler: () => new Promise(() => {}) }") });
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: FAST_GUARD });
    const [start] = r.of('invoke.start');
    const [end] = r.of('invoke.end');
    expect(end.outcome).toBe('timeout');
    expect(end.durationMs).toBe(2000);
    expect(end.t).toBe(start.t + 300 + 2000);
    expect(r.of('sync.response')[0].body).toMatchObject({ errorType: 'Sandbox.Timedout' });
  });

  it('reports a callback-style handler that never calls back as a timeout', async () => {
    const dir = scenarioFolder({ 's.ts': oneFunction("{ timeout: '1s', handler: (_e: unknown, _c: unknown, _cb: unknown) => undefined }") });
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: FAST_GUARD });
    expect(r.of('invoke.end')[0].outcome).toBe('timeout');
  });

  it('stops a worker stuck in a CPU loop, and the next invocation is a cold start', async () => {
    const dir = scenarioFolder({
      's.ts': oneFunction(
        "{ timeout: '1s', handler: async (event: { n: number }) => { if (event.n === 1) { while (true) {} } return event.n; } }",
        "{ invoke: 'fn', type: 'RequestResponse', rate: 1, count: 3 }",
      ),
    });
    const started = Date.now();
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: LOOP_GUARD });
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['success', 'timeout', 'success']);
    expect(r.of('invoke.start').map((e) => e.cold)).toEqual([true, false, true]);
    expect(r.of('invoke.end')[1].errorType).toBe('Sandbox.Timedout');
  });

  it('runs the calls queued behind a CPU loop again on a fresh worker', async () => {
    const dir = scenarioFolder({
      's.ts': oneFunction(
        "{ timeout: '1s', handler: async (event: { n: number }) => { if (event.n === 0) { while (true) {} } return { n: event.n }; } }",
        "{ invoke: 'fn', type: 'RequestResponse', rate: 10, count: 3 }",
      ),
    });
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: LOOP_GUARD });
    const outcome = new Map(r.of('invoke.end').map((e) => [e.requestId, e.outcome]));
    expect(r.of('invoke.start').map((e) => outcome.get(e.requestId))).toEqual(['timeout', 'success', 'success']);
    expect(r.of('sync.response').slice(0, 2).map((e) => e.body)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('the wall-clock guard waits for progress to stop, not for a batch to end', () => {
  it('lets a batch whose calls together take longer than the limit finish, every call a success', async () => {
    // Eight calls in one batch, each holding the thread 300 ms of real time (Atomics.wait): 2.4 s in all
    // against a 1.2 s guard. Each call (its environment's module load included, which a loaded machine
    // makes slow) gives the thread back within the limit, so none is hung.
    const dir = scenarioFolder({
      's.ts': oneFunction(
        "{ duration: '100ms', timeout: '1s', handler: async (event: { n: number }) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); return event.n; } }",
        "{ invoke: 'fn', type: 'RequestResponse', rate: 1000, count: 8 }",
      ),
    });
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: { guardMs: 1_200 } });
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(Array(8).fill('success'));
  });
});

describe('the guard tells a worker that computes from one that is held without computing', () => {
  // A worker held by synchronous code that uses no CPU is what a starved worker looks like from outside
  // (no heartbeat, no progress, little CPU): it must not be judged hung at the limit, or traces would
  // depend on the machine's load; code that blocks for good still is, at STALLED_GUARD_FACTOR x the limit.
  it('lets a call hold its worker without computing for longer than the limit', async () => {
    const dir = scenarioFolder({
      's.ts': withoutPackage(
        oneFunction(
          "{ duration: '100ms', timeout: '1s', handler: async () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 900); return 'done'; } }",
          "{ invoke: 'fn', type: 'RequestResponse', count: 1 }",
        ),
      ),
    });
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: FAST_GUARD });
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['success']);
  });

  it('still stops a call that blocks for good, after 5 times the limit', async () => {
    const dir = scenarioFolder({
      's.ts': withoutPackage(
        oneFunction(
          "{ duration: '100ms', timeout: '1s', handler: async () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 'never'; } }",
          "{ invoke: 'fn', type: 'RequestResponse', count: 1 }",
        ),
      ),
    });
    const started = Date.now();
    const r = await runFile(path.join(dir, 's.ts'), { sandbox: FAST_GUARD });
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['timeout']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * FAST_GUARD.guardMs);
  });
});

describe('a scenario without real code', () => {
  it('starts no worker', async () => {
    const dir = scenarioFolder({ 's.ts': oneFunction("{ timeout: '1s' }") });
    const r = await runFile(path.join(dir, 's.ts'), { keep: true });
    expect(r.sandbox.running).toBe(0);
    await r.sandbox.close();
  });
});

describe('execution environments keep module state as on Lambda', () => {
  it('keeps a module-level counter across warm invocations and resets it on a cold start', async () => {
    const dir = scenarioFolder({
      's.ts': `import { defineScenario } from 'lambda-tui';
let count = 0;
export default defineScenario({
  name: 'counter',
  duration: '20s',
  functions: { fn: { environmentIdleTimeout: '3s', handler: async () => ({ count: ++count }) } },
  traffic: [{ invoke: 'fn', type: 'RequestResponse', rate: [{ at: 0, rate: 1 }, { at: '3s', rate: 0 }, { at: '10s', rate: 1 }], stop: '13s' }],
});
`,
    });
    const r = await runFile(path.join(dir, 's.ts'));
    const counts = r.of('sync.response').map((e) => (e.body as { count: number }).count);
    const cold = r.of('invoke.start').map((e) => e.cold);
    expect(cold).toEqual([true, false, false, false, true, false, false]);
    expect(counts).toEqual([1, 2, 3, 4, 1, 2, 3]);
  });

  it('gives two concurrent environments a module instance each', async () => {
    const dir = scenarioFolder({
      's.ts': `import { defineScenario } from 'lambda-tui';
let count = 0;
export default defineScenario({
  name: 'two',
  duration: '5s',
  functions: { fn: { duration: '1500ms', handler: async () => ({ count: ++count }) } },
  traffic: [{ invoke: 'fn', type: 'RequestResponse', rate: 2, count: 4 }],
});
`,
    });
    const r = await runFile(path.join(dir, 's.ts'));
    expect(r.of('sync.response').map((e) => (e.body as { count: number }).count)).toEqual([1, 1, 1, 1]);
  });
});

describe('handlers from files, as Lambda\'s Handler setting', () => {
  const files = {
    'src/a.ts': 'export const handler = async (event: { n: number }): Promise<string> => `ts ${event.n}`;',
    'src/b.js': 'export async function handler(event) { return `js ${event.n}`; }',
    'src/c.mjs': 'export const main = async (event) => `mjs ${event.n}`;',
    'src/d.cjs': 'exports.handler = async (event) => `cjs ${event.n}`;',
    'lib/e.js': "module.exports.run = (event, context, callback) => callback(null, 'cb ' + event.n);",
  };
  it.each([
    ['./src/a.handler', 'ts 0'],
    ['src/b.handler', 'js 0'],
    ['./src/c.main', 'mjs 0'],
    ['src/d.handler', 'cjs 0'],
    ['lib/e.run', 'cb 0'],
  ])('runs %s', async (setting, body) => {
    const dir = scenarioFolder({ ...files, 's.ts': oneFunction(`{ handler: '${setting}' }`) });
    const r = await runFile(path.join(dir, 's.ts'));
    expect(r.of('sync.response')[0].body).toBe(body);
  });

  it('refuses a setting that names no file, with the field and the files it looked for', async () => {
    const dir = scenarioFolder({ 's.ts': oneFunction("{ handler: './src/missing.handler' }") });
    await expect(runFile(path.join(dir, 's.ts'))).rejects.toThrow(/functions\.fn\.handler: '.\/src\/missing.handler' no module/);
  });

  it('refuses an export that does not exist before anything runs', async () => {
    const dir = scenarioFolder({ ...files, 's.ts': oneFunction("{ handler: 'src/a.nope' }") });
    await expect(runFile(path.join(dir, 's.ts'))).rejects.toThrow(/has no function export 'nope'/);
  });
});
