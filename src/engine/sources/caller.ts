/**
 * What a synchronous caller sends and what it gets back, by how it calls (docs/aws-rules.md §1):
 * the CLI/SDK sees the Invoke API's answer; an ALB or API Gateway converts the request into an event and
 * the function's result (or failure) back into an HTTP response.
 */
import type { TrafficModel } from '../../scenario/model.js';
import { httpAnswerFromStream, type StreamedResponse } from '../../lang/response-stream.js';
import type { HttpRequestSpec } from '../../scenario/types.js';
import {
  alexaEvent,
  cloudFrontEvent,
  cloudFrontRequestId,
  cognitoAnswer,
  cognitoEvent,
  edgeAnswer,
  functionUrlEvent,
  functionUrlId,
  lexV2Event,
  s3BatchEvent,
  sesDisposition,
  sesEvent,
} from '../aws/callers.js';
import { isoMs, md5Hex, uuidFrom } from '../aws/format.js';
import {
  albEvent,
  albResponse,
  apiGatewayResponse,
  apiGatewayV1Event,
  apiGatewayV2Event,
  type AwsAccount,
  type HttpOutcome,
  invokeResponse,
  SERVICE_EXCEPTION_CAUSE,
} from '../aws/index.js';

export type SyncVia = 'cli' | 'alb' | 'apigateway' | 'cloudfront' | 'cognito' | 'stepfunctions' | 'lex' | 'alexa' | 's3-batch' | 'url' | 'ses';

/** What a caller knows about one request beyond its body: the traffic entry and the record's position. */
export interface CallerRequestContext {
  spec?: TrafficModel;
  /** The record's position in its traffic entry (body's i). */
  i: number;
  qualifier?: string;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringMap(value: unknown): Record<string, string> | undefined {
  const r = asRecord(value);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) if (typeof v === 'string') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/**
 * The event of a caller that is not HTTP (Cognito, Step Functions, Lex, Alexa, S3 Batch, SES), built around
 * body(i) as docs/callers.md describes; undefined for the HTTP callers.
 */
function callerEvent(
  via: SyncVia,
  request: { body: unknown; epochMs: number; account: AwsAccount; fn: string },
  c: CallerRequestContext,
): { event: unknown } | undefined {
  const body = asRecord(request.body);
  const seed = `${request.fn}:${c.spec?.index ?? -1}:${c.i}`;
  switch (via) {
    case 'cognito': {
      const triggerSource = c.spec?.cognito?.triggerSource ?? 'PreSignUp_SignUp';
      const userName = typeof body.userName === 'string' ? body.userName : `user-${c.i}`;
      return {
        event: cognitoEvent({
          triggerSource,
          region: request.account.region,
          userPoolId: `${request.account.region}_${md5Hex(`pool:${request.fn}`).slice(0, 9).toUpperCase()}`,
          userName,
          clientId: md5Hex(`client:${request.fn}`).slice(0, 26),
          userAttributes: stringMap(body.userAttributes) ?? { email: `${userName}@example.com` },
          ...(stringMap(body.validationData) ? { validationData: stringMap(body.validationData) } : {}),
          ...(stringMap(body.clientMetadata) ? { clientMetadata: stringMap(body.clientMetadata) } : {}),
          ...(typeof body.password === 'string' ? { password: body.password } : {}),
        }),
      };
    }
    case 'stepfunctions':
      // A Lambda task with `Payload.$: "$"` hands the function the state's input as it is.
      return { event: request.body };
    case 'lex':
      return {
        event: lexV2Event({
          botName: `${request.fn}-bot`,
          botId: md5Hex(`bot:${request.fn}`).slice(0, 10).toUpperCase(),
          sessionId: md5Hex(`session:${seed}`).slice(0, 16),
          inputTranscript: typeof request.body === 'string' ? request.body : typeof body.inputTranscript === 'string' ? body.inputTranscript : `utterance ${c.i}`,
          intentName: typeof body.intent === 'string' ? body.intent : 'FallbackIntent',
          ...(stringMap(body.slots) ? { slots: stringMap(body.slots) } : {}),
        }),
      };
    case 'alexa':
      return {
        event: alexaEvent({
          skillId: uuidFrom('skill', request.fn),
          sessionId: uuidFrom('session', seed),
          userId: md5Hex(`user:${seed}`).toUpperCase(),
          requestId: uuidFrom('request', seed),
          timestamp: isoMs(request.epochMs).replace(/\.\d{3}Z$/, 'Z'),
          ...(typeof body.intent === 'string' ? { intentName: body.intent } : {}),
          ...(stringMap(body.slots) ? { slots: stringMap(body.slots) } : {}),
        }),
      };
    case 's3-batch': {
      const key = typeof body.key === 'string' ? body.key : `objects/${c.i}.json`;
      return {
        event: s3BatchEvent({
          invocationSchemaVersion: c.spec?.s3Batch?.invocationSchemaVersion ?? '1.0',
          invocationId: Buffer.from(md5Hex(`invocation:${seed}`)).toString('base64').replace(/=+$/, ''),
          jobId: uuidFrom('job', request.fn, c.spec?.index ?? -1),
          taskId: Buffer.from(md5Hex(`task:${seed}`).slice(0, 18)).toString('base64').replace(/=+$/, ''),
          bucket: typeof body.bucket === 'string' ? body.bucket : `${request.fn}-batch-bucket`,
          key,
          versionId: typeof body.versionId === 'string' ? body.versionId : null,
          ...(stringMap(body.userArguments) ? { userArguments: stringMap(body.userArguments) } : {}),
        }),
      };
    }
    case 'ses':
      return { event: sesRequest(request, c, 'RequestResponse') };
    default:
      return undefined;
  }
}

/** The SES receipt event for mail i (body(i) may give `{ from, to, subject }`). */
export function sesRequest(
  request: { body: unknown; epochMs: number; account: AwsAccount; fn: string },
  c: { i: number; spec?: TrafficModel },
  invocationType: 'Event' | 'RequestResponse',
): unknown {
  const body = asRecord(request.body);
  return sesEvent({
    account: request.account,
    fn: request.fn,
    invocationType,
    messageId: md5Hex(`mail:${request.fn}:${c.spec?.index ?? -1}:${c.i}`).slice(0, 20) + md5Hex(`mail2:${c.i}`).slice(0, 20),
    epochMs: request.epochMs,
    from: typeof body.from === 'string' ? body.from : `sender-${c.i}@example.com`,
    to: typeof body.to === 'string' ? body.to : `${request.fn}@example.com`,
    subject: typeof body.subject === 'string' ? body.subject : `Message ${c.i}`,
  });
}

export interface CallerResponse {
  statusCode: number;
  functionError?: string;
  headers?: Record<string, string>;
  /** The Invoke API's payload (cli) or the HTTP body (alb, apigateway). */
  body: unknown;
  /** The body is base64 (a streamed binary body at a function URL). */
  isBase64Encoded?: boolean;
}

/** Which API Gateway serves the request: the scenario's `api`, else 'rest' for payload 1.0 and 'http' for 2.0. */
export function gatewayApi(http: HttpRequestSpec | undefined): 'rest' | 'http' {
  return http?.api ?? ((http?.payloadFormatVersion ?? '2.0') === '1.0' ? 'rest' : 'http');
}

/** The event the function receives for one synchronous request. */
export function callerRequestEvent(
  via: SyncVia,
  request: { body: unknown; http?: HttpRequestSpec; epochMs: number; requestId: string; account: AwsAccount; fn: string },
  caller: CallerRequestContext = { i: 0 },
): unknown {
  if (via === 'cli') return request.body;
  const other = callerEvent(via, request, caller);
  if (other) return other.event;
  const http = request.http ?? {};
  const hasBody = request.body !== undefined && request.body !== null;
  const input = {
    method: http.method ?? (hasBody ? 'POST' : 'GET'),
    path: http.path ?? '/',
    headers: http.headers,
    query: http.query,
    body: request.body,
    requestId: request.requestId,
    epochMs: request.epochMs,
  };
  if (via === 'cloudfront') {
    const eventType = caller.spec?.cloudfront?.eventType ?? 'viewer-request';
    const query = Object.entries(http.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`));
    const distributionId = `E${md5Hex(`distribution:${request.fn}`).slice(0, 13).toUpperCase()}`;
    return cloudFrontEvent({
      eventType,
      distributionId,
      distributionDomainName: `d${md5Hex(`domain:${request.fn}`).slice(0, 13)}.cloudfront.net`,
      requestId: cloudFrontRequestId(`${request.fn}:${request.requestId}`),
      clientIp: '203.0.113.178',
      method: input.method,
      uri: input.path,
      querystring: query.join('&'),
      headers: http.headers,
      ...(hasBody ? { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) } : {}),
      ...(eventType.startsWith('origin') ? { originDomainName: `${request.fn}-origin.example.com` } : {}),
      ...(eventType.endsWith('response') ? { response: { status: '200', statusDescription: 'OK', headers: { 'Content-Type': 'text/html' } } } : {}),
    });
  }
  if (via === 'url') {
    return functionUrlEvent(input, { account: request.account, urlId: functionUrlId(request.account, request.fn), authType: caller.spec?.url?.authType ?? 'NONE' });
  }
  if (via === 'alb') {
    return albEvent(input, { account: request.account, targetGroupName: `${request.fn}-tg`, multiValueHeaders: http.multiValueHeaders });
  }
  return (http.payloadFormatVersion ?? '2.0') === '1.0'
    ? apiGatewayV1Event(input, { account: request.account, api: gatewayApi(http) })
    : apiGatewayV2Event(input, { account: request.account });
}

/** The caller context of a direct, ALB or API Gateway request (they need none): shared, not one per request. */
const NO_CALLER: CallerRequestContext = Object.freeze({ i: 0 });

/** What the caller receives for an outcome. */
export function callerResponse(
  via: SyncVia,
  outcome: HttpOutcome,
  http: HttpRequestSpec | undefined,
  requestId = '',
  executedVersion?: string,
  caller: CallerRequestContext & { realCode?: boolean } = NO_CALLER,
): CallerResponse {
  const other = otherResponse(via, outcome, caller);
  if (other) return other;
  if (via === 'cli') {
    if (outcome.kind === 'integrationTimeout') throw new Error('engine: a direct caller has no integration timeout');
    const r = invokeResponse(outcome, { requestId, executedVersion });
    // Two literals in the same key order, not a spread (the slow path of an object literal, once per request).
    const out: CallerResponse = r.functionError ? { statusCode: r.statusCode, functionError: r.functionError, body: r.payload } : { statusCode: r.statusCode, body: r.payload };
    // docs/versions.md: a 200 carries X-Amz-Executed-Version, the version that ran.
    if (r.executedVersion !== undefined && executedVersion !== undefined) out.headers = { 'X-Amz-Executed-Version': r.executedVersion };
    return out;
  }
  const r =
    via === 'alb'
      ? albResponse(outcome, { multiValueHeaders: http?.multiValueHeaders })
      : apiGatewayResponse(outcome, http?.payloadFormatVersion ?? '2.0', { api: gatewayApi(http) });
  return { statusCode: r.statusCode, headers: r.headers, body: r.body };
}

/** What a non-HTTP caller (and CloudFront, function URLs) makes of an outcome (docs/callers.md). */
function otherResponse(via: SyncVia, outcome: HttpOutcome, caller: CallerRequestContext & { realCode?: boolean }): CallerResponse | undefined {
  if (outcome.kind === 'integrationTimeout') return undefined;
  switch (via) {
    case 'cloudfront': {
      const eventType = caller.spec?.cloudfront?.eventType ?? 'viewer-request';
      // A Lambda service failure reaches CloudFront as a failed execution (503 function execution error; UNVERIFIED).
      const a = edgeAnswer(eventType, outcome.kind === 'success' ? { kind: 'success', payload: outcome.payload } : { kind: outcome.kind === 'serviceError' ? 'error' : outcome.kind }, { status: '200' });
      return { statusCode: a.statusCode, headers: { ...a.headers, 'x-lambda-edge': a.outcome }, body: a.body };
    }
    case 'cognito': {
      const source = caller.spec?.cognito?.triggerSource ?? 'PreSignUp_SignUp';
      const a =
        outcome.kind === 'success'
          ? cognitoAnswer(source, { kind: 'success', payload: outcome.payload })
          : outcome.kind === 'error'
            ? cognitoAnswer(source, { kind: 'error', message: outcome.error.errorMessage })
            : outcome.kind === 'timeout'
              ? cognitoAnswer(source, { kind: 'error', message: timeoutErrorPayloadMessage(outcome.timeoutMs) })
              : cognitoAnswer(source, { kind: 'gaveUp', reason: outcome.kind === 'serviceError' ? 'ServiceException' : 'TooManyRequestsException' });
      return { statusCode: a.statusCode, body: a.body };
    }
    case 'stepfunctions': {
      // What the Lambda task state sees: the payload, or an error name and cause (docs/callers.md, "Step Functions").
      if (outcome.kind === 'success') return { statusCode: 200, body: outcome.payload ?? null };
      if (outcome.kind === 'throttle') return { statusCode: 429, body: { error: 'Lambda.TooManyRequestsException', cause: `Rate Exceeded. (${outcome.reason})` } };
      if (outcome.kind === 'serviceError') return { statusCode: 500, body: { error: 'Lambda.ServiceException', cause: SERVICE_EXCEPTION_CAUSE } };
      const err = outcome.kind === 'error' ? outcome.error : { errorType: 'Sandbox.Timedout', errorMessage: timeoutErrorPayloadMessage(outcome.timeoutMs) };
      return { statusCode: 200, functionError: 'Unhandled', body: { error: err.errorType, cause: JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage }) } };
    }
    case 'lex': {
      const ok = outcome.kind === 'success' && typeof asRecord(asRecord(asRecord(outcome.payload).sessionState).dialogAction).type === 'string';
      if (ok) return { statusCode: 200, body: outcome.payload };
      const why = outcome.kind === 'success' ? 'Invalid Lambda Response: the response has no sessionState.dialogAction.type' : outcome.kind === 'throttle' ? 'Lambda was throttled' : 'Lambda function failed';
      return { statusCode: 424, body: { __type: 'DependencyFailedException', message: why } };
    }
    case 'alexa': {
      const ok = outcome.kind === 'success' && typeof asRecord(outcome.payload).response === 'object' && asRecord(outcome.payload).response !== null;
      if (ok) return { statusCode: 200, body: outcome.payload };
      return { statusCode: 200, body: { spoken: "There was a problem with the requested skill's response", request: { type: 'SessionEndedRequest', reason: 'ERROR', error: { type: outcome.kind === 'success' ? 'INVALID_RESPONSE' : 'INTERNAL_SERVICE_ERROR' } } } };
    }
    case 'ses': {
      // A function without real code answers with the scenario's disposition; real code decides for itself.
      const disposition =
        outcome.kind === 'success' ? (caller.realCode ? sesDisposition(outcome.payload) : (caller.spec?.ses?.disposition ?? 'CONTINUE')) : 'CONTINUE';
      return { statusCode: outcome.kind === 'success' ? 200 : outcome.kind === 'throttle' ? 429 : outcome.kind === 'serviceError' ? 500 : 200, ...(outcome.kind === 'error' || outcome.kind === 'timeout' ? { functionError: 'Unhandled' } : {}), body: { disposition } };
    }
    case 'url': {
      if (outcome.kind === 'throttle') return { statusCode: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Rate Exceeded.' }) };
      if (outcome.kind !== 'success') return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Internal Server Error' }) };
      if (outcome.stream) return urlStreamAnswer(outcome.stream);
      const r = apiGatewayResponse(outcome, '2.0');
      // A malformed structured answer is the function's fault too: 502 at a function URL (HTTP APIs say 500).
      if (r.statusCode === 500 && r.headers['x-amzn-ErrorType']) return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Internal Server Error' }) };
      return { statusCode: r.statusCode, headers: r.headers, body: r.body };
    }
    default:
      return undefined;
  }
}

/**
 * What a function URL answers for a streaming handler's bytes: the prelude of HttpResponseStream.from gives
 * the status and headers (src/engine/lambda/response-stream.ts); a prelude that is not JSON is a 502.
 */
export function urlStreamAnswer(stream: StreamedResponse): CallerResponse {
  const a = httpAnswerFromStream(stream);
  if (!a) return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Internal Server Error' }) };
  const headers = a.cookies ? { ...a.headers, 'set-cookie': a.cookies.join(', ') } : a.headers;
  return { statusCode: a.statusCode, headers, body: a.body, ...(a.isBase64Encoded ? { isBase64Encoded: true } : {}) };
}

function timeoutErrorPayloadMessage(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}
