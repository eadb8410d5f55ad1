import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/kinesis-record-age.ts: maxRecordAge ends a block that retries would not', async () => {
  const { model } = await loadScenario('scenarios/kinesis-record-age.ts');
  const r = await run(model);
  const poison = r.of('record.put')[100];

  it('keeps retrying the poisoned batch for a minute, then sends RecordAgeExceeded without responseContext', () => {
    const d = r.of('deliver');
    expect(d.length).toBeGreaterThanOrEqual(1);
    const first = d[0].payload as any;
    expect(d[0].condition).toBe('RecordAgeExceeded');
    expect(Object.keys(first)).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(BigInt(first.KinesisBatchInfo.startSequenceNumber) <= BigInt(poison.id)).toBe(true);
    expect(BigInt(first.KinesisBatchInfo.endSequenceNumber) >= BigInt(poison.id)).toBe(true);
    expect(first.requestContext.approximateInvokeCount).toBeGreaterThan(4);
    const firstArrival = Date.parse(first.KinesisBatchInfo.approximateArrivalOfFirstRecord) - Date.UTC(2025, 0, 1);
    expect(d[0].t - firstArrival).toBeGreaterThan(60_000);
    for (const x of d) expect(x.condition).toBe('RecordAgeExceeded');
  });

  it('lets the shard catch up afterwards', () => {
    const after = r.of('checkpoint').filter((c) => c.shard === poison.shard && c.t > r.of('deliver')[0].t + 5_000);
    expect(after.length).toBeGreaterThan(10);
    expect(r.summary.accounting.ok).toBe(true);
  });
});
