/**
 * Synchronous HTTP callers (docs/aws-rules.md §1): the request event an Application Load Balancer or
 * API Gateway builds, and what the HTTP client receives once the function has answered, failed, timed
 * out or been throttled.
 */
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
} from 'aws-lambda';
import { type AwsAccount, targetGroupArn } from './arn.js';
import { apiGatewayTime, md5Hex, payloadToString } from './format.js';
import { type InvocationOutcome, serializeResponse } from './invoke.js';

/** Header or query values as the client sent them; an array means the name was repeated, in order. */
export type MultiValueInput = Record<string, string | string[]>;

/** An HTTP request as the traffic generator describes it. */
export interface HttpRequest {
  method: string;
  /** Path without the query string, e.g. `/orders/42`. */
  path: string;
  headers?: MultiValueInput;
  query?: MultiValueInput;
  /** Strings pass through unchanged; other values are JSON; null/undefined means no body. */
  body?: unknown;
  isBase64Encoded?: boolean;
  requestId: string;
  /** When the request arrived (absolute epoch ms). */
  epochMs: number;
  /** Client address; default `203.0.113.10` (a documentation address). */
  sourceIp?: string;
}

/** What the HTTP client receives. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** Repeated headers (ALB multi-value mode, API Gateway multiValueHeaders, v2 cookies as set-cookie). */
  multiValueHeaders?: Record<string, string[]>;
  body: string;
}

const DEFAULT_SOURCE_IP = '203.0.113.10';

// ---------------------------------------------------------------------------------------------------
// Request events

export interface AlbEventOptions {
  account: AwsAccount;
  targetGroupName: string;
  /** Target group attribute `lambda.multi_value_headers.enabled` (default false). */
  multiValueHeaders?: boolean;
}

/**
 * The event an ALB sends its Lambda target. Header names arrive lower-cased, and ALB adds its
 * `x-amzn-trace-id` / `x-forwarded-*` headers. With `lambda.multi_value_headers.enabled` off (the default)
 * the event has single-value `headers` / `queryStringParameters` and a repeated name keeps only its
 * **last** value; with it on, the event has `multiValueHeaders` / `multiValueQueryStringParameters`
 * **instead** (docs/aws-rules.md §1, "ALB target").
 *
 * @example
 * albEvent({ method: 'GET', path: '/', headers: { 'X-A': ['1', '2'] }, requestId: 'r', epochMs: 0 },
 *   { account: { region: 'us-east-1', accountId: '123456789012' }, targetGroupName: 'web' }).headers?.['x-a'];
 * // '2'
 */
export function albEvent(request: HttpRequest, options: AlbEventOptions): ALBEvent {
  const headers = pairs(request.headers).map(([k, v]): [string, string] => [k.toLowerCase(), v]);
  const present = new Set(headers.map(([k]) => k));
  const ip = request.sourceIp ?? DEFAULT_SOURCE_IP;
  const added: Array<[string, string]> = [
    ['x-amzn-trace-id', traceId(request)],
    ['x-forwarded-for', ip],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ];
  for (const h of added) if (!present.has(h[0])) headers.push(h);
  // "If the query parameters are URL-encoded, the load balancer does not decode them" (docs/fidelity.md):
  // the scenario writes values as the user means them, the client sends them URL-encoded, and the
  // function receives them as sent.
  const query = pairs(request.query).map(([k, v]): [string, string] => [encodeURIComponent(k), encodeURIComponent(v)]);
  const base = {
    requestContext: { elb: { targetGroupArn: targetGroupArn(options.account, options.targetGroupName) } },
    httpMethod: request.method.toUpperCase(),
    path: request.path,
  };
  const tail = albBody(request, lastWins(headers)['content-type']);
  if (options.multiValueHeaders) {
    return { ...base, multiValueQueryStringParameters: groupAll(query), multiValueHeaders: groupAll(headers), ...tail };
  }
  return { ...base, queryStringParameters: lastWins(query), headers: lastWins(headers), ...tail };
}

/**
 * ALB's body rule (docs/fidelity.md): "If the content type is one of the following types, the load
 * balancer sends the body to the Lambda function as is and sets isBase64Encoded to false: text/*,
 * application/json, application/javascript, and application/xml. For all other types, the load balancer
 * Base64 encodes the body and sets isBase64Encoded to true." A request without a content type falls in
 * "all other types"; an empty body stays `""` with `isBase64Encoded: false`.
 */
function albBody(request: HttpRequest, contentType: string | undefined): { body: string; isBase64Encoded: boolean } {
  const body = bodyOf(request) ?? '';
  if (request.isBase64Encoded) return { body, isBase64Encoded: true };
  if (body === '' || albSendsAsIs(contentType)) return { body, isBase64Encoded: false };
  return { body: Buffer.from(body, 'utf8').toString('base64'), isBase64Encoded: true };
}

/** Whether ALB passes a body of this content type through as text. */
export function albSendsAsIs(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/') || type === 'application/json' || type === 'application/javascript' || type === 'application/xml';
}

export interface ApiGatewayV1Options {
  account: AwsAccount;
  /**
   * Which gateway sends the 1.0 payload: 'rest' (default) adds its Host, X-Amzn-Trace-Id and
   * X-Forwarded-* headers, as REST API events carry them; 'http' (an HTTP API set to payload 1.0) does not.
   */
  api?: 'rest' | 'http';
  apiId?: string;
  /** Default `prod`. */
  stage?: string;
  /** The matched resource, e.g. `/orders/{id}`; default the request path. */
  resource?: string;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
}

/**
 * The REST API proxy event (payload format 1.0, docs/aws-rules.md §1). Header names keep the client's
 * case; `headers` / `queryStringParameters` hold the last value of a repeated name and the `multiValue…`
 * maps hold them all; maps with no entries are `null`, as API Gateway sends them.
 *
 * @example
 * apiGatewayV1Event({ method: 'GET', path: '/x', query: { a: ['1', '2'] }, requestId: 'r', epochMs: 0 },
 *   { account: { region: 'us-east-1', accountId: '123456789012' } }).multiValueQueryStringParameters;
 * // { a: ['1', '2'] }
 */
export function apiGatewayV1Event(request: HttpRequest, options: ApiGatewayV1Options): APIGatewayProxyEvent {
  const apiId = options.apiId ?? defaultApiId(options.account);
  const stage = options.stage ?? 'prod';
  const resource = options.resource ?? request.path;
  const headers = pairs(request.headers);
  const domainName = `${apiId}.execute-api.${options.account.region}.amazonaws.com`;
  if ((options.api ?? 'rest') === 'rest') {
    // The headers a REST API adds to what the client sent, in AWS's example's casing (docs/fidelity.md).
    const present = new Set(headers.map(([k]) => k.toLowerCase()));
    const added: Array<[string, string]> = [
      ['Host', domainName],
      ['X-Amzn-Trace-Id', traceId(request)],
      ['X-Forwarded-For', request.sourceIp ?? DEFAULT_SOURCE_IP],
      ['X-Forwarded-Port', '443'],
      ['X-Forwarded-Proto', 'https'],
    ];
    for (const h of added) if (!present.has(h[0].toLowerCase())) headers.push(h);
  }
  const query = pairs(request.query);
  const userAgent = lastWins(headers.map(([k, v]): [string, string] => [k.toLowerCase(), v]))['user-agent'] ?? null;
  const method = request.method.toUpperCase();
  const requestContext = {
    accountId: options.account.accountId,
    apiId,
    domainName,
    domainPrefix: apiId,
    extendedRequestId: md5Hex(`ext:${request.requestId}`).slice(0, 16),
    httpMethod: method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp ?? DEFAULT_SOURCE_IP,
      user: null,
      userAgent,
      userArn: null,
    },
    path: `/${stage}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: apiGatewayTime(request.epochMs),
    requestTimeEpoch: Math.floor(request.epochMs),
    resourceId: md5Hex(`res:${resource}`).slice(0, 6),
    resourcePath: resource,
    stage,
  };
  return {
    resource,
    path: request.path,
    httpMethod: method,
    headers: lastWins(headers),
    multiValueHeaders: groupAll(headers),
    queryStringParameters: query.length ? lastWins(query) : null,
    multiValueQueryStringParameters: query.length ? groupAll(query) : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: options.stageVariables ?? null,
    // Without an authorizer, real events have no `authorizer` key; the @types declare it required.
    requestContext: requestContext as APIGatewayProxyEvent['requestContext'],
    body: bodyOf(request),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

export interface ApiGatewayV2Options {
  account: AwsAccount;
  apiId?: string;
  /** Default `$default` (no stage prefix in the path). */
  stage?: string;
  /** Default `$default`; e.g. `GET /orders/{id}`. */
  routeKey?: string;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
}

/**
 * The HTTP API event (payload format 2.0, docs/aws-rules.md §1): header names lower-cased, repeated
 * headers and query parameters joined with commas, no multi-value maps, `Cookie` headers moved to
 * `cookies[]`, `rawPath` / `rawQueryString` as sent. Optional maps are left out when empty.
 *
 * @example
 * apiGatewayV2Event({ method: 'GET', path: '/', headers: { 'X-A': ['1', '2'] }, requestId: 'r', epochMs: 0 },
 *   { account: { region: 'us-east-1', accountId: '123456789012' } }).headers['x-a']; // '1,2'
 */
export function apiGatewayV2Event(request: HttpRequest, options: ApiGatewayV2Options): APIGatewayProxyEventV2 {
  const apiId = options.apiId ?? defaultApiId(options.account);
  const stage = options.stage ?? '$default';
  const routeKey = options.routeKey ?? '$default';
  const rawPath = stage === '$default' ? request.path : `/${stage}${request.path}`;
  const all = pairs(request.headers).map(([k, v]): [string, string] => [k.toLowerCase(), v]);
  const cookies = all
    .filter(([k]) => k === 'cookie')
    .flatMap(([, v]) => v.split(';').map((c) => c.trim()).filter((c) => c !== ''));
  const headers = commaJoined(all.filter(([k]) => k !== 'cookie'));
  const query = pairs(request.query);
  const body = bodyOf(request);
  // Optional keys are spread in only when present, so the JSON keeps AWS's field order and key set.
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(query.length ? { queryStringParameters: commaJoined(query) } : {}),
    requestContext: {
      accountId: options.account.accountId,
      apiId,
      domainName: `${apiId}.execute-api.${options.account.region}.amazonaws.com`,
      domainPrefix: apiId,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? DEFAULT_SOURCE_IP,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey,
      stage,
      time: apiGatewayTime(request.epochMs),
      timeEpoch: Math.floor(request.epochMs),
    },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.stageVariables ? { stageVariables: options.stageVariables } : {}),
    ...(body !== null ? { body } : {}),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
  return event;
}

// ---------------------------------------------------------------------------------------------------
// Responses

/**
 * How long API Gateway waits for the integration: 29 s for REST APIs (the default; raisable since
 * 2024-06 for Regional and private APIs), 30 s for HTTP APIs (UNVERIFIED beyond re:Post). docs/aws-rules.md
 * section 1. An invocation still running at this point ends, for the client, as a 504 (outcome kind
 * `integrationTimeout`), even though the function keeps running to its own timeout.
 */
export const API_GATEWAY_INTEGRATION_TIMEOUT_MS = { rest: 29_000, http: 30_000 } as const;

/** An invocation outcome, plus the caller giving up first (API Gateway's integration timeout). */
export type HttpOutcome = InvocationOutcome | { kind: 'integrationTimeout' };

/**
 * What the client of an ALB receives. The function must return an object with a numeric `statusCode`
 * (and a string `body`, if any); `headers` are used with multi-value mode off, `multiValueHeaders` with it
 * on, and a base64 body is decoded. Anything else, a function error or a function timeout gives ALB's
 * HTML 502 page. A throttle gives 503. Both statuses are UNVERIFIED (docs/aws-rules.md §1 lists
 * "502/504" without a source): 502 for a timeout follows ALB's treatment of a Lambda that fails to
 * answer, and 503 for a throttle is ALB's "no capacity" status.
 *
 * @example
 * albResponse({ kind: 'success', payload: { statusCode: 201, body: 'ok' } }).statusCode; // 201
 * albResponse({ kind: 'error', error: { errorType: 'Error', errorMessage: 'x' } }).statusCode; // 502
 */
export function albResponse(outcome: HttpOutcome, options: { multiValueHeaders?: boolean } = {}): HttpResponse {
  if (outcome.kind === 'throttle') return albErrorPage(503, 'Service Temporarily Unavailable');
  if (outcome.kind !== 'success') return albErrorPage(502, 'Bad Gateway');
  // ALB limits: "The maximum size of the response JSON that the Lambda function can send is 1 MB", and
  // troubleshooting: "HTTP 502: Bad gateway ... the response body exceeds 1 MB" (docs/fidelity.md).
  const serialized = serializeResponse(outcome.payload, ALB_LIMIT_BYTES);
  if (!serialized.ok) return albErrorPage(502, 'Bad Gateway');
  const result = asObject(outcome.payload);
  if (!result || !isStatusCode(result.statusCode)) return albErrorPage(502, 'Bad Gateway');
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return albErrorPage(502, 'Bad Gateway');
  }
  const body = decodeBody(result.body as string | undefined | null, result.isBase64Encoded === true);
  if (options.multiValueHeaders) {
    const multi = stringLists(result.multiValueHeaders);
    if (multi === undefined) return albErrorPage(502, 'Bad Gateway');
    return { statusCode: result.statusCode, headers: {}, multiValueHeaders: multi, body };
  }
  const headers = stringMap(result.headers);
  if (headers === undefined) return albErrorPage(502, 'Bad Gateway');
  return { statusCode: result.statusCode, headers, body };
}

/**
 * What the client of API Gateway receives.
 *
 * Payload format 1.0 (REST API, default `api: 'rest'`): the function must return
 * `{statusCode, headers?, multiValueHeaders?, body?, isBase64Encoded?}` with nothing else; no inference
 * (docs/aws-rules.md §1). A malformed response, a function error or a function timeout gives
 * 502 `{"message": "Internal server error"}`.
 *
 * Payload format 2.0 (HTTP API): a return value without `statusCode` becomes 200, `content-type:
 * application/json`, with the value as the body (a string as it is, anything else as JSON). A structured
 * response with a bad `statusCode`, a function error or a function timeout gives 500
 * `{"message":"Internal Server Error"}`: HTTP APIs answer 500, not 502, for integration failures (re:Post
 * "api-gateway-status-codes-http-api", docs/aws-rules.md source S33; HTTP API with format 1.0 does too).
 *
 * A Lambda throttle (429) is never passed on: API Gateway answers 500 `Internal server error`
 * (re:Post "API Gateway proxy integration does not forward Lambda throttling (HTTP 429)"; the Lambda 429
 * maps to the INTEGRATION_FAILURE path, whose default status stays 500 unless customised). The
 * integration timeout (29 s REST, 30 s HTTP API) gives 504 `Endpoint request timed out` (docs/aws-rules.md
 * checklist; for HTTP APIs some reports say 503, UNVERIFIED).
 *
 * @example
 * apiGatewayResponse({ kind: 'success', payload: { hello: 'world' } }, '2.0');
 * // { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' }
 */
export function apiGatewayResponse(
  outcome: HttpOutcome,
  version: '1.0' | '2.0',
  options: { api?: 'rest' | 'http' } = {},
): HttpResponse {
  const api = options.api ?? (version === '1.0' ? 'rest' : 'http');
  const failure = (): HttpResponse =>
    api === 'rest'
      ? apiGatewayError(502, 'Internal server error', api)
      : apiGatewayError(500, 'Internal Server Error', api);
  if (outcome.kind === 'integrationTimeout') return apiGatewayError(504, 'Endpoint request timed out', api);
  if (outcome.kind === 'throttle') {
    return apiGatewayError(500, api === 'rest' ? 'Internal server error' : 'Internal Server Error', api);
  }
  if (outcome.kind !== 'success') return failure();
  const serialized = serializeResponse(outcome.payload);
  if (!serialized.ok) return failure();

  const result = asObject(outcome.payload);
  if (version === '2.0' && (!result || !('statusCode' in result))) {
    const body = typeof outcome.payload === 'string' ? outcome.payload : serialized.body;
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  }
  if (!result || !isStatusCode(result.statusCode)) return failure();
  if (version === '1.0') {
    const allowed = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
    if (Object.keys(result).some((k) => !allowed.has(k))) return failure();
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return failure();
  const headers = stringMap(result.headers);
  if (headers === undefined) return failure();
  const response: HttpResponse = {
    statusCode: result.statusCode,
    headers,
    body: decodeBody(result.body as string | undefined | null, result.isBase64Encoded === true),
  };
  const multi = version === '1.0' ? stringLists(result.multiValueHeaders) : {};
  if (multi === undefined) return failure();
  if (version === '2.0' && Array.isArray(result.cookies)) {
    multi['set-cookie'] = result.cookies.map((c) => String(c));
  }
  if (Object.keys(multi).length) response.multiValueHeaders = multi;
  return response;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function pairs(input: MultiValueInput | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(input ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)]);
  }
  return out;
}

function lastWins(list: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of list) out[k] = v;
  return out;
}

function groupAll(list: Array<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of list) (out[k] ??= []).push(v);
  return out;
}

function commaJoined(list: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, values] of Object.entries(groupAll(list))) out[k] = values.join(',');
  return out;
}

function bodyOf(request: HttpRequest): string | null {
  return request.body === undefined || request.body === null ? null : payloadToString(request.body);
}

function traceId(request: HttpRequest): string {
  const seconds = Math.floor(request.epochMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${md5Hex(`trace:${request.requestId}`).slice(0, 24)}`;
}

function defaultApiId(account: AwsAccount): string {
  return md5Hex(`api:${account.accountId}:${account.region}`).slice(0, 10);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Header values as strings; undefined if the map is malformed. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  const obj = asObject(value);
  if (!obj) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!isScalar(v)) return undefined;
    out[k] = String(v);
  }
  return out;
}

function stringLists(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined || value === null) return {};
  const obj = asObject(value);
  if (!obj) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!Array.isArray(v) || !v.every(isScalar)) return undefined;
    out[k] = v.map((x) => String(x));
  }
  return out;
}

function decodeBody(body: string | undefined | null, isBase64Encoded: boolean): string {
  if (body === undefined || body === null) return '';
  return isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** ALB's limit on the request body it sends to a function, and on the response JSON it accepts back. */
export const ALB_LIMIT_BYTES = 1024 * 1024;

/**
 * ALB's answer to a request body over 1 MB, which it never sends to the function (troubleshooting:
 * "HTTP 413: Payload too large — The target is a Lambda function and the request body exceeds 1 MB").
 */
export function albRequestTooLarge(): HttpResponse {
  return albErrorPage(413, 'Request Entity Too Large');
}

function albErrorPage(statusCode: number, reason: string): HttpResponse {
  const title = `${statusCode} ${reason}`;
  return {
    statusCode,
    headers: { server: 'awselb/2.0', 'content-type': 'text/html' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}

function apiGatewayError(statusCode: number, message: string, api: 'rest' | 'http'): HttpResponse {
  const errorType =
    statusCode === 504 ? 'IntegrationTimeoutException' : statusCode === 502 ? 'BadGatewayException' : 'InternalServerErrorException';
  // REST APIs print their gateway responses with a space after the colon (`{"message": "..."}`); HTTP
  // APIs print compact JSON.
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': errorType },
    body: api === 'rest' ? `{"message": ${JSON.stringify(message)}}` : JSON.stringify({ message }),
  };
}
