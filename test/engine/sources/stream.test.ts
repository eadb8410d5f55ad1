import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dynamodbSequenceNumber } from '../../../src/engine/aws/dynamodb.js';
import { laneForPartitionKey, sequenceNumber, shardIndexForPartitionKey } from '../../../src/engine/aws/kinesis.js';
import { retryDelayMs, type StreamViewState } from '../../../src/engine/sources/stream.js';
import { itemChange, sequenceFormatter } from '../../../src/engine/sources/stream/records.js';
import type { TraceEvent } from '../../../src/engine/trace.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { run } from '../../helpers/run.js';

const EPOCH = Date.UTC(2025, 0, 1);
type Ev<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>;

/** One shard, a poison record at index `poison`, batches of 8 gathered over 10 s. */
function poisoned(overrides: Partial<Scenario['eventSourceMappings'] extends (infer E)[] | undefined ? E : never> = {}, extra: Partial<Scenario> = {}): Scenario {
  return {
    name: 'poison',
    duration: '2m',
    functions: { p: { duration: '100ms' } },
    streams: { s: { shardCount: 1 } },
    queues: { dlq: {} },
    eventSourceMappings: [{ source: 's', function: 'p', batchSize: 8, maxBatchingWindow: '10s', onFailure: 'dlq', ...overrides }],
    traffic: [{ to: 's', rate: 8, count: 8, partitionKeys: 2 }],
    faults: [{ function: 'p', kind: 'error', match: { index: 5 } }],
    ...extra,
  };
}

function starts(trace: TraceEvent[]): Array<Ev<'invoke.start'>> {
  return trace.filter((e): e is Ev<'invoke.start'> => e.type === 'invoke.start' && e.trigger === 'esm');
}

describe('records on shards (docs/aws-rules.md §3.4, 7)', () => {
  it('places each record on the shard that owns the MD5 hash of its partition key, with sequence numbers growing per shard', async () => {
    const r = await run({ name: 'put', duration: '5s', functions: { p: {} }, streams: { s: { shardCount: 4 } }, traffic: [{ to: 's', rate: 20, count: 40, partitionKeys: 10 }] });
    const puts = r.of('record.put');
    expect(puts).toHaveLength(40);
    const perShard = new Map<string, number>();
    for (const e of puts) {
      const shard = shardIndexForPartitionKey(e.partitionKey!, 4);
      expect(e.shard).toBe(`shardId-${String(shard).padStart(12, '0')}`);
      const n = perShard.get(e.shard!) ?? 0;
      expect(e.id).toBe(sequenceNumber(shard, n));
      perShard.set(e.shard!, n + 1);
    }
  });

  it('formats sequence numbers exactly as the aws builders do', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 2 ** 40 }), (shard, n) => {
        expect(sequenceFormatter('kinesis', shard)(n)).toBe(sequenceNumber(shard, n));
        expect(sequenceFormatter('dynamodb', shard)(n)).toBe(dynamodbSequenceNumber(shard, n));
      }),
    );
  });

  it('delivers Kinesis records with base64 data and eventID shardId:sequenceNumber', async () => {
    const events: any[] = [];
    const r = await run({
      name: 'shape',
      duration: '3s',
      functions: { p: { handler: (e: unknown) => void events.push(e) } },
      streams: { s: { shardCount: 1 } },
      eventSourceMappings: [{ source: 's', function: 'p' }],
      traffic: [{ to: 's', count: 1, partitionKeys: ['k'], body: () => ({ hello: 'world' }) }],
    });
    expect(events).toHaveLength(1);
    const putT = r.of('record.put')[0].t;
    const rec = events[0].Records[0];
    expect(rec).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'k',
        sequenceNumber: sequenceNumber(0, 0),
        data: Buffer.from('{"hello":"world"}').toString('base64'),
        approximateArrivalTimestamp: (EPOCH + putT) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${sequenceNumber(0, 0)}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/p-role',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
    });
  });

  it('maps a table traffic body to INSERT, MODIFY or REMOVE with the images the view type keeps', async () => {
    expect(itemChange({ id: 'a', n: 1 }, 'id', 'k')).toMatchObject({ eventName: 'INSERT', keys: { id: 'a' }, newImage: { id: 'a', n: 1 }, partitionKey: 'a' });
    expect(itemChange({ oldImage: { id: 'a', n: 1 }, newImage: { id: 'a', n: 2 } }, 'id', 'k').eventName).toBe('MODIFY');
    expect(itemChange({ oldImage: { id: 'a' } }, 'id', 'k').eventName).toBe('REMOVE');
    expect(itemChange({ n: 1 }, 'id', 'key-3')).toMatchObject({ keys: { id: 'key-3' }, newImage: { id: 'key-3', n: 1 } });
    const events: any[] = [];
    await run({
      name: 'ddb',
      duration: '3s',
      functions: { p: { handler: (e: unknown) => void events.push(e) } },
      tables: { users: { partitionKey: 'id', streamViewType: 'NEW_AND_OLD_IMAGES' } },
      eventSourceMappings: [{ source: 'users', function: 'p' }],
      traffic: [{ to: 'users', count: 2, rate: 10, body: (i) => (i === 0 ? { id: 'u1', n: 1 } : { oldImage: { id: 'u1', n: 1 }, newImage: { id: 'u1', n: 2 } }) }],
    });
    const records = events.flatMap((e) => e.Records);
    expect(records.map((x: any) => x.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[1].dynamodb).toMatchObject({ Keys: { id: { S: 'u1' } }, OldImage: { id: { S: 'u1' }, n: { N: '1' } }, NewImage: { id: { S: 'u1' }, n: { N: '2' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(records[1].dynamodb.SequenceNumber).toBe(dynamodbSequenceNumber(0, 1));
  });

  it('trims records past the retention period: never-processed records expire', async () => {
    const r = await run({
      name: 'retention',
      duration: '25h',
      functions: { p: {} },
      streams: { s: { shardCount: 1, retentionPeriod: '24h' } },
      eventSourceMappings: [{ source: 's', function: 'p', enabled: false }],
      traffic: [{ to: 's', count: 3, rate: 1 }],
    });
    expect(r.of('record.expired').map((e) => e.t)).toEqual(r.of('record.put').map((e) => e.t + 86_400_000));
    expect(r.summary.sources.s.expired).toBe(3);
    expect(r.summary.accounting.ok).toBe(true);
  });
});

describe('polling (docs/aws-rules.md §3.4): Kinesis once a second per shard, DynamoDB four times', () => {
  it('starts Kinesis batches at most once a second on a shard when batches are small and fast', async () => {
    const r = await run({ name: 'poll', duration: '10s', functions: { p: { duration: '10ms' } }, streams: { s: { shardCount: 1 } }, eventSourceMappings: [{ source: 's', function: 'p' }], traffic: [{ to: 's', rate: 10 }] });
    const t = starts(r.trace).map((e) => e.t);
    for (let i = 1; i < t.length; i++) expect(t[i] - t[i - 1]).toBeGreaterThanOrEqual(1000);
  });

  it('polls DynamoDB streams every 250 ms', async () => {
    const r = await run({ name: 'poll', duration: '10s', tick: '50ms', functions: { p: { duration: '10ms' } }, tables: { t: { partitionKey: 'id' } }, eventSourceMappings: [{ source: 't', function: 'p' }], traffic: [{ to: 't', rate: 10 }] });
    // Ten records a second arrive; four polls a second each find two or three of them (a batch may also
    // start from records read while the previous batch ran).
    const t = starts(r.trace).map((e) => e.t);
    expect(t.length).toBeGreaterThan(30);
    expect(t.length).toBeLessThanOrEqual(41);
  });

  // with-kinesis.md (docs/fidelity.md): "Lambda emits the IteratorAge metric when your function finishes
  // processing a batch of records. The metric indicates how old the last record in the batch was when
  // processing finished."
  it('records IteratorAge as the age of the last record of each batch when the batch finishes', async () => {
    const r = await run(poisoned({}, { faults: [], traffic: [{ to: 's', rate: 1, count: 3, partitionKeys: 1 }] }));
    const s = starts(r.trace);
    expect(s).toHaveLength(1);
    // Records a second apart; the 10 s window closes 10 s after the first; the batch then runs, and when
    // it finishes the last record is 8 s old plus the run.
    const puts = r.of('record.put');
    expect(s[0].t).toBe(puts[0].t + 10_000);
    const [end] = r.of('invoke.end');
    expect(end.t).toBeGreaterThan(s[0].t);
    expect(r.summary.sources.s.peakAgeMs).toBe(end.t - puts[2].t);
  });
});

describe('errors block the shard (docs/aws-rules.md §3.4)', () => {
  it('retries the same batch retryAttempts times with backoff 1 s, 2 s, then sends RetryAttemptsExhausted with approximateInvokeCount = retries + 1', async () => {
    const r = await run(poisoned({ retryAttempts: 2 }));
    const s = starts(r.trace);
    expect(s.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(new Set(s.map((e) => e.batchId)).size).toBe(1);
    const ends = r.of('invoke.end');
    expect(s[1].t - ends[0].t).toBe(retryDelayMs(1));
    expect(s[2].t - ends[1].t).toBe(retryDelayMs(2));
    expect([retryDelayMs(1), retryDelayMs(2), retryDelayMs(10)]).toEqual([1000, 2000, 30_000]);
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    const p = d[0].payload as any;
    expect(d[0]).toMatchObject({ to: 'dlq', kind: 'onFailure', condition: 'RetryAttemptsExhausted', fn: 'p', source: 's' });
    expect(Object.keys(p)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(p.requestContext).toEqual({ requestId: s[2].requestId, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:p', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
    expect(p.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(p.version).toBe('1.0');
    expect(p.timestamp).toBe(new Date(EPOCH + d[0].t).toISOString());
    expect(p.KinesisBatchInfo).toEqual({
      shardId: 'shardId-000000000000',
      startSequenceNumber: sequenceNumber(0, 0),
      endSequenceNumber: sequenceNumber(0, 7),
      approximateArrivalOfFirstRecord: new Date(EPOCH + r.of('record.put')[0].t).toISOString(),
      approximateArrivalOfLastRecord: new Date(EPOCH + r.of('record.put')[7].t).toISOString(),
      batchSize: 8,
      streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
    });
    expect(r.summary.sources.s.failedTo).toEqual({ dlq: 8 });
  });

  it('drops the batch when no onFailure destination is set', async () => {
    const scenario = poisoned({ retryAttempts: 0, onFailure: undefined });
    delete scenario.queues;
    const r = await run(scenario);
    expect(r.of('deliver')).toHaveLength(0);
    expect(r.summary.sources.s.failedTo).toEqual({ dropped: 8 });
  });

  it('stops retrying when the oldest record passes maxRecordAge: RecordAgeExceeded without responseContext', async () => {
    const r = await run(poisoned({ maxRecordAge: '60s' }, { duration: '3m' }));
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    const p = d[0].payload as any;
    expect(d[0].condition).toBe('RecordAgeExceeded');
    expect(p.responseContext).toBeUndefined();
    expect(Object.keys(p)).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(p.requestContext.condition).toBe('RecordAgeExceeded');
    expect(d[0].t - 125).toBeGreaterThan(60_000);
    expect(p.requestContext.approximateInvokeCount).toBe(starts(r.trace).length);
  });

  it('does not spend retries on throttles', async () => {
    const r = await run(poisoned({ retryAttempts: 0 }, { faults: [{ function: 'p', kind: 'throttle', until: '15s' }] }));
    expect(r.of('throttle').length).toBeGreaterThan(0);
    expect(r.of('deliver')).toHaveLength(0);
    expect(r.summary.sources.s.succeeded).toBe(8);
  });

  it('keeps other shards flowing while one is blocked', async () => {
    const r = await run({
      name: 'blocked',
      duration: '60s',
      functions: { p: { duration: '50ms' } },
      streams: { s: { shardCount: 2 } },
      eventSourceMappings: [{ source: 's', function: 'p', batchSize: 10, retryAttempts: -1 }],
      traffic: [{ to: 's', rate: 10, partitionKeys: 8 }],
      faults: [{ function: 'p', kind: 'error', match: { index: 3 } }],
    });
    const put3 = r.of('record.put')[3];
    const other = r.of('checkpoint').filter((e) => e.shard !== put3.shard && e.t > 30_000);
    const blocked = r.of('checkpoint').filter((e) => e.shard === put3.shard && e.t > 5_000);
    expect(other.length).toBeGreaterThan(20);
    expect(blocked).toHaveLength(0);
    const view = r.sim.state.modules.stream as StreamViewState;
    const row = view.sources.s.shards.find((x) => x.shardId === put3.shard)!.consumers[0];
    expect(row.status).toBe('retrying');
    expect(row.maxAttempts).toBe(-1);
    expect(row.iteratorAgeMs).toBeGreaterThan(50_000);
  });
});

describe('bisectBatchOnError (docs/aws-rules.md §3.4): splits are not retries', () => {
  it('halves the failing batch down to the poison record, which alone goes to onFailure while its neighbours succeed', async () => {
    const r = await run(poisoned({ bisectBatchOnError: true, retryAttempts: 1 }));
    const bisects = r.of('batch.bisect');
    const byId = new Map(starts(r.trace).map((e) => [e.batchId!, e]));
    const sizeOf = (id: string) => byId.get(id)!.records!.length;
    // 8 → 4 + 4 → 2 + 2 → 1 + 1, always splitting the half that holds record 5.
    expect(bisects.map((b) => b.into.map(sizeOf))).toEqual([
      [4, 4],
      [2, 2],
      [1, 1],
    ]);
    for (let i = 1; i < bisects.length; i++) expect(bisects[i - 1].into).toContain(bisects[i].batchId);
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    const info = (d[0].payload as any).KinesisBatchInfo;
    expect(info.batchSize).toBe(1);
    expect(info.startSequenceNumber).toBe(sequenceNumber(0, 5));
    expect((d[0].payload as any).requestContext.approximateInvokeCount).toBe(2);
    expect(r.summary.sources.s.succeeded).toBe(7);
    expect(r.summary.sources.s.failedTo).toEqual({ dlq: 1 });
    // The lone poison batch ran once plus one retry; every other batch ran once.
    const poisonRuns = starts(r.trace).filter((e) => e.records?.length === 1 && e.records[0] === sequenceNumber(0, 5));
    expect(poisonRuns.map((e) => e.attempt)).toEqual([1, 2]);
  });

  it('keeps bisected halves in order: the lower half finishes before the upper half starts', async () => {
    const r = await run(poisoned({ bisectBatchOnError: true, retryAttempts: 0 }));
    const seqs = r.of('checkpoint').map((e) => e.sequenceNumber);
    expect([...seqs].sort()).toEqual(seqs);
  });
});

describe('reportBatchItemFailures (docs/aws-rules.md §3.4)', () => {
  it('checkpoints before the lowest failed sequence number and retries from there', async () => {
    const r = await run(poisoned({ reportBatchItemFailures: true, retryAttempts: 1 }, { faults: [{ function: 'p', kind: 'partial', match: { index: [5, 6] } }] }));
    const s = starts(r.trace);
    expect(s[0].records).toHaveLength(8);
    expect(s[1].records).toEqual([5, 6, 7].map((n) => sequenceNumber(0, n)));
    expect(r.of('checkpoint')[0].sequenceNumber).toBe(sequenceNumber(0, 4));
    const d = r.of('deliver');
    expect((d[0].payload as any).KinesisBatchInfo).toMatchObject({ startSequenceNumber: sequenceNumber(0, 5), endSequenceNumber: sequenceNumber(0, 7), batchSize: 3 });
    expect(r.summary.sources.s.succeeded).toBe(5);
  });

  it('fails the whole batch on an unknown item identifier', async () => {
    const r = await run(
      poisoned(
        { reportBatchItemFailures: true, retryAttempts: 0 },
        { faults: [], functions: { p: { duration: '100ms', handler: () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] }) } } },
      ),
    );
    expect((r.of('deliver')[0].payload as any).KinesisBatchInfo.batchSize).toBe(8);
  });

  it('with bisect, splits at the returned sequence number without spending a retry', async () => {
    const r = await run(poisoned({ reportBatchItemFailures: true, bisectBatchOnError: true, retryAttempts: 0 }, { faults: [{ function: 'p', kind: 'partial', match: { index: 5 } }] }));
    const s = starts(r.trace);
    expect(s[1].records![0]).toBe(sequenceNumber(0, 5));
    expect(s[1].batchId).not.toBe(s[0].batchId);
    // The record keeps failing first in its batch: bisect isolates it, then it fails with no retries.
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    expect((d[0].payload as any).KinesisBatchInfo).toMatchObject({ startSequenceNumber: sequenceNumber(0, 5), batchSize: 1 });
    expect(r.summary.sources.s.succeeded).toBe(7);
  });
});

describe('parallelizationFactor (docs/aws-rules.md §3.4): lanes per shard, one key per lane', () => {
  const scenario: Scenario = {
    name: 'parallel',
    duration: '60s',
    functions: { p: { duration: { p50: '300ms', p99: '2s' } } },
    streams: { s: { shardCount: 2 } },
    eventSourceMappings: [{ source: 's', function: 'p', batchSize: 5, parallelizationFactor: 4 }],
    traffic: [{ to: 's', rate: 40, stop: '30s', partitionKeys: 12 }],
  };

  it('never has two in-flight batches of a shard with the same partition key, and runs several per shard at once', async () => {
    const r = await run(scenario);
    const keyOf = new Map(r.of('record.put').map((e) => [e.id, e.partitionKey!]));
    const inFlight = new Map<string, { shard: string; keys: Set<string> }>();
    let concurrentSameShard = 0;
    for (const e of r.trace) {
      if (e.type === 'invoke.start' && e.trigger === 'esm') {
        const keys = new Set(e.records!.map((id) => keyOf.get(id)!));
        for (const other of inFlight.values()) {
          if (other.shard !== e.shard) continue;
          concurrentSameShard++;
          for (const k of keys) expect(other.keys.has(k)).toBe(false);
        }
        inFlight.set(e.requestId, { shard: e.shard!, keys });
      } else if (e.type === 'invoke.end') inFlight.delete(e.requestId);
    }
    expect(concurrentSameShard).toBeGreaterThan(10);
    for (const [key] of [...keyOf.values()].map((k) => [k])) expect(laneForPartitionKey(key, 4)).toBeLessThan(4);
  });

  it('processes the records of each partition key in put order', async () => {
    const r = await run(scenario);
    const keyOf = new Map(r.of('record.put').map((e) => [e.id, e.partitionKey!]));
    const lastSeq = new Map<string, bigint>();
    for (const e of starts(r.trace)) {
      // A retry (a timed-out batch: p99 2 s is close to the 3 s timeout) sends the same records again.
      if (e.attempt > 1) continue;
      for (const id of e.records!) {
        const key = keyOf.get(id)!;
        const n = BigInt(id);
        expect(n > (lastSeq.get(key) ?? -1n)).toBe(true);
        lastSeq.set(key, n);
      }
    }
    expect(r.summary.sources.s.succeeded).toBe(r.summary.sources.s.put);
  });
});

describe('checkpoints (docs/aws-rules.md §3.4)', () => {
  it('only move forward on every shard, even with lanes finishing out of order', async () => {
    const r = await run({
      name: 'cp',
      duration: '30s',
      functions: { p: { duration: { p50: '200ms', p99: '3s' }, timeout: '5s' } },
      streams: { s: { shardCount: 3 } },
      eventSourceMappings: [{ source: 's', function: 'p', batchSize: 4, parallelizationFactor: 3, bisectBatchOnError: true, retryAttempts: 1 }],
      traffic: [{ to: 's', rate: 30, partitionKeys: 20 }],
      faults: [{ function: 'p', kind: 'error', rate: 0.1 }],
    });
    const last = new Map<string, bigint>();
    for (const e of r.of('checkpoint')) {
      const n = BigInt(e.sequenceNumber);
      expect(n > (last.get(e.shard) ?? -1n)).toBe(true);
      last.set(e.shard, n);
    }
    expect(last.size).toBe(3);
  });
});

describe('filters (docs/aws-rules.md §3.1): records that match no filter are skipped', () => {
  it('marks them filtered and never sends them to the function', async () => {
    const r = await run({
      name: 'filters',
      duration: '10s',
      functions: { p: {} },
      streams: { s: { shardCount: 1 } },
      eventSourceMappings: [{ source: 's', function: 'p', filters: [{ data: { kind: ['order'] } }] }],
      traffic: [{ to: 's', rate: 10, count: 10, body: (i) => ({ kind: i % 2 ? 'order' : 'ping', i }) }],
    });
    expect(r.summary.sources.s.filtered).toBe(5);
    expect(r.summary.sources.s.succeeded).toBe(5);
    expect(r.of('record.filtered')).toHaveLength(5);
    expect(starts(r.trace).flatMap((e) => e.records!)).toHaveLength(5);
  });
});

describe('tumbling windows (docs/aws-rules.md §3.4)', () => {
  it('passes state between invocations of a window and marks the final invoke after the window ends', async () => {
    const events: any[] = [];
    await run({
      name: 'tw',
      duration: '50s',
      functions: {
        p: {
          handler: (e: any) => {
            events.push(structuredClone(e));
            return { state: { count: (e.state.count ?? 0) + e.Records.length } };
          },
        },
      },
      streams: { s: { shardCount: 1 } },
      eventSourceMappings: [{ source: 's', function: 'p', batchSize: 5, tumblingWindow: '20s' }],
      traffic: [{ to: 's', rate: 2, stop: '30s' }],
    });
    const windows = [...new Set(events.map((e) => e.window.start))];
    expect(windows).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T00:00:20Z']);
    for (const start of windows) {
      const inWindow = events.filter((e) => e.window.start === start);
      const finals = inWindow.filter((e) => e.isFinalInvokeForWindow);
      expect(finals).toHaveLength(1);
      expect(inWindow.at(-1).isFinalInvokeForWindow).toBe(true);
      expect(finals[0].Records).toEqual([]);
      // The state carries the running count of records in the window.
      let count = 0;
      for (const e of inWindow) {
        expect(e.state.count ?? 0).toBe(count);
        count += e.Records.length;
      }
      expect(inWindow[0].shardId).toBe('shardId-000000000000');
      expect(inWindow[0].eventSourceARN).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/s');
      expect(inWindow[0].isWindowTerminatedEarly).toBe(false);
    }
    expect(events.filter((e) => e.window.start === windows[0]).reduce((n, e) => n + e.Records.length, 0)).toBe(40);
  });

  it('fails an invocation whose response has no state', async () => {
    const r = await run({
      name: 'tw-bad',
      duration: '30s',
      functions: { p: { handler: () => ({}) } },
      streams: { s: { shardCount: 1 } },
      queues: { dlq: {} },
      eventSourceMappings: [{ source: 's', function: 'p', tumblingWindow: '10s', retryAttempts: 0, onFailure: 'dlq' }],
      traffic: [{ to: 's', count: 1 }],
    });
    expect(r.of('deliver')).toHaveLength(1);
    expect(r.summary.sources.s.failedTo).toEqual({ dlq: 1 });
  });

  it('ends a window early when its state exceeds 1 MB', async () => {
    const events: any[] = [];
    await run({
      name: 'tw-big',
      duration: '30s',
      functions: { p: { handler: (e: any) => (events.push({ final: e.isFinalInvokeForWindow, early: e.isWindowTerminatedEarly, n: e.Records.length }), { state: { blob: 'x'.repeat(1_100_000) } }) } },
      streams: { s: { shardCount: 1 } },
      eventSourceMappings: [{ source: 's', function: 'p', batchSize: 2, tumblingWindow: '60s' }],
      traffic: [{ to: 's', rate: 1, count: 4 }],
    });
    expect(events[0]).toEqual({ final: false, early: false, n: expect.any(Number) });
    expect(events[1]).toEqual({ final: true, early: true, n: 0 });
  });
});

describe('view state and inspect', () => {
  it('shows tip, checkpoint and lanes per shard, and inspects a batch or a record', async () => {
    const r = await run(poisoned({ retryAttempts: -1 }, { duration: '20s' }));
    const view = r.sim.state.modules.stream as StreamViewState;
    const shard = view.sources.s.shards[0];
    expect(shard.tip).toBe(8);
    expect(shard.consumers[0]).toMatchObject({ checkpoint: 0, waiting: 8, status: 'retrying' });
    const batch = shard.consumers[0].lanes[0].batch!;
    expect(batch.size).toBe(8);
    const event = r.sim.inspect('stream', batch.batchId) as any;
    expect(event.Records).toHaveLength(8);
    const record = r.sim.inspect('stream', sequenceNumber(0, 3)) as any;
    expect(record.kinesis.sequenceNumber).toBe(sequenceNumber(0, 3));
  });
});

describe('accounting over random stream scenarios', () => {
  it('leaves every record processed, failed to a destination, dropped, expired, filtered, waiting or in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          service: fc.constantFrom('stream', 'table'),
          shardCount: fc.integer({ min: 1, max: 4 }),
          batchSize: fc.integer({ min: 1, max: 30 }),
          window: fc.constantFrom(0, 2000),
          factor: fc.integer({ min: 1, max: 3 }),
          bisect: fc.boolean(),
          partial: fc.boolean(),
          retryAttempts: fc.constantFrom(-1, 0, 1, 3),
          maxRecordAge: fc.constantFrom(-1, 60_000),
          onFailure: fc.boolean(),
          filter: fc.boolean(),
          tumbling: fc.constantFrom(0, 15_000),
          errorRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
          throttle: fc.boolean(),
          rate: fc.integer({ min: 1, max: 30 }),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        async (o) => {
          const scenario: Scenario = {
            name: 'random',
            seed: o.seed,
            duration: '90s',
            functions: { p: { duration: { p50: '100ms', p99: '1s' } } },
            ...(o.service === 'stream' ? { streams: { s: { shardCount: o.shardCount } } } : { tables: { s: { partitionKey: 'id', shardCount: o.shardCount } } }),
            queues: { dlq: {} },
            eventSourceMappings: [
              {
                source: 's',
                function: 'p',
                batchSize: o.batchSize,
                maxBatchingWindow: o.window,
                parallelizationFactor: o.factor,
                bisectBatchOnError: o.bisect,
                reportBatchItemFailures: o.partial,
                retryAttempts: o.retryAttempts,
                maxRecordAge: o.maxRecordAge,
                tumblingWindow: o.tumbling,
                ...(o.onFailure ? { onFailure: 'dlq' } : {}),
                ...(o.filter
                  ? { filters: [o.service === 'stream' ? { data: { n: [{ numeric: ['>=', 5] }] } } : { dynamodb: { Keys: { id: { S: ['key-0', 'key-1'] } } } }] }
                  : {}),
              },
            ],
            traffic: [{ to: 's', rate: o.rate, stop: '60s', partitionKeys: 6 }],
            faults: [
              { function: 'p', kind: 'error', rate: o.errorRate },
              ...(o.partial ? [{ function: 'p', kind: 'partial' as const, rate: o.errorRate }] : []),
              ...(o.throttle ? [{ function: 'p', kind: 'throttle' as const, rate: 0.3 }] : []),
            ],
          };
          const r = await run(scenario);
          expect(r.summary.accounting.problems).toEqual([]);
          const s = r.summary.sources.s;
          expect(s.succeeded + s.failed + s.expired + s.filtered + s.waiting + s.inFlight).toBe(s.put);
          const failedTo = Object.values(s.failedTo).reduce((n, x) => n + x, 0);
          expect(failedTo).toBe(s.failed);
          if (!o.onFailure) expect(Object.keys(s.failedTo).filter((k) => k !== 'dropped')).toEqual([]);
          const last = new Map<string, bigint>();
          for (const e of r.of('checkpoint')) {
            const n = BigInt(e.sequenceNumber);
            expect(n > (last.get(e.shard) ?? -1n)).toBe(true);
            last.set(e.shard, n);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
