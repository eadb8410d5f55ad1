/**
 * What happens to a batch's messages after its invocation (docs/aws-rules.md §3.2, §3.3): deleted on
 * success, left invisible until the visibility timeout of their receive ends on failure (all of them, or
 * the ones a partial batch response lists), and visible again when that timeout ends.
 */
import { broken } from '../../invariant.js';
import type { EngineContext, InvocationResult } from '../../module.js';
import type { RecordStore } from '../../records.js';
import { finish } from './batch.js';
import { expire, expiresAt, leave, leftQueue, makeVisible } from './lifecycle.js';
import { groupName } from './message.js';
import { Phase } from './messages.js';
import type { Group, QueueRuntime } from './queue.js';
import { type Batch, type SqsRuntime, wake } from './runtime.js';
import { ensureScaleTimer } from './scaling.js';

/** Whether the batch's receipt for message `i` is still current (not superseded by a later receive). */
function isLive(rt: SqsRuntime, b: Batch, i: number): boolean {
  const id = b.ids[i];
  const phase = rt.msgs.phase[id];
  return rt.msgs.receiveCount[id] === b.receipts[i] && (phase === Phase.Received || phase === Phase.Invisible);
}

function releaseGroup(q: QueueRuntime, g: Group): void {
  if (--g.outstanding < 0) broken('a FIFO group released more messages than it had out', { queue: q.name, group: g.name });
  if (g.outstanding === 0) q.markReady(g);
}

function deleteMessages(rt: SqsRuntime, ctx: EngineContext, b: Batch, indexes: number[], reason?: string): void {
  if (indexes.length === 0) return;
  const q = b.mapping.queue;
  const ids: string[] = [];
  for (const i of indexes) {
    const id = b.ids[i];
    leave(rt, q, id);
    rt.msgs.phase[id] = Phase.Done;
    leftQueue(ctx, q, id);
    q.counts.deleted++;
    ctx.settle(id, 'succeeded');
    ids.push(ctx.records.itemId(id));
    if (q.fifo) releaseGroup(q, q.group(groupName(ctx.records, id)));
  }
  ctx.emit({ t: ctx.now, type: 'sqs.delete', queue: q.name, ids, ...(reason ? { reason } : {}) });
}

/** Failed messages stay invisible until the visibility timeout of their receive ends (docs/aws-rules.md §3.2). */
function failMessages(rt: SqsRuntime, ctx: EngineContext, b: Batch, indexes: number[]): void {
  const q = b.mapping.queue;
  for (const i of indexes) {
    const id = b.ids[i];
    leave(rt, q, id);
    rt.msgs.phase[id] = Phase.Invisible;
    q.counts.invisible++;
    ctx.settle(id, 'waiting');
    if (q.fifo) {
      const g = q.group(groupName(ctx.records, id));
      if (g.invisible++ === 0) q.blocked.add(g.name);
    }
  }
}

/**
 * Which of a batch's messages failed (docs/aws-rules.md §3.2, partial batch response): without
 * ReportBatchItemFailures a response is ignored; with it, an empty list, null or an empty response is a
 * full success, and an empty/null identifier or one not in the batch fails the whole batch.
 *
 * FIFO queues follow the same rule: only the listed messages return to the queue, every other one is
 * deleted. docs/aws-rules.md §3.3 says "stop at first failure and report it plus all later messages"; that is the
 * FUNCTION's duty, not Lambda's: the developer guide (lambda/latest/dg/with-sqs.html) says "the function
 * should stop processing messages after the first failure and return all failed and unprocessed messages
 * in batchItemFailures", and Powertools' SqsFifoPartialProcessor exists to do exactly that. A handler that
 * lists only the failed message gets the later messages of its group deleted, and the failed one is
 * retried after them: group order breaks, which is the pitfall this simulator must show.
 */
function failedIndexes(b: Batch, result: InvocationResult, records: RecordStore): number[] | 'all' {
  if (result.outcome === 'error' || result.outcome === 'timeout') return 'all';
  if (result.outcome === 'success' || !b.mapping.model.reportBatchItemFailures) return [];
  const position = new Map<string, number>();
  b.ids.forEach((id, i) => position.set(records.itemId(id), i));
  const out = new Set<number>();
  for (const itemId of result.failedItemIds ?? []) {
    const i = itemId === '' ? undefined : position.get(itemId);
    if (i === undefined) return 'all';
    out.add(i);
  }
  return [...out].sort((a, c) => a - c);
}

/** A batch's invocation finished: delete what succeeded, leave the failed messages invisible. */
export function complete(rt: SqsRuntime, ctx: EngineContext, b: Batch, result: InvocationResult): void {
  const m = b.mapping;
  m.invoking--;
  m.batches--;
  if (m.invoking < 0 || m.batches < 0) broken('an SQS mapping count went below 0', { mapping: m.model.id, batch: b.id, invoking: m.invoking, batches: m.batches });
  const failed = failedIndexes(b, result, ctx.records);
  const failedSet = failed === 'all' ? undefined : new Set(failed);
  const toDelete: number[] = [];
  const toFail: number[] = [];
  for (let i = 0; i < b.ids.length; i++) {
    // A message whose visibility timeout ended during the invocation was made visible again (and maybe
    // received again): this receipt is stale, and AWS does not delete with it.
    if (!isLive(rt, b, i) || rt.msgs.phase[b.ids[i]] !== Phase.Received) continue;
    if (failed === 'all' || failedSet!.has(i)) toFail.push(i);
    else toDelete.push(i);
  }
  deleteMessages(rt, ctx, b, toDelete);
  failMessages(rt, ctx, b, toFail);
  // S20: Lambda backs off after function errors; with ReportBatchItemFailures it does not scale down.
  if (failed === 'all' && !m.model.reportBatchItemFailures) {
    m.backoffSignals++;
    ensureScaleTimer(ctx, m);
  }
  if (toFail.length === 0) {
    if (b.visibilityTimer) ctx.cancel(b.visibilityTimer);
    finish(rt, b);
  } else b.state = 'failed';
  wake(rt, ctx);
}

/** The visibility timeout of a batch's receive ends: its undeleted messages reappear (docs/aws-rules.md §3.2). */
export function visibilityEnds(rt: SqsRuntime, ctx: EngineContext, b: Batch): void {
  const msgs = rt.msgs;
  const m = b.mapping;
  const q = m.queue;
  b.visibilityTimer = undefined;
  if (b.state === 'held') {
    // S20: a throttled batch is retried only until its visibility timeout ends.
    if (b.retryTimer) ctx.cancel(b.retryTimer);
    m.held--;
    m.batches--;
  }
  if (m.open === b) {
    // Not reachable with an effective visibility above the window, but a batch never outlives it.
    m.open = undefined;
    m.batches--;
  }
  const back: number[] = [];
  for (let i = 0; i < b.ids.length; i++) {
    if (!isLive(rt, b, i)) continue;
    const id = b.ids[i];
    // Still in an invocation that outlasted the visibility timeout: the message returns to the queue
    // while the function runs on, and may be received (and processed) a second time.
    if (msgs.phase[id] === Phase.Received) ctx.settle(id, 'waiting');
    if (q.fifo) {
      const g = q.group(groupName(ctx.records, id));
      if (msgs.phase[id] === Phase.Invisible && --g.invisible <= 0) {
        if (g.invisible < 0) broken('a FIFO group unblocked more failed messages than it held', { queue: q.name, group: g.name, message: ctx.records.itemId(id) });
        q.blocked.delete(g.name);
      }
      // The group's lock is released once per message received: by its delete, or here when it comes back.
      if (--g.outstanding < 0) broken('a FIFO group released more messages than it had out', { queue: q.name, group: g.name });
    }
    leave(rt, q, id);
    msgs.phase[id] = Phase.None;
    back.push(id);
  }
  const visible: number[] = [];
  for (const id of back) {
    // Past its retention period it expires instead of reappearing.
    if (expiresAt(rt, q, id) <= ctx.now) {
      expire(rt, ctx, q, id);
      continue;
    }
    visible.push(id);
    ctx.emit({ t: ctx.now, type: 'sqs.visible', queue: q.name, id: ctx.records.itemId(id), receiveCount: msgs.receiveCount[id] });
  }
  if (q.fifo) {
    // Back to the front of their groups in their order (unshift in reverse), which unlocks the groups.
    for (let k = visible.length - 1; k >= 0; k--) makeVisible(rt, ctx, q, visible[k], true);
  } else {
    for (const id of visible) makeVisible(rt, ctx, q, id, false);
  }
  if (m.held < 0 || m.batches < 0) broken('an SQS mapping count went below 0', { mapping: m.model.id, batch: b.id, held: m.held, batches: m.batches });
  if (b.state !== 'invoking') finish(rt, b);
  wake(rt, ctx);
}
