import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/kinesis-parallelization.ts: five lanes per shard keep up, one lane falls behind', async () => {
  const { model } = await loadScenario('scenarios/kinesis-parallelization.ts');
  const r = await run(model);

  it('lets the serial stream fall further behind while the parallel one keeps its iterator age low', () => {
    expect(r.summary.sources.serial.peakAgeMs).toBeGreaterThan(60_000);
    expect(r.summary.sources.parallel.peakAgeMs).toBeLessThan(3_000);
    expect(r.summary.sources.parallel.succeeded).toBe(r.summary.sources.parallel.put);
    expect(r.summary.sources.serial.waiting).toBeGreaterThan(500);
  });

  it('runs up to five batches per shard at once on the parallel stream, one on the serial stream', () => {
    const open = new Map<string, string>();
    const peak: Record<string, number> = {};
    for (const e of r.trace) {
      if (e.type === 'invoke.start' && e.trigger === 'esm') {
        open.set(e.requestId, `${e.source}/${e.shard}`);
        const n = [...open.values()].filter((x) => x === `${e.source}/${e.shard}`).length;
        peak[e.source!] = Math.max(peak[e.source!] ?? 0, n);
      } else if (e.type === 'invoke.end') open.delete(e.requestId);
    }
    expect(peak).toEqual({ serial: 1, parallel: 5 });
  });

  it('keeps the records of every partition key in put order', () => {
    const keyOf = new Map(r.of('record.put').map((e) => [`${e.source}/${e.id}`, e.partitionKey]));
    const last = new Map<string, bigint>();
    for (const s of r.of('invoke.start')) {
      for (const id of s.records ?? []) {
        const key = `${s.source}/${keyOf.get(`${s.source}/${id}`)}`;
        expect(BigInt(id) > (last.get(key) ?? -1n)).toBe(true);
        last.set(key, BigInt(id));
      }
    }
  });
});
