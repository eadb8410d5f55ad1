/**
 * Small derived facts about a model or a snapshot that several panes (or the fault menu) need and that
 * are not worth a place in the engine's state: which traffic reaches a function, a function's effective
 * concurrency limit, which module owns an in-flight invocation. Pure functions.
 */
import type { FunctionState, InFlightInvocation, SimState } from '../engine/state.js';
import type { StreamViewState } from '../engine/sources/stream.js';
import type { Model } from '../scenario/model.js';
import { shardLabel } from './format.js';

/**
 * The position in `model.traffic` of the first traffic entry that reaches `fn`: a direct invoke, a put
 * into a source an event source mapping of `fn` reads, a topic it subscribes to or a bucket that
 * notifies it. Undefined when no traffic reaches it.
 *
 * @example feedingTraffic(model, 'processor') // 0: the puts into stream 'orders'
 */
export function feedingTraffic(model: Model, fn: string): number | undefined {
  const sources = new Set<string>();
  for (const esm of model.eventSourceMappings) if (esm.function === fn) sources.add(esm.source);
  for (const topic of Object.values(model.topics)) if (topic.subscriptions.includes(fn)) sources.add(topic.name);
  for (const bucket of Object.values(model.buckets)) if (bucket.notifications.some((n) => n.function === fn)) sources.add(bucket.name);
  for (const bus of Object.values(model.buses)) if (bus.rules.some((r) => r.targets.includes(fn))) sources.add(bus.name);
  const entry = model.traffic.find((t) => t.target === fn || sources.has(t.target));
  return entry?.index;
}

/**
 * A function's concurrency limit as the Concurrency pane shows it: its reserved concurrency, else the
 * account's unreserved pool (what it can actually reach), with where the limit comes from.
 *
 * @example concurrencyLimit(state, state.functions.processor) // { limit: 5, kind: 'reserved' }
 */
export function concurrencyLimit(state: SimState, fn: FunctionState): { limit: number; kind: 'reserved' | 'account' } {
  if (fn.reserved !== undefined) return { limit: fn.reserved, kind: 'reserved' };
  return { limit: state.account.unreservedPool, kind: 'account' };
}

/**
 * The engine module that started an in-flight invocation, for `inspect`: the invocation carries its
 * owner (the module whose onComplete receives it), so nothing is guessed from its trigger or source.
 *
 * @example inspectModuleOf(state, inv) // 'stream'
 */
export function inspectModuleOf(_state: SimState, inv: InFlightInvocation): string {
  return inv.owner;
}

/**
 * In-flight invocations in a stable order for the pane: oldest first, then by request id.
 *
 * @example sortedInFlight(state)[0].fn
 */
export function sortedInFlight(state: SimState): InFlightInvocation[] {
  return Object.values(state.inFlight).sort((a, b) => a.startedAtMs - b.startedAtMs || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
}

/**
 * Destination rows for the Destinations pane: one per destination and condition, in name order, with
 * the newest delivery of that condition (whose payload `enter` shows).
 *
 * @example destinationRows(state)[0] // { to: 'orders-failed', kind: 'onFailure', condition: 'RetryAttemptsExhausted', count: 1, latest }
 */
export function destinationRows(state: SimState): Array<{
  to: string;
  resourceKind: string;
  kind: string;
  condition: string;
  count: number;
  latest?: SimState['destinations'][string]['recent'][number];
}> {
  const rows = [];
  for (const name of Object.keys(state.destinations).sort()) {
    const dest = state.destinations[name];
    for (const condition of Object.keys(dest.byCondition).sort()) {
      let latest;
      for (let i = dest.recent.length - 1; i >= 0; i--) {
        if (dest.recent[i].condition === condition) {
          latest = dest.recent[i];
          break;
        }
      }
      rows.push({ to: name, resourceKind: dest.kind, kind: latest?.kind ?? '', condition, count: dest.byCondition[condition], latest });
    }
  }
  return rows;
}

const shardIndexCache = new WeakMap<object, Map<string, number>>();

/**
 * A shard's label (`shard-0`...) from its id, looking its index up in the stream view of `state`, so that
 * DynamoDB Streams ids, which do not carry the index, read as short as Kinesis ones. The full id stays in
 * the inspect view.
 *
 * @example shardLabelIn(state, 'shardId-00000001704067200000-60e583cb') // 'shard-0'
 */
export function shardLabelIn(state: SimState, shardId: string): string {
  const view = state.modules.stream as StreamViewState | undefined;
  if (!view) return shardLabel(shardId);
  let indexes = shardIndexCache.get(view.sources);
  if (!indexes) {
    indexes = new Map();
    for (const source of Object.values(view.sources)) for (const shard of source.shards) indexes.set(shard.shardId, shard.index);
    shardIndexCache.set(view.sources, indexes);
  }
  return shardLabel(shardId, indexes.get(shardId));
}
