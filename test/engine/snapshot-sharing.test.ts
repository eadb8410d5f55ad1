/**
 * The engine's snapshots share what did not change: an idle function keeps the same (frozen) object from
 * tick to tick, so immer does not walk and freeze it again. A scenario with hundreds of idle functions
 * spent most of its run doing that (issue 16's fuzz found it as a hang).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/engine/simulation.js';
import { validateExport } from '../../src/scenario/load.js';

function model() {
  return validateExport('sharing.ts', {
    name: 'sharing',
    duration: '10s',
    functions: { busy: { duration: '50ms' }, idle: {} },
    traffic: [{ invoke: 'busy', type: 'RequestResponse', rate: 20 }],
  }).model;
}

describe('snapshot sharing', () => {
  it('keeps an idle function’s object and renews a busy one’s, with the values a fresh copy would have', async () => {
    let started = 0;
    const sim = createSimulation(model(), { onTrace: (e) => void (e.type === 'invoke.start' && e.fn === 'busy' && started++) });
    // Past the first HISTORY_SAMPLES ticks, during which every history still grows.
    for (let i = 0; i < 65; i++) await sim.step();
    const before = sim.state;
    await sim.step();
    const after = sim.state;
    expect(after.functions.idle).toBe(before.functions.idle);
    expect(after.functions.busy).not.toBe(before.functions.busy);
    expect(after.functions.busy.invocations).toBeGreaterThan(before.functions.busy.invocations);
    expect(Object.isFrozen(after.functions.idle.history)).toBe(true);
    await sim.run();
    const end = sim.state;
    expect(end.functions.idle.invocations).toBe(0);
    expect(end.functions.idle.history.every((c) => c === 0)).toBe(true);
    expect(end.functions.busy.invocations).toBe(started);
    expect(started).toBeGreaterThan(150);
    // The busy function's snapshot follows its live history to the last sample.
    expect(end.functions.busy.history.length).toBeGreaterThan(0);
  });

  it('renews an idle function once its history changes, and its usage entry only when it is billed', async () => {
    const sim = createSimulation(model());
    await sim.step();
    const first = sim.state;
    await sim.step();
    expect(sim.state.usage.functions.idle).toBe(first.usage.functions.idle);
    expect(sim.state.usage.functions.busy).not.toBe(first.usage.functions.busy);
    // The history grows by one sample per tick until it is full, so even the idle function is renewed then.
    expect(sim.state.functions.idle.history.length).toBe(first.functions.idle.history.length + 1);
  });
});

describe('freezing snapshots', () => {
  it('freezes them in the tests (LAMBDA_TUI_FREEZE_SNAPSHOTS), so that code which changes one throws', async () => {
    expect(process.env.LAMBDA_TUI_FREEZE_SNAPSHOTS).toBe('1');
    const sim = createSimulation(model());
    await sim.step();
    expect(Object.isFrozen(sim.state)).toBe(true);
    expect(() => {
      (sim.state as { t: number }).t = 5;
    }).toThrow(TypeError);
  });

  it('leaves them unfrozen in a run (the cost of freezing every tick), with the same results', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = `
      const { createSimulation } = await import('./dist/engine/simulation.js');
      const { validateExport } = await import('./dist/scenario/load.js');
      const m = validateExport('s.ts', ${JSON.stringify({ name: 'sharing', duration: '10s', functions: { busy: { duration: '50ms' }, idle: {} }, traffic: [{ invoke: 'busy', type: 'RequestResponse', rate: 20 }] })}).model;
      const sim = createSimulation(m);
      await sim.run();
      console.log(JSON.stringify({ frozen: Object.isFrozen(sim.state), state: sim.state }));`;
    const env = { ...process.env };
    delete env.LAMBDA_TUI_FREEZE_SNAPSHOTS;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }));
    expect(out.frozen).toBe(false);
    const frozenRun = createSimulation(model());
    await frozenRun.run();
    expect(out.state).toEqual(JSON.parse(JSON.stringify(frozenRun.state)));
  });
});
