/**
 * The invocation lifecycle (docs/architecture.md): an invocation is started (faults decided, the version
 * routed, the request-rate quota and concurrency checked, an environment acquired), refused as a throttle,
 * or runs until its completion is due, when its environment is freed, its outcome counted and traced, and
 * its result handed to the module that started it. This module keeps the running invocations (a linked
 * list in start order), their completions, the functions' and the account's working counters, the idle
 * environments, the aliases' routing and the faults injected so far. The time loop (simulation.ts) calls
 * `start` from EngineContext.invoke, `completeDue` in the completion phase and `sample`/`flush` at the end
 * of a tick.
 */
import type { Draft } from 'immer';
import type { FaultModel, Model } from '../../scenario/model.js';
import type { StartedUsage, UsageMeter } from '../../cost/usage.js';
import { STREAMED_RESPONSE_LIMIT_BYTES } from '../../lang/response-stream.js';
import { responseTooLargeError, serializeResponse, SYNC_RESPONSE_LIMIT_BYTES, timeoutErrorPayload } from '../aws/index.js';
import { decideFaults } from '../faults.js';
import { TimeHeap } from '../heap.js';
import { DurationHistogram } from '../histogram.js';
import type { Ids } from '../ids.js';
import type { EngineContext, InvocationResult, InvokeAttempt, InvokeRequest } from '../module.js';
import type { RecordStore } from '../records.js';
import type { Rng } from '../rng.js';
import { type AliasState, HISTORY_SAMPLES, IN_FLIGHT_VIEW, type FunctionState, type InFlightInvocation, type SimState } from '../state.js';
import type { TraceEvent } from '../trace.js';
import { acquire, FunctionEnvironments, type Held, initialFunctionState, reclaimIdle, release, sampleDurationMs, unreservedPool, versionState } from './concurrency.js';
import { copyAliases, copyFunction, sameFunctionState } from './function-state.js';
import type { HandlerRuns, Running as RunningCall } from './handler-runs.js';
import { initPlan } from './init.js';
import { RequestRate, REQUESTS_PER_ENVIRONMENT_PER_SECOND } from './rate.js';
import { aliasAllocation, hasVersions, initialAliases, qualifierMatches, type Routed, route, versionConfig } from './versions.js';

/** A running invocation: what the handler seam reads (RunningCall), narrowed, plus the engine's own fields. */
interface Running extends RunningCall {
  request: InvokeRequest;
  /** Which version runs it and how it was named. */
  routed: Routed;
  /** The environment it holds. */
  held: Held;
  timeoutMs: number;
  /** Decided at start (faults, default handler) or when the real handler settles. */
  result?: Omit<InvocationResult, 'requestId' | 'fn' | 'durationMs' | 'cold' | 'attempt' | 'startedAtMs' | 'version' | 'alias' | 'timeoutMs'>;
  /** What the in-flight pane shows of it. */
  view?: InFlightInvocation;
  /** What the cost meter bills when it ends. */
  usage?: StartedUsage;
  /** Set when it completed: a completion of it still in the heap is then ignored. */
  ended?: boolean;
  /** Its request id is the one its caller gave (kept in runningByGivenId). */
  givenId?: boolean;
  /** Its neighbours in start order among the running (Invocations.runningFirst). */
  prev?: Running;
  next?: Running;
  /** Its function's working counters and environments (functionsWork, idleEnvironments): no lookup at its end. */
  fnState: FunctionState;
  envs: FunctionEnvironments;
}

/**
 * The result of an invocation of a function without a handler (the default handler answers null): one
 * shared, frozen object. A result is replaced, never changed, once set.
 */
const DEFAULT_SUCCESS: NonNullable<Running['result']> = Object.freeze({ outcome: 'success' as const, response: null });

/** An invocation's end, due at `at`; ignored if the invocation already ended or its end moved (version). */
interface Completion {
  at: number;
  seq: number;
  running: Running;
  version: number;
}

/** What the invocations read of the run they belong to, at each use (a restore replaces the meter). */
export interface InvocationHost {
  /** The cost meter now. */
  readonly usage: UsageMeter;
  /** Emits a trace event the cost meter has already been told about (an invocation's start or end). */
  emitUnmetered(event: TraceEvent): void;
  /**
   * A module observes trace events in this run (EngineModule.observe): invoke.start and invoke.end are
   * built even without a trace listener.
   */
  readonly observed: boolean;
  /** An invocation ended: its result goes to the module that started it (InvokeRequest.owner). */
  ended(ctx: EngineContext, request: InvokeRequest, result: InvocationResult): void;
}

/**
 * The Invocations fields a checkpoint copies: everything that changes while the run goes on. The others
 * (INVOCATION_CONFIGURATION_FIELDS) are fixed at construction. test/engine/checkpoint.test.ts fails when a
 * field is in neither list.
 */
export const INVOCATION_CHECKPOINT_FIELDS = [
  'completions',
  'seq',
  'runningFirst',
  'runningLast',
  'runningByGivenId',
  'faults',
  'faultHits',
  'countedFaults',
  'histograms',
  'functionsWork',
  'sampledFunctions',
  'idleEnvironments',
  'aliasWork',
  'aliasesDirty',
  'accountWork',
  'inFlightDirty',
  'syncRates',
  'accountSyncRate',
] as const;
export const INVOCATION_CONFIGURATION_FIELDS = ['model', 'rng', 'ids', 'records', 'handlerRuns', 'host'] as const;

/** The invocations of one run (see the module comment). */
export class Invocations {
  /** Completions due, in time order (sequence-number tie-breaks). */
  private completions = new TimeHeap<Completion>();
  private seq = 0;
  /**
   * The running invocations in start order, a doubly linked list through Running.prev/next: one insert and
   * one removal per invocation without a string-keyed map (the sync bench's hottest lines were a Map's).
   */
  private runningFirst: Running | undefined;
  private runningLast: Running | undefined;
  /**
   * Running invocations whose caller gave the request id (an async event's attempts), by that id: a new
   * attempt of an event still running gets a fresh id. Generated ids are fresh UUIDs from the seeded rng.
   */
  private runningByGivenId = new Map<string, Running>();
  private faults: FaultModel[];
  /** Invocations hit so far by each fault with a `count` limit, by fault index. */
  private faultHits = new Map<number, number>();
  private countedFaults = false;
  private histograms = new Map<string, DurationHistogram>();
  /** Working copies of the functions' and the account's counters, copied into the snapshot each tick. */
  private functionsWork = new Map<string, FunctionState>();
  /** The copy of each function last put in the snapshot (sample skips a function equal to it). */
  private sampledFunctions = new Map<string, FunctionState>();
  private idleEnvironments = new Map<string, FunctionEnvironments>();
  /** Aliases' routing now (working copy; the snapshot gets a copy when it changes). */
  private aliasWork: Record<string, AliasState>;
  private aliasesDirty = false;
  private accountWork!: SimState['account'];
  /** Set when an invocation starts or ends, so the bounded in-flight view is rebuilt at the end of the tick. */
  private inFlightDirty = false;
  /** Synchronous requests admitted in the last second, per function and for the account (lambda/rate.ts). */
  private syncRates = new Map<string, RequestRate>();
  private accountSyncRate = new RequestRate();

  constructor(
    private readonly model: Model,
    private readonly rng: Rng,
    private readonly ids: Ids,
    private readonly records: RecordStore,
    private readonly handlerRuns: HandlerRuns,
    private readonly host: InvocationHost,
  ) {
    this.faults = [...model.faults];
    this.aliasWork = initialAliases(model);
  }

  /**
   * The functions' first state: counters at 0 and the provisioned environments of versions and aliases
   * ready from the start (docs/versions.md); the snapshot's first copies of functions, account and aliases.
   */
  initial(): Pick<SimState, 'functions' | 'account' | 'aliases'> {
    const m = this.model;
    for (const fn of Object.values(m.functions)) {
      const fnState = initialFunctionState(fn);
      const envs = new FunctionEnvironments(fn.name);
      for (const v of Object.values(fn.versions)) {
        if (v.provisionedConcurrentExecutions > 0) envs.allocate(fnState, v.version, { [v.version]: v.provisionedConcurrentExecutions });
      }
      for (const a of Object.values(this.aliasWork)) {
        if (a.fn === fn.name && a.provisioned > 0) envs.allocate(fnState, a.alias, aliasAllocation(a));
      }
      this.functionsWork.set(fn.name, fnState);
      this.idleEnvironments.set(fn.name, envs);
    }
    this.accountWork = { limit: m.accountConcurrency, concurrency: 0, unreservedPool: unreservedPool(m), unreservedConcurrency: 0, peak: 0 };
    const functions: SimState['functions'] = {};
    for (const fn of Object.values(m.functions)) {
      const copy = copyFunction(this.functionsWork.get(fn.name)!);
      this.sampledFunctions.set(fn.name, copy);
      functions[fn.name] = copy;
    }
    return { functions, account: { ...this.accountWork }, aliases: copyAliases(this.aliasWork) };
  }

  /** Aliases' routing now, by 'fn:alias' (EngineContext.aliases). */
  get aliases(): Record<string, AliasState> {
    return this.aliasWork;
  }

  /** EngineContext.routeAlias: points an alias at a version, moving its provisioned environments with it. */
  routeAlias(key: string, version: string, weights: Record<string, number>, deployment?: string): void {
    const a = this.aliasWork[key];
    if (!a || !version) throw new Error(`engine: no alias ${key}`);
    a.version = version;
    a.additionalVersionWeights = { ...weights };
    if (deployment === undefined) delete a.deployment;
    else a.deployment = deployment;
    if (a.provisioned > 0) this.idleEnvironments.get(a.fn)!.allocate(this.functionsWork.get(a.fn)!, a.alias, aliasAllocation(a));
    this.aliasesDirty = true;
  }

  /** Adds a fault while running (Simulation.injectFault): it applies to invocations that start from now. */
  inject(fault: Omit<FaultModel, 'index'>): FaultModel {
    const full: FaultModel = { ...fault, index: this.faults.length };
    this.faults.push(full);
    if (full.count !== undefined) this.countedFaults = true;
    return full;
  }

  /** When the next completion is due (undefined when nothing runs). */
  nextEndMs(): number | undefined {
    return this.completions.peek()?.at;
  }

  /** Phase 3: every invocation ending at `at`; true if any ended (its environment was freed). */
  completeDue(ctx: EngineContext, at: number): boolean {
    let freed = false;
    for (let done = this.completions.popDue(at); done !== undefined; done = this.completions.popDue(at)) {
      if (this.complete(ctx, done)) freed = true;
    }
    return freed;
  }

  /** HandlerRunHooks.reschedule: the invocation's end moved; its earlier completion is ignored. */
  reschedule(running: RunningCall): void {
    this.completions.push({ at: running.endsAtMs, seq: this.seq++, running: running as Running, version: running.version });
  }

  /** EngineContext.invoke: starts an invocation now, or says why it was refused (and traces a throttle). */
  start(ctx: EngineContext, now: number, request: InvokeRequest): InvokeAttempt {
    const fn = this.model.functions[request.fn];
    const fnState = this.functionsWork.get(request.fn)!;
    // docs/versions.md: the version is drawn first (a weighted alias), so faults on a version see it.
    const routed = route(fn, request.qualifier, this.aliasWork, this.rng);
    const config = versionConfig(fn, routed.version);
    // A fault with a `count` stops once it has hit that many invocations; only live faults have one.
    let active = this.countedFaults
      ? this.faults.filter((f) => f.count === undefined || (this.faultHits.get(f.index) ?? 0) < f.count)
      : this.faults;
    if (hasVersions(fn)) {
      active = active.filter((f) => f.function !== request.fn || qualifierMatches(f.qualifier, routed));
    }
    const faults = decideFaults(active, request.fn, now, request.records, this.records, this.rng);
    if (faults.serviceError) {
      // Lambda fails the request before the function runs: no invocation, not a throttle (docs/aws-rules.md,
      // "Service errors"); the caller answers it as AWS documents for a 500 from Lambda.
      this.countHits([faults.serviceError]);
      ctx.emit({ t: now, type: 'fault.injected', fn: request.fn, kind: 'serviceError', detail: `fault ${faults.serviceError.index}: Lambda answered 500 ServiceException` });
      return { ok: false, reason: 'ServiceException', injected: true };
    }
    if (faults.throttle) {
      this.countHits([faults.throttle]);
      // The Reason AWS gives depends on which limit a real throttle would hit (docs/aws-rules.md §1).
      const reason = fnState.reserved !== undefined ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded';
      return this.throttled(ctx, now, request, fnState, routed, { ok: false, reason, injected: true });
    }
    let rate: RequestRate | undefined;
    if (request.trigger === 'sync') {
      // The request-rate quota (lambda/rate.ts): 10 requests per second per environment the function may
      // use (its reserved concurrency, else the unreserved pool), and 10 x the account limit overall.
      rate = this.syncRates.get(request.fn);
      if (!rate) this.syncRates.set(request.fn, (rate = new RequestRate()));
      const cap = REQUESTS_PER_ENVIRONMENT_PER_SECOND * (fnState.reserved ?? this.accountWork.unreservedPool);
      // Reserved concurrency 0 throttles everything on concurrency (acquire), not on rate.
      if (cap > 0 && rate.countAt(now) >= cap) {
        return this.throttled(ctx, now, request, fnState, routed, { ok: false, reason: fnState.reserved !== undefined ? 'ReservedFunctionInvocationRateLimitExceeded' : 'FunctionInvocationRateLimitExceeded' });
      }
      if (this.accountSyncRate.countAt(now) >= REQUESTS_PER_ENVIRONMENT_PER_SECOND * this.accountWork.limit) {
        return this.throttled(ctx, now, request, fnState, routed, { ok: false, reason: 'FunctionInvocationRateLimitExceeded' });
      }
    }
    const envs = this.idleEnvironments.get(request.fn)!;
    reclaimIdle(fnState, envs, fn.environmentIdleTimeoutMs, now, this.handlerRuns.reclaimed);
    const acquired = acquire(this.accountWork, fnState, envs, now, routed.version, routed.pool);
    if (!acquired.ok) return this.throttled(ctx, now, request, fnState, routed, acquired);
    if (rate) {
      rate.admit(now);
      this.accountSyncRate.admit(now);
    }
    this.countHits(faults.applied);

    const given = request.requestId !== undefined && !this.runningByGivenId.has(request.requestId);
    const requestId = given ? request.requestId! : this.ids.requestId();
    const cold = acquired.cold;
    // An on-demand init over 10 s fails and is done again inside the invocation (lambda/init.ts).
    const init = cold ? initPlan(config.coldStartMs) : undefined;
    const runStartsAtMs = now + (init ? init.beforeInvokeMs : 0);
    let durationMs = sampleDurationMs(config, this.rng) + faults.latencyMs + (init ? init.insideInvokeMs : 0);
    // Every field is declared here, the optional ones undefined: fields added later would give each
    // running invocation a second allocation (their property array) and the hot paths several shapes.
    const running: Running = {
      request,
      requestId,
      fn: request.fn,
      cold,
      startedAtMs: now,
      runStartsAtMs,
      durationMs,
      endsAtMs: 0,
      version: 0,
      routed,
      held: acquired.held,
      timeoutMs: config.timeoutMs,
      result: undefined,
      code: undefined,
      view: undefined,
      usage: undefined,
      ended: false,
      givenId: false,
      prev: undefined,
      next: undefined,
      fnState,
      envs,
    };
    if (faults.timeout || durationMs >= config.timeoutMs) {
      running.result = { outcome: 'timeout', error: timeoutErrorPayload(requestId, config.timeoutMs) };
      durationMs = config.timeoutMs;
    } else if (faults.error) {
      running.result = { outcome: 'error', error: { errorType: 'Error', errorMessage: `Injected fault: error (fault ${faults.error.index})`, trace: [] } };
    } else if (faults.partial) {
      const failedItemIds = faults.partial.map((id) => this.records.itemId(id));
      running.result = { outcome: 'partial', response: { batchItemFailures: failedItemIds.map((itemIdentifier) => ({ itemIdentifier })) }, failedItemIds };
    } else if (!config.handler) {
      running.result = DEFAULT_SUCCESS;
    }
    running.durationMs = durationMs;
    running.endsAtMs = runStartsAtMs + durationMs;
    if (!running.result) this.handlerRuns.start(running);
    if (given) {
      running.givenId = true;
      this.runningByGivenId.set(requestId, running);
    }
    running.prev = this.runningLast;
    if (this.runningLast) this.runningLast.next = running;
    else this.runningFirst = running;
    this.runningLast = running;
    this.completions.push({ at: running.endsAtMs, seq: this.seq++, running, version: 0 });

    fnState.invocations++;
    versionState(fnState, routed.version).invocations++;
    this.inFlightDirty = true;
    if (!ctx.tracing && !this.host.observed) {
      // No one reads invoke.start (no trace listener, no observer): the meter gets its fields, and the
      // event is counted, not built (the summary's count stays the same).
      running.usage = this.host.usage.startedWith(
        request.fn,
        request.trigger,
        request.source ? request.source : undefined,
        request.attempt,
        request.batchId ? request.batchId : undefined,
        cold,
        routed.version,
        !!acquired.held.pool,
      );
      ctx.skip();
    } else this.emitStarted(ctx, now, request, running, routed, acquired.held, init?.retried === true);
    if (running.code) this.handlerRuns.emitStart(ctx, running);
    // Guarded: iterating even the shared empty list allocated an iterator per invocation.
    if (faults.applied.length > 0) for (const fault of faults.applied) {
      ctx.emit({ t: now, type: 'fault.injected', fn: request.fn, kind: fault.kind, detail: `fault ${fault.index} hit ${requestId}` });
    }
    return { ok: true, requestId, cold, version: routed.version };
  }

  /** invoke.start, traced, with the cost meter's record of the invocation kept on it. */
  private emitStarted(ctx: EngineContext, now: number, request: InvokeRequest, running: Running, routed: Routed, held: Held, initRetried: boolean): void {
    const { requestId, cold } = running;
    // Optional fields are assigned, not spread: object spread on this per-invocation path cost more
    // than the rest of the invocation together (bench/cases/sync.js).
    const started: Extract<TraceEvent, { type: 'invoke.start' }> = {
      t: now,
      type: 'invoke.start',
      fn: request.fn,
      requestId,
      trigger: request.trigger,
      attempt: request.attempt,
      cold,
      version: routed.version,
    };
    if (request.source) started.source = request.source;
    if (request.batchId) started.batchId = request.batchId;
    if (request.recordIds) started.records = request.recordIds;
    if (request.shard) started.shard = request.shard;
    if (request.via) started.via = request.via;
    started.version = routed.version;
    if (routed.alias) started.alias = routed.alias;
    if (held.pool) started.provisioned = true;
    if (initRetried) started.initRetried = true;
    if (request.finalWindow) started.finalWindow = true;
    // The meter's record of the invocation travels with it (no lookup by request id at its end).
    running.usage = this.host.usage.started(started);
    this.host.emitUnmetered(started);
  }

  /**
   * A counted fault is used up only by invocations it actually hit: one that then throttles on concurrency
   * never ran, so it does not count.
   */
  private countHits(applied: readonly FaultModel[]): void {
    if (applied.length === 0) return;
    for (const fault of applied) {
      if (fault.count !== undefined) this.faultHits.set(fault.index, (this.faultHits.get(fault.index) ?? 0) + 1);
    }
  }

  /** An invocation refused: counted and traced as a throttle. */
  private throttled(ctx: EngineContext, now: number, request: InvokeRequest, fnState: FunctionState, routed: Routed, reason: InvokeAttempt & { ok: false }): InvokeAttempt {
    fnState.throttles++;
    versionState(fnState, routed.version).throttles++;
    const event: Extract<TraceEvent, { type: 'throttle' }> = { t: now, type: 'throttle', fn: request.fn, trigger: request.trigger, reason: reason.reason };
    if (request.source) event.source = request.source;
    if (request.qualifier !== undefined) event.version = routed.version;
    if (routed.alias) event.alias = routed.alias;
    ctx.emit(event);
    return reason;
  }

  /** Environments whose module state the port lost: each is discarded when next taken. */
  forgetEnvironments(envIds: string[]): void {
    for (const id of envIds) this.idleEnvironments.get(id.slice(0, id.lastIndexOf('#')))?.forget([id]);
  }

  /**
   * Phase 3: an invocation ends; its environment is freed and its owner decides what happens next. False
   * for a completion that no longer applies (the invocation ended already, or its end moved).
   */
  private complete(ctx: EngineContext, done: Completion): boolean {
    const running = done.running;
    if (running.ended || running.version !== done.version) return false;
    running.ended = true;
    if (running.givenId) this.runningByGivenId.delete(running.requestId);
    if (running.prev) running.prev.next = running.next;
    else this.runningFirst = running.next;
    if (running.next) running.next.prev = running.prev;
    else this.runningLast = running.prev;
    running.prev = running.next = undefined;
    const fnState = running.fnState;
    release(this.accountWork, fnState, running.envs, ctx.now, running.held, running.code?.discard);
    this.inFlightDirty = true;
    let r: NonNullable<Running['result']> = running.result ?? { outcome: 'error' as const, error: { errorType: 'Runtime.Unknown', errorMessage: 'handler result missing' } };
    if (r.outcome === 'success' && r.stream) {
      // A streamed answer: up to 200 MB when the caller reads it as a stream, else the 6 MB of any
      // synchronous response (docs/callers.md, "Function URLs").
      const limit = running.request.streaming ? STREAMED_RESPONSE_LIMIT_BYTES : SYNC_RESPONSE_LIMIT_BYTES;
      if (r.stream.bytes > limit) r = { outcome: 'error', error: responseTooLargeError(limit) };
    } else if (r.outcome === 'success' && running.request.trigger === 'sync' && r.response !== undefined && r.response !== null) {
      // A synchronous response over 6 MB (or one JSON cannot serialise) is a function error, as the caller
      // sees it (Function.ResponseSizeTooLarge, Unhandled): counted as an error, not a success.
      const serialized = serializeResponse(r.response);
      if (!serialized.ok) r = { outcome: 'error', error: serialized.error };
    }
    if (r.outcome === 'success') fnState.successes++;
    else if (r.outcome === 'error') fnState.errors++;
    else if (r.outcome === 'timeout') fnState.timeouts++;
    else fnState.partials++;
    if (r.outcome === 'error' || r.outcome === 'timeout') versionState(fnState, running.routed.version).errors++;
    let histogram = this.histograms.get(running.fn);
    if (!histogram) this.histograms.set(running.fn, (histogram = new DurationHistogram()));
    histogram.record(running.durationMs);
    if (running.code) this.handlerRuns.emitEnd(ctx, running);
    if (running.usage) this.host.usage.ended(running.usage, running.durationMs);
    if (!ctx.tracing && !this.host.observed) ctx.skip(); // invoke.end, as invoke.start: counted, not built
    else {
      const ended: Extract<TraceEvent, { type: 'invoke.end' }> = {
        t: ctx.now,
        type: 'invoke.end',
        fn: running.fn,
        requestId: running.requestId,
        outcome: r.outcome,
        durationMs: running.durationMs,
      };
      if (r.outcome === 'partial') ended.failed = r.failedItemIds ?? [];
      if (r.error) {
        ended.errorType = r.error.errorType;
        ended.errorMessage = r.error.errorMessage;
      }
      this.host.emitUnmetered(ended);
    }
    // One literal with every field (stream undefined unless the handler streamed): a spread of the
    // optional stream is the slow path of an object literal, and one shape keeps the owners' reads fast.
    const result: InvocationResult = {
      outcome: r.outcome,
      response: r.response,
      stream: r.stream,
      error: r.error,
      failedItemIds: r.failedItemIds,
      requestId: running.requestId,
      fn: running.fn,
      durationMs: running.durationMs,
      cold: running.cold,
      attempt: running.request.attempt,
      startedAtMs: running.startedAtMs,
      version: running.routed.version,
      timeoutMs: running.timeoutMs,
    };
    if (running.routed.alias) result.alias = running.routed.alias;
    this.host.ended(ctx, running.request, result);
    return true;
  }

  /** The tick's end: idle environments reclaimed, each function's concurrency history sampled. */
  sample(draft: Draft<SimState>, now: number): void {
    for (const fnState of this.functionsWork.values()) {
      reclaimIdle(fnState, this.idleEnvironments.get(fnState.name)!, this.model.functions[fnState.name].environmentIdleTimeoutMs, now, this.handlerRuns.reclaimed);
      fnState.history.push(fnState.concurrency);
      if (fnState.history.length > HISTORY_SAMPLES) fnState.history.shift();
      // An unchanged function keeps its snapshot object: copying it anyway made immer freeze every
      // function's history every tick, which dominated runs with hundreds of idle functions.
      const last = this.sampledFunctions.get(fnState.name);
      if (last !== undefined && sameFunctionState(fnState, last)) continue;
      const copy = copyFunction(fnState);
      this.sampledFunctions.set(fnState.name, copy);
      draft.functions[fnState.name] = copy;
    }
    draft.account = { ...this.accountWork };
  }

  /** Copies the aliases (when routed) and the bounded in-flight view (when anything started or ended) into the snapshot. */
  flush(draft: Draft<SimState>): void {
    if (this.aliasesDirty) {
      this.aliasesDirty = false;
      draft.aliases = copyAliases(this.aliasWork);
    }
    if (!this.inFlightDirty) return;
    this.inFlightDirty = false;
    // The oldest invocations first (the list keeps start order), bounded: a view, not a store.
    const view: SimState['inFlight'] = {};
    let n = 0;
    for (let running = this.runningFirst; running !== undefined; running = running.next) {
      if (n++ >= IN_FLIGHT_VIEW) break;
      view[running.requestId] = running.view ??= inFlightView(running);
    }
    draft.inFlight = view;
  }

  /** Duration percentiles of a function's finished invocations. */
  durationPercentiles(fn: string): { p50: number; p99: number } | undefined {
    const h = this.histograms.get(fn);
    return h && h.count > 0 ? { p50: h.percentile(0.5), p99: h.percentile(0.99) } : undefined;
  }

  /** The working state a checkpoint copies (live: the engine copies it in one graph with the rest). */
  save(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of INVOCATION_CHECKPOINT_FIELDS) out[name] = this[name];
    return out;
  }

  /** Adopts a copy of what `save` returned. */
  restore(saved: Record<string, unknown>): void {
    Object.assign(this, saved);
  }
}

/**
 * What the in-flight pane shows of an invocation, built when a snapshot first lists it (most invocations
 * of a large run never are). Optional fields are assigned, not spread.
 */
function inFlightView(running: Running): InFlightInvocation {
  const { request, routed } = running;
  const view: InFlightInvocation = {
    requestId: running.requestId,
    fn: request.fn,
    owner: request.owner,
    trigger: request.trigger,
    attempt: request.attempt,
    cold: running.cold,
    startedAtMs: running.startedAtMs,
    runStartsAtMs: running.runStartsAtMs,
    timeoutMs: running.timeoutMs,
    records: request.records.length,
  };
  if (routed.version !== '$LATEST' || request.qualifier !== undefined) view.version = routed.version;
  if (routed.alias) view.alias = routed.alias;
  if (request.source) view.source = request.source;
  if (request.shard) view.shard = request.shard;
  if (request.batchId) view.batchId = request.batchId;
  if (request.via) view.via = request.via;
  if (request.label) view.label = request.label;
  return view;
}
