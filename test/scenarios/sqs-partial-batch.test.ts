import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/sqs-partial-batch.ts: only the reported messages return to the queue', async () => {
  const { model } = await loadScenario('scenarios/sqs-partial-batch.ts');
  const r = await run(model);
  const puts = r.of('record.put').filter((p) => p.source === 'payments');
  const bad = new Set(puts.filter((_, i) => i % 25 === 3).map((p) => p.id));

  it('reports exactly the negative payments as failed, and deletes the rest of each batch', () => {
    for (const end of r.of('invoke.end')) {
      const start = r.of('invoke.start').find((s) => s.requestId === end.requestId)!;
      const failing = start.records!.filter((id) => bad.has(id));
      if (failing.length === 0) expect(end.outcome).toBe('success');
      else expect(end).toMatchObject({ outcome: 'partial', failed: failing });
    }
    const deleted = r.of('sqs.delete').flatMap((d) => d.ids);
    expect(deleted.filter((id) => bad.has(id))).toEqual([]);
    expect(deleted).toHaveLength(192);
  });

  it('makes only the failed messages reappear, then redrives each after 2 receives', () => {
    expect(new Set(r.of('sqs.visible').map((v) => v.id))).toEqual(bad);
    expect(new Set(r.of('sqs.redrive').map((e) => e.id))).toEqual(bad);
    expect(r.summary.sources.payments.failedTo).toEqual({ 'dlq:payments-dlq': 8 });
    expect(r.summary.functions.charge.errors).toBe(0);
  });
});
