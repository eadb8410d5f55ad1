/**
 * SQS queues and SQS event source mappings, standard and FIFO (docs/aws-rules.md sections 3.1-3.3).
 *
 * Queues: a message is delayed (delivery delay), visible, received (by a poller: in a filling batch, in an
 * invocation, or held after a throttle), invisible after a failure until the visibility timeout of its
 * receive ends, or done (deleted, redriven, expired, filtered). Messages expire retentionPeriod after their
 * SentTimestamp; a redrive policy moves a message to its dead-letter queue on the first receive attempt
 * after maxReceiveCount receives.
 *
 * Mappings: pollers receive batches (closing at batchSize, at the end of maxBatchingWindow or at 6 MB),
 * delete filtered-out messages, invoke the function synchronously, and delete the batch on success. On a
 * standard queue the number of concurrent batches starts at 5 and climbs by 5 per second (AWS's 300 per
 * minute) while messages wait, up to min(1,250, maxConcurrency); throttles and function errors make it back
 * off (see {@link scaleMapping} for the policy). The function's reserved concurrency does NOT cap the climb:
 * "Event source mappings don't account for reserved concurrency and can process more messages off your
 * queue than can be sent to your function" (re:Post knowledge-center/lambda-sqs-scaling), so pollers above
 * it get throttled, and throttled batches that outlast their visibility timeout come back with a higher
 * receive count and may be redriven without the function ever failing. On a FIFO queue there is no ramp:
 * concurrency follows the number of active message groups, up to the same cap (docs/aws-rules.md §3.3).
 *
 * Puts come from traffic (`to: <queue>`), from destinations and SNS (envelope records) and from redrive.
 * Optional `IncomingRecord.attributes` this module reads: `messageAttributes` (SendMessage attributes),
 * `messageGroupId`, `messageDeduplicationId`, `senderId`, `atMs` (when it was sent, default now).
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { EsmModel, FunctionModel } from '../../scenario/model.js';
import { contentBasedDeduplicationId, type MessageAttributeInput, sqsEvent, sqsFifoSequenceNumber, sqsRecord } from '../aws/sqs.js';
import type { EngineContext, EngineModule, IncomingRecord, InvocationResult, Timer } from '../module.js';
import { matchesFilterCriteria } from '../../lang/patterns.js';
import type { RecordStore } from '../records.js';
import { IdDeque } from './sqs/deque.js';
import { type MessageExtra, MessageTable, Phase } from './sqs/messages.js';
import { type Group, QueueRuntime } from './sqs/queue.js';

export const SQS = 'sqs';
/** docs/aws-rules.md §3.1: a batch closes when its payload reaches 6 MB. */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** FIFO queues: the deduplication interval is 5 minutes (docs/fidelity.md). */
export const FIFO_DEDUPLICATION_INTERVAL_MS = 5 * 60_000;
/** docs/aws-rules.md §3.2: pollers start with 5 concurrent batches. */
export const INITIAL_CONCURRENCY = 5;
/** services-sqs-scaling.html: under low traffic, "as few as 2 concurrent batches" (without maxConcurrency). */
export const LOW_TRAFFIC_CONCURRENCY = 2;
/** docs/aws-rules.md §3.2: +300 concurrent invokes per minute, applied as +5 every second. */
export const SCALE_STEP = 5;
export const SCALE_INTERVAL_MS = 1_000;
/** docs/aws-rules.md §3.2: at most 1,250 concurrent invokes per mapping (some doc copies still say 1,000). */
export const MAX_MAPPING_CONCURRENCY = 1_250;
/** docs/aws-rules.md §3.2: if window + function timeout exceed the visibility timeout, Lambda uses window + timeout + 30 s. */
export const EFFECTIVE_VISIBILITY_EXTRA_MS = 30_000;
/** Throttled batches are retried after 1 s, doubling up to 20 s, until their visibility timeout ends (S20). */
export const THROTTLE_RETRY_FIRST_MS = 1_000;
export const THROTTLE_RETRY_MAX_MS = 20_000;
/** A FIFO message sent without a group id (traffic without messageGroups) goes to this group. */
export const DEFAULT_MESSAGE_GROUP = 'default';
/** Bounds of the view state's lists and of the batches kept for inspection. */
export const VIEW_LIST_MAX = 20;
export const RECENT_BATCHES = 32;
/** SQS ReceiveMessage returns at most 10 messages per call, so a batch of 100 takes at least 10 receives. */
export const RECEIVE_MAX_MESSAGES = 10;
/**
 * An idle mapping keeps long-polling: its pollers each wait 20 s (WaitTimeSeconds' maximum) and get an
 * empty, billed response (docs/cost.md). AWS documents that polling starts with 5 connections, not how many
 * an idle mapping keeps: this model keeps those 5.
 */
export const IDLE_POLLERS = 5;
export const LONG_POLL_MS = 20_000;

/** One queue's row in the dashboard. */
export interface SqsQueueView {
  name: string;
  fifo: boolean;
  visibilityTimeoutMs: number;
  /** Messages a receive could return now. */
  visible: number;
  /** Received by pollers: in a filling batch, in an invocation, or held after a throttle. */
  inFlight: number;
  /** Waiting for their delivery delay. */
  delayed: number;
  /** Invisible after a failed invocation, until the visibility timeout of their receive ends. */
  invisibleAfterFailure: number;
  deleted: number;
  /** Moved to the dead-letter queue by the redrive policy. */
  redriven: number;
  expired: number;
  filtered: number;
  /** FIFO: sends accepted and not delivered as duplicates (same deduplication id within 5 minutes). */
  deduplicated?: number;
  /** Age of the oldest message still in the queue (ms), 0 when empty. */
  oldestAgeMs: number;
  /** The redrive policy's dead-letter queue and maxReceiveCount, if any. */
  deadLetterQueue?: string;
  maxReceiveCount?: number;
  /** FIFO: message groups seen, and the groups blocked by a failure (first VIEW_LIST_MAX, in blocking order). */
  groups?: number;
  blockedGroups?: string[];
  blockedGroupCount?: number;
}

/** One SQS event source mapping's pollers in the dashboard. */
export interface SqsMappingView {
  /** `esm-<index>` */
  id: string;
  queue: string;
  fn: string;
  enabled: boolean;
  /**
   * How many batches the pollers may have going at once now. Standard: starts at 5, +5/s while messages
   * wait. FIFO: min(cap, batches out + message groups ready to receive).
   */
  concurrencyTarget: number;
  /** The ceiling: min(1250, maxConcurrency). Not the function's reserved concurrency (pollers ignore it). */
  concurrencyCap: number;
  /** Batches being invoked. */
  inFlightBatches: number;
  /** Throttled batches waiting to retry. */
  heldBatches: number;
  /** Messages in the batch being filled during the batching window (0 when none). */
  fillingBatch: number;
  /** Effective visibility timeout of this mapping's receives (docs/aws-rules.md §3.2 note). */
  visibilityMs: number;
  /** ReceiveMessage calls that returned messages (up to 10 each), for the cost model. */
  receives: number;
  /** Long polls of idle pollers that returned nothing; billed like any receive (docs/cost.md). */
  emptyReceives: number;
}

/** `state.modules.sqs`: per queue and per mapping, keyed by name and mapping id. */
export interface SqsViewState {
  queues: Record<string, SqsQueueView>;
  mappings: Record<string, SqsMappingView>;
}

/** filling (window open), invoking, held (throttled), failed (waiting for the visibility timeout), done. */
type BatchState = 'filling' | 'invoking' | 'held' | 'failed' | 'done';

interface Batch {
  id: string;
  mapping: MappingRuntime;
  ids: number[];
  /** The receive count each message had when this batch received it: its receipt handle. */
  receipts: number[];
  openedAtMs: number;
  deadlineMs: number;
  bytes: number;
  full: boolean;
  state: BatchState;
  /** The FIFO group being drained into this batch. */
  group?: Group;
  visibilityTimer?: Timer;
  retryTimer?: Timer;
  retryDelayMs: number;
  requestId?: string;
  event?: SQSEvent;
}

interface MappingRuntime {
  model: EsmModel;
  queue: QueueRuntime;
  fn: FunctionModel;
  target: number;
  floor: number;
  /** The low-traffic floor: 2 without maxConcurrency, else the floor of 5 (services-sqs-scaling.html). */
  quietFloor: number;
  cap: number;
  /** FIFO mappings scale with the active message groups, without the standard ramp (docs/aws-rules.md §3.3). */
  fifo: boolean;
  visibilityMs: number;
  /** Batches open, invoking or held: the slots in use. */
  batches: number;
  invoking: number;
  held: number;
  open?: Batch;
  /** Throttles and (without ReportBatchItemFailures) failed batches since the last scaling step. */
  backoffSignals: number;
  /** Messages waited with every slot busy since the last scaling step. */
  waited: boolean;
  scaleTimer?: Timer;
  /** Messages that receives returned (received or filtered), and the receive calls that returned them. */
  returned: number;
  receives: number;
  /** Empty long polls over idle stretches that have ended; the open stretch is added when sampled. */
  emptyReceives: number;
}

/** Creates the SQS module: queues, their mappings' pollers, and the view state `state.modules.sqs`. */
export function createSqsModule(): EngineModule {
  const msgs = new MessageTable();
  const queues = new Map<string, QueueRuntime>();
  const mappings: MappingRuntime[] = [];
  const consumers = new Map<string, MappingRuntime[]>();
  const liveBatches = new Map<string, Batch>();
  const recentBatches: Batch[] = [];
  /** Since when each queue has held no visible message (its pollers' long polls come back empty). */
  const idleSince = new Map<string, number>();
  let wakeRequested = false;
  let epochMs: (simMs: number) => number = (ms) => ms;
  let account = { region: 'us-east-1', accountId: '123456789012' };

  const wake = (ctx: EngineContext) => {
    wakeRequested = true;
    ctx.wake(SQS);
  };

  /** Empty long polls each enabled poller of a mapping completed in an idle stretch of `spanMs`. */
  const emptyPolls = (spanMs: number): number => IDLE_POLLERS * Math.floor(spanMs / LONG_POLL_MS);

  /** A queue ran out of visible messages: its pollers' long polls start coming back empty. */
  const noteEmpty = (ctx: EngineContext, q: QueueRuntime): void => {
    if (q.counts.visible === 0 && !idleSince.has(q.name)) idleSince.set(q.name, ctx.now);
  };

  /** A message became visible: a waiting long poll returns it, so the idle stretch ends. */
  const noteVisible = (ctx: EngineContext, q: QueueRuntime): void => {
    const since = idleSince.get(q.name);
    if (since === undefined) return;
    idleSince.delete(q.name);
    for (const m of consumers.get(q.name) ?? []) if (m.model.enabled) m.emptyReceives += emptyPolls(ctx.now - since);
  };

  // ------------------------------------------------------------------------------------------------
  // Message records
  // ------------------------------------------------------------------------------------------------

  /** The sender's deduplication id, the body's SHA-256 with content-based deduplication, else the unique id a producer would set. */
  const deduplicationIdOf = (q: QueueRuntime, stored: { body: unknown; itemId: string }, extra: MessageExtra | undefined): string =>
    extra?.messageDeduplicationId ?? (q.model.contentBasedDeduplication ? contentBasedDeduplicationId(stored.body) : stored.itemId);

  const groupName = (records: RecordStore, id: number): string => records.get(id).messageGroup ?? DEFAULT_MESSAGE_GROUP;

  /** The message as Lambda receives it on its `receiveCount`-th receive (docs/aws-rules.md §7, SQS). */
  const recordOf = (records: RecordStore, q: QueueRuntime, id: number, receiveCount: number, nowMs: number): SQSRecord => {
    const stored = records.get(id);
    const extra = msgs.extra.get(id);
    const first = msgs.firstReceiveMs[id];
    return sqsRecord({
      account,
      queueName: q.name,
      messageId: stored.itemId,
      body: stored.body,
      sentEpochMs: epochMs(msgs.sentMs[id]),
      firstReceiveEpochMs: epochMs(Number.isNaN(first) ? nowMs : first),
      receiveCount,
      ...(extra?.senderId ? { senderId: extra.senderId } : {}),
      ...(extra?.messageAttributes ? { messageAttributes: extra.messageAttributes } : {}),
      ...(q.fifo
        ? {
            fifo: {
              sequenceNumber: sqsFifoSequenceNumber(msgs.sequence[id]),
              messageGroupId: groupName(records, id),
              messageDeduplicationId: deduplicationIdOf(q, stored, extra),
            },
          }
        : {}),
    });
  };

  const bytesOf = (records: RecordStore, id: number): number => records.bytes(id);

  // ------------------------------------------------------------------------------------------------
  // Queue mechanics
  // ------------------------------------------------------------------------------------------------

  /** Takes a message out of its current phase's count. */
  const leave = (q: QueueRuntime, id: number): void => {
    switch (msgs.phase[id]) {
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
  };

  const expire = (ctx: EngineContext, q: QueueRuntime, id: number): void => {
    leave(q, id);
    msgs.phase[id] = Phase.Done;
    leftQueue(ctx, q, id);
    q.counts.expired++;
    ctx.settle(id, 'expired');
    ctx.emit({ t: ctx.now, type: 'record.expired', source: q.name, id: ctx.records.get(id).itemId });
    noteEmpty(ctx, q);
  };

  /**
   * A message leaves the queue for good (deleted, expired, filtered, redriven): the age of the oldest
   * message peaks at such a moment, so the peak is observed here, at the exact time (docs/time.md), and
   * not only at the tick's samples.
   */
  const leftQueue = (ctx: EngineContext, q: QueueRuntime, id: number): void => {
    const age = ctx.now - ctx.records.get(id).putAtMs;
    if (age > 0) ctx.observeAge(q.name, age);
  };

  const expiresAt = (q: QueueRuntime, id: number): number => msgs.sentMs[id] + q.model.retentionPeriodMs;

  /**
   * A message becomes visible (after its delay, after the visibility timeout of a receive, or on arrival).
   * A message past its retention period expires instead: retention expiry skips messages that are out (in
   * flight or invisible) and catches them here when they come back (docs/aws-rules.md §3.2, queue facts).
   */
  const makeVisible = (ctx: EngineContext, q: QueueRuntime, id: number, front: boolean): void => {
    if (expiresAt(q, id) <= ctx.now) {
      expire(ctx, q, id);
      return;
    }
    msgs.phase[id] = Phase.Visible;
    q.counts.visible++;
    noteVisible(ctx, q);
    if (q.fifo) {
      const g = q.group(groupName(ctx.records, id));
      if (front) g.deque.unshift(id);
      else g.deque.push(id);
      q.markReady(g);
    } else {
      q.visible.push(id);
    }
    for (const m of consumers.get(q.name) ?? []) {
      if (m.model.enabled && ctx.now >= m.model.startAtMs) {
        ensureScaleTimer(ctx, m);
        wake(ctx);
      }
    }
  };

  const scheduleDelay = (ctx: EngineContext, q: QueueRuntime): void => {
    while (q.delayed.size > 0 && msgs.phase[q.delayed.peek()] !== Phase.Delayed) q.delayed.shift();
    if (q.delayed.size === 0 || q.delayTimer) return;
    const head = q.delayed.peek();
    q.delayTimer = ctx.schedule(Math.max(ctx.now, msgs.sentMs[head] + q.model.deliveryDelayMs), SQS, 'delay', q.name);
  };

  const scheduleRetention = (ctx: EngineContext, q: QueueRuntime): void => {
    while (q.retention.size > 0 && msgs.phase[q.retention.peek()] === Phase.Done) q.retention.shift();
    while (q.late.size > 0 && msgs.phase[q.late.peek()!.id] === Phase.Done) q.late.pop();
    let next = Infinity;
    if (q.retention.size > 0) next = expiresAt(q, q.retention.peek());
    if (q.late.size > 0) next = Math.min(next, q.late.peek()!.at);
    if (next === Infinity) return;
    if (q.retentionTimer && !q.retentionTimer.cancelled && q.retentionTimer.at <= next) return;
    if (q.retentionTimer) ctx.cancel(q.retentionTimer);
    q.retentionTimer = ctx.schedule(Math.max(ctx.now, next), SQS, 'retention', q.name);
  };

  /** Expires what is due from the front of the retention order (never a scan of the backlog). */
  const runRetention = (ctx: EngineContext, q: QueueRuntime): void => {
    const due = (id: number) => {
      const phase = msgs.phase[id];
      // Received and invisible messages are checked again when they become visible.
      if (phase === Phase.Visible || phase === Phase.Delayed) expire(ctx, q, id);
    };
    while (q.retention.size > 0) {
      const head = q.retention.peek();
      if (msgs.phase[head] !== Phase.Done && expiresAt(q, head) > ctx.now) break;
      q.retention.shift();
      due(head);
    }
    while (q.late.size > 0 && q.late.peek()!.at <= ctx.now) due(q.late.pop()!.id);
    scheduleRetention(ctx, q);
  };

  /**
   * FIFO deduplication (docs/fidelity.md): "If a message with a particular message deduplication ID is
   * sent successfully, any messages sent with the same message deduplication ID are accepted successfully
   * but aren't delivered during the 5-minute deduplication interval." The id is the sender's, else the
   * SHA-256 of the body when the queue has content-based deduplication; without either every message is
   * unique. A duplicate is not a message: no record, a `sqs.duplicate` event and the queue's count.
   */
  /**
   * FIFO deduplication (docs/fidelity.md): "If a message with a particular message deduplication ID is
   * sent successfully, any messages sent with the same message deduplication ID are accepted successfully
   * but aren't delivered during the 5-minute deduplication interval." The id is the sender's, else the
   * SHA-256 of the body when the queue has content-based deduplication; without either every message is
   * unique. A duplicate is not a message: no record, a `sqs.duplicate` event and the queue's count.
   */
  const deduplicationKey = (q: QueueRuntime, record: IncomingRecord): string | undefined => {
    const attrs = record.attributes ?? {};
    if (typeof attrs.messageDeduplicationId === 'string') return attrs.messageDeduplicationId;
    return q.model.contentBasedDeduplication ? contentBasedDeduplicationId(record.body) : undefined;
  };

  /** Whether `dedupId` was sent within the interval; a duplicate is counted and traced here. */
  const isDuplicate = (ctx: EngineContext, q: QueueRuntime, dedupId: string): boolean => {
    for (const [id, seen] of q.dedup) {
      if (seen.untilMs > ctx.now) break;
      q.dedup.delete(id);
    }
    const seen = q.dedup.get(dedupId);
    if (seen === undefined) return false;
    q.counts.deduplicated++;
    ctx.emit({ t: ctx.now, type: 'sqs.duplicate', queue: q.name, deduplicationId: dedupId, id: seen.messageId });
    return true;
  };

  const put = (ctx: EngineContext, q: QueueRuntime, record: IncomingRecord): void => {
    const attrs = record.attributes ?? {};
    const redriven = typeof attrs.redrivenFrom === 'string';
    const dedupId = q.fifo && !redriven ? deduplicationKey(q, record) : undefined;
    if (dedupId !== undefined && isDuplicate(ctx, q, dedupId)) return;
    const messageId = typeof attrs.messageId === 'string' ? attrs.messageId : ctx.ids.messageId();
    let incoming = record;
    let group: string | undefined;
    if (q.fifo) {
      group = record.messageGroup ?? (typeof attrs.messageGroupId === 'string' ? attrs.messageGroupId : DEFAULT_MESSAGE_GROUP);
      if (record.messageGroup !== group) incoming = { ...record, messageGroup: group };
    }
    const id = ctx.admit(q.name, incoming, messageId);
    msgs.ensure(id);
    if (dedupId !== undefined) q.dedup.set(dedupId, { untilMs: ctx.now + FIFO_DEDUPLICATION_INTERVAL_MS, messageId });
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
          ? { t: ctx.now, type: 'record.put', source: q.name, id: messageId, group }
          : { t: ctx.now, type: 'record.put', source: q.name, id: messageId },
      );
    }

    if (redriven && !q.fifo && sentMs < ctx.now) q.late.push({ at: sentMs + q.model.retentionPeriodMs, seq: q.lateSeq++, id });
    else q.retention.push(id);
    scheduleRetention(ctx, q);

    // Redrive moves a message without a new delivery delay (the delay applies to sends).
    if (q.model.deliveryDelayMs > 0 && !redriven) {
      msgs.phase[id] = Phase.Delayed;
      q.counts.delayed++;
      q.delayed.push(id);
      scheduleDelay(ctx, q);
    } else {
      makeVisible(ctx, q, id, false);
    }
  };

  /**
   * docs/aws-rules.md §3.2 (redrive): when a message has been received maxReceiveCount times, the next receive
   * attempt moves it to the dead-letter queue instead of returning it (SQS: "when the ReceiveCount exceeds
   * maxReceiveCount"). The source ledger counts it failed to `dlq:<name>`; the dead-letter queue counts a
   * new message with the same messageId.
   */
  const redrive = (ctx: EngineContext, q: QueueRuntime, id: number): void => {
    const dlq = q.model.redrive!.queue;
    leave(q, id);
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
  };

  const shouldRedrive = (q: QueueRuntime, id: number): boolean =>
    q.model.redrive !== undefined && msgs.receiveCount[id] >= q.model.redrive.maxReceiveCount;

  // ------------------------------------------------------------------------------------------------
  // Receiving batches
  // ------------------------------------------------------------------------------------------------

  /**
   * Receives one message into a batch, or deletes it when the mapping's filters reject it (docs/aws-rules.md §3.1:
   * non-matching SQS messages are deleted). Returns whether it joined the batch.
   */
  const receive = (ctx: EngineContext, m: MappingRuntime, b: Batch, id: number): boolean => {
    const q = m.queue;
    leave(q, id);
    const count = msgs.receiveCount[id] + 1;
    m.returned++;
    if (m.model.filters.length > 0 && !matchesFilterCriteria(m.model.filters, recordOf(ctx.records, q, id, count, ctx.now), 'sqs')) {
      msgs.phase[id] = Phase.Done;
      leftQueue(ctx, q, id);
      q.counts.filtered++;
      ctx.settle(id, 'filtered');
      ctx.emit({ t: ctx.now, type: 'record.filtered', source: q.name, id: ctx.records.get(id).itemId });
      return false;
    }
    msgs.receiveCount[id] = count;
    if (Number.isNaN(msgs.firstReceiveMs[id])) msgs.firstReceiveMs[id] = ctx.now;
    msgs.phase[id] = Phase.Received;
    q.counts.received++;
    ctx.settle(id, 'inFlight');
    b.ids.push(id);
    b.receipts.push(count);
    b.bytes += bytesOf(ctx.records, id);
    return true;
  };

  /** Fills a standard queue batch; true when it must close (batchSize or 6 MB). */
  const fillStandard = (ctx: EngineContext, m: MappingRuntime, b: Batch): boolean => {
    while (b.ids.length < m.model.batchSize && m.queue.visible.size > 0) {
      if (takeHead(ctx, m, b, m.queue.visible) === 'full') break;
    }
    return b.full || b.ids.length >= m.model.batchSize;
  };

  /**
   * One step of filling a batch from the head of `deque`: drops a stale entry, redrives a message past
   * maxReceiveCount (docs/aws-rules.md §3.2), stops at 6 MB, or receives the message into the batch.
   */
  const takeHead = (ctx: EngineContext, m: MappingRuntime, b: Batch, deque: IdDeque): 'received' | 'dropped' | 'full' => {
    const id = deque.peek();
    if (msgs.phase[id] !== Phase.Visible) {
      deque.shift();
      return 'dropped';
    }
    if (shouldRedrive(m.queue, id)) {
      deque.shift();
      redrive(ctx, m.queue, id);
      return 'dropped';
    }
    if (b.ids.length > 0 && b.bytes + bytesOf(ctx.records, id) > MAX_BATCH_BYTES) {
      b.full = true;
      return 'full';
    }
    deque.shift();
    return receive(ctx, m, b, id) ? 'received' : 'dropped';
  };

  /**
   * Fills a FIFO batch (docs/aws-rules.md §3.3): messages of one group in order, then the next ready group if room
   * is left. A group whose messages are out (received or invisible) is locked, so one batch per group is in
   * flight and order holds within each group.
   */
  const fillFifo = (ctx: EngineContext, m: MappingRuntime, b: Batch): boolean => {
    const q = m.queue;
    let g = b.group;
    while (b.ids.length < m.model.batchSize) {
      if (!g || g.deque.size === 0) {
        g = q.nextReady();
        if (!g) break;
      }
      const taken = takeHead(ctx, m, b, g.deque);
      if (taken === 'full') break;
      if (taken === 'received') g.outstanding++;
    }
    b.group = g;
    // A group that gave nothing (every message filtered or redriven) is not left locked.
    if (g && g.outstanding === 0) q.markReady(g);
    return b.full || b.ids.length >= m.model.batchSize;
  };

  /** Fills a batch, counting the ReceiveMessage calls it took (at most 10 messages each) for the cost model. */
  const fill = (ctx: EngineContext, m: MappingRuntime, b: Batch): boolean => {
    const before = m.returned;
    const close = m.queue.fifo ? fillFifo(ctx, m, b) : fillStandard(ctx, m, b);
    m.receives += Math.ceil((m.returned - before) / RECEIVE_MAX_MESSAGES);
    noteEmpty(ctx, m.queue);
    return close;
  };

  const newBatch = (ctx: EngineContext, m: MappingRuntime): Batch => ({
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
  });

  const finish = (b: Batch): void => {
    if (b.state === 'done') return;
    b.state = 'done';
    liveBatches.delete(b.id);
    recentBatches.push(b);
    if (recentBatches.length > RECENT_BATCHES) recentBatches.shift();
  };

  const eventOf = (ctx: EngineContext, b: Batch): SQSEvent =>
    (b.event ??= sqsEvent(b.ids.map((id, i) => recordOf(ctx.records, b.mapping.queue, id, b.receipts[i], ctx.now))));

  /** Invokes the function with a batch; false when Lambda throttled it (the batch is then held). */
  const invokeBatch = (ctx: EngineContext, b: Batch): boolean => {
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
      event: () => eventOf(ctx, b),
      records: b.ids,
      attempt,
      source: m.queue.name,
      batchId: b.id,
      recordIds: b.ids.map((id) => ctx.records.get(id).itemId),
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
    if (retryAt < b.deadlineMs) b.retryTimer = ctx.schedule(retryAt, SQS, 'retry', b);
    return false;
  };

  const startBatch = (ctx: EngineContext, b: Batch): void => {
    liveBatches.set(b.id, b);
    b.visibilityTimer = ctx.schedule(b.deadlineMs, SQS, 'visibility', b);
  };

  /** Phase 4 for one mapping: top up the filling batch, then start batches while slots are free. */
  const serve = (ctx: EngineContext, m: MappingRuntime): void => {
    const q = m.queue;
    if (m.open && fill(ctx, m, m.open)) {
      const b = m.open;
      m.open = undefined;
      if (!invokeBatch(ctx, b)) return;
    }
    // docs/aws-rules.md §3.3: a FIFO mapping starts a batch for every ready message group at once, up to the cap.
    const limit = m.fifo ? m.cap : m.target;
    while (m.batches < limit && q.hasVisible()) {
      const b = newBatch(ctx, m);
      const close = fill(ctx, m, b);
      if (b.ids.length === 0) continue; // everything it met was filtered, redriven or expired
      m.batches++;
      startBatch(ctx, b);
      if (close || m.model.maxBatchingWindowMs === 0) {
        if (!invokeBatch(ctx, b)) return; // throttled: no more receives this tick
      } else {
        // docs/aws-rules.md §3.1: the batch closes at the end of the window if it does not fill first.
        m.open = b;
        ctx.schedule(b.openedAtMs + m.model.maxBatchingWindowMs, SQS, 'window', b);
        break;
      }
    }
    if (q.hasVisible() && m.batches >= limit) m.waited = true;
  };

  /**
   * docs/aws-rules.md §3.3 (re:Post knowledge-center/lambda-sqs-scaling): a FIFO mapping "can scale in concurrency to
   * the number of active message groups", with no 5-start and no +5/s ramp: its target is min(cap, batches
   * already out + groups ready to receive). Each group has at most one batch out, so the groups bound it.
   * Choice where AWS documents nothing: throttles and errors do not lower it; a throttled batch is held
   * and retried with backoff (S20) while its group stays locked, and a failed group stays blocked, which
   * already holds those groups back.
   */
  const fifoTarget = (m: MappingRuntime): number => Math.min(m.cap, m.batches + m.queue.readyGroups());

  // ------------------------------------------------------------------------------------------------
  // Outcomes
  // ------------------------------------------------------------------------------------------------

  const isLive = (b: Batch, i: number): boolean => {
    const id = b.ids[i];
    return msgs.receiveCount[id] === b.receipts[i] && (msgs.phase[id] === Phase.Received || msgs.phase[id] === Phase.Invisible);
  };

  const releaseGroup = (q: QueueRuntime, g: Group): void => {
    g.outstanding--;
    if (g.outstanding === 0) q.markReady(g);
  };

  const deleteMessages = (ctx: EngineContext, b: Batch, indexes: number[], reason?: string): void => {
    if (indexes.length === 0) return;
    const q = b.mapping.queue;
    const ids: string[] = [];
    for (const i of indexes) {
      const id = b.ids[i];
      leave(q, id);
      msgs.phase[id] = Phase.Done;
      leftQueue(ctx, q, id);
      q.counts.deleted++;
      ctx.settle(id, 'succeeded');
      ids.push(ctx.records.get(id).itemId);
      if (q.fifo) releaseGroup(q, q.group(groupName(ctx.records, id)));
    }
    ctx.emit({ t: ctx.now, type: 'sqs.delete', queue: q.name, ids, ...(reason ? { reason } : {}) });
  };

  /** Failed messages stay invisible until the visibility timeout of their receive ends (docs/aws-rules.md §3.2). */
  const failMessages = (ctx: EngineContext, b: Batch, indexes: number[]): void => {
    const q = b.mapping.queue;
    for (const i of indexes) {
      const id = b.ids[i];
      leave(q, id);
      msgs.phase[id] = Phase.Invisible;
      q.counts.invisible++;
      ctx.settle(id, 'waiting');
      if (q.fifo) {
        const g = q.group(groupName(ctx.records, id));
        if (g.invisible++ === 0) q.blocked.add(g.name);
      }
    }
  };

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
  const failedIndexes = (b: Batch, result: InvocationResult, records: RecordStore): number[] | 'all' => {
    if (result.outcome === 'error' || result.outcome === 'timeout') return 'all';
    if (result.outcome === 'success' || !b.mapping.model.reportBatchItemFailures) return [];
    const position = new Map<string, number>();
    b.ids.forEach((id, i) => position.set(records.get(id).itemId, i));
    const out = new Set<number>();
    for (const itemId of result.failedItemIds ?? []) {
      const i = itemId === '' ? undefined : position.get(itemId);
      if (i === undefined) return 'all';
      out.add(i);
    }
    return [...out].sort((a, c) => a - c);
  };

  const complete = (ctx: EngineContext, b: Batch, result: InvocationResult): void => {
    const m = b.mapping;
    m.invoking--;
    m.batches--;
    const failed = failedIndexes(b, result, ctx.records);
    const failedSet = failed === 'all' ? undefined : new Set(failed);
    const toDelete: number[] = [];
    const toFail: number[] = [];
    for (let i = 0; i < b.ids.length; i++) {
      // A message whose visibility timeout ended during the invocation was made visible again (and maybe
      // received again): this receipt is stale, and AWS does not delete with it.
      if (!isLive(b, i) || msgs.phase[b.ids[i]] !== Phase.Received) continue;
      if (failed === 'all' || failedSet!.has(i)) toFail.push(i);
      else toDelete.push(i);
    }
    deleteMessages(ctx, b, toDelete);
    failMessages(ctx, b, toFail);
    // S20: Lambda backs off after function errors; with ReportBatchItemFailures it does not scale down.
    if (failed === 'all' && !m.model.reportBatchItemFailures) {
      m.backoffSignals++;
      ensureScaleTimer(ctx, m);
    }
    if (toFail.length === 0) {
      if (b.visibilityTimer) ctx.cancel(b.visibilityTimer);
      finish(b);
    } else b.state = 'failed';
    wake(ctx);
  };

  /** The visibility timeout of a batch's receive ends: its undeleted messages reappear (docs/aws-rules.md §3.2). */
  const visibilityEnds = (ctx: EngineContext, b: Batch): void => {
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
      if (!isLive(b, i)) continue;
      const id = b.ids[i];
      // Still in an invocation that outlasted the visibility timeout: the message returns to the queue
      // while the function runs on, and may be received (and processed) a second time.
      if (msgs.phase[id] === Phase.Received) ctx.settle(id, 'waiting');
      if (q.fifo) {
        const g = q.group(groupName(ctx.records, id));
        if (msgs.phase[id] === Phase.Invisible && --g.invisible === 0) q.blocked.delete(g.name);
        g.outstanding--;
      }
      leave(q, id);
      msgs.phase[id] = Phase.None;
      back.push(id);
    }
    const visible: number[] = [];
    for (const id of back) {
      // Past its retention period it expires instead of reappearing.
      if (expiresAt(q, id) <= ctx.now) {
        expire(ctx, q, id);
        continue;
      }
      visible.push(id);
      ctx.emit({ t: ctx.now, type: 'sqs.visible', queue: q.name, id: ctx.records.get(id).itemId, receiveCount: msgs.receiveCount[id] });
    }
    if (q.fifo) {
      // Back to the front of their groups in their order (unshift in reverse), which unlocks the groups.
      for (let k = visible.length - 1; k >= 0; k--) makeVisible(ctx, q, visible[k], true);
    } else {
      for (const id of visible) makeVisible(ctx, q, id, false);
    }
    if (b.state !== 'invoking') finish(b);
    wake(ctx);
  };

  // ------------------------------------------------------------------------------------------------
  // Scaling
  // ------------------------------------------------------------------------------------------------

  const ensureScaleTimer = (ctx: EngineContext, m: MappingRuntime): void => {
    if (!m.scaleTimer && !m.fifo) m.scaleTimer = ctx.schedule(ctx.now + SCALE_INTERVAL_MS, SQS, 'scale', m);
  };

  /**
   * One scaling step per second (docs/aws-rules.md §3.2). Deterministic policy, since AWS documents only the rates:
   * - after a throttle, or a failed batch without ReportBatchItemFailures (S20: "gradually backs off"),
   *   the target drops by 5 (one step) but not below the starting 5;
   * - else, if messages waited with every slot busy, it climbs by 5 (300 per minute), up to
   *   min(1250, maxConcurrency). Not capped by the function's reserved concurrency or the unreserved pool:
   *   re:Post (knowledge-center/lambda-sqs-scaling) says event source mappings don't account for reserved
   *   concurrency, so the climb goes past it, throttles follow, and the first rule pulls it back: the
   *   target saws around the function's limit while throttled batches wait out their visibility timeout;
   * - else it scales back down by 5 towards the starting 5;
   * - at 5, a step in which no message waited (low traffic) takes it to 2 when maxConcurrency is not set
   *   (services-sqs-scaling.html: "When traffic is low, Lambda scales back the processing to five concurrent
   *   batches, and can optimize to as few as 2 concurrent batches ... this optimization is not available
   *   when you enable the maximum concurrency setting"); the first step in which messages wait with both
   *   slots busy puts it back to 5, and it climbs from there (our choice: AWS gives no timing).
   * FIFO mappings never get here (no scale timer): see {@link fifoTarget}.
   */
  const scaleMapping = (ctx: EngineContext, m: MappingRuntime): void => {
    m.scaleTimer = undefined;
    if (m.backoffSignals > 0) m.target = Math.max(Math.min(m.target, m.floor), m.target - SCALE_STEP);
    else if (m.waited && m.target < m.floor) m.target = m.floor;
    else if (m.waited && m.target < m.cap) m.target = Math.min(m.cap, m.target + SCALE_STEP);
    else if (!m.waited && m.target > m.floor) m.target = Math.max(m.floor, m.target - SCALE_STEP);
    else if (!m.waited) m.target = m.quietFloor;
    m.target = Math.max(m.target, m.quietFloor);
    m.backoffSignals = 0;
    const busy = m.queue.hasVisible() || m.batches > 0;
    m.waited = false;
    if (m.target > m.quietFloor || busy) ensureScaleTimer(ctx, m);
    wake(ctx);
  };

  // ------------------------------------------------------------------------------------------------
  // The module
  // ------------------------------------------------------------------------------------------------

  return {
    name: SQS,
    accepts: ['queue'],
    init(ctx) {
      epochMs = ctx.epochMs;
      account = { region: ctx.model.region, accountId: ctx.model.accountId };
      for (const model of Object.values(ctx.model.queues)) queues.set(model.name, new QueueRuntime(model));
      for (const esm of ctx.model.eventSourceMappings) {
        if (esm.sourceKind !== 'sqs') continue;
        const queue = queues.get(esm.source)!;
        const fn = ctx.model.functions[esm.function];
        const cap = Math.min(MAX_MAPPING_CONCURRENCY, esm.maxConcurrency ?? MAX_MAPPING_CONCURRENCY);
        const floor = Math.min(INITIAL_CONCURRENCY, cap);
        // docs/aws-rules.md §3.2 note: window + timeout above the visibility timeout gets window + timeout + 30 s.
        const windowPlusTimeout = esm.maxBatchingWindowMs + fn.timeoutMs;
        const visibilityMs =
          windowPlusTimeout > queue.model.visibilityTimeoutMs ? windowPlusTimeout + EFFECTIVE_VISIBILITY_EXTRA_MS : queue.model.visibilityTimeoutMs;
        const m: MappingRuntime = {
          model: esm,
          queue,
          fn,
          target: queue.fifo ? 0 : floor,
          floor,
          quietFloor: esm.maxConcurrency === undefined ? Math.min(LOW_TRAFFIC_CONCURRENCY, floor) : floor,
          cap,
          fifo: queue.fifo,
          visibilityMs,
          batches: 0,
          invoking: 0,
          held: 0,
          backoffSignals: 0,
          waited: false,
          returned: 0,
          receives: 0,
          emptyReceives: 0,
        };
        mappings.push(m);
        const list = consumers.get(queue.name) ?? [];
        list.push(m);
        consumers.set(queue.name, list);
      }
      // Every queue starts empty: idle pollers long-poll it from time 0.
      for (const q of queues.values()) idleSince.set(q.name, 0);
      ctx.state.modules[SQS] = view();
      // A mapping created later than the run's start (startAt) begins polling then.
      for (const m of mappings) if (m.model.enabled && m.model.startAtMs > 0) ctx.schedule(m.model.startAtMs, SQS, 'start', m);
    },
    put(ctx, resource, record) {
      const q = queues.get(resource);
      if (!q) throw new Error(`sqs: no queue '${resource}'`);
      put(ctx, q, record);
    },
    onTimer(ctx, timer) {
      switch (timer.kind) {
        case 'delay': {
          const q = queues.get(timer.data as string)!;
          q.delayTimer = undefined;
          while (q.delayed.size > 0) {
            const id = q.delayed.peek();
            if (msgs.phase[id] !== Phase.Delayed) {
              q.delayed.shift();
              continue;
            }
            if (msgs.sentMs[id] + q.model.deliveryDelayMs > ctx.now) break;
            q.delayed.shift();
            leave(q, id);
            makeVisible(ctx, q, id, false);
          }
          scheduleDelay(ctx, q);
          return;
        }
        case 'retention': {
          const q = queues.get(timer.data as string)!;
          q.retentionTimer = undefined;
          runRetention(ctx, q);
          return;
        }
        case 'visibility':
          visibilityEnds(ctx, timer.data as Batch);
          return;
        case 'window': {
          const b = timer.data as Batch;
          const m = b.mapping;
          if (m.open !== b) return;
          m.open = undefined;
          fill(ctx, m, b);
          invokeBatch(ctx, b);
          wake(ctx);
          return;
        }
        case 'retry': {
          const b = timer.data as Batch;
          if (b.state !== 'held') return;
          b.retryTimer = undefined;
          b.mapping.held--;
          invokeBatch(ctx, b);
          return;
        }
        case 'scale':
          scaleMapping(ctx, timer.data as MappingRuntime);
          return;
        case 'start': {
          const m = timer.data as MappingRuntime;
          if (m.queue.hasVisible()) ensureScaleTimer(ctx, m);
          wake(ctx);
          return;
        }
      }
    },
    onComplete(ctx, ref, result) {
      complete(ctx, ref as Batch, result);
    },
    dispatch(ctx) {
      wakeRequested = false;
      for (const m of mappings) if (m.model.enabled && ctx.now >= m.model.startAtMs) serve(ctx, m);
      return wakeRequested;
    },
    sample(ctx) {
      const state = ctx.state.modules[SQS] as SqsViewState;
      for (const q of queues.values()) {
        const row = state.queues[q.name];
        const age = oldestAgeMs(ctx, q);
        if (age > 0) ctx.observeAge(q.name, age);
        const c = q.counts;
        set(row, 'visible', c.visible);
        set(row, 'inFlight', c.received);
        set(row, 'delayed', c.delayed);
        set(row, 'invisibleAfterFailure', c.invisible);
        set(row, 'deleted', c.deleted);
        set(row, 'redriven', c.redriven);
        set(row, 'expired', c.expired);
        set(row, 'filtered', c.filtered);
        set(row, 'oldestAgeMs', age);
        if (q.fifo) {
          set(row, 'deduplicated', c.deduplicated);
          set(row, 'groups', q.groups.size);
          set(row, 'blockedGroupCount', q.blocked.size);
          const list: string[] = [];
          for (const name of q.blocked) {
            if (list.length >= VIEW_LIST_MAX) break;
            list.push(name);
          }
          const prev = row.blockedGroups ?? [];
          if (prev.length !== list.length || prev.some((n, i) => n !== list[i])) row.blockedGroups = list;
        }
      }
      for (const m of mappings) {
        const row = state.mappings[m.model.id];
        set(row, 'concurrencyTarget', m.fifo ? fifoTarget(m) : m.target);
        set(row, 'inFlightBatches', m.invoking);
        set(row, 'heldBatches', m.held);
        set(row, 'fillingBatch', m.open ? m.open.ids.length : 0);
        set(row, 'receives', m.receives);
        const since = idleSince.get(m.queue.name);
        set(row, 'emptyReceives', m.emptyReceives + (m.model.enabled && since !== undefined ? emptyPolls(ctx.now - since) : 0));
      }
    },
    inspect(ictx, key) {
      const batch = liveBatches.get(key) ?? recentBatches.find((b) => b.id === key);
      if (batch) return batch.event ?? sqsEvent(batch.ids.map((id, i) => recordOf(ictx.records, batch.mapping.queue, id, batch.receipts[i], ictx.state.t)));
      for (const b of [...liveBatches.values(), ...recentBatches]) {
        const i = b.ids.findIndex((id) => ictx.records.get(id).itemId === key);
        if (i >= 0) return recordOf(ictx.records, b.mapping.queue, b.ids[i], b.receipts[i], ictx.state.t);
      }
      const q = queues.get(key);
      if (q) {
        // The queue's oldest visible message, as the next receive would return it.
        const head = q.fifo ? firstVisibleInGroups(q) : firstVisible(q.visible);
        return head < 0 ? null : recordOf(ictx.records, q, head, msgs.receiveCount[head] + 1, ictx.state.t);
      }
      return undefined;
    },
  };

  function firstVisible(deque: IdDeque): number {
    while (deque.size > 0 && msgs.phase[deque.peek()] !== Phase.Visible) deque.shift();
    return deque.peek();
  }

  function firstVisibleInGroups(q: QueueRuntime): number {
    for (let i = q.readyHead; i < q.ready.length; i++) {
      const id = firstVisible(q.ready[i].deque);
      if (id >= 0) return id;
    }
    return -1;
  }

  /** Age of the oldest message still in the queue: the front of the retention order (never a scan). */
  function oldestAgeMs(ctx: EngineContext, q: QueueRuntime): number {
    while (q.retention.size > 0 && msgs.phase[q.retention.peek()] === Phase.Done) q.retention.shift();
    let oldest = Infinity;
    if (q.retention.size > 0) oldest = ctx.records.get(q.retention.peek()).putAtMs;
    while (q.late.size > 0 && msgs.phase[q.late.peek()!.id] === Phase.Done) q.late.pop();
    if (q.late.size > 0) oldest = Math.min(oldest, ctx.records.get(q.late.peek()!.id).putAtMs);
    return oldest === Infinity ? 0 : Math.max(0, ctx.now - oldest);
  }

  function view(): SqsViewState {
    const state: SqsViewState = { queues: {}, mappings: {} };
    for (const q of queues.values()) {
      state.queues[q.name] = {
        name: q.name,
        fifo: q.fifo,
        visibilityTimeoutMs: q.model.visibilityTimeoutMs,
        visible: 0,
        inFlight: 0,
        delayed: 0,
        invisibleAfterFailure: 0,
        deleted: 0,
        redriven: 0,
        expired: 0,
        filtered: 0,
        oldestAgeMs: 0,
        ...(q.model.redrive ? { deadLetterQueue: q.model.redrive.queue, maxReceiveCount: q.model.redrive.maxReceiveCount } : {}),
        ...(q.fifo ? { groups: 0, blockedGroups: [], blockedGroupCount: 0 } : {}),
      };
    }
    for (const m of mappings) {
      state.mappings[m.model.id] = {
        id: m.model.id,
        queue: m.queue.name,
        fn: m.model.function,
        enabled: m.model.enabled,
        concurrencyTarget: m.target,
        concurrencyCap: m.cap,
        inFlightBatches: 0,
        heldBatches: 0,
        fillingBatch: 0,
        visibilityMs: m.visibilityMs,
        receives: 0,
        emptyReceives: 0,
      };
    }
    return state;
  }
}

/** Assigns only when the value changed, so an unchanged snapshot keeps its structural sharing. */
function set<T extends object, K extends keyof T>(row: T, key: K, value: T[K]): void {
  if (row[key] !== value) row[key] = value;
}
