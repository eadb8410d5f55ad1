/**
 * Test helpers: validate a scenario object into a model, run it headless and collect its trace.
 */
import { createSimulation, type Simulation, type SimulationOptions } from '../../src/engine/simulation.js';
import type { TraceEvent, TraceType } from '../../src/engine/trace.js';
import { summarize, type Summary } from '../../src/output/summary.js';
import type { Model } from '../../src/scenario/model.js';
import type { Scenario } from '../../src/scenario/types.js';
import { formatValidationError, validateScenario } from '../../src/scenario/validate.js';

export function modelOf(scenario: Scenario): Model {
  const { model, errors } = validateScenario(scenario, 'test.ts');
  if (!model) throw new Error(`invalid test scenario:\n${errors.map(formatValidationError).join('\n')}`);
  return model;
}

export interface RunResult {
  sim: Simulation;
  trace: TraceEvent[];
  summary: Summary;
  /** Trace events of one type, narrowed. */
  of<T extends TraceType>(type: T): Array<Extract<TraceEvent, { type: T }>>;
}

export async function run(scenario: Scenario | Model, options: SimulationOptions & { untilMs?: number } = {}): Promise<RunResult> {
  const model = 'resources' in scenario ? scenario : modelOf(scenario);
  const trace: TraceEvent[] = [];
  const sim = createSimulation(model, { ...options, onTrace: (e) => trace.push(e) });
  await sim.run(options.untilMs);
  return {
    sim,
    trace,
    summary: summarize(sim),
    of: <T extends TraceType>(type: T) => trace.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type),
  };
}

/** Replays invoke.start/invoke.end and returns the peak concurrency per function and for the account. */
export function concurrencyFromTrace(trace: TraceEvent[]): { perFunction: Record<string, number>; account: number } {
  const now: Record<string, number> = {};
  const peak: Record<string, number> = {};
  const fnOf = new Map<string, string>();
  let account = 0;
  let accountPeak = 0;
  for (const e of trace) {
    if (e.type === 'invoke.start') {
      fnOf.set(e.requestId, e.fn);
      now[e.fn] = (now[e.fn] ?? 0) + 1;
      peak[e.fn] = Math.max(peak[e.fn] ?? 0, now[e.fn]);
      accountPeak = Math.max(accountPeak, ++account);
    } else if (e.type === 'invoke.end') {
      now[e.fn]--;
      account--;
    }
  }
  return { perFunction: peak, account: accountPeak };
}
