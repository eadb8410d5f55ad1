import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sumCauses } from '../../src/cost/price.js';
import { loadPrices, PriceFileError, US_EAST_1 } from '../../src/cost/prices.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { summarize } from '../../src/output/summary.js';
import type { Scenario } from '../../src/scenario/types.js';
import { run } from '../helpers/run.js';

const P = US_EAST_1;
const GB_S = (mb: number, ms: number) => (mb / 1024) * (ms / 1000);

/** Lambda's bill for a function, recomputed from the trace alone: request, duration, INIT. */
function lambdaFromTrace(trace: TraceEvent[], fn: string, mb: number, coldStartMs: number, rate = P.lambda.x86_64.gbSecondUsd) {
  const starts = trace.filter((e): e is Extract<TraceEvent, { type: 'invoke.start' }> => e.type === 'invoke.start' && e.fn === fn);
  const ends = trace.filter((e): e is Extract<TraceEvent, { type: 'invoke.end' }> => e.type === 'invoke.end' && e.fn === fn);
  const requests = starts.length * P.lambda.requestUsd;
  const duration = ends.reduce((sum, e) => sum + GB_S(mb, Math.ceil(e.durationMs)) * rate, 0);
  const init = starts.filter((s) => s.cold).length * GB_S(mb, coldStartMs) * rate;
  return { requests, duration, init, total: requests + duration + init, starts, ends };
}

function expectCausesClose(summary: ReturnType<typeof summarize>) {
  const c = summary.cost;
  expect(c.totalUsd).toBe(sumCauses(c.causes));
  expect(c.totalUsd).toBeCloseTo(Object.values(c.causes).reduce((a, b) => a + b, 0), 12);
  const parts = Object.values(c.functions).reduce((s, f) => s + f.usd, 0) + Object.values(c.sources).reduce((s, x) => s + x.usd, 0);
  expect(c.totalUsd - c.causes.freeTier).toBeCloseTo(parts, 9);
}

describe('cost: Lambda bills every attempt (docs/cost.md)', () => {
  const scenario: Scenario = {
    name: 'retries',
    duration: '10m',
    functions: { charge: { duration: '250ms', memorySize: 512, coldStart: '400ms', onFailure: 'failed' } },
    queues: { failed: {} },
    traffic: [{ invoke: 'charge', type: 'Event', count: 2, rate: 1 }],
    faults: [{ function: 'charge', kind: 'error' }],
  };

  it('bills three requests and three durations per failing async event: one first attempt, two retries', async () => {
    const r = await run(scenario);
    const hand = lambdaFromTrace(r.trace, 'charge', 512, 400);
    expect(hand.starts.map((s) => s.attempt).sort()).toEqual([1, 1, 2, 2, 3, 3]);
    const c = r.summary.cost;
    expect(c.functions.charge.requests).toBe(6);
    expect(c.functions.charge.usd).toBeCloseTo(hand.total, 10);
    const perAttempt = P.lambda.requestUsd + GB_S(512, 250) * P.lambda.x86_64.gbSecondUsd;
    expect(c.causes.firstAttempts).toBeCloseTo(2 * perAttempt, 10);
    expect(c.causes.retries).toBeCloseTo(4 * perAttempt, 10);
    expect(c.functions.charge.gbSeconds).toBeCloseTo(6 * GB_S(512, 250) + hand.starts.filter((s) => s.cold).length * GB_S(512, 400), 6);
  });

  it('bills the INIT duration of each on-demand cold start to coldStarts', async () => {
    const r = await run(scenario);
    const hand = lambdaFromTrace(r.trace, 'charge', 512, 400);
    expect(hand.starts.filter((s) => s.cold).length).toBeGreaterThan(0);
    expect(r.summary.cost.causes.coldStarts).toBeCloseTo(hand.init, 10);
  });

  it('bills the onFailure sends to the queue as deliveries', async () => {
    const r = await run(scenario);
    const sends = r.trace.filter((e) => e.type === 'deliver' && e.to === 'failed').length;
    expect(sends).toBe(2);
    expect(r.summary.cost.causes.deliveries).toBeCloseTo(2 * P.sqs.standardRequestUsd, 12);
    expectCausesClose(r.summary);
  });
});

describe('cost: an idle SQS mapping keeps long-polling, and every empty receive is billed', () => {
  it('bills 5 pollers x one 20 s long poll each over an idle queue', async () => {
    const r = await run({
      name: 'idle',
      duration: '5m',
      functions: { worker: {} },
      queues: { jobs: {} },
      eventSourceMappings: [{ source: 'jobs', function: 'worker' }],
    });
    const c = r.summary.cost;
    // 300 s / 20 s = 15 empty polls per poller, 5 pollers.
    expect(c.sources.jobs).toMatchObject({ requests: 75, emptyReceives: 75 });
    expect(c.causes.polling).toBeCloseTo(75 * P.sqs.standardRequestUsd, 12);
    expect(c.totalUsd).toBeCloseTo(75 * P.sqs.standardRequestUsd, 12);
    expectCausesClose(r.summary);
  });

  it('bills sends, receives of up to 10 messages, deletes of up to 10, and the idle stretches around them', async () => {
    const r = await run({
      name: 'busy',
      duration: '2m',
      functions: { worker: { duration: '50ms' } },
      queues: { jobs: {} },
      eventSourceMappings: [{ source: 'jobs', function: 'worker', batchSize: 25, maxBatchingWindow: '1s' }],
      traffic: [{ to: 'jobs', count: 25, rate: 1000, start: '30s' }],
    });
    const starts = r.of('invoke.start');
    const batches = starts.map((s) => s.records!.length);
    expect(batches).toEqual([25]);
    const deletes = r.of('sqs.delete').reduce((n, d) => n + Math.ceil(d.ids.length / 10), 0);
    expect(deletes).toBe(3);
    // Time is exact (docs/time.md): the messages arrive 1 ms apart from 30.000 s to 30.024 s, and each is
    // returned at once by a poller's waiting long poll, so each is one ReceiveMessage of one message
    // (the batching window gathers them into one batch). Whatever the tick, 25 receives.
    const receives = 25;
    // Idle from 0 to 30 s (1 full poll each), then from the last receive at 30.024 s to 2 m: 4 polls each.
    const empty = 5 * 1 + 5 * 4;
    const sqs = r.summary.cost.sources.jobs;
    expect(sqs.emptyReceives).toBe(empty);
    expect(sqs.requests).toBe(25 + receives + deletes + empty);
    expect(r.summary.cost.causes.ingest).toBeCloseTo(25 * P.sqs.standardRequestUsd, 12);
    expect(r.summary.cost.causes.polling).toBeCloseTo((receives + deletes + empty) * P.sqs.standardRequestUsd, 12);
  });

  it('bills a batch of messages received again after their visibility timeout to redrives', async () => {
    const r = await run({
      name: 'redeliver',
      duration: '3m',
      functions: { worker: { timeout: '3s' } },
      queues: { jobs: { visibilityTimeout: '10s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 2 } }, dlq: {} },
      eventSourceMappings: [{ source: 'jobs', function: 'worker' }],
      traffic: [{ to: 'jobs', count: 1 }],
      faults: [{ function: 'worker', kind: 'error' }],
    });
    const starts = r.of('invoke.start');
    expect(starts.map((s) => s.attempt)).toEqual([1, 2]);
    const hand = lambdaFromTrace(r.trace, 'worker', 128, 300);
    const second = r.of('invoke.end').find((e) => e.requestId === starts[1].requestId)!;
    expect(r.summary.cost.causes.redrives).toBeCloseTo(P.lambda.requestUsd + GB_S(128, second.durationMs) * P.lambda.x86_64.gbSecondUsd, 12);
    expect(r.summary.cost.functions.worker.usd).toBeCloseTo(hand.total, 12);
    // SQS's own move to the dead-letter queue is not a billed send.
    expect(r.of('sqs.redrive')).toHaveLength(1);
    expect(r.summary.cost.causes.deliveries).toBe(0);
    expectCausesClose(r.summary);
  });
});

describe('cost: architecture and provisioned concurrency', () => {
  const base = (architecture: 'x86_64' | 'arm64'): Scenario => ({
    name: architecture,
    duration: '1m',
    functions: { api: { duration: '120ms', memorySize: 1024, architecture } },
    traffic: [{ invoke: 'api', type: 'RequestResponse', rate: 5 }],
  });

  it('prices arm64 duration about 20% below x86_64, with the same requests', async () => {
    const x86 = (await run(base('x86_64'))).summary.cost;
    const arm = (await run(base('arm64'))).summary.cost;
    expect(arm.functions.api.requests).toBe(x86.functions.api.requests);
    expect(arm.functions.api.gbSeconds).toBe(x86.functions.api.gbSeconds);
    expect(arm.totalUsd).toBeLessThan(x86.totalUsd);
    const requests = x86.functions.api.requests * P.lambda.requestUsd;
    expect((arm.totalUsd - requests) / (x86.totalUsd - requests)).toBeCloseTo(P.lambda.arm64.gbSecondUsd / P.lambda.x86_64.gbSecondUsd, 6);
  });

  it('bills provisioned concurrency for its enabled time in 5-minute steps, and its invocations at the provisioned rate', async () => {
    const r = await run({
      name: 'pc',
      duration: '7m',
      functions: { api: { duration: '100ms', memorySize: 2048, versions: { '1': {} }, aliases: { live: { version: '1', provisionedConcurrentExecutions: 2 } } } },
      traffic: [{ invoke: 'api:live', type: 'RequestResponse', rate: 1 }],
    });
    const starts = r.of('invoke.start');
    expect(starts.every((s) => s.provisioned === true && !s.cold)).toBe(true);
    const c = r.summary.cost;
    // 7 minutes round up to 10: 2 environments x 2 GB x 600 s.
    expect(c.causes.provisionedIdle).toBeCloseTo(2 * 2 * 600 * P.lambda.x86_64.provisionedGbSecondUsd, 10);
    expect(c.functions.api.provisionedGbSeconds).toBe(2400);
    const ends = r.of('invoke.end');
    const duration = ends.reduce((s, e) => s + GB_S(2048, e.durationMs), 0) * P.lambda.x86_64.provisionedDurationGbSecondUsd;
    expect(c.causes.firstAttempts).toBeCloseTo(starts.length * P.lambda.requestUsd + duration, 10);
    expect(c.causes.coldStarts).toBe(0);
    expectCausesClose(r.summary);
  });
});

describe('cost: SNS, EventBridge and Kinesis', () => {
  it('bills SNS publishes, EventBridge custom events, Kinesis PUT units (25 KB) and shard-hours', async () => {
    const big = 'x'.repeat(30 * 1024);
    const r = await run({
      name: 'fanout',
      duration: '1h',
      functions: { sink: {} },
      topics: { news: { subscriptions: ['sink'] } },
      buses: { orders: { rules: [{ name: 'all', eventPattern: { source: ['lambda-tui.traffic'] }, targets: ['sink'] }] } },
      streams: { clicks: { shardCount: 2 } },
      eventSourceMappings: [{ source: 'clicks', function: 'sink' }],
      traffic: [
        { to: 'news', count: 3 },
        { to: 'orders', count: 4 },
        { to: 'clicks', count: 5, body: (i) => (i === 0 ? big : { n: i }) },
      ],
    });
    const c = r.summary.cost;
    expect(c.sources.news).toMatchObject({ requests: 3 });
    expect(c.sources.orders).toMatchObject({ requests: 4 });
    // The 30 KB record is 2 PUT units, the other four 1 each.
    expect(c.sources.clicks).toMatchObject({ requests: 6, shardHours: 2 });
    expect(c.causes.ingest).toBeCloseTo(3 * P.sns.publishUsd + 4 * P.eventbridge.customEventUsd + 6 * P.kinesis.putUnitUsd, 12);
    expect(c.causes.shardHours).toBeCloseTo(2 * P.kinesis.shardHourUsd, 12);
    expectCausesClose(r.summary);
  });
});

describe('cost: free tier, monthly projection and price files', () => {
  const scenario: Scenario = {
    name: 'steady',
    duration: '2m',
    functions: { api: { duration: '200ms', memorySize: 256 } },
    traffic: [{ invoke: 'api', type: 'RequestResponse', rate: 2 }],
  };

  it('leaves the free tier off by default, and with it takes a prorated share of the monthly allowance off', async () => {
    const r = await run(scenario);
    expect(r.summary.cost.causes.freeTier).toBe(0);
    const free = summarize(r.sim, { freeTier: true }).cost;
    expect(free.freeTier).toBe(true);
    // 2 minutes are 1/21900 of a 730-hour month: that share of 1 M requests and 400,000 GB-s is free.
    const share = 1 / 21900;
    const f = r.summary.cost.functions.api;
    const credit =
      Math.min(f.requests, 1_000_000 * share) * P.lambda.requestUsd + Math.min(f.gbSeconds, 400_000 * share) * P.lambda.x86_64.gbSecondUsd;
    expect(free.causes.freeTier).toBeCloseTo(-credit, 10);
    expect(free.totalUsd).toBeCloseTo(r.summary.cost.totalUsd - credit, 10);
    // For the month the whole allowance applies to 21900 times the run's 240 requests and about 12 GB-s.
    const month = Math.min(f.requests * 21900, 1_000_000) * P.lambda.requestUsd + Math.min(f.gbSeconds * 21900, 400_000) * P.lambda.x86_64.gbSecondUsd;
    expect(free.monthlyUsd).toBeCloseTo(r.summary.cost.monthlyUsd - month, 6);
    expectCausesClose(summarize(r.sim, { freeTier: true }));
  });

  it('projects a month of 730 hours at the simulated rate', async () => {
    const r = await run(scenario);
    expect(r.summary.cost.monthlyUsd).toBeCloseTo(r.summary.cost.totalUsd * 730 * 30, 6);
  });

  it('reads a price file whose keys replace the built-in ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'prices-'));
    const file = path.join(dir, 'prices.json');
    await writeFile(file, JSON.stringify({ region: 'af-south-1', lambda: { requestUsd: 0.00000027, x86_64: { gbSecondUsd: 0.0000221 } } }));
    const prices = await loadPrices(file);
    expect(prices.region).toBe('af-south-1');
    expect(prices.lambda.arm64).toEqual(US_EAST_1.lambda.arm64);
    const r = await run(scenario);
    const af = summarize(r.sim, { prices }).cost;
    const hand = lambdaFromTrace(r.trace, 'api', 256, 300, 0.0000221);
    expect(af.totalUsd).toBeCloseTo(hand.starts.length * 0.00000027 + hand.duration + hand.init, 10);
  });

  it('refuses a price file with an unknown key or a negative price, naming the file and the field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'prices-'));
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ lambda: { requestUSD: 1 } }));
    await expect(loadPrices(file)).rejects.toThrow(PriceFileError);
    await expect(loadPrices(file)).rejects.toThrow(`${file}: lambda.requestUSD: unknown key; valid: requestUsd`);
    await writeFile(file, JSON.stringify({ sqs: { fifoRequestUsd: -1 } }));
    await expect(loadPrices(file)).rejects.toThrow('sqs.fifoRequestUsd: -1 is not a price; allowed: a number >= 0');
  });
});
