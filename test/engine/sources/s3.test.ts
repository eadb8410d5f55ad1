import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/run.js';

describe('S3 notifications invoke functions asynchronously with S3 event records (docs/aws-rules.md §6)', () => {
  it('fires only the notifications whose event types and prefix/suffix filters match', async () => {
    const keys = ['in/a.jpg', 'in/b.png', 'out/c.jpg', 'in/d.jpg'];
    const got: Record<string, string[]> = { jpg: [], all: [], removed: [] };
    const r = await run({
      name: 'filters',
      duration: '5s',
      functions: {
        jpg: { handler: (e: any) => void got.jpg.push(e.Records[0].s3.object.key) },
        all: { handler: (e: any) => void got.all.push(e.Records[0].s3.object.key) },
        removed: { handler: (e: any) => void got.removed.push(e.Records[0].s3.object.key) },
      },
      buckets: {
        uploads: {
          notifications: [
            { events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.jpg', function: 'jpg' },
            { events: ['s3:ObjectCreated:Put'], function: 'all' },
            { events: ['s3:ObjectRemoved:*'], function: 'removed' },
          ],
        },
      },
      traffic: [{ to: 'uploads', count: keys.length, rate: 10, body: (i) => ({ key: keys[i], size: 100 + i }) }],
    });
    expect(got.jpg).toEqual(['in/a.jpg', 'in/d.jpg']);
    expect(got.all).toEqual(keys);
    expect(got.removed).toEqual([]);
    expect(r.summary.sources.uploads).toMatchObject({ put: 4, succeeded: 4 });
    expect((r.sim.state.modules.s3 as any).buckets.uploads).toMatchObject({ objects: 4, notifications: 6 });
  });

  it('builds the record as S3 does: eventVersion 2.1, ObjectCreated:Put, encoded key, size, eTag, sequencer', async () => {
    const got: any[] = [];
    await run({
      name: 'record',
      duration: '2s',
      functions: { fn: { handler: (e: unknown) => void got.push(e) } },
      buckets: { uploads: { notifications: [{ events: ['s3:ObjectCreated:*'], function: 'fn' }] } },
      traffic: [{ to: 'uploads', count: 2, rate: 10, body: (i) => (i === 0 ? { key: 'my photo.jpg', size: 2048 } : 'plain') }],
    });
    const [a, b] = got.map((e) => e.Records[0]);
    expect(a).toMatchObject({ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventName: 'ObjectCreated:Put' });
    expect(a.s3).toMatchObject({ s3SchemaVersion: '1.0', configurationId: 'uploads-notification-0', bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' } });
    expect(a.s3.object).toMatchObject({ key: 'my+photo.jpg', size: 2048, sequencer: '000000000000000000' });
    expect(b.s3.object).toMatchObject({ key: 'objects/1.json', size: 5, sequencer: '000000000000000001' });
    expect(a.eventTime).toMatch(/^2025-01-01T00:00:00\.\d{3}Z$/);
  });

  it('honours a given eventName, so ObjectRemoved notifications fire for deletes', async () => {
    const r = await run({
      name: 'remove',
      duration: '2s',
      functions: { fn: {} },
      buckets: { b: { notifications: [{ events: ['s3:ObjectRemoved:*'], function: 'fn' }] } },
      traffic: [{ to: 'b', count: 2, rate: 10, body: (i) => ({ key: `k${i}`, eventName: i === 0 ? 'ObjectRemoved:Delete' : 'ObjectCreated:Put' }) }],
    });
    expect(r.summary.sources['async:fn']?.put).toBe(1);
  });

  it('stores an onFailure record as an object under aws/lambda/async/<fn>/ and fires that bucket’s notifications', async () => {
    const got: any[] = [];
    const r = await run({
      name: 'bucket destination',
      duration: '10m',
      functions: { bad: { retryAttempts: 0, onFailure: 'failures' }, reader: { handler: (e: unknown) => void got.push(e) } },
      buckets: { failures: { notifications: [{ events: ['s3:ObjectCreated:*'], prefix: 'aws/lambda/async/bad/', function: 'reader' }] } },
      traffic: [{ invoke: 'bad', type: 'Event', count: 1, rate: 1 }],
      faults: [{ function: 'bad', kind: 'error' }],
    });
    const key = r.of('record.put').find((e) => e.source === 'failures')!.id;
    expect(key).toMatch(/^aws\/lambda\/async\/bad\/2025\/01\/01\/2025-01-01T00\.00\.\d\d-[0-9a-f-]{36}$/);
    expect(got).toHaveLength(1);
    expect(decodeURIComponent(got[0].Records[0].s3.object.key.replace(/\+/g, ' '))).toBe(key);
    expect(r.summary.sources['async:bad'].failedTo).toEqual({ failures: 1 });
  });
});
