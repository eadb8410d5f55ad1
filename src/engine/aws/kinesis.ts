/**
 * Kinesis Data Streams: shard placement by partition key, sequence numbers, and the record shape Lambda
 * receives (docs/aws-rules.md §7, "Kinesis").
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { type AwsAccount, executionRoleArn, kinesisShardId, streamArn } from './arn.js';
import { epochSecondsFloat, isoSeconds, md5Hex, payloadBytes } from './format.js';

/** 2^128: the size of Kinesis' hash key space (MD5 gives 128-bit hash keys). */
export const HASH_KEY_SPACE = 1n << 128n;

/**
 * A partition key's hash key: its MD5 read as an unsigned 128-bit big-endian integer. Kinesis maps
 * partition keys to shards this way (docs/aws-rules.md checklist, "Kinesis and DynamoDB Streams").
 *
 * @example
 * partitionKeyHash('a') < HASH_KEY_SPACE; // true
 */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${md5Hex(partitionKey)}`);
}

/** One shard's inclusive hash key range, as DescribeStream prints it (decimal strings). */
export interface HashKeyRange {
  startingHashKey: string;
  endingHashKey: string;
}

/**
 * The hash key ranges CreateStream gives `shardCount` shards: equal, contiguous ranges of width
 * floor(2^128 / shardCount), the last one running to 2^128 - 1.
 *
 * @example
 * shardHashKeyRanges(2)[1].startingHashKey; // '170141183460469231731687303715884105728'
 */
export function shardHashKeyRanges(shardCount: number): HashKeyRange[] {
  const width = rangeWidth(shardCount);
  const ranges: HashKeyRange[] = [];
  for (let i = 0; i < shardCount; i++) {
    const start = width * BigInt(i);
    const end = i === shardCount - 1 ? HASH_KEY_SPACE - 1n : start + width - 1n;
    ranges.push({ startingHashKey: start.toString(), endingHashKey: end.toString() });
  }
  return ranges;
}

/**
 * The shard (0-based) that owns a partition key: the range of {@link shardHashKeyRanges} that contains
 * the key's MD5 hash key. The same key always lands on the same shard.
 *
 * @example
 * shardIndexForPartitionKey('customer-42', 4); // 0..3, always the same for this key
 */
export function shardIndexForPartitionKey(partitionKey: string, shardCount: number): number {
  const width = rangeWidth(shardCount);
  const index = partitionKeyHash(partitionKey) / width;
  // The last range absorbs the remainder of 2^128 / shardCount.
  return Number(index >= BigInt(shardCount) ? BigInt(shardCount - 1) : index);
}

/**
 * The poller lane (0-based) of a shard that a partition key's records go to when the mapping's
 * ParallelizationFactor is above 1. AWS only promises that one key always uses one lane, so key order
 * holds (docs/aws-rules.md §3.4); its hashing is not documented: the simulator reuses the key's MD5,
 * reduced modulo the factor.
 *
 * @example
 * laneForPartitionKey('customer-42', 1); // 0
 */
export function laneForPartitionKey(partitionKey: string, parallelizationFactor: number): number {
  if (!Number.isSafeInteger(parallelizationFactor) || parallelizationFactor < 1) {
    throw new RangeError(`parallelizationFactor must be a positive integer, got ${parallelizationFactor}`);
  }
  return Number(partitionKeyHash(partitionKey) % BigInt(parallelizationFactor));
}

/** Digits of a simulated Kinesis sequence number, as long as real ones. */
export const SEQUENCE_NUMBER_DIGITS = 56;
const SHARD_DIGITS = 6;
const COUNTER_DIGITS = SEQUENCE_NUMBER_DIGITS - 2 - SHARD_DIGITS;

/**
 * The sequence number of the n-th record (0-based) put to a shard. Real ones are 56-digit decimals
 * starting `49…`; this one is `49`, the shard index in 6 digits and `n` in 48 digits. Fixed width means
 * string order, numeric order and put order agree within a shard, and the tail digits read as the count
 * (`…0005521`) in the dashboard.
 *
 * @example
 * sequenceNumber(1, 5); // '49000001' + '0'.repeat(47) + '5'
 */
export function sequenceNumber(shardIndex: number, n: number | bigint): string {
  if (!Number.isSafeInteger(shardIndex) || shardIndex < 0 || shardIndex >= 10 ** SHARD_DIGITS) {
    throw new RangeError(`shardIndex must be an integer in 0..${10 ** SHARD_DIGITS - 1}, got ${shardIndex}`);
  }
  const count = BigInt(n);
  if (count < 0n) throw new RangeError(`n must be non-negative, got ${n}`);
  const digits = count.toString();
  if (digits.length > COUNTER_DIGITS) throw new RangeError(`n is too large for a sequence number: ${n}`);
  return `49${String(shardIndex).padStart(SHARD_DIGITS, '0')}${digits.padStart(COUNTER_DIGITS, '0')}`;
}

/**
 * Order two sequence numbers numerically (AWS documents them as numbers that grow over time; they may
 * differ in length across streams, so plain string comparison is only safe at equal width).
 *
 * @example
 * compareSequenceNumbers('9', '10'); // -1
 */
export function compareSequenceNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface KinesisRecordInput {
  account: AwsAccount;
  streamName: string;
  shardIndex: number;
  sequenceNumber: string;
  partitionKey: string;
  /** The record data: strings and bytes as they are, anything else JSON.stringify'd; then base64. */
  data: unknown;
  /** When Kinesis accepted the record (absolute epoch ms). */
  arrivalEpochMs: number;
  /** The consuming function; its execution role becomes `invokeIdentityArn`. */
  functionName: string;
}

/**
 * One Kinesis record as Lambda delivers it: `data` is base64, `approximateArrivalTimestamp` is epoch
 * seconds as a float, and `eventID` is `<shardId>:<sequenceNumber>` (docs/aws-rules.md §7).
 *
 * @example
 * kinesisRecord({
 *   account: { region: 'us-east-1', accountId: '123456789012' }, streamName: 'orders', shardIndex: 0,
 *   sequenceNumber: sequenceNumber(0, 0), partitionKey: 'k', data: { n: 1 },
 *   arrivalEpochMs: 1_545_084_650_987, functionName: 'processor',
 * }).kinesis.data; // 'eyJuIjoxfQ=='
 */
export function kinesisRecord(input: KinesisRecordInput): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: input.partitionKey,
      sequenceNumber: input.sequenceNumber,
      data: Buffer.from(payloadBytes(input.data)).toString('base64'),
      approximateArrivalTimestamp: epochSecondsFloat(input.arrivalEpochMs),
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${kinesisShardId(input.shardIndex)}:${input.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: executionRoleArn(input.account, input.functionName),
    awsRegion: input.account.region,
    eventSourceARN: streamArn(input.account, input.streamName),
  };
}

/**
 * The event Lambda passes to a function for one Kinesis batch.
 *
 * @example
 * kinesisEvent([record]); // { Records: [record] }
 */
export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** The tumbling-window fields that stream events gain when the mapping sets TumblingWindowInSeconds. */
export interface TumblingWindowFields {
  window: { start: string; end: string };
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

export interface TumblingWindowInput {
  windowStartEpochMs: number;
  windowEndEpochMs: number;
  /** The state the previous invoke of this window returned; `{}` on the first. */
  state?: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly?: boolean;
}

/**
 * A stream event with tumbling-window fields (docs/aws-rules.md §3.4: `window{start,end}`, `state`,
 * `shardId`, `eventSourceARN`, `isFinalInvokeForWindow`, `isWindowTerminatedEarly`). Window bounds are
 * second-precision ISO strings, as in AWS's examples (`2020-07-30T17:00:00Z`). Works for Kinesis and
 * DynamoDB Streams records alike.
 *
 * @example
 * tumblingWindowEvent([record], {
 *   windowStartEpochMs: 0, windowEndEpochMs: 60_000, shardId: 'shardId-000000000000',
 *   eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', isFinalInvokeForWindow: false,
 * }).window; // { start: '1970-01-01T00:00:00Z', end: '1970-01-01T00:01:00Z' }
 */
export function tumblingWindowEvent<R>(records: R[], input: TumblingWindowInput): { Records: R[] } & TumblingWindowFields {
  return {
    Records: records,
    window: { start: isoSeconds(input.windowStartEpochMs), end: isoSeconds(input.windowEndEpochMs) },
    state: input.state ?? {},
    shardId: input.shardId,
    eventSourceARN: input.eventSourceARN,
    isFinalInvokeForWindow: input.isFinalInvokeForWindow,
    isWindowTerminatedEarly: input.isWindowTerminatedEarly ?? false,
  };
}

function rangeWidth(shardCount: number): bigint {
  if (!Number.isSafeInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shardCount must be a positive integer, got ${shardCount}`);
  }
  return HASH_KEY_SPACE / BigInt(shardCount);
}
