/**
 * Per-message SQS facts, indexed by record store id in typed arrays (a million messages cost a few tens
 * of MB, no object per message). Only messages that carry extra attributes (message attributes, a sender's
 * dedup id) get an entry in a sparse map.
 */
import type { MessageAttributeInput } from '../../aws/sqs.js';

/** Where a message is. DONE is final: deleted, redriven, expired or filtered. */
export enum Phase {
  None = 0,
  /** Sent with a delivery delay that has not passed yet. */
  Delayed = 1,
  /** Visible: the next receive may return it. */
  Visible = 2,
  /** Received by a poller: in a filling batch, in an invocation, or held after a throttle. */
  Received = 3,
  /** Invisible after a failed invocation, until the visibility timeout of its receive ends. */
  Invisible = 4,
  Done = 5,
}

export interface MessageExtra {
  messageAttributes?: Record<string, MessageAttributeInput>;
  messageDeduplicationId?: string;
  senderId?: string;
}

export class MessageTable {
  phase = new Uint8Array(1024);
  /** ApproximateReceiveCount: receives so far; also the receipt a batch holds (a stale receipt is ignored). */
  receiveCount = new Uint32Array(1024);
  /** Simulated ms of the first receive, NaN before it. */
  firstReceiveMs = new Float64Array(1024);
  /** Simulated ms of SentTimestamp; retention runs from it (docs/aws-rules.md §3.2, queue facts). */
  sentMs = new Float64Array(1024);
  /** FIFO SequenceNumber counter value; message size in bytes (-1 until measured). */
  sequence = new Float64Array(1024);
  readonly extra = new Map<number, MessageExtra>();

  ensure(id: number): void {
    if (id < this.phase.length) return;
    let n = this.phase.length;
    while (n <= id) n *= 2;
    this.phase = grow(this.phase, new Uint8Array(n));
    this.receiveCount = grow(this.receiveCount, new Uint32Array(n));
    this.firstReceiveMs = grow(this.firstReceiveMs, new Float64Array(n));
    this.sentMs = grow(this.sentMs, new Float64Array(n));
    this.sequence = grow(this.sequence, new Float64Array(n));
  }
}

function grow<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
