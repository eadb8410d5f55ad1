/**
 * A sweep worker thread: loads the scenario once, then runs the points it is sent and posts back each
 * one's summary (never its trace), so memory stays bounded however many points the sweep has. Real
 * handler code does not run here: its batches go to the sweep's one sandbox pool (handlers.ts).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type LoadOptions, loadScenario, ScenarioError } from '../scenario/load.js';
import type { PriceTable } from '../cost/prices.js';
import { RemotePool } from './handlers.js';
import { type PointJob, runPoint } from './point.js';

interface Init {
  file: string;
  load?: LoadOptions;
  durationMs?: number;
  prices?: PriceTable;
  freeTier?: boolean;
  /** The sweep's one sandbox pool, in the main thread, when the scenario has real handler code. */
  pool?: MessagePort;
}

const init = workerData as Init;
const pool = init.pool ? new RemotePool(init.pool) : undefined;
let scenario: object | undefined;
const ready = loadScenario(init.file, {
  ...init.load,
  edit: (s) => {
    scenario = s;
    return s;
  },
}).then(
  () => undefined,
  (error: unknown) => error,
);

parentPort!.on('message', async (job: PointJob | 'stop') => {
  if (job === 'stop') {
    pool?.close();
    parentPort!.close();
    return;
  }
  const failed = await ready;
  try {
    if (failed || !scenario) throw failed ?? new Error('scenario did not load');
    const summary = await runPoint(scenario, init.file, job, init, pool?.session());
    parentPort!.postMessage({ index: job.index, seed: job.seed, summary });
  } catch (error) {
    const lines = error instanceof ScenarioError ? error.lines : [`${init.file}: ${error instanceof Error ? error.message : String(error)}`];
    parentPort!.postMessage({ index: job.index, seed: job.seed, error: lines });
  }
});
