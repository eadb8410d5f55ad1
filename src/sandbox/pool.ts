/**
 * The handler sandbox (docs/sandbox.md): a HandlerPort that runs real handler code in a small pool of
 * worker threads, so that the engine, the dashboard and the keyboard stay responsive whatever a handler
 * does. Each execution environment lives on one worker (placed round-robin when it is created), as its
 * own module instance. A batch of calls goes to each worker as one message.
 *
 * The wall clock appears here and nowhere in the engine, as a safety net only: a worker that has not
 * answered a batch within its limit (the longest function timeout in it, at least MIN_GUARD_MS) is asked
 * to give up on what has not settled; a worker too busy to answer (a CPU loop) is stopped. Those calls
 * are reported `hung`, and the engine turns them into Sandbox.Timedout at their simulated timeout.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { HandlerCall, HandlerOutcome, HandlerPort, HandlerReply } from '../engine/lambda/handler-port.js';
import type { HandlerSource, Model } from '../scenario/model.js';
import type { FromWorker, ToWorker, WorkerData } from './worker.js';

/** The least wall time a batch may take before its unsettled calls are reported hung. */
export const MIN_GUARD_MS = 3_000;
/**
 * Code that holds a worker without using CPU (Atomics.wait, a blocking read) is judged hung after this many
 * times the limit in wall time (CPU-bound code after 80% of the limit in CPU time; see sendOn).
 */
export const STALLED_GUARD_FACTOR = 5;

/**
 * Below this share of the time between two looks of the guard, the process is taken to compute nothing:
 * a stalled worker is then blocked (Atomics.wait), not starved, and the wall-time rule may stop it.
 */
export const BLOCKED_CPU_SHARE = 0.05;
/** How long a worker asked to give up may take to answer before it is stopped. */
export const ABANDON_GRACE_MS = 250;

export interface SandboxOptions {
  /** Worker threads; default: one per core beyond the first, between 1 and 4. */
  workers?: number;
  /** The workers' heap limit in MB; default: the largest memorySize of the model's functions (at least 128). */
  memoryMb?: number;
  /** Lower bound of the wall-clock limit; default MIN_GUARD_MS. */
  minGuardMs?: number;
  /** A fixed wall-clock limit instead of the function's timeout (tests). */
  guardMs?: number;
}

/** Sandbox.measuredMemory: per function, over the invocations that ran real code to an outcome. */
export interface MemoryMeasured {
  invocations: number;
  /** The largest growth of a worker's JavaScript heap during one invocation, in MB. */
  maxHeapGrowthMb: number;
  /** The largest JavaScript heap in use of a worker (shared by its environments) at an invocation's end, in MB. */
  maxWorkerHeapMb: number;
}

interface PoolWorker {
  worker: Worker;
  slot: Int32Array;
  /** Environments placed on this worker. */
  envs: Set<string>;
  dead: boolean;
  /** Resolves once the worker has loaded (its module loader takes a while); the guard starts after it. */
  ready: Promise<boolean>;
  /** The batch in flight and how it ends. */
  onMessage?: (message: FromWorker) => void;
  onDeath?: (error?: unknown) => void;
}

/** Defined (true) in the bundled CLI only (scripts/bundle.mjs). */
declare const LAMBDA_TUI_BUNDLED: boolean | undefined;

/**
 * The worker's entry: in the bundled CLI its own bundle entry (dist/bundle/sandbox-worker.js); otherwise
 * the built file beside this one; from source (vitest, which builds dist/ before the suite) the built one
 * in dist/, since Node 20 cannot run a .ts worker by itself.
 */
function workerEntry(): URL {
  // In the bundle, import.meta.url is this module's dist/sandbox/pool.js (scripts/bundle.mjs).
  if (typeof LAMBDA_TUI_BUNDLED !== 'undefined') return new URL('../bundle/sandbox-worker.js', import.meta.url);
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../dist/sandbox/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('lambda-tui: the sandbox worker is not built; run `npm run build`');
}

/**
 * Creates the sandbox for a model loaded from a scenario file. No worker starts until the first batch,
 * so a scenario without real handlers pays nothing.
 *
 * @example
 * const sandbox = createSandbox(model);
 * const sim = createSimulation(model, { handlers: sandbox });
 * await sim.run();
 * await sandbox.close();
 */
export function createSandbox(model: Model, options: SandboxOptions = {}): Sandbox {
  return new Sandbox(model, options);
}

/** Whether any function of a model loaded from a scenario file has real code for the sandbox. */
export function hasHandlerCode(model: Model): boolean {
  return Object.values(model.functions).some((fn) => fn.handlerSource || Object.values(fn.versions).some((v) => v.handlerSource));
}

/** The sandbox a model needs: none when no function has real code from a scenario file. */
export function sandboxFor(model: Model, options?: SandboxOptions): Sandbox | undefined {
  if (!hasHandlerCode(model)) return undefined;
  const sandbox = new Sandbox(model, options);
  // A worker takes a while to load its module loader: start now, beside the dashboard's own start.
  sandbox.warm();
  return sandbox;
}

export class Sandbox implements HandlerPort {
  private readonly sources: Record<string, HandlerSource> = {};
  private readonly workers: Array<PoolWorker | undefined>;
  private readonly envWorker = new Map<string, number>();
  private readonly memoryMb: number;
  private readonly minGuardMs: number;
  private readonly fixedGuardMs?: number;
  private nextWorker = 0;
  private nextBatch = 1;
  private closed = false;
  /** Per worker slot, the end of the batch in flight: one batch at a time per worker (see `exclusive`). */
  private readonly tails: Array<Promise<void> | undefined> = [];
  /** Open sessions by their environment-id prefix (see `session`). */
  private readonly sessions = new Map<string, SandboxSession>();
  private nextSession = 1;
  /** Batches sent to workers so far (tests and the bench read it). */
  batches = 0;
  /** Calls run so far. */
  calls = 0;
  /** Sandboxes made in this thread since it started (tests: one pool per sweep). */
  static created = 0;
  private readonly memory = new Map<string, MemoryMeasured>();

  constructor(model: Model, options: SandboxOptions = {}) {
    for (const fn of Object.values(model.functions)) {
      if (fn.handlerSource) this.sources[fn.name] = fn.handlerSource;
      for (const [version, v] of Object.entries(fn.versions)) if (v.handlerSource) this.sources[`${fn.name}@${version}`] = v.handlerSource;
    }
    const size = options.workers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    this.workers = new Array(Math.max(1, size)).fill(undefined);
    this.memoryMb = options.memoryMb ?? Math.max(128, ...Object.values(model.functions).map((fn) => fn.memorySize));
    Sandbox.created++;
    this.minGuardMs = options.minGuardMs ?? MIN_GUARD_MS;
    this.fixedGuardMs = options.guardMs;
  }

  /** Execution environments placed on workers now. */
  get environments(): number {
    return this.envWorker.size;
  }

  /** Worker threads running now (0 until the first batch). */
  get running(): number {
    return this.workers.filter((w) => w && !w.dead).length;
  }

  /**
   * A port of its own onto this pool, for one of several simulations that share it (a sweep's points):
   * its environment ids are kept apart from the other sessions' by a prefix, environments this pool loses
   * with a worker reach the session that owns them, and `close` frees every environment it still holds.
   *
   * @example
   * const pool = createSandbox(model);
   * const a = createSimulation(pointA, { handlers: pool.session() });
   * const b = createSimulation(pointB, { handlers: pool.session() });
   */
  session(): SandboxSession {
    const s = new SandboxSession(this, `s${this.nextSession++}/`);
    this.sessions.set(s.prefix, s);
    return s;
  }

  /** @internal A session closed: it no longer receives lost environments. */
  forget(session: SandboxSession): void {
    this.sessions.delete(session.prefix);
  }

  /** @internal Environments lost with a worker go to the sessions that own them; returns the ones of no session. */
  routeLost(lost: string[]): string[] {
    const rest: string[] = [];
    for (const envId of lost) {
      const cut = envId.indexOf('/');
      const owner = cut > 0 ? this.sessions.get(envId.slice(0, cut + 1)) : undefined;
      if (owner) owner.lostLater(envId);
      else rest.push(envId);
    }
    return rest;
  }

  async run(calls: HandlerCall[], discarded: string[]): Promise<HandlerReply> {
    const reply = await this.runRaw(calls, discarded);
    return this.sessions.size > 0 && reply.lost ? { outcomes: reply.outcomes, lost: this.routeLost(reply.lost) } : reply;
  }

  /** @internal `run` without routing lost environments to sessions (a session routes its own). */
  async runRaw(calls: HandlerCall[], discarded: string[]): Promise<HandlerReply> {
    if (this.closed) return { outcomes: calls.map(() => ({ kind: 'hung', logs: [] })) };
    const perWorker = new Map<number, { calls: HandlerCall[]; at: number[]; discard: string[] }>();
    const group = (w: number) => {
      let g = perWorker.get(w);
      if (!g) perWorker.set(w, (g = { calls: [], at: [], discard: [] }));
      return g;
    };
    for (const envId of discarded) {
      const w = this.envWorker.get(envId);
      if (w === undefined) continue;
      this.envWorker.delete(envId);
      this.workers[w]?.envs.delete(envId);
      group(w).discard.push(envId);
    }
    calls.forEach((call, i) => {
      let w = this.envWorker.get(call.envId);
      if (w === undefined) {
        w = this.nextWorker++ % this.workers.length;
        this.envWorker.set(call.envId, w);
      }
      const g = group(w);
      g.calls.push(call);
      g.at.push(i);
    });
    const outcomes = new Array<HandlerOutcome>(calls.length);
    const lost: string[] = [];
    this.calls += calls.length;
    try {
      await this.dispatch(perWorker, outcomes, lost);
    } finally {
      this.measure(calls, outcomes);
    }
    return { outcomes, lost };
  }

  /**
   * What the workers measured of the invocations' memory, by function (docs/sandbox.md, "Memory"):
   * machine- and run-dependent, so it is shown here (and by `npm run bench`), never in a trace, a REPORT
   * line or `--json`.
   */
  measuredMemory(): Record<string, MemoryMeasured> {
    return Object.fromEntries(this.memory);
  }

  private measure(calls: HandlerCall[], outcomes: HandlerOutcome[]): void {
    outcomes.forEach((o, k) => {
      if (!o || o.kind === 'hung' || !o.measured) return;
      const fn = calls[k].fn;
      const m = this.memory.get(fn) ?? { invocations: 0, maxHeapGrowthMb: 0, maxWorkerHeapMb: 0 };
      m.invocations++;
      m.maxHeapGrowthMb = Math.max(m.maxHeapGrowthMb, o.measured.heapGrowthBytes / 2 ** 20);
      m.maxWorkerHeapMb = Math.max(m.maxWorkerHeapMb, o.measured.workerHeapBytes / 2 ** 20);
      this.memory.set(fn, m);
    });
  }

  private async dispatch(
    perWorker: Map<number, { calls: HandlerCall[]; at: number[]; discard: string[] }>,
    outcomes: HandlerOutcome[],
    lost: string[],
  ): Promise<void> {
    await Promise.all(
      [...perWorker].map(async ([w, g]) => {
        // Only environments to free on a worker that is not running: nothing to do, they went with it.
        if (g.calls.length === 0 && (!this.workers[w] || this.workers[w]!.dead)) return;
        const reply = await this.runOn(w, g.calls, g.discard);
        reply.outcomes.forEach((o, k) => (outcomes[g.at[k]] = o));
        if (reply.lost) lost.push(...reply.lost);
      }),
    );
  }

  /** Starts every worker now rather than at the first batch. */
  warm(): void {
    if (this.closed) return;
    for (let w = 0; w < this.workers.length; w++) this.start(w);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(async (w) => {
        if (!w || w.dead) return;
        // A batch in flight ends now (its calls hung), so no guard timer outlives the sandbox.
        const death = w.onDeath;
        w.dead = true;
        death?.();
        await w.worker.terminate();
      }),
    );
  }

  private start(w: number): PoolWorker {
    const existing = this.workers[w];
    if (existing && !existing.dead) return existing;
    const slotBuffer = new SharedArrayBuffer(12);
    const slot = new Int32Array(slotBuffer);
    slot[0] = -1;
    const data: WorkerData = { sources: this.sources, slot: slotBuffer };
    const worker = new Worker(workerEntry(), {
      workerData: data,
      // Whatever the worker writes goes to its own streams, never the terminal; the console is patched too.
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
    });
    // A worker never keeps the process alive: a timer a handler left behind must not hang a headless run.
    worker.unref();
    worker.stdout.resume();
    worker.stderr.resume();
    let becameReady!: (ok: boolean) => void;
    const pw: PoolWorker = { worker, slot, envs: new Set(), dead: false, ready: new Promise((resolve) => (becameReady = resolve)) };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') becameReady(true);
      else pw.onMessage?.(message);
    });
    const died = (error?: unknown) => {
      if (pw.dead) return;
      pw.dead = true;
      becameReady(false);
      pw.onDeath?.(error);
    };
    worker.on('error', (e) => { if (process.env.LAMBDA_TUI_SANDBOX_DEBUG) process.stderr.write(`sandbox worker error: ${(e as Error)?.stack ?? String(e)}\n`); died(e); });
    worker.on('exit', () => died());
    this.workers[w] = pw;
    return pw;
  }

  /**
   * Runs one worker's share of a batch. A worker that dies or stops answering loses every environment
   * on it: the call whose code it was stuck in is hung, the calls whose code had not started run again
   * on a fresh worker, and the rest are hung too (their state went with the worker).
   */
  private async runOn(w: number, calls: HandlerCall[], discard: string[]): Promise<HandlerReply> {
    const sent = await this.exclusive(w, () => this.sendOn(w, calls, discard));
    return 'reply' in sent ? sent.reply : this.afterDeath(w, sent.pw, calls, sent.outOfMemory);
  }

  /**
   * Runs `send` once the batch in flight on worker slot w (if any) has ended: a worker runs one batch at
   * a time, so that several simulations sharing this pool (a sweep's points) each keep today's batch
   * semantics (the wall-clock guard, the stuck-call slot). A single simulation never waits here: it sends
   * its next batch only after the last one came back.
   */
  private async exclusive<T>(w: number, send: () => Promise<T>): Promise<T> {
    const before = this.tails[w];
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tails[w] = mine;
    if (before) await before;
    try {
      return await send();
    } finally {
      release();
      if (this.tails[w] === mine) this.tails[w] = undefined;
    }
  }

  /** Sends one batch to worker slot w: its reply, or how the worker died. */
  private async sendOn(w: number, calls: HandlerCall[], discard: string[]): Promise<{ reply: HandlerReply } | { pw: PoolWorker; outOfMemory: boolean }> {
    const pw = this.start(w);
    if (!(await pw.ready)) return { pw, outOfMemory: false };
    for (const call of calls) pw.envs.add(call.envId);
    const id = this.nextBatch++;
    this.batches++;
    const guardMs = this.fixedGuardMs ?? Math.max(this.minGuardMs, ...calls.map((c) => c.timeoutMs));
    return new Promise((resolve) => {
      let guard: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      const finish = (result: { reply: HandlerReply } | { pw: PoolWorker; outOfMemory: boolean }) => {
        clearTimeout(guard);
        clearTimeout(grace);
        pw.onMessage = undefined;
        pw.onDeath = undefined;
        resolve(result);
      };
      pw.onMessage = (message) => {
        if (message.type !== 'done' || message.id !== id) return;
        // A call the worker gave no outcome for is taken as hung (handler-runs.ts does the same): its
        // environment's module state cannot be trusted.
        for (const [k, o] of message.outcomes.entries()) if (!o || o.kind === 'hung' || o.discard) pw.envs.delete(calls[k].envId);
        for (const envId of message.lost) pw.envs.delete(envId);
        finish({ reply: { outcomes: message.outcomes, lost: message.lost } });
      };
      pw.onDeath = (error) => finish({ pw, outOfMemory: (error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY' });
      // The limit runs from the last progress (user code giving the thread back, a call settling), not
      // from the start of the batch: a batch of many calls on a loaded machine may take longer than one
      // call's limit in all without any call hanging, and judging it hung would make the trace depend on
      // the machine's load.
      //
      // When the worker's event loop has stopped turning (its heartbeat did not move), synchronous code holds
      // it: a loop, or a slow init, or a machine too busy to give the thread a core. Then the limit counts
      // the CPU time the process got since the last progress, not wall time, so that a starved worker is not
      // taken for a looping one (that too made traces depend on the load): at least 80% of the limit in CPU,
      // or STALLED_GUARD_FACTOR times the limit in wall time for code that blocks without computing
      // (Atomics.wait, a synchronous read of a pipe). That wall-time rule applies only while the process
      // computes next to nothing (under BLOCKED_CPU_SHARE of the interval between two looks): a worker that
      // a busy machine starves in the middle of its init still gets CPU now and then, and is left to the
      // CPU rule. A worker that waits on a promise which never settles keeps its heartbeat and is judged by
      // wall time.
      let seen = Atomics.load(pw.slot, 1);
      let beat = Atomics.load(pw.slot, 2);
      let cpuAtProgress = cpuMs();
      let cpuAtLook = cpuAtProgress;
      let wallAtProgress = Date.now();
      const arm = () => {
        guard = setTimeout(() => {
          const now = Atomics.load(pw.slot, 1);
          const heartbeat = Atomics.load(pw.slot, 2);
          const turning = heartbeat !== beat;
          beat = heartbeat;
          const cpu = cpuMs();
          const computing = cpu - cpuAtLook >= BLOCKED_CPU_SHARE * guardMs;
          cpuAtLook = cpu;
          if (now !== seen) {
            seen = now;
            cpuAtProgress = cpu;
            wallAtProgress = Date.now();
            arm();
            return;
          }
          if (!turning && cpu - cpuAtProgress < 0.8 * guardMs && (computing || Date.now() - wallAtProgress < STALLED_GUARD_FACTOR * guardMs)) {
            arm();
            return;
          }
          pw.worker.postMessage({ type: 'abandon', id } satisfies ToWorker);
          grace = setTimeout(() => {
            void pw.worker.terminate();
          }, ABANDON_GRACE_MS);
          grace.unref();
        }, guardMs);
        // The safety net never keeps the process alive by itself (a quit during a hang exits at once).
        guard.unref();
      };
      arm();
      pw.worker.postMessage({ type: 'run', id, calls, discard } satisfies ToWorker);
    });
  }

  private async afterDeath(w: number, pw: PoolWorker, calls: HandlerCall[], outOfMemory: boolean): Promise<HandlerReply> {
    const stuck = Atomics.load(pw.slot, 0);
    const lost = new Set(pw.envs);
    for (const envId of lost) if (this.envWorker.get(envId) === w) this.envWorker.delete(envId);
    // Another batch may already have started a fresh worker in this slot.
    if (this.workers[w] === pw) this.workers[w] = undefined;
    const outcomes = new Array<HandlerOutcome>(calls.length);
    const again: number[] = [];
    const dead = (call: HandlerCall): HandlerOutcome =>
      outOfMemory
        ? {
            kind: 'error',
            // The worker's heap limit is the largest memorySize of the scenario's functions (docs/sandbox.md).
            error: { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${call.requestId} Error: Runtime exited with error: signal: killed` },
            logs: [],
            discard: true,
          }
        : { kind: 'hung', logs: [], discard: true };
    calls.forEach((call, k) => {
      if (stuck >= 0 && k > stuck) again.push(k);
      else outcomes[k] = dead(call);
    });
    if (again.length > 0 && !this.closed) {
      // Their code never started: run them on a fresh worker, each in a new environment instance.
      const retry = again.map((k) => calls[k]);
      for (const call of retry) {
        this.envWorker.set(call.envId, w);
        lost.delete(call.envId);
      }
      const reply = await this.runOn(w, retry, []);
      reply.outcomes.forEach((o, j) => (outcomes[again[j]] = o));
      for (const envId of reply.lost ?? []) lost.add(envId);
    } else {
      for (const k of again) outcomes[k] = dead(calls[k]);
    }
    // A hung or crashed call's environment is discarded by the engine with it; the rest are lost.
    calls.forEach((call, k) => {
      if (outcomes[k].kind !== 'response' && outcomes[k].discard) lost.delete(call.envId);
    });
    return { outcomes, lost: [...lost] };
  }
}

/**
 * One simulation's port onto a shared Sandbox (Sandbox.session): its environment ids carry the session's
 * prefix inside the pool, and the environments the pool lost with a worker come back to it with its next
 * reply. `close` frees the environments it still holds (their module instances) and leaves the pool open.
 */
export class SandboxSession implements HandlerPort {
  /** Environments of this session the pool holds (pool ids). */
  private readonly held = new Set<string>();
  private readonly pending = new Set<string>();
  private closed = false;

  constructor(
    private readonly pool: Sandbox,
    readonly prefix: string,
  ) {}

  /** @internal The pool lost this environment (pool id) with a worker. */
  lostLater(envId: string): void {
    if (this.held.delete(envId)) this.pending.add(envId);
  }

  async run(calls: HandlerCall[], discarded: string[]): Promise<HandlerReply> {
    const p = this.prefix;
    const gone = discarded.map((envId) => p + envId);
    for (const envId of gone) this.held.delete(envId);
    const inPool = calls.map((call) => ({ ...call, envId: p + call.envId }));
    for (const call of inPool) this.held.add(call.envId);
    const reply = await this.pool.runRaw(inPool, gone);
    reply.outcomes.forEach((o, k) => {
      if (!o || o.kind === 'hung' || o.discard) this.held.delete(inPool[k].envId);
    });
    // The environments the pool lost in this batch reach their sessions (this one's come back below).
    this.pool.routeLost(reply.lost ?? []);
    const lost = [...this.pending].map((envId) => envId.slice(p.length));
    this.pending.clear();
    return lost.length > 0 ? { outcomes: reply.outcomes, lost } : { outcomes: reply.outcomes };
  }

  /** Frees this session's environments in the pool; the pool stays open for other sessions. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool.forget(this);
    const held = [...this.held];
    this.held.clear();
    if (held.length > 0) await this.pool.runRaw([], held);
  }
}

/** CPU time (user and system) of this process, all its threads, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
