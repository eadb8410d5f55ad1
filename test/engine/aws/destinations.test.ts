import { describe, expect, it } from 'vitest';
import {
  SNS_MESSAGE_LIMIT_BYTES,
  asyncInvocationRecord,
  dlqErrorFields,
  dlqMessage,
  envelopeFor,
  errorPayloadFromThrown,
  functionArn,
  streamArn,
  streamFailureRecord,
  type AsyncInvocationRecordInput,
  type StreamFailureRecordInput,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };
const qualified = functionArn(account, 'fn', '$LATEST');
const asyncInput: AsyncInvocationRecordInput = {
  requestId: 'a7b1c2d3-0000-4000-8000-000000000001',
  functionArn: qualified,
  condition: 'RetriesExhausted',
  approximateInvokeCount: 3,
  timestampEpochMs: Date.UTC(2019, 10, 14, 18, 16, 5, 568),
  requestPayload: { order: 1 },
  lastOutcome: { kind: 'error', error: { errorType: 'Exception', errorMessage: 'boom', trace: [] } },
};

describe('Asynchronous invocation records (docs/aws-rules.md §2)', () => {
  it('has the documented keys and nesting after a failure', () => {
    const r = asyncInvocationRecord(asyncInput);
    expect(Object.keys(r).sort()).toEqual(
      ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload'].sort(),
    );
    expect(r.version).toBe('1.0');
    expect(r.timestamp).toBe('2019-11-14T18:16:05.568Z');
    expect(r.requestContext).toEqual({
      requestId: asyncInput.requestId,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(r.requestPayload).toEqual({ order: 1 });
    expect(r.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(r.responsePayload).toEqual({ errorType: 'Exception', errorMessage: 'boom', trace: [] });
  });

  it('has no functionError on success, and the handler value as responsePayload', () => {
    const r = asyncInvocationRecord({ ...asyncInput, condition: 'Success', approximateInvokeCount: 1, lastOutcome: { kind: 'success', payload: { ok: 1 } } });
    expect(r.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(r.responsePayload).toEqual({ ok: 1 });
  });

  it('reports a timeout as Sandbox.Timedout in the responsePayload', () => {
    const r = asyncInvocationRecord({ ...asyncInput, lastOutcome: { kind: 'timeout', timeoutMs: 3000 } });
    expect(r.responsePayload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${asyncInput.requestId} Error: Task timed out after 3.00 seconds`,
    });
  });

  it('has no responseContext for ZeroReservedConcurrency, with 0 invokes', () => {
    const r = asyncInvocationRecord({ ...asyncInput, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0, lastOutcome: undefined });
    expect(Object.keys(r).sort()).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload'].sort());
    expect(r.requestContext.approximateInvokeCount).toBe(0);
  });

  it('has no responseContext when every attempt was throttled before the event aged out', () => {
    const r = asyncInvocationRecord({ ...asyncInput, condition: 'EventAgeExceeded', lastOutcome: { kind: 'throttle', reason: 'ConcurrentInvocationLimitExceeded' } });
    expect(r).not.toHaveProperty('responseContext');
  });
});

const streamInput: StreamFailureRecordInput = {
  source: 'kinesis',
  requestId: 'r-1',
  functionArn: functionArn(account, 'fn'),
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 2,
  timestampEpochMs: Date.UTC(2019, 10, 14, 0, 38, 6, 21),
  shardId: 'shardId-000000000001',
  startSequenceNumber: '49590338271490256608559692538361571095921575989136588898',
  endSequenceNumber: '49590338271490256608559692540925702759324208523137515618',
  firstArrivalEpochMs: Date.UTC(2019, 10, 14, 0, 38, 4, 835),
  lastArrivalEpochMs: Date.UTC(2019, 10, 14, 0, 38, 5, 580),
  batchSize: 500,
  streamArn: streamArn(account, 'mystream'),
  lastOutcome: { kind: 'error', error: errorPayloadFromThrown(new Error('x')) },
};

describe('Stream on-failure records (docs/aws-rules.md §3.4)', () => {
  it('has the Kinesis shape: requestContext, responseContext, version, timestamp, KinesisBatchInfo', () => {
    const r = streamFailureRecord(streamInput);
    expect(Object.keys(r)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(r.requestContext).toEqual({
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 2,
    });
    expect(r.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(r.timestamp).toBe('2019-11-14T00:38:06.021Z');
    expect(r.KinesisBatchInfo).toEqual({
      shardId: 'shardId-000000000001',
      startSequenceNumber: streamInput.startSequenceNumber,
      endSequenceNumber: streamInput.endSequenceNumber,
      approximateArrivalOfFirstRecord: '2019-11-14T00:38:04.835Z',
      approximateArrivalOfLastRecord: '2019-11-14T00:38:05.580Z',
      batchSize: 500,
      streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/mystream',
    });
  });

  it('uses DDBStreamBatchInfo with second-precision arrival times for DynamoDB', () => {
    const r = streamFailureRecord({ ...streamInput, source: 'dynamodb' });
    expect(r).not.toHaveProperty('KinesisBatchInfo');
    expect(r.DDBStreamBatchInfo?.approximateArrivalOfFirstRecord).toBe('2019-11-14T00:38:04Z');
    expect(r.DDBStreamBatchInfo?.approximateArrivalOfLastRecord).toBe('2019-11-14T00:38:05Z');
  });

  it('has no responseContext for RecordAgeExceeded', () => {
    const r = streamFailureRecord({ ...streamInput, condition: 'RecordAgeExceeded' });
    expect(Object.keys(r).sort()).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo'].sort());
  });

  it('has a responseContext without functionError when a partial batch response failed items', () => {
    const r = streamFailureRecord({ ...streamInput, lastOutcome: { kind: 'success', payload: { batchItemFailures: [{ itemIdentifier: '1' }] } } });
    expect(r.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });
});

describe('Dead-letter messages carry the original event and three attributes (docs/aws-rules.md §2)', () => {
  it('sends the event unchanged as the body with RequestID, ErrorCode and ErrorMessage', () => {
    const m = dlqMessage({ event: { order: 1 }, requestId: 'r-1', errorCode: 200, errorMessage: 'boom' });
    expect(m.body).toBe('{"order":1}');
    expect(m.messageAttributes).toEqual({
      RequestID: { dataType: 'String', stringValue: 'r-1' },
      ErrorCode: { dataType: 'Number', stringValue: '200' },
      ErrorMessage: { dataType: 'String', stringValue: 'boom' },
    });
  });

  it('keeps only the first 1 KB of the error message, never splitting a character', () => {
    const m = dlqMessage({ event: {}, requestId: 'r', errorCode: 200, errorMessage: 'é'.repeat(1000) });
    const kept = m.messageAttributes.ErrorMessage.stringValue!;
    expect(Buffer.byteLength(kept)).toBe(1024);
    expect(kept).toBe('é'.repeat(512));
  });

  it('derives the error fields from how the last attempt ended', () => {
    expect(dlqErrorFields({ kind: 'error', error: { errorType: 'E', errorMessage: 'bad' } }, 'r')).toEqual({ errorCode: 200, errorMessage: 'bad' });
    expect(dlqErrorFields({ kind: 'throttle', reason: 'ConcurrentInvocationLimitExceeded' }, 'r')).toEqual({ errorCode: 429, errorMessage: 'Rate Exceeded.' });
  });
});

describe('Destination records are wrapped per target kind (docs/aws-rules.md §2)', () => {
  const record = asyncInvocationRecord(asyncInput);
  const ctx = { account, functionName: 'fn', epochMs: Date.UTC(2024, 1, 3, 4, 5, 6, 789), deliveryId: 'd-1' };

  it('sends the record as the SQS message body', () => {
    const d = envelopeFor('queue', record, ctx);
    expect(d).toEqual({ kind: 'queue', body: JSON.stringify(record) });
  });

  it('sends the record as the SNS Message, dropping the payloads above 256 KB', () => {
    expect(envelopeFor('topic', record, ctx)).toEqual({ kind: 'topic', message: JSON.stringify(record), payloadDropped: false });
    const big = asyncInvocationRecord({ ...asyncInput, requestPayload: { blob: 'x'.repeat(SNS_MESSAGE_LIMIT_BYTES) } });
    const d = envelopeFor('topic', big, ctx);
    if (d.kind !== 'topic') throw new Error('expected a topic delivery');
    expect(d.payloadDropped).toBe(true);
    const sent = JSON.parse(d.message);
    expect(sent).not.toHaveProperty('requestPayload');
    expect(sent).not.toHaveProperty('responsePayload');
    expect(sent.requestContext).toEqual(big.requestContext);
  });

  it('passes the record itself as the event of a destination function', () => {
    expect(envelopeFor('function', record, ctx)).toEqual({ kind: 'function', event: record });
  });

  it('wraps the record as EventBridge detail with source lambda and a Success/Failure detail-type', () => {
    const d = envelopeFor('bus', record, ctx);
    if (d.kind !== 'bus') throw new Error('expected a bus delivery');
    expect(Object.keys(d.event).sort()).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'].sort());
    expect(d.event['detail-type']).toBe('Lambda Function Invocation Result - Failure');
    expect(d.event.source).toBe('lambda');
    expect(d.event.resources).toEqual(['arn:aws:events:us-east-1:123456789012:event-bus/default', qualified]);
    expect(d.event.detail).toBe(record);
    const success = asyncInvocationRecord({ ...asyncInput, condition: 'Success', lastOutcome: { kind: 'success', payload: 1 } });
    const s = envelopeFor('bus', success, ctx);
    expect(s.kind === 'bus' && s.event['detail-type']).toBe('Lambda Function Invocation Result - Success');
  });

  it('writes async records to S3 under aws/lambda/async/<function>/YYYY/MM/DD/', () => {
    const d = envelopeFor('bucket', record, ctx);
    if (d.kind !== 'bucket') throw new Error('expected a bucket delivery');
    expect(d.key).toMatch(/^aws\/lambda\/async\/fn\/2024\/02\/03\/2024-02-03T04\.05\.06-[0-9a-f-]{36}$/);
    expect(JSON.parse(d.body)).toEqual(record);
  });

  it('adds the full event as payload to stream records written to S3, and only there', () => {
    const stream = streamFailureRecord(streamInput);
    const event = { Records: [{ n: 1 }] };
    const d = envelopeFor('bucket', stream, { ...ctx, streamEvent: event, mappingUuid: 'esm-1' });
    if (d.kind !== 'bucket') throw new Error('expected a bucket delivery');
    expect(d.key).toMatch(/^aws\/lambda\/esm-1\/shardId-000000000001\/2024\/02\/03\//);
    expect(JSON.parse(d.body).payload).toEqual(event);
    const q = envelopeFor('queue', stream, { ...ctx, streamEvent: event });
    expect(q.kind === 'queue' && JSON.parse(q.body)).not.toHaveProperty('payload');
  });
});
