/**
 * A failed attempt (docs/aws-rules.md §3.4): bisect it (bisectBatchOnError, a split spends no retry), retry
 * it after a backoff, or give it up to on-failure once its retries are spent or its records too old.
 */
import type { EngineContext } from '../../module.js';
import { settle } from './checkpoint.js';
import { expireBatch, fail } from './on-failure.js';
import { type Batch, type Lane, newBatch, oldestAgeMs, retryDelayMs, schedule, STREAM, type StreamRuntime } from './runtime.js';

export function failedAttempt(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch): void {
  const c = lane.consumer;
  const esm = c.mapping.esm;
  for (const p of batch.positions) settle(ctx, c, p, 'waiting');
  // Records the stream trimmed during the attempt are gone: a failed batch loses them.
  if (batch.positions.some((p) => p < c.shard.trimIndex)) {
    const gone = batch.positions.filter((p) => p < c.shard.trimIndex);
    expireBatch(rt, ctx, lane, { ...batch, positions: gone });
    batch.positions = batch.positions.filter((p) => p >= c.shard.trimIndex);
    if (batch.positions.length === 0) return;
  }
  if (esm.bisectBatchOnError && batch.positions.length > 1) {
    // docs/aws-rules.md §3.4: split in two and try the halves in order; a split is not a retry.
    const mid = Math.ceil(batch.positions.length / 2);
    const depth = batch.bisectDepth + 1;
    const a: Batch = { ...newBatch(ctx, batch.positions.slice(0, mid)), retries: batch.retries, bisectDepth: depth };
    const b: Batch = { ...newBatch(ctx, batch.positions.slice(mid)), retries: batch.retries, bisectDepth: depth };
    ctx.emit({ t: ctx.now, type: 'batch.bisect', batchId: batch.id, into: [a.id, b.id], source: c.mapping.source.name, shard: c.shard.shardId });
    rt.batches.delete(batch.id);
    lane.pending.unshift(a, b);
    lane.status = 'bisecting';
    rt.ready.add(lane);
    ctx.wake(STREAM);
    return;
  }
  retryOrGiveUp(rt, ctx, lane, batch);
}

/**
 * Retries a failed batch after a backoff, spending one retry, or sends it to onFailure once retryAttempts
 * are spent or its oldest record is older than maxRecordAge (docs/aws-rules.md §3.4).
 */
export function retryOrGiveUp(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch): void {
  const c = lane.consumer;
  const esm = c.mapping.esm;
  if (esm.retryAttempts >= 0 && batch.retries >= esm.retryAttempts) {
    fail(rt, ctx, lane, batch, 'RetryAttemptsExhausted');
    return;
  }
  if (esm.maxRecordAgeMs >= 0 && oldestAgeMs(ctx, c, batch) > esm.maxRecordAgeMs) {
    fail(rt, ctx, lane, batch, 'RecordAgeExceeded');
    return;
  }
  batch.retries++;
  lane.pending.unshift(batch);
  lane.status = 'retrying';
  lane.backoff = schedule(ctx, ctx.now + retryDelayMs(batch.retries), 'backoff', lane);
}
