/**
 * ReceiveMessage as a mapping's pollers do it: filling a batch from the head of the queue (standard) or of
 * its ready message groups (FIFO), redriving what is past maxReceiveCount, deleting what the mapping's
 * filters reject, and closing at batchSize or 6 MB (docs/aws-rules.md §3.1-§3.3).
 */
import { matchesFilterCriteria } from '../../../lang/patterns.js';
import type { EngineContext } from '../../module.js';
import { MAX_BATCH_BYTES, RECEIVE_MAX_MESSAGES } from './constants.js';
import type { IdDeque } from './deque.js';
import { leave, leftQueue, noteEmpty } from './lifecycle.js';
import { recordOf } from './message.js';
import { Phase } from './messages.js';
import { redrive, shouldRedrive } from './redrive.js';
import type { Batch, MappingRuntime, SqsRuntime } from './runtime.js';

/**
 * Receives one message into a batch, or deletes it when the mapping's filters reject it (docs/aws-rules.md §3.1:
 * non-matching SQS messages are deleted). Returns whether it joined the batch.
 */
function receive(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime, b: Batch, id: number): boolean {
  const msgs = rt.msgs;
  const q = m.queue;
  leave(rt, q, id);
  const count = msgs.receiveCount[id] + 1;
  m.returned++;
  if (m.model.filters.length > 0 && !matchesFilterCriteria(m.model.filters, recordOf(rt, ctx.records, q, id, count, ctx.now), 'sqs')) {
    msgs.phase[id] = Phase.Done;
    leftQueue(ctx, q, id);
    q.counts.filtered++;
    ctx.settle(id, 'filtered');
    ctx.emit({ t: ctx.now, type: 'record.filtered', source: q.name, id: ctx.records.itemId(id) });
    return false;
  }
  msgs.receiveCount[id] = count;
  if (Number.isNaN(msgs.firstReceiveMs[id])) msgs.firstReceiveMs[id] = ctx.now;
  msgs.phase[id] = Phase.Received;
  q.counts.received++;
  ctx.settle(id, 'inFlight');
  b.ids.push(id);
  b.receipts.push(count);
  b.bytes += ctx.records.bytes(id);
  return true;
}

/** Fills a standard queue batch; true when it must close (batchSize or 6 MB). */
function fillStandard(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime, b: Batch): boolean {
  while (b.ids.length < m.model.batchSize && m.queue.visible.size > 0) {
    if (takeHead(rt, ctx, m, b, m.queue.visible) === 'full') break;
  }
  return b.full || b.ids.length >= m.model.batchSize;
}

/**
 * One step of filling a batch from the head of `deque`: drops a stale entry, redrives a message past
 * maxReceiveCount (docs/aws-rules.md §3.2), stops at 6 MB, or receives the message into the batch.
 */
function takeHead(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime, b: Batch, deque: IdDeque): 'received' | 'dropped' | 'full' {
  const id = deque.peek();
  if (rt.msgs.phase[id] !== Phase.Visible) {
    deque.shift();
    return 'dropped';
  }
  if (shouldRedrive(rt, m.queue, id)) {
    deque.shift();
    redrive(rt, ctx, m.queue, id);
    return 'dropped';
  }
  if (b.ids.length > 0 && b.bytes + ctx.records.bytes(id) > MAX_BATCH_BYTES) {
    b.full = true;
    return 'full';
  }
  deque.shift();
  return receive(rt, ctx, m, b, id) ? 'received' : 'dropped';
}

/**
 * Fills a FIFO batch (docs/aws-rules.md §3.3): messages of one group in order, then the next ready group if room
 * is left. A group whose messages are out (received or invisible) is locked, so one batch per group is in
 * flight and order holds within each group.
 */
function fillFifo(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime, b: Batch): boolean {
  const q = m.queue;
  let g = b.group;
  while (b.ids.length < m.model.batchSize) {
    if (!g || g.deque.size === 0) {
      g = q.nextReady();
      if (!g) break;
    }
    const taken = takeHead(rt, ctx, m, b, g.deque);
    if (taken === 'full') break;
    if (taken === 'received') g.outstanding++;
  }
  b.group = g;
  // A group that gave nothing (every message filtered or redriven) is not left locked.
  if (g && g.outstanding === 0) q.markReady(g);
  return b.full || b.ids.length >= m.model.batchSize;
}

/** Fills a batch, counting the ReceiveMessage calls it took (at most 10 messages each) for the cost model. */
export function fill(rt: SqsRuntime, ctx: EngineContext, m: MappingRuntime, b: Batch): boolean {
  const before = m.returned;
  const close = m.queue.fifo ? fillFifo(rt, ctx, m, b) : fillStandard(rt, ctx, m, b);
  m.receives += Math.ceil((m.returned - before) / RECEIVE_MAX_MESSAGES);
  noteEmpty(rt, ctx, m.queue);
  return close;
}
