/**
 * Kinesis Data Streams and DynamoDB Streams with their event source mappings (docs/aws-rules.md
 * section 3.4). Records are placed on shards by the MD5 hash of their partition key and get growing
 * sequence numbers per shard; each mapping polls every shard at AWS's rate, spreads the records it reads
 * over `parallelizationFactor` lanes by partition key, and invokes the function synchronously with one
 * batch per lane at a time. An error blocks the lane: the batch is retried (with backoff) or bisected
 * until it succeeds, its retries are spent or its records are too old; then the on-failure destination
 * gets the batch-info record and the lane moves on. Checkpoints only move forward.
 *
 * Choices where AWS leaves room (each also noted where it is implemented):
 * - Bisect: a failing batch of more than one record is split in two at once, spending no retry (splits
 *   are not retries); each half is a new batch with its own attempt count, so `approximateInvokeCount` of
 *   an on-failure record counts the invocations of the batch it describes. Only a batch that cannot be
 *   split (one record) spends retries. One poison record therefore ends alone in onFailure with
 *   approximateInvokeCount = retryAttempts + 1 while its neighbours succeed.
 * - Retry delay: 1 s before the first retry, doubling up to 30 s (deterministic; AWS says only that it
 *   retries with backoff). Throttles use the same backoff and spend no retries.
 * - maxRecordAge is checked when a batch fails and before each invoke; records read after they are
 *   already older than it go to onFailure as RecordAgeExceeded without being invoked
 *   (approximateInvokeCount 0).
 * - Retention: records trimmed while waiting are `expired`; a retried batch whose records pass the
 *   retention period loses them (expired), as AWS discards them "when the records expire".
 * - The ledger of a stream follows its first mapping; further mappings read the same records with their
 *   own checkpoints but do not move the records' states (a record is in exactly one state).
 */
import { hasRealCode } from '../../scenario/model.js';
import type { StreamViewType } from '../aws/dynamodb.js';
import { kindOf } from '../lambda/versions.js';
import { functionArn, kinesisShardId, dynamodbShardId, streamArn, tableStreamArn, type AwsAccount } from '../aws/arn.js';
import {
  type DestinationKind,
  type StreamCondition,
  envelopeFor,
  streamFailureRecord,
} from '../aws/destinations.js';
import type { InvocationOutcome } from '../aws/invoke.js';
import { kinesisEvent, laneForPartitionKey, shardIndexForPartitionKey, tumblingWindowEvent } from '../aws/kinesis.js';
import { dynamodbEvent } from '../aws/dynamodb.js';
import type { EngineContext, EngineModule, IncomingRecord, InvocationResult, Timer } from '../module.js';
import { envelopeRecord } from './async.js';
import { matchesFilterCriteria } from '../../lang/patterns.js';
import type { EsmModel } from '../../scenario/model.js';
import type { RecordState } from '../records.js';
import { dynamodbShape, itemChange, kinesisShape, sequenceFormatter } from './stream/records.js';
import {
  RECENT_STREAM_FAILURES,
  type ShardConsumerStatus,
  type ShardConsumerView,
  type StreamSourceView,
  type StreamViewState,
} from './stream/view.js';

export type { StreamViewState, StreamSourceView, ShardView, ShardConsumerView, StreamLaneView, StreamFailureView, ShardConsumerStatus } from './stream/view.js';

export const STREAM = 'stream';

/** docs/aws-rules.md §3.4: Kinesis 1 GetRecords per second per shard; DynamoDB Streams 4 per second. */
export const POLL_INTERVAL_MS = { kinesis: 1_000, dynamodb: 250 } as const;
/** GetRecords returns at most 10,000 records per call (Kinesis API limit). */
export const GET_RECORDS_MAX = 10_000;
/** At most this many records read ahead per mapping and shard (a bound on buffered records). */
export const READ_AHEAD_MAX = 10_000;
/** docs/aws-rules.md §3.1: a batch closes at 6 MB of payload. */
export const BATCH_BYTES_MAX = 6 * 1024 * 1024;
/** What a record adds to the invocation payload beyond its data (field names, ids, ARNs), approximately. */
const RECORD_OVERHEAD_BYTES = 300;
/** docs/aws-rules.md §3.4: tumbling window state above 1 MB per shard ends the window early. */
export const WINDOW_STATE_BYTES_MAX = 1024 * 1024;
/** Retry backoff: 1 s before the first retry, doubling, at most 30 s (see the module comment). */
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}

type Service = 'kinesis' | 'dynamodb';

interface Shard {
  index: number;
  shardId: string;
  seq: (n: number) => string;
  /** Record store ids by position. */
  ids: number[];
  trimIndex: number;
  retentionTimer?: Timer;
  /** Mapping consumers of this shard, in mapping order. */
  consumers: Consumer[];
}

interface Source {
  name: string;
  kind: 'stream' | 'table';
  service: Service;
  arn: string;
  retentionMs: number;
  shards: Shard[];
  partitionKeyName?: string;
  streamViewType?: StreamViewType;
  /** Shard index per partition key (MD5 is the hot path otherwise). */
  shardOfKey: Map<string, number>;
  mappings: Mapping[];
  putCount: number;
}

interface Mapping {
  esm: EsmModel;
  source: Source;
  /** The first mapping of a source moves its records' states (see the module comment). */
  owner: boolean;
  laneOfKey: Map<string, number>;
  fnArn: string;
}

interface Batch {
  id: string;
  /** Positions in the shard, ascending. */
  positions: number[];
  /** Invocations of this batch that ran (throttles excluded). */
  invocations: number;
  /** Retries spent. */
  retries: number;
  /** Consecutive throttles (backoff only). */
  throttles: number;
  bisectDepth: number;
  lastRequestId?: string;
  lastOutcome?: InvocationOutcome;
  /** The version the last invocation ran (responseContext.executedVersion). */
  lastVersion?: string;
  /** Tumbling window: a final invoke (no records). */
  final?: { terminatedEarly: boolean };
  /** The event, once built (inspect shows it). */
  event?: unknown;
}

interface Window {
  startMs: number;
  endMs: number;
  state: Record<string, unknown>;
  /** The next invoke of this window is its final one (ended, or terminated early). */
  terminatedEarly: boolean;
  timer?: Timer;
}

interface Lane {
  index: number;
  consumer: Consumer;
  /** Positions read and not yet batched, a deque: live part is buffer[head..]. */
  buffer: number[];
  head: number;
  /** Batches to run before new ones are read from the buffer (retries, bisected halves), in order. */
  pending: Batch[];
  inFlight?: Batch;
  /** A retry or throttle backoff: the lane waits until it fires. */
  backoff?: Timer;
  /** maxBatchingWindow: gathering until this time. */
  gatherUntil?: number;
  gatherTimer?: Timer;
  window?: Window;
  status: ShardConsumerStatus;
}

interface Consumer {
  mapping: Mapping;
  shard: Shard;
  lanes: Lane[];
  readIndex: number;
  /** Finished positions (1), for a checkpoint that passes records finished out of order. */
  done: Uint8Array;
  checkpoint: number;
  /** Positions read but not finished, excluding those before the checkpoint. */
  buffered: number;
  lastPollAt: number;
  pollTimer?: Timer;
  viewIndex: number;
}

interface BatchRef {
  lane: Lane;
  batch: Batch;
}

function bufferLength(lane: Lane): number {
  return lane.buffer.length - lane.head;
}

function shiftBuffer(lane: Lane): number {
  const p = lane.buffer[lane.head++];
  if (lane.head > 1024 && lane.head * 2 > lane.buffer.length) {
    lane.buffer = lane.buffer.slice(lane.head);
    lane.head = 0;
  }
  return p;
}

function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return Infinity;
  }
}

/**
 * The stream module: Kinesis streams ('stream') and DynamoDB tables with streams ('table').
 *
 * @example
 * const modules = [createSyncModule(), createStreamModule()];
 */
export function createStreamModule(): EngineModule {
  const sources = new Map<string, Source>();
  const ready = new Set<Lane>();
  const dirty = new Set<Consumer>();
  const batches = new Map<string, BatchRef>();
  const recentBatches: Array<{ id: string; event: unknown }> = [];
  let epochMs: (simMs: number) => number = (ms) => ms;
  let account: AwsAccount = { region: 'us-east-1', accountId: '123456789012' };

  const pollInterval = (source: Source) => POLL_INTERVAL_MS[source.service];
  const putAt = (ctx: EngineContext, shard: Shard, p: number) => ctx.records.get(shard.ids[p]).putAtMs;

  // ---------------------------------------------------------------------------------------------
  // Ledger moves: only the owner mapping moves record states.

  const settle = (ctx: EngineContext, c: Consumer, p: number, to: RecordState, failedTo?: string) => {
    if (!c.mapping.owner) return;
    const id = c.shard.ids[p];
    const from = ctx.records.state(id);
    if (from !== 'waiting' && from !== 'inFlight') return;
    if (from === to) return;
    ctx.settle(id, to, failedTo);
  };

  const markDone = (c: Consumer, p: number) => {
    if (p >= c.done.length) {
      let size = c.done.length * 2;
      while (size <= p) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(c.done);
      c.done = grown;
    }
    if (c.done[p] === 0) {
      c.done[p] = 1;
      if (p >= c.checkpoint && p < c.readIndex) c.buffered--;
    }
  };

  /** Moves the checkpoint past every finished (or trimmed) position; traces it when it moved. */
  const advanceCheckpoint = (ctx: EngineContext, c: Consumer) => {
    const before = c.checkpoint;
    let cp = c.checkpoint;
    if (cp < c.shard.trimIndex) {
      for (let p = cp; p < c.shard.trimIndex && p < c.readIndex; p++) if (c.done[p] === 0) c.buffered--;
      cp = c.shard.trimIndex;
    }
    while (cp < c.readIndex && cp < c.done.length && c.done[cp] === 1) cp++;
    if (cp > before) {
      c.checkpoint = cp;
      // docs/aws-rules.md §3.4: the checkpoint is the sequence number of the last record processed; it only moves forward.
      if (ctx.tracing) ctx.emit({ t: ctx.now, type: 'checkpoint', source: c.mapping.source.name, shard: c.shard.shardId, sequenceNumber: c.shard.seq(cp - 1) });
      else ctx.skip();
    }
    dirty.add(c);
  };

  // ---------------------------------------------------------------------------------------------
  // Record shapes

  const recordShape = (ctx: { records: EngineContext['records'] }, c: Consumer, p: number): unknown => {
    const source = c.mapping.source;
    const stored = ctx.records.get(c.shard.ids[p]);
    const sequenceNumber = c.shard.seq(p);
    if (source.service === 'kinesis') {
      return kinesisShape({
        account,
        streamName: source.name,
        shardIndex: c.shard.index,
        sequenceNumber,
        partitionKey: stored.partitionKey ?? '',
        body: stored.body,
        arrivalEpochMs: epochMs(stored.putAtMs),
        functionName: c.mapping.esm.function,
      });
    }
    return dynamodbShape({
      account,
      tableName: source.name,
      partitionKeyName: source.partitionKeyName!,
      streamViewType: source.streamViewType!,
      sequenceNumber,
      partitionKey: stored.partitionKey ?? '',
      body: stored.body,
      creationEpochMs: epochMs(stored.putAtMs),
    });
  };

  const batchEvent = (ctx: { records: EngineContext['records'] }, lane: Lane, batch: Batch): unknown => {
    const c = lane.consumer;
    const source = c.mapping.source;
    const records = batch.positions.map((p) => recordShape(ctx, c, p));
    if (c.mapping.esm.tumblingWindowMs > 0 && lane.window) {
      // docs/aws-rules.md §3.4: tumbling-window invocations carry window, state, shardId, eventSourceARN and the flags.
      return tumblingWindowEvent(records, {
        windowStartEpochMs: epochMs(lane.window.startMs),
        windowEndEpochMs: epochMs(lane.window.endMs),
        state: lane.window.state,
        shardId: c.shard.shardId,
        eventSourceARN: source.arn,
        isFinalInvokeForWindow: batch.final !== undefined,
        isWindowTerminatedEarly: batch.final?.terminatedEarly ?? false,
      });
    }
    return source.service === 'kinesis' ? kinesisEvent(records as never) : dynamodbEvent(records as never);
  };

  const recordBytes = (ctx: EngineContext, c: Consumer, p: number): number => {
    // The payload's size, measured once at put (RecordStore.bytes).
    const bytes = ctx.records.bytes(c.shard.ids[p]);
    // Kinesis data travels base64-encoded; DynamoDB images as AttributeValue JSON (about the same size).
    const data = c.mapping.source.service === 'kinesis' ? Math.ceil((bytes * 4) / 3) : bytes * 2;
    return data + RECORD_OVERHEAD_BYTES;
  };

  // ---------------------------------------------------------------------------------------------
  // Putting records

  const put = (ctx: EngineContext, name: string, record: IncomingRecord) => {
    const source = sources.get(name);
    if (!source) throw new Error(`stream module: unknown stream or table '${name}'`);
    let key = record.partitionKey ?? String(record.i);
    if (source.kind === 'table') {
      // A table's records are placed by the item's partition key value (records.ts, itemChange).
      key = itemChange(record.body, source.partitionKeyName!, key).partitionKey;
    }
    let shardIndex = source.shardOfKey.get(key);
    if (shardIndex === undefined) {
      // docs/aws-rules.md §3.4: the MD5 hash of the partition key over the shards' hash key ranges. DynamoDB does
      // not document its partitioning; the same hash placement stands in for it.
      shardIndex = shardIndexForPartitionKey(key, source.shards.length);
      source.shardOfKey.set(key, shardIndex);
    }
    const shard = source.shards[shardIndex];
    const p = shard.ids.length;
    const sequenceNumber = shard.seq(p);
    const id = ctx.admit(name, record.partitionKey === key ? record : { ...record, partitionKey: key }, sequenceNumber);
    shard.ids.push(id);
    source.putCount++;
    if (ctx.tracing) ctx.emit({ t: ctx.now, type: 'record.put', source: name, id: sequenceNumber, shard: shard.shardId, partitionKey: key });
    else ctx.skip();
    if (!shard.retentionTimer) scheduleRetention(ctx, source, shard);
    for (const c of shard.consumers) {
      dirty.add(c);
      ensurePoll(ctx, c);
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Retention

  const scheduleRetention = (ctx: EngineContext, source: Source, shard: Shard) => {
    if (shard.trimIndex >= shard.ids.length) return;
    shard.retentionTimer = ctx.schedule(putAt(ctx, shard, shard.trimIndex) + source.retentionMs, STREAM, 'retention', { source: source.name, shard: shard.index });
  };

  const trim = (ctx: EngineContext, source: Source, shard: Shard) => {
    shard.retentionTimer = undefined;
    while (shard.trimIndex < shard.ids.length && putAt(ctx, shard, shard.trimIndex) + source.retentionMs <= ctx.now) {
      const id = shard.ids[shard.trimIndex];
      // A record still waiting when the stream trims it was never processed: it expired (docs/aws-rules.md §3.4,
      // retention). Records in flight finish their invocation; a failed one then expires (fail()).
      if (ctx.records.state(id) === 'waiting') {
        ctx.settle(id, 'expired');
        ctx.emit({ t: ctx.now, type: 'record.expired', source: source.name, id: shard.seq(shard.trimIndex) });
      }
      shard.trimIndex++;
    }
    for (const c of shard.consumers) {
      if (c.readIndex < shard.trimIndex) {
        for (let p = c.readIndex; p < shard.trimIndex; p++) markDone(c, p);
        c.readIndex = shard.trimIndex;
      }
      advanceCheckpoint(ctx, c);
      for (const lane of c.lanes) ready.add(lane);
      ctx.wake(STREAM);
    }
    scheduleRetention(ctx, source, shard);
  };

  // ---------------------------------------------------------------------------------------------
  // Polling

  const ensurePoll = (ctx: EngineContext, c: Consumer) => {
    if (c.pollTimer || !c.mapping.esm.enabled) return;
    // A mapping created later in the run (startAt) reads nothing before then.
    if (ctx.now < c.mapping.esm.startAtMs) return;
    if (c.readIndex >= c.shard.ids.length || c.buffered >= READ_AHEAD_MAX) return;
    const at = Math.max(ctx.now, c.lastPollAt + pollInterval(c.mapping.source));
    c.pollTimer = ctx.schedule(at, STREAM, 'poll', c);
  };

  const poll = (ctx: EngineContext, c: Consumer) => {
    c.pollTimer = undefined;
    c.lastPollAt = ctx.now;
    const shard = c.shard;
    const mapping = c.mapping;
    const factor = mapping.esm.parallelizationFactor;
    const limit = Math.min(shard.ids.length, c.readIndex + GET_RECORDS_MAX, c.readIndex + Math.max(0, READ_AHEAD_MAX - c.buffered));
    for (let p = Math.max(c.readIndex, shard.trimIndex); p < limit; p++) {
      let lane = 0;
      if (factor > 1) {
        // docs/aws-rules.md §3.4: each partition key stays on one lane, so its records keep their order.
        const key = ctx.records.get(shard.ids[p]).partitionKey ?? '';
        let cached = mapping.laneOfKey.get(key);
        if (cached === undefined) {
          cached = laneForPartitionKey(key, factor);
          mapping.laneOfKey.set(key, cached);
        }
        lane = cached;
      }
      c.lanes[lane].buffer.push(p);
      c.buffered++;
      ready.add(c.lanes[lane]);
    }
    c.readIndex = Math.max(c.readIndex, limit);
    dirty.add(c);
    ctx.wake(STREAM);
    // Tumbling windows wait for a poll past their end before the final invoke.
    for (const lane of c.lanes) if (lane.window) ready.add(lane);
    ensurePoll(ctx, c);
  };

  // ---------------------------------------------------------------------------------------------
  // Forming batches

  /** Takes the next batch from a lane's buffer, settling what is skipped (trimmed, filtered, too old). */
  const formBatch = (ctx: EngineContext, lane: Lane): Batch | undefined => {
    const c = lane.consumer;
    const esm = c.mapping.esm;
    const source = c.mapping.source;
    const positions: number[] = [];
    let bytes = 0;
    let windowKey: number | undefined;
    let touched = false;
    while (bufferLength(lane) > 0 && positions.length < esm.batchSize) {
      const p = lane.buffer[lane.head];
      if (p < c.shard.trimIndex) {
        shiftBuffer(lane);
        markDone(c, p);
        touched = true;
        continue;
      }
      const stored = ctx.records.get(c.shard.ids[p]);
      if (esm.tumblingWindowMs > 0) {
        // docs/aws-rules.md §3.4: windows are keyed on record arrival time; a batch never spans two windows.
        const key = Math.floor(stored.putAtMs / esm.tumblingWindowMs);
        if (lane.window && key * esm.tumblingWindowMs !== lane.window.startMs) break;
        if (windowKey !== undefined && key !== windowKey) break;
        windowKey = key;
      }
      if (esm.filters.length > 0 && !matchesFilterCriteria(esm.filters, recordShape(ctx, c, p), esm.sourceKind)) {
        // docs/aws-rules.md §3.1: records that match no filter are skipped (and count as processed).
        shiftBuffer(lane);
        settle(ctx, c, p, 'filtered');
        if (c.mapping.owner) ctx.emit({ t: ctx.now, type: 'record.filtered', source: source.name, id: c.shard.seq(p) });
        markDone(c, p);
        touched = true;
        continue;
      }
      const size = recordBytes(ctx, c, p);
      if (positions.length > 0 && bytes + size > BATCH_BYTES_MAX) break;
      shiftBuffer(lane);
      positions.push(p);
      bytes += size;
    }
    if (touched) advanceCheckpoint(ctx, c);
    if (positions.length === 0) return undefined;
    return { id: ctx.ids.short('b'), positions, invocations: 0, retries: 0, throttles: 0, bisectDepth: 0 };
  };

  const oldestAgeMs = (ctx: EngineContext, c: Consumer, batch: Batch) =>
    batch.positions.length === 0 ? 0 : ctx.now - putAt(ctx, c.shard, batch.positions[0]);

  // ---------------------------------------------------------------------------------------------
  // Starting work on a lane

  /** Starts the lane's next invocation if it can; returns true if it should be tried again next tick. */
  const tryLane = (ctx: EngineContext, lane: Lane): boolean => {
    const c = lane.consumer;
    const esm = c.mapping.esm;
    if (!esm.enabled || lane.inFlight || lane.backoff) return false;
    for (;;) {
      let batch = lane.pending[0];
      if (batch) {
        // Drop records the stream trimmed while the batch waited (they expired with the trim).
        if (batch.positions.some((p) => p < c.shard.trimIndex)) {
          const kept = batch.positions.filter((p) => p >= c.shard.trimIndex);
          for (const p of batch.positions) if (p < c.shard.trimIndex) markDone(c, p);
          batch.positions = kept;
          if (kept.length === 0 && !batch.final) {
            lane.pending.shift();
            advanceCheckpoint(ctx, c);
            continue;
          }
        }
      } else {
        if (esm.tumblingWindowMs > 0 && lane.window && finalDue(ctx, lane)) {
          batch = { id: ctx.ids.short('b'), positions: [], invocations: 0, retries: 0, throttles: 0, bisectDepth: 0, final: { terminatedEarly: lane.window.terminatedEarly } };
          lane.pending.push(batch);
        } else {
          const available = bufferLength(lane);
          if (available === 0) {
            lane.status = 'idle';
            dirty.add(c);
            return false;
          }
          if (esm.maxBatchingWindowMs > 0 && available < esm.batchSize) {
            // docs/aws-rules.md §3.1: gather until the window ends or the batch is full.
            if (lane.gatherUntil === undefined) {
              lane.gatherUntil = ctx.now + esm.maxBatchingWindowMs;
              lane.gatherTimer = ctx.schedule(lane.gatherUntil, STREAM, 'gather', lane);
            }
            if (ctx.now < lane.gatherUntil) return false;
          }
          if (lane.gatherTimer) ctx.cancel(lane.gatherTimer);
          lane.gatherTimer = undefined;
          lane.gatherUntil = undefined;
          const formed = formBatch(ctx, lane);
          if (!formed) {
            // Nothing formed: all skipped (loop to find out whether the lane is idle), or the next record
            // belongs to a later tumbling window whose predecessor is not yet final.
            if (bufferLength(lane) > 0 && !(lane.window && finalDue(ctx, lane))) return false;
            continue;
          }
          batch = formed;
          if (esm.tumblingWindowMs > 0 && !lane.window) openWindow(ctx, lane, putAt(ctx, c.shard, formed.positions[0]));
          lane.pending.push(batch);
        }
      }
      // docs/aws-rules.md §3.4: records older than maxRecordAge are not sent to the function.
      if (esm.maxRecordAgeMs >= 0 && !batch.final && oldestAgeMs(ctx, c, batch) > esm.maxRecordAgeMs) {
        lane.pending.shift();
        fail(ctx, lane, batch, 'RecordAgeExceeded');
        continue;
      }
      return invoke(ctx, lane, batch);
    }
  };

  const invoke = (ctx: EngineContext, lane: Lane, batch: Batch): boolean => {
    const c = lane.consumer;
    const esm = c.mapping.esm;
    const source = c.mapping.source;
    const ids = batch.positions.map((p) => c.shard.ids[p]);
    const attempt = batch.invocations + 1;
    const label = batch.final
      ? 'window final'
      : batch.bisectDepth > 0
        ? `bisect ${batch.bisectDepth} attempt ${attempt}`
        : attempt > 1
          ? `retry ${attempt - 1} of ${esm.retryAttempts < 0 ? '∞' : esm.retryAttempts}`
          : `attempt ${attempt}`;
    const started = ctx.invoke({
      fn: esm.function,
      qualifier: esm.qualifier,
      trigger: 'esm',
      owner: STREAM,
      ref: { lane, batch } satisfies BatchRef,
      event: () => (batch.event = batchEvent(ctx, lane, batch)),
      records: ids,
      attempt,
      source: source.name,
      shard: c.shard.shardId,
      batchId: batch.id,
      label,
      ...(batch.final ? { finalWindow: true } : {}),
      recordIds: batch.positions.map((p) => c.shard.seq(p)),
    });
    if (!started.ok) {
      // docs/aws-rules.md §3.4 / 4: throttles do not count as retries; the lane backs off and tries again.
      batch.throttles++;
      lane.status = 'blocked';
      lane.backoff = ctx.schedule(ctx.now + retryDelayMs(batch.throttles), STREAM, 'backoff', lane);
      dirty.add(c);
      return false;
    }
    batch.throttles = 0;
    batch.invocations++;
    batch.lastRequestId = started.requestId;
    batch.lastVersion = started.version;
    lane.pending.shift();
    lane.inFlight = batch;
    batches.set(batch.id, { lane, batch });
    for (const p of batch.positions) settle(ctx, c, p, 'inFlight');
    lane.status = batch.bisectDepth > 0 ? 'bisecting' : batch.invocations > 1 ? 'retrying' : 'flowing';
    dirty.add(c);
    return false;
  };

  // ---------------------------------------------------------------------------------------------
  // Tumbling windows

  const openWindow = (ctx: EngineContext, lane: Lane, arrivalMs: number) => {
    const size = lane.consumer.mapping.esm.tumblingWindowMs;
    const startMs = Math.floor(arrivalMs / size) * size;
    lane.window = { startMs, endMs: startMs + size, state: {}, terminatedEarly: false };
    // Wake the lane after the window ends (and the next poll), for its final invoke.
    lane.window.timer = ctx.schedule(startMs + size, STREAM, 'window', lane);
  };

  /** A window's final invoke is due once it ended (or was terminated early) and none of its records wait. */
  const finalDue = (ctx: EngineContext, lane: Lane): boolean => {
    const w = lane.window!;
    if (w.terminatedEarly) return true;
    if (ctx.now < w.endMs || lane.consumer.lastPollAt < w.endMs) return false;
    if (bufferLength(lane) > 0) {
      const next = putAt(ctx, lane.consumer.shard, lane.buffer[lane.head]);
      if (next < w.endMs) return false;
    }
    return true;
  };

  // ---------------------------------------------------------------------------------------------
  // Completions

  const succeed = (ctx: EngineContext, lane: Lane, positions: number[]) => {
    const c = lane.consumer;
    for (const p of positions) {
      settle(ctx, c, p, 'succeeded');
      markDone(c, p);
    }
  };

  const outcomeOf = (result: InvocationResult): InvocationOutcome =>
    result.outcome === 'timeout'
      ? { kind: 'timeout', timeoutMs: result.durationMs }
      : result.outcome === 'error'
        ? { kind: 'error', error: result.error ?? { errorType: 'Error', errorMessage: '' } }
        : { kind: 'success', payload: result.response ?? null };

  /** Sends a batch to onFailure (or drops it) and moves the lane past it. */
  const fail = (ctx: EngineContext, lane: Lane, batch: Batch, condition: StreamCondition) => {
    const c = lane.consumer;
    const esm = c.mapping.esm;
    const source = c.mapping.source;
    if (batch.final) {
      // A final window invoke has no records: when its retries run out, the window just closes.
      closeWindow(ctx, lane);
      return;
    }
    const positions = batch.positions;
    const dest = esm.onFailure;
    let to = 'dropped';
    if (dest && positions.length > 0) {
      const first = positions[0];
      const last = positions[positions.length - 1];
      const record = streamFailureRecord({
        source: source.service,
        requestId: batch.lastRequestId ?? ctx.ids.requestId(),
        functionArn: c.mapping.fnArn,
        condition,
        // docs/aws-rules.md §3.4: approximateInvokeCount = retries + 1, i.e. this batch's invocations.
        approximateInvokeCount: batch.invocations,
        timestampEpochMs: epochMs(ctx.now),
        shardId: c.shard.shardId,
        startSequenceNumber: c.shard.seq(first),
        endSequenceNumber: c.shard.seq(last),
        firstArrivalEpochMs: epochMs(putAt(ctx, c.shard, first)),
        lastArrivalEpochMs: epochMs(putAt(ctx, c.shard, last)),
        batchSize: positions.length,
        streamArn: source.arn,
        lastOutcome: batch.lastOutcome,
        ...(batch.lastVersion ? { executedVersion: batch.lastVersion } : {}),
      });
      const kind = kindOf(ctx.model, dest) as DestinationKind;
      const deliveryId = ctx.ids.short('d');
      const delivery = envelopeFor(kind, record, {
        account,
        functionName: esm.function,
        epochMs: epochMs(ctx.now),
        deliveryId,
        // docs/aws-rules.md §3.4: an S3 destination also gets the batch's records as `payload`.
        ...(kind === 'bucket' ? { streamEvent: batchEvent(ctx, lane, batch), mappingUuid: undefined } : {}),
      });
      const payload = kind === 'bucket' ? JSON.parse((delivery as { body: string }).body) : record;
      ctx.deliver({
        to: dest,
        kind: 'onFailure',
        condition,
        payload,
        fn: esm.function,
        source: source.name,
        envelope: envelopeRecord(delivery),
      });
      to = dest;
    }
    for (const p of positions) {
      settle(ctx, c, p, 'failed', to);
      markDone(c, p);
    }
    noteFailure(ctx, lane, batch, condition, to);
    advanceCheckpoint(ctx, c);
  };

  const expireBatch = (ctx: EngineContext, lane: Lane, batch: Batch) => {
    const c = lane.consumer;
    for (const p of batch.positions) {
      if (c.mapping.owner && ['waiting', 'inFlight'].includes(ctx.records.state(c.shard.ids[p]))) {
        settle(ctx, c, p, 'expired');
        ctx.emit({ t: ctx.now, type: 'record.expired', source: c.mapping.source.name, id: c.shard.seq(p) });
      }
      markDone(c, p);
    }
    noteFailure(ctx, lane, batch, 'Expired', 'expired');
    advanceCheckpoint(ctx, c);
  };

  const noteFailure = (ctx: EngineContext, lane: Lane, batch: Batch, condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'Expired', to: string) => {
    const c = lane.consumer;
    const view = ctx.state.modules[STREAM] as StreamViewState;
    const list = view.sources[c.mapping.source.name].recentFailures;
    list.push({ t: ctx.now, shardId: c.shard.shardId, batchId: batch.id, fn: c.mapping.esm.function, condition, size: batch.positions.length, to });
    if (list.length > RECENT_STREAM_FAILURES) list.shift();
    rememberBatch(ctx, lane, batch);
  };

  const rememberBatch = (ctx: EngineContext, lane: Lane, batch: Batch) => {
    batches.delete(batch.id);
    recentBatches.push({ id: batch.id, event: batch.event ?? batchEvent(ctx, lane, batch) });
    if (recentBatches.length > RECENT_STREAM_FAILURES) recentBatches.shift();
  };

  const closeWindow = (ctx: EngineContext, lane: Lane) => {
    if (lane.window?.timer) ctx.cancel(lane.window.timer);
    lane.window = undefined;
  };

  /** A failed attempt: bisect, retry, or give up (docs/aws-rules.md §3.4). */
  const failedAttempt = (ctx: EngineContext, lane: Lane, batch: Batch) => {
    const c = lane.consumer;
    const esm = c.mapping.esm;
    for (const p of batch.positions) settle(ctx, c, p, 'waiting');
    // Records the stream trimmed during the attempt are gone: a failed batch loses them.
    if (batch.positions.some((p) => p < c.shard.trimIndex)) {
      const gone = batch.positions.filter((p) => p < c.shard.trimIndex);
      expireBatch(ctx, lane, { ...batch, positions: gone });
      batch.positions = batch.positions.filter((p) => p >= c.shard.trimIndex);
      if (batch.positions.length === 0) return;
    }
    if (esm.bisectBatchOnError && batch.positions.length > 1) {
      // docs/aws-rules.md §3.4: split in two and try the halves in order; a split is not a retry.
      const mid = Math.ceil(batch.positions.length / 2);
      const depth = batch.bisectDepth + 1;
      const a: Batch = { id: ctx.ids.short('b'), positions: batch.positions.slice(0, mid), invocations: 0, retries: batch.retries, throttles: 0, bisectDepth: depth };
      const b: Batch = { id: ctx.ids.short('b'), positions: batch.positions.slice(mid), invocations: 0, retries: batch.retries, throttles: 0, bisectDepth: depth };
      ctx.emit({ t: ctx.now, type: 'batch.bisect', batchId: batch.id, into: [a.id, b.id], source: c.mapping.source.name, shard: c.shard.shardId });
      batches.delete(batch.id);
      lane.pending.unshift(a, b);
      lane.status = 'bisecting';
      ready.add(lane);
      ctx.wake(STREAM);
      return;
    }
    retryOrGiveUp(ctx, lane, batch);
  };

  /**
   * Retries a failed batch after a backoff, spending one retry, or sends it to onFailure once retryAttempts
   * are spent or its oldest record is older than maxRecordAge (docs/aws-rules.md §3.4).
   */
  const retryOrGiveUp = (ctx: EngineContext, lane: Lane, batch: Batch) => {
    const c = lane.consumer;
    const esm = c.mapping.esm;
    if (esm.retryAttempts >= 0 && batch.retries >= esm.retryAttempts) {
      fail(ctx, lane, batch, 'RetryAttemptsExhausted');
      return;
    }
    if (esm.maxRecordAgeMs >= 0 && oldestAgeMs(ctx, c, batch) > esm.maxRecordAgeMs) {
      fail(ctx, lane, batch, 'RecordAgeExceeded');
      return;
    }
    batch.retries++;
    lane.pending.unshift(batch);
    lane.status = 'retrying';
    lane.backoff = ctx.schedule(ctx.now + retryDelayMs(batch.retries), STREAM, 'backoff', lane);
  };

  const onComplete = (ctx: EngineContext, ref: unknown, result: InvocationResult) => {
    const { lane, batch } = ref as BatchRef;
    const c = lane.consumer;
    const esm = c.mapping.esm;
    lane.inFlight = undefined;
    batch.lastOutcome = outcomeOf(result);
    if (batch.positions.length > 0) {
      // with-kinesis.md: "Lambda emits the IteratorAge metric when your function finishes processing a
      // batch of records. The metric indicates how old the last record in the batch was when processing
      // finished." (docs/fidelity.md)
      ctx.observeAge(c.mapping.source.name, ctx.now - putAt(ctx, c.shard, batch.positions[batch.positions.length - 1]));
    }
    ready.add(lane);
    ctx.wake(STREAM);
    dirty.add(c);

    let ok = result.outcome === 'success' || (result.outcome === 'partial' && !esm.reportBatchItemFailures);
    let response = result.response;
    if (ok && esm.tumblingWindowMs > 0 && lane.window) {
      // docs/aws-rules.md §3.4: a tumbling-window response must contain `state`, else the invocation failed.
      // Without a handler, the invocation succeeds with an empty state (this simulator's default).
      if ((response === null || response === undefined) && !hasRealCode(ctx.model.functions[esm.function])) response = { state: {} };
      const state = (response as { state?: unknown } | null | undefined)?.state;
      if (typeof state !== 'object' || state === null || Array.isArray(state)) {
        ok = false;
        batch.lastOutcome = { kind: 'error', error: { errorType: 'InvalidStateResponse', errorMessage: 'A tumbling window response must contain a state object' } };
      } else if (batch.final) {
        succeed(ctx, lane, batch.positions);
        closeWindow(ctx, lane);
        batches.delete(batch.id);
        return;
      } else {
        lane.window.state = state as Record<string, unknown>;
        // docs/aws-rules.md §3.4: state above 1 MB per shard ends the window early: the next invoke is its final one.
        if (jsonBytes(state) > WINDOW_STATE_BYTES_MAX) lane.window.terminatedEarly = true;
      }
    }
    if (ok) {
      succeed(ctx, lane, batch.positions);
      batches.delete(batch.id);
      lane.status = 'flowing';
      advanceCheckpoint(ctx, c);
      return;
    }
    if (result.outcome === 'partial' && esm.reportBatchItemFailures) {
      // docs/aws-rules.md §3.4: checkpoint before the lowest reported sequence number and retry from there; an empty
      // or unknown item identifier fails the whole batch (same rules as SQS).
      const index = new Map(batch.positions.map((p, i) => [c.shard.seq(p), i]));
      const failed = result.failedItemIds ?? [];
      let lowest = Infinity;
      let valid = failed.length > 0;
      for (const id of failed) {
        const i = index.get(id);
        if (i === undefined) valid = false;
        else lowest = Math.min(lowest, i);
      }
      // A tumbling window's partial response (docs/fidelity.md, our choice): it must carry a state object
      // like any window response, and that state is kept for the records checkpointed as processed; the
      // records retried from the lowest failure then see it.
      const windowed = esm.tumblingWindowMs > 0 && lane.window !== undefined && !batch.final;
      const state = windowed ? (response as { state?: unknown } | null | undefined)?.state : undefined;
      if (windowed && (typeof state !== 'object' || state === null || Array.isArray(state))) {
        valid = false;
        batch.lastOutcome = { kind: 'error', error: { errorType: 'InvalidStateResponse', errorMessage: 'A tumbling window response must contain a state object' } };
      }
      if (valid && lowest > 0) {
        if (windowed) lane.window!.state = state as Record<string, unknown>;
        succeed(ctx, lane, batch.positions.slice(0, lowest));
        advanceCheckpoint(ctx, c);
        const rest = batch.positions.slice(lowest);
        for (const p of rest) settle(ctx, c, p, 'waiting');
        const retry = { ...batch, positions: rest };
        if (esm.bisectBatchOnError) {
          // With bisect on, the batch is split at the returned sequence number: a split, not a retry.
          const next: Batch = { ...retry, id: ctx.ids.short('b'), invocations: 0, bisectDepth: batch.bisectDepth + 1, event: undefined };
          batches.delete(batch.id);
          lane.pending.unshift(next);
          lane.status = 'bisecting';
          return;
        }
        batch.positions = rest;
        batch.event = undefined;
        // The rest is retried: this spends a retry like a whole-batch failure.
        retryOrGiveUp(ctx, lane, batch);
        return;
      }
    }
    failedAttempt(ctx, lane, batch);
  };

  // ---------------------------------------------------------------------------------------------
  // View

  const refreshView = (ctx: EngineContext, c: Consumer) => {
    const view = ctx.state.modules[STREAM] as StreamViewState;
    const source = view.sources[c.mapping.source.name];
    const shardView = source.shards[c.shard.index];
    shardView.tip = c.shard.ids.length;
    shardView.trimmed = c.shard.trimIndex;
    const row = shardView.consumers[c.viewIndex];
    const tip = c.shard.ids.length;
    row.checkpoint = c.checkpoint;
    row.waiting = Math.max(0, tip - c.checkpoint - countDoneAhead(c));
    row.iteratorAgeMs = c.checkpoint < tip ? ctx.now - putAt(ctx, c.shard, c.checkpoint) : 0;
    let status = 'idle' as ShardConsumerStatus;
    let attempt: number | undefined;
    for (let i = 0; i < c.lanes.length; i++) {
      const lane = c.lanes[i];
      const laneView = row.lanes[i];
      const batch = lane.inFlight ?? lane.pending[0];
      laneView.buffered = bufferLength(lane);
      if (batch) {
        const b = laneView.batch;
        const size = batch.positions.length;
        const att = lane.inFlight ? batch.invocations : batch.invocations + 1;
        if (!b || b.batchId !== batch.id || b.size !== size || b.attempt !== att || b.inFlight !== Boolean(lane.inFlight) || b.bisectDepth !== batch.bisectDepth) {
          laneView.batch = { batchId: batch.id, size, attempt: att, bisectDepth: batch.bisectDepth, inFlight: Boolean(lane.inFlight) };
        }
      } else if (laneView.batch) delete laneView.batch;
      let laneStatus: ShardConsumerStatus = batch ? lane.status : bufferLength(lane) > 0 ? 'flowing' : 'idle';
      if (!c.mapping.esm.enabled && tip > c.checkpoint) laneStatus = 'blocked';
      if (laneStatus === 'idle' && batch) laneStatus = 'flowing';
      if (rank[laneStatus] > rank[status]) {
        status = laneStatus;
        if (laneStatus === 'retrying' && batch) attempt = lane.inFlight ? batch.invocations : batch.invocations + 1;
      }
    }
    if (status === 'idle' && tip > c.checkpoint) status = 'flowing';
    if (row.status !== status) row.status = status;
    if (status === 'retrying') {
      row.attempt = attempt;
      row.maxAttempts = c.mapping.esm.retryAttempts < 0 ? -1 : c.mapping.esm.retryAttempts + 1;
    } else {
      if (row.attempt !== undefined) delete row.attempt;
      if (row.maxAttempts !== undefined) delete row.maxAttempts;
    }
  };

  const rank = { idle: 0, flowing: 1, bisecting: 2, retrying: 3, blocked: 4 } as const;

  /** Finished records past the checkpoint (lanes finish out of order); bounded by the read-ahead. */
  const countDoneAhead = (c: Consumer) => {
    // Records between the checkpoint and the read index that are already finished.
    const read = c.readIndex - c.checkpoint;
    return Math.max(0, read - c.buffered);
  };

  const init = (ctx: EngineContext) => {
    epochMs = ctx.epochMs;
    account = { region: ctx.model.region, accountId: ctx.model.accountId };
    const view: StreamViewState = { sources: {} };
    const declared: Array<{ name: string; kind: 'stream' | 'table' }> = [
      ...Object.keys(ctx.model.streams).map((name) => ({ name, kind: 'stream' as const })),
      ...Object.keys(ctx.model.tables).map((name) => ({ name, kind: 'table' as const })),
    ];
    for (const { name, kind } of declared) {
      const service: Service = kind === 'stream' ? 'kinesis' : 'dynamodb';
      const spec = kind === 'stream' ? ctx.model.streams[name] : ctx.model.tables[name];
      const table = kind === 'table' ? ctx.model.tables[name] : undefined;
      const shards: Shard[] = [];
      for (let i = 0; i < spec.shardCount; i++) {
        shards.push({
          index: i,
          shardId: kind === 'stream' ? kinesisShardId(i) : dynamodbShardId(name, i),
          seq: sequenceFormatter(service, i),
          ids: [],
          trimIndex: 0,
          consumers: [],
        });
      }
      const source: Source = {
        name,
        kind,
        service,
        arn: kind === 'stream' ? streamArn(account, name) : tableStreamArn(account, name),
        retentionMs: spec.retentionPeriodMs,
        shards,
        partitionKeyName: table?.partitionKey,
        streamViewType: table?.streamViewType,
        shardOfKey: new Map(),
        mappings: [],
        putCount: 0,
      };
      sources.set(name, source);
      const sourceView: StreamSourceView = {
        name,
        kind,
        service,
        arn: source.arn,
        retentionMs: source.retentionMs,
        put: 0,
        shards: shards.map((s) => ({ shardId: s.shardId, index: s.index, tip: 0, trimmed: 0, consumers: [] })),
        recentFailures: [],
      };
      view.sources[name] = sourceView;
    }
    for (const esm of ctx.model.eventSourceMappings) {
      if (esm.sourceKind !== 'kinesis' && esm.sourceKind !== 'dynamodb') continue;
      const source = sources.get(esm.source);
      if (!source) continue;
      const mapping: Mapping = {
        esm,
        source,
        owner: source.mappings.length === 0,
        laneOfKey: new Map(),
        fnArn: functionArn(account, esm.function, esm.qualifier),
      };
      source.mappings.push(mapping);
      for (const shard of source.shards) {
        const consumer: Consumer = {
          mapping,
          shard,
          lanes: [],
          readIndex: 0,
          done: new Uint8Array(1024),
          checkpoint: 0,
          buffered: 0,
          lastPollAt: -Infinity,
          viewIndex: shard.consumers.length,
        };
        for (let l = 0; l < esm.parallelizationFactor; l++) {
          consumer.lanes.push({ index: l, consumer, buffer: [], head: 0, pending: [], status: 'idle' });
        }
        shard.consumers.push(consumer);
        const row: ShardConsumerView = {
          mapping: esm.id,
          fn: esm.function,
          checkpoint: 0,
          waiting: 0,
          iteratorAgeMs: 0,
          status: 'idle',
          lanes: consumer.lanes.map((l) => ({ lane: l.index, buffered: 0 })),
        };
        view.sources[source.name].shards[shard.index].consumers.push(row);
      }
    }
    ctx.state.modules[STREAM] = view;
    for (const source of sources.values()) {
      for (const mapping of source.mappings) {
        if (mapping.esm.enabled && mapping.esm.startAtMs > 0) ctx.schedule(mapping.esm.startAtMs, STREAM, 'start', mapping);
      }
    }
  };

  return {
    name: STREAM,
    accepts: ['stream', 'table'],
    init,
    put,
    onTimer(ctx, timer) {
      switch (timer.kind) {
        case 'poll':
          poll(ctx, timer.data as Consumer);
          return;
        case 'start': {
          // The mapping is created now (startAt). startingPosition 'LATEST' reads only records put from
          // now on: those already in the stream are skipped (docs/fidelity.md); TRIM_HORIZON starts
          // from the oldest record the stream still keeps.
          const mapping = timer.data as Mapping;
          for (const shard of mapping.source.shards) {
            const c = shard.consumers.find((x) => x.mapping === mapping)!;
            if (mapping.esm.startingPosition === 'LATEST') {
              c.readIndex = shard.ids.length;
              c.checkpoint = shard.ids.length;
            }
            dirty.add(c);
            ensurePoll(ctx, c);
          }
          return;
        }
        case 'retention': {
          const { source, shard } = timer.data as { source: string; shard: number };
          const s = sources.get(source)!;
          trim(ctx, s, s.shards[shard]);
          return;
        }
        case 'backoff': {
          const lane = timer.data as Lane;
          lane.backoff = undefined;
          ready.add(lane);
          ctx.wake(STREAM);
          return;
        }
        case 'gather':
        case 'window': {
          const lane = timer.data as Lane;
          if (timer.kind === 'gather') lane.gatherTimer = undefined;
          else if (lane.window) {
            lane.window.timer = undefined;
            // The final invoke waits for a poll past the window's end, so that late records join the window.
            const c = lane.consumer;
            if (c.lastPollAt < lane.window.endMs && !c.pollTimer && c.mapping.esm.enabled) {
              c.pollTimer = ctx.schedule(Math.max(ctx.now, c.lastPollAt + pollInterval(c.mapping.source)), STREAM, 'poll', c);
            }
          }
          ready.add(lane);
          ctx.wake(STREAM);
          return;
        }
      }
    },
    onComplete,
    dispatch(ctx) {
      const lanes = [...ready];
      ready.clear();
      for (const lane of lanes) {
        if (tryLane(ctx, lane)) ready.add(lane);
        ensurePoll(ctx, lane.consumer);
      }
      return ready.size > 0;
    },
    sample(ctx) {
      // Everything below is view (the summary reads the ledgers, and peak ages come from observeAge).
      if (!ctx.views) {
        dirty.clear();
        return;
      }
      for (const c of dirty) refreshView(ctx, c);
      dirty.clear();
      // Iterator age climbs while a shard is behind: refresh the rows of shards with unfinished records.
      for (const source of sources.values()) {
        for (const shard of source.shards) {
          for (const c of shard.consumers) {
            if (c.checkpoint < shard.ids.length) {
              const view = ctx.state.modules[STREAM] as StreamViewState;
              const row = view.sources[source.name].shards[shard.index].consumers[c.viewIndex];
              const age = ctx.now - putAt(ctx, shard, c.checkpoint);
              if (row.iteratorAgeMs !== age) row.iteratorAgeMs = age;
            }
          }
        }
      }
      const view = ctx.state.modules[STREAM] as StreamViewState;
      for (const source of sources.values()) {
        if (view.sources[source.name].put !== source.putCount) view.sources[source.name].put = source.putCount;
      }
    },
    inspect(ctx, key) {
      const ref = batches.get(key);
      if (ref) return ref.batch.event ?? batchEvent(ctx, ref.lane, ref.batch);
      const recent = recentBatches.find((b) => b.id === key);
      if (recent) return recent.event;
      // A sequence number: find its shard by prefix and its position by the counter digits.
      for (const source of sources.values()) {
        for (const shard of source.shards) {
          const prefix = shard.seq(0).replace(/0+$/, '');
          if (!key.startsWith(prefix.slice(0, source.service === 'kinesis' ? 8 : 7))) continue;
          const p = Number(key.slice(source.service === 'kinesis' ? 8 : 7));
          if (!Number.isSafeInteger(p) || p < 0 || p >= shard.ids.length || shard.seq(p) !== key) continue;
          const c = shard.consumers[0];
          if (c) return recordShape(ctx, c, p);
          return { sequenceNumber: key, body: ctx.records.get(shard.ids[p]).body };
        }
      }
      return undefined;
    },
  };
}

