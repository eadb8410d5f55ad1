import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/engine/simulation.js';
import { summarize } from '../../src/output/summary.js';
import { loadScenario, ScenarioError } from '../../src/scenario/load.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { formatTable, parseObjective } from '../../src/sweep/format.js';
import { applySet, parseSet, parseValue, SetUsageError } from '../../src/sweep/set.js';
import { gridPoints, markBest, runSweep } from '../../src/sweep/sweep.js';

const SCENARIO = `import { defineScenario } from 'lambda-tui';
export default defineScenario({
  name: 'sweep fixture',
  duration: '40s',
  functions: { worker: { duration: { p50: '80ms', p99: '400ms' } } },
  queues: { jobs: {} },
  eventSourceMappings: [{ source: 'jobs', function: 'worker' }],
  traffic: [{ to: 'jobs', rate: 20, stop: '20s' }],
  faults: [{ function: 'worker', kind: 'error', rate: 0.05 }],
});
`;

async function fixture(): Promise<{ file: string; scenario: object }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sweep-'));
  const file = path.join(dir, 'fixture.ts');
  await writeFile(file, SCENARIO);
  let scenario: object | undefined;
  await loadScenario(file, { edit: (s) => (scenario = s) });
  return { file, scenario: scenario! };
}

describe('sweep: a grid of --set values', () => {
  it('gives a 3x3 grid the summaries of nine single runs with the values set by hand', async () => {
    const { file, scenario } = await fixture();
    const sets = [parseSet('eventSourceMappings[0].batchSize=1,5,10'), parseSet('functions.worker.memorySize=128,512,1024')];
    const rows = await runSweep({ file, scenario, sets, seed: 1, seeds: 1, jobs: 2 });
    expect(rows).toHaveLength(9);
    let i = 0;
    for (const batchSize of [1, 5, 10]) {
      for (const memorySize of [128, 512, 1024]) {
        const s = scenario as any;
        const byHand = {
          ...s,
          functions: { worker: { ...s.functions.worker, memorySize } },
          eventSourceMappings: [{ ...s.eventSourceMappings[0], batchSize }],
        };
        const model = { ...validateScenario(byHand, file).model!, file };
        const sim = createSimulation(model);
        while (!sim.done) await sim.advance();
        expect(rows[i].set).toEqual({ 'eventSourceMappings[0].batchSize': batchSize, 'functions.worker.memorySize': memorySize });
        expect(rows[i].summary).toEqual(summarize(sim));
        i++;
      }
    }
    // Memory changes the price, not the simulation; batch size changes both.
    expect(rows[1].metrics.cost).toBeGreaterThan(rows[0].metrics.cost);
    expect(rows[0].summary.functions.worker.invocations).toBeGreaterThan(rows[3].summary.functions.worker.invocations);
  }, 120_000);

  it('runs shard i of n as every n-th point, so shards together are the grid', async () => {
    const { file, scenario } = await fixture();
    const sets = [parseSet('eventSourceMappings[0].batchSize=1,2,3,4,5')];
    const a = await runSweep({ file, scenario, sets, seed: 1, seeds: 1, jobs: 1, shard: { i: 1, n: 2 }, durationMs: 5_000 });
    const b = await runSweep({ file, scenario, sets, seed: 1, seeds: 1, jobs: 1, shard: { i: 2, n: 2 }, durationMs: 5_000 });
    expect(a.map((r) => r.index)).toEqual([0, 2, 4]);
    expect(b.map((r) => r.index)).toEqual([1, 3]);
  }, 60_000);

  it('runs --seeds N seeds per point and keeps every run', async () => {
    const { file, scenario } = await fixture();
    const rows = await runSweep({ file, scenario, sets: [parseSet('eventSourceMappings[0].batchSize=10')], seed: 7, seeds: 3, jobs: 1, durationMs: 10_000 });
    expect(rows[0].runs!.map((r) => r.seed)).toEqual([7, 8, 9]);
    expect(rows[0].summary.seed).toBe(7);
  }, 60_000);

  it('refuses a point whose value does not validate, with the validation line', async () => {
    const { file, scenario } = await fixture();
    await expect(runSweep({ file, scenario, sets: [parseSet('eventSourceMappings[0].batchSize=20000')], seed: 1, seeds: 1, jobs: 1 })).rejects.toThrow(
      'eventSourceMappings[0].batchSize: 20000',
    );
  });
});

describe('sweep: --set paths and values', () => {
  it('reads a value as JSON when it parses, else as a string', () => {
    expect(parseValue('10')).toBe(10);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('30s')).toBe('30s');
    expect(parseSet('functions.a.duration={"p50":"50ms","p99":"1s"},100ms').values).toEqual([{ p50: '50ms', p99: '1s' }, '100ms']);
  });

  it('gives a path that does not exist one line naming the file and the path', () => {
    const scenario = { name: 'x', functions: { processor: {} }, eventSourceMappings: [{ source: 'q', function: 'processor' }] };
    expect(() => applySet(scenario, 'x.ts', 'functions.procesor.memorySize', 512)).toThrow(ScenarioError);
    expect(() => applySet(scenario, 'x.ts', 'functions.procesor.memorySize', 512)).toThrow(
      "x.ts: functions.procesor: does not exist (--set 'functions.procesor.memorySize'); valid: processor",
    );
    expect(() => applySet(scenario, 'x.ts', 'eventSourceMappings[3].batchSize', 5)).toThrow('x.ts: eventSourceMappings[3]: does not exist');
    // A field left at its default may be set; validation then checks it.
    expect((applySet(scenario, 'x.ts', 'functions.processor.memorySize', 512) as any).functions.processor.memorySize).toBe(512);
    expect(scenario.functions.processor).toEqual({});
  });

  it('refuses a --set without a value as a usage error', () => {
    expect(() => parseSet('functions.a.memorySize')).toThrow(SetUsageError);
    expect(() => parseSet('functions..a=1')).toThrow(SetUsageError);
  });

  it('builds every combination, the last --set varying fastest', () => {
    expect(gridPoints([parseSet('a=1,2'), parseSet('b=x,y')])).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });
});

describe('sweep: --objective marks the cheapest point that meets it', () => {
  const row = (index: number, cost: number, p99: number) =>
    ({ index, set: { a: index }, metrics: { cost, p50: 1, p99, peakAge: 0, failures: 0, throttles: 0, coldStarts: 0 }, summary: {} as any });

  it('parses metric, operator and a duration or a number', () => {
    expect(parseObjective('p99<2s')).toMatchObject({ metric: 'p99', op: '<', value: 2000 });
    expect(parseObjective('cost<=$0.01')).toMatchObject({ metric: 'cost', op: '<=', value: 0.01 });
    expect(() => parseObjective('latency<2s')).toThrow('metrics: cost, p50, p99');
  });

  it('marks the cheapest row under the objective, and says which', () => {
    const rows = [row(0, 0.5, 3000), row(1, 1, 1500), row(2, 2, 500)];
    expect(markBest(rows, [parseObjective('p99<2s')])?.index).toBe(1);
    const table = formatTable(rows, ['a'], [parseObjective('p99<2s')]);
    expect(table).toMatch(/^\*\s+1\s+1\s/m);
    expect(table).toContain('* cheapest point meeting p99<2s: #1 (a=1)');
  });

  it('marks nothing when no row meets it', () => {
    const rows = [row(0, 0.5, 3000)];
    expect(markBest(rows, [parseObjective('p99<1s')])).toBeUndefined();
    expect(formatTable(rows, ['a'], [parseObjective('p99<1s')])).toContain('no point meeting p99<1s');
  });
});
