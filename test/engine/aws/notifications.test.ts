import { describe, expect, it } from 'vitest';
import {
  eventBridgeEvent,
  matchesS3Notification,
  s3EventKey,
  s3EventTypeMatches,
  s3Record,
  s3Sequencer,
  scheduledEvent,
  snsRecord,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };

describe('S3 event notification records (docs/aws-rules.md §6)', () => {
  const r = s3Record({
    account,
    bucketName: 'uploads',
    key: 'in/my photo.jpg',
    eventName: 's3:ObjectCreated:Put',
    eventEpochMs: Date.UTC(2024, 0, 1),
    sequencer: s3Sequencer(1),
    configurationId: 'on-upload',
    body: 'hello',
  });

  it('has exactly the keys of a real record', () => {
    expect(Object.keys(r).sort()).toEqual(
      ['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3'].sort(),
    );
    expect(Object.keys(r.s3).sort()).toEqual(['s3SchemaVersion', 'configurationId', 'bucket', 'object'].sort());
    expect(Object.keys(r.s3.bucket).sort()).toEqual(['name', 'ownerIdentity', 'arn'].sort());
    expect(Object.keys(r.s3.object).sort()).toEqual(['key', 'size', 'eTag', 'sequencer'].sort());
    expect(Object.keys(r.responseElements).sort()).toEqual(['x-amz-request-id', 'x-amz-id-2'].sort());
  });

  it('uses eventVersion 2.1, drops the s3: prefix from the event name and URL-encodes the key', () => {
    expect(r.eventVersion).toBe('2.1');
    expect(r.eventSource).toBe('aws:s3');
    expect(r.eventName).toBe('ObjectCreated:Put');
    expect(r.eventTime).toBe('2024-01-01T00:00:00.000Z');
    expect(r.s3.object.key).toBe('in/my+photo.jpg');
    expect(r.s3.s3SchemaVersion).toBe('1.0');
    expect(r.s3.bucket.arn).toBe('arn:aws:s3:::uploads');
  });

  it('derives size and the ETag (MD5) from the object body', () => {
    expect(r.s3.object.size).toBe(5);
    expect(r.s3.object.eTag).toBe('5d41402abc4b2a76b9719d911017c592');
  });

  it('leaves size and ETag out of ObjectRemoved records', () => {
    const removed = s3Record({ account, bucketName: 'b', key: 'k', eventName: 'ObjectRemoved:Delete', eventEpochMs: 0, sequencer: s3Sequencer(2), configurationId: 'c' });
    expect(Object.keys(removed.s3.object).sort()).toEqual(['key', 'sequencer']);
  });

  it('encodes keys as S3 does in notifications', () => {
    expect(s3EventKey('a b/c=d.txt')).toBe('a+b/c%3Dd.txt');
  });

  it('gives fixed-width sequencers that sort as strings', () => {
    expect(s3Sequencer(9) < s3Sequencer(10)).toBe(true);
    expect(s3Sequencer(255)).toBe('0000000000000000FF');
  });
});

describe('S3 notification configurations match by event type, prefix and suffix', () => {
  it('matches a whole event family with :*', () => {
    expect(s3EventTypeMatches('s3:ObjectCreated:*', 'ObjectCreated:Put')).toBe(true);
    expect(s3EventTypeMatches('s3:ObjectCreated:*', 'ObjectCreated:CompleteMultipartUpload')).toBe(true);
    expect(s3EventTypeMatches('s3:ObjectCreated:*', 'ObjectRemoved:Delete')).toBe(false);
    expect(s3EventTypeMatches('s3:ObjectCreated:Put', 'ObjectCreated:Copy')).toBe(false);
    expect(s3EventTypeMatches('s3:ObjectCreated:Put', 's3:ObjectCreated:Put')).toBe(true);
  });

  it('requires the key to have the prefix and the suffix when set', () => {
    const filter = { events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.csv' };
    expect(matchesS3Notification(filter, 'ObjectCreated:Put', 'in/a.csv')).toBe(true);
    expect(matchesS3Notification(filter, 'ObjectCreated:Put', 'out/a.csv')).toBe(false);
    expect(matchesS3Notification(filter, 'ObjectCreated:Put', 'in/a.json')).toBe(false);
    expect(matchesS3Notification(filter, 'ObjectRemoved:Delete', 'in/a.csv')).toBe(false);
    expect(matchesS3Notification({ events: ['s3:ObjectRemoved:*'] }, 'ObjectRemoved:Delete', 'x')).toBe(true);
  });
});

describe('SNS records use capitalised keys (docs/aws-rules.md §6)', () => {
  const r = snsRecord({
    account,
    topicName: 'alerts',
    subscriber: 'fn',
    messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    message: { level: 'high' },
    subject: 'Alarm',
    messageAttributes: { kind: 'cpu', n: 3 },
    publishedEpochMs: 0,
  });

  it('has exactly the keys of a real record', () => {
    expect(Object.keys(r).sort()).toEqual(['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns'].sort());
    expect(Object.keys(r.Sns).sort()).toEqual(
      ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes'].sort(),
    );
  });

  it('is a Notification whose Message is always a string', () => {
    expect(r.EventSource).toBe('aws:sns');
    expect(r.EventVersion).toBe('1.0');
    expect(r.Sns.Type).toBe('Notification');
    expect(r.Sns.Message).toBe('{"level":"high"}');
    expect(r.Sns.Subject).toBe('Alarm');
    expect(r.Sns.Timestamp).toBe('1970-01-01T00:00:00.000Z');
    expect(r.Sns.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:alerts');
    expect(r.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:alerts:[0-9a-f-]{36}$/);
  });

  it('shows message attributes as {Type, Value}', () => {
    expect(r.Sns.MessageAttributes).toEqual({ kind: { Type: 'String', Value: 'cpu' }, n: { Type: 'Number', Value: '3' } });
  });

  it('sends Subject null when the publisher set none', () => {
    const bare = snsRecord({ account, topicName: 't', messageId: 'm', message: 'x', publishedEpochMs: 0 });
    expect(bare.Sns.Subject).toBeNull();
    expect(bare.Sns.MessageAttributes).toEqual({});
  });
});

describe('EventBridge envelopes (docs/aws-rules.md §6)', () => {
  it('has version 0, the nine envelope keys, and time in whole seconds', () => {
    const e = eventBridgeEvent({ account, id: 'e-1', detailType: 'OrderPlaced', source: 'shop', epochMs: Date.UTC(2019, 10, 14, 18, 16, 5, 568), detail: { id: 1 } });
    expect(Object.keys(e).sort()).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'].sort());
    expect(e.version).toBe('0');
    expect(e.time).toBe('2019-11-14T18:16:05Z');
    expect(e.account).toBe('123456789012');
    expect(e.resources).toEqual([]);
  });

  it('marks schedule events as Scheduled Event from aws.events with the rule ARN', () => {
    const e = scheduledEvent({ account, id: 'e-2', ruleName: 'nightly', epochMs: 0 });
    expect(e['detail-type']).toBe('Scheduled Event');
    expect(e.source).toBe('aws.events');
    expect(e.resources).toEqual(['arn:aws:events:us-east-1:123456789012:rule/nightly']);
    expect(e.detail).toEqual({});
  });
});
