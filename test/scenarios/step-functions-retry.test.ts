import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { traceLine } from '../../src/engine/trace.js';
import { run } from '../helpers/run.js';

describe('scenarios/step-functions-retry.ts: Retry and Catch around Lambda tasks', async () => {
  const { model } = await loadScenario('scenarios/step-functions-retry.ts');
  const r = await run(model);
  const ends = r.of('sfn.execution.end');

  it('ends every execution', () => {
    expect(ends).toHaveLength(40);
    expect(r.summary.sources.orders).toMatchObject({ put: 40, inFlight: 0, waiting: 0 });
  });

  it('retries throttled charges with growing, jittered waits capped at MaxDelaySeconds', () => {
    const retries = r.of('sfn.task.retry');
    expect(retries.length).toBeGreaterThan(10);
    expect(retries.every((e) => e.state === 'Charge' && e.error === 'Lambda.TooManyRequestsException')).toBe(true);
    for (const e of retries) expect(e.delayMs).toBeLessThanOrEqual(Math.min(8000, 1000 * 2 ** (e.attempt - 2)));
    expect(r.summary.functions.charge.throttles).toBe(r.of('throttle').length);
  });

  it('catches CardDeclined without retrying it and refunds with the error at $.error', () => {
    const caught = r.of('sfn.task.catch').filter((e) => e.error === 'CardDeclined');
    expect(caught).toHaveLength(5);
    const refunded = ends.filter((e) => (e.output as { refund?: string } | undefined)?.refund === 'refunded');
    expect(refunded).toHaveLength(5);
    expect(refunded.map((e) => (e.output as { orderId: number }).orderId).sort((a, b) => a - b)).toEqual([6, 13, 20, 27, 34]);
    expect(refunded[0].output).toMatchObject({ error: { Error: 'CardDeclined' }, refund: 'refunded' });
  });

  it('ends a slow shipment with States.Timeout after 2 s and fails the execution as ShipmentDelayed', () => {
    const timeouts = r.of('sfn.task.catch').filter((e) => e.error === 'States.Timeout');
    expect(timeouts.length).toBeGreaterThanOrEqual(1);
    expect(ends.filter((e) => e.status === 'FAILED').every((e) => e.error === 'ShipmentDelayed')).toBe(true);
    expect(r.summary.sources.orders.failedTo).toEqual({ 'States:ShipmentDelayed': timeouts.length });
  });

  it('replays byte for byte with the same seed (jitter comes from the seed)', async () => {
    const again = await run(model);
    expect(again.trace.map(traceLine).join('\n')).toBe(r.trace.map(traceLine).join('\n'));
  });
});
