import { describe, expect, it } from 'vitest';
import {
  arnsFor,
  bucketArn,
  busArn,
  dynamodbShardId,
  executionRoleArn,
  functionArn,
  kinesisShardId,
  queueArn,
  queueUrl,
  ruleArn,
  streamArn,
  tableArn,
  tableStreamArn,
  topicArn,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };

describe('ARNs name resources the way AWS prints them', () => {
  it('gives functions an unqualified ARN and a qualified one for destination records', () => {
    expect(functionArn(account, 'fn')).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn');
    expect(functionArn(account, 'fn', '$LATEST')).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST');
  });

  it('names queues, streams, tables, topics, buses, rules and buckets', () => {
    expect(queueArn(account, 'q')).toBe('arn:aws:sqs:us-east-1:123456789012:q');
    expect(queueUrl(account, 'q')).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/q');
    expect(streamArn(account, 's')).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/s');
    expect(tableArn(account, 't')).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/t');
    expect(topicArn(account, 'tp')).toBe('arn:aws:sns:us-east-1:123456789012:tp');
    expect(busArn(account, 'default')).toBe('arn:aws:events:us-east-1:123456789012:event-bus/default');
    expect(ruleArn(account, 'r')).toBe('arn:aws:events:us-east-1:123456789012:rule/r');
    expect(ruleArn(account, 'r', 'orders')).toBe('arn:aws:events:us-east-1:123456789012:rule/orders/r');
    expect(bucketArn('b')).toBe('arn:aws:s3:::b');
    expect(executionRoleArn(account, 'fn')).toBe('arn:aws:iam::123456789012:role/fn-role');
  });

  it('gives a table stream a deterministic label: table/<t>/stream/<ISO time without zone>', () => {
    expect(tableStreamArn(account, 't')).toBe(
      'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000',
    );
    expect(tableStreamArn(account, 't')).toBe(tableStreamArn(account, 't'));
  });

  it('formats Kinesis shard ids with 12 digits', () => {
    expect(kinesisShardId(0)).toBe('shardId-000000000000');
    expect(kinesisShardId(6)).toBe('shardId-000000000006');
    expect(() => kinesisShardId(-1)).toThrow(RangeError);
  });

  it('formats DynamoDB shard ids as 20 digits and 8 hex, distinct per shard', () => {
    const a = dynamodbShardId('t', 0);
    const b = dynamodbShardId('t', 1);
    expect(a).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(dynamodbShardId('t', 0)).toBe(a);
  });

  it('binds the account once for callers that build many ARNs', () => {
    const arns = arnsFor(account);
    expect(arns.functionArn('fn', '1')).toBe(functionArn(account, 'fn', '1'));
    expect(arns.tableStreamArn('t')).toBe(tableStreamArn(account, 't'));
  });
});
