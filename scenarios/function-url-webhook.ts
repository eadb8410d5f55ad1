import { defineScenario } from 'lambda-tui';
import type { LambdaFunctionURLEvent, LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from 'aws-lambda';

/**
 * A payment provider posts webhooks to a function URL (docs/callers.md, "Function URLs"). The URL points
 * at the alias `live` and has auth type NONE; the function has reserved concurrency 4. At 0:30 the
 * provider replays a day of events at 40 a second for 20 s: with at most 4 running, many requests get
 * 429 Too Many Requests (the provider has to send those again: lambda-tui does not play the sender's
 * retries). A payload without a signature header makes the handler throw, which a URL turns into 502
 * Bad Gateway. An admin endpoint on another function (auth type AWS_IAM) returns a plain object, which
 * the URL answers as a 200 JSON body, and reads the caller's IAM identity from
 * `requestContext.authorizer.iam`.
 *
 * Watch the Concurrency pane hit `res 4` during the burst, and the trace's `sync.response` status codes.
 */
export default defineScenario({
  name: 'Function URL webhooks: 429 under a burst, 502 on a bad payload',
  description: 'a URL on an alias with reserved concurrency 4: a replay burst is throttled (429), unsigned payloads fail (502)',
  duration: '1m 30s',
  functions: {
    webhook: {
      timeout: '10s',
      duration: { p50: '150ms', p99: '700ms' },
      reservedConcurrentExecutions: 4,
      handler: async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
        if (!event.headers['stripe-signature']) throw new Error(`unsigned webhook from ${event.requestContext.http.sourceIp}`);
        const payload = JSON.parse(event.body ?? '{}') as { id: string; type: string };
        return { statusCode: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ received: payload.id }) };
      },
      versions: { '1': {} },
      aliases: { live: { version: '1' } },
    },
    admin: {
      duration: '40ms',
      handler: async (event: LambdaFunctionURLEventWithIAMAuthorizer) => ({
        caller: event.requestContext.authorizer.iam.userArn,
        path: event.rawPath,
      }),
    },
  },
  traffic: [
    {
      invoke: 'webhook:live',
      via: 'url',
      url: { authType: 'NONE' },
      rate: 2,
      http: { method: 'POST', path: '/hooks/payments', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' } },
      body: (i) => ({ id: `evt_${i}`, type: 'payment_intent.succeeded' }),
    },
    {
      // The replay: 800 events in 20 s.
      invoke: 'webhook:live',
      via: 'url',
      start: '30s',
      rate: 40,
      count: 800,
      http: { method: 'POST', path: '/hooks/payments', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' } },
      body: (i) => ({ id: `evt_replay_${i}`, type: 'charge.refunded' }),
    },
    {
      // A misconfigured sender: no signature header.
      invoke: 'webhook:live',
      via: 'url',
      rate: 0.2,
      http: { method: 'POST', path: '/hooks/payments', headers: { 'content-type': 'application/json' } },
      body: (i) => ({ id: `evt_unsigned_${i}`, type: 'ping' }),
    },
    { invoke: 'admin', via: 'url', url: { authType: 'AWS_IAM' }, rate: 0.5, http: { method: 'GET', path: '/admin/status' } },
  ],
});
