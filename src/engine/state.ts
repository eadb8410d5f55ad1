/**
 * The engine's entity state: small, immer-managed, one immutable snapshot per tick. Bulk data (record
 * payloads, queued record ids) lives in append-only stores outside it (docs/architecture.md, "Time and state").
 */
import type { Usage } from '../cost/usage.js';
import type { ResourceKind } from '../scenario/model.js';
import type { RecordState } from './records.js';
import type { DeliveryKind, Trigger } from './trace.js';

export interface EnvironmentCounts {
  /** Pre-initialised environments of provisioned concurrency: they never cold start. */
  provisioned: number;
  provisionedBusy: number;
  /** On-demand environments created so far (each paid one cold start) and still warm. */
  onDemand: number;
  onDemandBusy: number;
}

export interface FunctionState {
  name: string;
  /** Reserved concurrency: both the floor and the ceiling of this function (docs/aws-rules.md §4). */
  reserved?: number;
  /** Concurrent executions now. */
  concurrency: number;
  peakConcurrency: number;
  envs: EnvironmentCounts;
  /** New-environment budget: 1,000 per 10 s per function, refilled continuously (docs/aws-rules.md §4). */
  scalingTokens: number;
  scalingTokensAtMs: number;
  invocations: number;
  successes: number;
  errors: number;
  timeouts: number;
  partials: number;
  throttles: number;
  coldStarts: number;
  /** On-demand environments reclaimed after idling longer than the function's environmentIdleTimeout. */
  reclaimed: number;
  /** Concurrency sampled at the end of each tick, newest last; bounded by HISTORY_SAMPLES. */
  history: number[];
  /** Per executed version ('$LATEST', '1', ...): its own environments and counters (docs/versions.md). */
  versions: Record<string, VersionState>;
}

export interface VersionState {
  version: string;
  concurrency: number;
  invocations: number;
  /** Function errors and timeouts (CloudWatch's Errors counts both). */
  errors: number;
  coldStarts: number;
  throttles: number;
  envs: EnvironmentCounts;
}

/** An alias's routing now (deployments change it), as GetAlias would return it, plus its provisioned concurrency. */
export interface AliasState {
  fn: string;
  alias: string;
  version: string;
  additionalVersionWeights: Record<string, number>;
  provisioned: number;
  /** The deployment shifting it now, if any. */
  deployment?: string;
}

export interface InFlightInvocation {
  requestId: string;
  fn: string;
  /** The engine module that started it and receives its result (InvokeRequest.owner): 'sqs', 'stream', 'async', ... */
  owner: string;
  trigger: Trigger;
  attempt: number;
  cold: boolean;
  startedAtMs: number;
  /** When the handler starts running (after the cold start's init). */
  runStartsAtMs: number;
  timeoutMs: number;
  records: number;
  source?: string;
  shard?: string;
  batchId?: string;
  via?: string;
  /** A short label the views show, e.g. 'bisect 2/6' or 'retry 1/2'. */
  label?: string;
  /** The version that runs it; set only for functions with versions (the views show it then). */
  version?: string;
  /** The alias it was invoked through, if any. */
  alias?: string;
}

export interface SourceLedger {
  name: string;
  kind: ResourceKind | 'async' | 'sync';
  /** Records that entered this source. */
  put: number;
  counts: Record<RecordState, number>;
  /** Failed records by where they went: a destination name, 'dlq:<name>', 'caller' or 'dropped'. */
  failedTo: Record<string, number>;
  /** The largest iterator age (streams) or oldest message age (queues) seen, in ms. */
  peakAgeMs: number;
}

export interface Delivery {
  seq: number;
  t: number;
  to: string;
  kind: DeliveryKind;
  condition: string;
  payload: unknown;
  fn?: string;
  source?: string;
  /** DLQ deliveries: the message attributes AWS adds beside the original event. */
  messageAttributes?: Record<string, unknown>;
}

export interface DestinationState {
  name: string;
  kind: ResourceKind;
  total: number;
  byCondition: Record<string, number>;
  /** The most recent deliveries with their payloads, newest last; bounded by RECENT_DELIVERIES. */
  recent: Delivery[];
}

export interface SimState {
  t: number;
  tick: number;
  functions: Record<string, FunctionState>;
  /**
   * Running invocations, oldest first, at most IN_FLIGHT_VIEW of them (the account's `concurrency` says
   * how many there are in all).
   */
  inFlight: Record<string, InFlightInvocation>;
  sources: Record<string, SourceLedger>;
  destinations: Record<string, DestinationState>;
  account: { limit: number; concurrency: number; unreservedPool: number; unreservedConcurrency: number; peak: number };
  /** Aliases by 'fn:alias'. */
  aliases: Record<string, AliasState>;
  /** Per-module view state (e.g. 'sqs', 'stream', 'async'), each module's own shape. */
  modules: Record<string, unknown>;
  /** Faults injected live from the dashboard, as data. */
  liveFaults: number;
  /** Billable units so far, by cause (src/cost/usage.ts): the dashboard prices them for its cost line. */
  usage: Usage;
}

export const HISTORY_SAMPLES = 60;
export const RECENT_DELIVERIES = 20;
export const IN_FLIGHT_VIEW = 64;
