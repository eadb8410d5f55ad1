/**
 * S3 buckets with event notifications (docs/aws-rules.md §6). Traffic `{ to: <bucket> }` puts
 * objects; body(i) may describe the object as `{ key, size, eventName }` (default key `objects/<i>.json`,
 * size the body's JSON bytes, eventName `ObjectCreated:Put`). Every notification whose event types
 * (wildcards like `s3:ObjectCreated:*`) and prefix/suffix filters match invokes its function
 * asynchronously with an S3 event of one record (S3 notifications invoke Lambda asynchronously, S31). A
 * bucket as an async onFailure destination stores the record as an object under `aws/lambda/async/...`,
 * and its notifications fire like for any other put.
 *
 * Ledger: the bucket is the source; an object put is succeeded once stored (whether or not a notification
 * matched). Each notification's event is a new record in `async:<fn>`.
 */
import { matchesS3Notification, s3Event, s3Record, s3Sequencer } from '../aws/index.js';
import { type EngineModule, type IncomingRecord, type RecordAttributes, viewOf } from '../module.js';
import { accountOf, s3ObjectSpec } from './async.js';

export const S3 = 's3';

/** How many recent object keys a bucket row lists. */
export const RECENT_OBJECTS_SHOWN = 10;

/** One bucket's counters. */
export interface S3BucketView {
  bucket: string;
  /** Objects written (traffic puts and destination records). */
  objects: number;
  /** Notifications sent to functions. */
  notifications: number;
  /** The most recent object keys, newest last; at most RECENT_OBJECTS_SHOWN. */
  recentKeys: string[];
}

/** The S3 module's view state, `state.modules.s3`: one row per declared bucket. */
export interface S3ViewState {
  buckets: Record<string, S3BucketView>;
}

const s3View = viewOf<S3ViewState>(S3);

export function createS3Module(): EngineModule<Record<string, never>, unknown, S3ViewState, Map<string, number>> {
  let sequencers = new Map<string, number>();
  return {
    name: S3,
    save: () => sequencers,
    restore(saved) {
      sequencers = saved;
    },
    accepts: ['bucket'],
    init(ctx) {
      const view: S3ViewState = { buckets: {} };
      for (const b of Object.values(ctx.model.buckets)) view.buckets[b.name] = { bucket: b.name, objects: 0, notifications: 0, recentKeys: [] };
      return view;
    },
    put(ctx, bucket, incoming: IncomingRecord) {
      const attrs: RecordAttributes = incoming.attributes ?? {};
      // A destination record comes with its key; traffic describes the object in body(i).
      const spec =
        typeof attrs.key === 'string'
          ? { key: attrs.key, eventName: 'ObjectCreated:Put', size: undefined, content: incoming.body }
          : s3ObjectSpec(incoming.body, incoming.i);
      const id = ctx.admit(bucket, incoming, spec.key);
      ctx.emit({ t: ctx.now, type: 'record.put', source: bucket, id: spec.key });
      const n = sequencers.get(bucket) ?? 0;
      sequencers.set(bucket, n + 1);
      const view = s3View(ctx).buckets[bucket];
      view.objects++;
      view.recentKeys.push(spec.key);
      if (view.recentKeys.length > RECENT_OBJECTS_SHOWN) view.recentKeys.shift();
      const eventEpochMs = ctx.epochMs(attrs.atMs ?? ctx.now);
      ctx.model.buckets[bucket].notifications.forEach((notification, index) => {
        if (!matchesS3Notification(notification, spec.eventName, spec.key)) return;
        const record = s3Record({
          account: accountOf(ctx),
          bucketName: bucket,
          key: spec.key,
          eventName: spec.eventName,
          eventEpochMs,
          sequencer: s3Sequencer(n),
          // The console names configurations freely; this simulator names them by bucket and position.
          configurationId: `${bucket}-notification-${index}`,
          ...(spec.size !== undefined ? { size: spec.size } : {}),
          body: spec.content,
        });
        view.notifications++;
        ctx.put(notification.function, { trafficIndex: incoming.trafficIndex, i: incoming.i, body: s3Event([record]), attributes: { producer: 's3', bucket } });
      });
      ctx.settle(id, 'succeeded');
    },
  };
}
