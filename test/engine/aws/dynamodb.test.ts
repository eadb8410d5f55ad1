import { describe, expect, it } from 'vitest';
import {
  dynamodbEvent,
  dynamodbSequenceNumber,
  dynamodbStreamRecord,
  marshall,
  marshallItem,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };

describe('marshall turns JavaScript values into DynamoDB JSON', () => {
  it('maps scalars to S, N (as a string), BOOL and NULL', () => {
    expect(marshall('a')).toEqual({ S: 'a' });
    expect(marshall(1.5)).toEqual({ N: '1.5' });
    expect(marshall(10n)).toEqual({ N: '10' });
    expect(marshall(true)).toEqual({ BOOL: true });
    expect(marshall(null)).toEqual({ NULL: true });
  });

  it('maps arrays to L, objects to M, leaving out undefined values', () => {
    expect(marshall({ a: [1, 'x'], b: { c: false }, d: undefined })).toEqual({
      M: { a: { L: [{ N: '1' }, { S: 'x' }] }, b: { M: { c: { BOOL: false } } } },
    });
  });

  it('maps bytes to B and homogeneous sets to SS / NS / BS', () => {
    expect(marshall(new Uint8Array([1, 2]))).toEqual({ B: 'AQI=' });
    expect(marshall(new Set(['a', 'b']))).toEqual({ SS: ['a', 'b'] });
    expect(marshall(new Set([1, 2]))).toEqual({ NS: ['1', '2'] });
    expect(marshall(new Set([new Uint8Array([1])]))).toEqual({ BS: ['AQ=='] });
    expect(marshall(new Set())).toEqual({ L: [] });
  });

  it('marshals Dates by their JSON form', () => {
    expect(marshall(new Date(0))).toEqual({ S: '1970-01-01T00:00:00.000Z' });
  });

  it('refuses numbers DynamoDB cannot store, naming the path', () => {
    expect(() => marshall({ a: { b: NaN } })).toThrow(/\$\.a\.b/);
    expect(() => marshall(Infinity)).toThrow(RangeError);
  });

  it('marshals a whole item as a map of attribute values', () => {
    expect(marshallItem({ id: 'u1', n: 2 })).toEqual({ id: { S: 'u1' }, n: { N: '2' } });
  });
});

describe('DynamoDB Streams records as Lambda receives them (docs/aws-rules.md §7)', () => {
  const input = {
    account,
    tableName: 'users',
    keys: { id: 'u1' },
    newImage: { id: 'u1', n: 2 },
    oldImage: { id: 'u1', n: 1 },
    sequenceNumber: dynamodbSequenceNumber(0, 3),
    creationEpochMs: 1_479_499_740_999,
  };

  it('has exactly the keys of a real record, with eventVersion 1.1 as real AWS sends', () => {
    const r = dynamodbStreamRecord({ ...input, eventName: 'MODIFY', streamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Object.keys(r).sort()).toEqual(
      ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN'].sort(),
    );
    expect(r.eventVersion).toBe('1.1');
    expect(r.eventSource).toBe('aws:dynamodb');
    expect(r.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(r.eventSourceARN).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000');
    expect(Object.keys(r.dynamodb!).sort()).toEqual(
      ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType'].sort(),
    );
    expect(r.dynamodb!.NewImage).toEqual({ id: { S: 'u1' }, n: { N: '2' } });
    expect(r.dynamodb!.OldImage).toEqual({ id: { S: 'u1' }, n: { N: '1' } });
  });

  it('gives ApproximateCreationDateTime in whole epoch seconds', () => {
    const r = dynamodbStreamRecord({ ...input, eventName: 'INSERT', streamViewType: 'KEYS_ONLY' });
    expect(r.dynamodb!.ApproximateCreationDateTime).toBe(1_479_499_740);
  });

  it('includes only the images the stream view type keeps', () => {
    const keysOf = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', view: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES') =>
      Object.keys(dynamodbStreamRecord({ ...input, eventName, streamViewType: view }).dynamodb!).filter((k) => k.endsWith('Image'));
    expect(keysOf('MODIFY', 'KEYS_ONLY')).toEqual([]);
    expect(keysOf('MODIFY', 'NEW_IMAGE')).toEqual(['NewImage']);
    expect(keysOf('MODIFY', 'OLD_IMAGE')).toEqual(['OldImage']);
    expect(keysOf('INSERT', 'NEW_AND_OLD_IMAGES')).toEqual(['NewImage']);
    expect(keysOf('REMOVE', 'NEW_AND_OLD_IMAGES')).toEqual(['OldImage']);
    expect(keysOf('REMOVE', 'NEW_IMAGE')).toEqual([]);
  });

  it('reports a positive SizeBytes that grows with the images', () => {
    const keysOnly = dynamodbStreamRecord({ ...input, eventName: 'MODIFY', streamViewType: 'KEYS_ONLY' });
    const both = dynamodbStreamRecord({ ...input, eventName: 'MODIFY', streamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(keysOnly.dynamodb!.SizeBytes).toBeGreaterThan(0);
    expect(both.dynamodb!.SizeBytes).toBeGreaterThan(keysOnly.dynamodb!.SizeBytes!);
  });

  it('marks TTL deletions as made by the DynamoDB service', () => {
    const r = dynamodbStreamRecord({ ...input, eventName: 'REMOVE', streamViewType: 'OLD_IMAGE', ttlDelete: true });
    expect(r.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('numbers records so that string and numeric order follow write order', () => {
    const seqs = [0, 1, 9, 10, 99, 100].map((n) => dynamodbSequenceNumber(2, n));
    expect([...seqs].sort()).toEqual(seqs);
    expect(new Set(seqs.map((s) => s.length)).size).toBe(1);
  });

  it('wraps records in {Records}', () => {
    const r = dynamodbStreamRecord({ ...input, eventName: 'INSERT', streamViewType: 'KEYS_ONLY' });
    expect(dynamodbEvent([r])).toEqual({ Records: [r] });
  });
});
