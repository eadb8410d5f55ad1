/**
 * `lambda-tui sweep`: every combination of the `--set` values (the grid), each with the scenario's seed
 * (or `--seeds N` seeds), run on worker threads, one row per point (docs/sweep.md). Workers load the
 * scenario themselves and send back summaries, never traces: a 1,000-point sweep holds 1,000 summaries.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { PriceTable } from '../cost/prices.js';
import type { Summary } from '../output/summary.js';
import { type LoadOptions, loadScenario, ScenarioError } from '../scenario/load.js';
import type { Model } from '../scenario/model.js';
import { createSandbox, hasHandlerCode, type Sandbox, type SandboxOptions } from '../sandbox/pool.js';
import { servePool } from './handlers.js';
import { METRIC_NAMES, metricsOf, type PointJob, type PointMetrics, runPoint } from './point.js';
import type { JsonValue, SetSpec } from './set.js';

export interface SweepOptions {
  file: string;
  /** The loaded scenario object (before validation), to run points in this thread with jobs 1. */
  scenario: object;
  sets: SetSpec[];
  /** The scenario's own seed: point seeds are seed..seed+seeds-1. */
  seed: number;
  seeds: number;
  jobs: number;
  /** 1-based shard i of n: this process runs the points whose index % n === i - 1. */
  shard?: { i: number; n: number };
  durationMs?: number;
  prices?: PriceTable;
  freeTier?: boolean;
  /** How workers load the file (template stack and parameters). */
  load?: LoadOptions;
  /** The scenario loaded (its functions' handler sources); loaded from `file` when absent. */
  model?: Model;
  /** Options of the one sandbox pool a scenario with real handler code gets (tests). */
  sandbox?: SandboxOptions;
  /** Called with that pool once it is made (tests, the bench). */
  onSandbox?: (pool: Sandbox) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface SweepRow {
  /** Position in the whole grid (stable across shards). */
  index: number;
  /** The point's values, keyed by the `--set` path. */
  set: Record<string, JsonValue>;
  /** The row's figures: over several seeds, the mean of each (latencies: the worst seed's). */
  metrics: PointMetrics;
  /** The summary of the run with the scenario's seed (the first seed). */
  summary: Summary;
  /** With --seeds above 1: every seed's summary. */
  runs?: Array<{ seed: number; summary: Summary }>;
  /** Marked: the cheapest point that meets the objective. */
  best?: boolean;
}

/** The grid's points in order: the last `--set` varies fastest. */
export function gridPoints(sets: SetSpec[]): Array<Record<string, JsonValue>> {
  let points: Array<Record<string, JsonValue>> = [{}];
  for (const s of sets) points = points.flatMap((p) => s.values.map((v) => ({ ...p, [s.path]: v })));
  return points;
}

/** How many workers to use by default: every core. */
export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Runs the sweep; rows in grid order. Throws ScenarioError when a point does not validate. */
export async function runSweep(o: SweepOptions): Promise<SweepRow[]> {
  const points = gridPoints(o.sets);
  const jobs: PointJob[] = [];
  points.forEach((point, index) => {
    if (o.shard && index % o.shard.n !== o.shard.i - 1) return;
    for (let k = 0; k < o.seeds; k++) jobs.push({ index, seed: o.seed + k, sets: Object.entries(point).map(([path, value]) => ({ path, value })) });
  });
  const results = new Map<number, Array<{ seed: number; summary: Summary }>>();
  const record = (index: number, seed: number, summary: Summary) => {
    const list = results.get(index) ?? [];
    list.push({ seed, summary });
    results.set(index, list);
  };
  const total = jobs.length;
  let done = 0;
  o.onProgress?.(0, total);
  const workers = Math.max(1, Math.min(o.jobs, total));
  // Real handler code runs in one sandbox pool for the whole sweep, here in the main thread; the points
  // (in this thread or on sweep workers) send it their batches, each point in a session of its own.
  const model = o.model ?? (total > 0 ? (await loadScenario(o.file, o.load)).model : undefined);
  const pool = model && hasHandlerCode(model) ? createSandbox(model, { memoryMb: poolMemoryMb(model, o.sets), ...o.sandbox }) : undefined;
  if (pool) o.onSandbox?.(pool);
  try {
    if (workers === 1) {
      for (const job of jobs) {
        record(job.index, job.seed, await runPoint(o.scenario, o.file, job, o, pool?.session()));
        o.onProgress?.(++done, total);
      }
    } else {
      await runOnWorkers(o, jobs, workers, pool, (index, seed, summary) => {
        record(index, seed, summary);
        o.onProgress?.(++done, total);
      });
    }
  } finally {
    await pool?.close();
  }
  const rows: SweepRow[] = [];
  for (const [index, runs] of [...results.entries()].sort((a, b) => a[0] - b[0])) {
    runs.sort((a, b) => a.seed - b.seed);
    rows.push({
      index,
      set: points[index],
      metrics: aggregate(runs.map((r) => metricsOf(r.summary))),
      summary: runs[0].summary,
      ...(runs.length > 1 ? { runs } : {}),
    });
  }
  return rows;
}

/** Defined (true) in the bundled CLI only (scripts/bundle.mjs). */
declare const LAMBDA_TUI_BUNDLED: boolean | undefined;

/**
 * The worker script: in the bundled CLI its own bundle entry (dist/bundle/sweep-worker.js); next to this
 * file once built; from the sources (tests), the built copy.
 */
function workerUrl(): URL {
  // In the bundle, import.meta.url is this module's dist/sweep/sweep.js (scripts/bundle.mjs).
  if (typeof LAMBDA_TUI_BUNDLED !== 'undefined') return new URL('../bundle/sweep-worker.js', import.meta.url);
  const here = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(here)) ? here : new URL('../../dist/sweep/worker.js', import.meta.url);
}

/**
 * The pool's heap limit: the largest memorySize of the scenario and of any `--set ...memorySize` value,
 * since one pool serves every point (docs/sandbox.md, "Limits").
 */
function poolMemoryMb(model: Model, sets: SetSpec[]): number {
  let mb = Math.max(128, ...Object.values(model.functions).map((fn) => fn.memorySize));
  for (const s of sets) {
    if (!/memorySize$/.test(s.path)) continue;
    for (const v of s.values) if (typeof v === 'number' && Number.isFinite(v)) mb = Math.max(mb, v);
  }
  return mb;
}

async function runOnWorkers(
  o: SweepOptions,
  jobs: PointJob[],
  count: number,
  pool: Sandbox | undefined,
  onResult: (index: number, seed: number, s: Summary) => void,
): Promise<void> {
  let next = 0;
  let failure: ScenarioError | Error | undefined;
  const url = workerUrl();
  const served: Array<{ close(): void }> = [];
  // Without handler code this thread runs points too, as one of the jobs: a worker thread costs its own
  // module load and JIT warm-up (its first point runs about twice as slow), which one fewer saves. With
  // handler code this thread serves the pool and stays free for that.
  const here = pool ? 0 : 1;
  const inThisThread = async () => {
    while (!failure && next < jobs.length) {
      const job = jobs[next++];
      try {
        onResult(job.index, job.seed, await runPoint(o.scenario, o.file, job, { ...o, yieldMs: 10 }));
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all([
    ...(here ? [inThisThread()] : []),
    ...Array.from({ length: count - here }, () =>
      new Promise<void>((resolve, reject) => {
        const data: Record<string, unknown> = { file: o.file, load: o.load, durationMs: o.durationMs, prices: o.prices, freeTier: o.freeTier };
        const transferList = [];
        if (pool) {
          // This worker's handler batches come to the one pool over a port of its own.
          const channel = new MessageChannel();
          servePool(channel.port2, pool);
          served.push(channel.port2);
          data.pool = channel.port1;
          transferList.push(channel.port1);
        }
        const worker = new Worker(url, { workerData: data, transferList });
        const feed = () => {
          if (failure || next >= jobs.length) {
            worker.postMessage('stop');
            return;
          }
          worker.postMessage(jobs[next++]);
        };
        worker.on('message', (m: { index: number; seed: number; summary?: Summary; error?: string[] }) => {
          if (m.error) failure ??= new ScenarioError(o.file, m.error);
          else onResult(m.index, m.seed, m.summary!);
          feed();
        });
        worker.on('error', (error) => {
          failure ??= error;
          reject(error);
        });
        worker.on('exit', () => resolve());
        feed();
      }),
    ),
  ]).finally(() => {
    for (const port of served) port.close();
  });
  if (failure) throw failure;
}

/** Means over seeds; the latencies and the peak age keep the worst seed's, as an objective should. */
function aggregate(all: PointMetrics[]): PointMetrics {
  if (all.length === 1) return all[0];
  const mean = (k: keyof PointMetrics) => all.reduce((s, m) => s + (m[k] ?? 0), 0) / all.length;
  const worst = (k: 'p50' | 'p99' | 'peakAge') => {
    const values = all.map((m) => m[k]).filter((v): v is number => v !== null);
    return values.length ? Math.max(...values) : null;
  };
  return {
    cost: mean('cost'),
    p50: worst('p50'),
    p99: worst('p99'),
    peakAge: worst('peakAge') ?? 0,
    failures: mean('failures'),
    throttles: mean('throttles'),
    coldStarts: mean('coldStarts'),
  };
}

export interface Objective {
  metric: keyof PointMetrics;
  op: '<' | '<=' | '>' | '>=';
  value: number;
  text: string;
}

/**
 * Marks the cheapest row that meets every objective (without objectives, the cheapest row); ties go to
 * the earlier point. Returns the marked row, if any.
 */
export function markBest(rows: SweepRow[], objectives: Objective[]): SweepRow | undefined {
  let best: SweepRow | undefined;
  for (const row of rows) {
    if (!objectives.every((o) => meets(row.metrics, o))) continue;
    if (!best || row.metrics.cost < best.metrics.cost) best = row;
  }
  if (best) best.best = true;
  return best;
}

export function meets(m: PointMetrics, o: Objective): boolean {
  const v = m[o.metric];
  if (v === null) return false;
  switch (o.op) {
    case '<':
      return v < o.value;
    case '<=':
      return v <= o.value;
    case '>':
      return v > o.value;
    case '>=':
      return v >= o.value;
  }
}

export { METRIC_NAMES };
