/**
 * Where a message is in its queue and how it moves (docs/aws-rules.md §3.2, queue facts): delayed, visible,
 * received, invisible after a failure, or done. Delivery delay and retention run on one timer per queue
 * each, from the front of their order, never by a scan of the backlog.
 */
import { broken } from '../../invariant.js';
import type { EngineContext } from '../../module.js';
import { IDLE_POLLERS, LONG_POLL_MS } from './constants.js';
import type { IdDeque } from './deque.js';
import { groupName } from './message.js';
import { Phase } from './messages.js';
import type { QueueRuntime } from './queue.js';
import { schedule, type SqsRuntime, wake } from './runtime.js';
import { ensureScaleTimer } from './scaling.js';

/** Empty long polls each enabled poller of a mapping completed in an idle stretch of `spanMs`. */
export function emptyPolls(spanMs: number): number {
  return IDLE_POLLERS * Math.floor(spanMs / LONG_POLL_MS);
}

/** A queue ran out of visible messages: its pollers' long polls start coming back empty. */
export function noteEmpty(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): void {
  if (q.counts.visible === 0 && !rt.idleSince.has(q.name)) rt.idleSince.set(q.name, ctx.now);
}

/** A message became visible: a waiting long poll returns it, so the idle stretch ends. */
function noteVisible(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): void {
  const since = rt.idleSince.get(q.name);
  if (since === undefined) return;
  rt.idleSince.delete(q.name);
  for (const m of rt.consumers.get(q.name) ?? []) if (m.model.enabled) m.emptyReceives += emptyPolls(ctx.now - since);
}

/** Takes a message out of its current phase's count. */
export function leave(rt: SqsRuntime, q: QueueRuntime, id: number): void {
  switch (rt.msgs.phase[id]) {
    case Phase.Delayed:
      q.counts.delayed--;
      break;
    case Phase.Visible:
      q.counts.visible--;
      break;
    case Phase.Received:
      q.counts.received--;
      break;
    case Phase.Invisible:
      q.counts.invisible--;
      break;
  }
  const c = q.counts;
  if (c.delayed < 0 || c.visible < 0 || c.received < 0 || c.invisible < 0) {
    broken('an SQS queue count went below 0', { queue: q.name, message: id, phase: rt.msgs.phase[id], delayed: c.delayed, visible: c.visible, received: c.received, invisible: c.invisible });
  }
}

export function expire(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime, id: number): void {
  leave(rt, q, id);
  rt.msgs.phase[id] = Phase.Done;
  leftQueue(ctx, q, id);
  q.counts.expired++;
  ctx.settle(id, 'expired');
  ctx.emit({ t: ctx.now, type: 'record.expired', source: q.name, id: ctx.records.itemId(id) });
  noteEmpty(rt, ctx, q);
}

/**
 * A message leaves the queue for good (deleted, expired, filtered, redriven): the age of the oldest
 * message peaks at such a moment, so the peak is observed here, at the exact time (docs/time.md), and
 * not only at the tick's samples.
 */
export function leftQueue(ctx: EngineContext, q: QueueRuntime, id: number): void {
  const age = ctx.now - ctx.records.putAtMs(id);
  if (age > 0) ctx.observeAge(q.name, age);
}

export function expiresAt(rt: SqsRuntime, q: QueueRuntime, id: number): number {
  return rt.msgs.sentMs[id] + q.model.retentionPeriodMs;
}

/**
 * A message becomes visible (after its delay, after the visibility timeout of a receive, or on arrival).
 * A message past its retention period expires instead: retention expiry skips messages that are out (in
 * flight or invisible) and catches them here when they come back (docs/aws-rules.md §3.2, queue facts).
 */
export function makeVisible(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime, id: number, front: boolean): void {
  if (expiresAt(rt, q, id) <= ctx.now) {
    expire(rt, ctx, q, id);
    return;
  }
  rt.msgs.phase[id] = Phase.Visible;
  q.counts.visible++;
  noteVisible(rt, ctx, q);
  if (q.fifo) {
    const g = q.group(groupName(ctx.records, id));
    if (front) g.deque.unshift(id);
    else g.deque.push(id);
    q.markReady(g);
  } else {
    q.visible.push(id);
  }
  for (const m of rt.consumers.get(q.name) ?? []) {
    if (m.model.enabled && ctx.now >= m.model.startAtMs) {
      ensureScaleTimer(ctx, m);
      wake(rt, ctx);
    }
  }
}

export function scheduleDelay(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): void {
  const msgs = rt.msgs;
  while (q.delayed.size > 0 && msgs.phase[q.delayed.peek()] !== Phase.Delayed) q.delayed.shift();
  if (q.delayed.size === 0 || q.delayTimer) return;
  const head = q.delayed.peek();
  q.delayTimer = schedule(ctx, Math.max(ctx.now, msgs.sentMs[head] + q.model.deliveryDelayMs), 'delay', q);
}

/** The delay timer fired: the delayed messages whose delivery delay has passed become visible, in order. */
export function releaseDelayed(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): void {
  const msgs = rt.msgs;
  q.delayTimer = undefined;
  while (q.delayed.size > 0) {
    const id = q.delayed.peek();
    if (msgs.phase[id] !== Phase.Delayed) {
      q.delayed.shift();
      continue;
    }
    if (msgs.sentMs[id] + q.model.deliveryDelayMs > ctx.now) break;
    q.delayed.shift();
    leave(rt, q, id);
    makeVisible(rt, ctx, q, id, false);
  }
  scheduleDelay(rt, ctx, q);
}

export function scheduleRetention(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): void {
  const msgs = rt.msgs;
  while (q.retention.size > 0 && msgs.phase[q.retention.peek()] === Phase.Done) q.retention.shift();
  while (q.late.size > 0 && msgs.phase[q.late.peek()!.id] === Phase.Done) q.late.pop();
  let next = Infinity;
  if (q.retention.size > 0) next = expiresAt(rt, q, q.retention.peek());
  if (q.late.size > 0) next = Math.min(next, q.late.peek()!.at);
  if (next === Infinity) return;
  if (q.retentionTimer && !q.retentionTimer.cancelled && q.retentionTimer.at <= next) return;
  if (q.retentionTimer) ctx.cancel(q.retentionTimer);
  q.retentionTimer = schedule(ctx, Math.max(ctx.now, next), 'retention', q);
}

/** Expires what is due from the front of the retention order (never a scan of the backlog). */
export function runRetention(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): void {
  const msgs = rt.msgs;
  q.retentionTimer = undefined;
  const due = (id: number) => {
    const phase = msgs.phase[id];
    // Received and invisible messages are checked again when they become visible.
    if (phase === Phase.Visible || phase === Phase.Delayed) expire(rt, ctx, q, id);
  };
  while (q.retention.size > 0) {
    const head = q.retention.peek();
    if (msgs.phase[head] !== Phase.Done && expiresAt(rt, q, head) > ctx.now) break;
    q.retention.shift();
    due(head);
  }
  while (q.late.size > 0 && q.late.peek()!.at <= ctx.now) due(q.late.pop()!.id);
  scheduleRetention(rt, ctx, q);
}

/** The front visible id of a deque (dropping stale entries on the way), or -1. */
export function firstVisible(rt: SqsRuntime, deque: IdDeque): number {
  while (deque.size > 0 && rt.msgs.phase[deque.peek()] !== Phase.Visible) deque.shift();
  return deque.peek();
}

export function firstVisibleInGroups(rt: SqsRuntime, q: QueueRuntime): number {
  for (let i = q.readyHead; i < q.ready.length; i++) {
    const id = firstVisible(rt, q.ready[i].deque);
    if (id >= 0) return id;
  }
  return -1;
}

/** Age of the oldest message still in the queue: the front of the retention order (never a scan). */
export function oldestAgeMs(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime): number {
  const msgs = rt.msgs;
  while (q.retention.size > 0 && msgs.phase[q.retention.peek()] === Phase.Done) q.retention.shift();
  let oldest = Infinity;
  if (q.retention.size > 0) oldest = ctx.records.putAtMs(q.retention.peek());
  while (q.late.size > 0 && msgs.phase[q.late.peek()!.id] === Phase.Done) q.late.pop();
  if (q.late.size > 0) oldest = Math.min(oldest, ctx.records.putAtMs(q.late.peek()!.id));
  return oldest === Infinity ? 0 : Math.max(0, ctx.now - oldest);
}
