import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/sqs-poison-redrive.ts: a poison message loops through the visibility timeout until redrive', async () => {
  const { model } = await loadScenario('scenarios/sqs-poison-redrive.ts');
  const r = await run(model);
  const poison = r.of('record.put').filter((p) => p.source === 'orders')[7].id;
  const starts = r.of('invoke.start').filter((s) => s.fn === 'processor' && s.records!.includes(poison));

  it('receives the poison message maxReceiveCount (3) times, 20 s apart, with a rising receive count', () => {
    expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(starts[1].t - starts[0].t).toBe(20_000);
    expect(starts[2].t - starts[1].t).toBe(20_000);
    expect(r.of('sqs.visible').filter((v) => v.id === poison).map((v) => v.receiveCount)).toEqual([1, 2, 3]);
  });

  it('moves it to orders-dlq on the next receive attempt, where the inspector receives it', () => {
    const [redrive] = r.of('sqs.redrive');
    expect(redrive).toEqual({ t: starts[2].t + 20_000, type: 'sqs.redrive', queue: 'orders', dlq: 'orders-dlq', id: poison });
    expect(r.of('invoke.start').filter((s) => s.fn === 'inspector').map((s) => s.records)).toEqual([[poison]]);
    expect(r.summary.sources.orders).toMatchObject({ put: 20, succeeded: 19, failedTo: { 'dlq:orders-dlq': 1 } });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('shows the redrive as a dead-letter delivery of the unchanged message, so Destinations says where it went', () => {
    const [delivery] = r.of('deliver');
    const put = r.of('record.put').filter((p) => p.source === 'orders')[7];
    expect(delivery).toMatchObject({ to: 'orders-dlq', kind: 'dlq', condition: 'MaxReceiveCountExceeded', source: 'orders' });
    expect(delivery.t).toBe(r.of('sqs.redrive')[0].t);
    expect(put.id).toBe(poison);
    expect(r.summary.destinations['orders-dlq']).toEqual({ kind: 'queue', deliveries: 1, byCondition: { MaxReceiveCountExceeded: 1 } });
  });
});
