import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceLine, type TraceEvent } from '../../src/engine/trace.js';
import type { Scenario } from '../../src/scenario/types.js';
import { run } from '../helpers/run.js';

/**
 * Exact time (docs/time.md): every event happens at its own millisecond whatever the tick, so the tick
 * (the step the dashboard advances and samples by) never changes an outcome.
 */
const TICKS = ['1ms', '10ms', '100ms', '1s'] as const;

const mixed = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  reserved: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  p50: fc.integer({ min: 1, max: 400 }),
  syncRate: fc.integer({ min: 0, max: 40 }),
  asyncRate: fc.integer({ min: 0, max: 10 }),
  queueRate: fc.integer({ min: 0, max: 30 }),
  streamRate: fc.integer({ min: 0, max: 30 }),
  topicRate: fc.integer({ min: 0, max: 5 }),
  window: fc.constantFrom(0, 500),
  bisect: fc.boolean(),
  faultKind: fc.constantFrom('error', 'timeout', 'throttle', 'latency', 'partial'),
  faultRate: fc.double({ min: 0, max: 1, noNaN: true }),
  faultFn: fc.constantFrom('api', 'worker', 'consumer'),
});
type Mixed = typeof mixed extends fc.Arbitrary<infer T> ? T : never;

function scenario(o: Mixed, tick: string): Scenario {
  return {
    name: 'ticks',
    seed: o.seed,
    tick: tick as Scenario['tick'],
    duration: '20s',
    functions: {
      api: { duration: { p50: o.p50, p99: o.p50 * 3 }, timeout: '2s', reservedConcurrentExecutions: o.reserved },
      worker: { duration: { p50: o.p50, p99: o.p50 * 2 }, timeout: '2s', retryAttempts: 1, maxEventAge: '60s', onFailure: 'failed' },
      consumer: { duration: { p50: o.p50, p99: o.p50 * 2 }, timeout: '2s', reservedConcurrentExecutions: 3 },
      auditor: { duration: '7ms' },
    },
    queues: { jobs: { visibilityTimeout: '3s', deadLetterQueue: { queue: 'failed', maxReceiveCount: 2 } }, failed: {} },
    streams: { events: { shardCount: 2 } },
    topics: { alerts: { subscriptions: ['auditor', 'failed'] } },
    eventSourceMappings: [
      { source: 'jobs', function: 'consumer', batchSize: 5, maxBatchingWindow: o.window, reportBatchItemFailures: true },
      { source: 'events', function: 'consumer', batchSize: 10, maxBatchingWindow: o.window, bisectBatchOnError: o.bisect, retryAttempts: 2, onFailure: 'failed' },
    ],
    traffic: [
      ...(o.syncRate ? [{ invoke: 'api', type: 'RequestResponse' as const, rate: o.syncRate, stop: '12s' as const }] : []),
      ...(o.asyncRate ? [{ invoke: 'worker', type: 'Event' as const, rate: o.asyncRate, stop: '12s' as const }] : []),
      ...(o.topicRate ? [{ to: 'alerts', rate: o.topicRate, stop: '12s' as const }] : []),
      ...(o.queueRate ? [{ to: 'jobs', rate: o.queueRate, stop: '12s' as const }] : []),
      ...(o.streamRate ? [{ to: 'events', rate: o.streamRate, stop: '12s' as const, partitionKeys: 4 }] : []),
    ],
    faults: [{ function: o.faultFn, kind: o.faultKind, rate: o.faultRate, ...(o.faultKind === 'latency' ? { add: '1s' } : {}) }],
  };
}

function counts(r: Awaited<ReturnType<typeof run>>) {
  const per = Object.fromEntries(
    Object.entries(r.summary.functions).map(([name, f]) => [name, [f.invocations, f.throttles, f.errors, f.timeouts, f.coldStarts, f.peakConcurrency]]),
  );
  return { per, deliveries: r.of('deliver').length, sources: r.summary.sources };
}

describe('exact time: the tick never decides the outcome', () => {
  it('gives the same counts and the same trace for ticks of 1 ms, 10 ms, 100 ms and 1 s, over random scenarios', async () => {
    await fc.assert(
      fc.asyncProperty(mixed, async (o) => {
        const runs = [];
        for (const tick of TICKS) runs.push(await run(scenario(o, tick)));
        const [first, ...rest] = runs;
        const lines = (trace: TraceEvent[]) => trace.map(traceLine).join('\n');
        for (const other of rest) {
          expect(counts(other)).toEqual(counts(first));
          expect(lines(other.trace)).toBe(lines(first.trace));
        }
        expect(first.summary.accounting.ok).toBe(true);
      }),
      { numRuns: 8 },
    );
  }, 300_000);

  // The example: reserved concurrency 1, 1 ms per invocation, 100 requests per second for 2 s.
  // AWS: concurrency = requests per second × duration = 100 × 0.001 s = 0.1, far from the limit of 1, so
  // once the cold start (300 ms, during which the one environment is busy) is over nothing is throttled.
  it('serves a 1 ms function at 100 rps under reserved concurrency 1 with the same counts at every tick', async () => {
    const results = [];
    for (const tick of TICKS) {
      const r = await run({
        name: 'tiny',
        tick: tick as Scenario['tick'],
        duration: '3s',
        functions: { tiny: { duration: '1ms', reservedConcurrentExecutions: 1 } },
        traffic: [{ invoke: 'tiny', type: 'RequestResponse', rate: 100, stop: '2s' }],
      });
      const f = r.summary.functions.tiny;
      const reasons: Record<string, number> = {};
      for (const t of r.of('throttle')) reasons[t.reason] = (reasons[t.reason] ?? 0) + 1;
      results.push({ invocations: f.invocations, throttles: f.throttles, coldStarts: f.coldStarts, reasons, starts: r.of('invoke.start').map((e) => e.t) });
    }
    // 200 requests, 10 ms apart. The first pays a 300 ms cold start (plus 1 ms) and the 30 that arrive
    // while it runs (at 10..300 ms) find no concurrency. From 310 ms the one environment is free for each
    // arrival, but reserved concurrency 1 also caps the request rate at 10 per second (docs/fidelity.md):
    // 9 more are served by 390 ms, then nothing until the one at 0 ms leaves the sliding second at 1000 ms.
    const second = [0, 310, 320, 330, 340, 350, 360, 370, 380, 390];
    for (const r of results) {
      expect(r).toEqual({
        invocations: 20,
        throttles: 180,
        coldStarts: 1,
        reasons: { ReservedFunctionConcurrentInvocationLimitExceeded: 30, ReservedFunctionInvocationRateLimitExceeded: 150 },
        starts: [...second, ...second.map((t) => t + 1000)],
      });
    }
  });

  it('an environment freed at 12 ms serves the arrival at 13 ms', async () => {
    const r = await run({
      name: 'freed',
      tick: '1s',
      duration: '2s',
      functions: { f: { duration: '12ms', coldStart: '0ms', reservedConcurrentExecutions: 1 } },
      traffic: [{ invoke: 'f', type: 'RequestResponse', count: 2, start: 0, rate: 1000 / 13 }],
    });
    expect(r.of('invoke.start').map((e) => e.t)).toEqual([0, 13]);
    expect(r.of('invoke.end').map((e) => e.t)).toEqual([12, 25]);
    expect(r.of('throttle')).toEqual([]);
  });

  it('keeps the mean concurrency of a steady synchronous load within 5% of rate × duration', async () => {
    // 200 rps × 50 ms = 10 concurrent executions on average (AWS's concurrency formula).
    for (const tick of ['1ms', '100ms', '1s']) {
      const r = await run({
        name: 'steady',
        tick: tick as Scenario['tick'],
        duration: '20s',
        functions: { f: { duration: '50ms', coldStart: '0ms' } },
        traffic: [{ invoke: 'f', type: 'RequestResponse', rate: 200 }],
      });
      let busyMs = 0;
      const startOf = new Map<string, number>();
      for (const e of r.trace) {
        if (e.type === 'invoke.start') startOf.set(e.requestId, e.t);
        else if (e.type === 'invoke.end') busyMs += e.t - startOf.get(e.requestId)!;
      }
      const mean = busyMs / r.summary.simulatedMs;
      expect(Math.abs(mean - 10) / 10).toBeLessThan(0.05);
      expect(r.summary.functions.f.peakConcurrency).toBeLessThanOrEqual(11);
      expect(r.summary.functions.f.throttles).toBe(0);
    }
  });
});
