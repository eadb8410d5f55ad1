/** The AWS-shaped records and events of a stream batch, and their payload size (docs/aws-rules.md §3.4, §7). */
import { tumblingWindowEvent } from '../../aws/kinesis.js';
import type { EngineContext } from '../../module.js';
import type { ShapeInput } from './kinds.js';
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

/** A record's share of the invocation payload, from its size measured once at put (RecordStore.bytes). */
export function recordBytes(ctx: EngineContext, c: Consumer, p: number): number {
  return c.mapping.source.spec.dataBytes(ctx.records.bytes(c.shard.ids[p])) + RECORD_OVERHEAD_BYTES;
}
