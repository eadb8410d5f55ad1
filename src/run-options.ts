/**
 * The options of a run as the command line parsed them (shared by the CLI and the shells it starts, so
 * ui/ never imports cli.ts: the import graph has one direction, see test/architecture.test.ts).
 */
import type { SimulationOptions } from './engine/simulation.js';

import type { PriceTable } from './cost/prices.js';
export interface RunOptions {
  /** As given on the command line; the CLI checks it is a whole number. */
  seed?: number | string;
  speed: number;
  tick?: string;
  duration?: string;
  headless: boolean;
  json: boolean;
  trace?: string;
  record?: string;
  keys?: string;
  cols: number;
  rows: number;
  stack?: string;
  parameter?: string[];
  /** Set by the CLI, not a flag: the handler sandbox and its record, for every simulation of the run. */
  simulation?: Omit<SimulationOptions, 'onTrace'>;
  /** A JSON price table replacing the built-in us-east-1 rates (docs/cost.md). */
  prices?: string;
  freeTier?: boolean;
  /** Resolved from `prices` by runCommand. */
  priceTable?: PriceTable;
  /** `--set path=value`: a scenario field changed for this run (docs/sweep.md). */
  set?: string[];
}
