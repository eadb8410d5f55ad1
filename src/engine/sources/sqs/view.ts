/** The SQS module's view state, `state.modules.sqs`: one row per queue and per mapping, refreshed per tick. */
import type { EngineContext } from '../../module.js';
import { VIEW_LIST_MAX } from './constants.js';
import { emptyPolls, oldestAgeMs } from './lifecycle.js';
import type { SqsRuntime } from './runtime.js';
import { fifoTarget } from './scaling.js';

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

/** The view as init creates it: every queue and mapping with zero counts. */
export function initialView(rt: SqsRuntime): SqsViewState {
  const state: SqsViewState = { queues: {}, mappings: {} };
  for (const q of rt.queues.values()) {
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
  for (const m of rt.mappings) {
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

/** Refreshes the rows at the end of a tick (and observes each queue's oldest message age). */
export function sampleView(rt: SqsRuntime, ctx: EngineContext, state: SqsViewState): void {
  for (const q of rt.queues.values()) {
    const row = state.queues[q.name];
    const age = oldestAgeMs(rt, ctx, q);
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
  for (const m of rt.mappings) {
    const row = state.mappings[m.model.id];
    set(row, 'concurrencyTarget', m.fifo ? fifoTarget(m) : m.target);
    set(row, 'inFlightBatches', m.invoking);
    set(row, 'heldBatches', m.held);
    set(row, 'fillingBatch', m.open ? m.open.ids.length : 0);
    set(row, 'receives', m.receives);
    const since = rt.idleSince.get(m.queue.name);
    set(row, 'emptyReceives', m.emptyReceives + (m.model.enabled && since !== undefined ? emptyPolls(ctx.now - since) : 0));
  }
}

/** Assigns only when the value changed, so an unchanged snapshot keeps its structural sharing. */
function set<T extends object, K extends keyof T>(row: T, key: K, value: T[K]): void {
  if (row[key] !== value) row[key] = value;
}
