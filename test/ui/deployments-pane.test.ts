import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { createSimulation } from '../../src/engine/simulation.js';
import { deploymentRows } from '../../src/ui/DeploymentsPane.js';
import { panesFor } from '../../src/ui/panes.js';

describe('the Deployments pane', () => {
  it('shows the alias, per-version counts, the alarm, the rollback and GetAlias on enter', async () => {
    const { model } = await loadScenario('scenarios/canary-rollback.ts');
    expect(panesFor(model).map((p) => p.name)).toContain('deployments');
    const sim = createSimulation(model);
    await sim.run(45_000);
    const during = deploymentRows(sim.state, 80).map((r) => r.text);
    expect(during[0]).toBe('checkout:live  v1 90%  v2 10%  Canary10Percent5Minutes shifting 1/2');
    expect(during.some((t) => t.includes('alarm checkout-live-errors INSUFFICIENT_DATA'))).toBe(true);
    await sim.run(61_000);
    const rows = deploymentRows(sim.state, 80);
    const text = rows.map((r) => r.text);
    expect(text[0]).toBe('checkout:live  v1 100%  Canary10Percent5Minutes Stopped');
    expect(text[1]).toMatch(/^ {2}v1 inv \d+ err 0 cold \d+ {3}v2 inv \d+ err \d+ cold [1-9]/);
    expect(text.find((t) => t.includes('alarm'))).toMatch(/alarm checkout-live-errors ALARM {2}Errors Sum \d+ >= 5 \(1\/1\)/);
    expect(text).toContain('  rolled back at 01:00.0: alarm checkout-live-errors is in ALARM');
    const target = rows[0].target as { module: string; key: string };
    expect(sim.inspect(target.module, target.key)).toEqual({
      AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:checkout:live',
      Name: 'live',
      FunctionVersion: '1',
      Description: '',
    });
  });

  it('is not shown for scenarios without aliases', async () => {
    const { model } = await loadScenario('scenarios/sync-throttle.ts');
    expect(panesFor(model).map((p) => p.name)).not.toContain('deployments');
  });
});
