import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contentBasedDeduplicationId,
  md5OfMessageAttributes,
  sqsEvent,
  sqsFifoSequenceNumber,
  sqsRecord,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };
const base = {
  account,
  queueName: 'jobs',
  messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  body: 'test',
  sentEpochMs: 1_545_082_649_183,
  firstReceiveEpochMs: 1_545_082_649_185,
  receiveCount: 1,
};

describe('SQS records as Lambda receives them (docs/aws-rules.md §7)', () => {
  it('has exactly the keys of a real SQS record', () => {
    const r = sqsRecord(base);
    expect(Object.keys(r).sort()).toEqual(
      [
        'messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfBody',
        'eventSource', 'eventSourceARN', 'awsRegion',
      ].sort(),
    );
    expect(Object.keys(r.attributes).sort()).toEqual(
      ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'].sort(),
    );
    expect(r.eventSource).toBe('aws:sqs');
    expect(r.eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:jobs');
    expect(r.awsRegion).toBe('us-east-1');
  });

  it('carries every attribute value as a string, timestamps as epoch ms', () => {
    const r = sqsRecord({ ...base, receiveCount: 3 });
    expect(r.attributes.ApproximateReceiveCount).toBe('3');
    expect(r.attributes.SentTimestamp).toBe('1545082649183');
    expect(r.attributes.ApproximateFirstReceiveTimestamp).toBe('1545082649185');
    for (const v of Object.values(r.attributes)) expect(typeof v).toBe('string');
  });

  it('sends the body as a string: objects are JSON.stringify-ed, strings unchanged', () => {
    expect(sqsRecord({ ...base, body: { n: 1 } }).body).toBe('{"n":1}');
    expect(sqsRecord({ ...base, body: 'plain' }).body).toBe('plain');
    expect(sqsRecord({ ...base, body: undefined }).body).toBe('null');
  });

  it('computes md5OfBody as the real MD5 of the body text', () => {
    expect(sqsRecord(base).md5OfBody).toBe('098f6bcd4621d373cade4e832627b4f6');
    const body = { é: 'ü' };
    expect(sqsRecord({ ...base, body }).md5OfBody).toBe(
      createHash('md5').update(JSON.stringify(body), 'utf8').digest('hex'),
    );
  });

  it('adds SequenceNumber, MessageGroupId and MessageDeduplicationId on FIFO queues', () => {
    const r = sqsRecord({
      ...base,
      queueName: 'jobs.fifo',
      fifo: { sequenceNumber: sqsFifoSequenceNumber(7), messageGroupId: 'g1', messageDeduplicationId: 'd1' },
    });
    expect(r.attributes).toMatchObject({ SequenceNumber: '18000000000000000007', MessageGroupId: 'g1', MessageDeduplicationId: 'd1' });
    expect(Object.keys(r.attributes)).toHaveLength(7);
    expect(r.eventSourceARN.endsWith(':jobs.fifo')).toBe(true);
  });

  it('shows message attributes in Lambda form with empty list fields, plus md5OfMessageAttributes', () => {
    const r = sqsRecord({ ...base, messageAttributes: { kind: 'order', qty: 3 } });
    expect(r.messageAttributes).toEqual({
      kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
      qty: { stringValue: '3', stringListValues: [], binaryListValues: [], dataType: 'Number' },
    });
    expect(r.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sqsRecord(base).messageAttributes).toEqual({});
    expect('md5OfMessageAttributes' in sqsRecord(base)).toBe(false);
  });

  it('hashes message attributes independently of the order they were given in', () => {
    const a = md5OfMessageAttributes({ a: { dataType: 'String', stringValue: '1' }, b: { dataType: 'Number', stringValue: '2' } });
    const b = md5OfMessageAttributes({ b: { dataType: 'Number', stringValue: '2' }, a: { dataType: 'String', stringValue: '1' } });
    expect(a).toBe(b);
    expect(md5OfMessageAttributes({ a: { dataType: 'String', stringValue: '2' } })).not.toBe(
      md5OfMessageAttributes({ a: { dataType: 'String', stringValue: '1' } }),
    );
  });

  it('gives each receive of a message its own receipt handle, deterministically', () => {
    const first = sqsRecord(base).receiptHandle;
    expect(sqsRecord(base).receiptHandle).toBe(first);
    expect(sqsRecord({ ...base, receiveCount: 2 }).receiptHandle).not.toBe(first);
  });

  it('derives content-based deduplication ids from the SHA-256 of the body', () => {
    expect(contentBasedDeduplicationId('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('wraps records in {Records}', () => {
    const r = sqsRecord(base);
    expect(sqsEvent([r])).toEqual({ Records: [r] });
  });
});
