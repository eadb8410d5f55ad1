/**
 * What a synchronous caller sends and what it gets back, by how it calls (docs/aws-rules.md §1):
 * the CLI/SDK sees the Invoke API's answer; an ALB or API Gateway converts the request into an event and
 * the function's result (or failure) back into an HTTP response.
 */
import type { HttpRequestSpec } from '../../scenario/types.js';
import {
  albEvent,
  albResponse,
  apiGatewayResponse,
  apiGatewayV1Event,
  apiGatewayV2Event,
  type AwsAccount,
  type HttpOutcome,
  invokeResponse,
} from '../aws/index.js';

export type SyncVia = 'cli' | 'alb' | 'apigateway';

export interface CallerResponse {
  statusCode: number;
  functionError?: string;
  headers?: Record<string, string>;
  /** The Invoke API's payload (cli) or the HTTP body (alb, apigateway). */
  body: unknown;
}

/** The event the function receives for one synchronous request. */
export function callerRequestEvent(
  via: SyncVia,
  request: { body: unknown; http?: HttpRequestSpec; epochMs: number; requestId: string; account: AwsAccount; fn: string },
): unknown {
  if (via === 'cli') return request.body;
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
  if (via === 'alb') {
    return albEvent(input, { account: request.account, targetGroupName: `${request.fn}-tg`, multiValueHeaders: http.multiValueHeaders });
  }
  return (http.payloadFormatVersion ?? '2.0') === '1.0'
    ? apiGatewayV1Event(input, { account: request.account })
    : apiGatewayV2Event(input, { account: request.account });
}

/** What the caller receives for an outcome. */
export function callerResponse(
  via: SyncVia,
  outcome: HttpOutcome,
  http: HttpRequestSpec | undefined,
  requestId = '',
  executedVersion?: string,
): CallerResponse {
  if (via === 'cli') {
    if (outcome.kind === 'integrationTimeout') throw new Error('engine: a direct caller has no integration timeout');
    const r = invokeResponse(outcome, { requestId, executedVersion });
    const out: CallerResponse = { statusCode: r.statusCode, ...(r.functionError ? { functionError: r.functionError } : {}), body: r.payload };
    // docs/versions.md: a 200 carries X-Amz-Executed-Version, the version that ran.
    if (r.executedVersion !== undefined && executedVersion !== undefined) out.headers = { 'X-Amz-Executed-Version': r.executedVersion };
    return out;
  }
  const r =
    via === 'alb'
      ? albResponse(outcome, { multiValueHeaders: http?.multiValueHeaders })
      : apiGatewayResponse(outcome, http?.payloadFormatVersion ?? '2.0');
  return { statusCode: r.statusCode, headers: r.headers, body: r.body };
}
