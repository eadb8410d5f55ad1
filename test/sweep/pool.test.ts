/**
 * A sweep over real handler code runs it in one sandbox pool for the whole sweep (never a pool per sweep
 * worker), with the sandbox's determinism, so every row equals the single run of its point; and a sweep
 * of 1,000 points holds summaries only (docs/sweep.md).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/output/summary.js';
import { loadScenario } from '../../src/scenario/load.js';
import { Sandbox } from '../../src/sandbox/pool.js';
import { parseSet } from '../../src/sweep/set.js';
import { gridPoints, runSweep } from '../../src/sweep/sweep.js';
import { runFile, scenarioFolder } from '../helpers/sandbox.js';

const HANDLER = `let calls = 0;
export const handler = async (event) => {
  calls++;
  // Seeded per invocation by the sandbox: the same on every run of the same point.
  if (Math.random() < 0.2) throw new Error('unlucky ' + calls);
  return { calls, id: crypto.randomUUID() };
};
`;

const scenario = (batchSize: number) => `export default {
  name: 'sweep with real code',
  duration: '12s',
  functions: { worker: { handler: './h.handler', duration: { p50: '40ms', p99: '90ms' } } },
  queues: { jobs: {} },
  eventSourceMappings: [{ source: 'jobs', function: 'worker', batchSize: ${batchSize} }],
  traffic: [{ to: 'jobs', rate: 15, stop: '6s' }],
};
`;

async function loaded(file: string): Promise<object> {
  let s: object | undefined;
  await loadScenario(file, { edit: (x) => (s = x) });
  return s!;
}

describe('sweep: real handler code', () => {
  it('runs every point in one sandbox pool, each row equal to the single run of its point', async () => {
    const dir = scenarioFolder({ 'h.mjs': HANDLER, 's.ts': scenario(1) });
    const file = path.join(dir, 's.ts');
    const values = [1, 2, 5];
    const singles: Array<ReturnType<typeof summarize>> = [];
    for (const batchSize of values) {
      const own = scenarioFolder({ 'h.mjs': HANDLER, 's.ts': scenario(batchSize) });
      const r = await runFile(path.join(own, 's.ts'));
      singles.push(summarize(r.sim));
    }
    for (const jobs of [1, 2]) {
      const before = Sandbox.created;
      const pools: Sandbox[] = [];
      const rows = await runSweep({
        file,
        scenario: await loaded(file),
        sets: [parseSet(`eventSourceMappings[0].batchSize=${values.join(',')}`)],
        seed: 1,
        seeds: 1,
        jobs,
        onSandbox: (p) => pools.push(p),
      });
      // One pool in this thread, and none anywhere else: the sweep workers never import the sandbox, and
      // every handler call of every point went through this one (its call count is theirs).
      expect(Sandbox.created - before).toBe(1);
      expect(pools).toHaveLength(1);
      const invocations = rows.reduce((n, r) => n + r.summary.functions.worker.invocations, 0);
      expect(pools[0].calls).toBe(invocations);
      expect(pools[0].running).toBe(0);
      rows.forEach((row, i) => {
        expect(row.set).toEqual({ 'eventSourceMappings[0].batchSize': values[i] });
        expect({ ...row.summary, file: '' }).toEqual({ ...singles[i], file: '' });
      });
      // The handler failed some invocations: real code ran (not the model's duration alone).
      expect(rows[0].summary.functions.worker.errors).toBeGreaterThan(0);
    }
  }, 120_000);

  it('frees a point\u2019s environments in the pool when the point ends', async () => {
    const dir = scenarioFolder({ 'h.mjs': HANDLER, 's.ts': scenario(1) });
    const file = path.join(dir, 's.ts');
    const pools: Sandbox[] = [];
    await runSweep({ file, scenario: await loaded(file), sets: [parseSet('eventSourceMappings[0].batchSize=1,2,3,4')], seed: 1, seeds: 1, jobs: 1, onSandbox: (p) => pools.push(p), sandbox: { workers: 1 } });
    // Each point's session discarded what it held: the pool placed no environment that outlived its point.
    expect(pools[0].environments).toBe(0);
  }, 60_000);
});

describe('sweep: 1,000 points', () => {
  it('runs a 1,000-point grid with bounded memory, one row per point with its values', async () => {
    const dir = scenarioFolder({
      's.ts': `export default {
  name: 'tiny',
  duration: '300ms',
  functions: { worker: { duration: '20ms' } },
  queues: { jobs: {} },
  eventSourceMappings: [{ source: 'jobs', function: 'worker' }],
  traffic: [{ to: 'jobs', rate: 10, count: 2 }],
};
`,
    });
    const file = path.join(dir, 's.ts');
    const batch = Array.from({ length: 10 }, (_, i) => i + 1);
    const memory = Array.from({ length: 100 }, (_, i) => 128 + 64 * i);
    const sets = [parseSet(`eventSourceMappings[0].batchSize=${batch.join(',')}`), parseSet(`functions.worker.memorySize=${memory.join(',')}`)];
    const rss: number[] = [];
    const rows = await runSweep({
      file,
      scenario: await loaded(file),
      sets,
      seed: 1,
      seeds: 1,
      jobs: 2,
      onProgress: (done) => {
        if (done === 100 || done === 1000) rss.push(process.memoryUsage().rss);
      },
    });
    expect(rows).toHaveLength(1000);
    const points = gridPoints(sets);
    rows.forEach((row, i) => {
      expect(row.index).toBe(i);
      expect(row.set).toEqual(points[i]);
      // The memory value reached the run: GB-seconds are duration times memory.
      const fn = row.summary.cost.functions.worker;
      expect(fn.gbSeconds / (row.set['functions.worker.memorySize'] as number)).toBeCloseTo(rows[i - (i % 100)].summary.cost.functions.worker.gbSeconds / 128, 9);
    });
    // Summaries only: what the sweep keeps is about 2 KB a point, and the 900 points after the first 100
    // add to this process's RSS (its workers' included) what their heaps' high-water marks take, not a
    // trace each.
    expect(JSON.stringify(rows).length).toBeLessThan(1000 * 4096);
    expect(rss).toHaveLength(2);
    console.log(`1,000-point sweep: RSS ${(rss[0] / 2 ** 20).toFixed(0)} MB at 100 points, ${(rss[1] / 2 ** 20).toFixed(0)} MB at 1,000`);
    expect((rss[1] - rss[0]) / 2 ** 20).toBeLessThan(128);
  }, 60_000);
});
