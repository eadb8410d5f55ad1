import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/dynamodb-stream-bisect.ts: a bad write bisected out of a DynamoDB stream batch', async () => {
  const { model } = await loadScenario('scenarios/dynamodb-stream-bisect.ts');
  const r = await run(model);
  const bad = r.of('record.put')[42];

  it('places writes by the userId value and bisects down to the write of user 42', () => {
    expect(bad.partitionKey).toBe('u42');
    const sizes = new Map(r.of('invoke.start').map((s) => [s.batchId!, s.records!.length]));
    const bisects = r.of('batch.bisect');
    expect(bisects.length).toBeGreaterThanOrEqual(3);
    expect(sizes.get(bisects.at(-1)!.into[0])! + sizes.get(bisects.at(-1)!.into[1])!).toBeLessThanOrEqual(3);
  });

  it('sends users-failed one DDBStreamBatchInfo with second-precision arrival times', () => {
    const d = r.of('deliver');
    expect(d).toHaveLength(1);
    const p = d[0].payload as any;
    expect(p.KinesisBatchInfo).toBeUndefined();
    expect(p.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: bad.id, endSequenceNumber: bad.id, batchSize: 1, shardId: bad.shard });
    expect(p.DDBStreamBatchInfo.approximateArrivalOfFirstRecord).toMatch(/:\d\dZ$/);
    expect(p.DDBStreamBatchInfo.streamArn).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000');
    expect(p.requestContext.approximateInvokeCount).toBe(3);
    expect(r.summary.sources.users.succeeded).toBe(599);
  });
});
