/**
 * The cost of a snapshot: the usage it carries and its SQS pollers' receive counts, priced.
 */
import type { Model } from '../scenario/model.js';
import type { SimState } from '../engine/state.js';
import type { SqsViewState } from '../engine/sources/sqs.js';
import { type CostOptions, type CostSummary, priceUsage } from './price.js';

/**
 * Prices what a simulation had used at a snapshot: the live run's, or a past tick's in the dashboard.
 *
 * @example
 * const cost = snapshotCost(sim.model, sim.state, { prices: US_EAST_1 });
 * console.log(cost.totalUsd, cost.causes.retries);
 */
export function snapshotCost(model: Model, state: SimState, options: CostOptions): CostSummary {
  const receives: Record<string, { receives: number; emptyReceives: number }> = {};
  const sqs = state.modules.sqs as SqsViewState | undefined;
  for (const m of Object.values(sqs?.mappings ?? {})) {
    const r = (receives[m.queue] ??= { receives: 0, emptyReceives: 0 });
    r.receives += m.receives;
    r.emptyReceives += m.emptyReceives;
  }
  return priceUsage({ model, usage: state.usage, simulatedMs: state.t, receives }, options);
}
