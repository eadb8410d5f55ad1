import { describe, expect, it } from 'vitest';
import {
  albEvent,
  albResponse,
  apiGatewayResponse,
  apiGatewayV1Event,
  apiGatewayV2Event,
  type HttpRequest,
} from '../../../src/engine/aws/index.js';

const account = { region: 'us-east-1', accountId: '123456789012' };
const request: HttpRequest = {
  method: 'get',
  path: '/orders/42',
  headers: { Accept: 'text/html', 'X-Dup': ['first', 'second'], 'User-Agent': 'curl/8', Cookie: 'a=1; b=2' },
  query: { tag: ['red', 'blue'], q: 'x y' },
  requestId: 'req-1',
  epochMs: Date.UTC(2020, 2, 12, 19, 3, 58, 123),
};

describe('ALB events with lambda.multi_value_headers.enabled off (the default)', () => {
  const event = albEvent(request, { account, targetGroupName: 'web' });

  it('has single-value maps and no multi-value maps', () => {
    expect(Object.keys(event).sort()).toEqual(
      ['requestContext', 'httpMethod', 'path', 'queryStringParameters', 'headers', 'body', 'isBase64Encoded'].sort(),
    );
    expect(event.requestContext.elb.targetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/web\/[0-9a-f]{16}$/,
    );
  });

  it('collapses a repeated header or query parameter to its last value', () => {
    expect(event.headers?.['x-dup']).toBe('second');
    expect(event.queryStringParameters?.tag).toBe('blue');
  });

  it('lower-cases header names and adds the load balancer headers', () => {
    expect(event.headers?.accept).toBe('text/html');
    expect(event.headers?.['x-forwarded-proto']).toBe('https');
    expect(event.headers?.['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('sends an empty string body when the request has none', () => {
    expect(event.body).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.httpMethod).toBe('GET');
  });
});

describe('ALB events with lambda.multi_value_headers.enabled on', () => {
  const event = albEvent(request, { account, targetGroupName: 'web', multiValueHeaders: true });

  it('carries multi-value maps instead of the single-value ones', () => {
    expect(event.headers).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.multiValueHeaders?.['x-dup']).toEqual(['first', 'second']);
    expect(event.multiValueQueryStringParameters?.tag).toEqual(['red', 'blue']);
  });
});

describe('API Gateway REST proxy events (payload format 1.0)', () => {
  const event = apiGatewayV1Event({ ...request, body: { a: 1 } }, { account, apiId: 'abc123', stage: 'prod' });

  it('has exactly the documented keys', () => {
    expect(Object.keys(event).sort()).toEqual(
      [
        'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters',
        'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded',
      ].sort(),
    );
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'abc123',
      stage: 'prod',
      requestId: 'req-1',
      resourcePath: '/orders/42',
      httpMethod: 'GET',
      path: '/prod/orders/42',
      requestTime: '12/Mar/2020:19:03:58 +0000',
      requestTimeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 123),
    });
    expect(event.requestContext.identity.sourceIp).toBe('203.0.113.10');
  });

  it('keeps the last value in single-value maps and all of them in multi-value maps', () => {
    expect(event.headers['X-Dup']).toBe('second');
    expect(event.multiValueHeaders['X-Dup']).toEqual(['first', 'second']);
    expect(event.queryStringParameters?.tag).toBe('blue');
    expect(event.multiValueQueryStringParameters?.tag).toEqual(['red', 'blue']);
  });

  it('sends null for absent maps and the body as a JSON string', () => {
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
    expect(event.body).toBe('{"a":1}');
    const bare = apiGatewayV1Event({ method: 'GET', path: '/', requestId: 'r', epochMs: 0 }, { account });
    expect(bare.queryStringParameters).toBeNull();
    expect(bare.multiValueQueryStringParameters).toBeNull();
    expect(bare.body).toBeNull();
  });
});

describe('API Gateway HTTP API events (payload format 2.0)', () => {
  const event = apiGatewayV2Event(request, { account, apiId: 'abc123', routeKey: 'GET /orders/{id}', pathParameters: { id: '42' } });

  it('lower-cases header names and joins repeated headers with commas', () => {
    expect(event.headers['x-dup']).toBe('first,second');
    expect(event.headers.accept).toBe('text/html');
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('moves cookies out of the headers into cookies[]', () => {
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('joins repeated query parameters with commas and keeps the raw query string', () => {
    expect(event.queryStringParameters).toEqual({ tag: 'red,blue', q: 'x y' });
    expect(event.rawQueryString).toBe('tag=red&tag=blue&q=x%20y');
  });

  it('has version 2.0, the route key and requestContext.http, and no multi-value maps', () => {
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /orders/{id}');
    expect(event.rawPath).toBe('/orders/42');
    expect(event.pathParameters).toEqual({ id: '42' });
    expect(event).not.toHaveProperty('multiValueHeaders');
    expect(event).not.toHaveProperty('body');
    expect(Object.keys(event.requestContext).sort()).toEqual(
      ['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch'].sort(),
    );
    expect(event.requestContext.http).toEqual({
      method: 'GET',
      path: '/orders/42',
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.10',
      userAgent: 'curl/8',
    });
    expect(event.requestContext.time).toBe('12/Mar/2020:19:03:58 +0000');
  });
});

describe('ALB responses', () => {
  it('passes a well-formed response through, decoding a base64 body', () => {
    const res = albResponse({
      kind: 'success',
      payload: { statusCode: 201, statusDescription: '201 Created', headers: { 'content-type': 'text/plain', n: 1 }, body: 'aGk=', isBase64Encoded: true },
    });
    expect(res).toEqual({ statusCode: 201, headers: { 'content-type': 'text/plain', n: '1' }, body: 'hi' });
  });

  it('uses multiValueHeaders in multi-value mode', () => {
    const res = albResponse({ kind: 'success', payload: { statusCode: 200, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] } } }, { multiValueHeaders: true });
    expect(res.multiValueHeaders).toEqual({ 'set-cookie': ['a=1', 'b=2'] });
  });

  it('answers 502 for a response without statusCode, a function error or a timeout', () => {
    expect(albResponse({ kind: 'success', payload: { body: 'x' } }).statusCode).toBe(502);
    expect(albResponse({ kind: 'success', payload: 'just a string' }).statusCode).toBe(502);
    expect(albResponse({ kind: 'error', error: { errorType: 'Error', errorMessage: 'x' } }).statusCode).toBe(502);
    const timeout = albResponse({ kind: 'timeout', timeoutMs: 3000 });
    expect(timeout.statusCode).toBe(502);
    expect(timeout.body).toContain('502 Bad Gateway');
  });

  it('answers 503 for a throttle (UNVERIFIED choice)', () => {
    expect(albResponse({ kind: 'throttle', reason: 'ConcurrentInvocationLimitExceeded' }).statusCode).toBe(503);
  });
});

describe('API Gateway responses', () => {
  it('passes a well-formed v1 response through', () => {
    const res = apiGatewayResponse({ kind: 'success', payload: { statusCode: 404, headers: { a: 'b' }, body: 'nope' } }, '1.0');
    expect(res).toEqual({ statusCode: 404, headers: { a: 'b' }, body: 'nope' });
  });

  it('answers 502 for a malformed v1 response: no inference', () => {
    for (const payload of [{ hello: 'world' }, 'text', null, { statusCode: 200, body: { a: 1 } }, { statusCode: 200, extra: 1 }]) {
      const res = apiGatewayResponse({ kind: 'success', payload }, '1.0');
      expect(res.statusCode).toBe(502);
      expect(res.body).toBe('{"message": "Internal server error"}');
    }
  });

  it('assumes 200 application/json with the value as body when v2 gets JSON without statusCode', () => {
    expect(apiGatewayResponse({ kind: 'success', payload: { hello: 'world' } }, '2.0')).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"hello":"world"}',
    });
    expect(apiGatewayResponse({ kind: 'success', payload: 'hi' }, '2.0').body).toBe('hi');
  });

  it('returns v2 cookies as set-cookie headers', () => {
    const res = apiGatewayResponse({ kind: 'success', payload: { statusCode: 200, body: '', cookies: ['a=1'] } }, '2.0');
    expect(res.multiValueHeaders).toEqual({ 'set-cookie': ['a=1'] });
  });

  it('answers a function error or timeout with 502 (REST) or 500 (HTTP API)', () => {
    const error = { kind: 'error' as const, error: { errorType: 'Error', errorMessage: 'x' } };
    expect(apiGatewayResponse(error, '1.0').statusCode).toBe(502);
    expect(apiGatewayResponse({ kind: 'timeout', timeoutMs: 3000 }, '1.0').statusCode).toBe(502);
    expect(apiGatewayResponse(error, '2.0')).toMatchObject({ statusCode: 500, body: '{"message":"Internal Server Error"}' });
    expect(apiGatewayResponse({ kind: 'success', payload: { n: 1 } }, '1.0', { api: 'http' }).statusCode).toBe(500);
  });

  it('does not pass a Lambda throttle on: the client sees 500', () => {
    const throttle = { kind: 'throttle' as const, reason: 'ConcurrentInvocationLimitExceeded' as const };
    expect(apiGatewayResponse(throttle, '1.0').statusCode).toBe(500);
    expect(apiGatewayResponse(throttle, '2.0').statusCode).toBe(500);
  });

  it('answers 504 when the integration timeout passes first', () => {
    const res = apiGatewayResponse({ kind: 'integrationTimeout' }, '1.0');
    expect(res.statusCode).toBe(504);
    expect(res.body).toBe('{"message": "Endpoint request timed out"}');
    expect(apiGatewayResponse({ kind: 'integrationTimeout' }, '2.0').statusCode).toBe(504);
  });
});
