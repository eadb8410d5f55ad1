/**
 * How traffic becomes stream records: sequence numbers (fast, but the same strings as aws/kinesis.ts and
 * aws/dynamodb.ts build), how a traffic body maps to a DynamoDB item change, and the AWS-shaped records
 * a batch's event carries (built with the aws/ builders).
 */
import type { DynamoDBRecord, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { type AwsAccount, executionRoleArn, kinesisShardId, streamArn } from '../../aws/arn.js';
import { base64OfPayload, epochSecondsFloat } from '../../aws/format.js';
import { type DynamoDBEventName, type StreamViewType, dynamodbStreamRecord } from '../../aws/dynamodb.js';
import { kinesisRecord } from '../../aws/kinesis.js';

/**
 * A formatter of the n-th sequence number of one shard. Same strings as `sequenceNumber` (Kinesis:
 * `49`, 6 shard digits, 48 counter digits) and `dynamodbSequenceNumber` (DynamoDB: `4`, 6 shard digits,
 * 21 counter digits), without BigInt: a million records a run make this a hot path.
 *
 * Each string is built in one piece: `a + b` gives V8 a rope (a pair of pieces), which costs a record
 * about twice the memory of the flat string and is copied piece by piece at every scavenge, and the
 * record store keeps one per record. `join` writes the characters into one flat string.
 */
export function sequenceFormatter(service: 'kinesis' | 'dynamodb', shardIndex: number): (n: number) => string {
  const shard = String(shardIndex).padStart(6, '0');
  const prefix = service === 'kinesis' ? `49${shard}` : `4${shard}`;
  const width = service === 'kinesis' ? 48 : 21;
  const zeros = '0'.repeat(width);
  const parts = [prefix, '', ''];
  return (n) => {
    const digits = String(n);
    parts[1] = digits.length < width ? zeros.slice(digits.length) : '';
    parts[2] = digits;
    return parts.join('');
  };
}

/** The parts of a DynamoDB item change a traffic body describes. */
export interface ItemChange {
  eventName: DynamoDBEventName;
  keys: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
  /** The partition key value as a string: it places the record on a shard. */
  partitionKey: string;
}

const CHANGE_KEYS = new Set(['eventName', 'keys', 'item', 'newImage', 'oldImage']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * How traffic `body(i)` maps to a DynamoDB item change (a table has no PutRecord; traffic stands for
 * writes to the table):
 * - a change descriptor `{ eventName?, item | newImage, oldImage?, keys? }` (an object whose keys are all
 *   among those, with at least one of eventName, item, newImage, oldImage): `item` is a synonym of
 *   `newImage`; without `eventName`, old and new images mean MODIFY, only an old image REMOVE, otherwise
 *   INSERT;
 * - anything else is a plain item written for the first time: INSERT with it as NewImage (a non-object
 *   body becomes `{ value: body }`).
 * The partition key value comes from `keys`, then the images, then the traffic entry's partition key; an
 * image missing its key attribute gets it (a stored item always has its key).
 *
 * @example
 * itemChange({ id: 'u1', n: 1 }, 'id', 'key-0').eventName; // 'INSERT'
 * itemChange({ oldImage: { id: 'u1' } }, 'id', 'key-0').eventName; // 'REMOVE'
 */
export function itemChange(body: unknown, partitionKeyName: string, trafficKey: string): ItemChange {
  let eventName: DynamoDBEventName | undefined;
  let newImage: Record<string, unknown> | undefined;
  let oldImage: Record<string, unknown> | undefined;
  let keys: Record<string, unknown> | undefined;
  const isChange =
    isPlainObject(body) &&
    Object.keys(body).every((k) => CHANGE_KEYS.has(k)) &&
    ['eventName', 'item', 'newImage', 'oldImage'].some((k) => body[k] !== undefined);
  if (isChange) {
    const b = body as Record<string, unknown>;
    const named = b.eventName;
    if (named === 'INSERT' || named === 'MODIFY' || named === 'REMOVE') eventName = named;
    const fresh = b.newImage ?? b.item;
    if (isPlainObject(fresh)) newImage = fresh;
    if (isPlainObject(b.oldImage)) oldImage = b.oldImage;
    if (isPlainObject(b.keys)) keys = b.keys;
    eventName ??= oldImage && newImage ? 'MODIFY' : oldImage ? 'REMOVE' : 'INSERT';
  } else {
    eventName = 'INSERT';
    newImage = isPlainObject(body) ? body : { value: body };
  }
  const keyValue = keys?.[partitionKeyName] ?? newImage?.[partitionKeyName] ?? oldImage?.[partitionKeyName] ?? trafficKey;
  const withKey = (image: Record<string, unknown> | undefined) =>
    image && image[partitionKeyName] === undefined ? { [partitionKeyName]: keyValue, ...image } : image;
  return {
    eventName,
    keys: { [partitionKeyName]: keyValue, ...(keys ?? {}) },
    newImage: withKey(newImage),
    oldImage: withKey(oldImage),
    partitionKey: typeof keyValue === 'string' ? keyValue : JSON.stringify(keyValue),
  };
}

export interface KinesisShapeInput {
  account: AwsAccount;
  streamName: string;
  shardIndex: number;
  sequenceNumber: string;
  partitionKey: string;
  body: unknown;
  arrivalEpochMs: number;
  functionName: string;
}

/** The Kinesis record of a stored record (aws/kinesis.ts). */
export function kinesisShape(input: KinesisShapeInput): KinesisStreamRecord {
  return kinesisRecord({ ...input, data: input.body });
}

/**
 * A Kinesis batch as plain columns, small to copy to a worker thread: the names that make its ARNs, the
 * shard, and per record its position in the shard (the sequence number's counter), partition key, data
 * and arrival. `data` holds the payload as a string (payloadToString) or bytes, or a number n for the
 * default body `{"n":n}`.
 */
export interface PackedKinesisBatch {
  kind: 'kinesis';
  region: string;
  accountId: string;
  streamName: string;
  functionName: string;
  shardIndex: number;
  positions: number[];
  partitionKeys: string[];
  data: Array<string | Uint8Array | number>;
  arrivalEpochMs: number[];
}

/**
 * The event of a packed Kinesis batch: the same records as `kinesisShape` builds (aws/kinesis.ts,
 * kinesisRecord), field for field and in the same order, written in one pass.
 *
 * @example
 * unpackKinesisBatch(packed).Records[0].eventID; // 'shardId-000000000000:49000000…0'
 */
export function unpackKinesisBatch(p: PackedKinesisBatch): KinesisStreamEvent {
  const account = { region: p.region, accountId: p.accountId };
  const seq = sequenceFormatter('kinesis', p.shardIndex);
  const shardPrefix = `${kinesisShardId(p.shardIndex)}:`;
  const role = executionRoleArn(account, p.functionName);
  const arn = streamArn(account, p.streamName);
  const records = new Array<KinesisStreamRecord>(p.positions.length);
  for (let k = 0; k < records.length; k++) {
    const sequenceNumber = seq(p.positions[k]);
    const d = p.data[k];
    records[k] = {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: p.partitionKeys[k],
        sequenceNumber,
        data: base64OfPayload(typeof d === 'number' ? `{"n":${d}}` : d),
        approximateArrivalTimestamp: epochSecondsFloat(p.arrivalEpochMs[k]),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: shardPrefix + sequenceNumber,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: role,
      awsRegion: p.region,
      eventSourceARN: arn,
    };
  }
  return { Records: records };
}

export interface DynamodbShapeInput {
  account: AwsAccount;
  tableName: string;
  partitionKeyName: string;
  streamViewType: StreamViewType;
  sequenceNumber: string;
  partitionKey: string;
  body: unknown;
  creationEpochMs: number;
}

/** The DynamoDB Streams record of a stored record (aws/dynamodb.ts), through {@link itemChange}. */
export function dynamodbShape(input: DynamodbShapeInput): DynamoDBRecord {
  const change = itemChange(input.body, input.partitionKeyName, input.partitionKey);
  return dynamodbStreamRecord({
    account: input.account,
    tableName: input.tableName,
    eventName: change.eventName,
    keys: change.keys,
    newImage: change.newImage,
    oldImage: change.oldImage,
    streamViewType: input.streamViewType,
    sequenceNumber: input.sequenceNumber,
    creationEpochMs: input.creationEpochMs,
  });
}
