/**
 * The events the other AWS callers send a function, and what each caller makes of the answer
 * (docs/callers.md). Pure and deterministic: every id and timestamp comes from the arguments. Typed with
 * @types/aws-lambda where it has a type; the Alexa request envelope and the Config rule event have none.
 */
import { gzipSync } from 'node:zlib';
import type {
  CloudFrontHeaders,
  CloudFrontRequest,
  CloudFrontRequestEvent,
  CloudFrontResponse,
  CloudFrontResponseEvent,
  CloudWatchLogsDecodedData,
  CloudWatchLogsEvent,
  CodeCommitTriggerEvent,
  FirehoseTransformationEvent,
  LambdaFunctionURLEvent,
  LexV2Event,
  S3BatchEvent,
  SESEvent,
} from 'aws-lambda';
import type { CloudFrontEventType, CognitoTriggerSource } from '../../scenario/types.js';
import { type AwsAccount, functionArn } from './arn.js';
import { apiGatewayTime, isoMs, md5Hex, payloadToString, sha256Hex, utf8Length } from './format.js';
import { apiGatewayV2Event, type HttpRequest } from './http.js';

// ---------------------------------------------------------------------------------------------------
// CloudFront (Lambda@Edge)

export interface CloudFrontInput {
  eventType: CloudFrontEventType;
  distributionId: string;
  distributionDomainName: string;
  /** CloudFront's own request id (base64url, 56 characters). */
  requestId: string;
  clientIp: string;
  method: string;
  uri: string;
  querystring: string;
  /** Header names as the viewer sent them; CloudFront keys them lower-cased and keeps the original as `key`. */
  headers?: Record<string, string | string[]>;
  /** The request body, when the association includes it (read-only, base64). */
  body?: string;
  /** Origin events: the origin the request goes to. */
  originDomainName?: string;
  /** Response events: what the origin (or the cache) answered. */
  response?: { status: string; statusDescription: string; headers?: Record<string, string | string[]> };
}

/** CloudFront's header map: lower-cased names, each a list of `{ key, value }` with the name as sent. */
export function cloudFrontHeaders(headers: Record<string, string | string[]> | undefined): CloudFrontHeaders {
  const out: CloudFrontHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const list = (out[name.toLowerCase()] ??= []);
    for (const v of Array.isArray(value) ? value : [value]) list.push({ key: name, value: String(v) });
  }
  return out;
}

/**
 * The event a Lambda@Edge function receives (CloudFront developer guide, "Lambda@Edge event structure").
 * Viewer events carry the viewer's headers (Host added when absent); origin events carry what CloudFront
 * forwards (X-Forwarded-For, Via and the origin's Host) and the `origin`; response events add `response`.
 *
 * @example
 * cloudFrontEvent({ eventType: 'viewer-request', distributionId: 'EDFDVBD6EXAMPLE', distributionDomainName: 'd111111abcdef8.cloudfront.net',
 *   requestId: 'r', clientIp: '203.0.113.178', method: 'GET', uri: '/', querystring: '' }).Records[0].cf.config.eventType; // 'viewer-request'
 */
export function cloudFrontEvent(input: CloudFrontInput): CloudFrontRequestEvent | CloudFrontResponseEvent {
  const origin = input.eventType === 'origin-request' || input.eventType === 'origin-response';
  const originDomain = input.originDomainName ?? 'example.org';
  let sent: Record<string, string | string[]> = { ...(input.headers ?? {}) };
  const has = (name: string) => Object.keys(sent).some((k) => k.toLowerCase() === name);
  if (origin) {
    // CloudFront forwards to the origin with its own Host, Via and X-Forwarded-For (origin request example).
    sent = Object.fromEntries(Object.entries(sent).filter(([k]) => k.toLowerCase() !== 'host'));
    sent = {
      'X-Forwarded-For': input.clientIp,
      ...(has('user-agent') ? {} : { 'User-Agent': 'Amazon CloudFront' }),
      Via: `2.0 ${md5Hex(`via:${input.distributionId}`)}.cloudfront.net (CloudFront)`,
      ...sent,
      Host: originDomain,
    };
  } else if (!has('host')) {
    sent = { Host: input.distributionDomainName, ...sent };
  }
  const request: CloudFrontRequest = {
    clientIp: input.clientIp,
    headers: cloudFrontHeaders(sent),
    method: input.method.toUpperCase(),
    ...(origin
      ? {
          origin: {
            custom: {
              customHeaders: {},
              domainName: originDomain,
              keepaliveTimeout: 5,
              path: '',
              port: 443,
              protocol: 'https',
              readTimeout: 30,
              sslProtocols: ['TLSv1.2'],
            },
          },
        }
      : {}),
    querystring: input.querystring,
    uri: input.uri,
  };
  if (input.body !== undefined && (input.eventType === 'viewer-request' || input.eventType === 'origin-request')) {
    request.body = { inputTruncated: false, action: 'read-only', encoding: 'base64', data: Buffer.from(input.body).toString('base64') };
  }
  const config = {
    distributionDomainName: input.distributionDomainName,
    distributionId: input.distributionId,
    eventType: input.eventType,
    requestId: input.requestId,
  };
  if (input.eventType === 'origin-response' || input.eventType === 'viewer-response') {
    const r = input.response ?? { status: '200', statusDescription: 'OK' };
    const response: CloudFrontResponse = { headers: cloudFrontHeaders(r.headers), status: r.status, statusDescription: r.statusDescription };
    return { Records: [{ cf: { config: config as CloudFrontResponseEvent['Records'][0]['cf']['config'], request, response } }] };
  }
  return { Records: [{ cf: { config: config as CloudFrontRequestEvent['Records'][0]['cf']['config'], request } }] };
}

/** Lambda@Edge quotas: the size of a response a function generates, headers and body together. */
export const EDGE_GENERATED_RESPONSE_LIMIT_BYTES = { 'viewer-request': 40 * 1024, 'origin-request': 1024 * 1024 } as const;

/** What the viewer receives once CloudFront has the function's answer (docs/callers.md, "CloudFront"). */
export interface EdgeAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
  /** 'forwarded' (a request CloudFront goes on with), 'generated' (a response the function made), 'response', or an error code. */
  outcome: 'forwarded' | 'generated' | 'response' | 'LambdaValidationError' | 'LambdaExecutionError' | 'LambdaLimitExceeded';
}

function edgeError(statusCode: number, outcome: EdgeAnswer['outcome'], why: string): EdgeAnswer {
  return {
    statusCode,
    headers: { 'content-type': 'text/html', 'x-cache': `${outcome} from cloudfront` },
    body: `${statusCode} ERROR. The request could not be satisfied. ${why}`,
    outcome,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * CloudFront's treatment of a Lambda@Edge answer. Request triggers may return the request (modified or
 * not: CloudFront goes on with it) or a generated response (`status`), within 40 KB (viewer) or 1 MB
 * (origin); response triggers return the response, and a viewer-response function cannot change the
 * status code. Anything else is a 502 (Lambda validation error); a function error or timeout a 503
 * (execution error); a throttle a 503 (Lambda limit exceeded).
 */
export function edgeAnswer(
  eventType: CloudFrontEventType,
  outcome: { kind: 'success'; payload: unknown } | { kind: 'error' } | { kind: 'timeout' } | { kind: 'throttle' },
  original?: { status: string },
): EdgeAnswer {
  if (outcome.kind === 'throttle') return edgeError(503, 'LambdaLimitExceeded', 'Lambda@Edge was throttled.');
  if (outcome.kind !== 'success') return edgeError(503, 'LambdaExecutionError', 'The Lambda function associated with the CloudFront distribution failed.');
  const p = outcome.payload;
  if (!isRecord(p)) return edgeError(502, 'LambdaValidationError', 'The Lambda function returned an invalid request or response to CloudFront.');
  const isResponse = typeof p.status === 'string' || typeof p.status === 'number';
  const status = Number(p.status);
  const headersOf = (h: unknown): Record<string, string> | undefined => {
    if (h === undefined) return {};
    if (!isRecord(h)) return undefined;
    const out: Record<string, string> = {};
    for (const [name, list] of Object.entries(h)) {
      if (!Array.isArray(list) || !list.every((e) => isRecord(e) && typeof e.value === 'string')) return undefined;
      out[name] = (list as Array<{ value: string }>).map((e) => e.value).join(', ');
    }
    return out;
  };
  if (eventType === 'viewer-request' || eventType === 'origin-request') {
    if (isResponse) {
      const headers = headersOf(p.headers);
      if (!Number.isInteger(status) || status < 100 || status > 599 || headers === undefined) {
        return edgeError(502, 'LambdaValidationError', 'The Lambda function returned an invalid response to CloudFront.');
      }
      const body = typeof p.body === 'string' ? p.body : '';
      const size = utf8Length(JSON.stringify(p.headers ?? {})) + utf8Length(body);
      if (size > EDGE_GENERATED_RESPONSE_LIMIT_BYTES[eventType]) {
        return edgeError(502, 'LambdaValidationError', `The generated response is ${size} bytes; ${eventType} allows ${EDGE_GENERATED_RESPONSE_LIMIT_BYTES[eventType]}.`);
      }
      return { statusCode: status, headers, body, outcome: 'generated' };
    }
    if (typeof p.uri !== 'string' || typeof p.method !== 'string' || headersOf(p.headers) === undefined) {
      return edgeError(502, 'LambdaValidationError', 'The Lambda function returned an invalid request to CloudFront.');
    }
    // CloudFront goes on with the request (to the cache or the origin): the viewer's answer comes from there.
    return { statusCode: 200, headers: {}, body: { uri: p.uri, method: p.method, querystring: p.querystring ?? '' }, outcome: 'forwarded' };
  }
  const headers = headersOf(p.headers);
  if (!isResponse || headers === undefined || !Number.isInteger(status)) {
    return edgeError(502, 'LambdaValidationError', 'The Lambda function returned an invalid response to CloudFront.');
  }
  // A viewer-response function cannot change the status code: CloudFront keeps the one it had.
  const kept = eventType === 'viewer-response' && original ? Number(original.status) : status;
  return { statusCode: kept, headers, body: typeof p.body === 'string' ? p.body : '', outcome: 'response' };
}

/** A CloudFront request id: 56 characters of base64url, as in CloudFront's examples. */
export function cloudFrontRequestId(seed: string): string {
  const bytes = Buffer.from(sha256Hex(seed) + md5Hex(seed), 'hex');
  return `${bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 54)}==`;
}

// ---------------------------------------------------------------------------------------------------
// Cognito user pool triggers

/** The trigger a trigger source belongs to, as Cognito names it in its errors ("PreSignUp failed with error ..."). */
export function cognitoTrigger(source: CognitoTriggerSource): string {
  const prefix = source.slice(0, source.indexOf('_'));
  return prefix === 'TokenGeneration' ? 'PreTokenGeneration' : prefix;
}

export interface CognitoInput {
  triggerSource: CognitoTriggerSource;
  region: string;
  userPoolId: string;
  userName: string;
  clientId: string;
  userAttributes: Record<string, string>;
  validationData?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  /** UserMigration only: the password the user typed. */
  password?: string;
}

/**
 * The event of a Cognito user pool trigger: the common parameters, then `request` and `response` as the
 * trigger source's family defines them (Cognito developer guide, "user pool Lambda trigger event" pages).
 * The function returns the event with `response` filled in.
 */
export function cognitoEvent(input: CognitoInput): Record<string, unknown> {
  const family = input.triggerSource.slice(0, input.triggerSource.indexOf('_'));
  const attrs = { userAttributes: input.userAttributes };
  const extra = {
    ...(input.validationData ? { validationData: input.validationData } : {}),
    ...(input.clientMetadata ? { clientMetadata: input.clientMetadata } : {}),
  };
  let request: Record<string, unknown>;
  let response: Record<string, unknown>;
  switch (family) {
    case 'PreSignUp':
      request = { ...attrs, ...extra };
      response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
      break;
    case 'PreAuthentication':
      request = { ...attrs, ...extra, userNotFound: false };
      response = {};
      break;
    case 'PostAuthentication':
      request = { ...attrs, newDeviceUsed: false, ...extra };
      response = {};
      break;
    case 'TokenGeneration':
      request = { ...attrs, groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null }, ...extra };
      response = { claimsOverrideDetails: null };
      break;
    case 'CustomMessage':
      request = {
        ...attrs,
        codeParameter: '{####}',
        linkParameter: '{##Click Here##}',
        usernameParameter: input.triggerSource === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
        ...extra,
      };
      response = { smsMessage: null, emailMessage: null, emailSubject: null };
      break;
    case 'UserMigration':
      request = { password: input.password ?? '', ...extra };
      response = { userAttributes: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null };
      break;
    default:
      request = { ...attrs, ...extra };
      response = {};
  }
  return {
    version: '1',
    triggerSource: input.triggerSource,
    region: input.region,
    userPoolId: input.userPoolId,
    userName: input.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: input.clientId },
    request,
    response,
  };
}

/** What the user of the app sees from Cognito (docs/callers.md, "Cognito"). */
export interface CognitoAnswer {
  statusCode: number;
  /** The response Cognito applies (success), or the error the app's call fails with. */
  body: { response: unknown } | { __type: string; message: string };
}

const BOOLEAN_RESPONSE_KEYS: Record<string, string[]> = {
  PreSignUp: ['autoConfirmUser', 'autoVerifyEmail', 'autoVerifyPhone'],
  UserMigration: ['forceAliasCreation'],
};
const STRING_RESPONSE_KEYS: Record<string, string[]> = {
  CustomMessage: ['smsMessage', 'emailMessage', 'emailSubject'],
  UserMigration: ['finalUserStatus', 'messageAction'],
};

/**
 * Cognito's reading of a trigger's answer: the returned event's `response`, each known field of the right
 * type (booleans for PreSignUp, strings for CustomMessage, an object for claimsOverrideDetails); anything
 * else is `InvalidLambdaResponseException`. A function error is `UserLambdaValidationException` with the
 * function's message; no answer after Cognito's attempts is `UnexpectedLambdaException`.
 */
export function cognitoAnswer(
  source: CognitoTriggerSource,
  outcome: { kind: 'success'; payload: unknown } | { kind: 'error'; message: string } | { kind: 'gaveUp'; reason: 'TimeoutException' | 'TooManyRequestsException' | 'ServiceException' },
): CognitoAnswer {
  const trigger = cognitoTrigger(source);
  if (outcome.kind === 'error') {
    return { statusCode: 400, body: { __type: 'UserLambdaValidationException', message: `${trigger} failed with error ${outcome.message}.` } };
  }
  if (outcome.kind === 'gaveUp') {
    return { statusCode: 400, body: { __type: 'UnexpectedLambdaException', message: `${trigger} invocation failed due to error ${outcome.reason}.` } };
  }
  const invalid: CognitoAnswer = { statusCode: 400, body: { __type: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' } };
  const p = outcome.payload;
  if (!isRecord(p) || !isRecord(p.response)) return invalid;
  const family = source.slice(0, source.indexOf('_'));
  const r = p.response;
  for (const key of BOOLEAN_RESPONSE_KEYS[family] ?? []) if (r[key] !== undefined && r[key] !== null && typeof r[key] !== 'boolean') return invalid;
  for (const key of STRING_RESPONSE_KEYS[family] ?? []) if (r[key] !== undefined && r[key] !== null && typeof r[key] !== 'string') return invalid;
  if (family === 'TokenGeneration' && r.claimsOverrideDetails !== undefined && r.claimsOverrideDetails !== null && !isRecord(r.claimsOverrideDetails)) return invalid;
  if (family === 'UserMigration' && !isRecord(r.userAttributes)) return invalid;
  return { statusCode: 200, body: { response: r } };
}

// ---------------------------------------------------------------------------------------------------
// Lex V2 and Alexa

/** The Lex V2 code hook event for one utterance (Lex V2 developer guide, "Lambda input event format"). */
export function lexV2Event(input: {
  botName: string;
  botId: string;
  sessionId: string;
  inputTranscript: string;
  intentName: string;
  slots?: Record<string, string>;
  invocationSource?: 'DialogCodeHook' | 'FulfillmentCodeHook';
}): LexV2Event {
  const slots: Record<string, { value: { originalValue: string; interpretedValue: string; resolvedValues: string[] } } | null> = {};
  for (const [name, value] of Object.entries(input.slots ?? {})) {
    slots[name] = { value: { originalValue: value, interpretedValue: value, resolvedValues: [value] } };
  }
  const intent = { confirmationState: 'None' as const, name: input.intentName, slots, state: 'ReadyForFulfillment' as const };
  return {
    messageVersion: '1.0',
    invocationSource: input.invocationSource ?? 'FulfillmentCodeHook',
    inputMode: 'Text',
    responseContentType: 'text/plain; charset=utf-8',
    sessionId: input.sessionId,
    inputTranscript: input.inputTranscript,
    bot: { id: input.botId, name: input.botName, aliasId: 'TSTALIASID', aliasName: 'TestBotAlias', localeId: 'en_US', version: 'DRAFT' },
    interpretations: [{ intent, nluConfidence: 1 } as unknown as LexV2Event['interpretations'][0]],
    requestAttributes: {},
    sessionState: { sessionAttributes: {}, intent, originatingRequestId: input.sessionId } as unknown as LexV2Event['sessionState'],
    transcriptions: [],
  } as unknown as LexV2Event;
}

/** An Alexa skill request envelope (Alexa Skills Kit, "Request and response JSON reference"). */
export function alexaEvent(input: { skillId: string; sessionId: string; userId: string; requestId: string; timestamp: string; intentName?: string; slots?: Record<string, string> }): Record<string, unknown> {
  const application = { applicationId: `amzn1.ask.skill.${input.skillId}` };
  const user = { userId: `amzn1.ask.account.${input.userId}` };
  const request = input.intentName
    ? {
        type: 'IntentRequest',
        requestId: `amzn1.echo-api.request.${input.requestId}`,
        timestamp: input.timestamp,
        locale: 'en-US',
        intent: {
          name: input.intentName,
          confirmationStatus: 'NONE',
          slots: Object.fromEntries(Object.entries(input.slots ?? {}).map(([name, value]) => [name, { name, value, confirmationStatus: 'NONE' }])),
        },
      }
    : { type: 'LaunchRequest', requestId: `amzn1.echo-api.request.${input.requestId}`, timestamp: input.timestamp, locale: 'en-US' };
  return {
    version: '1.0',
    session: { new: true, sessionId: `amzn1.echo-api.session.${input.sessionId}`, application, attributes: {}, user },
    context: {
      System: {
        application,
        user,
        device: { deviceId: `amzn1.ask.device.${input.userId}`, supportedInterfaces: {} },
        apiEndpoint: 'https://api.amazonalexa.com',
      },
    },
    request,
  };
}

// ---------------------------------------------------------------------------------------------------
// Firehose data transformation

export interface FirehoseRecordInput {
  recordId: string;
  approximateArrivalTimestamp: number;
  data: unknown;
}

/** The transformation event: one buffered batch of records, each `data` base64 (Firehose developer guide). */
export function firehoseEvent(input: { invocationId: string; deliveryStreamArn: string; region: string; records: FirehoseRecordInput[] }): FirehoseTransformationEvent {
  return {
    invocationId: input.invocationId,
    deliveryStreamArn: input.deliveryStreamArn,
    region: input.region,
    records: input.records.map((r) => ({
      recordId: r.recordId,
      approximateArrivalTimestamp: r.approximateArrivalTimestamp,
      data: Buffer.from(typeof r.data === 'string' ? r.data : payloadToString(r.data)).toString('base64'),
    })),
  };
}

/** The Firehose ARN of a delivery stream. */
export function deliveryStreamArn(account: AwsAccount, name: string): string {
  return `arn:aws:firehose:${account.region}:${account.accountId}:deliverystream/${name}`;
}

/** Largest transformation response Firehose accepts from the function (6 MB, the synchronous Invoke limit). */
export const FIREHOSE_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

export type FirehoseRecordResult = 'Ok' | 'Dropped' | 'ProcessingFailed';

/**
 * Each record's fate from the function's answer: `records[]` with the same `recordId`s and a `result` of
 * Ok, Dropped or ProcessingFailed. A record missing from the answer, an unknown result, an Ok without
 * `data` or an answer over 6 MB count as transformation failures (ProcessingFailed).
 */
export function firehoseResults(recordIds: string[], payload: unknown): { results: Record<string, FirehoseRecordResult>; problem?: string } {
  const failAll = (problem: string) => ({ results: Object.fromEntries(recordIds.map((id) => [id, 'ProcessingFailed' as const])), problem });
  let size = 0;
  try {
    size = utf8Length(JSON.stringify(payload) ?? '');
  } catch {
    return failAll('response is not JSON');
  }
  if (size > FIREHOSE_RESPONSE_LIMIT_BYTES) return failAll(`response is ${size} bytes; Firehose accepts at most ${FIREHOSE_RESPONSE_LIMIT_BYTES}`);
  if (!isRecord(payload) || !Array.isArray(payload.records)) return failAll('response has no records array');
  const byId = new Map<string, unknown>();
  for (const r of payload.records) if (isRecord(r) && typeof r.recordId === 'string') byId.set(r.recordId, r);
  const results: Record<string, FirehoseRecordResult> = {};
  for (const id of recordIds) {
    const r = byId.get(id) as Record<string, unknown> | undefined;
    if (!r) results[id] = 'ProcessingFailed';
    else if (r.result === 'Ok') results[id] = typeof r.data === 'string' ? 'Ok' : 'ProcessingFailed';
    else if (r.result === 'Dropped') results[id] = 'Dropped';
    else results[id] = 'ProcessingFailed';
  }
  const missing = recordIds.filter((id) => !byId.has(id)).length;
  return missing ? { results, problem: `${missing} record id(s) missing from the response` } : { results };
}

// ---------------------------------------------------------------------------------------------------
// S3 Batch Operations

/** The LambdaInvoke event for one task (S3 user guide, "Invoke AWS Lambda function"); schema 2.0 names the bucket and adds userArguments. */
export function s3BatchEvent(input: {
  invocationSchemaVersion: '1.0' | '2.0';
  invocationId: string;
  jobId: string;
  taskId: string;
  bucket: string;
  key: string;
  versionId?: string | null;
  userArguments?: Record<string, string>;
}): S3BatchEvent {
  const task =
    input.invocationSchemaVersion === '1.0'
      ? { taskId: input.taskId, s3Key: input.key, s3VersionId: input.versionId ?? null, s3BucketArn: `arn:aws:s3:::${input.bucket}` }
      : { taskId: input.taskId, s3Key: input.key, s3VersionId: input.versionId ?? null, s3Bucket: input.bucket };
  return {
    invocationSchemaVersion: input.invocationSchemaVersion,
    invocationId: input.invocationId,
    job: input.invocationSchemaVersion === '1.0' ? { id: input.jobId } : { id: input.jobId, userArguments: input.userArguments ?? {} },
    tasks: [task],
  } as S3BatchEvent;
}

export type S3BatchResultCode = 'Succeeded' | 'TemporaryFailure' | 'PermanentFailure';

/**
 * A task's result from the function's answer: `results[0].resultCode` for the task; `treatMissingKeysAs`
 * when the answer names no result (default PermanentFailure). A function error fails the task permanently.
 */
export function s3BatchResult(taskId: string, payload: unknown): { resultCode: S3BatchResultCode; resultString: string } {
  const codes = ['Succeeded', 'TemporaryFailure', 'PermanentFailure'];
  if (!isRecord(payload)) return { resultCode: 'PermanentFailure', resultString: 'Lambda returned an unrecognizable response' };
  const results = Array.isArray(payload.results) ? payload.results : [];
  const r = results.find((x) => isRecord(x) && x.taskId === taskId) ?? results[0];
  if (isRecord(r) && typeof r.resultCode === 'string' && codes.includes(r.resultCode)) {
    return { resultCode: r.resultCode as S3BatchResultCode, resultString: typeof r.resultString === 'string' ? r.resultString : '' };
  }
  const missing = typeof payload.treatMissingKeysAs === 'string' && codes.includes(payload.treatMissingKeysAs) ? payload.treatMissingKeysAs : 'PermanentFailure';
  return { resultCode: missing as S3BatchResultCode, resultString: 'no result for this task' };
}

// ---------------------------------------------------------------------------------------------------
// Function URLs

/**
 * The request a function URL sends: the HTTP API payload 2.0 on the `lambda-url` domain, route and stage
 * `$default`, and `requestContext.authorizer.iam` with the signer's identity when the auth type is AWS_IAM
 * (Lambda developer guide, "Invoking Lambda function URLs").
 */
export function functionUrlEvent(request: HttpRequest, options: { account: AwsAccount; urlId: string; authType: 'NONE' | 'AWS_IAM' }): LambdaFunctionURLEvent {
  const v2 = apiGatewayV2Event(request, { account: options.account, apiId: options.urlId });
  const ctx = v2.requestContext;
  const requestContext = {
    accountId: ctx.accountId,
    apiId: options.urlId,
    authentication: null,
    ...(options.authType === 'AWS_IAM'
      ? {
          authorizer: {
            iam: {
              accessKey: `AKIA${md5Hex(`key:${options.account.accountId}`).slice(0, 16).toUpperCase()}`,
              accountId: options.account.accountId,
              callerId: `AIDA${md5Hex(`caller:${options.account.accountId}`).slice(0, 17).toUpperCase()}`,
              cognitoIdentity: null,
              principalOrgId: null,
              userArn: `arn:aws:iam::${options.account.accountId}:user/example-user`,
              userId: `AIDA${md5Hex(`caller:${options.account.accountId}`).slice(0, 17).toUpperCase()}`,
            },
          },
        }
      : {}),
    domainName: `${options.urlId}.lambda-url.${options.account.region}.on.aws`,
    domainPrefix: options.urlId,
    http: ctx.http,
    requestId: ctx.requestId,
    routeKey: '$default',
    stage: '$default',
    time: apiGatewayTime(request.epochMs),
    timeEpoch: ctx.timeEpoch,
  };
  const { version, routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, body, isBase64Encoded } = v2;
  return {
    version,
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext,
    ...(body !== undefined ? { body } : {}),
    pathParameters: null,
    isBase64Encoded,
    stageVariables: null,
  } as unknown as LambdaFunctionURLEvent;
}

/** A function URL's id: 32 lower-case letters and digits, stable per function. */
export function functionUrlId(account: AwsAccount, fn: string): string {
  return md5Hex(`url:${account.accountId}:${account.region}:${fn}`).replace(/[0-9]/g, (d) => String.fromCharCode(97 + Number(d))).slice(0, 32);
}

// ---------------------------------------------------------------------------------------------------
// Asynchronous callers: SES, CloudWatch Logs, CodeCommit, Config, IoT

/** SES receipt rule Lambda action event (SES developer guide, "Lambda action"); only the headers, never the body. */
export function sesEvent(input: {
  account: AwsAccount;
  fn: string;
  invocationType: 'Event' | 'RequestResponse';
  messageId: string;
  epochMs: number;
  from: string;
  to: string;
  subject: string;
}): SESEvent {
  const date = new Date(input.epochMs).toUTCString().replace('GMT', '+0000');
  const smtpId = `<${input.messageId}@${input.from.split('@')[1] ?? 'example.com'}>`;
  return {
    Records: [
      {
        eventVersion: '1.0',
        ses: {
          mail: {
            commonHeaders: { from: [input.from], to: [input.to], returnPath: input.from, messageId: smtpId, date, subject: input.subject },
            source: input.from,
            timestamp: isoMs(input.epochMs),
            destination: [input.to],
            headers: [
              { name: 'Return-Path', value: `<${input.from}>` },
              { name: 'MIME-Version', value: '1.0' },
              { name: 'From', value: input.from },
              { name: 'Date', value: date },
              { name: 'Message-ID', value: smtpId },
              { name: 'Subject', value: input.subject },
              { name: 'To', value: input.to },
              { name: 'Content-Type', value: 'text/plain; charset=UTF-8' },
            ],
            headersTruncated: false,
            messageId: input.messageId,
          },
          receipt: {
            recipients: [input.to],
            timestamp: isoMs(input.epochMs),
            spamVerdict: { status: 'PASS' },
            dkimVerdict: { status: 'PASS' },
            dmarcVerdict: { status: 'PASS' },
            dmarcPolicy: 'reject',
            processingTimeMillis: 574,
            action: { type: 'Lambda', invocationType: input.invocationType, functionArn: functionArn(input.account, input.fn) },
            spfVerdict: { status: 'PASS' },
            virusVerdict: { status: 'PASS' },
          },
        },
        eventSource: 'aws:ses',
      },
    ],
  } as SESEvent;
}

export type SesDisposition = 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE';

/** SES reads `{ disposition }` from a RequestResponse answer; anything else (or a failure) means CONTINUE. */
export function sesDisposition(payload: unknown): SesDisposition {
  const d = isRecord(payload) ? payload.disposition : undefined;
  return d === 'STOP_RULE' || d === 'STOP_RULE_SET' || d === 'CONTINUE' ? d : 'CONTINUE';
}

/**
 * A CloudWatch Logs subscription filter event: the DATA_MESSAGE JSON, gzip-compressed, base64-encoded
 * in `awslogs.data` (Lambda developer guide, "Using Lambda with CloudWatch Logs").
 */
export function cloudWatchLogsEvent(data: CloudWatchLogsDecodedData): CloudWatchLogsEvent {
  // mtime 0 and a fixed OS byte: the same data always gives the same bytes.
  const gz = gzipSync(Buffer.from(JSON.stringify(data)));
  gz.writeUInt32LE(0, 4);
  gz[9] = 255;
  return { awslogs: { data: gz.toString('base64') } };
}

/** The decoded DATA_MESSAGE for log lines `messages`, as a subscription filter on `logGroup` delivers them. */
export function cloudWatchLogsData(input: { owner: string; logGroup: string; logStream: string; filterName: string; events: Array<{ id: string; timestamp: number; message: string }> }): CloudWatchLogsDecodedData {
  return {
    messageType: 'DATA_MESSAGE',
    owner: input.owner,
    logGroup: input.logGroup,
    logStream: input.logStream,
    subscriptionFilters: [input.filterName],
    logEvents: input.events,
  };
}

/** A CloudWatch Logs event id: 56 decimal digits, as subscription events show them. */
export function logEventId(seed: string): string {
  return BigInt(`0x${sha256Hex(seed)}`).toString().padStart(56, '0').slice(0, 56);
}

/** CodeCommit's `eventTime` format: `2019-03-12T20:58:25.400+0000`. */
function codeCommitTime(epochMs: number): string {
  return isoMs(epochMs).replace('Z', '+0000');
}

/** A CodeCommit repository trigger event for one push (Lambda developer guide, "Using Lambda with CodeCommit"). */
export function codeCommitEvent(input: {
  account: AwsAccount;
  repository: string;
  triggerName: string;
  triggerConfigId: string;
  eventId: string;
  epochMs: number;
  commit: string;
  ref: string;
  user: string;
  customData?: string;
}): CodeCommitTriggerEvent {
  return {
    Records: [
      {
        awsRegion: input.account.region,
        codecommit: { references: [{ commit: input.commit, ref: input.ref }] },
        ...(input.customData !== undefined ? { customData: input.customData } : {}),
        eventId: input.eventId,
        eventName: 'ReferenceChanges',
        eventPartNumber: 1,
        eventSource: 'aws:codecommit',
        eventSourceARN: `arn:aws:codecommit:${input.account.region}:${input.account.accountId}:${input.repository}`,
        eventTime: codeCommitTime(input.epochMs),
        eventTotalParts: 1,
        eventTriggerConfigId: input.triggerConfigId,
        eventTriggerName: input.triggerName,
        eventVersion: '1.0',
        userIdentityARN: `arn:aws:iam::${input.account.accountId}:user/${input.user}`,
      },
    ],
  };
}

/**
 * An AWS Config custom rule event for a configuration change (Lambda developer guide, "Using Lambda with
 * AWS Config"): `invokingEvent` and `ruleParameters` are JSON strings, not objects.
 */
export function configRuleEvent(input: {
  account: AwsAccount;
  ruleName: string;
  ruleId: string;
  resultToken: string;
  epochMs: number;
  configurationItem: Record<string, unknown>;
  ruleParameters?: Record<string, string>;
}): Record<string, unknown> {
  const item = {
    configurationItemCaptureTime: isoMs(input.epochMs),
    awsAccountId: input.account.accountId,
    configurationItemStatus: 'OK',
    ...input.configurationItem,
  };
  return {
    invokingEvent: JSON.stringify({ configurationItem: item, messageType: 'ConfigurationItemChangeNotification' }),
    ruleParameters: JSON.stringify(input.ruleParameters ?? {}),
    resultToken: input.resultToken,
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${input.account.accountId}:role/config-role`,
    configRuleArn: `arn:aws:config:${input.account.region}:${input.account.accountId}:config-rule/${input.ruleId}`,
    configRuleName: input.ruleName,
    configRuleId: input.ruleId,
    accountId: input.account.accountId,
    version: '1.0',
  };
}
