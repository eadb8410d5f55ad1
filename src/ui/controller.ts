/**
 * The dashboard's controller: wraps one Simulation and owns everything about a run that is not a pane's
 * own UI state: the current snapshot, pause and speed, a bounded history of snapshots for stepping back,
 * the recorded inputs (live faults, with the tick they were injected at), and the log of trace lines.
 * No React here: the live dashboard and a scripted run (--keys, --record) drive the same controller.
 *
 * Time is driven from outside: `advanceWall(wallMs)` moves the simulation on by speed x wallMs of
 * simulated time, in whole ticks, carrying the remainder. The live dashboard calls it from a timer with
 * the wall clock; a scripted run calls it with virtual time, so the same script makes the same run.
 *
 * Step-back (docs/checkpoints.md): the last HISTORY_SIZE snapshots are kept, and keyframes and notable
 * frames across the whole run, so going to most ticks only moves the cursor. Every CHECKPOINT_EVERY ticks
 * the controller also keeps a checkpoint of the simulation (and of the log's tail); going to any other
 * tick restores the nearest checkpoint at or before it and re-runs at most CHECKPOINT_EVERY ticks, in
 * slices, replaying recorded handler outcomes. The run's frontier (`headTick`, "live") stays where it had
 * got to. Injecting a fault in the past starts a new future from that tick.
 *
 * @example
 * const controller = new Controller(model, { speed: 10 });
 * const off = controller.onChange(() => render(controller.snapshot));
 * setInterval(() => void controller.advanceWall(66), 66);
 * // keys
 * controller.togglePause();
 * await controller.step();
 * await controller.back();
 */
import type { PriceTable } from '../cost/prices.js';
import { MetricsRing, type MetricsReader } from '../engine/metrics.js';
import { approximateBytes, cloneGraph, copiedBytes } from '../engine/checkpoint.js';
import { createSimulation, restoreSimulation, type Simulation, type SimulationCheckpoint, type SimulationOptions } from '../engine/simulation.js';
import type { TraceEvent } from '../engine/trace.js';
import type { SimState } from '../engine/state.js';
import type { FaultModel, Model } from '../scenario/model.js';
import { feedingTraffic, shardLabelIn } from './selectors.js';
import { type LogLine, TraceLines } from './trace-lines.js';
import { reaches, type WatchStep, watchLine, watchStepsFor } from './watch-steps.js';

/**
 * The speeds `+` and `-` move through, in simulated seconds per wall second.
 *
 * @example SPEEDS.indexOf(10) // the default --speed
 */
export const SPEEDS: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Snapshots kept for stepping back without a re-run (600 ticks: a minute at the default 100 ms tick).
 * Immer shares structure between snapshots, so this costs what changed per tick, not 600 copies.
 *
 * @example new Controller(model, { historySize: HISTORY_SIZE });
 */
export const HISTORY_SIZE = 600;

/**
 * Log lines kept; older lines drop off the top. Enough for the log to read right after a jump back
 * across a long run (a line is about a hundred bytes).
 *
 * @example controller.logLines().length <= LOG_SIZE // true
 */
export const LOG_SIZE = 20_000;

/**
 * Every this many ticks the snapshot is kept as a keyframe, for the whole run: going to a keyframe's
 * tick (a time, a notable event) is instant, however far back it is. When there are more than
 * MAX_KEYFRAMES, every other one is dropped and the spacing doubles, so memory stays bounded.
 *
 * @example controller.keyframeSpacing // KEYFRAME_EVERY, until the run is long
 */
export const KEYFRAME_EVERY = 10;

/** See KEYFRAME_EVERY. */
export const MAX_KEYFRAMES = 1500;

/** Snapshots kept at notable events (a failure, a bisect, a delivery), so that ] and [ land at once. */
export const MAX_NOTABLE_FRAMES = 1500;

/** Notable events remembered for ] / [ and the timeline; the oldest go first. */
export const MAX_NOTABLE = 5000;

/**
 * Handler log lines (CloudWatch's START, console, END, REPORT) kept for the Logs view; older ones drop
 * off the top.
 *
 * @example controller.handlerLogs().length <= HANDLER_LOG_SIZE // true
 */
export const HANDLER_LOG_SIZE = 20_000;

/**
 * One line a handler's invocation wrote, as CloudWatch Logs holds it (docs/sandbox.md, "Logs").
 *
 * @example const line: HandlerLogLine = { seq: 0, tick: 3, t: 300, fn: 'processor', requestId: '5c1f...', logStream: '2025/01/01/[$LATEST]...', line: 'START RequestId: 5c1f... Version: $LATEST' };
 */
export interface HandlerLogLine {
  seq: number;
  tick: number;
  t: number;
  fn: string;
  requestId: string;
  logStream: string;
  line: string;
}

/**
 * Ticks between checkpoints of the simulation (docs/checkpoints.md): a jump to a tick with no kept
 * snapshot restores the checkpoint at or before it and re-runs at most this many ticks. 50 ticks (5 s at
 * the default tick) keep a jump on kinesis-error well under a quarter of a second on a busy 2-core machine.
 *
 * @example controller.checkpointSpacing // CHECKPOINT_EVERY, until the run outgrows the bounds below
 */
export const CHECKPOINT_EVERY = 50;

/** At most this many checkpoints are kept; past it, every other one goes and the spacing doubles. */
export const MAX_CHECKPOINTS = 400;

/** At most about this many bytes of checkpoints (approximate, engine/checkpoint.ts); past it, as MAX_CHECKPOINTS. */
export const CHECKPOINT_BUDGET_BYTES = 256 * 1024 * 1024;

/** Log lines (and handler log lines) a checkpoint keeps of the log's tail, so a restored run's log reads back. */
export const CHECKPOINT_LOG_TAIL = 400;

/** Ticks a re-run does before it lets keys and repaints in (one turn of the event loop). */
export const RERUN_SLICE_TICKS = 100;

/**
 * Wall time a re-run (or a run forward to a time) spends before it lets keys and repaints in, whatever
 * RERUN_SLICE_TICKS says: a tick of a large scenario (200 functions) can take tens of milliseconds, and
 * a slice counted in ticks alone kept q waiting for seconds (issue 16, item 8).
 *
 * @example if (slice.due()) await slice.yield();
 */
export const RERUN_SLICE_MS = 20;

/** Counts ticks and wall time since the last turn given to keys; see RERUN_SLICE_TICKS and RERUN_SLICE_MS. */
class Slice {
  private ticks = 0;
  private started = performance.now();

  /** One more tick done: true when it is time to let keys and repaints in. */
  due(): boolean {
    return ++this.ticks % RERUN_SLICE_TICKS === 0 || performance.now() - this.started >= RERUN_SLICE_MS;
  }

  /** One turn of the event loop, then a new slice. */
  async yield(): Promise<void> {
    await yieldToKeys();
    this.ticks = 0;
    this.started = performance.now();
  }
}

/**
 * What kind of moment a notable event is: the things a person jumps between.
 *
 * @example const kind: NotableKind = 'bisect';
 */
export type NotableKind = 'failure' | 'bisect' | 'retry' | 'throttle' | 'redrive' | 'delivery' | 'expired' | 'fault';

/**
 * A notable event: when, what kind, and the log line that says it.
 *
 * @example const e: NotableEvent = { tick: 116, t: 11_600, kind: 'bisect', text: '00:11.6 processor shard-3 batch ... -> bisect' };
 */
export interface NotableEvent {
  tick: number;
  t: number;
  kind: NotableKind;
  text: string;
}

/**
 * The notable kind of a log line, or undefined for routine ones (puts, starts, checkpoints).
 *
 * @example notableKind({ type: 'deliver', text: '...' }) // 'delivery'
 */
export function notableKind(line: Pick<LogLine, 'type' | 'text'>): NotableKind | undefined {
  switch (line.type) {
    case 'invoke.end':
      if (line.text.includes('-> bisect')) return 'bisect';
      return / (failed|timed out|partial) /.test(line.text) ? 'failure' : undefined;
    case 'batch.bisect':
      return 'bisect';
    case 'async.retry':
      return 'retry';
    case 'throttle':
      return 'throttle';
    case 'sqs.redrive':
      return 'redrive';
    case 'deliver':
      return 'delivery';
    case 'record.expired':
      return 'expired';
    case 'fault.injected':
      return 'fault';
    default:
      return undefined;
  }
}

/**
 * Upper bound on ticks one advanceWall call runs. A wall-clock stall (a suspended laptop, a slow handler)
 * must not turn into minutes of catch-up: the excess simulated time is dropped instead.
 *
 * @example controller.advanceWall(3_600_000) // runs at most MAX_TICKS_PER_ADVANCE ticks
 */
export const MAX_TICKS_PER_ADVANCE = 2000;

/**
 * How much wall time the live shell's advances cover when telling whether the requested speed is met.
 *
 * @example controller.achievedSpeed // measured over the last PACE_WINDOW_MS of wall time
 */
export const PACE_WINDOW_MS = 1000;

/**
 * The most wall time's worth of simulated time a live run owes and catches up later: a tick that took
 * long once (a backlog landing, a handler's one heavy call, the machine busy for a moment) leaves the run
 * behind by that much, and the next advances, each within its budget, make it up. Whatever is owed beyond
 * this is dropped, and only then does the header say "lagging": a run that cannot keep up at all stays
 * at most this far behind instead of owing more and more.
 *
 * @example controller.advanceWall(100, { ms: 50 }) // at most CATCH_UP_MS x speed of simulated time owed
 */
export const CATCH_UP_MS = 1000;

/**
 * A wall-time budget for one live advance: `ms` of work, measured with `now` (default performance.now).
 *
 * @example await controller.advanceWall(66, { ms: 35 });
 */
export interface WallBudget {
  ms: number;
  now?: () => number;
}

/**
 * A live input, recorded so that a re-run from t=0 can replay it: the fault, injected when the
 * simulation stood at `tick` (before that tick's successor ran).
 *
 * @example const input: RecordedInput = { tick: 42, fault: { function: 'processor', kind: 'error', rate: 1, fromMs: 4200, untilMs: 9e15, addMs: 0, count: 3 } };
 */
export interface RecordedInput {
  tick: number;
  fault: Omit<FaultModel, 'index'>;
}

/**
 * The dashboard's fault menu, as data: poison the next record that flows to a function (a persistent
 * error on exactly that record), throttle a function for a while, or fail its next N invocations.
 *
 * @example controller.injectPreset({ kind: 'failNext', fn: 'processor', count: 3 });
 */
export type FaultPreset =
  | { kind: 'poison'; fn: string }
  | { kind: 'throttle'; fn: string; forMs: number }
  | { kind: 'serviceError'; fn: string; forMs: number }
  | { kind: 'failNext'; fn: string; count: number };

/**
 * Options for a Controller.
 *
 * @example new Controller(model, { speed: 10, paused: false, historySize: 600 });
 */
export interface ControllerOptions {
  /** Simulated seconds per wall second; snapped to the nearest of SPEEDS. Default 10. */
  speed?: number;
  /** Start paused. Default false. */
  paused?: boolean;
  historySize?: number;
  logSize?: number;
  /** Passed to every Simulation the controller creates (epoch, handler guard); onTrace is the controller's. */
  simulation?: Omit<SimulationOptions, 'onTrace'>;
  /**
   * Pause once, exactly at the first tick whose time reaches this (the live dashboard passes the
   * scenario's duration: the story it tells is complete there). Default: never.
   */
  pauseAtMs?: number;
  /** See MAX_KEYFRAMES (tests use a small bound). */
  maxKeyframes?: number;
  /** See CHECKPOINT_EVERY and MAX_CHECKPOINTS (tests use other values). */
  checkpointEvery?: number;
  maxCheckpoints?: number;
  /** The price table the header's cost uses (default: us-east-1, src/cost/prices.ts); `--prices`. */
  prices?: PriceTable;
  /** Prorate the free tiers into the cost (`--free-tier`). */
  freeTier?: boolean;
}

/** A checkpoint of the controller: the simulation's and what the controller builds from its trace. */
interface ControllerCheckpoint {
  sim: SimulationCheckpoint;
  /** The trace-line formatter's state (a copy: lines of a restored run read as the straight run's). */
  lines: TraceLines;
  logTail: LogLine[];
  handlerTail: HandlerLogLine[];
  handlerLogSeq: number;
  /** How many recorded inputs the simulation had applied. */
  applied: number;
  bytes: number;
}

/** A fault that never ends by itself: finite, so recorded inputs stay plain JSON. */
const FOREVER_MS = Number.MAX_SAFE_INTEGER;

/**
 * See the module comment.
 *
 * @example
 * const c = new Controller(model);
 * await c.step();
 * c.snapshot.tick; // 1
 */
export class Controller {
  readonly model: Model;
  private readonly historySize: number;
  private readonly logSize: number;
  private readonly simOptions: Omit<SimulationOptions, 'onTrace'>;
  private sim!: Simulation;
  private lines!: TraceLines;
  /** Snapshots of consecutive ticks, oldest first; the last one is the live simulation's state. */
  private ring: SimState[] = [];
  private cursorTick = 0;
  private recorded: RecordedInput[] = [];
  /** How many of `recorded` the current simulation has applied. */
  private applied = 0;
  private log: LogLine[] = [];
  private handlerLog: HandlerLogLine[] = [];
  private handlerLogSeq = 0;
  private metricsRing!: MetricsRing;
  private carryMs = 0;
  /** Simulated ms a live (budgeted) run fell behind and still owes, at most CATCH_UP_MS x speed. */
  private owedMs = 0;
  /** The newest tick reached in this future ("live"); the simulation may stand behind it after a jump back. */
  private frontier = 0;
  /** Checkpoints by tick (see CHECKPOINT_EVERY); tick 0 is always kept. */
  private checkpoints = new Map<number, ControllerCheckpoint>();
  private checkpointEvery: number;
  private readonly baseCheckpointEvery: number;
  private readonly maxCheckpoints: number;
  private checkpointBytes = 0;
  /** True while the simulation re-runs ticks up to the frontier: its lines are known, so they go to pastLog. */
  private replaying = false;
  /**
   * Lines of the re-run since the last restore (and the restored checkpoint's log tail): what the Log
   * shows when the cursor is older than the oldest line the log still holds.
   */
  private pastLog: LogLine[] = [];
  private pastHandlerLog: HandlerLogLine[] = [];
  /** The last tick whose lines pastLog holds in full (the restored checkpoint's, then each re-run tick). */
  private pastLogUntil = -1;
  /** The log (and the handler log) lost lines off its top: older ticks read pastLog. */
  private logTrimmed = false;
  private handlerLogTrimmed = false;
  /** Recent live advances (wall ms asked, wall ms worth of ticks done, ticks dropped), for achievedSpeed. */
  private pace: Array<{ wallMs: number; doneWallMs: number; dropped: boolean }> = [];
  private pausedFlag: boolean;
  private speedValue: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** A live advance is running ticks (see pauseSettled). */
  private advancing = false;
  private errorValue: unknown;
  private readonly pauseAtMs: number | undefined;
  /** Keyframes: snapshots kept across the whole run (see KEYFRAME_EVERY), by tick. */
  private keyframes = new Map<number, SimState>();
  private spacing = KEYFRAME_EVERY;
  private readonly maxKeyframes: number;
  /** Snapshots at notable ticks, oldest first. */
  private notableFrames = new Map<number, SimState>();
  private notableList: NotableEvent[] = [];
  /** The scenario's "what to watch" steps (watch-steps.ts) and the tick each was first reached at. */
  private readonly steps: readonly WatchStep[];
  private stepsAt: Array<number | undefined> = [];
  /** Set while a re-run is under way: where it goes. */
  private seekingTo: number | undefined;
  /** The one pause at pauseAtMs has happened (it does not happen again, even after a re-run). */
  private pauseAtDone = false;
  /** Paused by reaching pauseAtMs, and nothing has moved or resumed since. */
  private atEndPause = false;

  /** The price table of the cost in the header and the Cost view. */
  readonly prices: PriceTable | undefined;
  readonly freeTier: boolean;

  constructor(model: Model, options: ControllerOptions = {}) {
    this.model = model;
    this.steps = watchStepsFor(model.name);
    this.prices = options.prices;
    this.freeTier = options.freeTier ?? false;
    this.historySize = Math.max(2, options.historySize ?? HISTORY_SIZE);
    this.logSize = Math.max(1, options.logSize ?? LOG_SIZE);
    this.simOptions = options.simulation ?? {};
    this.pausedFlag = options.paused ?? false;
    this.speedValue = nearestSpeed(options.speed ?? 10);
    this.pauseAtMs = options.pauseAtMs;
    this.maxKeyframes = Math.max(2, options.maxKeyframes ?? MAX_KEYFRAMES);
    this.checkpointEvery = this.baseCheckpointEvery = Math.max(1, Math.floor(options.checkpointEvery ?? CHECKPOINT_EVERY));
    this.maxCheckpoints = Math.max(2, options.maxCheckpoints ?? MAX_CHECKPOINTS);
    this.fresh();
  }

  /** The snapshot at the cursor: what the dashboard shows. */
  get snapshot(): SimState {
    return this.stateAt(this.cursorTick) ?? this.ring[this.ring.length - 1];
  }

  /** The snapshot of `tick` when one is kept (history ring, keyframe or notable frame). */
  private stateAt(tick: number): SimState | undefined {
    const i = tick - this.ring[0].tick;
    if (i >= 0 && i < this.ring.length) return this.ring[i];
    return this.keyframes.get(tick) ?? this.notableFrames.get(tick);
  }

  /** The notable events so far (up to the newest simulated tick), oldest first. */
  /**
   * The header's "what to watch" line at the cursor: the newest step of the scenario reached by then,
   * or undefined (none reached yet, or a scenario without steps).
   *
   * @example controller.watch // 'watch 2/3: the failed batch is split in two (bisect), again and again'
   */
  get watch(): string | undefined {
    return this.steps.length ? watchLine(this.steps, this.stepsAt, this.cursorTick) : undefined;
  }

  get notable(): readonly NotableEvent[] {
    return this.notableList;
  }

  /** Ticks between keyframes now (KEYFRAME_EVERY, doubled each time the run outgrows MAX_KEYFRAMES). */
  get keyframeSpacing(): number {
    return this.spacing;
  }

  /** Snapshots kept beyond the history ring (keyframes and notable frames): a bound on memory. */
  get keptFrames(): number {
    return this.keyframes.size + this.notableFrames.size;
  }

  /** Ticks between checkpoints now (CHECKPOINT_EVERY, doubled each time the run outgrows the bounds). */
  get checkpointSpacing(): number {
    return this.checkpointEvery;
  }

  /**
   * The checkpoints kept: how many, and about how many bytes they hold together (engine/checkpoint.ts,
   * approximateBytes).
   *
   * @example controller.checkpointStats // { count: 37, bytes: 9_400_000 }
   */
  get checkpointStats(): { count: number; bytes: number } {
    return { count: this.checkpoints.size, bytes: this.checkpointBytes };
  }

  /** The tick a re-run is heading for, while one is under way. */
  get seeking(): number | undefined {
    return this.seekingTo;
  }

  /** The cursor's tick. */
  get cursor(): number {
    return this.cursorTick;
  }

  /** The newest tick reached in this future ("live"); the simulation itself may stand behind it. */
  get headTick(): number {
    return this.frontier;
  }

  /** The tick the simulation stands at. */
  private get simTick(): number {
    return this.ring[this.ring.length - 1].tick;
  }

  /** The oldest tick still in the history ring; stepping back past it restores a checkpoint. */
  get oldestTick(): number {
    return this.ring[0].tick;
  }

  /** True when the cursor shows a past tick (after step-back). */
  get inPast(): boolean {
    return this.cursorTick < this.headTick;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /**
   * Paused, and the tick the cursor stands on is the one it stays on: a pause that comes while a live
   * advance is inside a tick (its handlers running) takes effect once that tick ends, and until then the
   * header does not say paused, so that a person (or a test) reading "paused" reads the final tick.
   */
  get pauseSettled(): boolean {
    return this.pausedFlag && !this.advancing;
  }

  /**
   * True while the run stands paused where it paused itself at `pauseAtMs` (the end of the scenario);
   * false again once anything resumes, steps or moves the cursor.
   */
  get pausedAtEnd(): boolean {
    return this.atEndPause && this.pausedFlag;
  }

  /** Simulated seconds per wall second. */
  get speed(): number {
    return this.speedValue;
  }

  get seed(): number {
    return this.sim.seed;
  }

  /** The live simulation (for inspect and percentiles); its state is the head, not necessarily the cursor. */
  get simulation(): Simulation {
    return this.sim;
  }

  /** The live inputs recorded so far, in the order they were made. */
  get inputs(): readonly RecordedInput[] {
    return this.recorded;
  }

  /** The last error an operation raised (an engine invariant, a handler crash), if any. */
  get error(): unknown {
    return this.errorValue;
  }

  /**
   * Subscribes to changes of anything the dashboard shows (snapshot, pause, speed, log). Returns the
   * unsubscribe. Called once per operation, not per tick, so a fast run repaints once per advanceWall.
   *
   * @example const off = controller.onChange(() => setVersion((v) => v + 1));
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Log lines up to the cursor's tick, oldest first, optionally only those containing `filter`
   * (case-insensitive), at most `limit` of the newest.
   *
   * @example controller.logLines('shard-1', 20)
   */
  logLines(filter?: string, limit = this.logSize): LogLine[] {
    const needle = filter?.toLowerCase();
    const out: LogLine[] = [];
    const log = this.readPast(this.logTrimmed, this.log, this.pastLog) ? this.pastLog : this.log;
    for (let i = log.length - 1; i >= 0 && out.length < limit; i--) {
      const line = log[i];
      if (line.tick > this.cursorTick) continue;
      if (needle && !line.text.toLowerCase().includes(needle)) continue;
      out.push(line);
    }
    return out.reverse();
  }

  /**
   * Whether the cursor's lines are read from the re-run's log: when the run's log has lost its oldest
   * lines, the re-run's reaches further back, and it is complete up to the cursor.
   */
  private readPast(trimmed: boolean, log: ReadonlyArray<{ tick: number }>, past: ReadonlyArray<{ tick: number }>): boolean {
    if (!trimmed || this.cursorTick > this.pastLogUntil || past.length === 0) return false;
    return log.length === 0 || past[0].tick < log[0].tick;
  }

  /**
   * The handlers' CloudWatch lines up to the cursor's tick, oldest first: only function `fn`'s and only
   * invocation `requestId`'s when given, at most `limit` of the newest.
   *
   * @example controller.handlerLogs({ fn: 'processor' }, 200)
   */
  handlerLogs(only: { fn?: string; requestId?: string } = {}, limit = HANDLER_LOG_SIZE): HandlerLogLine[] {
    const out: HandlerLogLine[] = [];
    const log = this.readPast(this.handlerLogTrimmed, this.handlerLog, this.pastHandlerLog) ? this.pastHandlerLog : this.handlerLog;
    for (let i = log.length - 1; i >= 0 && out.length < limit; i--) {
      const line = log[i];
      if (line.tick > this.cursorTick) continue;
      if (only.fn !== undefined && line.fn !== only.fn) continue;
      if (only.requestId !== undefined && line.requestId !== only.requestId) continue;
      out.push(line);
    }
    return out.reverse();
  }

  /**
   * The run's metrics (src/engine/metrics.ts), sampled at every tick up to the newest; read them up to
   * the cursor's time.
   *
   * @example controller.metrics.read('function/processor/Errors', controller.snapshot.t)
   */
  get metrics(): MetricsReader {
    return this.metricsRing;
  }

  /** Waits for every queued operation (tests and scripted runs). */
  idle(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  pause(): void {
    this.setPaused(true);
  }

  resume(): void {
    this.setPaused(false);
  }

  togglePause(): void {
    this.setPaused(!this.pausedFlag);
  }

  /**
   * Sets the speed, snapped to the nearest of SPEEDS.
   *
   * @example controller.setSpeed(7) // speed 5
   */
  setSpeed(speed: number): void {
    const next = nearestSpeed(speed);
    if (next === this.speedValue) return;
    this.speedValue = next;
    this.carryMs = 0;
    this.owedMs = 0;
    this.pace = [];
    this.changed();
  }

  /** The next speed up (the `+` key). */
  faster(): void {
    this.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(this.speedValue) + 1)]);
  }

  /** The next speed down (the `-` key). */
  slower(): void {
    this.setSpeed(SPEEDS[Math.max(0, SPEEDS.indexOf(this.speedValue) - 1)]);
  }

  /**
   * Moves on by `speed x wallMs` of simulated time in whole ticks, carrying the remainder to the next
   * call; does nothing while paused. Resolves to the number of ticks advanced.
   *
   * Without `budget` this is deterministic (scripted runs, with virtual time): exactly the ticks the
   * time asks for, up to MAX_TICKS_PER_ADVANCE. With a `budget` (the live shell) it stops once
   * `budget.ms` of wall time have gone on work, checked between ticks (a run that never returns starves
   * the keys and signals), and owes the ticks it could not reach to the next calls, up to CATCH_UP_MS of
   * wall time's worth; beyond that they are dropped (a backlog that cannot be met would only grow), and
   * the speed actually reached is then `achievedSpeed`. A pause forgets what is owed.
   *
   * @example await controller.advanceWall(66) // at x10 and 100 ms ticks: 6 ticks, 60 ms carried
   * @example await controller.advanceWall(66, { ms: 35 }) // live: at most ~35 ms of work
   */
  advanceWall(wallMs: number, budget?: WallBudget): Promise<number> {
    return this.enqueue(async () => {
      if (this.pausedFlag || !(wallMs > 0)) return 0;
      this.advancing = true;
      try {
        return await this.advanceTicks(wallMs, budget);
      } finally {
        this.advancing = false;
      }
    });
  }

  private async advanceTicks(wallMs: number, budget?: WallBudget): Promise<number> {
    this.carryMs += wallMs * this.speedValue;
    let ticks = Math.floor(this.carryMs / this.model.tickMs);
    this.carryMs -= ticks * this.model.tickMs;
    if (ticks > MAX_TICKS_PER_ADVANCE) {
      ticks = MAX_TICKS_PER_ADVANCE;
      this.carryMs = 0;
      this.owedMs = 0;
    }
    let done = 0;
    if (budget) {
      const owedTicks = Math.floor(this.owedMs / this.model.tickMs);
      this.owedMs -= owedTicks * this.model.tickMs;
      ticks += owedTicks;
      const now = budget.now ?? (() => performance.now());
      const start = now();
      while (done < ticks) {
        await this.forward();
        done++;
        if (this.reachedPauseAt()) break;
        // A pause (space) that came in between two ticks stops the advance here, on the tick it shows.
        if (this.pausedFlag) break;
        if (now() - start >= budget.ms) break;
      }
      const owedMs = this.owedMs + (ticks - done) * this.model.tickMs;
      const capMs = CATCH_UP_MS * this.speedValue;
      this.owedMs = this.pausedFlag ? 0 : Math.min(owedMs, capMs);
      if (!this.pausedFlag) this.notePace(wallMs, (done * this.model.tickMs) / this.speedValue, owedMs > capMs);
    } else {
      for (; done < ticks; done++) {
        await this.forward();
        if (this.reachedPauseAt()) {
          done++;
          break;
        }
      }
    }
    // Also after a pause that came in during the advance: the header now says paused (pauseSettled).
    if (done > 0 || this.pausedFlag) this.changed();
    return done;
  }

  /**
   * The speed the live run actually reaches, when it falls short of `speed` (ticks were dropped in the
   * last second of wall time: owed beyond CATCH_UP_MS); undefined while it keeps up or catches up, and in
   * deterministic runs.
   *
   * @example controller.achievedSpeed // 37 at x200 on a heavy scenario
   */
  get achievedSpeed(): number | undefined {
    const pace = this.pace;
    if (!pace.some((p) => p.dropped)) return undefined;
    const wall = pace.reduce((sum, p) => sum + p.wallMs, 0);
    const sim = pace.reduce((sum, p) => sum + p.doneWallMs, 0);
    if (!(wall > 0)) return undefined;
    const achieved = (sim / wall) * this.speedValue;
    return achieved < this.speedValue * 0.9 ? achieved : undefined;
  }

  /** Pauses (once) when the cursor has reached pauseAtMs; true when it just did. */
  private reachedPauseAt(): boolean {
    if (this.pauseAtMs === undefined || this.pauseAtDone || this.snapshot.t < this.pauseAtMs) return false;
    this.pauseAtDone = true;
    this.atEndPause = true;
    this.pausedFlag = true;
    this.carryMs = 0;
    this.owedMs = 0;
    this.pace = [];
    return true;
  }

  private notePace(wallMs: number, doneWallMs: number, dropped: boolean): void {
    this.pace.push({ wallMs, doneWallMs, dropped });
    let total = this.pace.reduce((sum, p) => sum + p.wallMs, 0);
    while (this.pace.length > 1 && total - this.pace[0].wallMs >= PACE_WINDOW_MS) total -= this.pace.shift()!.wallMs;
  }

  /**
   * Steps one tick forward (the `n` key) and pauses: from history while the cursor is in the past,
   * else by running the simulation.
   *
   * @example await controller.step(); controller.snapshot.tick // one more
   */
  step(): Promise<void> {
    return this.enqueue(async () => {
      this.pausedFlag = true;
      this.atEndPause = false;
      await this.forward();
      this.changed();
    });
  }

  /**
   * Steps one tick back (the `b` key) and pauses. Within the history ring this is instant; past it,
   * the scenario re-runs from t=0 with its seed and recorded inputs to the previous tick.
   *
   * @example await controller.back();
   */
  back(): Promise<void> {
    return this.enqueue(async () => {
      this.pausedFlag = true;
      this.atEndPause = false;
      if (this.cursorTick === 0) {
        this.changed();
        return;
      }
      const target = this.cursorTick - 1;
      if (this.stateAt(target)) this.cursorTick = target;
      else await this.runSimTo(target);
      this.changed();
    });
  }

  /**
   * Goes to `tick` (forward by running, back from history or by re-running). Used by scripted runs
   * and tests; the keys only ever move one tick.
   *
   * @example await controller.seek(0)
   */
  seek(tick: number): Promise<void> {
    return this.enqueue(async () => {
      this.atEndPause = false;
      const target = Math.max(0, Math.floor(tick));
      if (target <= this.frontier && this.stateAt(target)) this.cursorTick = target;
      else await this.runSimTo(target);
      this.changed();
    });
  }

  /**
   * Goes to simulated time `ms` (rounded to its tick) and pauses: the `:` key.
   *
   * @example await controller.seekTime(5_000) // 0:05
   */
  seekTime(ms: number): Promise<void> {
    this.pausedFlag = true;
    return this.seek(Math.round(Math.max(0, ms) / this.model.tickMs));
  }

  /**
   * Goes to the next (`direction` 1) or previous (-1) notable event from the cursor, optionally only
   * events whose line contains `needle`, and pauses. Forward past the newest one, the run goes on (in
   * slices, so keys still work) until the next notable event happens or the scenario's duration is
   * reached. Resolves to the event landed on, if any.
   *
   * @example await controller.jumpNotable(1) // the first failure of kinesis-error: its bisect
   */
  jumpNotable(direction: 1 | -1, needle?: string): Promise<NotableEvent | undefined> {
    return this.enqueue(async () => {
      this.pausedFlag = true;
      this.atEndPause = false;
      const matches = (e: NotableEvent) => needle === undefined || e.text.toLowerCase().includes(needle.toLowerCase());
      const from = this.cursorTick;
      const list = this.notableList;
      let found: NotableEvent | undefined;
      if (direction < 0) {
        for (let i = list.length - 1; i >= 0 && !found; i--) if (list[i].tick < from && matches(list[i])) found = list[i];
      } else {
        found = list.find((e) => e.tick > from && matches(e));
        if (!found) {
          if (this.simTick !== this.frontier) await this.runSimTo(this.frontier);
          this.cursorTick = this.simTick;
          // Up to the end of the scenario and no further: a run already past it (space ran on) stays put.
          const limit = Math.max(this.model.durationMs, this.sim.state.t);
          const slice = new Slice();
          while (!found && this.sim.state.t < limit) {
            const before = this.notableList.length;
            await this.runTick();
            this.cursorTick = this.simTick;
            for (let i = before; i < this.notableList.length && !found; i++) if (matches(this.notableList[i])) found = this.notableList[i];
            if (slice.due()) await slice.yield();
          }
        }
      }
      if (found) {
        const target = found.tick;
        if (target <= this.frontier && this.stateAt(target)) this.cursorTick = target;
        else await this.runSimTo(target);
      }
      this.changed();
      return found;
    });
  }

  /**
   * Starts the scenario again from t=0 with the same seed; recorded inputs and the log are cleared.
   * Pause and speed stay as they are.
   *
   * @example await controller.restart();
   */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.recorded = [];
      this.keyframes.clear();
      this.notableFrames.clear();
      this.notableList = [];
      this.stepsAt = [];
      this.spacing = KEYFRAME_EVERY;
      this.pauseAtDone = false;
      this.atEndPause = false;
      this.checkpointEvery = this.baseCheckpointEvery;
      this.fresh();
      this.changed();
    });
  }

  /**
   * Injects a fault at the cursor's tick and records it as an input. In the past, the recorded inputs
   * after the cursor are dropped and the run continues from there with the new fault: a new future.
   * Resolves to the fault as the engine holds it (with its index).
   *
   * @example await controller.injectFault({ function: 'processor', kind: 'throttle', rate: 1, fromMs: 0, untilMs: 10_000, addMs: 0 });
   */
  injectFault(fault: Omit<FaultModel, 'index'>): Promise<FaultModel> {
    return this.enqueue(async () => {
      const injected = await this.injectAtCursor(() => fault);
      this.changed();
      return injected;
    });
  }

  /**
   * Injects one of the fault menu's faults at the cursor (see FaultPreset). Poisoning needs traffic that
   * reaches the function; without any it rejects with an Error saying so.
   *
   * @example await controller.injectPreset({ kind: 'poison', fn: 'processor' });
   */
  injectPreset(preset: FaultPreset): Promise<FaultModel> {
    return this.enqueue(async () => {
      const injected = await this.injectAtCursor(() => this.presetFault(preset));
      this.changed();
      return injected;
    });
  }

  /**
   * The AWS-shaped JSON a module shows for a key (an in-flight invocation's event, a queued message).
   *
   * @example controller.inspect('sync', requestId)
   */
  inspect(module: string, key: string): unknown {
    return this.sim.inspect(module, key);
  }

  /**
   * What the handler of the invocation an `invoke.start` names received, while the module that invoked it
   * keeps it (the Log pane's enter): a stream batch's records with its shard and the consumer's
   * checkpoint then (`batch`), an SQS batch's messages, an asynchronous event, a caller's request, a
   * Firehose batch or a Step Functions task's input. Undefined once the module no longer keeps it.
   *
   * @example controller.invocation(start)?.event // { Records: [...] }
   */
  invocation(start: Extract<TraceEvent, { type: 'invoke.start' }>): { event: unknown; batch?: Record<string, unknown> } | undefined {
    if (start.trigger === 'esm' && start.shard) {
      const found = this.sim.inspect('stream', start.requestId) as ({ event: unknown } & Record<string, unknown>) | undefined;
      if (found === undefined) return undefined;
      const { event, ...batch } = found;
      return { batch, event };
    }
    const tries: Array<[string, string | undefined]> =
      start.trigger === 'esm'
        ? [['sqs', start.batchId]]
        : start.trigger === 'async'
          ? [['async', start.requestId]]
          : [
              ['sync', start.requestId],
              ['firehose', start.requestId],
              ['stepfunctions', start.requestId],
            ];
    for (const [module, key] of tries) {
      const event = key === undefined ? undefined : this.sim.inspect(module, key);
      if (event !== undefined) return { event };
    }
    return undefined;
  }

  private presetFault(preset: FaultPreset): Omit<FaultModel, 'index'> {
    const now = this.sim.state.t;
    const base = { function: preset.fn, rate: 1, fromMs: now, untilMs: FOREVER_MS, addMs: 0 };
    if (preset.kind === 'throttle') return { ...base, kind: 'throttle', untilMs: now + preset.forMs };
    if (preset.kind === 'serviceError') return { ...base, kind: 'serviceError', untilMs: now + preset.forMs };
    if (preset.kind === 'failNext') return { ...base, kind: 'error', count: Math.max(1, Math.floor(preset.count)) };
    const traffic = feedingTraffic(this.model, preset.fn);
    const next = traffic === undefined ? undefined : this.sim.upcomingIndex(traffic);
    if (traffic === undefined || next === undefined) throw new Error(`no more traffic reaches ${preset.fn}: nothing to poison`);
    // A poison pill fails every invocation that holds it, for as long as it is retried (DESIGN, FaultSpec match).
    return { ...base, kind: 'error', match: { traffic, index: [next] } };
  }

  private async injectAtCursor(make: () => Omit<FaultModel, 'index'>): Promise<FaultModel> {
    if (this.inPast) {
      const at = this.cursorTick;
      this.recorded = this.recorded.filter((input) => input.tick <= at);
      // A new future: what was kept of the old one after the cursor no longer happens.
      for (const tick of [...this.keyframes.keys()]) if (tick > at) this.keyframes.delete(tick);
      for (const tick of [...this.notableFrames.keys()]) if (tick > at) this.notableFrames.delete(tick);
      for (const tick of [...this.checkpoints.keys()]) if (tick > at) this.dropCheckpoint(tick);
      this.notableList = this.notableList.filter((e) => e.tick <= at);
      this.stepsAt = this.stepsAt.map((reached) => (reached !== undefined && reached <= at ? reached : undefined));
      await this.runSimTo(at);
      this.newFuture(at);
    } else if (this.simTick !== this.cursorTick) await this.runSimTo(this.cursorTick);
    const fault = make();
    const injected = this.sim.injectFault(fault);
    this.recorded.push({ tick: this.simTick, fault });
    this.applied = this.recorded.length;
    this.ring[this.ring.length - 1] = this.sim.state;
    return injected;
  }

  private setPaused(paused: boolean): void {
    if (paused === this.pausedFlag) return;
    this.pausedFlag = paused;
    this.atEndPause = false;
    this.carryMs = 0;
    this.owedMs = 0;
    this.pace = [];
    this.changed();
  }

  /** A new simulation at t=0 (same seed), with fresh history, log and checkpoints. */
  private fresh(): void {
    this.lines = new TraceLines((shardId) => shardLabelIn(this.sim.state, shardId));
    this.metricsRing = new MetricsRing(this.model.tickMs);
    this.handlerLog = [];
    this.handlerLogSeq = 0;
    this.sim = createSimulation(this.model, { ...this.simOptions, onTrace: (event) => this.onTrace(event) });
    this.metricsRing.sample(this.sim.state);
    this.ring = [];
    this.log = [];
    this.pastLog = [];
    this.pastHandlerLog = [];
    this.logTrimmed = false;
    this.handlerLogTrimmed = false;
    this.pastLogUntil = -1;
    this.applied = 0;
    this.carryMs = 0;
    this.owedMs = 0;
    this.frontier = 0;
    this.checkpoints.clear();
    this.checkpointBytes = 0;
    this.pushHead();
    this.takeCheckpoint();
    this.cursorTick = 0;
  }

  /** Every trace event of the simulation: to the log lines, and (new ticks only) the metrics. */
  private onTrace(event: TraceEvent): void {
    const tick = Math.round(event.t / this.model.tickMs);
    this.lines.push(event, tick);
    if (this.replaying) {
      if (event.type === 'log') this.pastHandlerLog.push(this.handlerLine(event, tick));
      return;
    }
    this.metricsRing.observe(event);
    if (event.type === 'log') this.handlerLog.push(this.handlerLine(event, tick));
  }

  private handlerLine(event: Extract<TraceEvent, { type: 'log' }>, tick: number): HandlerLogLine {
    return { seq: this.handlerLogSeq++, tick, t: event.t, fn: event.fn, requestId: event.requestId, logStream: event.logStream, line: event.line };
  }

  /** Keeps a checkpoint of the simulation where it stands (see CHECKPOINT_EVERY); thins them past the bounds. */
  private takeCheckpoint(): void {
    const tick = this.simTick;
    if (this.checkpoints.has(tick)) return;
    const sim = this.sim.checkpoint();
    const lines = cloneGraph(this.lines);
    const logTail = (this.replaying ? this.pastLog : this.log).slice(-CHECKPOINT_LOG_TAIL);
    const handlerTail = (this.replaying ? this.pastHandlerLog : this.handlerLog).slice(-CHECKPOINT_LOG_TAIL);
    // Lines are shared with the log (never changed); only the arrays holding them are the checkpoint's.
    // What cloneGraph counted while copying: walking each copy again was 4% of a run's CPU at x100.
    const counted = (copy: unknown) => copiedBytes(copy) ?? approximateBytes(copy);
    const bytes = counted(sim.graph) + sim.records.n * 5 + counted(lines) + 8 * (logTail.length + handlerTail.length);
    this.checkpoints.set(tick, { sim, lines, logTail, handlerTail, handlerLogSeq: this.handlerLogSeq, applied: this.applied, bytes });
    this.checkpointBytes += bytes;
    while (this.checkpoints.size > this.maxCheckpoints || (this.checkpointBytes > CHECKPOINT_BUDGET_BYTES && this.checkpoints.size > 2)) {
      this.checkpointEvery *= 2;
      for (const at of [...this.checkpoints.keys()]) if (at % this.checkpointEvery !== 0) this.dropCheckpoint(at);
    }
  }

  private dropCheckpoint(tick: number): void {
    const cp = this.checkpoints.get(tick);
    if (!cp || tick === 0) return;
    this.checkpointBytes -= cp.bytes;
    this.checkpoints.delete(tick);
  }

  /** The newest checkpoint at or before `tick`. */
  private checkpointBefore(tick: number): ControllerCheckpoint {
    let best: ControllerCheckpoint = this.checkpoints.get(0)!;
    for (const [at, cp] of this.checkpoints) if (at <= tick && at > best.sim.tick) best = cp;
    return best;
  }

  /** Puts the simulation back at checkpoint `cp`: a new Simulation restored from it, the log's tail with it. */
  private restore(cp: ControllerCheckpoint): void {
    this.sim = restoreSimulation(this.model, cp.sim, { ...this.simOptions, onTrace: (event) => this.onTrace(event) });
    this.lines = cloneGraph(cp.lines);
    this.pastLog = [...cp.logTail];
    this.pastHandlerLog = [...cp.handlerTail];
    this.handlerLogSeq = cp.handlerLogSeq;
    this.applied = cp.applied;
    this.pastLogUntil = cp.sim.tick;
    this.ring = [this.sim.state];
    this.applyDueInputs();
  }

  /**
   * Brings the simulation to `tick` and puts the cursor there: forward from where it stands when that is
   * nearest, else from the newest checkpoint at or before `tick` (at most checkpointSpacing ticks of
   * re-run up to the frontier). Runs in slices that let keys and repaints in; past the frontier it goes on
   * as a live run would.
   */
  private async runSimTo(tick: number): Promise<void> {
    const cp = this.checkpointBefore(tick);
    const here = this.simTick;
    this.seekingTo = tick;
    try {
      if (!(here <= tick && here >= cp.sim.tick)) {
        this.restore(cp);
        // Restoring is the heavy part: let keys, signals and timers in before the re-run (a timer turn,
        // since one setImmediate can run before the poll phase that reads keys).
        this.changed();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const slice = new Slice();
      while (this.simTick < tick) {
        // Past the frontier the cursor goes along (as a live run's does), so the history trims behind it.
        const live = this.simTick >= this.frontier;
        await this.runTick();
        if (live) this.cursorTick = this.simTick;
        if (slice.due()) {
          this.changed();
          await slice.yield();
        }
      }
    } finally {
      this.seekingTo = undefined;
    }
    this.cursorTick = tick;
  }

  /**
   * Makes the simulation's tick the frontier of a new future (a fault injected in the past): what the old
   * future left after it goes (log lines, metrics), and the log reads on from the re-run's lines.
   */
  private newFuture(at: number): void {
    this.frontier = at;
    const keep = (log: LogLine[]) => log.filter((line) => line.tick <= at);
    this.log = keep(this.readPast(this.logTrimmed, this.log, this.pastLog) ? this.pastLog : this.log);
    const handlerLog = this.readPast(this.handlerLogTrimmed, this.handlerLog, this.pastHandlerLog) ? this.pastHandlerLog : this.handlerLog;
    this.handlerLog = handlerLog.filter((line) => line.tick <= at);
    this.metricsRing.truncate(at * this.model.tickMs);
    this.metricsRing.sample(this.sim.state);
  }

  /** One tick forward: from kept snapshots while in the past, else by running the simulation. */
  private async forward(): Promise<void> {
    if (this.cursorTick < this.frontier) {
      const next = this.cursorTick + 1;
      if (this.simTick === this.cursorTick) {
        await this.runTick();
        this.cursorTick = next;
      } else if (this.stateAt(next)) this.cursorTick = next;
      else await this.runSimTo(next);
      return;
    }
    if (this.simTick !== this.frontier) await this.runSimTo(this.frontier);
    await this.runTick();
    this.cursorTick = this.simTick;
  }

  private async runTick(): Promise<void> {
    // A tick up to the frontier was run before: its lines and metrics are known already.
    this.replaying = this.simTick + 1 <= this.frontier;
    await this.sim.step();
    const tick = this.sim.state.tick;
    const replaying = this.replaying;
    const known = replaying || (this.notableList.length > 0 && this.notableList[this.notableList.length - 1].tick >= tick);
    let notable = false;
    for (const line of this.lines.flush(this.sim.state.t, tick)) {
      if (replaying) this.pastLog.push(line);
      else this.log.push(line);
      for (let i = 0; i < this.steps.length; i++) {
        const at = this.stepsAt[i];
        if ((at === undefined || at > tick) && reaches(this.steps[i], line)) this.stepsAt[i] = tick;
      }
      const kind = notableKind(line);
      if (kind === undefined) continue;
      notable = true;
      // A re-run meets the same events again: they are already listed.
      if (known) continue;
      const last = this.notableList[this.notableList.length - 1];
      if (last && last.tick === tick && last.kind === kind) continue;
      this.notableList.push({ tick, t: line.t, kind, text: line.text });
    }
    if (this.notableList.length > MAX_NOTABLE) this.notableList.splice(0, this.notableList.length - MAX_NOTABLE);
    if (this.log.length > this.logSize) {
      this.log.splice(0, this.log.length - this.logSize);
      this.logTrimmed = true;
    }
    if (this.pastLog.length > this.logSize) this.pastLog.splice(0, this.pastLog.length - this.logSize);
    if (this.handlerLog.length > HANDLER_LOG_SIZE + HANDLER_LOG_SIZE / 4) {
      this.handlerLog.splice(0, this.handlerLog.length - HANDLER_LOG_SIZE);
      this.handlerLogTrimmed = true;
    }
    if (this.pastHandlerLog.length > HANDLER_LOG_SIZE + HANDLER_LOG_SIZE / 4) this.pastHandlerLog.splice(0, this.pastHandlerLog.length - HANDLER_LOG_SIZE);
    if (replaying) this.pastLogUntil = tick;
    else this.metricsRing.sample(this.sim.state);
    this.pushHead();
    this.keepFrame(notable);
    if (tick > this.frontier) this.frontier = tick;
    if (tick % this.checkpointEvery === 0) this.takeCheckpoint();
    this.replaying = false;
  }

  /** Keeps the head's snapshot as a keyframe or a notable frame when it is one; thins them when too many. */
  private keepFrame(notable: boolean): void {
    const state = this.sim.state;
    if (notable) {
      this.notableFrames.set(state.tick, state);
      if (this.notableFrames.size > MAX_NOTABLE_FRAMES) this.notableFrames.delete(this.notableFrames.keys().next().value!);
    }
    if (state.tick % this.spacing !== 0) return;
    this.keyframes.set(state.tick, state);
    if (this.keyframes.size <= this.maxKeyframes) return;
    this.spacing *= 2;
    for (const tick of [...this.keyframes.keys()]) if (tick % this.spacing !== 0) this.keyframes.delete(tick);
  }

  /** Applies the inputs recorded for the simulation's current tick, then records its snapshot. */
  private pushHead(): void {
    this.applyDueInputs();
    this.ring.push(this.sim.state);
    // The ring is trimmed to historySize, but never past the tick the cursor stands on.
    while (this.ring.length > this.historySize && this.ring[0].tick < this.cursorTick) this.ring.shift();
  }

  private applyDueInputs(): void {
    const tick = this.sim.state.tick;
    let appliedAny = false;
    while (this.applied < this.recorded.length && this.recorded[this.applied].tick <= tick) {
      this.sim.injectFault(this.recorded[this.applied].fault);
      this.applied++;
      appliedAny = true;
    }
    if (appliedAny && this.ring.length > 0 && this.ring[this.ring.length - 1].tick === tick) {
      this.ring[this.ring.length - 1] = this.sim.state;
    }
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op, op);
    this.queue = result.catch((error: unknown) => {
      this.errorValue = error;
      this.changed();
    });
    return result;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** One turn of the event loop, so that keys, signals and repaints get in between slices of work. */
function yieldToKeys(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The speed in SPEEDS nearest to `speed` (by ratio, so 7 snaps to 5 and 8 to 10).
 *
 * @example nearestSpeed(7) // 5
 */
export function nearestSpeed(speed: number): number {
  if (!(speed > 0)) return SPEEDS[0];
  let best = SPEEDS[0];
  for (const s of SPEEDS) if (Math.abs(Math.log(s / speed)) < Math.abs(Math.log(best / speed))) best = s;
  return best;
}
