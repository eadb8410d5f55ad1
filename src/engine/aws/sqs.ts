/**
 * SQS messages as Lambda receives them from an event source mapping (docs/aws-rules.md §7, "SQS").
 */
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { type AwsAccount, queueArn } from './arn.js';
import { md5Hex, payloadToString, sha256Hex } from './format.js';

/**
 * A message attribute as a sender sets it (SendMessage's `MessageAttributeValue`, camel-cased).
 * `binaryValue` is base64.
 */
export interface MessageAttributeValue {
  dataType: 'String' | 'Number' | 'Binary' | (string & {});
  stringValue?: string;
  binaryValue?: string;
}

/** Shorthand accepted wherever message attributes are given: a string is a String, a number a Number. */
export type MessageAttributeInput = MessageAttributeValue | string | number;

/** FIFO-only fields of a received message. */
export interface SqsFifoFields {
  /** SQS's per-group sequence number (a decimal string); see {@link sqsFifoSequenceNumber}. */
  sequenceNumber: string;
  messageGroupId: string;
  /** The sender's id, or {@link contentBasedDeduplicationId} for queues with content-based dedup. */
  messageDeduplicationId: string;
}

export interface SqsRecordInput {
  account: AwsAccount;
  /** Queue name (FIFO names end in `.fifo`). */
  queueName: string;
  messageId: string;
  /** The message body: strings pass through unchanged, anything else is JSON.stringify'd. */
  body: unknown;
  /** When the message was sent (absolute epoch ms). */
  sentEpochMs: number;
  /** When it was first received by any consumer (absolute epoch ms). */
  firstReceiveEpochMs: number;
  /** 1 on the first receive; +1 each time it becomes visible again and is received. */
  receiveCount: number;
  /** A receipt handle; default derived from the message id and receive count (one per receive, as AWS). */
  receiptHandle?: string;
  /** The sender's IAM id; default an IAM user id of this account. */
  senderId?: string;
  messageAttributes?: Record<string, MessageAttributeInput>;
  fifo?: SqsFifoFields;
  /** X-Ray trace header, present only when the sender traced the message. */
  awsTraceHeader?: string;
}

/**
 * One SQS message as Lambda delivers it: `body` is a string, every attribute value is a string (epoch ms
 * for the timestamps), `md5OfBody` is the real MD5 of the body, and FIFO queues add SequenceNumber,
 * MessageGroupId and MessageDeduplicationId (docs/aws-rules.md §7).
 *
 * @example
 * sqsRecord({
 *   account: { region: 'us-east-1', accountId: '123456789012' }, queueName: 'jobs',
 *   messageId: 'm-1', body: { n: 1 }, sentEpochMs: 1_700_000_000_000,
 *   firstReceiveEpochMs: 1_700_000_000_050, receiveCount: 1,
 * }).body; // '{"n":1}'
 */
export function sqsRecord(input: SqsRecordInput): SQSRecord {
  const body = payloadToString(input.body);
  const arn = queueArn(input.account, input.queueName);
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: String(input.receiveCount),
    SentTimestamp: String(Math.floor(input.sentEpochMs)),
    SenderId: input.senderId ?? defaultSenderId(input.account),
    ApproximateFirstReceiveTimestamp: String(Math.floor(input.firstReceiveEpochMs)),
  };
  if (input.awsTraceHeader !== undefined) attributes.AWSTraceHeader = input.awsTraceHeader;
  if (input.fifo) {
    attributes.SequenceNumber = input.fifo.sequenceNumber;
    attributes.MessageGroupId = input.fifo.messageGroupId;
    attributes.MessageDeduplicationId = input.fifo.messageDeduplicationId;
  }
  const normalized = normalizeMessageAttributes(input.messageAttributes);
  const record: SQSRecord = {
    messageId: input.messageId,
    receiptHandle: input.receiptHandle ?? receiptHandle(arn, input.messageId, input.receiveCount),
    body,
    attributes,
    messageAttributes: lambdaMessageAttributes(normalized),
    md5OfBody: md5Hex(body),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: input.account.region,
  };
  // Real events carry md5OfMessageAttributes only when the message has attributes (the @types mark it
  // optional); docs/aws-rules.md §7's key list shows the attribute-less case.
  if (Object.keys(normalized).length > 0) {
    return insertAfter(record, 'md5OfBody', 'md5OfMessageAttributes', md5OfMessageAttributes(normalized));
  }
  return record;
}

/**
 * The event Lambda passes to a function for one SQS batch.
 *
 * @example
 * sqsEvent([record]); // { Records: [record] }
 */
export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/**
 * Expand attribute shorthands into SendMessage form: string → String, number → Number.
 *
 * @example
 * normalizeMessageAttributes({ kind: 'a', n: 3 });
 * // { kind: { dataType: 'String', stringValue: 'a' }, n: { dataType: 'Number', stringValue: '3' } }
 */
export function normalizeMessageAttributes(
  attributes: Record<string, MessageAttributeInput> | undefined,
): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'string') out[name] = { dataType: 'String', stringValue: value };
    else if (typeof value === 'number') out[name] = { dataType: 'Number', stringValue: String(value) };
    else out[name] = { ...value };
  }
  return out;
}

/**
 * The MD5 SQS computes over message attributes (and returns as `md5OfMessageAttributes`): attributes
 * sorted by name, each encoded as length-prefixed name, length-prefixed data type, a transport byte
 * (1 string, 2 binary) and the length-prefixed value, lengths as 4-byte big-endian integers.
 *
 * @example
 * md5OfMessageAttributes({ a: { dataType: 'String', stringValue: 'b' } }).length; // 32
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  const withLength = (bytes: Buffer): void => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attr = attributes[name];
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(attr.dataType, 'utf8'));
    if (attr.dataType.startsWith('Binary')) {
      parts.push(Buffer.from([2]));
      withLength(Buffer.from(attr.binaryValue ?? '', 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      withLength(Buffer.from(attr.stringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

/**
 * The deduplication id SQS assigns on a FIFO queue with content-based deduplication: the SHA-256 of
 * the body, as hex.
 *
 * @example
 * contentBasedDeduplicationId('{"n":1}').length; // 64
 */
export function contentBasedDeduplicationId(body: unknown): string {
  return sha256Hex(payloadToString(body));
}

/**
 * A FIFO message's SequenceNumber: SQS shows large decimal strings (`18849496460467696128`) that grow
 * within a message group. Here: `18` followed by the queue-wide send counter as 18 digits, so the value
 * is fixed-width (20 digits) and sorts as a string and as a number.
 *
 * @example
 * sqsFifoSequenceNumber(5); // '18000000000000000005'
 */
export function sqsFifoSequenceNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  return `18${String(n).padStart(18, '0')}`;
}

/**
 * A receipt handle for one receive of one message. Real handles are opaque base64 that changes on every
 * receive; this one is derived from the queue, message id and receive count.
 *
 * @example
 * receiptHandle('arn:aws:sqs:us-east-1:123456789012:q', 'm-1', 1).startsWith('AQEB'); // true
 */
export function receiptHandle(queueArnValue: string, messageId: string, receiveCount: number): string {
  const seed = `${queueArnValue}|${messageId}|${receiveCount}`;
  const bytes = Buffer.from(md5Hex(seed) + md5Hex(`${seed}|2`) + md5Hex(`${seed}|3`), 'hex');
  return `AQEB${bytes.toString('base64')}`;
}

function lambdaMessageAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, attr] of Object.entries(attributes)) {
    // Lambda's SQS event always carries the two (reserved, unused) list fields as empty arrays and only
    // the value field that the data type uses (docs/aws-rules.md §7).
    out[name] = attr.dataType.startsWith('Binary')
      ? { binaryValue: attr.binaryValue ?? '', stringListValues: [], binaryListValues: [], dataType: attr.dataType }
      : { stringValue: attr.stringValue ?? '', stringListValues: [], binaryListValues: [], dataType: attr.dataType };
  }
  return out;
}

function defaultSenderId(account: AwsAccount): string {
  // An IAM user id: `AIDA` and 17 upper-case base32-looking characters, derived from the account.
  return `AIDA${md5Hex(`sender:${account.accountId}`).slice(0, 17).toUpperCase()}`;
}

/** Copy `record` with `key` inserted right after `after`, so JSON output keeps AWS's field order. */
function insertAfter<T extends object>(record: T, after: keyof T, key: string, value: unknown): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    out[k] = v;
    if (k === after) out[key] = value;
  }
  return out as T;
}
