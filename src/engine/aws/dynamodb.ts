/**
 * DynamoDB Streams: AttributeValue marshalling and the stream record Lambda receives (docs/aws-rules.md
 * section 7, "DynamoDB Streams").
 */
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { type AwsAccount, tableStreamArn } from './arn.js';
import { md5Hex, utf8Length } from './format.js';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type DynamoDBEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/**
 * A JavaScript value as DynamoDB JSON. Strings → `S`, finite numbers and BigInts → `N` (as strings),
 * booleans → `BOOL`, null/undefined → `NULL`, bytes → `B` (base64), arrays → `L`, plain objects and Maps →
 * `M`, Sets of only strings / numbers / bytes → `SS` / `NS` / `BS` (other Sets, including empty ones,
 * which DynamoDB cannot store as sets, become `L`), and objects with `toJSON` (Dates) are marshalled as
 * their JSON form. Undefined map values are left out, as JSON does. NaN, Infinity, functions and symbols
 * cannot be stored in DynamoDB and throw, as the AWS SDK's marshaller does.
 *
 * @example
 * marshall({ id: 'a', n: 1, tags: ['x'] });
 * // { M: { id: { S: 'a' }, n: { N: '1' }, tags: { L: [{ S: 'x' }] } } }
 */
export function marshall(value: unknown): AttributeValue {
  return marshallAt(value, '$');
}

/**
 * A JavaScript object as a DynamoDB item: a map from attribute name to AttributeValue.
 *
 * @example
 * marshallItem({ id: 'a' }); // { id: { S: 'a' } }
 */
export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) out[name] = marshallAt(value, `$.${name}`);
  }
  return out;
}

function marshallAt(value: unknown, path: string): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'bigint':
      return { N: value.toString() };
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`${path}: DynamoDB cannot store the number ${value}`);
      return { N: String(value) };
    case 'function':
    case 'symbol':
      throw new TypeError(`${path}: DynamoDB cannot store a ${typeof value}`);
  }
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { L: value.map((v, i) => marshallAt(v, `${path}[${i}]`)) };
  if (value instanceof Set) return marshallSet([...value], path);
  if (value instanceof Map) {
    const m: Record<string, AttributeValue> = {};
    for (const [k, v] of value) if (v !== undefined) m[String(k)] = marshallAt(v, `${path}.${String(k)}`);
    return { M: m };
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return marshallAt(withToJson.toJSON(), path);
  return { M: marshallItemAt(value as Record<string, unknown>, path) };
}

function marshallItemAt(item: Record<string, unknown>, path: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, v] of Object.entries(item)) if (v !== undefined) out[name] = marshallAt(v, `${path}.${name}`);
  return out;
}

function marshallSet(items: unknown[], path: string): AttributeValue {
  if (items.length > 0 && items.every((v) => typeof v === 'string')) return { SS: items as string[] };
  if (items.length > 0 && items.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v)))) {
    return { NS: items.map((v) => String(v)) };
  }
  if (items.length > 0 && items.every((v) => v instanceof Uint8Array)) {
    return { BS: (items as Uint8Array[]).map((b) => Buffer.from(b).toString('base64')) };
  }
  return { L: items.map((v, i) => marshallAt(v, `${path}[${i}]`)) };
}

/**
 * An approximation of DynamoDB's item size rules for stream `SizeBytes`: attribute names and string /
 * binary values count their bytes, numbers about one byte per two significant digits plus one, booleans
 * and nulls one byte, lists and maps three bytes plus one per element.
 *
 * @example
 * itemSizeBytes({ id: { S: 'abc' } }); // 5
 */
export function itemSizeBytes(item: Record<string, AttributeValue>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += utf8Length(name) + attributeSizeBytes(value);
  return total;
}

function attributeSizeBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + utf8Length(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + Buffer.from(b, 'base64').length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + attributeSizeBytes(v), 0);
  if (value.M !== undefined) {
    return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + 1 + utf8Length(k) + attributeSizeBytes(v), 0);
  }
  return 0;
}

function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/**
 * The n-th (0-based) stream record sequence number of a shard. Real ones are decimal strings such as
 * `4421584500000000017450439091`; here `4`, the shard index in 6 digits and `n` in 21 digits: fixed width
 * (28 digits), so string and numeric order both follow write order within a shard.
 *
 * @example
 * dynamodbSequenceNumber(0, 7); // '4000000' + '0'.repeat(20) + '7'
 */
export function dynamodbSequenceNumber(shardIndex: number, n: number | bigint): string {
  if (!Number.isSafeInteger(shardIndex) || shardIndex < 0 || shardIndex > 999_999) {
    throw new RangeError(`shardIndex must be an integer in 0..999999, got ${shardIndex}`);
  }
  const count = BigInt(n);
  if (count < 0n || count.toString().length > 21) throw new RangeError(`n out of range: ${n}`);
  return `4${String(shardIndex).padStart(6, '0')}${count.toString().padStart(21, '0')}`;
}

export interface DynamoDBStreamRecordInput {
  account: AwsAccount;
  tableName: string;
  /** When the table's stream was enabled (its label); default STREAM_LABEL_DEFAULT_EPOCH_MS. */
  streamCreatedEpochMs?: number;
  eventName: DynamoDBEventName;
  /** The item's key attributes as plain JavaScript values. */
  keys: Record<string, unknown>;
  /** The item after the write (INSERT, MODIFY), plain JavaScript. */
  newImage?: Record<string, unknown>;
  /** The item before the write (MODIFY, REMOVE), plain JavaScript. */
  oldImage?: Record<string, unknown>;
  streamViewType: StreamViewType;
  sequenceNumber: string;
  /** When the write happened (absolute epoch ms); the record shows whole epoch seconds. */
  creationEpochMs: number;
  /** Default: MD5 hex of the stream ARN and sequence number (real ids are 32 hex digits too). */
  eventId?: string;
  /** A delete made by TTL: adds `userIdentity` (docs/aws-rules.md §7 marks the shape UNVERIFIED). */
  ttlDelete?: boolean;
}

/**
 * One DynamoDB Streams record as Lambda delivers it. `eventVersion` is `'1.1'`: AWS's docs show `'1.0'`
 * but real events carry `'1.1'` (docs/aws-rules.md §7). Images follow the stream view type: KEYS_ONLY
 * has neither, NEW_IMAGE only NewImage (not on REMOVE), OLD_IMAGE only OldImage (not on INSERT),
 * NEW_AND_OLD_IMAGES whichever exist.
 *
 * @example
 * dynamodbStreamRecord({
 *   account: { region: 'us-east-1', accountId: '123456789012' }, tableName: 'users',
 *   eventName: 'INSERT', keys: { id: 'u1' }, newImage: { id: 'u1', n: 1 },
 *   streamViewType: 'NEW_IMAGE', sequenceNumber: dynamodbSequenceNumber(0, 0), creationEpochMs: 1_700_000_000_900,
 * }).dynamodb?.ApproximateCreationDateTime; // 1700000000
 */
export function dynamodbStreamRecord(input: DynamoDBStreamRecordInput): DynamoDBRecord {
  const arn = tableStreamArn(input.account, input.tableName, input.streamCreatedEpochMs);
  const keys = marshallItem(input.keys);
  const view = input.streamViewType;
  const wantsNew = (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && input.eventName !== 'REMOVE';
  const wantsOld = (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && input.eventName !== 'INSERT';
  const newImage = wantsNew && input.newImage ? marshallItem(input.newImage) : undefined;
  const oldImage = wantsOld && input.oldImage ? marshallItem(input.oldImage) : undefined;

  const dynamodb: StreamRecord = {
    ApproximateCreationDateTime: Math.floor(input.creationEpochMs / 1000),
    Keys: keys,
  };
  if (newImage) dynamodb.NewImage = newImage;
  if (oldImage) dynamodb.OldImage = oldImage;
  dynamodb.SequenceNumber = input.sequenceNumber;
  dynamodb.SizeBytes =
    itemSizeBytes(keys) + (newImage ? itemSizeBytes(newImage) : 0) + (oldImage ? itemSizeBytes(oldImage) : 0);
  dynamodb.StreamViewType = view;

  const record: DynamoDBRecord = {
    eventID: input.eventId ?? md5Hex(`${arn}:${input.sequenceNumber}`),
    eventName: input.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: input.account.region,
    dynamodb,
    eventSourceARN: arn,
  };
  if (input.ttlDelete) {
    // TTL deletions are attributed to the DynamoDB service (docs/aws-rules.md §7, UNVERIFIED shape).
    record.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  }
  return record;
}

/**
 * The event Lambda passes to a function for one DynamoDB Streams batch.
 *
 * @example
 * dynamodbEvent([record]); // { Records: [record] }
 */
export function dynamodbEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
