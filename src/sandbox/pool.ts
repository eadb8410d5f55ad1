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
/** How long a worker asked to give up may take to answer before it is stopped. */
export const ABANDON_GRACE_MS = 250;

export interface SandboxOptions {
  /** Worker threads; default: one per core beyond the first, between 1 and 4. */
  workers?: number;
  /** Lower bound of the wall-clock limit; default MIN_GUARD_MS. */
  minGuardMs?: number;
  /** A fixed wall-clock limit instead of the function's timeout (tests). */
  guardMs?: number;
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

/** The sandbox a model needs: none when no function has real code from a scenario file. */
export function sandboxFor(model: Model, options?: SandboxOptions): Sandbox | undefined {
  if (!Object.values(model.functions).some((fn) => fn.handlerSource || Object.values(fn.versions).some((v) => v.handlerSource))) return undefined;
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

  constructor(model: Model, options: SandboxOptions = {}) {
    for (const fn of Object.values(model.functions)) {
      if (fn.handlerSource) this.sources[fn.name] = fn.handlerSource;
      for (const [version, v] of Object.entries(fn.versions)) if (v.handlerSource) this.sources[`${fn.name}@${version}`] = v.handlerSource;
    }
    const size = options.workers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
    this.workers = new Array(Math.max(1, size)).fill(undefined);
    this.memoryMb = Math.max(128, ...Object.values(model.functions).map((fn) => fn.memorySize));
    this.minGuardMs = options.minGuardMs ?? MIN_GUARD_MS;
    this.fixedGuardMs = options.guardMs;
  }

  /** Worker threads running now (0 until the first batch). */
  get running(): number {
    return this.workers.filter((w) => w && !w.dead).length;
  }

  async run(calls: HandlerCall[], discarded: string[]): Promise<HandlerReply> {
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
    await Promise.all(
      [...perWorker].map(async ([w, g]) => {
        const reply = await this.runOn(w, g.calls, g.discard);
        reply.outcomes.forEach((o, k) => (outcomes[g.at[k]] = o));
        if (reply.lost) lost.push(...reply.lost);
      }),
    );
    return { outcomes, lost };
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
    const slotBuffer = new SharedArrayBuffer(4);
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
    const pw = this.start(w);
    if (!(await pw.ready)) return this.afterDeath(w, pw, calls, false);
    for (const call of calls) pw.envs.add(call.envId);
    const id = this.nextBatch++;
    const guardMs = this.fixedGuardMs ?? Math.max(this.minGuardMs, ...calls.map((c) => c.timeoutMs));
    return new Promise<HandlerReply>((resolve) => {
      let guard: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      const finish = (reply: HandlerReply | Promise<HandlerReply>) => {
        clearTimeout(guard);
        clearTimeout(grace);
        pw.onMessage = undefined;
        pw.onDeath = undefined;
        resolve(reply);
      };
      pw.onMessage = (message) => {
        if (message.type !== 'done' || message.id !== id) return;
        // A call the worker gave no outcome for is taken as hung (handler-runs.ts does the same): its
        // environment's module state cannot be trusted.
        for (const [k, o] of message.outcomes.entries()) if (!o || o.kind === 'hung' || o.discard) pw.envs.delete(calls[k].envId);
        for (const envId of message.lost) pw.envs.delete(envId);
        finish({ outcomes: message.outcomes, lost: message.lost });
      };
      pw.onDeath = (error) => finish(this.afterDeath(w, pw, calls, (error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'));
      guard = setTimeout(() => {
        pw.worker.postMessage({ type: 'abandon', id } satisfies ToWorker);
        grace = setTimeout(() => {
          void pw.worker.terminate();
        }, ABANDON_GRACE_MS);
        grace.unref();
      }, guardMs);
      // The safety net never keeps the process alive by itself (a quit during a hang exits at once).
      guard.unref();
      pw.worker.postMessage({ type: 'run', id, calls, discard } satisfies ToWorker);
    });
  }

  private async afterDeath(w: number, pw: PoolWorker, calls: HandlerCall[], outOfMemory: boolean): Promise<HandlerReply> {
    const stuck = Atomics.load(pw.slot, 0);
    const lost = new Set(pw.envs);
    for (const envId of lost) if (this.envWorker.get(envId) === w) this.envWorker.delete(envId);
    this.workers[w] = undefined;
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
