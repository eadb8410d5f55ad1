/**
 * What differs between a Kinesis stream and a DynamoDB table's stream, as data: one entry per resource
 * kind. Everything else in the stream module (shards, pollers, checkpoints, windows, bisect, on-failure)
 * is the same code for both (docs/aws-rules.md §3.4).
 */
import type { DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { dynamodbShardId, kinesisShardId, streamArn, tableStreamArn, type AwsAccount } from '../../aws/arn.js';
import { dynamodbEvent, type StreamViewType } from '../../aws/dynamodb.js';
import { kinesisEvent } from '../../aws/kinesis.js';
import { dynamodbShape, itemChange, kinesisShape } from './records.js';

export type Service = 'kinesis' | 'dynamodb';
export type StreamResource = 'stream' | 'table';

/** What a record shape needs to know about where the record is. */
export interface ShapeInput {
  account: AwsAccount;
  /** The stream or table name. */
  source: string;
  /** DynamoDB only: the table's partition key attribute and its stream view type. */
  partitionKeyName?: string;
  streamViewType?: StreamViewType;
  shardIndex: number;
  sequenceNumber: string;
  partitionKey: string | undefined;
  body: unknown;
  /** Arrival (Kinesis) or creation (DynamoDB) time, epoch ms. */
  atEpochMs: number;
  /** The mapping's function (Kinesis records name it in their eventSourceARN's consumer). */
  functionName: string;
}

export interface StreamKind {
  service: Service;
  /** docs/aws-rules.md §3.4: Kinesis 1 GetRecords per second per shard; DynamoDB Streams 4 per second. */
  pollIntervalMs: number;
  shardId(source: string, index: number): string;
  arn(account: AwsAccount, name: string): string;
  /** Characters of a sequence number before its position counter (see records.ts, sequenceFormatter). */
  sequencePrefixLength: number;
  /**
   * The payload size a record of `bytes` adds to an invocation: Kinesis data travels base64-encoded,
   * DynamoDB images as AttributeValue JSON (about twice the item).
   */
  dataBytes(bytes: number): number;
  /** The key that places a put on a shard: a table's records are placed by the item's partition key value. */
  placementKey(body: unknown, partitionKeyName: string | undefined, key: string): string;
  /** The AWS-shaped record a batch carries. */
  record(input: ShapeInput): unknown;
  /** The invocation event of a batch (without tumbling-window fields). */
  event(inputs: ShapeInput[]): unknown;
}

const kinesisRecordOf = (input: ShapeInput): KinesisStreamRecord =>
  kinesisShape({
    account: input.account,
    streamName: input.source,
    shardIndex: input.shardIndex,
    sequenceNumber: input.sequenceNumber,
    partitionKey: input.partitionKey ?? '',
    body: input.body,
    arrivalEpochMs: input.atEpochMs,
    functionName: input.functionName,
  });

const dynamodbRecordOf = (input: ShapeInput): DynamoDBRecord =>
  dynamodbShape({
    account: input.account,
    tableName: input.source,
    partitionKeyName: input.partitionKeyName!,
    streamViewType: input.streamViewType!,
    sequenceNumber: input.sequenceNumber,
    partitionKey: input.partitionKey ?? '',
    body: input.body,
    creationEpochMs: input.atEpochMs,
  });

const kinesis: StreamKind = {
  service: 'kinesis',
  pollIntervalMs: 1_000,
  shardId: (_source, index) => kinesisShardId(index),
  arn: streamArn,
  sequencePrefixLength: 8,
  dataBytes: (bytes) => Math.ceil((bytes * 4) / 3),
  placementKey: (_body, _name, key) => key,
  record: kinesisRecordOf,
  event: (inputs) => kinesisEvent(inputs.map(kinesisRecordOf)),
};

const dynamodb: StreamKind = {
  service: 'dynamodb',
  pollIntervalMs: 250,
  shardId: dynamodbShardId,
  arn: tableStreamArn,
  sequencePrefixLength: 7,
  dataBytes: (bytes) => bytes * 2,
  // records.ts, itemChange: the item's partition key value.
  placementKey: (body, name, key) => itemChange(body, name!, key).partitionKey,
  record: dynamodbRecordOf,
  event: (inputs) => dynamodbEvent(inputs.map(dynamodbRecordOf)),
};

/** The per-kind table, by the scenario's resource kind. */
export const STREAM_KINDS: { readonly [K in StreamResource]: StreamKind } = {
  stream: kinesis,
  table: dynamodb,
};
