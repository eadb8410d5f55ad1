/**
 * The deterministic engine (docs/time.md). Simulated time is exact: every event (a traffic arrival, a
 * timer, the end of an invocation) happens at its own millisecond, in time order with sequence-number
 * tie-breaks, whatever the tick. Within one millisecond the phases run in a fixed order: traffic arrives,
 * timers fire, invocations that end complete, modules dispatch new work. The tick is only the step by
 * which the dashboard advances and samples: at the end of each tick the modules' views and the
 * concurrency history are sampled and an immutable snapshot (immer) is left. Nothing here reads the wall
 * clock or Math.random; the only asynchronous part is waiting for real handlers, which a HandlerPort runs
 * (lambda/handler-port.ts: the worker sandbox in the CLI and the dashboard) and whose results are applied
 * at the simulated end of their invocation.
 */
import { Deliveries } from './delivery.js';
import { broken } from './invariant.js';
import { RequestRate, REQUESTS_PER_ENVIRONMENT_PER_SECOND } from './lambda/rate.js';
import { initPlan } from './lambda/init.js';
import { type Draft, produce } from 'immer';
import type { FaultModel, Model, TrafficModel } from '../scenario/model.js';
import { responseTooLargeError, serializeResponse, SYNC_RESPONSE_LIMIT_BYTES, timeoutErrorPayload } from './aws/index.js';
import { STREAMED_RESPONSE_LIMIT_BYTES } from '../lang/response-stream.js';
import { decideFaults } from './faults.js';
import { TimeHeap } from './heap.js';
import { createIds, type Ids } from './ids.js';
import { acquire, FunctionEnvironments, type Held, initialFunctionState, reclaimIdle, release, sampleDurationMs, unreservedPool, versionState } from './lambda/concurrency.js';
import { HandlerRuns, type HandlerPort, type HandlerRecord, type HandlerRunsState, type Running as RunningCall } from './lambda/handler-runs.js';
import { aliasAllocation, hasVersions, initialAliases, kindOf, qualifierMatches, type Routed, route, versionConfig } from './lambda/versions.js';
import { functionArn } from './aws/arn.js';
import type {
  EngineContext,
  EngineModule,
  IncomingRecord,
  InvocationResult,
  InvokeAttempt,
  InvokeRequest,
  Timer,
} from './module.js';
import { createModules } from './modules.js';
import { cloneGraph, reachable } from './checkpoint.js';
import { DurationHistogram } from './histogram.js';
import { type SendCause, type StartedUsage, UsageMeter } from '../cost/usage.js';
import { deepFreeze } from './plain-data.js';
import { defaultBody, emptyCounts, RecordStore, type RecordState, type RecordStoreCheckpoint } from './records.js';
import { createRng, type Rng } from './rng.js';
import { type AliasState, type EnvironmentCounts, type FunctionState, HISTORY_SAMPLES, IN_FLIGHT_VIEW, type InFlightInvocation, type SimState, type SourceLedger, type VersionState } from './state.js';
import type { TraceEvent } from './trace.js';
import { nextArrivalMs } from './traffic.js';

/** Simulated time 0 is this instant in AWS timestamps, so that payloads are stable across runs. */
export const DEFAULT_EPOCH_MS = Date.UTC(2025, 0, 1);

export interface SimulationOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  epochMs?: number;
  /**
   * Runs real handler code (docs/sandbox.md): the CLI and the dashboard pass the worker sandbox. Default:
   * directHandlers, on the calling thread, for models built in memory.
   */
  handlers?: HandlerPort;
  /** Outcomes of real code by invocation, shared by the re-runs of one session: they replay, not re-call. */
  handlerRecord?: HandlerRecord;
  /** Receives every trace event in engine order. */
  onTrace?: (event: TraceEvent) => void;
  /**
   * Keep the dashboard's per-tick views in the snapshot (default true). A headless run, whose summary
   * reads the ledgers and counters and no view, passes false: the stream module then skips its per-tick
   * view refresh, most of a large stream run's work otherwise.
   */
  views?: boolean;
}

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
  /** Its neighbours in start order among the running (Simulation.runningFirst). */
  prev?: Running;
  next?: Running;
}

/** An invocation's end, due at `at`; ignored if the invocation already ended or its end moved (version). */
interface Completion {
  at: number;
  seq: number;
  running: Running;
  version: number;
}

interface TrafficCursor {
  spec: TrafficModel;
  i: number;
  nextAtMs: number | undefined;
}

/**
 * One run of a scenario. Create it, call `step()` until `done`, read `state` (an immutable snapshot) at
 * any point.
 *
 * @example
 * const sim = createSimulation(model, { onTrace: (e) => lines.push(JSON.stringify(e)) });
 * while (!sim.done) await sim.step();
 */
export class Simulation {
  readonly model: Model;
  readonly seed: number;
  readonly records = new RecordStore();
  state: SimState;
  private readonly rng: Rng;
  private readonly ids: Ids;
  private readonly epochBaseMs: number;
  private readonly handlerRuns: HandlerRuns;
  private readonly onTrace?: (event: TraceEvent) => void;
  private readonly views: boolean;
  private readonly modules: EngineModule[];
  private readonly moduleByName = new Map<string, EngineModule>();
  private readonly ownerByKind = new Map<string, EngineModule>();
  private readonly timers = new TimeHeap<Timer>();
  private readonly completions = new TimeHeap<Completion>();
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
  private readonly runningByGivenId = new Map<string, Running>();
  private readonly awake = new Set<string>();
  private readonly traffic: TrafficCursor[];
  private readonly faults: FaultModel[];
  private readonly histograms = new Map<string, DurationHistogram>();
  /** End-to-end latency of traffic's records: put to processed (settled as succeeded). */
  private readonly endToEnd = new DurationHistogram();
  /** Billable units so far, by cause, for the cost model (docs/cost.md). */
  readonly usage: UsageMeter;
  /** Above 0 while a destination or dead-letter delivery puts its envelope: those sends are 'deliveries'. */
  /**
   * Working copies of the source ledgers. Records move several times each, so counting them on immer
   * drafts would cost a proxy trap per move; the snapshot receives a copy of each changed ledger once at
   * the end of the tick instead.
   */
  private readonly ledgers = new Map<string, SourceLedger>();
  /** Working copies of the functions' and the account's counters, copied into the snapshot each tick. */
  private readonly functionsWork = new Map<string, FunctionState>();
  /** The copy of each function last put in the snapshot (sample skips a function equal to it). */
  private readonly sampledFunctions = new Map<string, FunctionState>();
  private readonly idleEnvironments = new Map<string, FunctionEnvironments>();
  /** Aliases' routing now (working copy; the snapshot gets a copy when it changes). */
  private readonly aliasWork: Record<string, AliasState>;
  private aliasesDirty = false;
  private readonly observers: EngineModule[];
  /** The names of the modules that dispatch (woken when an environment is freed). */
  private readonly dispatchers: string[];
  private accountWork!: SimState['account'];
  private readonly dirtyLedgers = new Set<string>();
  /** Set when an invocation starts or ends, so the bounded in-flight view is rebuilt at the end of the tick. */
  private inFlightDirty = false;
  /** Invocations hit so far by each fault with a `count` limit, by fault index. */
  private readonly faultHits = new Map<number, number>();
  /** Synchronous requests admitted in the last second, per function and for the account (lambda/rate.ts). */
  private readonly syncRates = new Map<string, RequestRate>();
  private readonly accountSyncRate = new RequestRate();
  private countedFaults = false;
  private seq = 0;
  /** The last millisecond processed (-1 before the first): the next one is later. */
  private lastDispatchMs = -1;
  private readonly deliveries: Deliveries;
  private traceCount = 0;
  /** The record `admit` just stored, and its size as the cost meter asks for it (one function, not one per record). */
  private admittedId = -1;
  private readonly admittedBytes = (): number => this.records.bytes(this.admittedId);
  /** The tick's context while phases run; undefined between ticks. */
  private ctx?: EngineContext;
  /** The millisecond being processed (docs/time.md): what `ctx.now` reads. */
  private nowMs = 0;

  constructor(model: Model, options: SimulationOptions = {}) {
    this.model = model;
    this.seed = options.seed ?? model.seed;
    this.rng = createRng(this.seed);
    this.ids = createIds(this.rng);
    this.epochBaseMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.handlerRuns = new HandlerRuns(model, this.seed, this.epochBaseMs, options.handlers, options.handlerRecord, {
      reschedule: (running) => this.completions.push({ at: running.endsAtMs, seq: this.seq++, running: running as Running, version: running.version }),
      lost: (envIds) => this.forgetEnvironments(envIds),
    });
    this.onTrace = options.onTrace;
    this.views = options.views ?? true;
    this.usage = new UsageMeter(model);
    this.deliveries = new Deliveries(model);
    this.faults = [...model.faults];
    this.aliasWork = initialAliases(model);
    this.modules = createModules();
    this.observers = this.modules.filter((m) => m.observe);
    this.dispatchers = this.modules.filter((m) => m.dispatch).map((m) => m.name);
    for (const module of this.modules) {
      this.moduleByName.set(module.name, module);
      for (const kind of module.accepts) this.ownerByKind.set(kind, module);
    }
    this.traffic = model.traffic.map((spec) => ({ spec, i: 0, nextAtMs: nextArrivalMs(spec, undefined) }));
    this.state = produce(this.initialState(), (draft) => {
      const ctx = this.context(draft);
      for (const module of this.modules) {
        const view = module.init?.(ctx);
        if (view !== undefined) draft.modules[module.name] = view;
      }
      this.flush(draft);
    });
  }

  /** Simulated ms now. */
  get now(): number {
    return this.state.t;
  }

  /** True once a headless run has simulated the scenario's duration. */
  get done(): boolean {
    return this.state.t >= this.model.durationMs;
  }

  /** How many trace events have been emitted. */
  get traceEvents(): number {
    return this.traceCount;
  }

  /** Advances one tick (every event due in it, each at its own millisecond) and samples at its end. */
  async step(): Promise<void> {
    await this.runTo(this.state.t + this.model.tickMs);
  }

  /**
   * Advances to the end of the next tick in which anything is due, jumping over idle ticks (headless
   * runs). Never passes `limitMs`.
   */
  async advance(limitMs = this.model.durationMs): Promise<void> {
    const tick = this.model.tickMs;
    let target = this.state.t + tick;
    if (this.awake.size === 0) {
      const next = this.nextEventMs();
      if (next === undefined) target = Math.max(target, limitMs);
      else if (next > target) target = Math.ceil(next / tick) * tick;
    }
    await this.runTo(Math.min(target, Math.max(limitMs, this.state.t + tick)));
  }

  /** Runs headless to the scenario's duration (or `untilMs`). */
  async run(untilMs = this.model.durationMs): Promise<void> {
    while (this.state.t < untilMs) await this.advance(untilMs);
  }

  /**
   * Processes every millisecond with something due up to `target`, then samples there. A real handler's
   * result is needed when its invocation ends: if one is still pending then, the tick pauses before that
   * millisecond, sends every queued call to the handler port in one batch, and goes on. Calls whose
   * invocations end later stay queued, so that one batch carries as many as it can.
   */
  private async runTo(target: number): Promise<void> {
    // Every queued call goes to the port in one batch: all that started before the earliest end awaited.
    while (this.runTick(target)) await this.handlerRuns.settleBefore(Infinity);
  }

  /** Adds a fault while running (the dashboard's f key); it is an input like a key press. */
  injectFault(fault: Omit<FaultModel, 'index'>): FaultModel {
    const full: FaultModel = { ...fault, index: this.faults.length };
    this.faults.push(full);
    if (full.count !== undefined) this.countedFaults = true;
    this.state = produce(this.state, (draft) => {
      draft.liveFaults++;
    });
    return full;
  }

  /**
   * The 0-based position (body's i) of the next record a traffic entry will produce, or undefined when
   * the entry has no more. The dashboard's "poison the next record" matches a fault on it.
   *
   * @example sim.injectFault({ ...fault, match: { index: [sim.upcomingIndex(0)!] } });
   */
  upcomingIndex(trafficIndex: number): number | undefined {
    const cursor = this.traffic.find((c) => c.spec.index === trafficIndex);
    return cursor && cursor.nextAtMs !== undefined ? cursor.i : undefined;
  }

  /** The AWS-shaped JSON behind a key the views show (a module's item, a delivery), for the inspect view. */
  inspect(module: string, key: string): unknown {
    return this.moduleByName.get(module)?.inspect?.({ model: this.model, records: this.records, state: this.state }, key);
  }

  /** Recounts every record's state from the store and compares it with the ledger the snapshot carries. */
  checkAccounting(): { ok: boolean; problems: string[] } {
    const problems: string[] = [];
    const recount = this.records.recount();
    for (const [name, ledger] of Object.entries(this.state.sources)) {
      let sum = 0;
      for (const [state, n] of Object.entries(ledger.counts)) {
        sum += n;
        const actual = recount[name]?.[state as RecordState] ?? 0;
        if (actual !== n) problems.push(`${name}: ledger says ${n} ${state}, the store holds ${actual}`);
      }
      if (sum !== ledger.put) problems.push(`${name}: ${ledger.put} put but ${sum} accounted for`);
    }
    for (const name of Object.keys(recount)) {
      if (!this.state.sources[name]) problems.push(`${name}: records in the store but no ledger`);
    }
    return { ok: problems.length === 0, problems };
  }

  /** Percentiles of the time from a traffic record's put to its processing (undefined before any). */
  endToEndPercentiles(): { p50: number; p99: number } | undefined {
    return this.endToEnd.count > 0 ? { p50: this.endToEnd.percentile(0.5), p99: this.endToEnd.percentile(0.99) } : undefined;
  }

  /** Duration percentiles of a function's finished invocations. */
  durationPercentiles(fn: string): { p50: number; p99: number } | undefined {
    const h = this.histograms.get(fn);
    return h && h.count > 0 ? { p50: h.percentile(0.5), p99: h.percentile(0.99) } : undefined;
  }

  /**
   * A checkpoint of the run as it stands between steps (docs/checkpoints.md): a copy of every piece of
   * working state of the engine and its modules, which `restore` (or `restoreSimulation`) turns back into
   * a run that goes on exactly as this one does from here. Nothing in it is shared with this run except
   * what never changes (the model, the immutable snapshot, the stored records); the checkpoint itself is
   * never changed afterwards, so one checkpoint restores any number of times.
   *
   * @example
   * const cp = sim.checkpoint();
   * await sim.run(60_000);
   * const again = restoreSimulation(model, cp); // back at cp.t, same future
   */
  checkpoint(): SimulationCheckpoint {
    if (this.ctx) throw new Error('engine: checkpoint() inside a step');
    const fields: Record<string, unknown> = {};
    for (const name of CHECKPOINT_FIELDS) fields[name] = (this as unknown as Record<string, unknown>)[name];
    const live: CheckpointGraph = {
      fields,
      modules: this.modules.map((m) => m.save()),
      handlerRuns: this.handlerRuns.save(),
    };
    return {
      t: this.state.t,
      tick: this.state.tick,
      seed: this.seed,
      traceEvents: this.traceCount,
      graph: cloneGraph(live, this.inModel()),
      rng: this.rng.save(),
      records: this.records.save(),
    };
  }

  /**
   * Puts this run back at `checkpoint` (taken from a run of the same model and seed): its state, its
   * modules', its generator and its records. The handler port and record stay this run's own, so real
   * handler outcomes recorded since the checkpoint replay instead of calling user code again.
   *
   * @example sim.restore(cp); sim.now === cp.t // true
   */
  restore(checkpoint: SimulationCheckpoint): void {
    if (this.ctx) throw new Error('engine: restore() inside a step');
    if (checkpoint.seed !== this.seed) throw new Error(`engine: a checkpoint of seed ${checkpoint.seed} cannot restore a run of seed ${this.seed}`);
    const graph = cloneGraph(checkpoint.graph, this.inModel());
    Object.assign(this, graph.fields);
    this.modules.forEach((m, i) => m.restore(graph.modules[i]));
    this.handlerRuns.restore(graph.handlerRuns);
    this.rng.load(checkpoint.rng);
    this.records.load(checkpoint.records);
  }

  /** Objects reachable from the model: shared by checkpoints, never copied (a run does not change them). */
  private inModel(): (value: object) => boolean {
    let set = MODEL_OBJECTS.get(this.model);
    if (!set) MODEL_OBJECTS.set(this.model, (set = reachable(this.model)));
    const found = set;
    return (value) => found.has(value);
  }

  private initialState(): SimState {
    const m = this.model;
    for (const fn of Object.values(m.functions)) {
      const fnState = initialFunctionState(fn);
      const envs = new FunctionEnvironments(fn.name);
      // Provisioned environments of versions and aliases (docs/versions.md): ready from the start.
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
    const sources: SimState['sources'] = {};
    for (const [name, kind] of Object.entries(m.resources)) {
      if (kind === 'function') continue;
      const ledger: SourceLedger = { name, kind, put: 0, counts: emptyCounts(), failedTo: {}, peakAgeMs: 0 };
      this.ledgers.set(name, ledger);
      sources[name] = copyLedger(ledger);
    }
    return {
      t: 0,
      tick: 0,
      functions: Object.fromEntries(
        Object.values(m.functions).map((fn) => {
          const copy = copyFunction(this.functionsWork.get(fn.name)!);
          this.sampledFunctions.set(fn.name, copy);
          return [fn.name, copy];
        }),
      ),
      inFlight: {},
      sources,
      destinations: {},
      account: { ...this.accountWork },
      aliases: copyAliases(this.aliasWork),
      modules: {},
      liveFaults: 0,
      usage: this.usage.snapshot(),
    };
  }

  /** Copies what changed in the working ledgers and the in-flight set into the snapshot being produced. */
  private flush(draft: Draft<SimState>): void {
    if (this.usage.dirty) draft.usage = this.usage.snapshot();
    for (const name of this.dirtyLedgers) draft.sources[name] = copyLedger(this.ledgers.get(name)!);
    this.dirtyLedgers.clear();
    if (this.aliasesDirty) {
      this.aliasesDirty = false;
      draft.aliases = copyAliases(this.aliasWork);
    }
    if (!this.inFlightDirty) return;
    this.inFlightDirty = false;
    // The oldest invocations first (the Map keeps start order), bounded: a view, not a store.
    const view: SimState['inFlight'] = {};
    let n = 0;
    for (let running = this.runningFirst; running !== undefined; running = running.next) {
      if (n++ >= IN_FLIGHT_VIEW) break;
      view[running.requestId] = running.view ??= inFlightView(running);
    }
    draft.inFlight = view;
  }

  /**
   * Runs the instants up to `target` and samples there; returns true (without sampling) if it stopped
   * early because an invocation ending next has a real handler that has not settled yet.
   */
  private runTick(target: number): boolean {
    let blocked = false;
    this.state = produce(this.state, (draft) => {
      const ctx = this.context(draft);
      this.ctx = ctx;
      try {
        for (;;) {
          const at = this.nextInstant();
          if (at === undefined || at > target) break;
          if (this.handlerRuns.dueMs <= at) {
            blocked = true;
            break;
          }
          this.instant(ctx, at);
        }
        if (blocked) {
          this.flush(draft);
          return;
        }
        this.nowMs = target;
        draft.t = target;
        draft.tick = Math.round(target / this.model.tickMs);
        this.sample(ctx, draft, target);
      } finally {
        this.ctx = undefined;
      }
    });
    return blocked;
  }

  /**
   * One millisecond: arrivals, timers, completions, then dispatch. Work handed back to an earlier phase
   * in the same millisecond (a timer scheduled for now by a completion, a module woken by its own
   * dispatch) runs in the next millisecond, so no millisecond can loop on itself.
   */
  private instant(ctx: EngineContext, at: number): void {
    this.nowMs = at;
    this.arrive(ctx, at);
    for (let timer = this.timers.popDue(at); timer !== undefined; timer = this.timers.popDue(at)) {
      if (timer.cancelled) continue;
      this.moduleByName.get(timer.owner)?.onTimer?.(ctx, timer);
    }
    for (let done = this.completions.popDue(at); done !== undefined; done = this.completions.popDue(at)) this.complete(ctx, done);
    if (this.awake.size === 0) return;
    for (const module of this.modules) {
      if (!this.awake.has(module.name) || !module.dispatch) continue;
      this.awake.delete(module.name);
      if (module.dispatch(ctx)) this.awake.add(module.name);
    }
    this.lastDispatchMs = at;
  }

  /** The tick's end: modules refresh their views, functions their concurrency history (sampling only). */
  private sample(ctx: EngineContext, draft: Draft<SimState>, now: number): void {
    for (const module of this.modules) module.sample?.(ctx, draft.modules[module.name]);
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
    this.flush(draft);
  }


  /** Phase 1: every traffic entry's arrivals up to now. */
  private arrive(ctx: EngineContext, now: number): void {
    for (const cursor of this.traffic) {
      const spec = cursor.spec;
      while (cursor.nextAtMs !== undefined && cursor.nextAtMs <= now) {
        const i = cursor.i++;
        const record: IncomingRecord = {
          trafficIndex: spec.index,
          i,
          body: spec.body ? safeBody(spec.body, i) : defaultBody(i),
          partitionKey: spec.partitionKeys ? spec.partitionKeys[i % spec.partitionKeys.length] : undefined,
          messageGroup: spec.messageGroups ? spec.messageGroups[i % spec.messageGroups.length] : undefined,
          attributes:
            spec.kind === 'invoke'
              ? { via: spec.via ?? 'cli', type: spec.type, http: spec.http, atMs: cursor.nextAtMs, customBody: spec.body !== undefined }
              : { atMs: cursor.nextAtMs },
        };
        if (spec.qualifier !== undefined) record.attributes!.qualifier = spec.qualifier;
        if (spec.deduplicationId) record.attributes!.messageDeduplicationId = safeDeduplicationId(spec.deduplicationId, i);
        if (spec.messageAttributes) {
          const attributes = safeMessageAttributes(spec.messageAttributes, i);
          if (attributes) record.attributes!.messageAttributes = attributes;
        }
        if (spec.kind === 'invoke' && spec.type === 'RequestResponse') this.moduleByName.get(spec.via === 'firehose' ? 'firehose' : 'sync')!.put!(ctx, spec.target, record);
        else ctx.put(spec.qualifier !== undefined ? `${spec.target}:${spec.qualifier}` : spec.target, record);
        cursor.nextAtMs = spec.count !== undefined && cursor.i >= spec.count ? undefined : nextArrivalMs(spec, cursor.nextAtMs);
      }
    }
  }

  /**
   * The next millisecond with something to do: the first due arrival, timer or completion (a fractional
   * time happens in the millisecond it falls in, rounded up), or the next millisecond when a module asked
   * to dispatch again. Never the millisecond already processed.
   */
  private nextInstant(): number | undefined {
    const next = this.nextEventMs();
    const floor = this.lastDispatchMs + 1;
    let at = next === undefined ? undefined : Math.max(floor, Math.ceil(next));
    if (this.awake.size > 0 && (at === undefined || floor < at)) at = floor;
    return at;
  }

  private nextEventMs(): number | undefined {
    let next: number | undefined;
    const consider = (at: number | undefined) => {
      if (at !== undefined && (next === undefined || at < next)) next = at;
    };
    consider(this.timers.peek()?.at);
    consider(this.completions.peek()?.at);
    for (const cursor of this.traffic) consider(cursor.nextAtMs);
    return next;
  }

  private context(draft: Draft<SimState>): EngineContext {
    const sim = this;
    return {
      model: this.model,
      get now() {
        return sim.nowMs;
      },
      state: draft,
      rng: this.rng,
      ids: this.ids,
      records: this.records,
      epochMs: (simMs) => this.epochBaseMs + simMs,
      emit: (event) => {
        this.usage.observe(event);
        this.emitUnmetered(event);
      },
      tracing: this.onTrace !== undefined,
      views: this.views,
      skip: () => {
        this.traceCount++;
      },
      aliases: this.aliasWork,
      routeAlias: (key, version, weights, deployment) => {
        const a = this.aliasWork[key];
        if (!a || !version) throw new Error(`engine: no alias ${key}`);
        a.version = version;
        a.additionalVersionWeights = { ...weights };
        if (deployment === undefined) delete a.deployment;
        else a.deployment = deployment;
        if (a.provisioned > 0) this.idleEnvironments.get(a.fn)!.allocate(this.functionsWork.get(a.fn)!, a.alias, aliasAllocation(a));
        this.aliasesDirty = true;
      },
      schedule: (at, owner, kind, data) => {
        const timer = { at, seq: this.seq++, owner, kind, data };
        this.timers.push(timer);
        return timer;
      },
      cancel: (timer) => {
        timer.cancelled = true;
        // A cancelled timer stays in the heap until its time; it must not keep what it carried (a
        // finished batch, its records) alive until then.
        timer.data = undefined;
      },
      invoke: (request) => sim.startInvocation(draft, sim.nowMs, request),
      put: (resource, record) => {
        const kind = kindOf(this.model, resource);
        const owner = kind === 'function' ? this.ownerByKind.get('async') : kind ? this.ownerByKind.get(kind) : undefined;
        if (!owner?.put) throw new Error(`engine: no module accepts puts to ${kind} '${resource}'`);
        owner.put(sim.ctx!, resource, record);
      },
      admit: (source, record, itemId, at = sim.nowMs) => {
        let ledger = this.ledgers.get(source);
        if (!ledger) {
          const kind = source.startsWith('async:') ? 'async' : 'sync';
          ledger = { name: source, kind, put: 0, counts: emptyCounts(), failedTo: {}, peakAgeMs: 0 };
          this.ledgers.set(source, ledger);
        }
        ledger.put++;
        ledger.counts.waiting++;
        this.dirtyLedgers.add(source);
        const id = this.records.add(source, itemId, at, record);
        // The size is measured here once and kept in the store (batch limits read it again).
        this.admittedId = id;
        if (this.usage.meters(source)) this.usage.admitted(source, this.admittedBytes, this.sendCause(source, record));
        return id;
      },
      settle: (id, to, failedTo) => {
        const records = this.records;
        const from = records.move(id, to);
        const source = records.source(id);
        const ledger = this.ledgers.get(source)!;
        this.dirtyLedgers.add(source);
        if (--ledger.counts[from] < 0) broken('a record left a state its ledger had none in', { source, record: records.itemId(id), from, to });
        ledger.counts[to]++;
        if (to === 'failed' && failedTo) ledger.failedTo[failedTo] = (ledger.failedTo[failedTo] ?? 0) + 1;
        if (to === 'succeeded' && records.trafficIndex(id) >= 0) this.endToEnd.record(sim.nowMs - records.putAtMs(id));
      },
      deliver: (delivery) => this.deliveries.deliver(this.ctx!, draft.destinations, sim.nowMs, delivery),
      wake: (owner) => {
        this.awake.add(owner);
      },
      observeAge: (source, ageMs) => {
        const ledger = this.ledgers.get(source);
        if (ledger && ageMs > ledger.peakAgeMs) {
          ledger.peakAgeMs = ageMs;
          this.dirtyLedgers.add(source);
        }
      },
    };
  }

  /** Emits a trace event the cost meter has already been told about (an invocation's start or end). */
  private emitUnmetered(event: TraceEvent): void {
    this.traceCount++;
    this.onTrace?.(event);
    for (const observer of this.observers) observer.observe!(event);
  }

  /**
   * Why a record entering a resource is billed (docs/cost.md): undefined when AWS does not bill it, as for
   * SQS's own move of a message to its dead-letter queue, or an AWS service event (a schedule) on a bus.
   */
  private sendCause(resource: string, record: IncomingRecord): SendCause | undefined {
    if (typeof record.attributes?.redrivenFrom === 'string') return undefined;
    if (this.model.resources[resource] === 'bus') {
      const source = (record.body as { source?: unknown } | null | undefined)?.source;
      if (typeof source === 'string' && source.startsWith('aws.')) return undefined;
    }
    return this.deliveries.delivering ? 'deliveries' : 'ingest';
  }

  private startInvocation(draft: Draft<SimState>, now: number, request: InvokeRequest): InvokeAttempt {
    const ctx = this.ctx!;
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
      running.result = { outcome: 'success', response: null };
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
    if (acquired.held.pool) started.provisioned = true;
    if (init?.retried) started.initRetried = true;
    if (request.finalWindow) started.finalWindow = true;
    // The meter's record of the invocation travels with it (no lookup by request id at its end).
    running.usage = this.usage.started(started);
    this.emitUnmetered(started);
    if (running.code) this.handlerRuns.emitStart(ctx, running);
    for (const fault of faults.applied) {
      ctx.emit({ t: now, type: 'fault.injected', fn: request.fn, kind: fault.kind, detail: `fault ${fault.index} hit ${requestId}` });
    }
    return { ok: true, requestId, cold, version: routed.version };
  }

  /**
   * A counted fault is used up only by invocations it actually hit: one that then throttles on concurrency
   * never ran, so it does not count.
   */
  private countHits(applied: readonly FaultModel[]): void {
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
  private forgetEnvironments(envIds: string[]): void {
    for (const id of envIds) this.idleEnvironments.get(id.slice(0, id.lastIndexOf('#')))?.forget([id]);
  }

  /** Phase 3: an invocation ends; its environment is freed and its owner decides what happens next. */
  private complete(ctx: EngineContext, done: Completion): void {
    const running = done.running;
    if (running.ended || running.version !== done.version) return;
    running.ended = true;
    if (running.givenId) this.runningByGivenId.delete(running.requestId);
    if (running.prev) running.prev.next = running.next;
    else this.runningFirst = running.next;
    if (running.next) running.next.prev = running.prev;
    else this.runningLast = running.prev;
    running.prev = running.next = undefined;
    const draft = ctx.state;
    const fnState = this.functionsWork.get(running.fn)!;
    release(this.accountWork, fnState, this.idleEnvironments.get(running.fn)!, ctx.now, running.held, running.code?.discard);
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
    if (running.code) this.handlerRuns.emitEnd(ctx, running);
    if (running.usage) this.usage.ended(running.usage, ended.durationMs);
    this.emitUnmetered(ended);
    const result: InvocationResult = {
      outcome: r.outcome,
      response: r.response,
      ...(r.stream ? { stream: r.stream } : {}),
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
    this.moduleByName.get(running.request.owner)?.onComplete?.(ctx, running.request.ref, result);
    // A freed environment may unblock anyone waiting on concurrency.
    for (const name of this.dispatchers) this.awake.add(name);
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

/** Creates a simulation of a validated model. */
export function createSimulation(model: Model, options?: SimulationOptions): Simulation {
  return new Simulation(model, options);
}

/**
 * A run of `model` that starts where `checkpoint` was taken (Simulation.checkpoint) and goes on as the
 * run it was taken from did: the same trace from there, the same snapshots and summary. `options` are
 * those of a new run (handlers, handlerRecord, onTrace, views); the seed is the checkpoint's. Pass the
 * session's handlerRecord so that real handler code is replayed rather than called again. The trace
 * events of the construction (before the checkpoint) are not emitted.
 *
 * @example const sim = restoreSimulation(model, cp, { onTrace, handlerRecord });
 */
export function restoreSimulation(model: Model, checkpoint: SimulationCheckpoint, options: SimulationOptions = {}): Simulation {
  const sim = new Simulation(model, { ...options, seed: checkpoint.seed, onTrace: undefined });
  Object.assign(sim, { onTrace: options.onTrace });
  sim.restore(checkpoint);
  return sim;
}

/**
 * What Simulation.checkpoint returns. `t`, `tick`, `seed` and `traceEvents` say where it was taken; the
 * rest is the engine's own (treat it as opaque and never change it).
 */
export interface SimulationCheckpoint {
  readonly t: number;
  readonly tick: number;
  readonly seed: number;
  /** Trace events emitted before it (the restored run counts on from here). */
  readonly traceEvents: number;
  readonly graph: CheckpointGraph;
  readonly rng: readonly [number, number, number, number];
  readonly records: RecordStoreCheckpoint;
}

interface CheckpointGraph {
  fields: Record<string, unknown>;
  modules: unknown[];
  handlerRuns: HandlerRunsState;
}

/**
 * The Simulation fields a checkpoint copies: everything that changes while it runs. The others are
 * fixed at construction (CONFIGURATION_FIELDS) or saved their own way (the generator, the record store,
 * the handler runs, the modules). test/engine/checkpoint.test.ts fails when a field is in neither list.
 */
export const CHECKPOINT_FIELDS = [
  'state',
  'timers',
  'completions',
  'runningFirst',
  'runningLast',
  'runningByGivenId',
  'awake',
  'traffic',
  'faults',
  'histograms',
  'endToEnd',
  'usage',
  'ledgers',
  'functionsWork',
  'sampledFunctions',
  'idleEnvironments',
  'aliasWork',
  'aliasesDirty',
  'accountWork',
  'dirtyLedgers',
  'inFlightDirty',
  'faultHits',
  'syncRates',
  'accountSyncRate',
  'countedFaults',
  'seq',
  'lastDispatchMs',
  'deliveries',
  'traceCount',
  'admittedId',
  'nowMs',
] as const;

/** Simulation fields set at construction that a run never changes, or saved apart (see CHECKPOINT_FIELDS). */
export const CONFIGURATION_FIELDS = [
  'model',
  'seed',
  'records',
  'rng',
  'ids',
  'epochBaseMs',
  'handlerRuns',
  'onTrace',
  'views',
  'modules',
  'moduleByName',
  'ownerByKind',
  'observers',
  'dispatchers',
  'admittedBytes',
  'ctx',
] as const;

const MODEL_OBJECTS = new WeakMap<Model, WeakSet<object>>();

/** A traffic body function that throws is scenario code misbehaving: record it in the payload, don't crash. */
/**
 * The scenario's deduplication id for message i. SQS takes up to 128 characters; a function that throws
 * or returns something else sends a unique id instead (the message is not deduplicated).
 */
function safeDeduplicationId(fn: (i: number) => string, i: number): string | undefined {
  try {
    const id = fn(i);
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The scenario's message attributes for message i: strings, finite numbers and `{ dataType, stringValue }`
 * objects are kept; anything else (or a function that throws) sends the message without them.
 */
function safeMessageAttributes(fn: (i: number) => Record<string, unknown>, i: number): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = fn(i);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) out[name] = v;
    else if (v !== null && typeof v === 'object' && typeof (v as { dataType?: unknown }).dataType === 'string') {
      const stringValue = (v as { stringValue?: unknown }).stringValue;
      out[name] = { dataType: (v as { dataType: string }).dataType, ...(typeof stringValue === 'string' ? { stringValue } : {}) };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function safeBody(body: (i: number) => unknown, i: number): unknown {
  try {
    return body(i);
  } catch (thrown) {
    return { bodyError: thrown instanceof Error ? thrown.message : String(thrown), n: i };
  }
}

function copyLedger(ledger: SourceLedger): SourceLedger {
  return { ...ledger, counts: { ...ledger.counts }, failedTo: { ...ledger.failedTo } };
}

const sameEnvs = (a: EnvironmentCounts, b: EnvironmentCounts): boolean =>
  a.provisioned === b.provisioned && a.provisionedBusy === b.provisionedBusy && a.onDemand === b.onDemand && a.onDemandBusy === b.onDemandBusy;

const sameVersion = (a: VersionState, b: VersionState): boolean =>
  a.version === b.version &&
  a.concurrency === b.concurrency &&
  a.invocations === b.invocations &&
  a.errors === b.errors &&
  a.coldStarts === b.coldStarts &&
  a.throttles === b.throttles &&
  sameEnvs(a.envs, b.envs);

/**
 * True when `a` equals the snapshot copy `b` (so sampling can keep `b`). Written out field by field,
 * since this runs for every function at every tick; `satisfies` below makes the compiler refuse a new
 * FunctionState field that this comparison does not know.
 */
function sameFunctionState(a: FunctionState, b: FunctionState): boolean {
  if (
    a.concurrency !== b.concurrency ||
    a.peakConcurrency !== b.peakConcurrency ||
    a.invocations !== b.invocations ||
    a.successes !== b.successes ||
    a.errors !== b.errors ||
    a.timeouts !== b.timeouts ||
    a.partials !== b.partials ||
    a.throttles !== b.throttles ||
    a.coldStarts !== b.coldStarts ||
    a.reclaimed !== b.reclaimed ||
    a.scalingTokens !== b.scalingTokens ||
    a.scalingTokensAtMs !== b.scalingTokensAtMs ||
    a.reserved !== b.reserved ||
    a.name !== b.name ||
    !sameEnvs(a.envs, b.envs)
  )
    return false;
  const h = a.history;
  const g = b.history;
  if (h.length !== g.length) return false;
  for (let i = 0; i < h.length; i++) if (h[i] !== g[i]) return false;
  const va = Object.keys(a.versions);
  if (va.length !== Object.keys(b.versions).length) return false;
  for (const v of va) {
    const other = b.versions[v];
    if (other === undefined || !sameVersion(a.versions[v], other)) return false;
  }
  return true;
}

/** Every field of FunctionState, VersionState and EnvironmentCounts: a new one fails to compile until the comparisons above read it. */
const COMPARED = {
  fn: { name: 1, reserved: 1, concurrency: 1, peakConcurrency: 1, envs: 1, scalingTokens: 1, scalingTokensAtMs: 1, invocations: 1, successes: 1, errors: 1, timeouts: 1, partials: 1, throttles: 1, coldStarts: 1, reclaimed: 1, history: 1, versions: 1 } satisfies Record<keyof FunctionState, 1>,
  version: { version: 1, concurrency: 1, invocations: 1, errors: 1, coldStarts: 1, throttles: 1, envs: 1 } satisfies Record<keyof VersionState, 1>,
  envs: { provisioned: 1, provisionedBusy: 1, onDemand: 1, onDemandBusy: 1 } satisfies Record<keyof EnvironmentCounts, 1>,
};
void COMPARED;

function copyFunction(fn: FunctionState): FunctionState {
  const versions: FunctionState['versions'] = {};
  for (const [v, vs] of Object.entries(fn.versions)) versions[v] = { ...vs, envs: { ...vs.envs } };
  // Frozen here so that immer does not walk it again when it enters the snapshot.
  return deepFreeze({ ...fn, envs: { ...fn.envs }, history: [...fn.history], versions });
}

function copyAliases(aliases: Record<string, AliasState>): Record<string, AliasState> {
  const out: Record<string, AliasState> = {};
  for (const [key, a] of Object.entries(aliases)) out[key] = { ...a, additionalVersionWeights: { ...a.additionalVersionWeights } };
  return out;
}
