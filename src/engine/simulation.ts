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
import { type Draft, Immer } from 'immer';
import type { FaultModel, Model } from '../scenario/model.js';
import { TimeHeap } from './heap.js';
import { createIds, type Ids } from './ids.js';
import { HandlerRuns, type HandlerPort, type HandlerRecord, type HandlerRunsState } from './lambda/handler-runs.js';
import { INVOCATION_CHECKPOINT_FIELDS, INVOCATION_CONFIGURATION_FIELDS, Invocations } from './lambda/invocations.js';
import { checkAccounting, LEDGER_CHECKPOINT_FIELDS, LEDGER_CONFIGURATION_FIELDS, Ledgers } from './ledgers.js';
import type { EngineContext, EngineModule, Timer } from './module.js';
import { kindOf } from './lambda/versions.js';
import { createModules } from './modules.js';
import { cloneGraph, reachable } from './checkpoint.js';
import { UsageMeter } from '../cost/usage.js';
import { RecordStore, type RecordStoreCheckpoint } from './records.js';
import { createRng, type Rng } from './rng.js';
import type { SimState } from './state.js';
import type { TraceEvent } from './trace.js';
import { TRAFFIC_CHECKPOINT_FIELDS, TRAFFIC_CONFIGURATION_FIELDS, TrafficArrivals } from './traffic.js';

/**
 * The engine's immer, with auto-freeze off: a snapshot is immutable by contract (nothing in lambda-tui
 * changes one; the checkpoints share the parts that are frozen and copy the rest), and freezing every new
 * object of every tick was a third of a tick's cost: kinesis-error's tick with views took 0.68x the time
 * without it, sqs-scaling's 0.82x, with checkpoints 3% larger (docs/architecture.md, "Immer in the
 * engine"). The unit tests set LAMBDA_TUI_FREEZE_SNAPSHOTS=1 (vitest.config.ts), so that code which
 * changes a snapshot throws there as it did before.
 */
const immer = new Immer({ autoFreeze: process.env.LAMBDA_TUI_FREEZE_SNAPSHOTS === '1' });
const produce = immer.produce;

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

/**
 * One run of a scenario. Create it, call `step()` until `done`, read `state` (an immutable snapshot) at
 * any point. The time loop and its wiring live here; the parts it drives are their own modules: traffic
 * arrivals (traffic.ts), the invocation lifecycle (lambda/invocations.ts), the source ledgers
 * (ledgers.ts), destinations (delivery.ts) and the source modules (modules.ts).
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
  private readonly awake = new Set<string>();
  /** Billable units so far, by cause, for the cost model (docs/cost.md). */
  readonly usage: UsageMeter;
  private readonly observers: EngineModule[];
  /** The names of the modules that dispatch (woken when an environment is freed). */
  private readonly dispatchers: string[];
  private seq = 0;
  /** The last millisecond processed (-1 before the first): the next one is later. */
  private lastDispatchMs = -1;
  private readonly deliveries: Deliveries;
  private traceCount = 0;
  /** Traffic entries' cursors (phase 1). */
  private readonly traffic: TrafficArrivals;
  /** Running invocations, functions' counters, environments, aliases, faults (phase 3 and EngineContext.invoke). */
  private readonly invocations: Invocations;
  /** The source ledgers (EngineContext.admit, settle, observeAge). */
  private readonly ledgers: Ledgers;
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
      reschedule: (running) => this.invocations.reschedule(running),
      lost: (envIds) => this.invocations.forgetEnvironments(envIds),
    });
    this.onTrace = options.onTrace;
    this.views = options.views ?? true;
    this.usage = new UsageMeter(model);
    this.deliveries = new Deliveries(model);
    this.modules = createModules();
    this.observers = this.modules.filter((m) => m.observe && (m.observes?.(model) ?? true));
    this.dispatchers = this.modules.filter((m) => m.dispatch).map((m) => m.name);
    for (const module of this.modules) {
      this.moduleByName.set(module.name, module);
      for (const kind of module.accepts) this.ownerByKind.set(kind, module);
    }
    // The parts read the meter and the deliveries through the run at each use: a restore replaces both.
    const sim = this;
    this.invocations = new Invocations(model, this.rng, this.ids, this.records, this.handlerRuns, {
      get usage() {
        return sim.usage;
      },
      emitUnmetered: (event) => this.emitUnmetered(event),
      observed: this.observers.length > 0,
      ended: (ctx, request, result) => {
        this.moduleByName.get(request.owner)?.onComplete?.(ctx, request.ref, result);
      },
    });
    this.ledgers = new Ledgers(model, this.records, {
      get usage() {
        return sim.usage;
      },
      get delivering() {
        return sim.deliveries.delivering;
      },
    });
    this.traffic = new TrafficArrivals(model, (ctx, module, target, record) => this.moduleByName.get(module)!.put!(ctx, target, record));
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
    const full = this.invocations.inject(fault);
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
    return this.traffic.upcomingIndex(trafficIndex);
  }

  /** The AWS-shaped JSON behind a key the views show (a module's item, a delivery), for the inspect view. */
  inspect(module: string, key: string): unknown {
    return this.moduleByName.get(module)?.inspect?.({ model: this.model, records: this.records, state: this.state }, key);
  }

  /** Recounts every record's state from the store and compares it with the ledger the snapshot carries. */
  checkAccounting(): { ok: boolean; problems: string[] } {
    return checkAccounting(this.state.sources, this.records);
  }

  /** Percentiles of the time from a traffic record's put to its processing (undefined before any). */
  endToEndPercentiles(): { p50: number; p99: number } | undefined {
    return this.ledgers.endToEndPercentiles();
  }

  /** Duration percentiles of a function's finished invocations. */
  durationPercentiles(fn: string): { p50: number; p99: number } | undefined {
    return this.invocations.durationPercentiles(fn);
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
      parts: { traffic: this.traffic.save(), invocations: this.invocations.save(), ledgers: this.ledgers.save() },
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
    this.traffic.restore(graph.parts.traffic);
    this.invocations.restore(graph.parts.invocations);
    this.ledgers.restore(graph.parts.ledgers);
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
    const { functions, account, aliases } = this.invocations.initial();
    const sources = this.ledgers.initial();
    return {
      t: 0,
      tick: 0,
      functions,
      inFlight: {},
      sources,
      destinations: {},
      account,
      aliases,
      modules: {},
      liveFaults: 0,
      usage: this.usage.snapshot(),
    };
  }

  /** Copies what changed in the working ledgers, aliases and the in-flight set into the snapshot being produced. */
  private flush(draft: Draft<SimState>): void {
    if (this.usage.dirty) draft.usage = this.usage.snapshot();
    this.ledgers.flush(draft.sources);
    this.invocations.flush(draft);
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
    this.traffic.arrive(ctx, at);
    for (let timer = this.timers.popDue(at); timer !== undefined; timer = this.timers.popDue(at)) {
      if (timer.cancelled) continue;
      this.moduleByName.get(timer.owner)?.onTimer?.(ctx, timer);
    }
    // A freed environment may unblock anyone waiting on concurrency: every dispatcher is woken, once per
    // millisecond rather than once per invocation that ended in it.
    if (this.invocations.completeDue(ctx, at)) for (const name of this.dispatchers) this.awake.add(name);
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
    this.invocations.sample(draft, now);
    this.flush(draft);
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
    consider(this.invocations.nextEndMs());
    consider(this.traffic.nextAtMs());
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
      aliases: this.invocations.aliases,
      routeAlias: (key, version, weights, deployment) => this.invocations.routeAlias(key, version, weights, deployment),
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
      invoke: (request) => this.invocations.start(sim.ctx!, sim.nowMs, request),
      put: (resource, record) => {
        const kind = kindOf(this.model, resource);
        const owner = kind === 'function' ? this.ownerByKind.get('async') : kind ? this.ownerByKind.get(kind) : undefined;
        if (!owner?.put) throw new Error(`engine: no module accepts puts to ${kind} '${resource}'`);
        owner.put(sim.ctx!, resource, record);
      },
      admit: (source, record, itemId, at = sim.nowMs) => this.ledgers.admit(source, record, itemId, at),
      settle: (id, to, failedTo) => this.ledgers.settle(id, to, failedTo, sim.nowMs),
      deliver: (delivery) => this.deliveries.deliver(this.ctx!, draft.destinations, sim.nowMs, delivery),
      wake: (owner) => {
        this.awake.add(owner);
      },
      observeAge: (source, ageMs) => this.ledgers.observeAge(source, ageMs),
    };
  }

  /** Emits a trace event the cost meter has already been told about (an invocation's start or end). */
  private emitUnmetered(event: TraceEvent): void {
    this.traceCount++;
    this.onTrace?.(event);
    for (const observer of this.observers) observer.observe!(event);
  }
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
  parts: Record<keyof typeof PART_FIELDS, Record<string, unknown>>;
  modules: unknown[];
  handlerRuns: HandlerRunsState;
}

/**
 * The Simulation fields a checkpoint copies: everything that changes while it runs. The others are
 * fixed at construction (CONFIGURATION_FIELDS) or saved their own way (the generator, the record store,
 * the handler runs, the modules, and the parts in PART_FIELDS). test/engine/checkpoint.test.ts fails when
 * a field is in neither list.
 */
export const CHECKPOINT_FIELDS = ['state', 'timers', 'awake', 'usage', 'seq', 'lastDispatchMs', 'deliveries', 'traceCount', 'nowMs'] as const;

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
  'traffic',
  'invocations',
  'ledgers',
  'ctx',
] as const;

/**
 * The parts of a run built once at construction whose working state a checkpoint copies by their own
 * save/restore, with their fields: `checkpoint` copied, `configuration` fixed (the test checks every field
 * is in one list, as for the Simulation's own).
 */
export const PART_FIELDS = {
  traffic: { checkpoint: TRAFFIC_CHECKPOINT_FIELDS, configuration: TRAFFIC_CONFIGURATION_FIELDS },
  invocations: { checkpoint: INVOCATION_CHECKPOINT_FIELDS, configuration: INVOCATION_CONFIGURATION_FIELDS },
  ledgers: { checkpoint: LEDGER_CHECKPOINT_FIELDS, configuration: LEDGER_CONFIGURATION_FIELDS },
} as const;

const MODEL_OBJECTS = new WeakMap<Model, WeakSet<object>>();

