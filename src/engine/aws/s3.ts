/**
 * S3 event notifications: the record Lambda receives and the matching of a bucket's notification
 * configuration (docs/aws-rules.md §6).
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { type AwsAccount, bucketArn } from './arn.js';
import { isoMs, md5Hex, payloadBytes } from './format.js';

/** Event types a notification configuration may name (`s3:` prefixed, `*` for a whole family). */
export const S3_EVENT_TYPES = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:Replication:*',
  's3:ReducedRedundancyLostObject',
] as const;

/** One entry of a bucket's notification configuration (DESIGN.md `BucketSpec.notifications`). */
export interface S3NotificationFilter {
  events: string[];
  prefix?: string;
  suffix?: string;
}

/**
 * Whether an event type pattern from a notification configuration covers an event. `s3:ObjectCreated:*`
 * covers every `ObjectCreated:…` event; other names must match exactly. Either side may omit the `s3:`
 * prefix (records carry `ObjectCreated:Put`, configurations `s3:ObjectCreated:Put`).
 *
 * @example
 * s3EventTypeMatches('s3:ObjectCreated:*', 'ObjectCreated:Put'); // true
 * s3EventTypeMatches('s3:ObjectCreated:Put', 'ObjectCreated:Copy'); // false
 */
export function s3EventTypeMatches(pattern: string, eventName: string): boolean {
  const p = withoutS3Prefix(pattern);
  const e = withoutS3Prefix(eventName);
  if (p.endsWith(':*')) return e.startsWith(p.slice(0, -1));
  return p === e;
}

/**
 * Whether a notification configuration entry fires for an event on a key: some event pattern covers
 * the event, and the (unencoded) key starts with `prefix` and ends with `suffix` when they are set.
 *
 * @example
 * matchesS3Notification({ events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.csv' },
 *   'ObjectCreated:Put', 'in/a.csv'); // true
 */
export function matchesS3Notification(filter: S3NotificationFilter, eventName: string, key: string): boolean {
  if (!filter.events.some((p) => s3EventTypeMatches(p, eventName))) return false;
  if (filter.prefix !== undefined && !key.startsWith(filter.prefix)) return false;
  if (filter.suffix !== undefined && !key.endsWith(filter.suffix)) return false;
  return true;
}

/**
 * An object key as S3 writes it into event notifications: URL-encoded like an HTML form value (spaces
 * become `+`), with `/` kept. Handlers must decode it; many real bugs come from forgetting to.
 *
 * @example
 * s3EventKey('photos/my cat=1.jpg'); // 'photos/my+cat%3D1.jpg'
 */
export function s3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/**
 * The n-th (0-based) sequencer of a bucket: S3 sequencers are hex strings that grow for events on the same
 * key; fixed-width upper-case hex (18 digits, like `0055AED6DCD90281E5`) keeps them comparable as strings.
 *
 * @example
 * s3Sequencer(255); // '0000000000000000FF'
 */
export function s3Sequencer(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  return n.toString(16).toUpperCase().padStart(18, '0');
}

export interface S3RecordInput {
  account: AwsAccount;
  bucketName: string;
  /** The object key, unencoded; the record carries it URL-encoded ({@link s3EventKey}). */
  key: string;
  /** e.g. `ObjectCreated:Put` (an `s3:` prefix is removed). */
  eventName: string;
  /** When the event happened (absolute epoch ms). */
  eventEpochMs: number;
  sequencer: string;
  /** The notification configuration's id (`configurationId`). */
  configurationId: string;
  /** Object size in bytes; default the size of `body`, else 0. Absent from ObjectRemoved records. */
  size?: number;
  /** The object's ETag; default the MD5 hex of `body` (as for a single-part upload). */
  eTag?: string;
  /** The object's content, used only to derive size and ETag. */
  body?: unknown;
  versionId?: string;
  /** The requester; default an IAM principal of this account. */
  principalId?: string;
  sourceIPAddress?: string;
  /** `x-amz-request-id`; default derived from bucket, key and sequencer. */
  amzRequestId?: string;
}

/**
 * One S3 event notification record (docs/aws-rules.md §6): `eventVersion '2.1'`, `eventName` without the
 * `s3:` prefix, the key URL-encoded, and `object{key,size,eTag,sequencer}`. ObjectRemoved records carry
 * only `key` and `sequencer` (and `versionId`), as S3 has no size or ETag to report for a deleted object.
 *
 * @example
 * s3Record({
 *   account: { region: 'us-east-1', accountId: '123456789012' }, bucketName: 'uploads', key: 'a.txt',
 *   eventName: 'ObjectCreated:Put', eventEpochMs: 0, sequencer: s3Sequencer(1), configurationId: 'cfg',
 *   body: 'hello',
 * }).s3.object.eTag; // '5d41402abc4b2a76b9719d911017c592'
 */
export function s3Record(input: S3RecordInput): S3EventRecord {
  const eventName = withoutS3Prefix(input.eventName);
  const bytes = input.body === undefined ? undefined : payloadBytes(input.body);
  const removed = eventName.startsWith('ObjectRemoved:') || eventName.startsWith('LifecycleExpiration:');
  const object: Record<string, unknown> = { key: s3EventKey(input.key) };
  if (!removed) {
    object.size = input.size ?? bytes?.length ?? 0;
    object.eTag = input.eTag ?? md5Hex(bytes ?? new Uint8Array());
  }
  if (input.versionId !== undefined) object.versionId = input.versionId;
  object.sequencer = input.sequencer;
  const seed = `${input.bucketName}|${input.key}|${input.sequencer}`;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.account.region,
    eventTime: isoMs(input.eventEpochMs),
    eventName,
    userIdentity: { principalId: input.principalId ?? `AWS:AIDA${md5Hex(`user:${input.account.accountId}`).slice(0, 17).toUpperCase()}` },
    requestParameters: { sourceIPAddress: input.sourceIPAddress ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': input.amzRequestId ?? md5Hex(`req:${seed}`).slice(0, 16).toUpperCase(),
      'x-amz-id-2': Buffer.from(md5Hex(`id2:${seed}`) + md5Hex(`id2b:${seed}`), 'hex').toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId,
      bucket: {
        name: input.bucketName,
        ownerIdentity: { principalId: md5Hex(`owner:${input.account.accountId}`).slice(0, 14).toUpperCase() },
        arn: bucketArn(input.bucketName),
      },
      // The @types make size and eTag required; ObjectRemoved records really lack them.
      object: object as S3EventRecord['s3']['object'],
    },
  };
}

/**
 * The event S3 sends to a function: one record per notification.
 *
 * @example
 * s3Event([record]); // { Records: [record] }
 */
export function s3Event(records: S3EventRecord[]): S3Event {
  return { Records: records };
}

function withoutS3Prefix(name: string): string {
  return name.startsWith('s3:') ? name.slice(3) : name;
}
