import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/s3-thumbnails.ts: S3 notifications with an onSuccess queue', async () => {
  const { model } = await loadScenario('scenarios/s3-thumbnails.ts');
  const r = await run(model);
  const matching = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 4 !== 3 && i % 5 !== 4);

  it('stores all 40 uploads and invokes thumbnailer only for photos/*.jpg', () => {
    expect(r.summary.sources.uploads).toMatchObject({ put: 40, succeeded: 40 });
    expect(r.summary.sources['async:thumbnailer'].put).toBe(matching.length);
  });

  it('sends thumbnails-done a Success record with the S3 event as requestPayload and the handler result', () => {
    const d = r.of('deliver').filter((e) => e.kind === 'onSuccess');
    expect(d).toHaveLength(matching.length);
    expect(d.every((e) => e.to === 'thumbnails-done' && e.condition === 'Success')).toBe(true);
    // Durations vary, so deliveries need not come in upload order: take the one for the first upload.
    const p = d.map((e) => e.payload as any).find((x) => x.requestPayload.Records[0].s3.object.key === 'photos/holiday+0.jpg');
    expect(p.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:thumbnailer:$LATEST' });
    expect(p.requestPayload.Records[0]).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'uploads' }, object: { key: 'photos/holiday+0.jpg', size: 50_000 } } });
    expect(p.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(p.responsePayload).toEqual({ bucket: 'uploads', source: 'photos/holiday 0.jpg', thumbnail: 'thumbs/holiday 0.jpg', bytes: 5000 });
    expect(r.summary.sources['thumbnails-done'].put).toBe(matching.length);
  });

  it('closes the books', () => {
    expect(r.summary.accounting.ok).toBe(true);
  });
});
