/** The AWS-shaped records and events of a stream batch, and their payload size (docs/aws-rules.md §3.4, §7). */
import { tumblingWindowEvent } from '../../aws/kinesis.js';
import type { EngineContext } from '../../module.js';
import type { ShapeInput } from './kinds.js';
import type { PackedKinesisBatch } from './records.js';
import type { Batch, Consumer, Lane, StreamRuntime } from './runtime.js';

/** What a record adds to the invocation payload beyond its data (field names, ids, ARNs), approximately. */
const RECORD_OVERHEAD_BYTES = 300;

type Records = { records: EngineContext['records'] };

function shapeInput(rt: StreamRuntime, ctx: Records, c: Consumer, p: number): ShapeInput {
  const source = c.mapping.source;
  const id = c.shard.ids[p];
  return {
    account: rt.account,
    source: source.name,
    partitionKeyName: source.partitionKeyName,
    streamViewType: source.streamViewType,
    shardIndex: c.shard.index,
    sequenceNumber: c.shard.seq(p),
    partitionKey: ctx.records.partitionKey(id),
    body: ctx.records.body(id),
    atEpochMs: rt.epochMs(ctx.records.putAtMs(id)),
    functionName: c.mapping.esm.function,
  };
}

/** The record at position `p` of the consumer's shard, as the function receives it. */
export function recordShape(rt: StreamRuntime, ctx: Records, c: Consumer, p: number): unknown {
  return c.mapping.source.spec.record(shapeInput(rt, ctx, c, p));
}

export function batchEvent(rt: StreamRuntime, ctx: Records, lane: Lane, batch: Batch): unknown {
  return eventOf(rt, ctx, lane.consumer, batch.positions, lane.window, batch.final);
}

/**
 * The event of an invocation of `positions` of the consumer's shard, inside `window` when the mapping has
 * tumbling windows (a kept invocation rebuilds its event with this: RecentInvoke).
 */
export function eventOf(
  rt: StreamRuntime,
  ctx: Records,
  c: Consumer,
  positions: readonly number[],
  window: { startMs: number; endMs: number; state: Record<string, unknown> } | undefined,
  final: { terminatedEarly: boolean } | undefined,
): unknown {
  const source = c.mapping.source;
  const inputs = positions.map((p) => shapeInput(rt, ctx, c, p));
  if (c.mapping.esm.tumblingWindowMs > 0 && window) {
    // docs/aws-rules.md §3.4: tumbling-window invocations carry window, state, shardId, eventSourceARN and the flags.
    return tumblingWindowEvent(inputs.map(source.spec.record), {
      windowStartEpochMs: rt.epochMs(window.startMs),
      windowEndEpochMs: rt.epochMs(window.endMs),
      state: window.state,
      shardId: c.shard.shardId,
      eventSourceARN: source.arn,
      isFinalInvokeForWindow: final !== undefined,
      isWindowTerminatedEarly: final?.terminatedEarly ?? false,
    });
  }
  return source.spec.event(inputs);
}

/**
 * A Kinesis batch packed as plain columns (stream/records.ts, PackedKinesisBatch): what a port needs to
 * build the event where the handler runs, without building its objects here and copying them to a
 * worker. `unpackKinesisBatch` of it equals `batchEvent` (a test holds the two together). Undefined for
 * the events built as objects only: DynamoDB records and tumbling-window invocations.
 */
export function packedBatchEvent(rt: StreamRuntime, ctx: Records, lane: Lane, batch: Batch): PackedKinesisBatch | undefined {
  const c = lane.consumer;
  const source = c.mapping.source;
  if (source.service !== 'kinesis' || c.mapping.esm.tumblingWindowMs > 0) return undefined;
  const records = ctx.records;
  const ids = c.shard.ids;
  const n = batch.positions.length;
  const partitionKeys = new Array<string>(n);
  const data = new Array<string | Uint8Array | number>(n);
  const arrivalEpochMs = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const id = ids[batch.positions[k]];
    partitionKeys[k] = records.partitionKey(id) ?? '';
    const payload = records.hasDefaultBody(id) ? records.position(id) : records.payload(id);
    // Bytes that view a larger buffer are copied out: a worker would receive the whole buffer.
    data[k] = payload instanceof Uint8Array && payload.byteLength !== payload.buffer.byteLength ? payload.slice() : payload;
    arrivalEpochMs[k] = rt.epochMs(records.putAtMs(id));
  }
  return {
    kind: 'kinesis',
    region: rt.account.region,
    accountId: rt.account.accountId,
    streamName: source.name,
    functionName: c.mapping.esm.function,
    shardIndex: c.shard.index,
    positions: batch.positions.slice(),
    partitionKeys,
    data,
    arrivalEpochMs,
  };
}

/** A record's share of the invocation payload, from its size measured once at put (RecordStore.bytes). */
export function recordBytes(ctx: EngineContext, c: Consumer, p: number): number {
  return c.mapping.source.spec.dataBytes(ctx.records.bytes(c.shard.ids[p])) + RECORD_OVERHEAD_BYTES;
}
