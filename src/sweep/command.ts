/**
 * The `sweep` command's shell: loads the scenario, checks every `--set` path before anything runs,
 * runs the grid with progress on stderr, and prints the table (and a chart) or the JSON rows.
 */
import { loadPrices, PriceFileError } from '../cost/prices.js';
import { parseDuration } from '../lang/duration.js';
import { type LoadOptions, loadScenario, ScenarioError } from '../scenario/load.js';
import { formatChart, formatTable, parseObjective } from './format.js';
import type { PointMetrics } from './point.js';
import { applySet, parseSet, SetUsageError } from './set.js';
import { defaultJobs, markBest, METRIC_NAMES, runSweep } from './sweep.js';

export interface SweepArgs {
  scenario: string;
  set?: string[];
  json?: boolean;
  jobs?: number;
  seeds?: number;
  seed?: number;
  objective?: string[];
  shard?: string;
  chart?: string;
  axis?: string;
  duration?: string;
  prices?: string;
  freeTier?: boolean;
  load: LoadOptions;
}

/** Runs `lambda-tui sweep`; resolves to the exit status (1 load/validation, 2 usage). */
export async function sweepCommand(a: SweepArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  let sets;
  let objectives;
  let shard: { i: number; n: number } | undefined;
  try {
    if (!a.set || a.set.length === 0) throw new SetUsageError("sweep: give at least one --set 'path=v1,v2'");
    sets = a.set.map(parseSet);
    objectives = (a.objective ?? []).map(parseObjective);
    if (a.shard !== undefined) {
      const m = /^(\d+)\/(\d+)$/.exec(a.shard);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new SetUsageError(`--shard: '${a.shard}' is not i/n with 1 <= i <= n (e.g. 1/4)`);
      shard = { i: Number(m[1]), n: Number(m[2]) };
    }
    if (a.jobs !== undefined && (!Number.isInteger(a.jobs) || a.jobs < 1)) throw new SetUsageError(`--jobs: ${a.jobs} is not a whole number >= 1`);
    if (a.seeds !== undefined && (!Number.isInteger(a.seeds) || a.seeds < 1 || a.seeds > 1000)) throw new SetUsageError(`--seeds: ${a.seeds} is not a whole number in 1..1000`);
    if (a.chart !== undefined && !METRIC_NAMES.includes(a.chart as keyof PointMetrics)) throw new SetUsageError(`--chart: '${a.chart}' is not a metric; metrics: ${METRIC_NAMES.join(', ')}`);
    if (a.axis !== undefined && !sets.some((s) => s.path === a.axis)) throw new SetUsageError(`--axis: '${a.axis}' is not one of the --set paths (${sets.map((s) => s.path).join(', ')})`);
    if (a.duration !== undefined && !(parseDuration(a.duration)! >= 1)) throw new SetUsageError(`--duration: '${a.duration}' is not a positive duration (e.g. 90s, 10m)`);
  } catch (error) {
    if (error instanceof SetUsageError) {
      err.write(`lambda-tui: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let scenario: object | undefined;
  let seed = 1;
  let prices;
  let model;
  try {
    const loaded = await loadScenario(a.scenario, { ...a.load, edit: (s) => (scenario = s) });
    for (const line of loaded.notes ?? []) err.write(line + '\n');
    seed = a.seed ?? loaded.model.seed;
    model = loaded.model;
    // Every path must exist before a worker starts: the same one-line error as validation.
    for (const s of sets) applySet(scenario!, a.scenario, s.path, s.values[0]);
    if (a.prices) prices = await loadPrices(a.prices);
  } catch (error) {
    if (error instanceof ScenarioError) {
      for (const line of error.lines) err.write(line + '\n');
      return 1;
    }
    if (error instanceof PriceFileError) {
      err.write(error.message + '\n');
      return 1;
    }
    throw error;
  }
  const jobs = a.jobs ?? defaultJobs();
  const started = Date.now();
  let lastShown = 0;
  const progress = (done: number, total: number) => {
    const now = Date.now();
    if (done !== total && now - lastShown < (err.isTTY ? 100 : 2000)) return;
    lastShown = now;
    const line = `sweep: ${done}/${total} runs on ${Math.min(jobs, Math.max(1, total))} worker${jobs === 1 ? '' : 's'}, ${((now - started) / 1000).toFixed(1)} s`;
    err.write(err.isTTY ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
  let rows;
  try {
    rows = await runSweep({
      file: a.scenario,
      scenario: scenario!,
      sets,
      seed,
      seeds: a.seeds ?? 1,
      jobs,
      shard,
      durationMs: a.duration !== undefined ? parseDuration(a.duration) : undefined,
      prices,
      freeTier: a.freeTier,
      load: a.load,
      model,
      onProgress: progress,
    });
  } catch (error) {
    if (error instanceof ScenarioError) {
      for (const line of error.lines) err.write(line + '\n');
      return 1;
    }
    throw error;
  }
  markBest(rows, objectives);
  if (a.json) {
    out.write('[\n' + rows.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n');
    return 0;
  }
  const paths = sets.map((s) => s.path);
  out.write(formatTable(rows, paths, objectives));
  if (a.chart !== undefined || rows.length > 1) {
    out.write('\n' + formatChart(rows, a.axis ?? paths[0], (a.chart ?? 'cost') as keyof PointMetrics));
  }
  return 0;
}
