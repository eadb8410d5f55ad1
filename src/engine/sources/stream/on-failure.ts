/**
 * A batch the mapping gives up on (docs/aws-rules.md §3.4): its records go to the on-failure destination
 * with the batch-info record (or are dropped), or expire with the stream's retention; the lane moves on.
 */
import { type StreamCondition, streamFailureRecord } from '../../aws/destinations.js';
import { deliverRecord } from '../../delivery.js';
import type { EngineContext } from '../../module.js';
import { advanceCheckpoint, markDone, settle } from './checkpoint.js';
import { batchEvent } from './event.js';
import { type Batch, type Lane, putAt, type StreamRuntime } from './runtime.js';
import { RECENT_STREAM_FAILURES } from './view.js';
import { closeWindow } from './window.js';

/** Sends a batch to onFailure (or drops it) and moves the lane past it. */
export function fail(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch, condition: StreamCondition): void {
  const c = lane.consumer;
  const esm = c.mapping.esm;
  const source = c.mapping.source;
  const epochMs = rt.epochMs;
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
    deliverRecord(ctx, {
      to: dest,
      kind: 'onFailure',
      condition,
      record,
      fn: esm.function,
      source: source.name,
      context: { account: rt.account, functionName: esm.function, epochMs: epochMs(ctx.now), deliveryId: ctx.ids.short('d') },
      // docs/aws-rules.md §3.4: an S3 destination also gets the batch's records as `payload`.
      streamEvent: () => batchEvent(rt, ctx, lane, batch),
    });
    to = dest;
  }
  for (const p of positions) {
    settle(ctx, c, p, 'failed', to);
    markDone(c, p);
  }
  noteFailure(rt, ctx, lane, batch, condition, to);
  advanceCheckpoint(rt, ctx, c);
}

/** The stream trimmed a batch's records before it could finish: they expired. */
export function expireBatch(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch): void {
  const c = lane.consumer;
  for (const p of batch.positions) {
    if (c.mapping.owner && ['waiting', 'inFlight'].includes(ctx.records.state(c.shard.ids[p]))) {
      settle(ctx, c, p, 'expired');
      ctx.emit({ t: ctx.now, type: 'record.expired', source: c.mapping.source.name, id: c.shard.seq(p) });
    }
    markDone(c, p);
  }
  noteFailure(rt, ctx, lane, batch, 'Expired', 'expired');
  advanceCheckpoint(rt, ctx, c);
}

function noteFailure(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch, condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'Expired', to: string): void {
  const c = lane.consumer;
  // The view's recentFailures gets it at the tick's end (sample.ts): the module writes its view only there.
  const name = c.mapping.source.name;
  let list = rt.newFailures.get(name);
  if (!list) rt.newFailures.set(name, (list = []));
  list.push({ t: ctx.now, shardId: c.shard.shardId, batchId: batch.id, fn: c.mapping.esm.function, condition, size: batch.positions.length, to });
  if (list.length > RECENT_STREAM_FAILURES) list.shift();
  rememberBatch(rt, ctx, lane, batch);
}

function rememberBatch(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch): void {
  rt.batches.delete(batch.id);
  rt.recentBatches.push({ id: batch.id, event: batch.event ?? batchEvent(rt, ctx, lane, batch) });
  if (rt.recentBatches.length > RECENT_STREAM_FAILURES) rt.recentBatches.shift();
}
