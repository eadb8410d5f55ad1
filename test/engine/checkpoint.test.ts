import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approximateBytes, cloneGraph, copiedBytes } from '../../src/engine/checkpoint.js';
import { directHandlers, HandlerRecord, type HandlerPort } from '../../src/engine/lambda/handler-port.js';
import { createModules } from '../../src/engine/modules.js';
import {
  CHECKPOINT_FIELDS,
  CONFIGURATION_FIELDS,
  createSimulation,
  PART_FIELDS,
  restoreSimulation,
  type Simulation,
} from '../../src/engine/simulation.js';
import { traceLine } from '../../src/engine/trace.js';
import { summarize } from '../../src/output/summary.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Model } from '../../src/scenario/model.js';
import { mixed, mixedScenario } from '../helpers/mixed-scenario.js';
import { modelOf } from '../helpers/run.js';

/** A handler port that counts the calls that reach user code. */
function countingPort(model: Model): HandlerPort & { calls: number } {
  const direct = directHandlers(model);
  const port = {
    calls: 0,
    run: (calls: Parameters<HandlerPort['run']>[0], discarded: string[]) => {
      port.calls += calls.length;
      return direct.run(calls, discarded);
    },
  };
  return port;
}

/** What a run looks like from outside: the trace lines from `from` on, the snapshot and the summary. */
function view(sim: Simulation, lines: string[], from: number) {
  return { tail: lines.slice(from).join('\n'), state: JSON.stringify(sim.state), summary: JSON.stringify(summarize(sim)) };
}

/**
 * Runs `model` straight to `untilMs`, checkpointing at each of `atMs` on the way; restores the checkpoint
 * `pick` chooses (by default the first) into a new run and takes it to `untilMs` too. Returns both, and
 * how often the restored run called user code.
 */
async function straightAndRestored(model: Model, atMs: number[], untilMs: number, options: { step?: boolean; pick?: (lastT: number) => number } = {}) {
  const record = new HandlerRecord();
  const lines: string[] = [];
  let lastT = 0;
  const a = createSimulation(model, {
    handlerRecord: record,
    onTrace: (e) => {
      lines.push(traceLine(e));
      lastT = e.t;
    },
  });
  const go = async (sim: Simulation, to: number) => {
    if (options.step) while (sim.now < to) await sim.step();
    else await sim.run(to);
  };
  const taken: Array<{ cp: ReturnType<Simulation['checkpoint']>; mark: number }> = [];
  for (const at of atMs) {
    await go(a, at);
    taken.push({ cp: a.checkpoint(), mark: lines.length });
  }
  await go(a, untilMs);
  const want = options.pick ? options.pick(lastT) : atMs[0];
  const { cp, mark } = taken.reduce((best, c) => (c.cp.t <= want && c.cp.t > best.cp.t ? c : best), taken[0]);
  const port = countingPort(model);
  const again: string[] = [];
  const b = restoreSimulation(model, cp, { handlerRecord: record, handlers: port, onTrace: (e) => again.push(traceLine(e)) });
  expect(b.now).toBe(cp.t);
  // The same stops as the straight run: a headless run samples (the concurrency history) where it stops.
  for (const at of atMs) if (at > cp.t) await go(b, at);
  await go(b, untilMs);
  return { straight: view(a, lines, mark), restored: view(b, again, 0), calls: port.calls, traceEvents: [a.traceEvents, b.traceEvents], cp };
}

const bundled = readdirSync('scenarios')
  .filter((f) => f.endsWith('.ts'))
  .sort();

describe('checkpoints: a run restored from a checkpoint goes on exactly as the straight run', () => {
  it('covers every field of the simulation: each is copied by a checkpoint or fixed at construction', () => {
    const sim = createSimulation(modelOf({ name: 'x', functions: { f: {} } }));
    const known = new Set<string>([...CHECKPOINT_FIELDS, ...CONFIGURATION_FIELDS]);
    expect(Object.keys(sim).filter((k) => !known.has(k))).toEqual([]);
    expect([...CHECKPOINT_FIELDS].filter((k) => !(k in sim))).toEqual([]);
  });

  it('covers every field of the parts a run is built of (traffic, invocations, ledgers) the same way', () => {
    const sim = createSimulation(modelOf({ name: 'x', functions: { f: {} } }));
    for (const [name, lists] of Object.entries(PART_FIELDS)) {
      const part = (sim as unknown as Record<string, object>)[name];
      const known = new Set<string>([...lists.checkpoint, ...lists.configuration]);
      expect(Object.keys(part).filter((k) => !known.has(k)), name).toEqual([]);
      expect([...lists.checkpoint].filter((k) => !(k in part)), name).toEqual([]);
      expect(Object.keys((part as { save(): object }).save()).sort(), name).toEqual([...lists.checkpoint].sort());
    }
  });

  it('has every module save and restore its own state', () => {
    for (const m of createModules()) {
      expect(typeof m.save, m.name).toBe('function');
      expect(typeof m.restore, m.name).toBe('function');
    }
  });

  it('copies graphs with shared references and cycles intact, and shares frozen parts', () => {
    const frozen = Object.freeze({ n: 1 });
    class Box {
      constructor(public items: unknown[]) {}
    }
    const shared = { v: 1 };
    const root: any = { a: shared, b: [shared], m: new Map([[1, shared]]), s: new Set([shared]), f: frozen, box: new Box([]), bytes: new Uint8Array([1, 2]) };
    root.self = root;
    const copy = cloneGraph(root);
    expect(copy).not.toBe(root);
    expect(copy.a).not.toBe(shared);
    expect(copy.b[0]).toBe(copy.a);
    expect(copy.m.get(1)).toBe(copy.a);
    expect([...copy.s][0]).toBe(copy.a);
    expect(copy.self).toBe(copy);
    expect(copy.f).toBe(frozen);
    expect(copy.box).toBeInstanceOf(Box);
    copy.bytes[0] = 9;
    expect(root.bytes[0]).toBe(1);
  });

  for (const file of bundled) {
    it(`scenarios/${file}: same trace tail, snapshot and summary, and no user code called again`, async () => {
      const { model } = await loadScenario(`scenarios/${file}`);
      const tick = model.tickMs;
      // Checkpoints every twentieth of the run; the one restored is the last before 40% of the time of
      // the run's last event (some scenarios are quiet long before their duration).
      const at = Array.from({ length: 20 }, (_, k) => Math.round((model.durationMs * k) / 20 / tick) * tick);
      const r = await straightAndRestored(model, at, model.durationMs, { pick: (lastT) => lastT * 0.4 });
      expect(r.restored.tail.length).toBeGreaterThan(0);
      expect(r.restored.tail).toBe(r.straight.tail);
      expect(r.restored.state).toBe(r.straight.state);
      expect(r.restored.summary).toBe(r.straight.summary);
      expect(r.traceEvents[1]).toBe(r.traceEvents[0]);
      expect(r.calls).toBe(0);
    }, 60_000);
  }

  it('holds tick by tick, as the dashboard steps, with checkpoints taken at several ticks (kinesis-error)', async () => {
    const { model } = await loadScenario('scenarios/kinesis-error.ts');
    for (const atMs of [0, 100, 11_600, 25_000]) {
      const r = await straightAndRestored(model, [atMs], 40_000, { step: true });
      expect(r.restored).toEqual(r.straight);
    }
  }, 60_000);

  it('restores the same checkpoint twice to the same future, and checkpointing does not change the run', async () => {
    const { model } = await loadScenario('scenarios/sqs-scaling.ts');
    const lines: string[] = [];
    const reference: string[] = [];
    const ref = createSimulation(model, { onTrace: (e) => reference.push(traceLine(e)) });
    await ref.run(60_000);
    const a = createSimulation(model, { onTrace: (e) => lines.push(traceLine(e)) });
    await a.run(20_000);
    const cp = a.checkpoint();
    const mark = lines.length;
    await a.run(60_000);
    expect(lines).toEqual(reference);
    const tails: string[][] = [];
    for (let k = 0; k < 2; k++) {
      const out: string[] = [];
      const b = restoreSimulation(model, cp, { onTrace: (e) => out.push(traceLine(e)) });
      await b.run(60_000);
      tails.push(out);
    }
    expect(tails[0]).toEqual(lines.slice(mark));
    expect(tails[1]).toEqual(tails[0]);
  }, 60_000);

  it('holds for property-test seeds of mixed scenarios, with live faults injected before the checkpoint', async () => {
    const samples = fc.sample(mixed, { seed: 14, numRuns: 12 });
    for (const o of samples) {
      const model = modelOf(mixedScenario(o));
      const r = await straightAndRestored(model, [17_300], model.durationMs);
      expect(r.restored.tail).toBe(r.straight.tail);
      expect(r.restored.state).toBe(r.straight.state);
      expect(r.restored.summary).toBe(r.straight.summary);
    }
    // A live fault is part of the state a checkpoint carries.
    const model = modelOf(mixedScenario(samples[0]));
    const lines: string[] = [];
    const a = createSimulation(model, { onTrace: (e) => lines.push(traceLine(e)) });
    await a.run(5_000);
    a.injectFault({ function: 'consumer', kind: 'error', rate: 1, fromMs: 5_000, untilMs: 30_000, addMs: 0, count: 4 });
    await a.run(12_000);
    const cp = a.checkpoint();
    const mark = lines.length;
    await a.run(model.durationMs);
    const out: string[] = [];
    const b = restoreSimulation(model, cp, { onTrace: (e) => out.push(traceLine(e)) });
    await b.run(model.durationMs);
    expect(out).toEqual(lines.slice(mark));
  }, 120_000);

  it('replays real handler code: a handler that counts its calls is not called again after a restore', async () => {
    let calls = 0;
    const model = modelOf({
      name: 'counted',
      duration: '30s',
      functions: {
        f: {
          duration: '700ms',
          handler: async (event: unknown) => {
            calls++;
            return { seen: JSON.stringify(event).length, calls };
          },
        },
      },
      traffic: [{ invoke: 'f', type: 'RequestResponse', rate: 5 }],
    });
    const record = new HandlerRecord();
    const lines: string[] = [];
    const a = createSimulation(model, { handlerRecord: record, onTrace: (e) => lines.push(traceLine(e)) });
    await a.run(10_050);
    const cp = a.checkpoint();
    const mark = lines.length;
    await a.run(30_000);
    const before = calls;
    expect(before).toBeGreaterThan(100);
    const out: string[] = [];
    const b = restoreSimulation(model, cp, { handlerRecord: record, onTrace: (e) => out.push(traceLine(e)) });
    await b.run(30_000);
    expect(calls).toBe(before);
    expect(out).toEqual(lines.slice(mark));
    // Without the record, the same restore calls the code again (so the count above means something).
    const c = restoreSimulation(model, cp, { handlerRecord: new HandlerRecord() });
    await c.run(30_000);
    expect(calls).toBeGreaterThan(before);
  }, 60_000);
});

describe('copiedBytes', () => {
  it('counts while copying what approximateBytes counts on the copy, without what was shared', () => {
    const inner = { a: 1, b: [1, 2, 3] };
    const graph = { m: new Map([['k', inner]]), s: new Set([inner]), buf: new Uint8Array(100), same: [inner, inner], frozen: Object.freeze({ x: 1 }) };
    const copy = cloneGraph(graph);
    expect(copiedBytes(copy)).toBe(approximateBytes(copy));
    const model = { big: new Array(1000).fill(0) };
    const withModel = cloneGraph({ model, own: { n: 1 } }, (o) => o === model);
    expect(copiedBytes(withModel)).toBe(approximateBytes(withModel, (o) => o === model));
    expect(copiedBytes({})).toBeUndefined();
  });
});
