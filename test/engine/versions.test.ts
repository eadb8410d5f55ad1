/**
 * Versions, aliases, weighted routing and provisioned concurrency per qualifier (docs/versions.md), checked on
 * the trace.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import type { Scenario } from '../../src/scenario/types.js';
import { formatValidationError, validateScenario } from '../../src/scenario/validate.js';
import { run } from '../helpers/run.js';

/** |observed - n p| within 4.5 standard deviations of a binomial(n, p): fails by chance about once in 150,000 runs. */
function expectBinomial(observed: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p), `${observed} of ${n} at p=${p}`).toBeLessThanOrEqual(4.5 * sd);
}

const weighted = (extra: Partial<Scenario> = {}, weight = 0.1): Scenario => ({
  name: 'weighted',
  duration: '2m',
  functions: {
    checkout: {
      duration: '20ms',
      versions: { '1': {}, '2': {} },
      aliases: { live: { version: '1', additionalVersionWeights: { '2': weight } } },
    },
  },
  ...extra,
});

describe('weighted alias routing', () => {
  it('routes synchronous invocations to the additional version with its weight (binomial bounds)', async () => {
    const r = await run(weighted({ traffic: [{ invoke: 'checkout:live', type: 'RequestResponse', rate: 50, count: 4000 }] }));
    const starts = r.of('invoke.start');
    expect(starts).toHaveLength(4000);
    const v2 = starts.filter((e) => e.version === '2').length;
    expect(starts.filter((e) => e.version === '1').length + v2).toBe(4000);
    expect(starts.every((e) => e.alias === 'live')).toBe(true);
    expectBinomial(v2, 4000, 0.1);
  });

  it('routes asynchronous invocations per invocation too, and at weight 0.5', async () => {
    const r = await run(weighted({ traffic: [{ invoke: 'checkout:live', type: 'Event', rate: 50, count: 3000 }] }, 0.5));
    const starts = r.of('invoke.start');
    expect(starts).toHaveLength(3000);
    expectBinomial(starts.filter((e) => e.version === '2').length, 3000, 0.5);
  });

  it('draws once per batch for a mapping bound to the alias', async () => {
    const r = await run(
      weighted({
        queues: { jobs: {} },
        eventSourceMappings: [{ source: 'jobs', function: 'checkout:live', batchSize: 5, maxBatchingWindow: '1s' }],
        traffic: [{ to: 'jobs', rate: 100, count: 10_000 }],
      }, 0.3),
    );
    const starts = r.of('invoke.start');
    expect(starts.length).toBeGreaterThan(1000);
    expect(starts.every((e) => e.trigger === 'esm' && (e.version === '1' || e.version === '2'))).toBe(true);
    expectBinomial(starts.filter((e) => e.version === '2').length, starts.length, 0.3);
  });

  it('gives the same versions for the same seed and different ones for another seed', async () => {
    const scenario = weighted({ traffic: [{ invoke: 'checkout:live', type: 'RequestResponse', rate: 20, count: 200 }] }, 0.5);
    const versions = async (seed: number) => (await run(scenario, { seed })).of('invoke.start').map((e) => e.version).join('');
    expect(await versions(7)).toBe(await versions(7));
    expect(await versions(7)).not.toBe(await versions(8));
  });

  it('redraws the version on every async retry (docs/versions.md)', async () => {
    const r = await run({
      ...weighted({}, 0.5),
      duration: '10m',
      faults: [{ function: 'checkout', kind: 'error' }],
      traffic: [{ invoke: 'checkout:live', type: 'Event', count: 200, rate: 10 }],
    });
    const byEvent = new Map<string, string[]>();
    for (const e of r.of('invoke.start')) byEvent.set(e.requestId, [...(byEvent.get(e.requestId) ?? []), e.version]);
    expect([...byEvent.values()].every((v) => v.length === 3)).toBe(true);
    const mixed = [...byEvent.values()].filter((v) => new Set(v).size > 1).length;
    // 3 attempts at 0.5: all the same with probability 1/4, so about 150 of 200 events mix versions.
    expectBinomial(mixed, 200, 0.75);
  });
});

describe('qualified references', () => {
  it("runs 'fn:2' on version 2, 'fn' and 'fn:$LATEST' on $LATEST, and an alias on what it points at", async () => {
    const r = await run({
      name: 'qualifiers',
      duration: '5s',
      functions: { checkout: { versions: { '1': {}, '2': {} }, aliases: { live: { version: '1' } } } },
      traffic: [
        { invoke: 'checkout:2', type: 'RequestResponse', count: 3, rate: 100 },
        { invoke: 'checkout', type: 'RequestResponse', count: 3, rate: 100, start: '1s' },
        { invoke: 'checkout:$LATEST', type: 'Event', count: 3, rate: 100, start: '2s' },
        { invoke: 'checkout:live', type: 'Event', count: 3, rate: 100, start: '3s' },
      ],
    });
    const versions = r.of('invoke.start').map((e) => [e.version, e.alias ?? '-']);
    expect(versions).toEqual([
      ['2', '-'], ['2', '-'], ['2', '-'],
      ['$LATEST', '-'], ['$LATEST', '-'], ['$LATEST', '-'],
      ['$LATEST', '-'], ['$LATEST', '-'], ['$LATEST', '-'],
      ['1', 'live'], ['1', 'live'], ['1', 'live'],
    ]);
  });

  it('accepts qualifiers on destinations, subscriptions, rule targets, bucket notifications and mappings', async () => {
    const r = await run({
      name: 'everywhere',
      duration: '10s',
      functions: {
        front: { onSuccess: 'worker:live' },
        worker: { versions: { '1': {}, '2': {} }, aliases: { live: { version: '2' } } },
      },
      queues: { q: {} },
      topics: { t: { subscriptions: ['worker:1'] } },
      buses: { default: { rules: [{ name: 'r', eventPattern: { source: ['app'] }, targets: ['worker:live'] }] } },
      buckets: { b: { notifications: [{ events: ['s3:ObjectCreated:*'], function: 'worker:$LATEST' }] } },
      eventSourceMappings: [{ source: 'q', function: 'worker:2' }],
      traffic: [
        { invoke: 'front', type: 'Event', count: 1 },
        { to: 't', count: 1, start: '1s' },
        { to: 'default', count: 1, start: '2s', body: () => ({ source: 'app', 'detail-type': 'x', detail: {} }) },
        { to: 'b', count: 1, start: '3s' },
        { to: 'q', count: 1, start: '4s' },
      ],
    });
    const worker = r.of('invoke.start').filter((e) => e.fn === 'worker');
    expect(worker.map((e) => [e.trigger, e.version, e.alias ?? '-'])).toEqual([
      ['async', '2', 'live'], // onSuccess destination worker:live
      ['async', '1', '-'], // SNS subscription worker:1
      ['async', '2', 'live'], // EventBridge target worker:live
      ['async', '$LATEST', '-'], // S3 notification worker:$LATEST
      ['esm', '2', '-'], // SQS mapping worker:2
    ]);
  });

  it("applies a fault on 'fn:2' only to invocations that run version 2, whichever alias routed them", async () => {
    const r = await run({
      ...weighted({}, 0.5),
      faults: [{ function: 'checkout:2', kind: 'error' }],
      traffic: [
        { invoke: 'checkout:live', type: 'RequestResponse', rate: 20, count: 400 },
        { invoke: 'checkout:1', type: 'RequestResponse', rate: 20, count: 50 },
      ],
    });
    const version = new Map(r.of('invoke.start').map((e) => [e.requestId, e.version]));
    const ends = r.of('invoke.end');
    expect(ends.length).toBe(450);
    for (const e of ends) expect(e.outcome).toBe(version.get(e.requestId) === '2' ? 'error' : 'success');
    expect(ends.filter((e) => e.outcome === 'error').length).toBeGreaterThan(100);
  });

  it('refuses a qualifier that names no version or alias, with the ones allowed', () => {
    const { errors } = validateScenario(
      { name: 'x', functions: { fn: { versions: { '1': {} }, aliases: { live: { version: '1' } } } }, traffic: [{ invoke: 'fn:3', type: 'Event' }] },
      'x.ts',
    );
    expect(errors.map(formatValidationError)).toEqual([
      "x.ts: traffic[0].invoke: 'fn:3' names no version or alias of function 'fn'; qualifiers allowed: '$LATEST', '1', 'live'",
    ]);
  });

  it('refuses aliases AWS refuses: two additional versions, $LATEST with weights, an unpublished version', () => {
    const messages = (aliases: unknown) =>
      validateScenario({ name: 'x', functions: { fn: { versions: { '1': {}, '2': {}, '3': {} }, aliases } } }, 'x.ts').errors.map(formatValidationError);
    expect(messages({ a: { version: '1', additionalVersionWeights: { '2': 0.1, '3': 0.1 } } })[0]).toContain('at most one additional version');
    expect(messages({ a: { version: '$LATEST', additionalVersionWeights: { '2': 0.1 } } })[0]).toContain('a weighted alias needs two published versions');
    expect(messages({ a: { version: '1', additionalVersionWeights: { $LATEST: 0.1 } } })[0]).toContain('refuses $LATEST');
    expect(messages({ a: { version: '9' } })[0]).toContain("is not a published version; expected '$LATEST' or one of the published versions: '1', '2', '3'");
    expect(messages({ a: { version: '1', additionalVersionWeights: { '2': 1.5 } } })[0]).toContain('0..1');
  });
});

describe('what ran is reported where AWS reports it', () => {
  it('puts the executed version in the Context, the sync response and the destination record', async () => {
    const seen: Array<{ version: string; arn: string }> = [];
    const handler = async (_event: unknown, context: Context) => {
      seen.push({ version: context.functionVersion, arn: context.invokedFunctionArn });
      return 'ok';
    };
    const r = await run({
      name: 'reported',
      duration: '5s',
      functions: {
        checkout: { handler, versions: { '3': {} }, aliases: { live: { version: '3' } }, onSuccess: 'done' },
      },
      queues: { done: {} },
      traffic: [
        { invoke: 'checkout:live', type: 'RequestResponse', count: 1 },
        { invoke: 'checkout:live', type: 'Event', count: 1, start: '1s' },
        { invoke: 'checkout', type: 'RequestResponse', count: 1, start: '2s' },
      ],
    });
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:checkout';
    expect(seen).toEqual([
      { version: '3', arn: `${arn}:live` },
      { version: '3', arn: `${arn}:live` },
      { version: '$LATEST', arn },
    ]);
    const responses = r.of('sync.response');
    expect(responses.map((e) => e.headers?.['X-Amz-Executed-Version'])).toEqual(['3', '$LATEST']);
    const [delivery] = r.of('deliver');
    const record = delivery.payload as { requestContext: { functionArn: string }; responseContext: { executedVersion: string } };
    expect(record.requestContext.functionArn).toBe(`${arn}:live`);
    expect(record.responseContext.executedVersion).toBe('3');
  });

  it("runs each version's own code and configuration, defaulting to the function's", async () => {
    const r = await run({
      name: 'code',
      duration: '5s',
      functions: {
        checkout: {
          duration: '50ms',
          handler: async () => 'v-latest',
          versions: { '1': {}, '2': { handler: async () => { throw new Error('bug in 2'); }, duration: '200ms' } },
        },
      },
      traffic: [
        { invoke: 'checkout:1', type: 'RequestResponse', count: 1 },
        { invoke: 'checkout:2', type: 'RequestResponse', count: 1, start: '1s' },
      ],
    });
    const [one, two] = r.of('invoke.end');
    expect([one.outcome, one.durationMs]).toEqual(['success', 50]);
    expect([two.outcome, two.durationMs, two.errorMessage]).toEqual(['error', 200, 'bug in 2']);
    expect(r.of('sync.response')[0].body).toBe('v-latest');
  });
});

describe('environments belong to one version', () => {
  it('cold-starts a version even while another version has warm environments', async () => {
    const r = await run({
      name: 'per-version',
      duration: '10s',
      functions: { checkout: { duration: '100ms', versions: { '1': {}, '2': {} } } },
      traffic: [
        { invoke: 'checkout:1', type: 'RequestResponse', rate: 2, count: 6 },
        { invoke: 'checkout:2', type: 'RequestResponse', rate: 2, count: 6, start: '4s' },
      ],
    });
    const starts = r.of('invoke.start');
    expect(starts.map((e) => `${e.version}${e.cold ? '*' : ''}`)).toEqual(['1*', '1', '1', '1', '1', '1', '2*', '2', '2', '2', '2', '2']);
    const state = r.sim.state.functions.checkout.versions;
    expect([state['1'].coldStarts, state['2'].coldStarts, state['1'].invocations, state['2'].invocations]).toEqual([1, 1, 6, 6]);
  });
});

describe('provisioned concurrency on versions and aliases', () => {
  it('serves only its own qualifier: the alias runs warm, $LATEST and the bare version cold-start', async () => {
    const r = await run({
      name: 'pc',
      duration: '5s',
      functions: { checkout: { duration: '100ms', versions: { '1': {} }, aliases: { live: { version: '1', provisionedConcurrentExecutions: 5 } } } },
      traffic: [
        { invoke: 'checkout:live', type: 'RequestResponse', count: 5, rate: 100 },
        { invoke: 'checkout', type: 'RequestResponse', count: 1, start: '1s' },
        { invoke: 'checkout:1', type: 'RequestResponse', count: 1, start: '2s' },
      ],
    });
    expect(r.of('invoke.start').map((e) => `${e.alias ?? e.version}${e.cold ? '*' : ''}`)).toEqual(['live', 'live', 'live', 'live', 'live', '$LATEST*', '1*']);
    expect(r.sim.state.functions.checkout.envs.provisioned).toBe(5);
  });

  it('spills over to on-demand environments, with cold starts, beyond the provisioned ones', async () => {
    const r = await run({
      name: 'spill',
      duration: '3s',
      functions: { checkout: { duration: '2s', versions: { '1': { provisionedConcurrentExecutions: 3 } } } },
      traffic: [{ invoke: 'checkout:1', type: 'RequestResponse', count: 5, rate: 100 }],
    });
    expect(r.of('invoke.start').map((e) => e.cold)).toEqual([false, false, false, true, true]);
  });

  it('throttles unqualified invocations when provisioned concurrency adds up to the reserved concurrency', async () => {
    const r = await run({
      name: 'pc-reserved',
      duration: '5s',
      functions: {
        checkout: {
          duration: '100ms',
          reservedConcurrentExecutions: 4,
          versions: { '1': { provisionedConcurrentExecutions: 1 } },
          aliases: { live: { version: '1' }, prod: { version: '1' } },
        },
        other: { versions: { '1': {} }, aliases: { live: { version: '1', provisionedConcurrentExecutions: 3 } }, reservedConcurrentExecutions: 3 },
      },
      traffic: [
        { invoke: 'other:live', type: 'RequestResponse', count: 3, rate: 100 },
        { invoke: 'other', type: 'RequestResponse', count: 2, rate: 100 },
        { invoke: 'checkout', type: 'RequestResponse', count: 3, rate: 100, start: '1s' },
      ],
    });
    const throttles = r.of('throttle');
    expect(throttles.filter((e) => e.fn === 'other').map((e) => e.reason)).toEqual([
      'ReservedFunctionConcurrentInvocationLimitExceeded',
      'ReservedFunctionConcurrentInvocationLimitExceeded',
    ]);
    expect(r.of('invoke.start').filter((e) => e.fn === 'other').map((e) => e.alias)).toEqual(['live', 'live', 'live']);
    // checkout: 4 reserved, 1 provisioned on version 1, so 3 on-demand remain for $LATEST.
    expect(throttles.filter((e) => e.fn === 'checkout')).toHaveLength(0);
  });

  it('refuses a second provisioned concurrency configuration on one version', () => {
    const { errors } = validateScenario(
      {
        name: 'x',
        functions: { fn: { versions: { '1': { provisionedConcurrentExecutions: 2 } }, aliases: { live: { version: '1', provisionedConcurrentExecutions: 2 } } } },
      },
      'x.ts',
    );
    expect(errors.map(formatValidationError)).toEqual([
      "x.ts: functions.fn.aliases.live.provisionedConcurrentExecutions: 2 puts provisioned concurrency on version 1, which functions.fn.versions['1'].provisionedConcurrentExecutions already provisions; AWS allows one configuration per version",
    ]);
  });
});
