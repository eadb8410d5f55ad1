import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import type { SqsViewState } from '../../src/engine/sources/sqs.js';
import { createSimulation } from '../../src/engine/simulation.js';
import { run } from '../helpers/run.js';

describe('scenarios/sqs-fifo-groups.ts: one blocked group, the others flowing', async () => {
  const { model } = await loadScenario('scenarios/sqs-fifo-groups.ts');
  const r = await run(model);
  const puts = r.of('record.put').filter((p) => p.source === 'ledger.fifo');
  const groupOf = new Map(puts.map((p) => [p.id, p.group!]));
  const bad = puts[9];
  const redrive = r.of('sqs.redrive')[0];

  it('fails the bad acct-2 entry 3 times, then redrives it to the FIFO dead-letter queue', () => {
    expect(bad.group).toBe('acct-2');
    expect(r.of('invoke.start').filter((s) => s.records!.includes(bad.id)).map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(r.of('sqs.redrive')).toEqual([{ t: redrive.t, type: 'sqs.redrive', queue: 'ledger.fifo', dlq: 'ledger-dlq.fifo', id: bad.id }]);
  });

  it('receives no later acct-2 message until the bad one is gone, while acct-1, acct-3 and acct-4 keep going', () => {
    const firstFail = r.of('invoke.start').find((s) => s.records!.includes(bad.id))!;
    const during = r.of('invoke.start').filter((s) => s.t > firstFail.t && s.t < redrive.t);
    const groups = new Set(during.flatMap((s) => s.records!.map((id) => groupOf.get(id))));
    expect(groups).toEqual(new Set(['acct-1', 'acct-2', 'acct-3', 'acct-4']));
    // The only acct-2 message received meanwhile is the bad one itself.
    expect(during.flatMap((s) => s.records!).filter((id) => groupOf.get(id) === 'acct-2').every((id) => id === bad.id)).toBe(true);
  });

  it('keeps order within every group', () => {
    const seen = new Set<string>();
    const order: Record<string, string[]> = {};
    for (const s of r.of('invoke.start')) for (const id of s.records!) if (!seen.has(id)) (seen.add(id), (order[groupOf.get(id)!] ??= []).push(id));
    const expected: Record<string, string[]> = {};
    for (const p of puts) (expected[p.group!] ??= []).push(p.id);
    expect(order).toEqual(expected);
  });

  it('shows acct-2 as the blocked group while it waits', async () => {
    const sim = createSimulation(model);
    await sim.run(5_000);
    expect((sim.state.modules.sqs as SqsViewState).queues['ledger.fifo']).toMatchObject({ blockedGroups: ['acct-2'], blockedGroupCount: 1 });
  });
});
