import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { HttpRequestSpec, Scenario } from '../../../src/scenario/types.js';
import { run } from '../../helpers/run.js';

const gateway = (fn: Scenario['functions'][string], http: HttpRequestSpec = {}, count = 1): Scenario => ({
  name: 'api gateway',
  duration: '2m',
  functions: { api: fn },
  traffic: [{ invoke: 'api', type: 'RequestResponse', via: 'apigateway', count, rate: 1, http: { path: '/orders/7', method: 'GET', ...http } }],
});

describe('API Gateway in front of a function (docs/aws-rules.md §1)', () => {
  it('payload 2.0: a value without statusCode becomes 200 application/json with the value as body', async () => {
    const r = await run(gateway({ handler: async () => ({ hello: 'world' }) }));
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
  });

  it('payload 2.0: the event has lower-cased, comma-joined headers and no multi-value maps', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    await run(gateway({ handler: async (e: APIGatewayProxyEventV2) => (seen.push(e), { statusCode: 204 }) }, { headers: { 'X-Trace': ['a', 'b'] } }));
    expect(seen[0].version).toBe('2.0');
    expect(seen[0].rawPath).toBe('/orders/7');
    expect(seen[0].headers['x-trace']).toBe('a,b');
    expect(seen[0]).not.toHaveProperty('multiValueHeaders');
  });

  it('payload 1.0: the event carries both single and multi-value maps, and a malformed response is a 502', async () => {
    const seen: APIGatewayProxyEvent[] = [];
    const r = await run(gateway({ handler: async (e: APIGatewayProxyEvent) => (seen.push(e), { status: 200 }) }, { payloadFormatVersion: '1.0', query: { a: ['1', '2'] } }));
    expect(seen[0].multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(seen[0].queryStringParameters).toEqual({ a: '2' });
    expect(r.of('sync.response')[0].statusCode).toBe(502);
  });

  it('answers 504 at the integration timeout while the function runs on to its own timeout', async () => {
    const r = await run(gateway({ duration: '40s', timeout: '60s', handler: async () => ({ statusCode: 200 }) }, { payloadFormatVersion: '1.0' }));
    const [response] = r.of('sync.response');
    const [start] = r.of('invoke.start');
    const [end] = r.of('invoke.end');
    expect(response.statusCode).toBe(504);
    expect(response.t - start.t).toBe(29_000);
    expect(end.t).toBeGreaterThan(response.t);
    expect(end.outcome).toBe('success');
    expect(r.summary.sources['apigateway:api'].failedTo).toEqual({ caller: 1 });
  });

  it('hides a Lambda throttle behind a 500 instead of passing the 429 on', async () => {
    const r = await run(gateway({ reservedConcurrentExecutions: 0 }));
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 500, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });
});

describe('a direct (CLI/SDK) caller', () => {
  it('gets 200 with FunctionError Unhandled and Sandbox.Timedout for a timeout', async () => {
    const r = await run({
      name: 'timeout',
      duration: '10s',
      functions: { slow: { duration: '5s', timeout: '1s' } },
      traffic: [{ invoke: 'slow', type: 'RequestResponse', count: 1 }],
    });
    const [response] = r.of('sync.response');
    expect(response).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
    expect(response.body).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${response.requestId} Error: Task timed out after 1.00 seconds` });
  });
});
