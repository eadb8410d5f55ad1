import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HASH_KEY_SPACE,
  compareSequenceNumbers,
  kinesisRecord,
  laneForPartitionKey,
  partitionKeyHash,
  sequenceNumber,
  shardHashKeyRanges,
  shardIndexForPartitionKey,
  tumblingWindowEvent,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };

describe('Kinesis places records on shards by the MD5 of the partition key', () => {
  it('reads the MD5 as an unsigned 128-bit big-endian integer', () => {
    const hex = createHash('md5').update('customer-42').digest('hex');
    expect(partitionKeyHash('customer-42')).toBe(BigInt(`0x${hex}`));
  });

  it('splits the hash key space into equal contiguous ranges, as CreateStream does', () => {
    expect(shardHashKeyRanges(1)).toEqual([{ startingHashKey: '0', endingHashKey: (HASH_KEY_SPACE - 1n).toString() }]);
    expect(shardHashKeyRanges(2)).toEqual([
      { startingHashKey: '0', endingHashKey: '170141183460469231731687303715884105727' },
      { startingHashKey: '170141183460469231731687303715884105728', endingHashKey: '340282366920938463463374607431768211455' },
    ]);
    const three = shardHashKeyRanges(3);
    expect(three[1].startingHashKey).toBe('113427455640312821154458202477256070485');
    expect(three[2].endingHashKey).toBe('340282366920938463463374607431768211455');
    for (let i = 1; i < three.length; i++) {
      expect(BigInt(three[i].startingHashKey)).toBe(BigInt(three[i - 1].endingHashKey) + 1n);
    }
  });

  it('puts every key on the shard whose range holds its hash (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, shards) => {
        const index = shardIndexForPartitionKey(key, shards);
        const range = shardHashKeyRanges(shards)[index];
        const h = partitionKeyHash(key);
        return h >= BigInt(range.startingHashKey) && h <= BigInt(range.endingHashKey);
      }),
    );
  });

  it('always sends the same key to the same shard (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, shards) =>
        shardIndexForPartitionKey(key, shards) === shardIndexForPartitionKey(key, shards)),
    );
  });

  it('spreads many distinct keys evenly over the shards', () => {
    const shards = 4;
    const counts = new Array<number>(shards).fill(0);
    for (let i = 0; i < 20_000; i++) counts[shardIndexForPartitionKey(`key-${i}`, shards)]++;
    for (const c of counts) expect(Math.abs(c - 5_000)).toBeLessThan(500);
  });

  it('keeps one key on one lane of a shard with a parallelization factor', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 10 }), (key, factor) => {
        const lane = laneForPartitionKey(key, factor);
        return lane >= 0 && lane < factor && lane === laneForPartitionKey(key, factor);
      }),
    );
  });

  it('refuses a shard count below 1', () => {
    expect(() => shardIndexForPartitionKey('k', 0)).toThrow(RangeError);
  });
});

describe('Kinesis sequence numbers grow within a shard and sort both ways', () => {
  it('are 56-digit decimal strings like real ones', () => {
    expect(sequenceNumber(0, 0)).toMatch(/^49\d{54}$/);
    expect(sequenceNumber(3, 12345)).toHaveLength(56);
  });

  it('sort the same as strings, as numbers and by put order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.nat(), fc.nat(), (shard, a, b) => {
        const sa = sequenceNumber(shard, a);
        const sb = sequenceNumber(shard, b);
        const byString = sa < sb ? -1 : sa > sb ? 1 : 0;
        const byNumber = BigInt(sa) < BigInt(sb) ? -1 : BigInt(sa) > BigInt(sb) ? 1 : 0;
        const byOrder = a < b ? -1 : a > b ? 1 : 0;
        return byString === byNumber && byNumber === byOrder && compareSequenceNumbers(sa, sb) === byOrder;
      }),
    );
  });

  it('compares numerically even when widths differ', () => {
    expect(compareSequenceNumbers('9', '10')).toBe(-1);
    expect(compareSequenceNumbers('10', '10')).toBe(0);
    expect(compareSequenceNumbers('11', '10')).toBe(1);
  });

  it('differ between shards for the same count', () => {
    expect(sequenceNumber(0, 5)).not.toBe(sequenceNumber(1, 5));
  });
});

describe('Kinesis records as Lambda receives them (docs/aws-rules.md §7)', () => {
  const record = kinesisRecord({
    account,
    streamName: 'orders',
    shardIndex: 6,
    sequenceNumber: sequenceNumber(6, 1),
    partitionKey: 'k1',
    data: { n: 1 },
    arrivalEpochMs: 1_545_084_650_987,
    functionName: 'processor',
  });

  it('has exactly the keys of a real Kinesis record', () => {
    expect(Object.keys(record).sort()).toEqual(
      ['kinesis', 'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn', 'awsRegion', 'eventSourceARN'].sort(),
    );
    expect(Object.keys(record.kinesis).sort()).toEqual(
      ['kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp'].sort(),
    );
  });

  it('carries data as base64 of the JSON payload, and strings as they are', () => {
    expect(Buffer.from(record.kinesis.data, 'base64').toString('utf8')).toBe('{"n":1}');
    const text = kinesisRecord({ ...recordInput(), data: 'hello' });
    expect(text.kinesis.data).toBe(Buffer.from('hello').toString('base64'));
  });

  it('gives the arrival time as epoch seconds with a fraction', () => {
    expect(record.kinesis.approximateArrivalTimestamp).toBe(1545084650.987);
  });

  it('names the event after the shard and sequence number, and the identity after the execution role', () => {
    expect(record.eventID).toBe(`shardId-000000000006:${sequenceNumber(6, 1)}`);
    expect(record.eventName).toBe('aws:kinesis:record');
    expect(record.eventSource).toBe('aws:kinesis');
    expect(record.eventVersion).toBe('1.0');
    expect(record.kinesis.kinesisSchemaVersion).toBe('1.0');
    expect(record.invokeIdentityArn).toBe('arn:aws:iam::123456789012:role/processor-role');
    expect(record.eventSourceARN).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/orders');
  });

  it('adds tumbling-window fields with second-precision window bounds', () => {
    const event = tumblingWindowEvent([record], {
      windowStartEpochMs: Date.UTC(2020, 6, 30, 17, 0, 0),
      windowEndEpochMs: Date.UTC(2020, 6, 30, 17, 5, 0),
      shardId: 'shardId-000000000006',
      eventSourceARN: record.eventSourceARN,
      isFinalInvokeForWindow: true,
    });
    expect(event.window).toEqual({ start: '2020-07-30T17:00:00Z', end: '2020-07-30T17:05:00Z' });
    expect(Object.keys(event).sort()).toEqual(
      ['Records', 'window', 'state', 'shardId', 'eventSourceARN', 'isFinalInvokeForWindow', 'isWindowTerminatedEarly'].sort(),
    );
    expect(event.state).toEqual({});
  });
});

function recordInput() {
  return {
    account,
    streamName: 'orders',
    shardIndex: 0,
    sequenceNumber: sequenceNumber(0, 0),
    partitionKey: 'k',
    data: 'x' as unknown,
    arrivalEpochMs: 0,
    functionName: 'fn',
  };
}
