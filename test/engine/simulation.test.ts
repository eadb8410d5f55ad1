import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceLine } from '../../src/engine/trace.js';
import type { Scenario } from '../../src/scenario/types.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { concurrencyFromTrace, run } from '../helpers/run.js';

const variable: Scenario = {
  name: 'variable durations',
  duration: '20s',
  functions: {
    api: { duration: { p50: '120ms', p99: '900ms' }, reservedConcurrentExecutions: 4 },
    worker: { duration: { p50: '50ms', p99: '400ms' } },
  },
  traffic: [
    { invoke: 'api', type: 'RequestResponse', rate: 30 },
    { invoke: 'worker', type: 'RequestResponse', via: 'cli', rate: 12 },
  ],
};

describe('determinism: a run is its seed plus its inputs', () => {
  it('gives a byte-identical trace for the same scenario and seed', async () => {
    const a = await run(variable);
    const b = await run(variable);
    expect(a.trace.length).toBeGreaterThan(100);
    expect(a.trace.map(traceLine).join('\n')).toBe(b.trace.map(traceLine).join('\n'));
  });

  it('gives a different trace for a different seed when durations vary', async () => {
    const a = await run(variable, { seed: 1 });
    const b = await run(variable, { seed: 2 });
    expect(a.trace.map(traceLine).join('\n')).not.toBe(b.trace.map(traceLine).join('\n'));
  });

  it('stamps every trace line with simulated time that never goes backwards', async () => {
    const { trace } = await run(variable);
    for (let i = 1; i < trace.length; i++) expect(trace[i].t).toBeGreaterThanOrEqual(trace[i - 1].t);
  });
});

describe('concurrency (docs/aws-rules.md §4)', () => {
  it('never exceeds reserved concurrency, and the excess synchronous calls get 429', async () => {
    const r = await run(variable);
    const peaks = concurrencyFromTrace(r.trace);
    expect(peaks.perFunction.api).toBe(4);
    const throttled = r.of('sync.response').filter((e) => e.fn === 'api' && e.statusCode === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(r.summary.functions.api.peakConcurrency).toBe(4);
  });

  it('throttles every invocation of a function with reserved concurrency 0', async () => {
    const r = await run({
      name: 'zero',
      duration: '5s',
      functions: { off: { reservedConcurrentExecutions: 0 } },
      traffic: [{ invoke: 'off', type: 'RequestResponse', rate: 2 }],
    });
    expect(r.of('invoke.start')).toHaveLength(0);
    expect(r.summary.functions.off.throttles).toBe(r.summary.sources['cli:off'].put);
    expect(r.summary.sources['cli:off'].failedTo).toEqual({ caller: r.summary.sources['cli:off'].put });
  });

  it('shares the unreserved pool between functions without reservations and keeps it within the account limit', async () => {
    const r = await run({
      name: 'pool',
      duration: '10s',
      account: { concurrentExecutions: 120 },
      functions: {
        reserved: { duration: '1s', reservedConcurrentExecutions: 20 },
        a: { duration: '1s' },
        b: { duration: '1s' },
      },
      traffic: [
        { invoke: 'reserved', type: 'RequestResponse', rate: 100 },
        { invoke: 'a', type: 'RequestResponse', rate: 100 },
        { invoke: 'b', type: 'RequestResponse', rate: 100 },
      ],
    });
    const peaks = concurrencyFromTrace(r.trace);
    expect(peaks.perFunction.reserved).toBe(20);
    expect(peaks.perFunction.a).toBeLessThanOrEqual(100);
    expect(peaks.perFunction.b).toBeLessThanOrEqual(100);
    expect(peaks.account).toBeLessThanOrEqual(120);
    const reasons = new Set(r.of('throttle').filter((e) => e.fn !== 'reserved').map((e) => e.reason));
    expect(reasons).toEqual(new Set(['ConcurrentInvocationLimitExceeded']));
  });

  it('holds the limits across many random scenarios (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          account: fc.integer({ min: 130, max: 200 }),
          reserved: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
          rateA: fc.integer({ min: 1, max: 200 }),
          rateB: fc.integer({ min: 1, max: 200 }),
          p50: fc.integer({ min: 1, max: 800 }),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        async ({ account, reserved, rateA, rateB, p50, seed }) => {
          const r = await run({
            name: 'prop',
            seed,
            duration: '4s',
            account: { concurrentExecutions: account },
            functions: {
              a: { duration: { p50: p50, p99: p50 * 3 }, reservedConcurrentExecutions: reserved },
              b: { duration: { p50: p50, p99: p50 * 2 } },
            },
            traffic: [
              { invoke: 'a', type: 'RequestResponse', rate: rateA },
              { invoke: 'b', type: 'RequestResponse', rate: rateB },
            ],
          });
          const peaks = concurrencyFromTrace(r.trace);
          if (reserved !== undefined) expect(peaks.perFunction.a ?? 0).toBeLessThanOrEqual(reserved);
          expect(peaks.account).toBeLessThanOrEqual(account);
          expect(r.summary.accounting.ok).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('execution environments: cold starts and warm reuse', () => {
  it('cold-starts only when a new environment is created, then reuses warm ones', async () => {
    const r = await run({
      name: 'warm',
      duration: '30s',
      functions: { fn: { duration: '200ms', coldStart: '500ms' } },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', rate: 10 }],
    });
    const starts = r.of('invoke.start');
    const cold = starts.filter((e) => e.cold);
    // Every cold start adds one environment, so cold starts never exceed the peak concurrency…
    expect(cold.length).toBeLessThanOrEqual(r.summary.functions.fn.peakConcurrency);
    expect(cold.length).toBe(r.summary.functions.fn.coldStarts);
    // …and once enough environments exist, nothing cold-starts again.
    const lastCold = cold[cold.length - 1].t;
    expect(lastCold).toBeLessThan(5_000);
    expect(starts.filter((e) => e.t > lastCold).length).toBeGreaterThan(200);
  });

  it('pays the cold start on top of the run time of the first invocation of an environment', async () => {
    const r = await run({
      name: 'cold',
      duration: '5s',
      tick: '10ms',
      functions: { fn: { duration: '100ms', coldStart: '700ms' } },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', count: 1 }],
    });
    const [start] = r.of('invoke.start');
    const [end] = r.of('invoke.end');
    expect(start.cold).toBe(true);
    expect(end.t - start.t).toBe(800);
    expect(end.durationMs).toBe(100);
  });

  it('never cold-starts while provisioned environments cover the load', async () => {
    const r = await run({
      name: 'provisioned',
      duration: '20s',
      functions: { fn: { duration: '300ms', versions: { '1': { provisionedConcurrentExecutions: 10 } } } },
      traffic: [{ invoke: 'fn:1', type: 'RequestResponse', rate: 20 }],
    });
    expect(r.summary.functions.fn.invocations).toBeGreaterThan(300);
    expect(r.summary.functions.fn.coldStarts).toBe(0);
  });

  it('spills over to on-demand environments (with cold starts) beyond provisioned concurrency', async () => {
    const r = await run({
      name: 'spill',
      duration: '10s',
      functions: { fn: { duration: '1s', aliases: { live: { version: '1', provisionedConcurrentExecutions: 2 } }, versions: { '1': {} } } },
      traffic: [{ invoke: 'fn:live', type: 'RequestResponse', rate: 5 }],
    });
    expect(r.summary.functions.fn.coldStarts).toBe(r.summary.functions.fn.peakConcurrency - 2);
  });
});

describe('real handlers decide the outcome', () => {
  it('passes the event and a Context on simulated time, and a thrown error becomes a function error', async () => {
    const seen: Array<{ remaining: number; name: string; requestId: string }> = [];
    const r = await run({
      name: 'handlers',
      duration: '2s',
      functions: {
        fn: {
          timeout: '5s',
          handler: async (event: { n: number }, context) => {
            seen.push({ remaining: context.getRemainingTimeInMillis(), name: context.functionName, requestId: context.awsRequestId });
            if (event.n === 1) throw new TypeError('odd input');
            return { doubled: event.n * 2 };
          },
        },
      },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', count: 2, body: (i) => ({ n: i }) }],
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ remaining: 5000, name: 'fn' });
    const starts = r.of('invoke.start');
    expect(seen.map((s) => s.requestId)).toEqual(starts.map((s) => s.requestId));
    const responses = r.of('sync.response');
    expect(responses[0]).toMatchObject({ statusCode: 200 });
    expect(responses[0].functionError).toBeUndefined();
    expect(responses[1]).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['success', 'error']);
    expect(r.of('invoke.end')[1].errorType).toBe('TypeError');
  });

  it('survives handlers that throw non-errors synchronously', async () => {
    const r = await run({
      name: 'odd throws',
      duration: '5s',
      functions: {
        fn: {
          handler: (event: { n: number }) => {
            if (event.n === 0) throw 'a string';
            if (event.n === 1) throw undefined;
            throw { weird: true };
          },
        },
      },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', count: 3, body: (i) => ({ n: i }) }],
    });
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['error', 'error', 'error']);
    expect(r.summary.accounting.ok).toBe(true);
  });
});

describe('faults act through the same paths as a handler', () => {
  const base = (faults: Scenario['faults']): Scenario => ({
    name: 'faults',
    duration: '10s',
    functions: { fn: { duration: '100ms', timeout: '1s' } },
    traffic: [{ invoke: 'fn', type: 'RequestResponse', rate: 10, count: 50 }],
    faults,
  });

  it('error: matching invocations fail with a function error', async () => {
    const r = await run(base([{ function: 'fn', kind: 'error', match: { index: [3, 7] } }]));
    const failed = r.of('sync.response').filter((e) => e.functionError === 'Unhandled');
    expect(failed).toHaveLength(2);
  });

  it('timeout: the invocation runs until its timeout', async () => {
    const r = await run(base([{ function: 'fn', kind: 'timeout', match: { index: 0 } }]));
    const end = r.of('invoke.end').find((e) => e.outcome === 'timeout')!;
    expect(end.durationMs).toBe(1000);
  });

  it('throttle: invocations in the fault window are throttled', async () => {
    const r = await run(base([{ function: 'fn', kind: 'throttle', from: '1s', until: '2s' }]));
    const throttles = r.of('throttle');
    expect(throttles.length).toBeGreaterThanOrEqual(9);
    expect(throttles.every((e) => e.t >= 1000 && e.t <= 2000)).toBe(true);
  });

  it('latency: adds to the run time, and can push it past the timeout', async () => {
    const r = await run(base([{ function: 'fn', kind: 'latency', add: '2s', match: { index: 1 } }]));
    expect(r.of('invoke.end').filter((e) => e.outcome === 'timeout')).toHaveLength(1);
  });

  it('rate: hits a seeded fraction of invocations, the same ones on every run', async () => {
    const a = await run(base([{ function: 'fn', kind: 'error', rate: 0.3 }]));
    const b = await run(base([{ function: 'fn', kind: 'error', rate: 0.3 }]));
    const errorsA = a.of('invoke.end').filter((e) => e.outcome === 'error').map((e) => e.requestId);
    expect(errorsA.length).toBeGreaterThan(5);
    expect(errorsA.length).toBeLessThan(30);
    expect(errorsA).toEqual(b.of('invoke.end').filter((e) => e.outcome === 'error').map((e) => e.requestId));
  });
});

describe('accounting: every record ends in exactly one state', () => {
  it('closes the sums of a run with throttles, errors and in-flight work at the end', async () => {
    const r = await run({ ...variable, duration: '7s' });
    expect(r.summary.accounting).toMatchObject({ ok: true, problems: [] });
    const api = r.summary.sources['cli:api'];
    expect(api.put).toBe(api.succeeded + api.failed + api.inFlight + api.waiting);
  });
});

describe('handlers in every style the Node.js runtime accepts', () => {
  const once = (handler: NonNullable<Scenario['functions'][string]['handler']>): Scenario => ({
    name: 'styles',
    duration: '3s',
    functions: { fn: { handler, timeout: '1s' } },
    traffic: [{ invoke: 'fn', type: 'RequestResponse', count: 1 }],
  });

  it('takes the result of a callback-style handler from its callback', async () => {
    const r = await run(once((_e, _c, callback) => void setTimeout(() => callback(null, { via: 'callback' }), 1)));
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 200, body: { via: 'callback' } });
  });

  it('turns an error passed to the callback into a function error', async () => {
    const r = await run(once((_e, _c, callback) => callback(new RangeError('no stock'))));
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'RangeError', errorMessage: 'no stock' });
  });

  it('honours the legacy context.succeed', async () => {
    const r = await run(once((_e, context) => context.succeed({ via: 'succeed' })));
    expect(r.of('sync.response')[0].body).toEqual({ via: 'succeed' });
  });

  it("fails the call when reading the returned value's then throws, as awaiting it would", async () => {
    const r = await run(once(() => new Proxy({}, { get() { throw new Error('no then'); } })));
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Error', errorMessage: 'no then' });
  });

  it('names the function, its log group and a log stream dated in simulated time', async () => {
    let context: Record<string, unknown> = {};
    await run(once((_e, c) => ((context = { ...c }), null)));
    expect(context).toMatchObject({ functionName: 'fn', logGroupName: '/aws/lambda/fn', functionVersion: '$LATEST' });
    expect(String(context.logStreamName)).toMatch(/^2025\/01\/01\/\[\$LATEST\]/);
  });
});

describe('idle environments are reclaimed (docs/aws-rules.md §4: reused for a non-deterministic time)', () => {
  it('cold-starts again after an environment idled past environmentIdleTimeout, and not before', async () => {
    const r = await run({
      name: 'reclaim',
      duration: '4m',
      functions: { fn: { duration: '100ms', environmentIdleTimeout: '90s' } },
      traffic: [{ invoke: 'fn', type: 'RequestResponse', rate: [{ at: 0, rate: 1 }, { at: '5s', rate: 0 }, { at: '60s', rate: 1 }, { at: '65s', rate: 0 }, { at: '200s', rate: 1 }, { at: '205s', rate: 0 }] }],
    });
    const cold = r.of('invoke.start').filter((e) => e.cold).map((e) => e.t);
    // Warm at 60 s (idle 55 s < 90 s); cold again at 200 s (idle 135 s).
    expect(cold.length).toBe(2);
    expect(cold[1]).toBeGreaterThanOrEqual(200_000);
    expect(r.summary.functions.fn.environmentsReclaimed).toBe(1);
  });
});

describe('a poison pill in one traffic entry (match.traffic)', () => {
  it('hits record i of that entry only, not record i of every entry', async () => {
    const r = await run({
      name: 'poison',
      duration: '10s',
      functions: { fn: {} },
      traffic: [
        { invoke: 'fn', type: 'RequestResponse', rate: 5, count: 10, body: (i) => ({ entry: 0, i }) },
        { invoke: 'fn', type: 'RequestResponse', rate: 5, count: 10, body: (i) => ({ entry: 1, i }) },
      ],
      faults: [{ function: 'fn', kind: 'error', match: { traffic: 1, index: 3 } }],
    });
    expect(r.of('invoke.end').filter((e) => e.outcome === 'error')).toHaveLength(1);
  });

  it('is refused when the entry does not exist, naming the allowed positions', () => {
    const { errors } = validateScenario(
      { name: 'x', functions: { fn: {} }, traffic: [{ invoke: 'fn', type: 'RequestResponse' }], faults: [{ function: 'fn', kind: 'error', match: { traffic: 2 } }] },
      'x.ts',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'faults[0].match.traffic', value: 2 });
    expect(errors[0].message).toMatch(/0\.\.0/);
  });
});
