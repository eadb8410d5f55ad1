/**
 * The `--json` summary (docs/architecture.md, trace contract): per function, per source and per destination,
 * and `accounting`, which says whether every record that entered the system is in exactly one state.
 */
import type { Simulation } from '../engine/simulation.js';
import type { CostSummary } from '../cost/price.js';
import { US_EAST_1, type PriceTable } from '../cost/prices.js';
import { snapshotCost } from '../cost/snapshot-cost.js';

export interface FunctionSummary {
  invocations: number;
  successes: number;
  errors: number;
  timeouts: number;
  partials: number;
  throttles: number;
  coldStarts: number;
  /** Idle environments reclaimed (the next invocation after one cold-starts again). */
  environmentsReclaimed: number;
  peakConcurrency: number;
  durationMs: { p50: number; p99: number } | null;
}

export interface SourceSummary {
  kind: string;
  put: number;
  succeeded: number;
  failed: number;
  /** Where failed records went: a destination, 'dlq:<name>', 'caller' (synchronous) or 'dropped'. */
  failedTo: Record<string, number>;
  expired: number;
  filtered: number;
  inFlight: number;
  waiting: number;
  /** Peak iterator age (streams) or oldest message age (queues), ms. */
  peakAgeMs: number;
}

export interface Summary {
  scenario: string;
  file?: string;
  seed: number;
  simulatedMs: number;
  account: { limit: number; peakConcurrency: number };
  functions: Record<string, FunctionSummary>;
  sources: Record<string, SourceSummary>;
  destinations: Record<string, { kind: string; deliveries: number; byCondition: Record<string, number> }>;
  /** Time from a traffic record's put to its processing (deleted, checkpointed, succeeded), ms. */
  endToEndMs: { p50: number; p99: number } | null;
  /** What the run would cost on AWS, attributed to causes (docs/cost.md). */
  cost: CostSummary;
  accounting: { ok: boolean; records: number; problems: string[] };
  traceEvents: number;
}

export interface SummaryOptions {
  /** The price table (default: us-east-1, src/cost/prices.ts). */
  prices?: PriceTable;
  /** Take the monthly always-free allowances off, prorated to the simulated time. */
  freeTier?: boolean;
}

/** Builds the summary of a simulation's current snapshot. */
export function summarize(sim: Simulation, options: SummaryOptions = {}): Summary {
  const state = sim.state;
  const functions: Summary['functions'] = {};
  for (const fn of Object.values(state.functions)) {
    functions[fn.name] = {
      invocations: fn.invocations,
      successes: fn.successes,
      errors: fn.errors,
      timeouts: fn.timeouts,
      partials: fn.partials,
      throttles: fn.throttles,
      coldStarts: fn.coldStarts,
      environmentsReclaimed: fn.reclaimed,
      peakConcurrency: fn.peakConcurrency,
      durationMs: sim.durationPercentiles(fn.name) ?? null,
    };
  }
  const sources: Summary['sources'] = {};
  let records = 0;
  for (const ledger of Object.values(state.sources)) {
    records += ledger.put;
    // The default bus always exists (DESIGN); when the scenario neither declares rules on it nor puts
    // events on it, it is not part of the scenario and not part of its summary.
    if (ledger.kind === 'bus' && ledger.name === 'default' && ledger.put === 0 && (sim.model.buses.default?.rules.length ?? 0) === 0) continue;
    sources[ledger.name] = {
      kind: ledger.kind,
      put: ledger.put,
      succeeded: ledger.counts.succeeded,
      failed: ledger.counts.failed,
      failedTo: { ...ledger.failedTo },
      expired: ledger.counts.expired,
      filtered: ledger.counts.filtered,
      inFlight: ledger.counts.inFlight,
      waiting: ledger.counts.waiting,
      peakAgeMs: ledger.peakAgeMs,
    };
  }
  const destinations: Summary['destinations'] = {};
  for (const dest of Object.values(state.destinations)) {
    destinations[dest.name] = { kind: dest.kind, deliveries: dest.total, byCondition: { ...dest.byCondition } };
  }
  const accounting = sim.checkAccounting();
  return {
    scenario: sim.model.name,
    ...(sim.model.file ? { file: sim.model.file } : {}),
    seed: sim.seed,
    simulatedMs: state.t,
    account: { limit: state.account.limit, peakConcurrency: state.account.peak },
    functions,
    sources,
    destinations,
    endToEndMs: sim.endToEndPercentiles() ?? null,
    cost: snapshotCost(sim.model, state, { prices: options.prices ?? US_EAST_1, freeTier: options.freeTier }),
    accounting: { ok: accounting.ok, records, problems: accounting.problems },
    traceEvents: sim.traceEvents,
  };
}
