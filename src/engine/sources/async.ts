/**
 * Asynchronous invocation (docs/aws-rules.md sections 2 and 6): every `Event` invoke, S3 notification,
 * SNS subscription, EventBridge target and function destination lands in the function's internal queue.
 * Lambda accepts the event at once (202) and a poller invokes it as concurrency allows.
 *
 * - Function errors and timeouts: up to `retryAttempts` (0..2) more tries, 60 s before the second and
 *   120 s before the third (docs/aws-rules.md §2, "Function-error retry delays").
 * - Throttles: the event goes back to the queue with a backoff from 1 s doubling up to 5 min; these are not
 *   attempts (docs/aws-rules.md §2, "Throttle (429) / system (5xx)").
 * - Event age is checked ahead: when the next try would come after `maxEventAge`, the event fails now with
 *   EventAgeExceeded (docs/aws-rules.md §2, "Max-age check": age 60 s ⇒ 1 attempt, 90 s ⇒ 2 attempts).
 * - Reserved concurrency 0: failure handling at once, ZeroReservedConcurrency, no invokes (docs/aws-rules.md §2).
 * - Outcomes go to onSuccess / onFailure destinations as invocation records, and failures also to the
 *   dead-letter queue as the original event with RequestID / ErrorCode / ErrorMessage attributes. When both
 *   a DLQ and an onFailure destination are set both fire: docs/aws-rules.md §2 says LocalStack processes both and the
 *   order is UNVERIFIED; this simulator delivers onFailure first, then the DLQ.
 *
 * Choices where AWS leaves room (each also noted where it is implemented):
 * - The event's RequestID (what Invoke's 202 returns, and what destination records and DLQ attributes carry)
 *   is drawn when the event is accepted, and every attempt runs under it: a handler's
 *   `context.awsRequestId` stays the same across retries, as on AWS.
 * - `approximateInvokeCount` counts attempts that ran the function; throttled tries are not counted.
 * - The poller probes a throttled function at most once per tick: on the first throttle it stops reading
 *   that function's queue until a completion, a due retry or a new event wakes it ("large queue ⇒ longer
 *   intervals, slower reads", docs/aws-rules.md §2). An event still waiting in the queue when it passes maxEventAge
 *   fails with EventAgeExceeded then (an expiry timer), so no event outlives its age.
 */
import { TimeHeap } from '../heap.js';
import {
  type AwsAccount,
  asyncInvocationRecord,
  type AsyncCondition,
  dlqErrorFields,
  dlqMessage,
  functionArn,
  type InvocationOutcome,
  payloadBytes,
  ASYNC_REQUEST_LIMIT_BYTES,
  requestTooLarge,
  requestTooLargeResponse,
  s3Event,
  s3Record,
  s3Sequencer,
  snsEvent,
  snsRecord,
} from '../aws/index.js';
import { cloudWatchLogsData, cloudWatchLogsEvent, codeCommitEvent, configRuleEvent, logEventId } from '../aws/callers.js';
import { md5Hex, sha256Hex, uuidFrom } from '../aws/format.js';
import { rejectedOutcome } from '../aws/invoke.js';
import { sesRequest } from './caller.js';
import { type EngineContext, type EngineModule, type IncomingRecord, type InvocationResult, timersOf } from '../module.js';
import { deliverRecord } from '../delivery.js';
import { splitQualified } from '../lambda/versions.js';

export const ASYNC = 'async';

/** docs/aws-rules.md §2: 60 s before the second attempt, 120 s before the third. */
export const RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** docs/aws-rules.md §2: throttle backoff starts at 1 s and doubles up to 5 min. */
export const THROTTLE_BACKOFF_FIRST_MS = 1_000;
export const THROTTLE_BACKOFF_MAX_MS = 300_000;
/** How many scheduled retries the view lists per function. */
export const NEXT_RETRIES_SHOWN = 5;
/** How many finished events stay inspectable (live ones always are). */
const FINISHED_INSPECTABLE = 1_000;

/** One scheduled retry, as the dashboard lists it. */
export interface AsyncScheduledRetry {
  eventId: string;
  /** The number of the try that is due (throttled tries keep the number of the try they were). */
  attempt: number;
  /** Simulated ms it is due. */
  at: number;
  /**
   * 'error' (function error or timeout: counts as an attempt), or 'throttle' / 'serviceError' (Lambda
   * refused the try with a 429 or a 500: backoff, not counted).
   */
  reason: 'error' | 'throttle' | 'serviceError';
}

/** One function's internal async queue. */
export interface AsyncFunctionView {
  fn: string;
  /** Events waiting to be read by the poller now (accepted, or whose retry came due). */
  queueDepth: number;
  /** Events waiting for a retry: after a function error (60 s / 120 s) or a throttle (backoff). */
  scheduledRetries: number;
  /** Events in an invocation now. */
  inFlight: number;
  /** Age of the oldest event not yet finished (queued, waiting for a retry or in flight); 0 when none. */
  oldestEventAgeMs: number;
  /** The next few scheduled retries, soonest first; at most NEXT_RETRIES_SHOWN. */
  nextRetries: AsyncScheduledRetry[];
}

/**
 * The async module's view state, `state.modules.async`: one row per function that has received an
 * asynchronous event, keyed by function name. Succeeded / failed / waiting counts are in the ledger
 * `state.sources['async:<fn>']`.
 */
export interface AsyncViewState {
  functions: Record<string, AsyncFunctionView>;
}

interface AsyncEvent {
  /** Store id. */
  id: number;
  /** The RequestID Lambda returned with 202; destination records and DLQ attributes carry it. */
  eventId: string;
  fn: string;
  /** How the event named the function ('live', '2', '$LATEST'); undefined = unqualified. */
  qualifier?: string;
  /** The version the last attempt ran (responseContext.executedVersion). */
  lastVersion?: string;
  source: string;
  /** The caller a traffic entry named (`via`: 'cli', 's3', 'ses', ...); each attempt's invoke.start carries it. */
  via?: string;
  acceptedAtMs: number;
  /** Attempts that ran the function. */
  attempts: number;
  /** The next throttle backoff. */
  backoffMs: number;
  lastOutcome?: InvocationOutcome;
  lastRequestId?: string;
  finished: boolean;
  /** Where the event is: read by the poller from the queue, waiting for a retry, or in an invocation. */
  where: 'ready' | 'retry' | 'inFlight' | 'done';
  /** Set once the internal queue has delivered this event a second time (at-least-once delivery). */
  duplicated?: boolean;
}

interface RetryEntry {
  at: number;
  seq: number;
  event: AsyncEvent;
  attempt: number;
  reason: 'error' | 'throttle' | 'serviceError';
}

interface FnQueue {
  fn: string;
  /** Events ready to invoke, in order of readiness; `head` is the next. */
  ready: AsyncEvent[];
  head: number;
  /** Events in `ready` still waiting (aged-out ones are skipped lazily). */
  depth: number;
  /** Scheduled retries, a min-heap by (at, seq); fired entries leave from the top. */
  retries: TimeHeap<RetryEntry>;
  /** Every unfinished event in acceptance order (finished ones are dropped lazily from the front). */
  live: AsyncEvent[];
  liveHead: number;
  inFlight: number;
  dirty: boolean;
}

/** The async module's timers: an event passing its maximum age in the queue, a retry coming due. */
interface AsyncTimers {
  expire: AsyncEvent;
  retry: AsyncEvent;
}

/** What a checkpoint of the async module carries. */
interface AsyncSaved {
  queues: Map<string, FnQueue>;
  liveById: Map<string, AsyncEvent>;
  finishedIds: Array<[string, number]>;
  retrySeq: number;
}

const schedule = timersOf<AsyncTimers>(ASYNC);

export { envelopeRecord } from '../delivery.js';

/**
 * The event a traffic entry `{ invoke, type: 'Event', via }` sends. `cli` sends body(i) as is; `s3` builds
 * an S3 notification around body(i) (`{ key, size, eventName }`, defaults as for bucket traffic) for a
 * bucket named `<fn>-bucket`; `sns` publishes body(i) as the Message of a topic named `<fn>-topic`.
 */
export function directEvent(ctx: EngineContext, fn: string, via: string, record: IncomingRecord, atMs: number): unknown {
  const account = accountOf(ctx);
  if (via === 's3') {
    const spec = s3ObjectSpec(record.body, record.i);
    return s3Event([
      s3Record({
        account,
        bucketName: `${fn}-bucket`,
        key: spec.key,
        eventName: spec.eventName,
        eventEpochMs: ctx.epochMs(atMs),
        sequencer: s3Sequencer(record.i),
        configurationId: `${fn}-notification`,
        size: spec.size,
        body: spec.content,
      }),
    ]);
  }
  const other = otherAsyncEvent(ctx, fn, via, record, atMs);
  if (other) return other.event;
  if (via === 'sns') {
    return snsEvent([
      snsRecord({ account, topicName: `${fn}-topic`, subscriber: fn, messageId: ctx.ids.messageId(), message: record.body, publishedEpochMs: ctx.epochMs(atMs) }),
    ]);
  }
  return record.body;
}

/** What a put to a bucket describes: body(i) may give `{ key, size, eventName }`; the rest is content. */
export function s3ObjectSpec(body: unknown, i: number): { key: string; eventName: string; size?: number; content: unknown } {
  const b = body as { key?: unknown; size?: unknown; eventName?: unknown } | null;
  const isSpec = typeof b === 'object' && b !== null && typeof b.key === 'string';
  if (!isSpec) return { key: `objects/${i}.json`, eventName: 'ObjectCreated:Put', size: payloadBytes(body).length, content: body };
  return {
    key: b.key as string,
    eventName: typeof b.eventName === 'string' ? b.eventName : 'ObjectCreated:Put',
    ...(typeof b.size === 'number' ? { size: b.size } : {}),
    content: body,
  };
}

export function accountOf(ctx: { model: { region: string; accountId: string } }): AwsAccount {
  return { region: ctx.model.region, accountId: ctx.model.accountId };
}

export function createAsyncModule(): EngineModule<AsyncTimers, AsyncEvent, AsyncViewState, AsyncSaved> {
  let queues = new Map<string, FnQueue>();
  let liveById = new Map<string, AsyncEvent>();
  let finishedIds: Array<[string, number]> = [];
  let retrySeq = 0;

  const queueOf = (fn: string): FnQueue => {
    let q = queues.get(fn);
    if (!q) {
      q = { fn, ready: [], head: 0, depth: 0, retries: new TimeHeap<RetryEntry>(), live: [], liveHead: 0, inFlight: 0, dirty: true };
      queues.set(fn, q);
    }
    return q;
  };

  const pushReady = (q: FnQueue, ev: AsyncEvent) => {
    ev.where = 'ready';
    q.ready.push(ev);
    q.depth++;
    q.dirty = true;
  };

  const finish = (ctx: EngineContext, ev: AsyncEvent, state: 'succeeded' | 'failed', failedTo?: string) => {
    ev.finished = true;
    ev.where = 'done';
    // The oldest event's age peaks when it finishes: observed at that exact time (docs/time.md).
    if (ctx.now > ev.acceptedAtMs) ctx.observeAge(ev.source, ctx.now - ev.acceptedAtMs);
    ctx.settle(ev.id, state, failedTo);
    liveById.delete(ev.eventId);
    finishedIds.push([ev.eventId, ev.id]);
    if (finishedIds.length > FINISHED_INSPECTABLE * 2) finishedIds.splice(0, finishedIds.length - FINISHED_INSPECTABLE);
    queueOf(ev.fn).dirty = true;
  };

  const record = (ctx: EngineContext, ev: AsyncEvent, condition: AsyncCondition) =>
    asyncInvocationRecord({
      requestId: ev.eventId,
      // docs/aws-rules.md §2: functionArn is qualified (`:$LATEST`, `:2` or the alias) in async invocation records.
      functionArn: functionArn(accountOf(ctx), ev.fn, ev.qualifier ?? '$LATEST'),
      ...(ev.lastVersion ? { executedVersion: ev.lastVersion } : {}),
      condition,
      approximateInvokeCount: ev.attempts,
      timestampEpochMs: ctx.epochMs(ctx.now),
      requestPayload: ctx.records.body(ev.id),
      lastOutcome: condition === 'ZeroReservedConcurrency' ? undefined : ev.lastOutcome,
    });

  const deliverTo = (ctx: EngineContext, ev: AsyncEvent, to: string, kind: 'onSuccess' | 'onFailure', condition: AsyncCondition) => {
    const payload = record(ctx, ev, condition);
    deliverRecord(ctx, {
      to,
      kind,
      condition,
      record: payload,
      fn: ev.fn,
      source: ev.source,
      context: { account: accountOf(ctx), functionName: ev.fn, epochMs: ctx.epochMs(ctx.now), deliveryId: ctx.ids.requestId(), busName: to },
    });
  };

  /** docs/aws-rules.md §2: failure handling. onFailure gets the invocation record, the DLQ the original event. */
  const fail = (ctx: EngineContext, ev: AsyncEvent, condition: AsyncCondition) => {
    const fn = ctx.model.functions[ev.fn];
    if (fn.onFailure) deliverTo(ctx, ev, fn.onFailure, 'onFailure', condition);
    if (fn.deadLetterQueue) {
      const fields =
        condition === 'ZeroReservedConcurrency'
          ? { errorCode: 429, errorMessage: 'Rate Exceeded.' }
          : dlqErrorFields(ev.lastOutcome, ev.lastRequestId ?? ev.eventId);
      const message = dlqMessage({ event: ctx.records.body(ev.id), requestId: ev.eventId, ...fields });
      ctx.deliver({
        to: fn.deadLetterQueue,
        kind: 'dlq',
        condition,
        // DESIGN's trace contract: a DLQ delivery's payload is the original event; the three attributes
        // AWS adds travel beside it.
        payload: ctx.records.body(ev.id),
        messageAttributes: message.messageAttributes,
        fn: ev.fn,
        source: ev.source,
        envelope: { trafficIndex: -1, i: 0, body: message.body, attributes: { producer: 'dlq', messageAttributes: message.messageAttributes } },
      });
    }
    // One record has one fate in the ledger: the onFailure destination when set, else the DLQ.
    const failedTo = fn.onFailure ?? (fn.deadLetterQueue ? `dlq:${fn.deadLetterQueue}` : 'dropped');
    finish(ctx, ev, 'failed', failedTo);
  };

  const scheduleRetry = (ctx: EngineContext, ev: AsyncEvent, at: number, attempt: number, reason: 'error' | 'throttle' | 'serviceError') => {
    const q = queueOf(ev.fn);
    const entry: RetryEntry = { at, seq: retrySeq++, event: ev, attempt, reason };
    q.retries.push(entry);
    ev.where = 'retry';
    q.dirty = true;
    schedule(ctx, at, 'retry', ev);
    ctx.emit({ t: ctx.now, type: 'async.retry', fn: ev.fn, eventId: ev.eventId, attempt, at, reason });
  };

  /** The look-ahead age check (docs/aws-rules.md §2): would a try at `at` come after maxEventAge? */
  const tooOldAt = (ctx: EngineContext, ev: AsyncEvent, at: number) => at - ev.acceptedAtMs > ctx.model.functions[ev.fn].maxEventAgeMs;

  const dispatchFn = (ctx: EngineContext, q: FnQueue) => {
    const fn = ctx.model.functions[q.fn];
    // Read at most what was queued when the tick started: a destination back to this function waits a tick.
    const end = q.ready.length;
    while (q.head < end) {
      const ev = q.ready[q.head];
      if (ev.where !== 'ready') {
        // Aged out while it waited (the expiry timer failed it); drop it from the queue.
        q.head++;
        continue;
      }
      q.depth--;
      if (fn.reservedConcurrentExecutions === 0) {
        q.head++;
        fail(ctx, ev, 'ZeroReservedConcurrency');
        continue;
      }
      if (tooOldAt(ctx, ev, ctx.now)) {
        q.head++;
        fail(ctx, ev, 'EventAgeExceeded');
        continue;
      }
      const attempt = ev.attempts + 1;
      // docs/versions.md: every attempt, retries included, invokes the qualifier again, so a weighted alias
      // draws its version anew (AWS documents no pinning; the alias may have moved in between).
      const started = ctx.invoke({
        fn: q.fn,
        qualifier: ev.qualifier,
        trigger: 'async',
        owner: ASYNC,
        ref: ev,
        event: () => ctx.records.body(ev.id),
        records: [ev.id],
        attempt,
        source: ev.source,
        via: ev.via,
        recordIds: [ev.eventId],
        requestId: ev.eventId,
        label: `attempt ${attempt} of ${fn.retryAttempts + 1}`,
      });
      q.head++;
      if (!started.ok) {
        // docs/aws-rules.md §2: a throttle or a system error returns the event to the queue with backoff and
        // is not an attempt.
        ev.lastOutcome ??= rejectedOutcome(started.reason);
        const at = ctx.now + ev.backoffMs;
        if (tooOldAt(ctx, ev, at)) fail(ctx, ev, 'EventAgeExceeded');
        else {
          scheduleRetry(ctx, ev, at, attempt, started.reason === 'ServiceException' ? 'serviceError' : 'throttle');
          ev.backoffMs = Math.min(ev.backoffMs * 2, THROTTLE_BACKOFF_MAX_MS);
        }
        break;
      }
      ev.attempts = attempt;
      ev.lastRequestId = started.requestId;
      ev.backoffMs = THROTTLE_BACKOFF_FIRST_MS;
      ev.where = 'inFlight';
      q.inFlight++;
      ctx.settle(ev.id, 'inFlight');
    }
    if (q.head > 1024 && q.head * 2 > q.ready.length) {
      q.ready = q.ready.slice(q.head);
      q.head = 0;
    }
    q.dirty = true;
  };

  return {
    name: ASYNC,
    save: () => ({ queues, liveById, finishedIds, retrySeq }),
    restore(saved) {
      ({ queues, liveById, finishedIds, retrySeq } = saved);
    },
    accepts: ['async'],
    init(ctx) {
      const view: AsyncViewState = { functions: {} };
      return view;
    },
    put(ctx, name, incoming: IncomingRecord) {
      const { fn, qualifier } = splitQualified(name);
      const source = `async:${fn}`;
      const eventId = ctx.ids.requestId();
      const via = incoming.attributes?.via;
      const atMs = incoming.attributes?.atMs ?? ctx.now;
      // Traffic `{ invoke, type: 'Event', via: 's3' | 'sns' }` sends the event that service would send.
      const body = via ? directEvent(ctx, fn, via, incoming, atMs) : incoming.body;
      const id = ctx.admit(source, { ...incoming, body }, eventId);
      ctx.emit({ t: ctx.now, type: 'record.put', source, id: eventId });
      // API_Invoke.html: an asynchronous payload over 1 MB is refused with 413 RequestTooLargeException;
      // the event is never queued, and the caller sees the error (docs/fidelity.md).
      if (via === 'cli' && incoming.attributes?.customBody === true && requestTooLarge(body, ASYNC_REQUEST_LIMIT_BYTES)) {
        const r = requestTooLargeResponse(ASYNC_REQUEST_LIMIT_BYTES);
        ctx.emit({ t: ctx.now, type: 'invoke.refused', fn, via, invocationType: 'Event', statusCode: r.statusCode, errorType: r.errorType!, body: r.payload });
        ctx.settle(id, 'failed', 'caller');
        return;
      }
      const ev: AsyncEvent = { id, eventId, fn, source, acceptedAtMs: ctx.now, attempts: 0, backoffMs: THROTTLE_BACKOFF_FIRST_MS, finished: false, where: 'ready' };
      if (qualifier !== undefined) ev.qualifier = qualifier;
      if (via !== undefined) ev.via = via;
      // An event left waiting in the queue fails when it passes maxEventAge (only timers a run can reach).
      const expiresAt = ctx.now + ctx.model.functions[fn].maxEventAgeMs + 1;
      if (expiresAt <= ctx.model.durationMs) schedule(ctx, expiresAt, 'expire', ev);
      const q = queueOf(fn);
      q.live.push(ev);
      liveById.set(eventId, ev);
      pushReady(q, ev);
      ctx.wake(ASYNC);
    },
    onTimer(ctx, timer) {
      if (timer.kind === 'expire') {
        const ev = timer.data;
        if (ev.where !== 'ready') return; // in flight or waiting for a retry: the look-ahead handles it
        queueOf(ev.fn).depth--;
        fail(ctx, ev, 'EventAgeExceeded');
        return;
      }
      if (timer.kind !== 'retry') return;
      const ev = timer.data;
      const q = queueOf(ev.fn);
      // Timers fire in (at, seq) order, as the per-function heap orders them: the top is this retry.
      q.retries.pop();
      if (ev.finished) return;
      pushReady(q, ev);
      ctx.wake(ASYNC);
    },
    onComplete(ctx, ev, result: InvocationResult) {
      const q = queueOf(ev.fn);
      q.inFlight--;
      q.dirty = true;
      const fn = ctx.model.functions[ev.fn];
      ev.lastVersion = result.version;
      if (result.outcome === 'success' || result.outcome === 'partial') {
        // An async function has no batch: whatever it returned (even batchItemFailures) is a success.
        ev.lastOutcome = { kind: 'success', payload: result.response };
        if (fn.onSuccess) deliverTo(ctx, ev, fn.onSuccess, 'onSuccess', 'Success');
        // docs/aws-rules.md §2: delivery is at-least-once, "duplicates possible even without errors". A scenario
        // that asks for it (duplicateRate) sees the same event, with the same request id, run again.
        if (!ev.duplicated && fn.duplicateRate > 0 && ctx.rng.next() < fn.duplicateRate) {
          ev.duplicated = true;
          ctx.emit({ t: ctx.now, type: 'async.duplicate', fn: ev.fn, eventId: ev.eventId });
          ctx.settle(ev.id, 'waiting');
          pushReady(q, ev);
          ctx.wake(ASYNC);
          return;
        }
        finish(ctx, ev, 'succeeded');
        return;
      }
      ev.lastOutcome =
        result.outcome === 'timeout' ? { kind: 'timeout', timeoutMs: result.timeoutMs } : { kind: 'error', error: result.error ?? { errorType: 'Error', errorMessage: '' } };
      if (ev.attempts > fn.retryAttempts) {
        fail(ctx, ev, 'RetriesExhausted');
        return;
      }
      // docs/aws-rules.md §2: 60 s before the second attempt, 120 s before the third; look ahead at the age.
      const at = ctx.now + RETRY_DELAYS_MS[Math.min(ev.attempts, RETRY_DELAYS_MS.length) - 1];
      if (tooOldAt(ctx, ev, at)) {
        fail(ctx, ev, 'EventAgeExceeded');
        return;
      }
      ctx.settle(ev.id, 'waiting');
      scheduleRetry(ctx, ev, at, ev.attempts + 1, 'error');
    },
    dispatch(ctx) {
      for (const name of Object.keys(ctx.model.functions)) {
        const q = queues.get(name);
        if (q && q.head < q.ready.length) dispatchFn(ctx, q);
      }
      return false;
    },
    sample(ctx, view) {
      for (const name of Object.keys(ctx.model.functions)) {
        const q = queues.get(name);
        if (!q) continue;
        while (q.liveHead < q.live.length && q.live[q.liveHead].finished) q.liveHead++;
        if (q.liveHead > 1024 && q.liveHead * 2 > q.live.length) {
          q.live = q.live.slice(q.liveHead);
          q.liveHead = 0;
        }
        const oldest = q.liveHead < q.live.length ? ctx.now - q.live[q.liveHead].acceptedAtMs : 0;
        if (oldest > 0) ctx.observeAge(`async:${name}`, oldest);
        const row = view.functions[name];
        if (!q.dirty && row && row.oldestEventAgeMs === oldest) continue;
        q.dirty = false;
        const next = q.retries.smallest(NEXT_RETRIES_SHOWN).map((e) => ({ eventId: e.event.eventId, attempt: e.attempt, at: e.at, reason: e.reason }));
        const fresh: AsyncFunctionView = {
          fn: name,
          queueDepth: q.depth,
          scheduledRetries: q.retries.size,
          inFlight: q.inFlight,
          oldestEventAgeMs: oldest,
          nextRetries: next,
        };
        if (!row) view.functions[name] = fresh;
        else {
          row.queueDepth = fresh.queueDepth;
          row.scheduledRetries = fresh.scheduledRetries;
          row.inFlight = fresh.inFlight;
          row.oldestEventAgeMs = fresh.oldestEventAgeMs;
          if (JSON.stringify(row.nextRetries) !== JSON.stringify(next)) row.nextRetries = next;
        }
      }
    },
    inspect(ctx, key) {
      const live = liveById.get(key);
      if (live) return ctx.records.body(live.id);
      for (let k = finishedIds.length - 1; k >= 0 && k >= finishedIds.length - FINISHED_INSPECTABLE; k--) {
        if (finishedIds[k][0] === key) return ctx.records.body(finishedIds[k][1]);
      }
      return undefined;
    },
  };
}

/**
 * The event of the other asynchronous callers (docs/callers.md): SES, a CloudWatch Logs subscription
 * filter, a CodeCommit trigger, an AWS Config rule and an IoT rule, each built around body(i).
 */
function otherAsyncEvent(ctx: EngineContext, fn: string, via: string, record: IncomingRecord, atMs: number): { event: unknown } | undefined {
  const account = accountOf(ctx);
  const epochMs = ctx.epochMs(atMs);
  const body = typeof record.body === 'object' && record.body !== null && !Array.isArray(record.body) ? (record.body as Record<string, unknown>) : {};
  const seed = `${fn}:${record.trafficIndex}:${record.i}`;
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
  switch (via) {
    case 'ses': {
      const spec = record.trafficIndex >= 0 ? ctx.model.traffic[record.trafficIndex] : undefined;
      return { event: sesRequest({ body: record.body, epochMs, account, fn }, { i: record.i, ...(spec ? { spec } : {}) }, 'Event') };
    }
    case 'cloudwatch-logs': {
      // body(i): a log line (string), `{ messages: [...] }` or any value (logged as JSON).
      const lines = Array.isArray(body.messages)
        ? body.messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m)))
        : [typeof record.body === 'string' ? record.body : JSON.stringify(record.body)];
      const data = cloudWatchLogsData({
        owner: account.accountId,
        logGroup: str(body.logGroup, `/aws/app/${fn}-source`),
        logStream: str(body.logStream, 'stream-0'),
        filterName: `${fn}-subscription`,
        events: lines.map((message, k) => ({ id: logEventId(`${seed}:${k}`), timestamp: epochMs, message })),
      });
      return { event: cloudWatchLogsEvent(data) };
    }
    case 'codecommit':
      return {
        event: codeCommitEvent({
          account,
          repository: str(body.repository, `${fn}-repo`),
          triggerName: `${fn}-trigger`,
          triggerConfigId: uuidFrom('trigger', fn),
          eventId: uuidFrom('push', seed),
          epochMs,
          commit: str(body.commit, sha256Hex(`commit:${seed}`).slice(0, 40)),
          ref: str(body.ref, 'refs/heads/main'),
          user: str(body.user, 'developer'),
          ...(typeof body.customData === 'string' ? { customData: body.customData } : {}),
        }),
      };
    case 'config': {
      const resourceId = str(body.resourceId, `i-${md5Hex(`instance:${seed}`).slice(0, 17)}`);
      const resourceType = str(body.resourceType, 'AWS::EC2::Instance');
      return {
        event: configRuleEvent({
          account,
          ruleName: `${fn}-rule`,
          ruleId: `config-rule-${md5Hex(`rule:${fn}`).slice(0, 6)}`,
          resultToken: md5Hex(`token:${seed}`),
          epochMs,
          configurationItem: {
            resourceId,
            ARN: resourceType === 'AWS::EC2::Instance' ? `arn:aws:ec2:${account.region}:${account.accountId}:instance/${resourceId}` : `arn:aws:${resourceId}`,
            awsRegion: account.region,
            resourceType,
            tags: {},
            relationships: [],
            configuration: body.configuration ?? record.body,
          },
        }),
      };
    }
    case 'iot':
      // An IoT rule hands the function the message as its SQL statement selects it: here, body(i) as it is.
      return { event: record.body };
    default:
      return undefined;
  }
}
