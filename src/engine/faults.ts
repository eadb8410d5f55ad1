/**
 * Failure injection (docs/architecture.md, FaultSpec). A fault applies to invocations of its function while
 * active, with probability `rate`, and with `match` only to invocations whose event holds a matching record
 * (a poison pill). Faults decide an outcome before the handler would run; the outcome then flows through
 * exactly the same paths as a real handler's.
 */
import type { FaultModel } from '../scenario/model.js';
import type { RecordStore } from './records.js';
import type { Rng } from './rng.js';

export interface FaultDecision {
  throttle?: FaultModel;
  /** Lambda fails the request (500 ServiceException) before the function runs. */
  serviceError?: FaultModel;
  error?: FaultModel;
  timeout?: FaultModel;
  latencyMs: number;
  /** Record store ids to report as batchItemFailures. */
  partial?: number[];
  applied: FaultModel[];
}

/** Does a stored record match a fault's `match`? Every given criterion must hold. */
export function recordMatches(fault: FaultModel, store: RecordStore, id: number): boolean {
  const m = fault.match;
  if (!m) return true;
  if (m.traffic !== undefined && store.trafficIndex(id) !== m.traffic) return false;
  if (m.index && !m.index.includes(store.position(id))) return false;
  if (m.partitionKey !== undefined && store.partitionKey(id) !== m.partitionKey) return false;
  if (m.messageGroup !== undefined && store.messageGroup(id) !== m.messageGroup) return false;
  if (m.body) {
    try {
      if (!m.body(store.body(id))) return false;
    } catch {
      // A throwing predicate is scenario code misbehaving; it must not crash the run, so it matches nothing.
      return false;
    }
  }
  return true;
}

/** The decision when no fault is declared: shared, read-only (most invocations of most runs). */
const NO_FAULTS: FaultDecision = Object.freeze({ latencyMs: 0, applied: Object.freeze([]) as unknown as FaultModel[] });

/**
 * Decides which active faults hit an invocation. Probability draws use the engine's rng in a fixed order
 * (faults in declaration order), so the same seed hits the same invocations.
 */
export function decideFaults(
  faults: readonly FaultModel[],
  fn: string,
  now: number,
  recordIds: readonly number[],
  store: RecordStore,
  rng: Rng,
): FaultDecision {
  if (faults.length === 0) return NO_FAULTS;
  const decision: FaultDecision = { latencyMs: 0, applied: [] };
  for (const fault of faults) {
    if (fault.function !== fn || now < fault.fromMs || now >= fault.untilMs) continue;
    if (fault.kind === 'partial') {
      const failed: number[] = [];
      for (const id of recordIds) {
        if (recordMatches(fault, store, id) && (fault.rate >= 1 || rng.next() < fault.rate)) failed.push(id);
      }
      if (failed.length > 0) {
        decision.partial = [...(decision.partial ?? []), ...failed];
        decision.applied.push(fault);
      }
      continue;
    }
    if (fault.match && !recordIds.some((id) => recordMatches(fault, store, id))) continue;
    if (fault.rate < 1 && rng.next() >= fault.rate) continue;
    decision.applied.push(fault);
    if (fault.kind === 'throttle') decision.throttle ??= fault;
    else if (fault.kind === 'serviceError') decision.serviceError ??= fault;
    else if (fault.kind === 'error') decision.error ??= fault;
    else if (fault.kind === 'timeout') decision.timeout ??= fault;
    else if (fault.kind === 'latency') decision.latencyMs += fault.addMs;
  }
  return decision;
}
