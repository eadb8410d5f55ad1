/**
 * One SQS queue (docs/aws-rules.md sections 3.2, 3.3 and the SQS queue facts): messages with a delivery
 * delay, a retention period, a visibility timeout and a redrive policy. Standard queues keep their visible
 * messages in one deque; FIFO queues keep one deque per message group and a ring of groups that are ready
 * (visible messages and nothing of theirs in flight or invisible). Everything is a deque of store ids or a
 * timer: no per-tick work grows with the backlog.
 */
import type { QueueModel } from '../../../scenario/model.js';
import { TimeHeap } from '../../heap.js';
import type { Timer } from '../../module.js';
import { IdDeque } from './deque.js';

/** A FIFO message group. */
export interface Group {
  name: string;
  /** Visible messages in order (expired ones stay as tombstones until they reach the front). */
  deque: IdDeque;
  /** Messages received or invisible after a failure: while above 0 the group is locked (docs/aws-rules.md §3.3). */
  outstanding: number;
  /** Messages invisible after a failure: the group is blocked. */
  invisible: number;
  inReady: boolean;
}

export interface QueueCounts {
  visible: number;
  delayed: number;
  /** Received by a poller (a filling batch, an invocation, a throttled batch waiting to retry). */
  received: number;
  /** Invisible after a failed invocation until the visibility timeout of its receive ends. */
  invisible: number;
  deleted: number;
  redriven: number;
  expired: number;
  filtered: number;
  /** FIFO: sends accepted and not delivered, their deduplication id seen within the last 5 minutes. */
  deduplicated: number;
}

export class QueueRuntime {
  readonly name: string;
  readonly model: QueueModel;
  readonly fifo: boolean;
  /** Standard queues: visible messages (expired ones stay as tombstones until they reach the front). */
  readonly visible = new IdDeque();
  /** Delayed messages in the order they become visible (the delay is one per queue). */
  readonly delayed = new IdDeque();
  delayTimer?: Timer;
  /** Every message in the order it entered, for expiry from the front. */
  readonly retention = new IdDeque();
  /** Messages that entered with an older SentTimestamp (standard redrive keeps it): ordered by expiry. */
  readonly late = new TimeHeap<{ at: number; seq: number; id: number }>();
  lateSeq = 0;
  retentionTimer?: Timer;
  readonly groups = new Map<string, Group>();
  /** Groups ready to be received from, round robin. */
  readonly ready: Group[] = [];
  readyHead = 0;
  /** FIFO groups blocked by a failure, in the order they blocked. */
  readonly blocked = new Set<string>();
  /** The FIFO SequenceNumber counter. */
  sequence = 0;
  /**
   * FIFO: deduplication ids sent in the last 5 minutes, with when their interval ends and the message
   * they kept. Insertion order is time order, so expired ids are pruned from the front.
   */
  readonly dedup = new Map<string, { untilMs: number; messageId: string }>();
  readonly counts: QueueCounts = { visible: 0, delayed: 0, received: 0, invisible: 0, deleted: 0, redriven: 0, expired: 0, filtered: 0, deduplicated: 0 };

  constructor(model: QueueModel) {
    this.name = model.name;
    this.model = model;
    this.fifo = model.fifo;
  }

  group(name: string): Group {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, deque: new IdDeque(4), outstanding: 0, invisible: 0, inReady: false };
      this.groups.set(name, g);
    }
    return g;
  }

  /** Queues a group for receiving if it has visible messages and nothing of it is out (docs/aws-rules.md §3.3). */
  markReady(g: Group): void {
    if (g.inReady || g.outstanding > 0 || g.deque.size === 0) return;
    g.inReady = true;
    this.ready.push(g);
  }

  /** The next ready group, or undefined. */
  nextReady(): Group | undefined {
    while (this.readyHead < this.ready.length) {
      const g = this.ready[this.readyHead++];
      g.inReady = false;
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready.splice(0, this.readyHead);
        this.readyHead = 0;
      }
      if (g.outstanding === 0 && g.deque.size > 0) return g;
    }
    return undefined;
  }

  /** How many groups are queued as ready (O(1); a group emptied by expiry may still count until skipped). */
  readyGroups(): number {
    return this.ready.length - this.readyHead;
  }

  hasReady(): boolean {
    return this.readyHead < this.ready.length;
  }

  /** Whether a receive could return something now. */
  hasVisible(): boolean {
    return this.fifo ? this.hasReady() && this.counts.visible > 0 : this.counts.visible > 0;
  }
}
