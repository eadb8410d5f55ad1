/**
 * A message entering a queue: from traffic, a destination, SNS or a redrive. Optional
 * `IncomingRecord.attributes` read here: `messageAttributes` (SendMessage attributes), `messageGroupId`,
 * `messageDeduplicationId`, `senderId`, `atMs` (when it was sent, default now), and a redrive's
 * `redrivenFrom`, `messageId` and `sentAtMs`.
 */
import { contentBasedDeduplicationId, type MessageAttributeInput } from '../../aws/sqs.js';
import type { EngineContext, IncomingRecord } from '../../module.js';
import { DEFAULT_MESSAGE_GROUP, FIFO_DEDUPLICATION_INTERVAL_MS } from './constants.js';
import { makeVisible, scheduleDelay, scheduleRetention } from './lifecycle.js';
import { type MessageExtra, Phase } from './messages.js';
import type { QueueRuntime } from './queue.js';
import type { SqsRuntime } from './runtime.js';

/**
 * FIFO deduplication (docs/fidelity.md): "If a message with a particular message deduplication ID is
 * sent successfully, any messages sent with the same message deduplication ID are accepted successfully
 * but aren't delivered during the 5-minute deduplication interval." The id is the sender's, else the
 * SHA-256 of the body when the queue has content-based deduplication; without either every message is
 * unique. A duplicate is not a message: no record, a `sqs.duplicate` event and the queue's count.
 */
function deduplicationKey(q: QueueRuntime, record: IncomingRecord): string | undefined {
  const attrs = record.attributes ?? {};
  if (typeof attrs.messageDeduplicationId === 'string') return attrs.messageDeduplicationId;
  return q.model.contentBasedDeduplication ? contentBasedDeduplicationId(record.body) : undefined;
}

/** Whether `dedupId` was sent within the interval; a duplicate is counted and traced here. */
function isDuplicate(ctx: EngineContext, q: QueueRuntime, dedupId: string): boolean {
  for (const [id, seen] of q.dedup) {
    if (seen.untilMs > ctx.now) break;
    q.dedup.delete(id);
  }
  const seen = q.dedup.get(dedupId);
  if (seen === undefined) return false;
  q.counts.deduplicated++;
  ctx.emit({ t: ctx.now, type: 'sqs.duplicate', queue: q.name, deduplicationId: dedupId, id: seen.messageId });
  return true;
}

/** SendMessage (or a redrive's move): admits the message, traces it, and delays it or makes it visible. */
export function sendMessage(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime, record: IncomingRecord): void {
  const msgs = rt.msgs;
  const attrs = record.attributes ?? {};
  const redriven = typeof attrs.redrivenFrom === 'string';
  const dedupId = q.fifo && !redriven ? deduplicationKey(q, record) : undefined;
  if (dedupId !== undefined && isDuplicate(ctx, q, dedupId)) return;
  // A redrive keeps the message's id; a new message draws one, kept by the store as its four words.
  const givenId = typeof attrs.messageId === 'string' ? attrs.messageId : undefined;
  const drawn = givenId === undefined ? ctx.ids.messageIdWords() : undefined;
  let incoming = record;
  let group: string | undefined;
  if (q.fifo) {
    group = record.messageGroup ?? (typeof attrs.messageGroupId === 'string' ? attrs.messageGroupId : DEFAULT_MESSAGE_GROUP);
    if (record.messageGroup !== group) incoming = { ...record, messageGroup: group };
  }
  const id = ctx.admit(q.name, incoming, givenId ?? drawn!);
  msgs.ensure(id);
  if (dedupId !== undefined) q.dedup.set(dedupId, { untilMs: ctx.now + FIFO_DEDUPLICATION_INTERVAL_MS, messageId: ctx.records.itemId(id) });
  // From the SQS developer guide (dead-letter queue retention): a standard queue's message keeps
  // its original enqueue timestamp when redriven, so it may expire early in the dead-letter queue; a FIFO
  // message's timestamp resets.
  const sentMs = redriven && !q.fifo && typeof attrs.sentAtMs === 'number' ? attrs.sentAtMs : typeof attrs.atMs === 'number' ? Math.min(attrs.atMs, ctx.now) : ctx.now;
  msgs.sentMs[id] = sentMs;
  msgs.receiveCount[id] = 0;
  msgs.firstReceiveMs[id] = NaN;
  msgs.sequence[id] = q.fifo ? q.sequence++ : 0;
  if (attrs.messageAttributes !== undefined || attrs.messageDeduplicationId !== undefined || attrs.senderId !== undefined) {
    const extra: MessageExtra = {};
    if (attrs.messageAttributes && typeof attrs.messageAttributes === 'object') extra.messageAttributes = attrs.messageAttributes as Record<string, MessageAttributeInput>;
    if (typeof attrs.messageDeduplicationId === 'string') extra.messageDeduplicationId = attrs.messageDeduplicationId;
    if (typeof attrs.senderId === 'string') extra.senderId = attrs.senderId;
    msgs.extra.set(id, extra);
  }
  if (!ctx.tracing) ctx.skip();
  else {
    ctx.emit(
      group !== undefined
        ? { t: ctx.now, type: 'record.put', source: q.name, id: ctx.records.itemId(id), group }
        : { t: ctx.now, type: 'record.put', source: q.name, id: ctx.records.itemId(id) },
    );
  }

  if (redriven && !q.fifo && sentMs < ctx.now) q.late.push({ at: sentMs + q.model.retentionPeriodMs, seq: q.lateSeq++, id });
  else q.retention.push(id);
  scheduleRetention(rt, ctx, q);

  // Redrive moves a message without a new delivery delay (the delay applies to sends).
  if (q.model.deliveryDelayMs > 0 && !redriven) {
    msgs.phase[id] = Phase.Delayed;
    q.counts.delayed++;
    q.delayed.push(id);
    scheduleDelay(rt, ctx, q);
  } else {
    makeVisible(rt, ctx, q, id, false);
  }
}
