import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../src/engine/simulation.js';
import type { AsyncViewState } from '../../../src/engine/sources/async.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { modelOf, run } from '../../helpers/run.js';

const EPOCH = Date.UTC(2025, 0, 1);
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const iso = (t: number) => new Date(EPOCH + t).toISOString();

function boom(): never {
  throw new Error('boom');
}

/** One event to a function that always throws, with an onFailure function and a topic DLQ feeding `dlqReader`. */
function failing(extra: Record<string, unknown> = {}): Scenario {
  return {
    name: 'failing',
    duration: '10m',
    functions: {
      bad: { handler: boom, coldStart: '0ms', onFailure: 'audit', deadLetterQueue: 'dead', ...extra },
      audit: { coldStart: '0ms' },
      dlqReader: { coldStart: '0ms' },
    },
    topics: { dead: { subscriptions: ['dlqReader'] } },
    traffic: [{ invoke: 'bad', type: 'Event', count: 1, rate: 1, body: (i) => ({ orderId: i }) }],
  };
}

describe('asynchronous invoke: accepted at once into the internal queue (docs/aws-rules.md §2)', () => {
  it('puts the event into async:<fn> and invokes it with trigger async, attempt 1', async () => {
    const r = await run({ name: 'ok', duration: '5s', functions: { fn: {} }, traffic: [{ invoke: 'fn', type: 'Event', count: 3, rate: 10 }] });
    const puts = r.of('record.put').filter((e) => e.source === 'async:fn');
    expect(puts).toHaveLength(3);
    const starts = r.of('invoke.start');
    expect(starts.map((s) => [s.trigger, s.attempt, s.records?.[0]])).toEqual(puts.map((p) => ['async', 1, p.id]));
    expect(r.summary.sources['async:fn']).toMatchObject({ put: 3, succeeded: 3, failed: 0, waiting: 0, inFlight: 0 });
  });

  it('hands the handler the event exactly as sent (via cli)', async () => {
    const seen: unknown[] = [];
    await run({
      name: 'cli',
      duration: '2s',
      functions: { fn: { handler: (e: unknown) => void seen.push(e) } },
      traffic: [{ invoke: 'fn', type: 'Event', count: 1, rate: 1, body: () => ({ hello: 'world' }) }],
    });
    expect(seen).toEqual([{ hello: 'world' }]);
  });

  it("builds an S3 notification around body(i) for via 's3' and an SNS event for via 'sns'", async () => {
    const seen: Record<string, any[]> = { a: [], b: [] };
    await run({
      name: 'via',
      duration: '2s',
      functions: { a: { handler: (e: any) => void seen.a.push(e) }, b: { handler: (e: any) => void seen.b.push(e) } },
      traffic: [
        { invoke: 'a', type: 'Event', via: 's3', count: 1, rate: 1, body: () => ({ key: 'in/cat photo.jpg', size: 2048 }) },
        { invoke: 'b', type: 'Event', via: 'sns', count: 1, rate: 1, body: () => ({ alert: 1 }) },
      ],
    });
    const s3 = seen.a[0].Records[0];
    expect(s3).toMatchObject({ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' });
    expect(s3.s3.bucket).toMatchObject({ name: 'a-bucket', arn: 'arn:aws:s3:::a-bucket' });
    expect(s3.s3.object).toMatchObject({ key: 'in/cat+photo.jpg', size: 2048 });
    const sns = seen.b[0].Records[0];
    expect(sns).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0' });
    expect(sns.Sns).toMatchObject({ Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:123456789012:b-topic', Message: '{"alert":1}' });
  });
});

describe('function errors: retryAttempts more tries, 60 s then 120 s apart (docs/aws-rules.md §2)', () => {
  it('makes three attempts, the second 60 s and the third 120 s after the previous one ended', async () => {
    const r = await run(failing());
    const starts = r.of('invoke.start').filter((e) => e.fn === 'bad');
    const ends = r.of('invoke.end').filter((e) => e.fn === 'bad');
    expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(starts[1].t - ends[0].t).toBe(60_000);
    expect(starts[2].t - ends[1].t).toBe(120_000);
    const retries = r.of('async.retry');
    expect(retries.map((e) => [e.attempt, e.at, e.reason])).toEqual([
      [2, ends[0].t + 60_000, 'error'],
      [3, ends[1].t + 120_000, 'error'],
    ]);
    expect(retries.every((e) => e.fn === 'bad' && e.eventId === starts[0].records![0])).toBe(true);
  });

  it('makes retryAttempts + 1 attempts (0 ⇒ 1, 1 ⇒ 2)', async () => {
    for (const retryAttempts of [0, 1]) {
      const r = await run(failing({ retryAttempts }));
      expect(r.of('invoke.start').filter((e) => e.fn === 'bad')).toHaveLength(retryAttempts + 1);
      expect(r.of('deliver').find((d) => d.kind === 'onFailure')!.condition).toBe('RetriesExhausted');
    }
  });

  it('retries timeouts like errors', async () => {
    const r = await run({
      name: 'timeouts',
      duration: '10m',
      functions: { slow: { duration: '5s', timeout: '1s', coldStart: '0ms', onFailure: 'audit' }, audit: {} },
      traffic: [{ invoke: 'slow', type: 'Event', count: 1, rate: 1 }],
    });
    expect(r.of('invoke.end').filter((e) => e.fn === 'slow').map((e) => e.outcome)).toEqual(['timeout', 'timeout', 'timeout']);
    const record = r.of('deliver')[0].payload as any;
    expect(record.responsePayload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/),
    });
  });
});

describe('destinations and the dead-letter queue receive exactly what AWS sends (docs/aws-rules.md §2)', () => {
  it('sends onFailure the invocation record, field by field', async () => {
    const r = await run(failing());
    const eventId = r.of('record.put').find((e) => e.source === 'async:bad')!.id;
    const lastEnd = r.of('invoke.end').filter((e) => e.fn === 'bad')[2];
    const d = r.of('deliver').find((e) => e.kind === 'onFailure')!;
    expect(d).toMatchObject({ t: lastEnd.t, to: 'audit', condition: 'RetriesExhausted', fn: 'bad', source: 'async:bad' });
    const p = d.payload as any;
    expect(Object.keys(p)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    expect(p.version).toBe('1.0');
    expect(p.timestamp).toBe(iso(lastEnd.t));
    expect(p.requestContext).toEqual({ requestId: eventId, functionArn: `${ARN}:bad:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(p.requestPayload).toEqual({ orderId: 0 });
    expect(p.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(p.responsePayload.errorType).toBe('Error');
    expect(p.responsePayload.errorMessage).toBe('boom');
    expect(Array.isArray(p.responsePayload.trace)).toBe(true);
  });

  it('makes the destination a real resource: the onFailure function is invoked with the record as its event', async () => {
    const got: unknown[] = [];
    const s = failing();
    s.functions.audit = { handler: (e: unknown) => void got.push(e) };
    const r = await run(s);
    expect(got).toEqual([r.of('deliver').find((e) => e.kind === 'onFailure')!.payload]);
    expect(r.summary.sources['async:audit']).toMatchObject({ put: 1, succeeded: 1 });
  });

  it('sends the DLQ the original event with RequestID, ErrorCode and ErrorMessage attributes', async () => {
    const r = await run(failing());
    const eventId = r.of('record.put').find((e) => e.source === 'async:bad')!.id;
    const d = r.of('deliver').find((e) => e.kind === 'dlq')!;
    expect(d).toMatchObject({ to: 'dead', condition: 'RetriesExhausted' });
    expect(d.payload).toEqual({ orderId: 0 });
    expect(d.messageAttributes).toEqual({
      RequestID: { dataType: 'String', stringValue: eventId },
      ErrorCode: { dataType: 'Number', stringValue: '200' },
      ErrorMessage: { dataType: 'String', stringValue: 'boom' },
    });
  });

  it('delivers the DLQ message through the topic to its subscriber, attributes as SNS MessageAttributes', async () => {
    const got: any[] = [];
    const s = failing();
    s.functions.dlqReader = { handler: (e: unknown) => void got.push(e) };
    const r = await run(s);
    const eventId = r.of('record.put').find((e) => e.source === 'async:bad')!.id;
    expect(got).toHaveLength(1);
    const sns = got[0].Records[0].Sns;
    expect(sns.Message).toBe('{"orderId":0}');
    expect(sns.MessageAttributes).toEqual({
      RequestID: { Type: 'String', Value: eventId },
      ErrorCode: { Type: 'Number', Value: '200' },
      ErrorMessage: { Type: 'String', Value: 'boom' },
    });
  });

  it('fires both the onFailure destination and the DLQ (as LocalStack does), and books the failure to onFailure', async () => {
    const r = await run(failing());
    expect(r.of('deliver').map((d) => d.kind)).toEqual(['onFailure', 'dlq']);
    expect(r.summary.sources['async:bad']).toMatchObject({ put: 1, failed: 1, failedTo: { audit: 1 } });
  });

  it("books a failure with only a DLQ to 'dlq:<name>' and with neither to 'dropped'", async () => {
    const onlyDlq = await run(failing({ onFailure: undefined }));
    expect(onlyDlq.summary.sources['async:bad'].failedTo).toEqual({ 'dlq:dead': 1 });
    const neither = await run(failing({ onFailure: undefined, deadLetterQueue: undefined }));
    expect(neither.summary.sources['async:bad'].failedTo).toEqual({ dropped: 1 });
    expect(neither.of('deliver')).toHaveLength(0);
  });

  it('sends onSuccess a Success record with the handler response and no functionError', async () => {
    const r = await run({
      name: 'success',
      duration: '5s',
      functions: { fn: { handler: () => ({ ok: true }), onSuccess: 'next' }, next: {} },
      traffic: [{ invoke: 'fn', type: 'Event', count: 1, rate: 1, body: () => ({ a: 1 }) }],
    });
    const d = r.of('deliver')[0];
    expect(d).toMatchObject({ to: 'next', kind: 'onSuccess', condition: 'Success' });
    const p = d.payload as any;
    expect(p.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1, functionArn: `${ARN}:fn:$LATEST` });
    expect(p.requestPayload).toEqual({ a: 1 });
    expect(p.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(p.responsePayload).toEqual({ ok: true });
  });

  it('wraps the record for a bus destination: source lambda, the Success detail-type, resources [busArn, functionArn]', async () => {
    const seen: any[] = [];
    const r = await run({
      name: 'bus destination',
      duration: '5s',
      functions: { fn: { onSuccess: 'results' }, reader: { handler: (e: unknown) => void seen.push(e) } },
      buses: { results: { rules: [{ name: 'all', eventPattern: { source: ['lambda'] }, targets: ['reader'] }] } },
      traffic: [{ invoke: 'fn', type: 'Event', count: 1, rate: 1 }],
    });
    const d = r.of('deliver')[0].payload as any;
    expect(d).toMatchObject({
      version: '0',
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Success',
      account: '123456789012',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:event-bus/results', `${ARN}:fn:$LATEST`],
    });
    expect(d.detail.requestContext.condition).toBe('Success');
    expect(seen).toEqual([d]);
  });
});

describe('event age is checked ahead of the next try (docs/aws-rules.md §2, "Max-age check")', () => {
  it('maxEventAge 60 s ⇒ 1 attempt, then EventAgeExceeded', async () => {
    const r = await run(failing({ maxEventAge: '60s' }));
    expect(r.of('invoke.start').filter((e) => e.fn === 'bad')).toHaveLength(1);
    expect(r.of('async.retry')).toHaveLength(0);
    const d = r.of('deliver').find((e) => e.kind === 'onFailure')!;
    expect(d.t).toBe(r.of('invoke.end')[0].t);
    expect((d.payload as any).requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 });
    expect((d.payload as any).responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  });

  it('maxEventAge 90 s ⇒ 2 attempts, then EventAgeExceeded', async () => {
    const r = await run(failing({ maxEventAge: '90s' }));
    expect(r.of('invoke.start').filter((e) => e.fn === 'bad').map((e) => e.attempt)).toEqual([1, 2]);
    const d = r.of('deliver').find((e) => e.kind === 'onFailure')!;
    expect(d.t).toBe(r.of('invoke.end').filter((e) => e.fn === 'bad')[1].t);
    expect((d.payload as any).requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 2 });
    expect(r.of('deliver').find((e) => e.kind === 'dlq')!.condition).toBe('EventAgeExceeded');
  });
});

/** A function busy for 14 minutes with reserved concurrency 1: the second event is throttled meanwhile. */
function blocked(maxEventAge?: `${number}s`): Scenario {
  return {
    name: 'blocked',
    duration: '20m',
    functions: {
      busy: { duration: '14m', timeout: '15m', coldStart: '0ms', reservedConcurrentExecutions: 1, onFailure: 'audit', ...(maxEventAge ? { maxEventAge } : {}) },
      audit: {},
    },
    traffic: [{ invoke: 'busy', type: 'Event', count: 2, rate: 10 }],
  };
}

describe('throttles return the event to the queue with backoff, not counted as attempts (docs/aws-rules.md §2)', () => {
  it('backs off 1 s, 2 s, 4 s … doubling, capped at 5 min', async () => {
    const r = await run(blocked());
    const retries = r.of('async.retry').filter((e) => e.reason === 'throttle');
    const delays = retries.map((e) => e.at - e.t);
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map((s) => s * 1000));
    // Throttles are not attempts: every re-queue says the next try is still attempt 1, and it runs as 1.
    expect(retries.every((e) => e.attempt === 1)).toBe(true);
    const second = r.of('invoke.start')[1];
    expect(second).toMatchObject({ attempt: 1, t: retries.at(-1)!.at });
    expect(r.of('throttle').length).toBe(retries.length);
    expect(r.of('throttle')[0].reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
  });

  it('fails a throttled event with EventAgeExceeded as soon as the next backoff would pass maxEventAge', async () => {
    const r = await run(blocked('60s'));
    const retries = r.of('async.retry');
    // 1+2+4+8+16 = 31 s of backoff; the next one (32 s) would bring the age to 63 s > 60 s.
    expect(retries.map((e) => e.at - e.t)).toEqual([1, 2, 4, 8, 16].map((s) => s * 1000));
    const d = r.of('deliver')[0];
    expect(d.t).toBe(retries.at(-1)!.at);
    expect(d.condition).toBe('EventAgeExceeded');
    const p = d.payload as any;
    expect(p.requestContext.approximateInvokeCount).toBe(0);
    expect(p).not.toHaveProperty('responseContext');
    expect(p).not.toHaveProperty('responsePayload');
    expect(r.of('invoke.start').filter((e) => e.fn === 'busy')).toHaveLength(1);
  });
});

describe('reserved concurrency 0: straight to failure handling (docs/aws-rules.md §2)', () => {
  it('never invokes, and sends ZeroReservedConcurrency records with no responseContext', async () => {
    const r = await run({
      name: 'zero',
      duration: '5s',
      functions: { off: { reservedConcurrentExecutions: 0, onFailure: 'audit', deadLetterQueue: 'dead' }, audit: {} },
      topics: { dead: {} },
      traffic: [{ invoke: 'off', type: 'Event', count: 2, rate: 10, body: (i) => ({ i }) }],
    });
    expect(r.of('invoke.start').filter((e) => e.fn === 'off')).toHaveLength(0);
    expect(r.of('throttle')).toHaveLength(0);
    expect(r.of('async.retry')).toHaveLength(0);
    const failures = r.of('deliver').filter((d) => d.kind === 'onFailure');
    expect(failures).toHaveLength(2);
    for (const [k, d] of failures.entries()) {
      const p = d.payload as any;
      expect(Object.keys(p)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload']);
      expect(p.requestContext).toMatchObject({ condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 });
      expect(p.requestPayload).toEqual({ i: k });
      // Accepted and failed in the same tick: failure handling at once.
      expect(d.t).toBe(r.of('record.put').filter((e) => e.source === 'async:off')[k].t);
    }
    expect(r.of('deliver').filter((d) => d.kind === 'dlq').map((d) => d.condition)).toEqual(['ZeroReservedConcurrency', 'ZeroReservedConcurrency']);
    expect(r.summary.sources['async:off']).toMatchObject({ put: 2, failed: 2, failedTo: { audit: 2 } });
  });
});

describe('the async view state (state.modules.async)', () => {
  it('shows queue depth, scheduled retries, the oldest event age and the next retries', async () => {
    const r = await run(failing(), { untilMs: 30_000 });
    const view = r.sim.state.modules.async as AsyncViewState;
    const row = view.functions.bad;
    expect(row).toMatchObject({ fn: 'bad', queueDepth: 0, scheduledRetries: 1, inFlight: 0 });
    expect(row.oldestEventAgeMs).toBeGreaterThan(29_000);
    const retry = r.of('async.retry')[0];
    expect(row.nextRetries).toEqual([{ eventId: retry.eventId, attempt: 2, at: retry.at, reason: 'error' }]);
  });

  it('inspects an event id to its payload', async () => {
    const r = await run(failing());
    const eventId = r.of('record.put').find((e) => e.source === 'async:bad')!.id;
    expect(r.sim.inspect('async', eventId)).toEqual({ orderId: 0 });
  });
});

describe('accounting: every async event ends delivered, failed to a destination/DLQ/dropped, or still waiting', () => {
  it('closes across random async scenarios', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          retryAttempts: fc.integer({ min: 0, max: 2 }),
          maxEventAgeS: fc.integer({ min: 60, max: 400 }),
          reserved: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          errorRate: fc.double({ min: 0, max: 1, noNaN: true }),
          throttleRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
          durationMs: fc.integer({ min: 50, max: 3_000 }),
          count: fc.integer({ min: 1, max: 40 }),
          rate: fc.integer({ min: 1, max: 20 }),
          onFailure: fc.constantFrom(undefined, 'audit'),
          dlq: fc.constantFrom(undefined, 'dead'),
          onSuccess: fc.constantFrom(undefined, 'audit'),
          runS: fc.integer({ min: 5, max: 400 }),
        }),
        async (p) => {
          const r = await run(
            {
              name: 'random async',
              seed: p.seed,
              duration: `${p.runS}s`,
              functions: {
                fn: {
                  duration: `${p.durationMs}ms`,
                  timeout: '2s',
                  retryAttempts: p.retryAttempts,
                  maxEventAge: `${p.maxEventAgeS}s`,
                  ...(p.reserved !== undefined ? { reservedConcurrentExecutions: p.reserved } : {}),
                  ...(p.onFailure ? { onFailure: p.onFailure } : {}),
                  ...(p.onSuccess ? { onSuccess: p.onSuccess } : {}),
                  ...(p.dlq ? { deadLetterQueue: p.dlq } : {}),
                },
                audit: {},
                reader: {},
              },
              topics: { dead: { subscriptions: ['reader'] } },
              traffic: [{ invoke: 'fn', type: 'Event', count: p.count, rate: p.rate }],
              faults: [
                { function: 'fn', kind: 'error', rate: p.errorRate },
                { function: 'fn', kind: 'throttle', rate: p.throttleRate },
              ],
            },
          );
          const accounting = r.sim.checkAccounting();
          expect(accounting.problems).toEqual([]);
          const s = r.summary.sources['async:fn'];
          expect(s.succeeded + s.failed + s.waiting + s.inFlight).toBe(s.put);
          expect(s.expired + s.filtered).toBe(0);
          const failedTo = Object.entries(s.failedTo);
          expect(failedTo.reduce((n, [, k]) => n + k, 0)).toBe(s.failed);
          const expectedTo = p.onFailure ?? (p.dlq ? `dlq:${p.dlq}` : 'dropped');
          for (const [to] of failedTo) expect(to).toBe(expectedTo);
          const delivers = r.of('deliver').filter((d) => d.fn === 'fn');
          expect(delivers.filter((d) => d.kind === 'onFailure')).toHaveLength(p.onFailure ? s.failed : 0);
          expect(delivers.filter((d) => d.kind === 'dlq')).toHaveLength(p.dlq ? s.failed : 0);
          expect(delivers.filter((d) => d.kind === 'onSuccess')).toHaveLength(p.onSuccess ? s.succeeded : 0);
          // Attempts never exceed retryAttempts + 1, and retries never come sooner than 60 s / 120 s.
          const attempts = new Map<string, number>();
          for (const st of r.of('invoke.start').filter((e) => e.fn === 'fn')) {
            const id = st.records![0];
            attempts.set(id, (attempts.get(id) ?? 0) + 1);
            expect(st.attempt).toBe(attempts.get(id));
          }
          for (const n of attempts.values()) expect(n).toBeLessThanOrEqual(p.retryAttempts + 1);
          if (p.reserved === 0) expect(attempts.size).toBe(0);
          // No try starts after maxEventAge, whether the event waited in the queue or backed off, so a
          // failure comes at most one run (cold start + timeout) and a tick after it.
          const putAt = new Map(r.of('record.put').filter((e) => e.source === 'async:fn').map((e) => [e.id, e.t]));
          for (const d of delivers.filter((x) => x.condition === 'EventAgeExceeded' && x.kind === 'onFailure')) {
            const id = (d.payload as { requestContext: { requestId: string } }).requestContext.requestId;
            expect(d.t - putAt.get(id)!).toBeLessThanOrEqual(p.maxEventAgeS * 1000 + 300 + 2_000 + 100);
          }
          for (const st of r.of('invoke.start').filter((e) => e.fn === 'fn')) {
            expect(st.t - putAt.get(st.records![0])!).toBeLessThanOrEqual(p.maxEventAgeS * 1000 + 100);
          }
          for (const e of r.of('async.retry')) {
            const delay = e.at - e.t;
            if (e.reason === 'error') expect([60_000, 120_000]).toContain(delay);
            else expect(delay).toBeLessThanOrEqual(300_000);
          }
        },
      ),
      { numRuns: 50 },
    );
  }, 60_000);
});

describe('at-least-once delivery (docs/aws-rules.md §2): duplicates when a scenario asks for them', () => {
  it('runs a succeeded event again with the same request id, and books it once', async () => {
    const seen: string[] = [];
    const r = await run({
      name: 'dupes',
      duration: '2m',
      functions: { fn: { duplicateRate: 0.5, handler: (_e: unknown, c: { awsRequestId: string }) => void seen.push(c.awsRequestId) } },
      traffic: [{ invoke: 'fn', type: 'Event', rate: 2, count: 40 }],
    });
    const dupes = r.of('async.duplicate');
    expect(dupes.length).toBeGreaterThan(5);
    expect(dupes.length).toBeLessThan(35);
    expect(seen.length).toBe(40 + dupes.length);
    const again = dupes[0].eventId;
    expect(seen.filter((id) => id === again)).toHaveLength(2);
    expect(r.summary.sources['async:fn']).toMatchObject({ put: 40, succeeded: 40 });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('never duplicates by default', async () => {
    const r = await run({ name: 'none', duration: '1m', functions: { fn: {} }, traffic: [{ invoke: 'fn', type: 'Event', rate: 5, count: 100 }] });
    expect(r.of('async.duplicate')).toHaveLength(0);
  });
});

describe('inspecting an asynchronous invocation while it runs', () => {
  it('finds the event under the request id the invocation runs with, whatever produced it', async () => {
    const sim = createSimulation(
      modelOf({
        name: 'inspect',
        duration: '10s',
        functions: { fn: { duration: '2s' } },
        topics: { t: { subscriptions: ['fn'] } },
        traffic: [{ to: 't', count: 1, body: () => ({ hello: 1 }) }],
      }),
    );
    while (Object.keys(sim.state.inFlight).length === 0) await sim.step();
    const [inv] = Object.values(sim.state.inFlight);
    expect(inv.trigger).toBe('async');
    const event = sim.inspect('async', inv.requestId) as { Records: Array<{ Sns: { Message: string } }> };
    expect(JSON.parse(event.Records[0].Sns.Message)).toEqual({ hello: 1 });
  });
});
