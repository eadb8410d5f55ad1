import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { createSimulation } from '../../src/engine/simulation.js';

describe('scenarios/kinesis-tumbling-window.ts: state per 30 s window, one final invoke each', async () => {
  const { model } = await loadScenario('scenarios/kinesis-tumbling-window.ts');
  const calls: Array<{ event: any; result: any }> = [];
  const handler = model.functions.totals.handler!;
  const spied = { ...model, functions: { ...model.functions, totals: { ...model.functions.totals, handler: (e: any, c: any) => {
    const event = structuredClone(e);
    const result = handler(e, c, () => undefined);
    calls.push({ event, result });
    return result;
  } } } };
  const sim = createSimulation(spied);
  await sim.run();

  it('carries each window\'s state from one invocation to the next and ends every window with one final invoke', () => {
    const windows = [...new Set(calls.map((c) => c.event.window.start))];
    expect(windows.length).toBe(4);
    for (const start of windows) {
      const inWindow = calls.filter((c) => c.event.window.start === start);
      expect(inWindow.filter((c) => c.event.isFinalInvokeForWindow)).toHaveLength(1);
      expect(inWindow.at(-1)!.event.isFinalInvokeForWindow).toBe(true);
      for (let i = 1; i < inWindow.length; i++) expect(inWindow[i].event.state).toEqual(inWindow[i - 1].result.state);
      // 5 records a second for 30 s: each full window holds 150 records.
      expect(inWindow.at(-1)!.event.state.count).toBe(150);
    }
    expect(sim.checkAccounting().ok).toBe(true);
  });
});
