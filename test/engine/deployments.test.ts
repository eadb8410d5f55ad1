/**
 * CodeDeploy deployments of aliases (docs/versions.md): preset shift times, custom configurations, alarms on
 * the alias's metrics, rollback, hooks, and determinism, all read from the trace.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentSpec, Scenario } from '../../src/scenario/types.js';
import { formatValidationError, validateScenario } from '../../src/scenario/validate.js';
import { traceLine } from '../../src/engine/trace.js';
import { run } from '../helpers/run.js';

const MIN = 60_000;

function scenario(deployment: Partial<DeploymentSpec>, extra: Partial<Scenario> = {}): Scenario {
  return {
    name: 'deploy',
    duration: '2h',
    functions: {
      checkout: { duration: '50ms', versions: { '1': {}, '2': {} }, aliases: { live: { version: '1' } } },
      ...extra.functions,
    },
    deployments: [{ alias: 'checkout:live', to: '2', at: '10s', ...deployment }],
    ...(extra.traffic ? { traffic: extra.traffic } : {}),
    ...(extra.faults ? { faults: extra.faults } : {}),
    ...(extra.duration ? { duration: extra.duration } : {}),
  };
}

const PRESETS: Array<[string, Array<[number, number]>]> = [
  ['Canary10Percent5Minutes', [[0, 0.1], [5 * MIN, 1]]],
  ['Canary10Percent10Minutes', [[0, 0.1], [10 * MIN, 1]]],
  ['Canary10Percent15Minutes', [[0, 0.1], [15 * MIN, 1]]],
  ['Canary10Percent30Minutes', [[0, 0.1], [30 * MIN, 1]]],
  ['Linear10PercentEvery1Minute', Array.from({ length: 10 }, (_, k) => [k * MIN, (k + 1) / 10] as [number, number])],
  ['Linear10PercentEvery2Minutes', Array.from({ length: 10 }, (_, k) => [k * 2 * MIN, (k + 1) / 10] as [number, number])],
  ['Linear10PercentEvery3Minutes', Array.from({ length: 10 }, (_, k) => [k * 3 * MIN, (k + 1) / 10] as [number, number])],
  ['Linear10PercentEvery10Minutes', Array.from({ length: 10 }, (_, k) => [k * 10 * MIN, (k + 1) / 10] as [number, number])],
  ['AllAtOnce', [[0, 1]]],
];

/** The new version's share at each shift, as [ms after the deployment started, weight]. */
async function shifts(config: DeploymentSpec['config']) {
  const r = await run(scenario({ config }));
  const [started] = r.of('deployment.start');
  return {
    r,
    started,
    shifts: r.of('deployment.shift').map((e) => [e.t - started.t, Math.round((e.weights['2'] ?? 0) * 1000) / 1000] as [number, number]),
  };
}

describe('CodeDeploy presets shift at their exact times', () => {
  for (const [preset, expected] of PRESETS) {
    it(`${preset}, also as CodeDeployDefault.Lambda${preset}`, async () => {
      for (const config of [preset, `CodeDeployDefault.Lambda${preset}`]) {
        const { r, started, shifts: got } = await shifts(config as DeploymentSpec['config']);
        expect(started).toMatchObject({ t: 10_000, alias: 'checkout:live', from: '1', to: '2', config: `CodeDeployDefault.Lambda${preset}` });
        expect(got).toEqual(expected);
        const [ended] = r.of('deployment.end');
        expect(ended).toMatchObject({ t: 10_000 + expected[expected.length - 1][0], outcome: 'Succeeded', deployment: started.deployment });
        expect(r.sim.state.aliases['checkout:live']).toMatchObject({ version: '2', additionalVersionWeights: {} });
      }
    });
  }

  it('runs custom canary and linear configurations', async () => {
    expect((await shifts({ type: 'canary', percent: 25, interval: '3m' })).shifts).toEqual([[0, 0.25], [3 * MIN, 1]]);
    expect((await shifts({ type: 'linear', percent: 30, interval: '2m' })).shifts).toEqual([[0, 0.3], [2 * MIN, 0.6], [4 * MIN, 0.9], [6 * MIN, 1]]);
  });

  it('gives each shift the primary and the new version with weights that add up to 1', async () => {
    const { r } = await shifts('Linear10PercentEvery1Minute');
    const [first] = r.of('deployment.shift');
    expect(first.weights).toEqual({ '1': 0.9, '2': 0.1 });
  });
});

const canaryWithBug = (alarm: Record<string, unknown> = {}): Scenario =>
  scenario(
    {
      at: '1m',
      config: 'Canary10Percent5Minutes',
      alarms: [{ name: 'checkout-errors', metric: 'Errors', threshold: 5, period: '1m', evaluationPeriods: 1, ...alarm } as never],
    },
    {
      duration: '10m',
      faults: [{ function: 'checkout:2', kind: 'error', rate: 0.3 }],
      traffic: [{ invoke: 'checkout:live', type: 'RequestResponse', rate: 20 }],
    },
  );

describe('alarms and rollback', () => {
  it('stops the deployment and flips the alias back when an alarm goes to ALARM', async () => {
    const r = await run(canaryWithBug());
    const alarms = r.of('alarm.state');
    // The first period after the start closes at 2m: 10% of 1200 invocations on version 2, 30% of them fail.
    expect(alarms[0]).toMatchObject({ t: 2 * MIN, alarm: 'checkout-errors', state: 'ALARM', previous: 'INSUFFICIENT_DATA' });
    expect(alarms[0].value!).toBeGreaterThanOrEqual(5);
    const [rollback] = r.of('deployment.rollback');
    expect(rollback).toMatchObject({ t: 2 * MIN, alarm: 'checkout-errors', weights: { '1': 1 } });
    const [ended] = r.of('deployment.end');
    expect(ended).toMatchObject({ t: 2 * MIN, outcome: 'Stopped' });
    // Only the canary step happened, and nothing ran version 2 after the rollback.
    expect(r.of('deployment.shift')).toHaveLength(1);
    expect(r.of('invoke.start').filter((e) => e.t > 2 * MIN && e.version === '2')).toEqual([]);
    expect(r.of('invoke.start').filter((e) => e.t > MIN && e.t <= 2 * MIN && e.version === '2').length).toBeGreaterThan(50);
    expect(r.sim.state.aliases['checkout:live']).toMatchObject({ version: '1', additionalVersionWeights: {} });
  }, 60_000);

  it('counts errors exactly: the alarm value is the errors of version 2 that ended in the period', async () => {
    const r = await run(canaryWithBug({ threshold: 1e9 }));
    const version = new Map(r.of('invoke.start').map((e) => [e.requestId, e.version]));
    const errorsIn = (from: number, to: number) =>
      r.of('invoke.end').filter((e) => e.t >= from && e.t < to && e.outcome === 'error' && version.get(e.requestId) !== undefined).length;
    const okAt2 = r.of('alarm.state').find((e) => e.t === 2 * MIN)!;
    expect(okAt2).toMatchObject({ state: 'OK', value: errorsIn(MIN, 2 * MIN) });
    expect(r.of('deployment.end')[0].outcome).toBe('Succeeded');
  });

  it('needs datapointsToAlarm of evaluationPeriods breaching, and filters by executed version', async () => {
    const r = await run(canaryWithBug({ threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 3, executedVersion: '2' }));
    const alarm = r.of('alarm.state').find((e) => e.state === 'ALARM')!;
    // Periods from 1m: 2m and 3m breach (two of three); the third breaching period closes at 4m.
    expect(alarm.t).toBe(4 * MIN);
    expect(r.of('deployment.rollback')[0].t).toBe(4 * MIN);
  });

  it('alarms on Duration with a statistic', async () => {
    const r = await run(
      scenario(
        {
          at: '30s',
          config: 'Linear10PercentEvery1Minute',
          alarms: [{ name: 'slow', metric: 'Duration', statistic: 'p90', threshold: 500, period: '1m', comparisonOperator: 'GreaterThanThreshold' }],
        },
        {
          duration: '15m',
          functions: { checkout: { duration: '50ms', versions: { '1': {}, '2': { duration: '900ms' } }, aliases: { live: { version: '1' } } } },
          traffic: [{ invoke: 'checkout:live', type: 'RequestResponse', rate: 20 }],
        },
      ),
    );
    const states = r.of('alarm.state');
    const alarm = states.find((e) => e.state === 'ALARM')!;
    // p90 passes 500 ms once version 2 has more than 10% of a period's invocations: the period 1m..2m has
    // 10% for its first half and 20% (from 1m30s) for its second, about 15% in all, so it closes in ALARM.
    expect(states[0]).toMatchObject({ t: MIN, state: 'OK', value: 50 });
    expect(alarm.t).toBe(2 * MIN);
    expect(alarm.value).toBe(900);
    expect(r.of('deployment.end')[0]).toMatchObject({ outcome: 'Stopped' });
  });
});

describe('hooks', () => {
  it('runs BeforeAllowTraffic before any shift and AfterAllowTraffic after 100%', async () => {
    const r = await run(
      scenario(
        { config: 'Canary10Percent5Minutes', hooks: { beforeAllowTraffic: 'smoke', afterAllowTraffic: 'verify' } },
        { functions: { smoke: { duration: '2s' }, verify: { duration: '3s', timeout: '10s' } } as never, duration: '10m' },
      ),
    );
    const hooks = r.of('deployment.hook').map((e) => [e.t, e.hook, e.status]);
    expect(hooks).toEqual([
      [10_000, 'BeforeAllowTraffic', 'InProgress'],
      [12_300, 'BeforeAllowTraffic', 'Succeeded'], // 300 ms cold start + 2 s
      [12_300 + 5 * MIN, 'AfterAllowTraffic', 'InProgress'],
      [12_300 + 5 * MIN + 3_300, 'AfterAllowTraffic', 'Succeeded'],
    ]);
    expect(r.of('deployment.shift').map((e) => e.t)).toEqual([12_300, 12_300 + 5 * MIN]);
    expect(r.of('deployment.end')[0]).toMatchObject({ t: 12_300 + 5 * MIN + 3_300, outcome: 'Succeeded' });
    const hookStart = r.of('invoke.start').find((e) => e.fn === 'smoke')!;
    expect(hookStart.trigger).toBe('async');
  });

  it('fails the deployment without shifting when BeforeAllowTraffic fails', async () => {
    const r = await run(
      scenario(
        { config: 'AllAtOnce', hooks: { beforeAllowTraffic: 'smoke' } },
        { functions: { smoke: { handler: async () => { throw new Error('smoke test failed'); } } } as never, duration: '1m' },
      ),
    );
    expect(r.of('deployment.shift')).toEqual([]);
    expect(r.of('deployment.end')[0]).toMatchObject({ outcome: 'Failed', reason: 'BeforeAllowTraffic hook smoke ended with error' });
    expect(r.sim.state.aliases['checkout:live'].version).toBe('1');
  });

  it('rolls back when AfterAllowTraffic reports Failed', async () => {
    const r = await run(
      scenario(
        { config: 'AllAtOnce', hooks: { afterAllowTraffic: 'verify' } },
        { functions: { verify: { handler: async (event: { DeploymentId: string }) => ({ status: event.DeploymentId ? 'Failed' : 'Succeeded' }) } } as never, duration: '1m' },
      ),
    );
    expect(r.of('deployment.shift').map((e) => e.weights)).toEqual([{ '2': 1 }]);
    expect(r.of('deployment.rollback')[0]).toMatchObject({ reason: 'AfterAllowTraffic hook verify reported Failed', weights: { '1': 1 } });
    expect(r.of('deployment.end')[0].outcome).toBe('Failed');
    expect(r.sim.state.aliases['checkout:live'].version).toBe('1');
  });
});

describe('determinism and validation', () => {
  it('gives the same deployment, byte for byte, for the same seed', async () => {
    const a = (await run(canaryWithBug())).trace.map(traceLine).join('\n');
    const b = (await run(canaryWithBug())).trace.map(traceLine).join('\n');
    expect(a).toBe(b);
    expect(a).toContain('"type":"deployment.rollback"');
  }, 60_000);

  it('refuses unknown presets, non-aliases and unpublished target versions, one line each', () => {
    const errors = (d: Record<string, unknown>) =>
      validateScenario(scenario(d as Partial<DeploymentSpec>), 'x.ts').errors.map(formatValidationError);
    expect(errors({ config: 'Canary10Percent6Minutes' })[0]).toContain("'Canary10Percent6Minutes' is not a CodeDeploy Lambda configuration (did you mean Canary10Percent5Minutes?)");
    expect(errors({ alias: 'checkout:1' })[0]).toContain("x.ts: deployments[0].alias: 'checkout:1' is not an alias");
    expect(errors({ to: '7' })[0]).toBe("x.ts: deployments[0].to: '7' is not a published version; expected one of '1', '2'");
    expect(errors({ config: { type: 'linear', percent: 10, interval: '90s' } })[0]).toContain('whole number of minutes');
    expect(errors({ alarms: [{ name: 'a', metric: 'Errors', threshold: 1, period: '45s' }] })[0]).toContain("allowed '10s', '30s' or a multiple of '1m'");
  });
});
