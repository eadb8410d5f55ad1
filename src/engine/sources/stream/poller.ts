/**
 * A mapping's poller for one shard (docs/aws-rules.md §3.4): GetRecords at the kind's rate, records spread
 * over `parallelizationFactor` lanes by partition key, batches formed per lane (batchSize, 6 MB, the
 * batching window, one tumbling window each), and one invocation per lane at a time.
 */
import { matchesFilterCriteria } from '../../../lang/patterns.js';
import { laneForPartitionKey } from '../../aws/kinesis.js';
import type { EngineContext } from '../../module.js';
import { advanceCheckpoint, markDone, settle } from './checkpoint.js';
import { batchEvent, packedBatchEvent, recordBytes, recordShape } from './event.js';
import { fail } from './on-failure.js';
import {
  type Batch,
  type BatchRef,
  bufferLength,
  type Consumer,
  type Lane,
  newBatch,
  oldestAgeMs,
  putAt,
  RECENT_STREAM_INVOKES,
  retryDelayMs,
  schedule,
  shiftBuffer,
  STREAM,
  type StreamRuntime,
} from './runtime.js';
import { finalDue, openWindow } from './window.js';

/** GetRecords returns at most 10,000 records per call (Kinesis API limit). */
export const GET_RECORDS_MAX = 10_000;
/** At most this many records read ahead per mapping and shard (a bound on buffered records). */
export const READ_AHEAD_MAX = 10_000;
/** docs/aws-rules.md §3.1: a batch closes at 6 MB of payload. */
export const BATCH_BYTES_MAX = 6 * 1024 * 1024;

export function ensurePoll(ctx: EngineContext, c: Consumer): void {
  if (c.pollTimer || !c.mapping.esm.enabled) return;
  // A mapping created later in the run (startAt) reads nothing before then.
  if (ctx.now < c.mapping.esm.startAtMs) return;
  if (c.readIndex >= c.shard.ids.length || c.buffered >= READ_AHEAD_MAX) return;
  const at = Math.max(ctx.now, c.lastPollAt + c.mapping.source.spec.pollIntervalMs);
  c.pollTimer = schedule(ctx, at, 'poll', c);
}

export function poll(rt: StreamRuntime, ctx: EngineContext, c: Consumer): void {
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
      const key = ctx.records.partitionKey(shard.ids[p]) ?? '';
      let cached = mapping.laneOfKey.get(key);
      if (cached === undefined) {
        cached = laneForPartitionKey(key, factor);
        mapping.laneOfKey.set(key, cached);
      }
      lane = cached;
    }
    c.lanes[lane].buffer.push(p);
    c.buffered++;
    rt.ready.add(c.lanes[lane]);
  }
  c.readIndex = Math.max(c.readIndex, limit);
  rt.dirty.add(c);
  ctx.wake(STREAM);
  // Tumbling windows wait for a poll past their end before the final invoke.
  for (const lane of c.lanes) if (lane.window) rt.ready.add(lane);
  ensurePoll(ctx, c);
}

/** Takes the next batch from a lane's buffer, settling what is skipped (trimmed, filtered, too old). */
function formBatch(rt: StreamRuntime, ctx: EngineContext, lane: Lane): Batch | undefined {
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
    if (esm.tumblingWindowMs > 0) {
      // docs/aws-rules.md §3.4: windows are keyed on record arrival time; a batch never spans two windows.
      const key = Math.floor(ctx.records.putAtMs(c.shard.ids[p]) / esm.tumblingWindowMs);
      if (lane.window && key * esm.tumblingWindowMs !== lane.window.startMs) break;
      if (windowKey !== undefined && key !== windowKey) break;
      windowKey = key;
    }
    if (esm.filters.length > 0 && !matchesFilterCriteria(esm.filters, recordShape(rt, ctx, c, p), esm.sourceKind)) {
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
  if (touched) advanceCheckpoint(rt, ctx, c);
  if (positions.length === 0) return undefined;
  return newBatch(ctx, positions);
}

/** Starts the lane's next invocation if it can; returns true if it should be tried again next tick. */
export function tryLane(rt: StreamRuntime, ctx: EngineContext, lane: Lane): boolean {
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
          advanceCheckpoint(rt, ctx, c);
          continue;
        }
      }
    } else {
      if (esm.tumblingWindowMs > 0 && lane.window && finalDue(ctx, lane)) {
        batch = newBatch(ctx, [], { terminatedEarly: lane.window.terminatedEarly });
        lane.pending.push(batch);
      } else {
        const available = bufferLength(lane);
        if (available === 0) {
          lane.status = 'idle';
          rt.dirty.add(c);
          return false;
        }
        if (esm.maxBatchingWindowMs > 0 && available < esm.batchSize) {
          // docs/aws-rules.md §3.1: gather until the window ends or the batch is full.
          if (lane.gatherUntil === undefined) {
            lane.gatherUntil = ctx.now + esm.maxBatchingWindowMs;
            lane.gatherTimer = schedule(ctx, lane.gatherUntil, 'gather', lane);
          }
          if (ctx.now < lane.gatherUntil) return false;
        }
        if (lane.gatherTimer) ctx.cancel(lane.gatherTimer);
        lane.gatherTimer = undefined;
        lane.gatherUntil = undefined;
        const formed = formBatch(rt, ctx, lane);
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
      fail(rt, ctx, lane, batch, 'RecordAgeExceeded');
      continue;
    }
    return invoke(rt, ctx, lane, batch);
  }
}

/**
 * A dashboard reads the views: keep this invocation (its event if real code got it built, else what
 * rebuilds it) among the mapping's last RECENT_STREAM_INVOKES, for the Log pane's enter. A headless run
 * keeps nothing.
 */
function keep(c: Consumer, requestId: string, lane: Lane, batch: Batch): void {
  const recent = c.mapping.recent;
  const w = lane.window;
  recent.push({
    requestId,
    batchId: batch.id,
    consumer: c,
    positions: batch.positions,
    checkpoint: c.checkpoint,
    ...(w && c.mapping.esm.tumblingWindowMs > 0 ? { window: { startMs: w.startMs, endMs: w.endMs, state: w.state } } : {}),
    ...(batch.final ? { final: batch.final } : {}),
    ...(batch.event !== undefined ? { event: batch.event } : {}),
  });
  if (recent.length > RECENT_STREAM_INVOKES) recent.shift();
}

function invoke(rt: StreamRuntime, ctx: EngineContext, lane: Lane, batch: Batch): boolean {
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
    event: () => (batch.event = batchEvent(rt, ctx, lane, batch)),
    packedEvent: () => packedBatchEvent(rt, ctx, lane, batch),
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
    lane.backoff = schedule(ctx, ctx.now + retryDelayMs(batch.throttles), 'backoff', lane);
    rt.dirty.add(c);
    return false;
  }
  batch.throttles = 0;
  batch.invocations++;
  batch.lastRequestId = started.requestId;
  batch.lastVersion = started.version;
  lane.pending.shift();
  lane.inFlight = batch;
  rt.batches.set(batch.id, { lane, batch });
  if (ctx.views) keep(c, started.requestId, lane, batch);
  for (const p of batch.positions) settle(ctx, c, p, 'inFlight');
  lane.status = batch.bisectDepth > 0 ? 'bisecting' : batch.invocations > 1 ? 'retrying' : 'flowing';
  rt.dirty.add(c);
  return false;
}
