/**
 * Determinism inside handler code (docs/sandbox.md, "What is deterministic"): Math.random, Date,
 * performance.now and crypto come from the engine, so the same seed gives the same trace, and re-runs
 * replay recorded outcomes instead of calling user code again.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HandlerRecord, type HandlerPort } from '../../src/engine/lambda/handler-port.js';
import { createSimulation } from '../../src/engine/simulation.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { oneFunction, runFile, scenarioFolder } from '../helpers/sandbox.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/lambda-tui.js');

const flaky = oneFunction(
  "{ retryAttempts: 0, handler: async (event: { n: number }) => { if (Math.random() < 0.1) throw new Error(`unlucky ${event.n}`); return { ok: event.n }; } }",
  "{ invoke: 'fn', type: 'Event', rate: 50, stop: '8s' }",
);

describe('Math.random inside a handler is seeded by the engine', () => {
  it('gives three identical --json runs of a handler that fails 10% of the time', async () => {
    const dir = scenarioFolder({ 'flaky.ts': flaky });
    const outputs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { stdout } = await run(process.execPath, [BIN, path.join(dir, 'flaky.ts'), '--json'], { env: { ...process.env, CI: '1' } });
      outputs.push(stdout);
    }
    const errors = (JSON.parse(outputs[0]) as { functions: { fn: { errors: number; invocations: number } } }).functions.fn;
    expect(errors.invocations).toBeGreaterThan(300);
    // About 10% fail: the draws are real random numbers, only seeded.
    expect(errors.errors / errors.invocations).toBeGreaterThan(0.05);
    expect(errors.errors / errors.invocations).toBeLessThan(0.15);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  }, 60_000);

  it('draws differently under another seed', async () => {
    const dir = scenarioFolder({ 'flaky.ts': flaky });
    const a = await runFile(path.join(dir, 'flaky.ts'), { seed: 1 });
    const b = await runFile(path.join(dir, 'flaky.ts'), { seed: 2 });
    expect(a.sim.state.functions.fn.errors).not.toBe(b.sim.state.functions.fn.errors);
  });
});

describe('clocks and ids inside a handler come from simulated time and the seed', () => {
  const probe = oneFunction(
    `{ duration: '200ms', handler: async () => {
        const t0 = Date.now();
        const d = new Date().toISOString();
        const p = performance.now();
        const bytes = Array.from(crypto.getRandomValues(new Uint8Array(4)));
        const { randomUUID } = await import('node:crypto');
        const t1 = Date.now();
        return { t0, t1, d, p, bytes, uuid: crypto.randomUUID(), uuid2: randomUUID(), str: typeof Date() };
      } }`,
    "{ invoke: 'fn', type: 'RequestResponse', rate: 2, count: 3 }",
  );

  it('reads the clock inside the run and the same values on every run', async () => {
    const dir = scenarioFolder({ 'p.ts': probe });
    const a = await runFile(path.join(dir, 'p.ts'));
    const b = await runFile(path.join(dir, 'p.ts'));
    const bodies = a.of('sync.response').map((e) => e.body as { t0: number; t1: number; d: string; p: number; uuid: string; uuid2: string; str: string });
    expect(bodies).toEqual(b.of('sync.response').map((e) => e.body));
    const starts = a.of('invoke.start');
    const epoch = Date.UTC(2025, 0, 1);
    bodies.forEach((body, i) => {
      const runStart = starts[i].t + (starts[i].cold ? 300 : 0);
      expect(body.t0).toBe(epoch + runStart);
      expect(body.t1).toBeGreaterThan(body.t0);
      expect(body.t1).toBeLessThan(epoch + runStart + 200);
      expect(body.d).toBe(new Date(body.t0 + 1).toISOString());
      expect(body.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(body.uuid2).toMatch(/^[0-9a-f]{8}-/);
      expect(body.str).toBe('string');
    });
    expect(new Set(bodies.map((b) => b.uuid)).size).toBe(3);
  });
});

describe('context.getRemainingTimeInMillis() counts down on the simulated clock (docs/fidelity.md)', () => {
  it('falls with each read, so a handler that polls it to stop early does stop, the same way every run', async () => {
    const poller = oneFunction(
      `{ timeout: '1s', handler: async (_event: unknown, context: { getRemainingTimeInMillis(): number }) => {
          let n = 0;
          while (context.getRemainingTimeInMillis() > 100) n++;
          return { n, first: 1000, left: context.getRemainingTimeInMillis() };
        } }`,
      "{ invoke: 'fn', type: 'RequestResponse', count: 1 }",
    );
    const dir = scenarioFolder({ 'poll.ts': poller });
    const a = await runFile(path.join(dir, 'poll.ts'));
    // Reads return 1000, 999, ... 101 (900 loop turns), then 100 ends the loop and 99 is left.
    expect(a.of('sync.response')[0].body).toEqual({ n: 900, first: 1000, left: 99 });
    // It read its clock 902 times, so it ran 902 ms: past its modelled 100 ms, short of its timeout.
    expect(a.of('invoke.end')[0]).toMatchObject({ outcome: 'success', durationMs: 902 });
    const b = await runFile(path.join(dir, 'poll.ts'));
    expect(b.trace).toEqual(a.trace);
  });
});

describe('re-runs replay recorded outcomes instead of calling user code again', () => {
  it('gives a byte-identical trace from the record alone, with user code never called', async () => {
    const dir = scenarioFolder({
      's.ts': `import { defineScenario } from 'lambda-tui';
let calls = 0;
export default defineScenario({
  name: 'replay',
  duration: '5s',
  functions: { fn: { handler: async () => { calls++; console.log('call', calls, Math.random()); return { calls }; } } },
  traffic: [{ invoke: 'fn', type: 'RequestResponse', rate: 5 }],
});
`,
    });
    const record = new HandlerRecord();
    const first = await runFile(path.join(dir, 's.ts'), { record });
    // Every outcome the run needed; an invocation still running at the end was never asked for.
    expect(record.size).toBeGreaterThanOrEqual(first.of('invoke.end').length);
    const refuse: HandlerPort = {
      run: () => {
        throw new Error('user code called again during a replay');
      },
    };
    const trace: TraceEvent[] = [];
    const again = createSimulation(first.model, { handlers: refuse, handlerRecord: record, onTrace: (e) => trace.push(e) });
    await again.run();
    expect(trace.map((e) => JSON.stringify(e))).toEqual(first.trace.map((e) => JSON.stringify(e)));
  });
});
