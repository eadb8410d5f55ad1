/**
 * The second round of fidelity findings (issue 11): each test is one AWS rule, cited in docs/fidelity.md.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SqsViewState } from '../../src/engine/sources/sqs.js';
import type { Scenario } from '../../src/scenario/types.js';
import { run } from '../helpers/run.js';

describe('SQS pollers under low traffic (services-sqs-scaling.html)', () => {
  const quiet = (maxConcurrency?: number): Scenario => ({
    name: 'quiet',
    duration: '40s',
    functions: { f: { duration: '50ms', coldStart: '0ms' } },
    queues: { q: {} },
    eventSourceMappings: [{ source: 'q', function: 'f', ...(maxConcurrency ? { maxConcurrency } : {}) }],
    // One message a second for 20 s, then a burst of 2,000 messages at 100,000 per second.
    traffic: [
      { to: 'q', rate: 1, stop: '20s' },
      { to: 'q', rate: 100_000, count: 2_000, start: '25s' },
    ],
  });
  const targets = async (s: Scenario) => {
    const out: Array<[number, number]> = [];
    const r = await run(s, { untilMs: 0 });
    out.push([0, (r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget]);
    while (!r.sim.done) {
      await r.sim.step();
      const t = r.sim.now;
      if (t % 1000 === 0) out.push([t, (r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget]);
    }
    return new Map(out);
  };

  it('scales back from 5 to 2 concurrent batches when traffic is low and maxConcurrency is not set, and back up when messages wait', async () => {
    const t = await targets(quiet());
    // It starts at 5; the first scaling step (1 s after the first message) sees a quiet second.
    expect(t.get(0)).toBe(5);
    expect(t.get(1_000)).toBe(2);
    expect(t.get(10_000)).toBe(2);
    expect(t.get(20_000)).toBe(2);
    // The burst at 25 s: messages wait with both slots busy, so it returns to 5 and climbs.
    expect(t.get(27_000)!).toBeGreaterThanOrEqual(5);
  });

  it('keeps 5 as the floor when maxConcurrency is set ("this optimization is not available")', async () => {
    const t = await targets(quiet(50));
    expect(t.get(10_000)).toBe(5);
    expect(t.get(20_000)).toBe(5);
  });
});

describe('payload limits (API_Invoke.html; ALB lambda-functions.html and load-balancer-troubleshooting.md)', () => {
  const mb = (n: number) => 'x'.repeat(Math.round(n * 1024 * 1024));

  it('refuses a synchronous request over 6 MB with 413 RequestTooLargeException, without invoking', async () => {
    const r = await run({
      name: 'big sync',
      duration: '2s',
      functions: { f: {} },
      traffic: [{ invoke: 'f', type: 'RequestResponse', count: 2, body: (i) => (i === 0 ? mb(7) : mb(5)) }],
    });
    const [refused, ok] = r.of('sync.response');
    expect(refused).toMatchObject({ statusCode: 413, reason: 'RequestTooLargeException', body: { Type: 'User', message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' } });
    expect(ok.statusCode).toBe(200);
    expect(r.of('invoke.start')).toHaveLength(1);
    expect(r.summary.sources['cli:f'].failedTo).toEqual({ caller: 1 });
  });

  it('refuses an asynchronous event over 1 MB with 413: it is never queued or run', async () => {
    const r = await run({
      name: 'big async',
      duration: '2s',
      functions: { f: {} },
      traffic: [{ invoke: 'f', type: 'Event', count: 2, body: (i) => (i === 0 ? mb(1.5) : mb(0.5)) }],
    });
    expect(r.of('invoke.refused')).toEqual([
      expect.objectContaining({ fn: 'f', statusCode: 413, errorType: 'RequestTooLargeException', invocationType: 'Event' }),
    ]);
    expect(r.of('invoke.start')).toHaveLength(1);
    expect(r.summary.sources['async:f']).toMatchObject({ put: 2, succeeded: 1, failed: 1, failedTo: { caller: 1 } });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('counts a synchronous response over 6 MB as a function error, as the caller sees it', async () => {
    const r = await run({
      name: 'big response',
      duration: '2s',
      functions: { f: { handler: () => mb(7) } },
      traffic: [{ invoke: 'f', type: 'RequestResponse', count: 1 }],
    });
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Function.ResponseSizeTooLarge' });
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
    expect(r.summary.functions.f).toMatchObject({ errors: 1, successes: 0 });
  });

  it('answers 413 at an ALB for a request body over 1 MB, and 502 for a response over 1 MB', async () => {
    const r = await run({
      name: 'alb limits',
      duration: '5s',
      functions: { f: { handler: (e: { body: string }) => ({ statusCode: 200, body: e.body === 'big reply' ? mb(2) : 'ok' }) } },
      traffic: [
        {
          invoke: 'f',
          type: 'RequestResponse',
          via: 'alb',
          count: 3,
          http: { headers: { 'content-type': 'text/plain' } },
          body: (i) => [mb(1.2), 'big reply', 'small'][i],
        },
      ],
    });
    expect(r.of('sync.response').map((e) => e.statusCode)).toEqual([413, 502, 200]);
    // The 413 request never reached the function; the 502 one ran and succeeded at Lambda.
    expect(r.of('invoke.start')).toHaveLength(2);
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['success', 'success']);
  });
});

describe('ALB request bodies and query strings (elasticloadbalancing lambda-functions.html)', () => {
  const seen = async (http: Record<string, unknown>, body?: unknown) => {
    const r = await run({
      name: 'alb event',
      duration: '1s',
      functions: { f: { handler: (e: unknown) => ({ statusCode: 200, body: JSON.stringify(e) }) } },
      traffic: [{ invoke: 'f', type: 'RequestResponse', via: 'alb', count: 1, http, ...(body !== undefined ? { body: () => body } : {}) }],
    });
    return JSON.parse(r.of('sync.response')[0].body as string) as { body: string; isBase64Encoded: boolean; queryStringParameters?: Record<string, string>; multiValueQueryStringParameters?: Record<string, string[]> };
  };

  it('sends text/*, JSON, JavaScript and XML bodies as they are, with isBase64Encoded false', async () => {
    for (const type of ['text/plain; charset=utf-8', 'application/json', 'application/javascript', 'application/xml', 'TEXT/CSV']) {
      expect(await seen({ method: 'POST', headers: { 'content-type': type } }, 'a=1&b=2')).toMatchObject({ body: 'a=1&b=2', isBase64Encoded: false });
    }
  });

  it('base64-encodes every other body (a form post, an octet stream, no content type) and sets isBase64Encoded', async () => {
    const b64 = Buffer.from('a=1&b=2').toString('base64');
    for (const headers of [{ 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/octet-stream' }, {}]) {
      expect(await seen({ method: 'POST', headers }, 'a=1&b=2')).toMatchObject({ body: b64, isBase64Encoded: true });
    }
    // A request with no body keeps "" and false.
    expect(await seen({ method: 'GET' }, null)).toMatchObject({ body: '', isBase64Encoded: false });
  });

  it('passes query values URL-encoded, as the client sent them: the load balancer does not decode them', async () => {
    const e = await seen({ query: { s: 'x y', 'a&b': 'ü=1' } });
    expect(e.queryStringParameters).toEqual({ s: 'x%20y', 'a%26b': '%C3%BC%3D1' });
    const multi = await seen({ query: { s: ['x y', 'z'] }, multiValueHeaders: true });
    expect(multi.multiValueQueryStringParameters).toEqual({ s: ['x%20y', 'z'] });
  });
});

describe("API Gateway's two gateways: api 'rest' | 'http' (http-api-develop-integrations-lambda.html, S33)", () => {
  const gateway = async (http: Record<string, unknown>, handler?: (e: unknown) => unknown, slow = false) =>
    run({
      name: 'gateways',
      duration: slow ? '6m' : '2s',
      functions: { f: slow ? { timeout: '15m', duration: '10m' } : { handler } },
      traffic: [{ invoke: 'f', type: 'RequestResponse', via: 'apigateway', count: 1, http }],
    });
  const fail = () => {
    throw new Error('boom');
  };

  it("keeps HTTP API behaviour for an HTTP API set to payload format 1.0: 500 on a failed integration, and REST's 502", async () => {
    const http1 = await gateway({ api: 'http', payloadFormatVersion: '1.0' }, fail);
    expect(http1.of('sync.response')[0]).toMatchObject({ statusCode: 500, body: '{"message":"Internal Server Error"}' });
    const rest = await gateway({ payloadFormatVersion: '1.0' }, fail);
    expect(rest.of('sync.response')[0]).toMatchObject({ statusCode: 502, body: '{"message": "Internal server error"}' });
    const restByName = await gateway({ api: 'rest' }, fail);
    expect(restByName.of('sync.response')[0]).toMatchObject({ statusCode: 502 });
  });

  it('times an HTTP API at 30 s and a REST API at 29 s, and lets a REST API raise its limit up to 300 s', async () => {
    const at = async (http: Record<string, unknown>) => {
      const r = await gateway(http, undefined, true);
      return r.of('sync.response')[0];
    };
    expect(await at({ api: 'http', payloadFormatVersion: '1.0' })).toMatchObject({ t: 30_000, statusCode: 504 });
    expect(await at({ api: 'rest' })).toMatchObject({ t: 29_000, statusCode: 504 });
    expect(await at({ api: 'rest', integrationTimeout: '120s' })).toMatchObject({ t: 120_000, statusCode: 504 });
  });

  it('refuses payload 2.0 on a REST API, and a timeout over 30 s on an HTTP API, naming the field and the range', async () => {
    await expect(gateway({ api: 'rest', payloadFormatVersion: '2.0' }, fail)).rejects.toThrow(/http\.payloadFormatVersion.*REST API/);
    await expect(gateway({ api: 'http', integrationTimeout: '60s' }, fail)).rejects.toThrow(/http\.integrationTimeout.*30s/);
    await expect(gateway({ api: 'rest', integrationTimeout: '301s' }, fail)).rejects.toThrow(/http\.integrationTimeout.*300s/);
  });

  it("gives a REST event a UUID requestContext.requestId and the gateway's Host and X-Forwarded-* headers", async () => {
    const r = await gateway({ api: 'rest', headers: { accept: '*/*' } }, (e) => ({ statusCode: 200, body: JSON.stringify(e) }));
    const e = JSON.parse(r.of('sync.response')[0].body as string);
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e.headers).toMatchObject({ accept: '*/*', Host: e.requestContext.domainName, 'X-Forwarded-Port': '443', 'X-Forwarded-Proto': 'https' });
    expect(e.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(e.headers['X-Forwarded-For']).toBe(e.requestContext.identity.sourceIp);
  });
});

describe('SQS FIFO deduplication (FIFO-queues-exactly-once-processing.html)', () => {
  const fifo = (queue: Record<string, unknown>, traffic: Record<string, unknown>): Scenario => ({
    name: 'dedup',
    duration: '12m',
    functions: { f: { duration: '10ms' } },
    queues: { 'jobs.fifo': { fifo: true, ...queue } },
    eventSourceMappings: [{ source: 'jobs.fifo', function: 'f' }],
    traffic: [{ to: 'jobs.fifo', ...traffic } as NonNullable<Scenario['traffic']>[number]],
  });
  const delivered = (r: Awaited<ReturnType<typeof run>>) =>
    r.of('invoke.start').flatMap((s) => (s.records ?? []) as string[]);

  it('accepts and does not deliver a message whose deduplication id was sent within 5 minutes, and delivers it again after', async () => {
    // Ids a, b, a, b, ... one message a minute. 'a' sent at 0 holds until 5 min and 'b' at 1 min until
    // 6 min: the sends at 2, 3, 4 and 5 minutes are duplicates; 'a' at 6 and 'b' at 7 minutes are new.
    const r = await run(fifo({}, { rate: [{ at: '0s', rate: 1 / 60 }], count: 8, deduplicationId: (i: number) => (i % 2 === 0 ? 'a' : 'b') }));
    const dups = r.of('sqs.duplicate');
    expect(dups.map((d) => [d.t, d.deduplicationId])).toEqual([
      [120_000, 'a'],
      [180_000, 'b'],
      [240_000, 'a'],
      [300_000, 'b'],
    ]);
    // The first message of each id is the one the duplicate names.
    const puts = r.of('record.put');
    expect(dups[0].id).toBe(puts[0].id);
    expect(puts.map((p) => p.t)).toEqual([0, 60_000, 360_000, 420_000]);
    expect(delivered(r)).toHaveLength(4);
    expect(r.summary.accounting.ok).toBe(true);
    expect((r.sim.state.modules.sqs as SqsViewState).queues['jobs.fifo'].deduplicated).toBe(4);
  });

  it('deduplicates by the SHA-256 of the body with contentBasedDeduplication, and the event carries that id', async () => {
    const ids: string[] = [];
    const scenario = fifo({ contentBasedDeduplication: true }, { count: 4, rate: 10, body: (i: number) => ({ order: i < 2 ? 1 : i }) });
    scenario.functions.f = {
      handler: (e: { Records: Array<{ attributes: { MessageDeduplicationId: string } }> }) => {
        for (const rec of e.Records) ids.push(rec.attributes.MessageDeduplicationId);
      },
    };
    const r = await run(scenario);
    expect(r.of('sqs.duplicate')).toHaveLength(1);
    expect(r.of('record.put')).toHaveLength(3);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(createHash('sha256').update('{"order":1}').digest('hex'));
  });

  it('gives each message a unique id without either, so identical bodies are all delivered', async () => {
    const r = await run(fifo({}, { count: 4, rate: 10, body: () => ({ same: true }) }));
    expect(r.of('sqs.duplicate')).toHaveLength(0);
    expect(delivered(r)).toHaveLength(4);
  });

  it('refuses contentBasedDeduplication on a standard queue and deduplicationId for anything but a FIFO queue', async () => {
    await expect(run({ name: 'x', functions: { f: {} }, queues: { q: { contentBasedDeduplication: true } } })).rejects.toThrow(
      /queues\.q\.contentBasedDeduplication.*only for FIFO queues/,
    );
    await expect(run({ name: 'x', functions: { f: {} }, queues: { q: {} }, traffic: [{ to: 'q', deduplicationId: () => 'a' }] })).rejects.toThrow(
      /traffic\[0\]\.deduplicationId.*only for FIFO queues/,
    );
  });
});

describe('getRemainingTimeInMillis() in a handler given in memory (nodejs-context.html)', () => {
  it('counts down from the timeout with each read instead of staying frozen at it', async () => {
    const reads: number[] = [];
    await run({
      name: 'remaining',
      duration: '2s',
      functions: {
        f: {
          timeout: '3s',
          handler: (_e: unknown, context: { getRemainingTimeInMillis(): number }) => {
            for (let i = 0; i < 3; i++) reads.push(context.getRemainingTimeInMillis());
          },
        },
      },
      traffic: [{ invoke: 'f', type: 'RequestResponse', count: 1 }],
    });
    expect(reads).toEqual([3000, 2999, 2998]);
  });
});

describe('the 10 s Init limit (lambda-runtime-environment.html)', () => {
  const slowInit = (extra: Record<string, unknown>, coldStart: '9s' | '12s' = '12s'): Scenario => ({
    name: 'slow init',
    duration: '1m',
    functions: { f: { coldStart, duration: '200ms', ...extra } },
    traffic: [{ invoke: 'f', type: 'RequestResponse', count: 2, rate: 1 / 40 }],
  });

  it('fails an on-demand init at 10 s and does it again inside the first invocation, under the function timeout', async () => {
    const r = await run(slowInit({ timeout: '30s' }));
    const [start, warm] = r.of('invoke.start');
    expect(start).toMatchObject({ t: 0, cold: true, initRetried: true });
    // 10 s of failed init, then 12 s of init again and 200 ms of handler inside the invoke phase.
    expect(r.of('invoke.end')[0]).toMatchObject({ t: 22_200, outcome: 'success', durationMs: 12_200 });
    // The environment is warm for the next request: no init at all.
    expect(warm).toMatchObject({ cold: false });
    expect(warm.initRetried).toBeUndefined();
  });

  it('times the invocation out when the retried init and the handler do not fit in the timeout', async () => {
    const r = await run(slowInit({ timeout: '5s' }));
    expect(r.of('invoke.end')[0]).toMatchObject({ t: 15_000, outcome: 'timeout', durationMs: 5_000 });
  });

  it('leaves an init within 10 s as it was, and bills a retried init its 10 s with the retry as duration', async () => {
    const ok = await run(slowInit({ timeout: '30s' }, '9s'));
    expect(ok.of('invoke.start')[0].initRetried).toBeUndefined();
    expect(ok.of('invoke.end')[0]).toMatchObject({ t: 9_200, durationMs: 200 });
    const slow = await run(slowInit({ timeout: '30s' }));
    // INIT billed: 10 s at 128 MB for the retried init, 9 s for the one within the limit.
    const initUsd = (s: typeof slow) => s.summary.cost.causes.coldStarts;
    expect(initUsd(slow) / initUsd(ok)).toBeCloseTo(10 / 9, 6);
  });

  it('does not apply to provisioned concurrency, whose environments are ready before traffic', async () => {
    const r = await run({
      name: 'slow init, provisioned',
      duration: '1m',
      functions: { f: { coldStart: '12s', duration: '200ms', timeout: '30s', versions: { '1': {} }, aliases: { live: { version: '1', provisionedConcurrentExecutions: 1 } } } },
      traffic: [{ invoke: 'f:live', type: 'RequestResponse', count: 1 }],
    });
    expect(r.of('invoke.start')[0]).toMatchObject({ cold: false, provisioned: true });
    expect(r.of('invoke.end')[0]).toMatchObject({ durationMs: 200 });
  });
});

describe("a stream mapping's startAt and startingPosition 'LATEST' (API_CreateEventSourceMapping.html)", () => {
  const later = (startingPosition: 'LATEST' | 'TRIM_HORIZON'): Scenario => ({
    name: 'latest',
    duration: '30s',
    functions: { f: { duration: '20ms' } },
    streams: { s: { shardCount: 2 } },
    eventSourceMappings: [{ source: 's', function: 'f', startingPosition, startAt: '10s', batchSize: 10 }],
    traffic: [
      { to: 's', count: 20, rate: 4 },
      { to: 's', count: 10, rate: 2, start: '12s', body: (i) => ({ late: i }) },
    ],
  });

  it("reads nothing before the mapping starts, then with LATEST only the records put from then on", async () => {
    const r = await run(later('LATEST'));
    const starts = r.of('invoke.start');
    expect(starts.length).toBeGreaterThan(0);
    expect(Math.min(...starts.map((s) => s.t))).toBeGreaterThanOrEqual(12_000);
    const puts = r.of('record.put');
    const lateIds = new Set(puts.filter((p) => p.t >= 12_000).map((p) => p.id));
    const read = starts.flatMap((s) => s.records ?? []);
    expect(new Set(read)).toEqual(lateIds);
    // The 20 records put before the mapping existed are never read: still in the stream, waiting.
    expect(r.summary.sources.s).toMatchObject({ put: 30, succeeded: 10, waiting: 20 });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('starts from the oldest record with TRIM_HORIZON, at the mapping start', async () => {
    const r = await run(later('TRIM_HORIZON'));
    const starts = r.of('invoke.start');
    expect(Math.min(...starts.map((s) => s.t))).toBeGreaterThanOrEqual(10_000);
    expect(r.summary.sources.s).toMatchObject({ put: 30, succeeded: 30 });
  });
});

describe('the request-rate quota for synchronous invocations (Lambda quotas; lambda-concurrency.html)', () => {
  const burst = (fn: Record<string, unknown>, account?: number, type: 'RequestResponse' | 'Event' = 'RequestResponse'): Scenario => ({
    name: 'rps',
    duration: '3s',
    ...(account ? { account: { concurrentExecutions: account } } : {}),
    functions: { f: { duration: '1ms', coldStart: '0ms', ...fn } },
    traffic: [{ invoke: 'f', type, rate: 1000, stop: '2s' }],
  });
  const reasons = (r: Awaited<ReturnType<typeof run>>) => {
    const out: Record<string, number> = {};
    for (const t of r.of('throttle')) out[t.reason] = (out[t.reason] ?? 0) + 1;
    return out;
  };

  it('serves a function with reserved concurrency 5 at most 50 requests in any second (ReservedFunctionInvocationRateLimitExceeded)', async () => {
    const r = await run(burst({ reservedConcurrentExecutions: 5 }));
    expect(r.summary.functions.f.invocations).toBe(100);
    expect(reasons(r)).toEqual({ ReservedFunctionInvocationRateLimitExceeded: 1900 });
    // A sliding second on exact times: never more than 50 starts in any 1,000 ms.
    const t = r.of('invoke.start').map((e) => e.t);
    for (let i = 50; i < t.length; i++) expect(t[i] - t[i - 50]).toBeGreaterThanOrEqual(1000);
  });

  it('caps a function without reserved concurrency at 10 x the unreserved pool (FunctionInvocationRateLimitExceeded)', async () => {
    // Account limit 100 leaves an unreserved pool of 100: 1,000 requests per second.
    const free = await run(burst({}, 100));
    expect(free.summary.functions.f.throttles).toBe(0);
    // At 1,500 requests per second the same pool serves 1,000 of each second's 1,500.
    const r = await run({ ...burst({}, 100), traffic: [{ invoke: 'f', type: 'RequestResponse', rate: 1500, stop: '2s' }] });
    const t = r.of('invoke.start').map((e) => e.t);
    for (let i = 1000; i < t.length; i++) expect(t[i] - t[i - 1000]).toBeGreaterThanOrEqual(1000);
    // About 1,000 a second are served (one more at the sliding window's edge), the rest throttled.
    expect(t.length).toBeGreaterThanOrEqual(2000);
    expect(t.length).toBeLessThanOrEqual(2001);
    expect(reasons(r)).toEqual({ FunctionInvocationRateLimitExceeded: 3000 - t.length });
  });

  it('leaves asynchronous invocations alone ("an unlimited number of requests")', async () => {
    const r = await run(burst({ reservedConcurrentExecutions: 5 }, undefined, 'Event'));
    expect(reasons(r).ReservedFunctionInvocationRateLimitExceeded).toBeUndefined();
    expect(r.summary.functions.f.invocations).toBe(2000);
  });
});

describe('SNS subscriptions as objects: filter policies and raw delivery (sns-message-filtering.html, sns-large-payload-raw-message-delivery.html)', () => {
  const topic = (subscriptions: unknown[], traffic: Record<string, unknown> = {}): Scenario => ({
    name: 'sns subs',
    duration: '5s',
    functions: { orders: { duration: '10ms' }, all: { duration: '10ms' } },
    queues: { audit: {} },
    topics: { events: { subscriptions: subscriptions as never } },
    traffic: [
      {
        to: 'events',
        count: 4,
        rate: 10,
        body: (i: number) => ({ kind: i % 2 === 0 ? 'order' : 'refund', amount: i * 100 }),
        messageAttributes: (i: number) => ({ type: i % 2 === 0 ? 'order' : 'refund', amount: i * 100 }),
        ...traffic,
      } as NonNullable<Scenario['traffic']>[number],
    ],
  });

  it('delivers to a subscription only the messages its MessageAttributes policy matches, and traces the rest', async () => {
    const r = await run(topic(['all', { endpoint: 'orders', filterPolicy: { type: ['order'], amount: [{ numeric: ['>=', 100] }] } }]));
    // Message 0 is an order of 0, 2 an order of 200: only 2 passes both conditions.
    expect(r.summary.functions.all.invocations).toBe(4);
    expect(r.summary.functions.orders.invocations).toBe(1);
    const filtered = r.of('sns.filtered');
    expect(filtered).toHaveLength(3);
    expect(filtered.every((f) => f.topic === 'events' && f.endpoint === 'orders')).toBe(true);
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('matches the message body with filterPolicyScope MessageBody', async () => {
    const r = await run(topic([{ endpoint: 'orders', filterPolicy: { kind: ['refund'] }, filterPolicyScope: 'MessageBody' }]));
    expect(r.summary.functions.orders.invocations).toBe(2);
  });

  it('sends a queue the message itself with rawMessageDelivery, its attributes as SQS message attributes', async () => {
    const seen: Array<{ body: string; messageAttributes: Record<string, { stringValue?: string; dataType: string }> }> = [];
    const s = topic([{ endpoint: 'audit', rawMessageDelivery: true }]);
    s.functions.reader = { handler: (e: { Records: typeof seen }) => void seen.push(...e.Records) };
    s.eventSourceMappings = [{ source: 'audit', function: 'reader' }];
    await run(s);
    expect(seen).toHaveLength(4);
    expect(JSON.parse(seen[0].body)).toEqual({ kind: 'order', amount: 0 });
    expect(seen[1].messageAttributes.type).toMatchObject({ dataType: 'String', stringValue: 'refund' });
    // Without raw delivery the body is SNS's JSON notification.
    const wrapped: typeof seen = [];
    const w = topic(['audit']);
    w.functions.reader = { handler: (e: { Records: typeof seen }) => void wrapped.push(...e.Records) };
    w.eventSourceMappings = [{ source: 'audit', function: 'reader' }];
    await run(w);
    expect(JSON.parse(wrapped[0].body)).toMatchObject({ Type: 'Notification', Message: '{"kind":"order","amount":0}' });
  });

  it('refuses raw delivery to a function, a policy of more than 5 attribute names, and a malformed policy', async () => {
    await expect(run(topic([{ endpoint: 'orders', rawMessageDelivery: true }]))).rejects.toThrow(/subscriptions\[0\]\.rawMessageDelivery.*queue subscriptions/);
    const six = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]));
    await expect(run(topic([{ endpoint: 'orders', filterPolicy: six }]))).rejects.toThrow(/filterPolicy.*at most 5/);
    await expect(run(topic([{ endpoint: 'orders', filterPolicy: { type: 'order' } }]))).rejects.toThrow(/filterPolicy.*not a valid SNS filter policy/);
  });
});

describe('a tumbling window with reportBatchItemFailures (docs/fidelity.md: our choice, with-kinesis-windows.html)', () => {
  const windowed = (handler: (e: { Records: Array<{ kinesis: { sequenceNumber: string; data: string } }>; state: { seen?: number[] }; isFinalInvokeForWindow: boolean }) => unknown) =>
    run({
      name: 'tw partial',
      duration: '40s',
      functions: { p: { handler } },
      streams: { s: { shardCount: 1 } },
      eventSourceMappings: [{ source: 's', function: 'p', batchSize: 4, maxBatchingWindow: '1s', tumblingWindow: '30s', reportBatchItemFailures: true, retryAttempts: 3 }],
      traffic: [{ to: 's', count: 4, rate: 100_000, body: (i) => ({ n: i }) }],
    });
  const n = (r: { kinesis: { data: string } }) => (JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()) as { n: number }).n;

  it('keeps the state returned with the failures for the records checkpointed, and retries the rest with it', async () => {
    const calls: Array<{ records: number[]; state: number[] }> = [];
    let failedOnce = false;
    const r = await windowed((e) => {
      if (e.isFinalInvokeForWindow) return { state: e.state };
      const records = e.Records.map(n);
      const seen = e.state.seen ?? [];
      calls.push({ records, state: seen });
      if (!failedOnce && records.includes(2)) {
        failedOnce = true;
        // Records 0 and 1 are processed; 2 fails: the state covers 0 and 1.
        const failed = e.Records.find((x) => n(x) === 2)!;
        return { state: { seen: [...seen, 0, 1] }, batchItemFailures: [{ itemIdentifier: failed.kinesis.sequenceNumber }] };
      }
      return { state: { seen: [...seen, ...records] } };
    });
    expect(calls[0]).toEqual({ records: [0, 1, 2, 3], state: [] });
    expect(calls[1]).toEqual({ records: [2, 3], state: [0, 1] });
    expect(r.summary.sources.s).toMatchObject({ put: 4, succeeded: 4 });
    // The window's final invoke is marked in invoke.start, once, after the window's end (30 s).
    const finals = r.of('invoke.start').filter((s) => s.finalWindow);
    expect(finals).toHaveLength(1);
    expect(finals[0].t).toBeGreaterThanOrEqual(30_000);
    expect(finals[0].records ?? []).toEqual([]);
  });

  it('fails the whole batch when a partial response in a window has no state', async () => {
    const calls: number[][] = [];
    await windowed((e) => {
      if (e.isFinalInvokeForWindow) return { state: {} };
      calls.push(e.Records.map(n));
      if (calls.length === 1) return { batchItemFailures: [{ itemIdentifier: e.Records[2].kinesis.sequenceNumber }] };
      return { state: {} };
    });
    // Not a partial retry from record 2: the whole batch is retried.
    expect(calls[1]).toEqual([0, 1, 2, 3]);
  });
});

describe('a failing FIFO batch that mixes message groups (docs/fidelity.md; services-sqs-errorhandling.html)', () => {
  it('blocks each group the batch held until its messages are visible again, in order, while other groups flow', async () => {
    const calls: Array<{ t: number; groups: string[]; bodies: string[] }> = [];
    let first = true;
    const r = await run({
      name: 'mixed fifo',
      duration: '20s',
      functions: {
        f: {
          duration: '10ms',
          handler: (e: { Records: Array<{ body: string; attributes: { MessageGroupId: string } }> }) => {
            calls.push({ t: -1, groups: [...new Set(e.Records.map((x) => x.attributes.MessageGroupId))], bodies: e.Records.map((x) => x.body) });
            if (first) {
              first = false;
              throw new Error('first batch fails');
            }
          },
        },
      },
      queues: { 'jobs.fifo': { fifo: true, visibilityTimeout: '5s' } },
      eventSourceMappings: [{ source: 'jobs.fifo', function: 'f', batchSize: 10 }],
      traffic: [
        { to: 'jobs.fifo', count: 2, rate: 100_000, messageGroups: ['a'], body: (i) => `a${i}` },
        { to: 'jobs.fifo', count: 2, rate: 100_000, messageGroups: ['b'], body: (i) => `b${i}` },
        { to: 'jobs.fifo', count: 1, start: '1s', messageGroups: ['c'], body: () => 'c0' },
      ],
    });
    const starts = r.of('invoke.start');
    calls.forEach((c, i) => (c.t = starts[i].t));
    // The first batch (at 0 ms, the first message of each group) mixes groups a and b, and fails.
    expect(calls[0]).toMatchObject({ t: 0, bodies: ['a0', 'b0'] });
    // Group c, not in it, is served at 1 s; a and b wait for the 5 s visibility timeout.
    expect(calls[1]).toMatchObject({ t: 1_000, bodies: ['c0'] });
    const retried = calls.slice(2);
    expect(Math.min(...retried.map((c) => c.t))).toBeGreaterThanOrEqual(5_000);
    // Each group's messages come back in their order.
    const again = retried.flatMap((c) => c.bodies);
    expect(again.filter((b) => b.startsWith('a'))).toEqual(['a0', 'a1']);
    expect(again.filter((b) => b.startsWith('b'))).toEqual(['b0', 'b1']);
    expect(r.summary.sources['jobs.fifo']).toMatchObject({ put: 5, succeeded: 5 });
  });
});
