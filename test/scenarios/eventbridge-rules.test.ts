import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/eventbridge-rules.ts: pattern routing to two functions and a schedule', async () => {
  const { model } = await loadScenario('scenarios/eventbridge-rules.ts');
  const r = await run(model);
  const orders = Array.from({ length: 120 }, (_, i) => ({ total: (i * 37) % 250, region: ['eu-west-1', 'us-east-1', 'ap-south-1'][i % 3], vip: i % 10 === 0 }));

  it('routes orders of 100 or more to fraud-check', () => {
    expect(r.summary.sources['async:fraud-check'].put).toBe(orders.filter((o) => o.total >= 100).length);
  });

  it('routes European or VIP orders ($or) to eu-fulfilment', () => {
    expect(r.summary.sources['async:eu-fulfilment'].put).toBe(orders.filter((o) => o.region.startsWith('eu-') || o.vip).length);
  });

  it('invokes report once a minute from the start with a Scheduled Event', () => {
    const starts = r.of('invoke.start').filter((e) => e.fn === 'report');
    expect(starts.map((e) => e.t)).toEqual([60_000, 120_000, 180_000]);
    expect(r.sim.inspect('async', starts[0].records![0])).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
  });

  it('books every order on the bus and closes the books', () => {
    const bus = r.summary.sources.orders;
    expect(bus.put).toBe(120);
    expect(bus.succeeded + bus.filtered).toBe(120);
    expect(bus.filtered).toBe(orders.filter((o) => !(o.total >= 100) && !(o.region.startsWith('eu-') || o.vip)).length);
    expect(r.summary.accounting.ok).toBe(true);
  });
});
