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
 *
 * The module is split by concept under stream/: kinds (what differs between Kinesis and DynamoDB Streams,
 * as data), runtime (the state every helper receives), records and event (record shapes), shards (puts and
 * retention), poller, checkpoint, window, retry (bisect and backoff), on-failure, outcome, sample and view.
 */
import { functionArn } from '../aws/arn.js';
import type { EngineModule } from '../module.js';
import type { RecordStore } from '../records.js';
import { startAtLatest } from './stream/checkpoint.js';
import { batchEvent, eventOf, recordShape } from './stream/event.js';
import { STREAM_KINDS } from './stream/kinds.js';
import { completeBatch } from './stream/outcome.js';
import { ensurePoll, poll, tryLane } from './stream/poller.js';
import { sequenceFormatter } from './stream/records.js';
import {
  type BatchRef,
  type Consumer,
  createRuntime,
  type Mapping,
  type RecentInvoke,
  schedule,
  type Shard,
  type Source,
  STREAM,
  type StreamRuntime,
  type StreamTimers,
} from './stream/runtime.js';
import { sampleView } from './stream/sample.js';
import { putRecord, trim } from './stream/shards.js';
import type { ShardConsumerView, StreamSourceView, StreamViewState } from './stream/view.js';

export type { StreamViewState, StreamSourceView, ShardView, ShardConsumerView, StreamLaneView, StreamFailureView, ShardConsumerStatus } from './stream/view.js';
export { STREAM, RETRY_BASE_MS, RETRY_MAX_MS, retryDelayMs } from './stream/runtime.js';
export { GET_RECORDS_MAX, READ_AHEAD_MAX, BATCH_BYTES_MAX } from './stream/poller.js';
export { WINDOW_STATE_BYTES_MAX } from './stream/outcome.js';
export { STREAM_KINDS } from './stream/kinds.js';

/**
 * The stream module: Kinesis streams ('stream') and DynamoDB tables with streams ('table').
 *
 * @example
 * const modules = [createSyncModule(), createStreamModule()];
 */
export function createStreamModule(): EngineModule<StreamTimers, BatchRef, StreamViewState> {
  let rt = createRuntime();
  return {
    name: STREAM,
    save: () => rt,
    restore(saved) {
      rt = saved as typeof rt;
    },
    accepts: ['stream', 'table'],
    init(ctx) {
      rt.epochMs = ctx.epochMs;
      const account = (rt.account = { region: ctx.model.region, accountId: ctx.model.accountId });
      const view: StreamViewState = { sources: {} };
      const declared: Array<{ name: string; kind: 'stream' | 'table' }> = [
        ...Object.keys(ctx.model.streams).map((name) => ({ name, kind: 'stream' as const })),
        ...Object.keys(ctx.model.tables).map((name) => ({ name, kind: 'table' as const })),
      ];
      for (const { name, kind } of declared) {
        const spec = STREAM_KINDS[kind];
        const declaredAs = kind === 'stream' ? ctx.model.streams[name] : ctx.model.tables[name];
        const table = kind === 'table' ? ctx.model.tables[name] : undefined;
        const shards: Shard[] = [];
        for (let i = 0; i < declaredAs.shardCount; i++) {
          shards.push({ index: i, shardId: spec.shardId(name, i), seq: sequenceFormatter(spec.service, i), ids: [], trimIndex: 0, consumers: [] });
        }
        const source: Source = {
          name,
          kind,
          service: spec.service,
          spec,
          arn: spec.arn(account, name),
          retentionMs: declaredAs.retentionPeriodMs,
          shards,
          partitionKeyName: table?.partitionKey,
          streamViewType: table?.streamViewType,
          shardOfKey: new Map(),
          mappings: [],
          putCount: 0,
        };
        rt.sources.set(name, source);
        const sourceView: StreamSourceView = {
          name,
          kind,
          service: spec.service,
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
        const source = rt.sources.get(esm.source);
        if (!source) continue;
        const mapping: Mapping = {
          esm,
          source,
          owner: source.mappings.length === 0,
          laneOfKey: new Map(),
          fnArn: functionArn(account, esm.function, esm.qualifier),
          recent: [],
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
      for (const source of rt.sources.values()) {
        for (const mapping of source.mappings) {
          if (mapping.esm.enabled && mapping.esm.startAtMs > 0) schedule(ctx, mapping.esm.startAtMs, 'start', mapping);
        }
      }
      return view;
    },
    put(ctx, resource, record) {
      putRecord(rt, ctx, resource, record);
    },
    onTimer(ctx, timer) {
      switch (timer.kind) {
        case 'poll':
          poll(rt, ctx, timer.data);
          return;
        case 'start': {
          // The mapping is created now (startAt). startingPosition 'LATEST' reads only records put from
          // now on: those already in the stream are skipped (docs/fidelity.md); TRIM_HORIZON starts
          // from the oldest record the stream still keeps.
          const mapping = timer.data;
          for (const shard of mapping.source.shards) {
            const c = shard.consumers.find((x) => x.mapping === mapping)!;
            if (mapping.esm.startingPosition === 'LATEST') startAtLatest(c);
            rt.dirty.add(c);
            ensurePoll(ctx, c);
          }
          return;
        }
        case 'retention': {
          trim(rt, ctx, timer.data.source, timer.data.shard);
          return;
        }
        case 'backoff': {
          const lane = timer.data;
          lane.backoff = undefined;
          rt.ready.add(lane);
          ctx.wake(STREAM);
          return;
        }
        case 'gather':
        case 'window': {
          const lane = timer.data;
          if (timer.kind === 'gather') lane.gatherTimer = undefined;
          else if (lane.window) {
            lane.window.timer = undefined;
            // The final invoke waits for a poll past the window's end, so that late records join the window.
            const c = lane.consumer;
            if (c.lastPollAt < lane.window.endMs && !c.pollTimer && c.mapping.esm.enabled) {
              c.pollTimer = schedule(ctx, Math.max(ctx.now, c.lastPollAt + c.mapping.source.spec.pollIntervalMs), 'poll', c);
            }
          }
          rt.ready.add(lane);
          ctx.wake(STREAM);
          return;
        }
      }
    },
    onComplete(ctx, ref, result) {
      completeBatch(rt, ctx, ref, result);
    },
    dispatch(ctx) {
      const lanes = [...rt.ready];
      rt.ready.clear();
      for (const lane of lanes) {
        if (tryLane(rt, ctx, lane)) rt.ready.add(lane);
        ensurePoll(ctx, lane.consumer);
      }
      return rt.ready.size > 0;
    },
    sample(ctx, view) {
      sampleView(rt, ctx, view);
    },
    inspect(ictx, key) {
      const ref = rt.batches.get(key);
      if (ref) return ref.batch.event ?? batchEvent(rt, ictx, ref.lane, ref.batch);
      const recent = rt.recentBatches.find((b) => b.id === key);
      if (recent) return recent.event;
      const invoked = recentInvoke(rt, key);
      if (invoked) return invocationView(rt, ictx, invoked);
      // A sequence number: find its shard by prefix and its position by the counter digits.
      for (const source of rt.sources.values()) {
        const prefixLength = source.spec.sequencePrefixLength;
        for (const shard of source.shards) {
          const prefix = shard.seq(0).replace(/0+$/, '');
          if (!key.startsWith(prefix.slice(0, prefixLength))) continue;
          const p = Number(key.slice(prefixLength));
          if (!Number.isSafeInteger(p) || p < 0 || p >= shard.ids.length || shard.seq(p) !== key) continue;
          const c = shard.consumers[0];
          if (c) return recordShape(rt, ictx, c, p);
          return { sequenceNumber: key, body: ictx.records.body(shard.ids[p]) };
        }
      }
      return undefined;
    },
  };
}

/** A kept invocation by its request id (Mapping.recent), newest first; undefined when none keeps it. */
function recentInvoke(rt: StreamRuntime, requestId: string): RecentInvoke | undefined {
  for (const source of rt.sources.values()) {
    for (const mapping of source.mappings) {
      for (let i = mapping.recent.length - 1; i >= 0; i--) if (mapping.recent[i].requestId === requestId) return mapping.recent[i];
    }
  }
  return undefined;
}

/**
 * A kept invocation as the inspector shows it: the shard and the consumer's checkpoint when it was
 * invoked (the sequence number of the last record checkpointed, null before the first), the batch's first
 * and last sequence numbers, and the event its handler received (built now from the record columns when
 * no real code built it then).
 */
function invocationView(rt: StreamRuntime, ictx: { records: RecordStore }, k: RecentInvoke) {
  const c = k.consumer;
  const seq = (p: number) => c.shard.seq(p);
  return {
    batchId: k.batchId,
    source: c.mapping.source.name,
    shardId: c.shard.shardId,
    mapping: c.mapping.esm.id,
    checkpoint: k.checkpoint > 0 ? seq(k.checkpoint - 1) : null,
    records: k.positions.length,
    ...(k.positions.length > 0 ? { firstSequenceNumber: seq(k.positions[0]), lastSequenceNumber: seq(k.positions[k.positions.length - 1]) } : {}),
    event: k.event ?? eventOf(rt, ictx, c, k.positions, k.window, k.final),
  };
}
