/**
 * ARNs, URLs and ids for the resources of one simulated account. Every function is pure: the same names
 * give the same ARNs, so traces and recorded demos stay byte-identical between runs.
 */
import { md5Hex } from './format.js';

/** Where simulated resources live (scenario `region` / `accountId`). */
export interface AwsAccount {
  region: string;
  accountId: string;
}

/**
 * A Lambda function ARN. Pass a qualifier (`'$LATEST'`, a version, an alias) for the qualified form that
 * asynchronous destination records carry (docs/aws-rules.md §2: "functionArn is qualified").
 *
 * @example
 * functionArn({ region: 'us-east-1', accountId: '123456789012' }, 'orders', '$LATEST');
 * // 'arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST'
 */
export function functionArn(account: AwsAccount, functionName: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${account.region}:${account.accountId}:function:${functionName}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/**
 * An SQS queue ARN (FIFO queue names end in `.fifo`; pass the full name).
 *
 * @example
 * queueArn({ region: 'us-east-1', accountId: '123456789012' }, 'jobs');
 * // 'arn:aws:sqs:us-east-1:123456789012:jobs'
 */
export function queueArn(account: AwsAccount, queueName: string): string {
  return `arn:aws:sqs:${account.region}:${account.accountId}:${queueName}`;
}

/**
 * An SQS queue URL.
 *
 * @example
 * queueUrl({ region: 'us-east-1', accountId: '123456789012' }, 'jobs');
 * // 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs'
 */
export function queueUrl(account: AwsAccount, queueName: string): string {
  return `https://sqs.${account.region}.amazonaws.com/${account.accountId}/${queueName}`;
}

/**
 * A Kinesis data stream ARN.
 *
 * @example
 * streamArn({ region: 'us-east-1', accountId: '123456789012' }, 'orders');
 * // 'arn:aws:kinesis:us-east-1:123456789012:stream/orders'
 */
export function streamArn(account: AwsAccount, streamName: string): string {
  return `arn:aws:kinesis:${account.region}:${account.accountId}:stream/${streamName}`;
}

/**
 * A DynamoDB table ARN.
 *
 * @example
 * tableArn({ region: 'us-east-1', accountId: '123456789012' }, 'users');
 * // 'arn:aws:dynamodb:us-east-1:123456789012:table/users'
 */
export function tableArn(account: AwsAccount, tableName: string): string {
  return `arn:aws:dynamodb:${account.region}:${account.accountId}:table/${tableName}`;
}

/**
 * When the default stream label says the table's stream was enabled. Real labels are the stream's
 * creation time; a fixed instant keeps ARNs deterministic and plausible.
 */
export const STREAM_LABEL_DEFAULT_EPOCH_MS = Date.UTC(2024, 0, 1, 0, 0, 0, 0);

/**
 * A DynamoDB stream label: the stream's creation time as ISO 8601 with milliseconds and no zone
 * (`2024-01-01T00:00:00.000`), as AWS prints it in stream ARNs.
 *
 * @example
 * streamLabel(Date.UTC(2024, 0, 1)); // '2024-01-01T00:00:00.000'
 */
export function streamLabel(createdEpochMs: number = STREAM_LABEL_DEFAULT_EPOCH_MS): string {
  return new Date(createdEpochMs).toISOString().replace(/Z$/, '');
}

/**
 * A DynamoDB table's stream ARN, `table/<t>/stream/<label>` (docs/aws-rules.md §7).
 *
 * @example
 * tableStreamArn({ region: 'us-east-1', accountId: '123456789012' }, 'users');
 * // 'arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-01-01T00:00:00.000'
 */
export function tableStreamArn(account: AwsAccount, tableName: string, createdEpochMs?: number): string {
  return `${tableArn(account, tableName)}/stream/${streamLabel(createdEpochMs)}`;
}

/**
 * An SNS topic ARN.
 *
 * @example
 * topicArn({ region: 'us-east-1', accountId: '123456789012' }, 'alerts');
 * // 'arn:aws:sns:us-east-1:123456789012:alerts'
 */
export function topicArn(account: AwsAccount, topicName: string): string {
  return `arn:aws:sns:${account.region}:${account.accountId}:${topicName}`;
}

/**
 * An SNS subscription ARN: the topic ARN, a colon, and a subscription UUID.
 *
 * @example
 * subscriptionArn(acct, 'alerts', '2bcfbf39-05c3-41de-beaa-fcfcc21c8f55');
 * // 'arn:aws:sns:us-east-1:123456789012:alerts:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55'
 */
export function subscriptionArn(account: AwsAccount, topicName: string, subscriptionId: string): string {
  return `${topicArn(account, topicName)}:${subscriptionId}`;
}

/**
 * An EventBridge event bus ARN.
 *
 * @example
 * busArn({ region: 'us-east-1', accountId: '123456789012' }, 'default');
 * // 'arn:aws:events:us-east-1:123456789012:event-bus/default'
 */
export function busArn(account: AwsAccount, busName: string): string {
  return `arn:aws:events:${account.region}:${account.accountId}:event-bus/${busName}`;
}

/**
 * An EventBridge rule ARN. Rules on the default bus are `rule/<name>`; rules on a custom bus are
 * `rule/<bus>/<name>`.
 *
 * @example
 * ruleArn(acct, 'nightly');          // 'arn:aws:events:us-east-1:123456789012:rule/nightly'
 * ruleArn(acct, 'nightly', 'orders'); // 'arn:aws:events:us-east-1:123456789012:rule/orders/nightly'
 */
export function ruleArn(account: AwsAccount, ruleName: string, busName = 'default'): string {
  const path = busName === 'default' ? ruleName : `${busName}/${ruleName}`;
  return `arn:aws:events:${account.region}:${account.accountId}:rule/${path}`;
}

/**
 * An S3 bucket ARN. Bucket ARNs carry neither region nor account: bucket names are global.
 *
 * @example
 * bucketArn('uploads'); // 'arn:aws:s3:::uploads'
 */
export function bucketArn(bucketName: string): string {
  return `arn:aws:s3:::${bucketName}`;
}

/**
 * The execution role a simulated function runs as; Kinesis records carry it as `invokeIdentityArn`
 * (docs/aws-rules.md §7). Real role names are free-form: `<function>-role` is this simulator's choice.
 *
 * @example
 * executionRoleArn({ region: 'us-east-1', accountId: '123456789012' }, 'orders');
 * // 'arn:aws:iam::123456789012:role/orders-role'
 */
export function executionRoleArn(account: AwsAccount, functionName: string): string {
  return `arn:aws:iam::${account.accountId}:role/${functionName}-role`;
}

/**
 * An ALB target group ARN (events from a load balancer carry it in `requestContext.elb`). The trailing
 * 16-hex id is derived from the name.
 *
 * @example
 * targetGroupArn(acct, 'web');
 * // 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/<16 hex>'
 */
export function targetGroupArn(account: AwsAccount, targetGroupName: string): string {
  const id = md5Hex(`targetgroup:${targetGroupName}`).slice(0, 16);
  return `arn:aws:elasticloadbalancing:${account.region}:${account.accountId}:targetgroup/${targetGroupName}/${id}`;
}

/**
 * A Kinesis shard id: `shardId-` and the shard index as 12 digits (`shardId-000000000000`), the form
 * CreateStream gives its shards and that `eventID` and `KinesisBatchInfo.shardId` carry.
 *
 * @example
 * kinesisShardId(6); // 'shardId-000000000006'
 */
export function kinesisShardId(shardIndex: number): string {
  assertIndex(shardIndex, 'shardIndex');
  return `shardId-${String(shardIndex).padStart(12, '0')}`;
}

/**
 * A DynamoDB Streams shard id. Real ones look like `shardId-00000001536019433019-7b8a01d8`: 20 digits
 * (a creation counter) and 8 hex. Here the digits are the stream's creation time in ms plus the shard
 * index, and the hex is derived from the table name and index, so ids are stable and distinct.
 *
 * @example
 * dynamodbShardId('users', 0); // 'shardId-00000001704067200000-<8 hex>'
 */
export function dynamodbShardId(
  tableName: string,
  shardIndex: number,
  createdEpochMs: number = STREAM_LABEL_DEFAULT_EPOCH_MS,
): string {
  assertIndex(shardIndex, 'shardIndex');
  const digits = String(createdEpochMs + shardIndex).padStart(20, '0');
  return `shardId-${digits}-${md5Hex(`ddb-shard:${tableName}:${shardIndex}`).slice(0, 8)}`;
}

/** Bound helpers for one account, for callers that build many ARNs. */
export interface AccountArns {
  functionArn(functionName: string, qualifier?: string): string;
  queueArn(queueName: string): string;
  queueUrl(queueName: string): string;
  streamArn(streamName: string): string;
  tableArn(tableName: string): string;
  tableStreamArn(tableName: string, createdEpochMs?: number): string;
  topicArn(topicName: string): string;
  busArn(busName: string): string;
  ruleArn(ruleName: string, busName?: string): string;
  bucketArn(bucketName: string): string;
  executionRoleArn(functionName: string): string;
}

/**
 * The ARN builders with the account bound, so call sites read `arns.functionArn('fn', '$LATEST')`.
 *
 * @example
 * const arns = arnsFor({ region: 'eu-west-1', accountId: '111122223333' });
 * arns.queueArn('jobs'); // 'arn:aws:sqs:eu-west-1:111122223333:jobs'
 */
export function arnsFor(account: AwsAccount): AccountArns {
  return {
    functionArn: (name, qualifier) => functionArn(account, name, qualifier),
    queueArn: (name) => queueArn(account, name),
    queueUrl: (name) => queueUrl(account, name),
    streamArn: (name) => streamArn(account, name),
    tableArn: (name) => tableArn(account, name),
    tableStreamArn: (name, createdEpochMs) => tableStreamArn(account, name, createdEpochMs),
    topicArn: (name) => topicArn(account, name),
    busArn: (name) => busArn(account, name),
    ruleArn: (name, bus) => ruleArn(account, name, bus),
    bucketArn: (name) => bucketArn(name),
    executionRoleArn: (name) => executionRoleArn(account, name),
  };
}

function assertIndex(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
