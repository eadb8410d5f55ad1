import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/kinesis-partial-batch.ts: checkpoint before the lowest failure, retry from there', async () => {
  const { model } = await loadScenario('scenarios/kinesis-partial-batch.ts');
  const r = await run(model);
  const ends = new Map(r.of('invoke.end').map((e) => [e.requestId, e]));

  it('retries each partial batch from its lowest failed sequence number, after checkpointing just before it', () => {
    const starts = r.of('invoke.start');
    let checked = 0;
    for (const s of starts) {
      const end = ends.get(s.requestId)!;
      // A partial response on the last allowed attempt sends the rest to clicks-failed instead.
      if (end.outcome !== 'partial' || r.of('deliver').some((d) => d.t === end.t)) continue;
      const lowest = [...end.failed!].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
      const next = starts.find((x) => x.t > s.t && x.shard === s.shard)!;
      expect(next.records![0]).toBe(lowest);
      const i = s.records!.indexOf(lowest);
      if (i > 0) {
        const cp = r.of('checkpoint').find((c) => c.t === end.t && c.shard === s.shard);
        expect(cp?.sequenceNumber).toBe(s.records![i - 1]);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('lets flaky records succeed on the retry and sends the batch tail from the broken record to clicks-failed', () => {
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    const broken = r.of('record.put')[150];
    const info = (d[0].payload as any).KinesisBatchInfo;
    expect(info.startSequenceNumber).toBe(broken.id);
    expect((d[0].payload as any).requestContext.approximateInvokeCount).toBe(3);
    expect(r.summary.sources.clicks.failed).toBe(info.batchSize);
    expect(r.summary.sources.clicks.succeeded + r.summary.sources.clicks.failed).toBe(600);
  });
});
