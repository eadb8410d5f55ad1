import { describe, expect, it } from 'vitest';
import { sequenceNumber } from '../../src/engine/aws/kinesis.js';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/kinesis-error.ts: one poison record, bisected out, while other shards flow', async () => {
  const { model } = await loadScenario('scenarios/kinesis-error.ts');
  const r = await run(model);
  const poison = r.of('record.put')[200];
  const starts = r.of('invoke.start');

  it('bisects the failing batch in halves down to the poison record alone', () => {
    const sizes = new Map(starts.map((s) => [s.batchId!, s.records!.length]));
    const bisects = r.of('batch.bisect');
    expect(bisects.length).toBeGreaterThanOrEqual(3);
    for (const b of bisects) {
      const parent = sizes.get(b.batchId)!;
      expect(b.into.map((id) => sizes.get(id))).toEqual([Math.ceil(parent / 2), Math.floor(parent / 2)]);
      expect(b.shard).toBe(poison.shard);
    }
    const lone = starts.filter((s) => s.records?.length === 1 && s.records[0] === poison.id);
    expect(lone.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends orders-failed exactly one KinesisBatchInfo for the poison record after 6 invocations', () => {
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    const p = d[0].payload as any;
    expect(d[0]).toMatchObject({ to: 'orders-failed', kind: 'onFailure', condition: 'RetryAttemptsExhausted' });
    expect(p.requestContext.approximateInvokeCount).toBe(6);
    expect(p.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(p.KinesisBatchInfo).toMatchObject({ shardId: poison.shard, startSequenceNumber: poison.id, endSequenceNumber: poison.id, batchSize: 1 });
    expect(r.summary.sources.orders.failedTo).toEqual({ 'orders-failed': 1 });
  });

  it('keeps the other shards checkpointing while the poisoned shard is blocked', () => {
    const blockedFrom = starts.find((s) => s.records?.includes(poison.id))!.t;
    const blockedUntil = r.of('deliver')[0].t;
    expect(blockedUntil - blockedFrom).toBeGreaterThan(25_000);
    const during = r.of('checkpoint').filter((c) => c.t > blockedFrom + 2_000 && c.t < blockedUntil);
    const shards = new Set(during.map((c) => c.shard));
    expect(shards.size).toBe(3);
    expect(shards.has(poison.shard!)).toBe(false);
    expect(r.summary.sources.orders.peakAgeMs).toBeGreaterThan(25_000);
  });

  it('lets every good neighbour of the poison record succeed and the checkpoint pass it', () => {
    const cps = r.of('checkpoint').filter((c) => c.shard === poison.shard).map((c) => BigInt(c.sequenceNumber));
    expect(cps.at(-1)! >= BigInt(poison.id)).toBe(true);
    expect(r.summary.sources.orders.failed).toBe(1);
    expect(r.summary.accounting.ok).toBe(true);
    expect(poison.id.startsWith('49')).toBe(true);
    expect(sequenceNumber(0, 0)).toHaveLength(poison.id.length);
  });
});
