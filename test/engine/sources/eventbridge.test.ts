import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/scenario/types.js';
import { run } from '../../helpers/run.js';

const EPOCH = Date.UTC(2025, 0, 1);

function routing(): Scenario {
  return {
    name: 'routing',
    duration: '5s',
    functions: { big: {}, eu: {}, all: {} },
    buses: {
      orders: {
        rules: [
          { name: 'big-orders', eventPattern: { source: ['shop'], detail: { total: [{ numeric: ['>=', 100] }] } }, targets: ['big'] },
          { name: 'eu-or-vip', eventPattern: { $or: [{ detail: { region: [{ prefix: 'eu-' }] } }, { detail: { vip: [true] } }] }, targets: ['eu'] },
          { name: 'everything', eventPattern: { source: [{ exists: true }] }, targets: ['all'] },
        ],
      },
    },
    traffic: [
      {
        to: 'orders',
        count: 4,
        rate: 10,
        body: (i) =>
          [
            { source: 'shop', 'detail-type': 'OrderPlaced', detail: { total: 150, region: 'us-east-1' } },
            { source: 'shop', 'detail-type': 'OrderPlaced', detail: { total: 20, region: 'eu-west-1' } },
            { source: 'shop', 'detail-type': 'OrderPlaced', detail: { total: 500, region: 'ap-south-1', vip: true } },
            { total: 999 },
          ][i],
      },
    ],
  };
}

describe('EventBridge rules route events by pattern to their targets (docs/aws-rules.md §6)', () => {
  it('delivers each event to every matching rule’s targets, numeric, prefix, exists and $or included', async () => {
    const r = await run(routing());
    const puts = (fn: string) => r.summary.sources[`async:${fn}`]?.put ?? 0;
    expect(puts('big')).toBe(2); // 150 and 500; the bare detail comes from 'lambda-tui.traffic', not 'shop'
    expect(puts('eu')).toBe(2); // eu-west-1, and vip
    expect(puts('all')).toBe(4);
    expect(r.summary.sources.orders).toMatchObject({ put: 4, succeeded: 4 });
    const rules = (r.sim.state.modules.eventbridge as any).buses.orders.rules;
    expect(rules.map((x: any) => x.matched)).toEqual([2, 2, 4]);
  });

  it('sends the function the EventBridge envelope; a bare body becomes the detail of a traffic event', async () => {
    const got: any[] = [];
    const s = routing();
    s.functions.all = { handler: (e: unknown) => void got.push(e) };
    await run(s);
    expect(Object.keys(got[0])).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(got[0]).toMatchObject({ version: '0', 'detail-type': 'OrderPlaced', source: 'shop', account: '123456789012', region: 'us-east-1', resources: [] });
    expect(got[0].time).toMatch(/^2025-01-01T00:00:0\dZ$/);
    expect(got[3]).toMatchObject({ source: 'lambda-tui.traffic', 'detail-type': 'Traffic Event', detail: { total: 999 } });
  });

  it('marks an event no rule matches as filtered', async () => {
    const r = await run({
      name: 'unmatched',
      duration: '2s',
      functions: { fn: {} },
      buses: { b: { rules: [{ name: 'r', eventPattern: { source: ['nope'] }, targets: ['fn'] }] } },
      traffic: [{ to: 'b', count: 2, rate: 10 }],
    });
    expect(r.summary.sources.b).toMatchObject({ put: 2, filtered: 2 });
    expect(r.of('record.filtered')).toHaveLength(2);
    expect(r.sim.checkAccounting().ok).toBe(true);
  });

  it('forwards to topics and other buses, whose subscribers and rules then run', async () => {
    const r = await run({
      name: 'targets',
      duration: '2s',
      functions: { viaTopic: {}, viaBus: {} },
      topics: { t: { subscriptions: ['viaTopic'] } },
      buses: {
        first: { rules: [{ name: 'fwd', eventPattern: { source: ['shop'] }, targets: ['t', 'second'] }] },
        second: { rules: [{ name: 'here', eventPattern: { source: ['shop'] }, targets: ['viaBus'] }] },
      },
      traffic: [{ to: 'first', count: 1, rate: 1, body: () => ({ source: 'shop', 'detail-type': 'X', detail: {} }) }],
    });
    expect(r.summary.sources['async:viaTopic']?.put).toBe(1);
    expect(r.summary.sources['async:viaBus']?.put).toBe(1);
    const firstId = r.of('record.put').find((e) => e.source === 'first')!.id;
    expect(r.of('record.put').find((e) => e.source === 'second')!.id).toBe(firstId);
  });
});

describe('EventBridge schedules fire from the simulation start (docs/aws-rules.md §6)', () => {
  it('fires rate(1 minute) every minute and cron(0/5 * * * ? *) every five minutes, with the scheduled-event envelope', async () => {
    const got: any[] = [];
    const r = await run({
      name: 'schedules',
      duration: '11m',
      functions: { tick: {}, five: { handler: (e: unknown) => void got.push(e) } },
      buses: {
        default: {
          rules: [
            { name: 'every-minute', schedule: 'rate(1 minute)', targets: ['tick'] },
            { name: 'every-five', schedule: 'cron(0/5 * * * ? *)', targets: ['five'] },
          ],
        },
      },
    });
    const starts = (fn: string) => r.of('invoke.start').filter((e) => e.fn === fn).map((e) => e.t);
    expect(starts('tick')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => m * 60_000));
    expect(starts('five')).toEqual([300_000, 600_000]);
    expect(got[0]).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: new Date(EPOCH + 300_000).toISOString().replace('.000Z', 'Z'),
      resources: ['arn:aws:events:us-east-1:123456789012:rule/every-five'],
      detail: {},
    });
    expect(r.summary.sources.default).toMatchObject({ put: 13, succeeded: 13 });
  });
});
