import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/canary-rollback.ts: a canary caught by its Errors alarm', async () => {
  const { model } = await loadScenario('scenarios/canary-rollback.ts');
  const r = await run(model);

  it('runs the smoke test, shifts 10% to version 2, and rolls back when the alarm fires at 01:00', () => {
    expect(r.of('deployment.hook').map((e) => e.status)).toEqual(['InProgress', 'Succeeded']);
    expect(r.of('deployment.shift').map((e) => e.weights)).toEqual([{ '1': 0.9, '2': 0.1 }]);
    const [alarm] = r.of('alarm.state');
    expect(alarm).toMatchObject({ t: 60_000, alarm: 'checkout-live-errors', state: 'ALARM' });
    expect(r.of('deployment.rollback')[0]).toMatchObject({ t: 60_000, weights: { '1': 1 } });
    expect(r.of('deployment.end')[0]).toMatchObject({ t: 60_000, outcome: 'Stopped' });
  });

  it("shows version 2 cold-starting with the canary, failing with its handler's error, and nothing on it after the rollback", () => {
    const v2 = r.of('invoke.start').filter((e) => e.version === '2');
    expect(v2[0].cold).toBe(true);
    expect(v2.every((e) => e.t > 31_000 && e.t <= 60_000)).toBe(true);
    const failed = r.of('invoke.end').filter((e) => e.outcome === 'error');
    expect(failed.length).toBe(r.sim.state.functions.checkout.versions['2'].errors);
    expect(failed[0].errorMessage).toContain("reading 'price'");
    expect(r.sim.state.aliases['checkout:live']).toMatchObject({ version: '1', additionalVersionWeights: {} });
  });
});

describe('scenarios/linear-provisioned.ts: provisioned concurrency follows a linear shift', async () => {
  const { model } = await loadScenario('scenarios/linear-provisioned.ts');
  const r = await run(model);

  it('shifts in ten steps a minute apart and succeeds', () => {
    const shifts = r.of('deployment.shift');
    expect(shifts.map((e) => e.t - shifts[0].t)).toEqual(Array.from({ length: 10 }, (_, k) => k * 60_000));
    expect(r.of('deployment.end')[0].outcome).toBe('Succeeded');
  });

  it('runs nearly all alias invocations warm, while every $LATEST call cold-starts', () => {
    const starts = r.of('invoke.start');
    const alias = starts.filter((e) => e.alias === 'live');
    expect(alias.filter((e) => e.cold).length).toBeLessThan(alias.length / 200);
    const latest = starts.filter((e) => e.version === '$LATEST');
    expect(latest.length).toBeGreaterThan(5);
    expect(latest.every((e) => e.cold)).toBe(true);
    expect(r.sim.state.functions.api.versions['2'].envs.provisioned).toBe(10);
  });
});
