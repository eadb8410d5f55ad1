/**
 * What Lambda delivers when an invocation is done: the asynchronous invocation record (docs/aws-rules.md
 * section 2), the stream on-failure batch-info record (section 3.4), the dead-letter message (section 2,
 * "DLQ"), and how each is wrapped for the kind of target that receives it.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { type AwsAccount, busArn } from './arn.js';
import { eventBridgeEvent } from './eventbridge.js';
import { isoMs, isoSeconds, payloadToString, truncateUtf8, utf8Length, uuidFrom } from './format.js';
import { type InvocationOutcome, type LambdaErrorPayload, functionErrorPayload, SERVICE_EXCEPTION_MESSAGE, serializeResponse } from './invoke.js';
import type { MessageAttributeValue } from './sqs.js';

/** Conditions of asynchronous invocation records. */
export type AsyncCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';
/**
 * Conditions of stream on-failure records. Note the names differ from the async ones
 * (`RetryAttemptsExhausted`, not `RetriesExhausted`; docs/aws-rules.md §8).
 */
export type StreamCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface ResponseContext {
  statusCode: number;
  executedVersion: string;
  functionError?: 'Unhandled';
}

export interface AsyncInvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: AsyncCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: ResponseContext;
  responsePayload?: unknown;
}

export interface AsyncInvocationRecordInput {
  requestId: string;
  /** Qualified function ARN (`…:function:fn:$LATEST`): async records carry the qualified form. */
  functionArn: string;
  condition: AsyncCondition;
  /** Attempts made (0 for ZeroReservedConcurrency). */
  approximateInvokeCount: number;
  /** When the record was produced (absolute epoch ms). */
  timestampEpochMs: number;
  /** The original event, unchanged. */
  requestPayload: unknown;
  /**
   * How the last attempt that ran the function ended. Without one (the function never ran: reserved
   * concurrency 0, or only throttles before the event aged out) the record has neither responseContext
   * nor responsePayload.
   */
  lastOutcome?: InvocationOutcome;
  executedVersion?: string;
}

/**
 * The asynchronous invocation record sent to onSuccess / onFailure destinations (docs/aws-rules.md §2):
 * `version '1.0'`, `timestamp`, `requestContext{requestId, functionArn, condition,
 * approximateInvokeCount}`, `requestPayload`, then `responseContext{statusCode: 200, executedVersion,
 * functionError?}` and `responsePayload` (the handler's value, or the error JSON). Function errors are
 * still statusCode 200 with `functionError: 'Unhandled'`. ZeroReservedConcurrency records have no
 * responseContext (the function never ran), and neither does a record whose attempts were all
 * throttled: this simulator's choice, as AWS shows no response it never received.
 *
 * @example
 * asyncInvocationRecord({
 *   requestId: 'r-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST',
 *   condition: 'RetriesExhausted', approximateInvokeCount: 3, timestampEpochMs: 0, requestPayload: { n: 1 },
 *   lastOutcome: { kind: 'error', error: { errorType: 'Error', errorMessage: 'boom' } },
 * }).responseContext; // { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }
 */
export function asyncInvocationRecord(input: AsyncInvocationRecordInput): AsyncInvocationRecord {
  const record: AsyncInvocationRecord = {
    version: '1.0',
    timestamp: isoMs(input.timestampEpochMs),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: input.requestPayload,
  };
  if (input.condition === 'ZeroReservedConcurrency') return record;
  const response = responseOf(input.lastOutcome, input.requestId, input.executedVersion ?? '$LATEST');
  if (response) {
    record.responseContext = response.context;
    record.responsePayload = response.payload;
  }
  return record;
}

/** One batch's position in its stream, as on-failure records describe it. */
export interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  batchSize: number;
  streamArn: string;
}

export interface StreamFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: StreamCondition;
    approximateInvokeCount: number;
  };
  responseContext?: ResponseContext;
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo?: StreamBatchInfo;
  DDBStreamBatchInfo?: StreamBatchInfo;
  /** The full event; only in records written to S3 destinations (added by {@link envelopeFor}). */
  payload?: unknown;
}

export interface StreamFailureRecordInput {
  source: 'kinesis' | 'dynamodb';
  requestId: string;
  /** The mapping's FunctionArn (unqualified unless the mapping targets a version or alias). */
  functionArn: string;
  condition: StreamCondition;
  /** Retries + 1 (docs/aws-rules.md §3.4). */
  approximateInvokeCount: number;
  timestampEpochMs: number;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  firstArrivalEpochMs: number;
  lastArrivalEpochMs: number;
  batchSize: number;
  /** Kinesis stream ARN or DynamoDB table stream ARN. */
  streamArn: string;
  /** How the last attempt ended; ignored for RecordAgeExceeded. */
  lastOutcome?: InvocationOutcome;
  executedVersion?: string;
}

/**
 * The on-failure record of a Kinesis or DynamoDB Streams mapping (docs/aws-rules.md §3.4): metadata
 * only, no records. Kinesis uses `KinesisBatchInfo` with millisecond arrival timestamps; DynamoDB uses
 * `DDBStreamBatchInfo` with second-precision ones (`…:01Z`). `RecordAgeExceeded` records have no
 * responseContext.
 *
 * @example
 * streamFailureRecord({
 *   source: 'dynamodb', requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
 *   condition: 'RecordAgeExceeded', approximateInvokeCount: 1, timestampEpochMs: 0, shardId: 's',
 *   startSequenceNumber: '1', endSequenceNumber: '2', firstArrivalEpochMs: 1_500, lastArrivalEpochMs: 2_500,
 *   batchSize: 2, streamArn: 'arn:…',
 * }).DDBStreamBatchInfo?.approximateArrivalOfFirstRecord; // '1970-01-01T00:00:01Z'
 */
export function streamFailureRecord(input: StreamFailureRecordInput): StreamFailureRecord {
  const record: StreamFailureRecord = {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    version: '1.0',
    timestamp: isoMs(input.timestampEpochMs),
  };
  if (input.condition !== 'RecordAgeExceeded') {
    const response = responseOf(input.lastOutcome, input.requestId, input.executedVersion ?? '$LATEST');
    if (response) {
      // Keep AWS's order: requestContext, responseContext, version, timestamp, batch info.
      const { version, timestamp } = record;
      delete (record as Partial<StreamFailureRecord>).version;
      delete (record as Partial<StreamFailureRecord>).timestamp;
      record.responseContext = response.context;
      record.version = version;
      record.timestamp = timestamp;
    }
  }
  const arrival = input.source === 'kinesis' ? isoMs : isoSeconds;
  const info: StreamBatchInfo = {
    shardId: input.shardId,
    startSequenceNumber: input.startSequenceNumber,
    endSequenceNumber: input.endSequenceNumber,
    approximateArrivalOfFirstRecord: arrival(input.firstArrivalEpochMs),
    approximateArrivalOfLastRecord: arrival(input.lastArrivalEpochMs),
    batchSize: input.batchSize,
    streamArn: input.streamArn,
  };
  if (input.source === 'kinesis') record.KinesisBatchInfo = info;
  else record.DDBStreamBatchInfo = info;
  return record;
}

/** Size of the prefix of an error message a DLQ message keeps (docs/aws-rules.md §2, "DLQ"). */
export const DLQ_ERROR_MESSAGE_MAX_BYTES = 1024;

/** A message for a queue or a topic: body text plus message attributes. */
export interface OutgoingMessage {
  body: string;
  messageAttributes: Record<string, MessageAttributeValue>;
}

export interface DlqMessageInput {
  /** The original event, sent unchanged as the body. */
  event: unknown;
  requestId: string;
  /** The 3-digit HTTP status of the last attempt (200 for function errors, 429 for throttles). */
  errorCode: number;
  errorMessage: string;
}

/**
 * The message a dead-letter queue or topic receives: the original event as the body, with message
 * attributes `RequestID` (String), `ErrorCode` (Number, a 3-digit status) and `ErrorMessage` (String,
 * at most the first 1 KB). No response details, unlike destinations.
 *
 * @example
 * dlqMessage({ event: { n: 1 }, requestId: 'r-1', errorCode: 200, errorMessage: 'boom' }).messageAttributes.ErrorCode;
 * // { dataType: 'Number', stringValue: '200' }
 */
export function dlqMessage(input: DlqMessageInput): OutgoingMessage {
  return {
    body: payloadToString(input.event),
    messageAttributes: {
      RequestID: { dataType: 'String', stringValue: input.requestId },
      ErrorCode: { dataType: 'Number', stringValue: String(Math.trunc(input.errorCode)) },
      ErrorMessage: { dataType: 'String', stringValue: truncateUtf8(input.errorMessage, DLQ_ERROR_MESSAGE_MAX_BYTES) },
    },
  };
}

/**
 * The DLQ error fields for how an event's last attempt ended: function errors and timeouts report
 * ErrorCode 200 (the Invoke status: the function ran) and the error's message; throttles report 429
 * `Rate Exceeded.`.
 *
 * @example
 * dlqErrorFields({ kind: 'timeout', timeoutMs: 3000 }, 'r-1');
 * // { errorCode: 200, errorMessage: 'RequestId: r-1 Error: Task timed out after 3.00 seconds' }
 */
export function dlqErrorFields(
  outcome: InvocationOutcome | undefined,
  requestId: string,
): { errorCode: number; errorMessage: string } {
  if (outcome === undefined || outcome.kind === 'throttle') return { errorCode: 429, errorMessage: 'Rate Exceeded.' };
  if (outcome.kind === 'serviceError') return { errorCode: 500, errorMessage: SERVICE_EXCEPTION_MESSAGE };
  const error = outcome.kind === 'success' ? undefined : functionErrorPayload(outcome, requestId);
  return { errorCode: 200, errorMessage: error?.errorMessage ?? '' };
}

/** SNS's message size limit: larger destination records lose their payloads (docs/aws-rules.md §2). */
export const SNS_MESSAGE_LIMIT_BYTES = 256 * 1024;

export type DestinationKind = 'queue' | 'topic' | 'function' | 'bus' | 'bucket';
export type DestinationRecord = AsyncInvocationRecord | StreamFailureRecord;

/** One delivery to a destination, shaped for its target kind. */
export type DestinationDelivery =
  | { kind: 'queue'; body: string }
  | { kind: 'topic'; message: string; payloadDropped: boolean }
  | { kind: 'function'; event: DestinationRecord }
  | { kind: 'bus'; event: EventBridgeEvent<string, DestinationRecord> }
  | { kind: 'bucket'; key: string; body: string };

export interface EnvelopeContext {
  account: AwsAccount;
  /** The function whose invocation the record describes (bucket keys name it). */
  functionName: string;
  /** When the delivery happens (absolute epoch ms): bus event time, bucket key date. */
  epochMs: number;
  /** A unique id for this delivery: the EventBridge event id, the UUID part of bucket keys. */
  deliveryId: string;
  /** Target bus name (kind 'bus'); default `default`. */
  busName?: string;
  /** The full stream event of the failed batch; S3 destinations of stream mappings get it as `payload`. */
  streamEvent?: unknown;
  /** The event source mapping's UUID (bucket keys of stream records); default derived from the function. */
  mappingUuid?: string;
}

/**
 * A destination record wrapped for its target (docs/aws-rules.md §2, "Per-target envelope"):
 * - `queue`: the record as the SQS message body (JSON text);
 * - `topic`: the record as the SNS `Message`; above 256 KB the payloads (`requestPayload`,
 *   `responsePayload`, `payload`) are dropped and only metadata is sent;
 * - `function`: the record itself is the event;
 * - `bus`: an EventBridge event with the record as `detail`, `source: 'lambda'`, `detail-type`
 *   `Lambda Function Invocation Result - Success` or `- Failure`, `resources: [busArn, functionArn]`;
 * - `bucket`: an S3 object holding the record as JSON. Key layout (docs/aws-rules.md marks it UNVERIFIED; this
 *   follows the Lambda developer guide's "invocation-async-retain-records" page for async records,
 *   `aws/lambda/async/<function>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`, and the analogous
 *   `aws/lambda/<mapping-uuid>/<shardId>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>` for stream records). Stream
 *   records written to S3 also carry `payload`, the full event of the batch (section 3.4).
 *
 * @example
 * envelopeFor('queue', record, ctx); // { kind: 'queue', body: '{"version":"1.0",…}' }
 */
export function envelopeFor(kind: DestinationKind, record: DestinationRecord, context: EnvelopeContext): DestinationDelivery {
  switch (kind) {
    case 'queue':
      return { kind, body: JSON.stringify(record) };
    case 'topic': {
      const full = JSON.stringify(record);
      if (utf8Length(full) <= SNS_MESSAGE_LIMIT_BYTES) return { kind, message: full, payloadDropped: false };
      const slim: Record<string, unknown> = { ...record };
      delete slim.requestPayload;
      delete slim.responsePayload;
      delete slim.payload;
      return { kind, message: JSON.stringify(slim), payloadDropped: true };
    }
    case 'function':
      return { kind, event: record };
    case 'bus': {
      const success = isAsyncRecord(record) && record.requestContext.condition === 'Success';
      return {
        kind,
        event: eventBridgeEvent({
          account: context.account,
          id: context.deliveryId,
          detailType: `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
          source: 'lambda',
          epochMs: context.epochMs,
          resources: [busArn(context.account, context.busName ?? 'default'), record.requestContext.functionArn],
          detail: record,
        }),
      };
    }
    case 'bucket': {
      const stamp = isoSeconds(context.epochMs); // 2024-01-01T12:34:56Z
      const day = `${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}`;
      const file = `${stamp.slice(0, 19).replace(/:/g, '.')}-${uuidFrom('s3-destination', context.deliveryId)}`;
      if (isAsyncRecord(record)) {
        return { kind, key: `aws/lambda/async/${context.functionName}/${day}/${file}`, body: JSON.stringify(record) };
      }
      const info = record.KinesisBatchInfo ?? record.DDBStreamBatchInfo;
      const mapping = context.mappingUuid ?? uuidFrom('esm', context.functionName, info?.streamArn ?? '');
      const withPayload: StreamFailureRecord =
        context.streamEvent === undefined ? record : { ...record, payload: context.streamEvent };
      return {
        kind,
        key: `aws/lambda/${mapping}/${info?.shardId ?? 'unknown'}/${day}/${file}`,
        body: JSON.stringify(withPayload),
      };
    }
  }
}

/** Whether a destination record is an asynchronous invocation record (rather than a stream one). */
export function isAsyncRecord(record: DestinationRecord): record is AsyncInvocationRecord {
  return 'requestPayload' in record || ['Success', 'RetriesExhausted', 'EventAgeExceeded', 'ZeroReservedConcurrency'].includes(record.requestContext.condition);
}

function responseOf(
  outcome: InvocationOutcome | undefined,
  requestId: string,
  executedVersion: string,
): { context: ResponseContext; payload: unknown } | undefined {
  if (outcome === undefined || outcome.kind === 'throttle' || outcome.kind === 'serviceError') return undefined;
  if (outcome.kind === 'success') {
    const serialized = serializeResponse(outcome.payload);
    if (serialized.ok) return { context: { statusCode: 200, executedVersion }, payload: JSON.parse(serialized.body) };
    return unhandled(serialized.error, executedVersion);
  }
  return unhandled(functionErrorPayload(outcome, requestId)!, executedVersion);
}

function unhandled(error: LambdaErrorPayload, executedVersion: string): { context: ResponseContext; payload: unknown } {
  return { context: { statusCode: 200, executedVersion, functionError: 'Unhandled' }, payload: error };
}
