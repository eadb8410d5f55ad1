/**
 * One point of a sweep: the scenario with the point's values set, validated, run headless with a seed,
 * and reduced to its summary and the figures a sweep row shows.
 */
import type { HandlerPort } from '../engine/lambda/handler-port.js';
import { createSimulation } from '../engine/simulation.js';
import type { PriceTable } from '../cost/prices.js';
import { summarize, type Summary } from '../output/summary.js';
import { ScenarioError } from '../scenario/load.js';
import { formatValidationError, validateScenario } from '../scenario/validate.js';
import { applySets, type JsonValue } from './set.js';

/** The figures of a sweep row. Latencies and ages in ms, cost in USD. */
export interface PointMetrics {
  cost: number;
  /** End-to-end latency, a traffic record's put to its processing; null when nothing was processed. */
  p50: number | null;
  p99: number | null;
  /** The highest iterator age or oldest-message age over all sources. */
  peakAge: number;
  /** Records that failed to a destination or a dead-letter queue. */
  failures: number;
  throttles: number;
  coldStarts: number;
}

export const METRIC_NAMES: ReadonlyArray<keyof PointMetrics> = ['cost', 'p50', 'p99', 'peakAge', 'failures', 'throttles', 'coldStarts'];

export interface PointJob {
  /** Position in the grid (0-based), and which of its seeds. */
  index: number;
  seed: number;
  sets: Array<{ path: string; value: JsonValue }>;
}

export interface RunOptions {
  durationMs?: number;
  prices?: PriceTable;
  freeTier?: boolean;
  /**
   * Give the thread's event loop a turn at least this often (wall ms): a point run in the sweep's main
   * thread must not keep the workers' messages (their next point) waiting for a whole run.
   */
  yieldMs?: number;
}

/**
 * Runs one point; throws ScenarioError when its values do not validate. `handlers` is the point's port
 * onto the sweep's one sandbox pool when the scenario has real code (src/sweep/handlers.ts); it is closed
 * when the point ends, which frees the point's environments in the pool.
 */
export async function runPoint(scenario: object, file: string, job: PointJob, options: RunOptions, handlers?: HandlerPort): Promise<Summary> {
  try {
    const edited = applySets(scenario, file, job.sets);
    const { model, errors } = validateScenario(edited, file);
    if (!model) throw new ScenarioError(file, errors.map(formatValidationError));
    const run = { ...model, file, seed: job.seed, ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}) };
    // A row reads the summary only: no per-tick views (SimulationOptions.views).
    const sim = createSimulation(run, { views: false, ...(handlers ? { handlers } : {}) });
    if (options.yieldMs === undefined) {
      while (!sim.done) await sim.advance();
    } else {
      let turn = performance.now();
      while (!sim.done) {
        await sim.advance();
        if (performance.now() - turn >= options.yieldMs) {
          await new Promise((resolve) => setImmediate(resolve));
          turn = performance.now();
        }
      }
    }
    return summarize(sim, { prices: options.prices, freeTier: options.freeTier });
  } finally {
    await handlers?.close?.();
  }
}

/** The row figures of a summary. */
export function metricsOf(s: Summary): PointMetrics {
  let peakAge = 0;
  let failures = 0;
  for (const src of Object.values(s.sources)) {
    peakAge = Math.max(peakAge, src.peakAgeMs);
    for (const [to, n] of Object.entries(src.failedTo)) if (to !== 'dropped' && to !== 'caller') failures += n;
  }
  let throttles = 0;
  let coldStarts = 0;
  for (const f of Object.values(s.functions)) {
    throttles += f.throttles;
    coldStarts += f.coldStarts;
  }
  return { cost: s.cost.totalUsd, p50: s.endToEndMs?.p50 ?? null, p99: s.endToEndMs?.p99 ?? null, peakAge, failures, throttles, coldStarts };
}
