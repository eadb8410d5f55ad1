import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../../src/engine/aws/format.js';
import { DEFAULT_EPOCH_MS } from '../../../src/engine/simulation.js';
import type { SqsViewState } from '../../../src/engine/sources/sqs.js';
import type { TraceEvent } from '../../../src/engine/trace.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { modelOf, run } from '../../helpers/run.js';

type Put = Extract<TraceEvent, { type: 'record.put' }>;
type Start = Extract<TraceEvent, { type: 'invoke.start' }>;

/** The trace's invoke.start events that carried a message id. */
function startsOf(trace: TraceEvent[], id: string): Start[] {
  return trace.filter((e): e is Start => e.type === 'invoke.start' && (e.records ?? []).includes(id));
}

function putIds(trace: TraceEvent[], source: string): string[] {
  return trace.filter((e): e is Put => e.type === 'record.put' && e.source === source).map((e) => e.id);
}

describe('SQS messages as Lambda receives them (docs/aws-rules.md §7)', () => {
  it('delivers the AWS record shape, field by field, on the first receive', async () => {
    const events: SQSEvent[] = [];
    const r = await run({
      name: 'shape',
      duration: '2s',
      functions: { f: { handler: (e: SQSEvent) => void events.push(structuredClone(e)) } },
      queues: { q: {} },
      eventSourceMappings: [{ source: 'q', function: 'f' }],
      traffic: [{ to: 'q', count: 1 }],
    });
    const [put] = r.of('record.put');
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0])).toEqual(['Records']);
    const rec = events[0].Records[0];
    expect(Object.keys(rec)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(rec.messageId).toBe(put.id);
    expect(rec.receiptHandle).toMatch(/^AQEB[A-Za-z0-9+/=]+$/);
    expect(rec.body).toBe('{"n":0}');
    expect(rec.attributes.ApproximateReceiveCount).toBe('1');
    expect(rec.attributes.SentTimestamp).toBe(String(DEFAULT_EPOCH_MS));
    // Sent and received in the same millisecond (exact time: no tick between them, docs/time.md).
    expect(rec.attributes.ApproximateFirstReceiveTimestamp).toBe(String(DEFAULT_EPOCH_MS));
    expect(rec.attributes.SenderId).toMatch(/^AIDA[0-9A-F]{17}$/);
    expect(rec.messageAttributes).toEqual({});
    expect(rec.md5OfBody).toBe(md5Hex('{"n":0}'));
    expect(rec.eventSource).toBe('aws:sqs');
    expect(rec.eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:q');
    expect(rec.awsRegion).toBe('us-east-1');
  });

  it('gives FIFO messages MessageGroupId, SequenceNumber and MessageDeduplicationId, and puts name the group', async () => {
    const records: SQSRecord[] = [];
    const r = await run({
      name: 'fifo shape',
      duration: '3s',
      functions: { f: { handler: (e: SQSEvent) => void records.push(...e.Records) } },
      queues: { 'q.fifo': { fifo: true, contentBasedDeduplication: true } },
      eventSourceMappings: [{ source: 'q.fifo', function: 'f' }],
      traffic: [{ to: 'q.fifo', count: 2, rate: 10, messageGroups: ['a', 'b'] }],
    });
    expect(r.of('record.put').map((p) => p.group)).toEqual(['a', 'b']);
    expect(records.map((x) => x.attributes.MessageGroupId)).toEqual(['a', 'b']);
    expect(records.map((x) => x.attributes.SequenceNumber)).toEqual(['18000000000000000000', '18000000000000000001']);
    expect(records[0].attributes.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(records[0].eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:q.fifo');
  });

  it('hands out a new receipt handle on every receive', async () => {
    const handles: string[] = [];
    await run({
      name: 'receipts',
      duration: '25s',
      functions: {
        f: {
          handler: (e: SQSEvent) => {
            handles.push(e.Records[0].receiptHandle);
            throw new Error('again');
          },
        },
      },
      queues: { q: { visibilityTimeout: '5s' } },
      eventSourceMappings: [{ source: 'q', function: 'f' }],
      traffic: [{ to: 'q', count: 1 }],
    });
    expect(handles.length).toBeGreaterThanOrEqual(4);
    expect(new Set(handles).size).toBe(handles.length);
  });
});

describe('visibility timeout and receive counts (docs/aws-rules.md §3.2)', () => {
  const poison: Scenario = {
    name: 'poison',
    duration: '60s',
    functions: { f: { duration: '200ms', timeout: '3s', coldStart: '0ms' } },
    queues: { q: { visibilityTimeout: '10s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 3 } }, dlq: {} },
    eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 1 }],
    traffic: [{ to: 'q', count: 1 }],
    faults: [{ function: 'f', kind: 'error' }],
  };

  it('makes a failed message visible again when the visibility timeout of its receive ends, with its receive count', async () => {
    const r = await run(poison);
    const [id] = putIds(r.trace, 'q');
    const starts = startsOf(r.trace, id);
    // Received at 0 ms, as it is sent; invisible for 10 s from the receive, not from the failure.
    expect(starts.map((s) => s.t)).toEqual([0, 10_000, 20_000]);
    expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(r.of('sqs.visible').map((v) => [v.t, v.receiveCount])).toEqual([
      [10_000, 1],
      [20_000, 2],
      [30_000, 3],
    ]);
  });

  it('counts ApproximateReceiveCount up by one on each receive and keeps ApproximateFirstReceiveTimestamp', async () => {
    const seen: Array<[string, string]> = [];
    await run({
      ...poison,
      functions: {
        f: {
          coldStart: '0ms',
          handler: (e: SQSEvent) => {
            seen.push([e.Records[0].attributes.ApproximateReceiveCount, e.Records[0].attributes.ApproximateFirstReceiveTimestamp]);
            throw new Error('poison');
          },
        },
      },
      faults: [],
    });
    expect(seen).toEqual([
      ['1', String(DEFAULT_EPOCH_MS)],
      ['2', String(DEFAULT_EPOCH_MS)],
      ['3', String(DEFAULT_EPOCH_MS)],
    ]);
  });

  it('deletes a successful batch: sqs.delete names exactly the ids the invocation received', async () => {
    const r = await run({
      name: 'ok',
      duration: '5s',
      functions: { f: { duration: '100ms' } },
      queues: { q: {} },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 10 }],
      traffic: [{ to: 'q', count: 30, rate: 1000 }],
    });
    const starts = r.of('invoke.start');
    const deletes = r.of('sqs.delete');
    expect(deletes.map((d) => d.ids)).toEqual(starts.map((s) => s.records));
    expect(r.summary.sources.q).toMatchObject({ put: 30, succeeded: 30, waiting: 0, inFlight: 0 });
    expect(r.of('sqs.visible')).toHaveLength(0);
  });

  it('makes a whole batch reappear when the function errors or times out', async () => {
    const r = await run({
      name: 'batch fails',
      duration: '12s',
      functions: { f: { duration: '100ms', timeout: '1s' } },
      queues: { q: { visibilityTimeout: '5s' } },
      // The window gathers the three (1 ms apart) into one batch, which closes when it is full.
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 3, maxBatchingWindow: '1s' }],
      traffic: [{ to: 'q', count: 3, rate: 1000 }],
      faults: [{ function: 'f', kind: 'timeout', until: '1s' }],
    });
    const first = r.of('invoke.start')[0];
    expect(r.of('invoke.end')[0].outcome).toBe('timeout');
    expect(r.of('sqs.visible').map((v) => v.id)).toEqual(first.records);
    // Visible again 5 s after the receive that opened the batch at 0 ms (not after the invoke at 2 ms).
    expect(r.of('sqs.visible').every((v) => v.t === 5_000)).toBe(true);
    expect(r.of('sqs.delete').flatMap((d) => d.ids).sort()).toEqual([...first.records!].sort());
  });
});

describe('redrive policy (docs/aws-rules.md §3.2)', () => {
  it('moves a message to the dead-letter queue on the receive attempt after maxReceiveCount receives', async () => {
    const r = await run({
      name: 'redrive',
      duration: '60s',
      functions: { f: { duration: '200ms', coldStart: '0ms' } },
      queues: { q: { visibilityTimeout: '10s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 3 } }, dlq: {} },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 1 }],
      traffic: [{ to: 'q', count: 1 }],
      faults: [{ function: 'f', kind: 'error' }],
    });
    const [id] = putIds(r.trace, 'q');
    // The function sees it exactly maxReceiveCount times; it moves when it would be received a 4th time.
    expect(startsOf(r.trace, id)).toHaveLength(3);
    const redrives = r.of('sqs.redrive');
    expect(redrives).toEqual([{ t: 30_000, type: 'sqs.redrive', queue: 'q', dlq: 'dlq', id }]);
    // A new message in the dead-letter queue's ledger, with the same messageId.
    expect(putIds(r.trace, 'dlq')).toEqual([id]);
    expect(r.summary.sources.q).toMatchObject({ put: 1, failed: 1, failedTo: { 'dlq:dlq': 1 } });
    expect(r.summary.sources.dlq).toMatchObject({ put: 1, waiting: 1 });
    expect(r.sim.checkAccounting().ok).toBe(true);
  });

  it('redrives with maxReceiveCount 1 after a single failed receive', async () => {
    const r = await run({
      name: 'redrive 1',
      duration: '30s',
      functions: { f: { coldStart: '0ms' } },
      queues: { q: { visibilityTimeout: '5s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 1 } }, dlq: {} },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 1 }],
      traffic: [{ to: 'q', count: 1 }],
      faults: [{ function: 'f', kind: 'error' }],
    });
    expect(r.of('invoke.start')).toHaveLength(1);
    expect(r.of('sqs.redrive').map((e) => e.t)).toEqual([5_000]);
  });

  it('feeds a dead-letter queue with its own mapping, which receives the message with receive count 1', async () => {
    const counts: string[] = [];
    const r = await run({
      name: 'dlq consumer',
      duration: '40s',
      functions: {
        f: { coldStart: '0ms' },
        inspector: { coldStart: '0ms', handler: (e: SQSEvent) => void counts.push(e.Records[0].attributes.ApproximateReceiveCount) },
      },
      queues: { q: { visibilityTimeout: '5s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 2 } }, dlq: {} },
      eventSourceMappings: [
        { source: 'q', function: 'f', batchSize: 1 },
        { source: 'dlq', function: 'inspector' },
      ],
      traffic: [{ to: 'q', count: 1 }],
      faults: [{ function: 'f', kind: 'error' }],
    });
    expect(counts).toEqual(['1']);
    expect(r.summary.sources.dlq).toMatchObject({ put: 1, succeeded: 1 });
  });
});

describe('partial batch responses (docs/aws-rules.md §3.2, ReportBatchItemFailures)', () => {
  /** Sends 4 messages as one batch; the handler answers the first invocation with `answer(event)`. */
  async function partial(answer: (e: SQSEvent) => unknown, reportBatchItemFailures = true) {
    let calls = 0;
    const r = await run({
      name: 'partial',
      duration: '8s',
      functions: { f: { coldStart: '0ms', handler: (e: SQSEvent) => (calls++ === 0 ? answer(e) : null) } },
      queues: { q: { visibilityTimeout: '5s' } },
      // The window gathers the four (1 ms apart) into one batch, which closes when it is full.
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 4, maxBatchingWindow: '1s', reportBatchItemFailures }],
      traffic: [{ to: 'q', count: 4, rate: 1000 }],
    });
    const first = r.of('invoke.start')[0];
    const reappeared = r.of('sqs.visible').map((v) => v.id);
    return { r, ids: first.records!, reappeared };
  }

  it('returns only the listed messages to the queue and deletes the rest', async () => {
    const { r, ids, reappeared } = await partial((e) => ({ batchItemFailures: [{ itemIdentifier: e.Records[2].messageId }] }));
    expect(reappeared).toEqual([ids[2]]);
    expect(r.of('sqs.delete')[0].ids).toEqual([ids[0], ids[1], ids[3]]);
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'partial', failed: [ids[2]] });
  });

  it.each([
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
    ['an empty response', {}],
    ['a null response', null],
  ])('treats %s as complete success', async (_label, response) => {
    const { r, ids, reappeared } = await partial(() => response);
    expect(reappeared).toEqual([]);
    expect(r.of('sqs.delete')[0].ids).toEqual(ids);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a wrong key name', { batchItemFailures: [{ id: 'x' }] }],
    ['an id not in the batch', { batchItemFailures: [{ itemIdentifier: 'not-a-message' }] }],
  ])('fails the whole batch on %s', async (_label, response) => {
    const { r, ids, reappeared } = await partial(() => response);
    expect(reappeared).toEqual(ids);
    expect(r.of('sqs.delete').flatMap((d) => d.ids).sort()).toEqual([...ids].sort()); // the retry succeeds
    // Received from 0 ms (the batch opened then), visible and received again 5 s later.
    expect(r.of('invoke.start')[1].t).toBe(5_000);
  });

  it('ignores a batchItemFailures response when the mapping does not report batch item failures', async () => {
    const { r, ids, reappeared } = await partial((e) => ({ batchItemFailures: [{ itemIdentifier: e.Records[0].messageId }] }), false);
    expect(reappeared).toEqual([]);
    expect(r.of('sqs.delete')[0].ids).toEqual(ids);
  });

  it('fails the whole batch when the function throws, even with ReportBatchItemFailures', async () => {
    const { ids, reappeared } = await partial(() => {
      throw new Error('boom');
    });
    expect(reappeared).toEqual(ids);
  });
});

describe('filters (docs/aws-rules.md §3.1: non-matching SQS messages are deleted)', () => {
  it('deletes messages that match no filter before batching, and never invokes with them', async () => {
    const r = await run({
      name: 'filters',
      duration: '5s',
      functions: { f: {} },
      queues: { q: {} },
      eventSourceMappings: [{ source: 'q', function: 'f', filters: [{ body: { kind: ['keep'] } }] }],
      traffic: [{ to: 'q', count: 10, rate: 100, body: (i) => ({ kind: i % 2 === 0 ? 'keep' : 'drop', i }) }],
    });
    const ids = putIds(r.trace, 'q');
    const dropped = ids.filter((_, i) => i % 2 === 1);
    expect(r.of('record.filtered').map((e) => e.id)).toEqual(dropped);
    const invoked = r.of('invoke.start').flatMap((s) => s.records!);
    expect(invoked).toEqual(ids.filter((_, i) => i % 2 === 0));
    expect(r.summary.sources.q).toMatchObject({ put: 10, filtered: 5, succeeded: 5 });
  });
});

describe('delivery delay and retention (SQS queue facts)', () => {
  it('keeps a message invisible for the delivery delay after it is sent', async () => {
    const r = await run({
      name: 'delay',
      duration: '10s',
      functions: { f: {} },
      queues: { q: { deliveryDelay: '3s' } },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 1 }],
      traffic: [{ to: 'q', count: 3, rate: 1 }],
    });
    const puts = r.of('record.put');
    const starts = r.of('invoke.start');
    expect(puts.map((p) => p.t)).toEqual([0, 1_000, 2_000]);
    // Sent at 0, 1 s and 2 s: visible at 3 s, 4 s and 5 s.
    expect(starts.map((s) => s.t)).toEqual([3_000, 4_000, 5_000]);
  });

  it('shows delayed messages in the view state', async () => {
    const r = await run(
      {
        name: 'delay view',
        duration: '10s',
        functions: { f: {} },
        queues: { q: { deliveryDelay: '5s' } },
        eventSourceMappings: [{ source: 'q', function: 'f' }],
        traffic: [{ to: 'q', count: 4, rate: 100 }],
      },
      { untilMs: 1_000 },
    );
    const view = r.sim.state.modules.sqs as SqsViewState;
    expect(view.queues.q).toMatchObject({ delayed: 4, visible: 0, inFlight: 0 });
  });

  it('expires messages past the retention period from SentTimestamp when nobody consumes them', async () => {
    const r = await run({
      name: 'retention',
      duration: '3m',
      functions: { f: {} },
      queues: { q: { retentionPeriod: '60s' } },
      eventSourceMappings: [{ source: 'q', function: 'f', enabled: false }],
      traffic: [{ to: 'q', count: 3, rate: 1 }],
    });
    expect(r.of('record.expired').map((e) => [e.t, e.id])).toEqual(putIds(r.trace, 'q').map((id, i) => [60_000 + i * 1_000, id]));
    expect(r.summary.sources.q).toMatchObject({ put: 3, expired: 3, waiting: 0 });
    expect(r.of('invoke.start')).toHaveLength(0);
  });

  it('expires a failing message that is invisible at its retention deadline when it would become visible', async () => {
    const r = await run({
      name: 'retention while invisible',
      duration: '3m',
      functions: { f: { coldStart: '0ms' } },
      queues: { q: { retentionPeriod: '60s', visibilityTimeout: '25s' } },
      eventSourceMappings: [{ source: 'q', function: 'f' }],
      traffic: [{ to: 'q', count: 1 }],
      faults: [{ function: 'f', kind: 'error' }],
    });
    // Received at 0 s, 25 s, 50 s; invisible until 75 s, past its 60 s retention.
    expect(r.of('invoke.start').map((s) => s.t)).toEqual([0, 25_000, 50_000]);
    expect(r.of('record.expired').map((e) => e.t)).toEqual([75_000]);
    expect(r.of('sqs.visible')).toHaveLength(2);
  });

  it("keeps a standard message's original timestamp in the dead-letter queue, so it expires there early", async () => {
    const r = await run({
      name: 'dlq retention',
      duration: '3m',
      functions: { f: { coldStart: '0ms' } },
      queues: { q: { visibilityTimeout: '30s', deadLetterQueue: { queue: 'dlq', maxReceiveCount: 1 } }, dlq: { retentionPeriod: '60s' } },
      eventSourceMappings: [{ source: 'q', function: 'f' }],
      traffic: [{ to: 'q', count: 1 }],
      faults: [{ function: 'f', kind: 'error' }],
    });
    expect(r.of('sqs.redrive').map((e) => e.t)).toEqual([30_000]);
    // Sent at 0: the dead-letter queue's 60 s retention counts from then, not from the move.
    expect(r.of('record.expired')).toEqual([{ t: 60_000, type: 'record.expired', source: 'dlq', id: putIds(r.trace, 'q')[0] }]);
  });
});

describe('batching (docs/aws-rules.md §3.1)', () => {
  it('closes a batch at the end of the batching window when it does not fill', async () => {
    const r = await run({
      name: 'window',
      duration: '10s',
      functions: { f: { timeout: '3s' } },
      queues: { q: { visibilityTimeout: '30s' } },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 100, maxBatchingWindow: '2s' }],
      traffic: [{ to: 'q', count: 15, rate: 10 }],
    });
    const starts = r.of('invoke.start');
    // The window opens with the first message at 0 and closes 2 s later.
    expect(starts[0].t).toBe(2_000);
    expect(starts[0].records).toHaveLength(15);
  });

  it('closes a batch at batchSize before the window ends', async () => {
    const r = await run({
      name: 'window full',
      duration: '10s',
      functions: { f: {} },
      queues: { q: {} },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 20, maxBatchingWindow: '5s' }],
      traffic: [{ to: 'q', count: 20, rate: 100 }],
    });
    const starts = r.of('invoke.start');
    expect(starts.map((s) => s.records!.length)).toEqual([20]);
    expect(starts[0].t).toBeLessThan(1_000);
  });

  it('closes a batch at 6 MB of payload', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const r = await run({
      name: 'bytes',
      duration: '10s',
      functions: { f: {} },
      queues: { q: {} },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 100, maxBatchingWindow: '1s' }],
      traffic: [{ to: 'q', count: 12, rate: 1000, body: () => big }],
    });
    // Each body is 1 MiB: six make exactly 6 MiB, a seventh would pass the limit.
    expect(r.of('invoke.start').map((s) => s.records!.length)).toEqual([6, 6]);
  });

  it('extends the visibility timeout to window + timeout + 30 s when they exceed it', async () => {
    const r = await run({
      name: 'effective visibility',
      duration: '2m',
      functions: { f: { timeout: '20s', coldStart: '0ms' } },
      queues: { q: { visibilityTimeout: '30s' } },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 20, maxBatchingWindow: '15s' }],
      traffic: [{ to: 'q', count: 1 }],
      faults: [{ function: 'f', kind: 'error', until: '20s' }],
    });
    const view = r.sim.state.modules.sqs as SqsViewState;
    expect(view.mappings['esm-0'].visibilityMs).toBe(65_000);
    // Received at 0 s (the window opens), invoked at 15 s, visible again at 65 s.
    expect(r.of('invoke.start')[0].t).toBe(15_000);
    expect(r.of('sqs.visible').map((v) => v.t)).toEqual([65_000]);
  });
});

describe('a function timeout above the visibility timeout is refused (docs/aws-rules.md §3.2)', () => {
  const base: Scenario = {
    name: 'timeout vs visibility',
    functions: { f: { timeout: '31s' } },
    queues: { q: { visibilityTimeout: '30s' } },
    eventSourceMappings: [{ source: 'q', function: 'f' }],
  };

  it('refuses the mapping, naming the timeout, the visibility timeout and the queue', () => {
    const { model, errors } = validateScenario(base, 's.ts');
    expect(model).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('eventSourceMappings[0].function');
    expect(errors[0].message).toContain('timeout 31s');
    expect(errors[0].message).toContain("visibility timeout 30s of queue 'q'");
  });

  it('accepts a timeout equal to the visibility timeout', () => {
    expect(() => modelOf({ ...base, functions: { f: { timeout: '30s' } } })).not.toThrow();
  });
});

describe('processing that outlasts the visibility timeout (docs/aws-rules.md §3.2)', () => {
  it('lets a second poller receive the message while the first invocation still runs: a duplicate', async () => {
    const r = await run({
      name: 'too short',
      duration: '30s',
      functions: { f: { duration: '9.5s', timeout: '10s', coldStart: '1s' } },
      queues: { q: { visibilityTimeout: '10s' } },
      eventSourceMappings: [{ source: 'q', function: 'f', batchSize: 1 }],
      traffic: [{ to: 'q', count: 1 }],
    });
    const [id] = putIds(r.trace, 'q');
    const starts = startsOf(r.trace, id);
    // 1 s cold start + 9.5 s run > 10 s visibility: the message reappears at 10 s and a second poller
    // receives it (a new, cold environment, since the first is busy); that one outlasts its visibility
    // too, and the third receive (warm, 9.5 s) is the first to finish within its visibility timeout.
    expect(starts.map((s) => s.t)).toEqual([0, 10_000, 20_000]);
    expect(r.of('invoke.end').map((e) => [e.t, e.outcome])).toEqual([
      [10_500, 'success'],
      [20_500, 'success'],
      [29_500, 'success'],
    ]);
    expect(r.of('sqs.visible').map((v) => [v.t, v.receiveCount])).toEqual([
      [10_000, 1],
      [20_000, 2],
    ]);
    // Stale receipts delete nothing: only the last receive's success deletes the message.
    expect(r.of('sqs.delete')).toEqual([{ t: 29_500, type: 'sqs.delete', queue: 'q', ids: [id] }]);
    expect(r.summary.sources.q).toMatchObject({ put: 1, succeeded: 1 });
  });
});
