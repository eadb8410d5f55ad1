import { describe, expect, it } from 'vitest';
import { MetricsRing } from '../../src/engine/metrics.js';
import { createSimulation } from '../../src/engine/simulation.js';
import type { SqsViewState } from '../../src/engine/sources/sqs/view.js';
import type { StreamViewState } from '../../src/engine/sources/stream.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('MetricsRing: CloudWatch-style metrics in a bounded ring', () => {
  it('counts invocations, errors, throttles and cold starts in the period of their own millisecond', async () => {
    const model = (await loadScenario('scenarios/kinesis-error.ts')).model;
    const ring = new MetricsRing(model.tickMs);
    const events: TraceEvent[] = [];
    const sim = createSimulation(model, {
      onTrace: (e) => {
        events.push(e);
        ring.observe(e);
      },
    });
    ring.sample(sim.state);
    let peakShown = 0;
    while (sim.state.t < 60_000) {
      await sim.step();
      ring.sample(sim.state);
      const view = sim.state.modules.stream as StreamViewState;
      for (const shard of view.sources.orders.shards) if (shard.shardId.endsWith('0003')) peakShown = Math.max(peakShown, shard.consumers[0].iteratorAgeMs);
    }
    const period = ring.periodMs;
    const expected = (pick: (e: TraceEvent) => boolean) => {
      const counts: number[] = [];
      for (const e of events) if (pick(e)) counts[Math.floor(e.t / period)] = (counts[Math.floor(e.t / period)] ?? 0) + 1;
      return counts;
    };
    const read = (name: string) => ring.read(`function/processor/${name}`, sim.state.t)!.values;
    const check = (name: string, pick: (e: TraceEvent) => boolean) => {
      const want = expected(pick);
      const got = read(name);
      expect(got.reduce((a, b) => a! + b!, 0)).toBe(events.filter(pick).length);
      want.forEach((n, i) => expect(got[i]).toBe(n ?? 0));
    };
    check('Invocations', (e) => e.type === 'invoke.start' && e.fn === 'processor');
    check('ColdStarts', (e) => e.type === 'invoke.start' && e.fn === 'processor' && e.cold);
    check('Errors', (e) => e.type === 'invoke.end' && e.fn === 'processor' && (e.outcome === 'error' || e.outcome === 'timeout'));
    expect(read('Errors').some((n) => n! > 0)).toBe(true);
    // Levels: shard-3's iterator age is what the Sources pane shows (the oldest unfinished record's age),
    // and it peaks where the trace says: when the poisoned batch leaves for orders-failed.
    const shard3 = ring.keys().find((k) => k.startsWith('shard/orders/') && k.includes('0003'));
    expect(shard3).toBeDefined();
    const age = ring.read(shard3!, sim.state.t)!;
    expect(age.unit).toBe('ms');
    expect(Math.max(...age.values.map((v) => v ?? 0))).toBe(peakShown);
    const peakAt = age.values.indexOf(peakShown) * age.periodMs;
    const delivered = events.find((e) => e.type === 'deliver' && e.to === 'orders-failed')!;
    // Levels are sampled at the end of each tick: the peak is in the tick of the delivery or the next.
    expect(Math.abs(delivered.t - peakAt)).toBeLessThanOrEqual(2 * age.periodMs);
  });

  it('stays bounded: past its periods it doubles the period, adding counts and keeping maxima', () => {
    const ring = new MetricsRing(100, 8);
    const state = (t: number, concurrency: number) => ({ t, functions: { f: { name: 'f', concurrency } }, modules: {}, aliases: {} }) as never;
    for (let t = 0; t < 1600; t += 100) {
      ring.observe({ t, type: 'throttle', fn: 'f', trigger: 'sync', reason: 'x' } as TraceEvent);
      ring.sample(state(t, t / 100));
    }
    expect(ring.periodMs).toBe(200);
    const throttles = ring.read('function/f/Throttles', 1500)!;
    expect(throttles.values).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(ring.read('function/f/ConcurrentExecutions', 1500)!.values).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    // Up to a time: only the periods that start by then.
    expect(ring.read('function/f/Throttles', 450)!.values).toEqual([2, 2, 2]);
    expect(ring.read('nothing', 450)).toBeUndefined();
  });

  it('charts a queue\'s NotVisible with the messages whose batch failed, until their visibility timeout ends (as SQS counts them)', async () => {
    const model = (await loadScenario('scenarios/sqs-poison-redrive.ts')).model;
    const ring = new MetricsRing(model.tickMs);
    const sim = createSimulation(model, { onTrace: (e) => ring.observe(e) });
    ring.sample(sim.state);
    let seen = 0;
    while (sim.state.t < 60_000) {
      await sim.step();
      ring.sample(sim.state);
      const q = (sim.state.modules.sqs as SqsViewState).queues.orders;
      const values = ring.read('queue/orders/InFlight', sim.state.t)!.values;
      expect(values.at(-1)).toBeGreaterThanOrEqual(q.inFlight + q.invisibleAfterFailure);
      if (q.invisibleAfterFailure > 0 && q.inFlight === 0) {
        seen++;
        expect(values.at(-1)).toBe(q.invisibleAfterFailure);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});
