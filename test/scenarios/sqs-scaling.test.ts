import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import type { SqsViewState } from '../../src/engine/sources/sqs.js';
import { createSimulation } from '../../src/engine/simulation.js';
import { run } from '../helpers/run.js';

describe('scenarios/sqs-scaling.ts: pollers climb at AWS rate, then maxConcurrency caps them', async () => {
  const { model } = await loadScenario('scenarios/sqs-scaling.ts');

  it('sets the concurrency target to 5, then +5 each second while the backlog waits, up to 100', async () => {
    const sim = createSimulation(model);
    const targets: number[] = [];
    for (let s = 0; s < 25; s++) {
      await sim.run(s * 1000 + 500);
      targets.push((sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget);
    }
    expect(targets.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, s) => 5 + 5 * s));
    expect(targets.slice(19)).toEqual(Array(6).fill(100));
  });

  it('never runs more than 100 batches at once, drains the backlog and scales back to 5', async () => {
    const r = await run(model);
    expect(r.summary.functions.worker.peakConcurrency).toBe(100);
    expect(r.summary.sources.jobs).toMatchObject({ put: 50_000, succeeded: 50_000 });
    expect((r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget).toBe(5);
  });
});
