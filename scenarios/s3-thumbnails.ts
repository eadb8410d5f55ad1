import { defineScenario } from 'lambda-tui';

/**
 * S3 event notifications invoke a function asynchronously (docs/aws-rules.md §6). Uploads land in a
 * bucket; only keys under photos/ ending in .jpg match the notification's prefix and suffix filters, so
 * PNGs and other prefixes never reach the function. Each matching upload becomes an S3 event record
 * (eventName ObjectCreated:Put, the key URL-encoded: a space arrives as '+'). When the thumbnailer
 * succeeds, its onSuccess destination, a queue, receives the invocation record with condition Success
 * and the handler's return value as responsePayload.
 */
export default defineScenario({
  name: 'S3 thumbnails with an onSuccess destination',
  description: 'only photos/*.jpg uploads invoke thumbnailer; watch each success land in thumbnails-done as an invocation record',
  duration: '30s',
  functions: {
    thumbnailer: {
      duration: { p50: '300ms', p99: '900ms' },
      onSuccess: 'thumbnails-done',
      handler: (event: { Records: Array<{ s3: { bucket: { name: string }; object: { key: string; size: number } } }> }) => {
        const { bucket, object } = event.Records[0].s3;
        const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
        return { bucket: bucket.name, source: key, thumbnail: key.replace(/^photos\//, 'thumbs/'), bytes: Math.ceil(object.size / 10) };
      },
    },
  },
  queues: { 'thumbnails-done': {} },
  buckets: {
    uploads: { notifications: [{ events: ['s3:ObjectCreated:*'], prefix: 'photos/', suffix: '.jpg', function: 'thumbnailer' }] },
  },
  traffic: [
    {
      to: 'uploads',
      rate: 2,
      count: 40,
      body: (i) => ({ key: i % 4 === 3 ? `photos/holiday ${i}.png` : i % 5 === 4 ? `docs/report-${i}.jpg` : `photos/holiday ${i}.jpg`, size: 50_000 + i * 1000 }),
    },
  ],
});
