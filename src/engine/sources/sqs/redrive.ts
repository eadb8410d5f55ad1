/**
 * The on-failure path of a queue: its redrive policy (docs/aws-rules.md §3.2, redrive). When a message has
 * been received maxReceiveCount times, the next receive attempt moves it to the dead-letter queue instead of
 * returning it (SQS: "when the ReceiveCount exceeds maxReceiveCount").
 */
import type { EngineContext } from '../../module.js';
import { leave, leftQueue } from './lifecycle.js';
import { deduplicationIdOf } from './message.js';
import { Phase } from './messages.js';
import type { QueueRuntime } from './queue.js';
import type { SqsRuntime } from './runtime.js';

export function shouldRedrive(rt: SqsRuntime, q: QueueRuntime, id: number): boolean {
  return q.model.redrive !== undefined && rt.msgs.receiveCount[id] >= q.model.redrive.maxReceiveCount;
}

/**
 * Moves a message to its dead-letter queue. The source ledger counts it failed to `dlq:<name>`; the
 * dead-letter queue counts a new message with the same messageId.
 */
export function redrive(rt: SqsRuntime, ctx: EngineContext, q: QueueRuntime, id: number): void {
  const msgs = rt.msgs;
  const dlq = q.model.redrive!.queue;
  leave(rt, q, id);
  msgs.phase[id] = Phase.Done;
  leftQueue(ctx, q, id);
  q.counts.redriven++;
  const stored = ctx.records.get(id);
  ctx.emit({ t: ctx.now, type: 'sqs.redrive', queue: q.name, dlq, id: stored.itemId });
  ctx.settle(id, 'failed', `dlq:${dlq}`);
  const extra = msgs.extra.get(id);
  // The move is also a delivery to a dead-letter queue, so the Destinations pane and the summary show
  // where the message went. SQS names no condition for a redrive; the label names the policy that moved
  // it. The payload is the message body, unchanged, as the DLQ receives it.
  ctx.deliver({
    to: dlq,
    kind: 'dlq',
    condition: 'MaxReceiveCountExceeded',
    payload: stored.body,
    source: q.name,
    envelope: {
      trafficIndex: stored.trafficIndex,
      i: stored.i,
      body: stored.body,
      ...(stored.partitionKey !== undefined ? { partitionKey: stored.partitionKey } : {}),
      ...(stored.messageGroup !== undefined ? { messageGroup: stored.messageGroup } : {}),
      attributes: {
        redrivenFrom: q.name,
        messageId: stored.itemId,
        sentAtMs: msgs.sentMs[id],
        ...(extra?.messageAttributes ? { messageAttributes: extra.messageAttributes } : {}),
        ...(extra?.senderId ? { senderId: extra.senderId } : {}),
        ...(q.fifo ? { messageDeduplicationId: deduplicationIdOf(q, stored, extra) } : {}),
      },
    },
  });
}
