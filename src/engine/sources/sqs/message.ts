/** An SQS message as Lambda receives it (docs/aws-rules.md §7, SQS): its record shape and its ids. */
import type { SQSRecord } from 'aws-lambda';
import { contentBasedDeduplicationId, sqsFifoSequenceNumber, sqsRecord } from '../../aws/sqs.js';
import type { RecordStore } from '../../records.js';
import { DEFAULT_MESSAGE_GROUP } from './constants.js';
import type { MessageExtra } from './messages.js';
import type { QueueRuntime } from './queue.js';
import type { SqsRuntime } from './runtime.js';

/** The sender's deduplication id, the body's SHA-256 with content-based deduplication, else the unique id a producer would set. */
export function deduplicationIdOf(q: QueueRuntime, stored: { body: unknown; itemId: string }, extra: MessageExtra | undefined): string {
  return extra?.messageDeduplicationId ?? (q.model.contentBasedDeduplication ? contentBasedDeduplicationId(stored.body) : stored.itemId);
}

export function groupName(records: RecordStore, id: number): string {
  return records.messageGroup(id) ?? DEFAULT_MESSAGE_GROUP;
}

/** The message as Lambda receives it on its `receiveCount`-th receive (docs/aws-rules.md §7, SQS). */
export function recordOf(rt: SqsRuntime, records: RecordStore, q: QueueRuntime, id: number, receiveCount: number, nowMs: number): SQSRecord {
  const msgs = rt.msgs;
  const itemId = records.itemId(id);
  const body = records.body(id);
  const extra = msgs.extra.get(id);
  const first = msgs.firstReceiveMs[id];
  return sqsRecord({
    account: rt.account,
    queueName: q.name,
    messageId: itemId,
    body,
    sentEpochMs: rt.epochMs(msgs.sentMs[id]),
    firstReceiveEpochMs: rt.epochMs(Number.isNaN(first) ? nowMs : first),
    receiveCount,
    ...(extra?.senderId ? { senderId: extra.senderId } : {}),
    ...(extra?.messageAttributes ? { messageAttributes: extra.messageAttributes } : {}),
    ...(q.fifo
      ? {
          fifo: {
            sequenceNumber: sqsFifoSequenceNumber(msgs.sequence[id]),
            messageGroupId: groupName(records, id),
            messageDeduplicationId: deduplicationIdOf(q, { body, itemId }, extra),
          },
        }
      : {}),
  });
}
