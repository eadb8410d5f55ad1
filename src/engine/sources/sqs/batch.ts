/** An SQS batch's life in the module's books: created by a poller, kept for inspection once done. */
import type { SQSEvent } from 'aws-lambda';
import { sqsEvent } from '../../aws/sqs.js';
import type { EngineContext } from '../../module.js';
import { RECENT_BATCHES, THROTTLE_RETRY_FIRST_MS } from './constants.js';
import { recordOf } from './message.js';
import type { Batch, MappingRuntime, SqsRuntime } from './runtime.js';

export function newBatch(ctx: EngineContext, m: MappingRuntime): Batch {
  return {
    id: ctx.ids.short('b'),
    mapping: m,
    ids: [],
    receipts: [],
    openedAtMs: ctx.now,
    deadlineMs: ctx.now + m.visibilityMs,
    bytes: 0,
    full: false,
    state: 'filling',
    retryDelayMs: THROTTLE_RETRY_FIRST_MS,
  };
}

export function finish(rt: SqsRuntime, b: Batch): void {
  if (b.state === 'done') return;
  b.state = 'done';
  rt.liveBatches.delete(b.id);
  rt.recentBatches.push(b);
  if (rt.recentBatches.length > RECENT_BATCHES) rt.recentBatches.shift();
}

/** The batch's SQS event, built once (at its first invoke, or when inspected). */
export function eventOf(rt: SqsRuntime, ctx: EngineContext, b: Batch): SQSEvent {
  return (b.event ??= sqsEvent(b.ids.map((id, i) => recordOf(rt, ctx.records, b.mapping.queue, id, b.receipts[i], ctx.now))));
}
