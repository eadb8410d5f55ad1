/**
 * How an invocation source plugs into the engine. Each source (sync callers, the async queue, SQS, streams,
 * SNS, S3, EventBridge) is a module: it owns its resources' state, receives records put to them, handles
 * its own timers and the completion of the invocations it started, and starts new work in the dispatch
 * phase. The simulation calls modules in a fixed order, so a run stays deterministic.
 */
import type { Draft } from 'immer';
import type { Model, ResourceKind } from '../scenario/model.js';
import type { HttpRequestSpec } from '../scenario/types.js';
import type { LambdaErrorPayload } from './aws/invoke.js';
import type { Ids } from './ids.js';
import type { PackedEvent } from './lambda/handler-port.js';
import type { ItemIdInput, RecordOrigin, RecordState, RecordStore } from './records.js';
import type { Rng } from './rng.js';
import type { StreamedResponse } from '../lang/response-stream.js';
import type { AliasState, Delivery, InFlightInvocation, SimState } from './state.js';
import type { Outcome, TraceEvent, Trigger } from './trace.js';

/**
 * Extra AWS facts a producer knows about a record (e.g. SNS message attributes, an S3 event name, a dedup
 * id). The ones several modules read are named with their types; any other is read as unknown.
 */
export interface RecordAttributes {
  [name: string]: unknown;
  /** When the producer sent it, in simulated ms (default: now). */
  atMs?: number;
  /** How an invoke traffic entry calls the function ('cli', 's3', 'sns', 'firehose', ...). */
  via?: string;
  /** The version or alias an invoke traffic entry names. */
  qualifier?: string;
  /** An invoke traffic entry's HTTP request (function URLs, API Gateway, ALB). */
  http?: HttpRequestSpec;
  /** The traffic entry gave its own body (so request size limits apply to it). */
  customBody?: boolean;
  /** Buses an EventBridge event has crossed (one hop at most). */
  hops?: number;
}

/** A record arriving at a resource: from traffic, a destination, a fan-out or a schedule. */
export interface IncomingRecord extends RecordOrigin {
  attributes?: RecordAttributes;
}

export interface InvokeRequest {
  fn: string;
  /**
   * How the function was named: a version ('2'), an alias ('live') or '$LATEST'; undefined is the unqualified
   * name, which runs $LATEST (docs/versions.md).
   */
  qualifier?: string;
  trigger: Trigger;
  /** The module whose onComplete receives the result. */
  owner: string;
  /** The module's own reference for this invocation (kept outside the snapshot). */
  ref: unknown;
  /** The AWS-shaped event, built lazily: benchmarks without handlers never build it. */
  event: () => unknown;
  /**
   * The same event packed as plain columns, for a source that can (a Kinesis batch: stream/event.ts): a
   * port builds the event from it where the handler runs (eventOf), so that a batch's objects are neither
   * built on the engine's thread nor copied to a worker. Undefined (or returning undefined): the port gets
   * `event()`.
   */
  packedEvent?: () => PackedEvent | undefined;
  /** Store ids of the records in the event, for fault matching (poison pills) and partial failures. */
  records: number[];
  attempt: number;
  source?: string;
  shard?: string;
  batchId?: string;
  via?: string;
  label?: string;
  /** A tumbling window's final invoke (isFinalInvokeForWindow), marked in invoke.start. */
  finalWindow?: boolean;
  /** Trace ids of the records (messageIds or sequence numbers), for invoke.start. */
  recordIds?: string[];
  /**
   * The caller reads the response as a stream (a function URL with invokeMode RESPONSE_STREAM): a streaming
   * handler's answer may reach 200 MB, and past 6 MB it leaves at 2 MB/s (docs/callers.md, "Function URLs").
   */
  streaming?: boolean;
  /**
   * A Lambda@Edge trigger: the Region of the replica that runs it (nearest the viewer). Its code logs to
   * `/aws/lambda/us-east-1.<fn>` in that Region (docs/callers.md, "CloudFront").
   */
  edgeRegion?: string;
  /**
   * Reuse this AWS request id instead of drawing a new one: the retries of an asynchronous event keep
   * the request id of its first attempt (docs/aws-rules.md §2).
   */
  requestId?: string;
}

export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'FunctionInvocationRateLimitExceeded'
  | 'ReservedFunctionInvocationRateLimitExceeded';

/**
 * Why Lambda refused an invocation before running it: a throttle (429 TooManyRequestsException, by the
 * limit hit), or a service failure (500 ServiceException). Callers retry both the same way where AWS says
 * "throttles and system errors"; their answers differ (docs/aws-rules.md, "Service errors").
 */
export type RejectReason = ThrottleReason | 'ServiceException';

export type InvokeAttempt =
  | { ok: true; requestId: string; cold: boolean; version: string }
  | { ok: false; reason: RejectReason; injected?: boolean };

/** Lambda's error JSON (docs/aws-rules.md §1), as aws/invoke.ts builds it. */
export type ErrorPayload = LambdaErrorPayload;

export interface InvocationResult {
  requestId: string;
  fn: string;
  outcome: Outcome;
  /** What the handler returned (success and partial). */
  response?: unknown;
  /** What a streaming handler (awslambda.streamifyResponse) wrote instead of returning a value. */
  stream?: StreamedResponse;
  /** The error payload Lambda reports for error and timeout. */
  error?: ErrorPayload;
  /** Item identifiers the handler reported in batchItemFailures (partial). */
  failedItemIds?: string[];
  durationMs: number;
  cold: boolean;
  attempt: number;
  startedAtMs: number;
  /** The version that ran ('$LATEST', '1', ...): X-Amz-Executed-Version, responseContext.executedVersion. */
  version: string;
  /** The alias the invocation came through, if any. */
  alias?: string;
  /** The timeout of the version that ran. */
  timeoutMs: number;
}

/** A scheduled call to a module's onTimer: `kind` names what is due, `data` what it is due for. */
export interface Timer<K extends string = string, D = unknown> {
  at: number;
  seq: number;
  owner: string;
  kind: K;
  data: D;
  cancelled?: boolean;
}

/** A module's timer kinds and the data each carries, e.g. `{ visibility: Batch; scale: MappingRuntime }`. */
export type TimerMap = object;

/** The timers a module with `T` receives: a union discriminated by `kind`, so a switch narrows `data`. */
export type TimerOf<T extends TimerMap> = { [K in keyof T & string]: Timer<K, T[K]> }[keyof T & string];

/**
 * Schedules a timer of a module's own kinds: `at(ctx, when, 'visibility', batch)` type-checks the data
 * against the module's TimerMap (the engine hands the timer back to the module named `owner`).
 */
export function timersOf<T extends TimerMap>(owner: string) {
  return <K extends keyof T & string>(ctx: EngineContext, at: number, kind: K, data: T[K]): Timer<K, T[K]> => ctx.schedule(at, owner, kind, data);
}

/** What a module may do while the engine runs. Everything goes through here, so everything is traced and counted. */
export interface EngineContext {
  readonly model: Model;
  /** The current simulated time (ms): the millisecond being processed (docs/time.md). */
  readonly now: number;
  readonly state: Draft<SimState>;
  readonly rng: Rng;
  readonly ids: Ids;
  readonly records: RecordStore;
  /** Simulated ms to absolute epoch ms, for AWS timestamps. */
  epochMs(simMs: number): number;
  emit(event: TraceEvent): void;
  /**
   * Whether anyone reads the trace events that modules emit once per record (record.put, checkpoint):
   * only a trace listener does (the cost meter and module observers read invocations, bisects and
   * deletes). When false, a hot path calls `skip()` instead of building such an event.
   */
  readonly tracing: boolean;
  /** Counts a trace event that was not built because no one reads it (see `tracing`). */
  skip(): void;
  /** Whether anyone reads the per-tick views (SimulationOptions.views): false in a headless run. */
  readonly views: boolean;
  schedule<K extends string, D>(at: number, owner: string, kind: K, data: D): Timer<K, D>;
  cancel(timer: Timer): void;
  /** Starts an invocation now, or says why it was throttled (and traces the throttle). */
  invoke(request: InvokeRequest): InvokeAttempt;
  /** Puts a record into a declared resource (queue, stream, table, topic, bus, bucket or a function's async queue). */
  put(resource: string, record: IncomingRecord): void;
  /**
   * Registers a new record in a source's ledger (state 'waiting') and returns its store id. An `itemId` of
   * null is `${source}#${record.i}`, formatted when read (a synchronous request's id).
   */
  admit(source: string, record: IncomingRecord, itemId: ItemIdInput, at?: number): number;
  /** Moves a record to a new state and keeps the ledger's counts; `failedTo` says where a failure went. */
  settle(id: number, to: RecordState, failedTo?: string): void;
  /** Delivers a destination payload (delivery.ts: traced, counted, and put into the target resource). */
  deliver(delivery: Omit<Delivery, 'seq' | 't'> & { envelope: IncomingRecord }): void;
  /** Marks a module as having work for its dispatch phase (waking it after idle stretches). */
  wake(owner: string): void;
  /** Remembers the largest age seen on a source (iterator age or oldest message age). */
  observeAge(source: string, ageMs: number): void;
  /** Aliases' routing now, by 'fn:alias' (read only: change it with routeAlias). */
  readonly aliases: Readonly<Record<string, AliasState>>;
  /**
   * Points an alias at `version` with `additionalVersionWeights` (UpdateAlias), moving its provisioned
   * environments with it; `deployment` marks the deployment shifting it (undefined when none is).
   */
  routeAlias(key: string, version: string, additionalVersionWeights: Record<string, number>, deployment?: string): void;
}

/**
 * A module, typed by its own timers (`T`: kind to data), the reference its invocations carry back to
 * onComplete (`Ref`), its view state (`View`, `state.modules[name]`) and the working state its checkpoints
 * carry (`Saved`, what `save` returns and `restore` receives back). The engine keeps modules as
 * `EngineModule` (the defaults); a module's timers and refs only ever come back to the module that made
 * them (timers by `owner`, invocations by `InvokeRequest.owner`), so the narrower types hold.
 */
export interface EngineModule<T extends TimerMap = Record<string, unknown>, Ref = unknown, View = unknown, Saved = unknown> {
  readonly name: string;
  /** The resource kinds whose puts this module receives. */
  readonly accepts: Array<ResourceKind | 'async'>;
  /**
   * Creates the module's state and its initial timers; returns the module's view state, which the engine
   * keeps at `state.modules[name]` (modules without a typed view may still set it there themselves).
   */
  init?(ctx: EngineContext): View | void;
  put?(ctx: EngineContext, resource: string, record: IncomingRecord): void;
  onTimer?(ctx: EngineContext, timer: TimerOf<T>): void;
  onComplete?(ctx: EngineContext, ref: Ref, result: InvocationResult): void;
  /**
   * Phase 4: start new work. Called in each millisecond in which the module is awake (woken by a put, a
   * timer or any completion); returns true (or wakes itself) to be called again the next millisecond.
   */
  dispatch?(ctx: EngineContext): boolean;
  /**
   * At the end of each tick: refresh the module's view state (sampling only; never changes outcomes).
   * `view` is this module's own `state.modules[name]`, the one part of the snapshot it writes.
   */
  sample?(ctx: EngineContext, view: Draft<View>): void;
  /** Sees every trace event as it is emitted (CloudWatch-style metrics); must not emit events itself. */
  observe?(event: TraceEvent): void;
  /**
   * Whether `observe` needs the events of a run of `model` (default: it does). One that needs none lets a
   * run without a trace listener skip building the events that nobody else reads (invoke.start, invoke.end).
   */
  observes?(model: Model): boolean;
  /** The AWS-shaped JSON a selected item inspects to (the dashboard's enter key). */
  inspect?(ctx: { model: Model; records: RecordStore; state: SimState }, key: string): unknown;
  /**
   * Checkpoints (docs/checkpoints.md): every piece of working state the module keeps outside the
   * snapshot, returned live (undefined when it keeps none). The engine copies it in one graph with its
   * own state, so that the timers and invocations that point into it keep pointing into the copy; the
   * module must not copy it itself. Required: a module that forgot a piece of state would make a re-run
   * from a checkpoint diverge (test/engine/checkpoint.test.ts restores every bundled scenario).
   */
  save(): Saved;
  /** Adopts a copy of what `save` returned (the engine's copy: the module may keep and change it). */
  restore(saved: Saved): void;
}

export type { InFlightInvocation };

/**
 * Any module, as the engine keeps them (modules.ts): each with its own timer, ref and view types, which
 * only the module itself reads. (`any` here is the existential "some T": the engine never looks inside.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEngineModule = EngineModule<any, any, any, any>;

/**
 * A module's own view in the snapshot being produced (`state.modules[name]`), for the phases other than
 * `sample` (which receives it): the one part of the snapshot the module writes, typed by its View.
 */
export function viewOf<View>(owner: string) {
  return (ctx: EngineContext): Draft<View> => ctx.state.modules[owner] as Draft<View>;
}
