/**
 * A mapping's pollers in the dispatch phase: they top up the batch filling during its batching window,
 * start batches while slots are free, and invoke the function synchronously with each batch; a throttled
 * batch is held and retried with backoff until its visibility timeout ends (docs/aws-rules.md §3.1-§3.3).
 */
import type { EngineContext } from '../../module.js';
import { SQS, THROTTLE_RETRY_MAX_MS } from './constants.js';
import { eventOf, newBatch } from './batch.js';
import { fill } from './receive.js';
import { type Batch, type MappingRuntime, schedule, type SqsRuntime, wake } from './runtime.js';
import { ensureScaleTimer } from './scaling.js';

/** Invokes the function with a batch; false when Lambda throttled it (the batch is then held). */
export function invokeBatch(rt: SqsRuntime, ctx: EngineContext, b: Batch): boolean {
  const m = b.mapping;
  let attempt = 1;
  for (const r of b.receipts) if (r > attempt) attempt = r;
  // docs/versions.md: a mapping bound to an alias draws the version per batch (one invoke per batch).
  const result = ctx.invoke({
    fn: m.model.function,
    qualifier: m.model.qualifier,
    trigger: 'esm',
    owner: SQS,
    ref: b,
    event: () => eventOf(rt, ctx, b),
    records: b.ids,
    attempt,
    source: m.queue.name,
    batchId: b.id,
    recordIds: b.ids.map((id) => ctx.records.itemId(id)),
  });
  if (result.ok) {
    b.state = 'invoking';
    b.requestId = result.requestId;
    m.invoking++;
    return true;
  }
  // docs/aws-rules.md §3.2 / S20: a throttled batch is retried with backoff while its messages are invisible;
  // when the visibility timeout ends they reappear (visibility timer), and the mapping backs off.
  b.state = 'held';
  m.held++;
  m.backoffSignals++;
  ensureScaleTimer(ctx, m);
  const retryAt = ctx.now + b.retryDelayMs;
  b.retryDelayMs = Math.min(THROTTLE_RETRY_MAX_MS, b.retryDelayMs * 2);
  if (retryAt < b.deadlineMs) b.retryTimer = schedule(ctx, retryAt, 'retry', b);
  return false;
}

function startBatch(rt: SqsRuntime, ctx: EngineContext, b: Batch): void {
  rt.liveBatches.set(b.id, b);
  b.visibilityTimer = schedule(ctx, b.deadlineMs, 'visibility', b);
}

/** Phase 4 for one mapping: top up the filling batch, then start batches while slots are free. */
export function serve(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime): void {
  const q = m.queue;
  if (m.open && fill(rt, ctx, m, m.open)) {
    const b = m.open;
    m.open = undefined;
    if (!invokeBatch(rt, ctx, b)) return;
  }
  // docs/aws-rules.md §3.3: a FIFO mapping starts a batch for every ready message group at once, up to the cap.
  const limit = m.fifo ? m.cap : m.target;
  while (m.batches < limit && q.hasVisible()) {
    const b = newBatch(ctx, m);
    const close = fill(rt, ctx, m, b);
    if (b.ids.length === 0) continue; // everything it met was filtered, redriven or expired
    m.batches++;
    startBatch(rt, ctx, b);
    if (close || m.model.maxBatchingWindowMs === 0) {
      if (!invokeBatch(rt, ctx, b)) return; // throttled: no more receives this tick
    } else {
      // docs/aws-rules.md §3.1: the batch closes at the end of the window if it does not fill first.
      m.open = b;
      schedule(ctx, b.openedAtMs + m.model.maxBatchingWindowMs, 'window', b);
      break;
    }
  }
  if (q.hasVisible() && m.batches >= limit) m.waited = true;
}

/** The batching window of the filling batch ended: it closes with what it has and is invoked. */
export function windowEnds(rt: SqsRuntime, ctx: EngineContext, b: Batch): void {
  const m = b.mapping;
  if (m.open !== b) return;
  m.open = undefined;
  fill(rt, ctx, m, b);
  invokeBatch(rt, ctx, b);
  wake(rt, ctx);
}

/** A held (throttled) batch's backoff ended: it is invoked again. */
export function retryHeld(rt: SqsRuntime, ctx: EngineContext, b: Batch): void {
  if (b.state !== 'held') return;
  b.retryTimer = undefined;
  b.mapping.held--;
  invokeBatch(rt, ctx, b);
}

/** A mapping created later than the run's start (startAt) begins polling now. */
export function startMapping(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime): void {
  if (m.queue.hasVisible()) ensureScaleTimer(ctx, m);
  wake(rt, ctx);
}
