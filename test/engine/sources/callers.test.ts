import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/scenario/types.js';
import { run } from '../../helpers/run.js';

const base = (traffic: Scenario['traffic'], functions: Scenario['functions'] = { fn: {} }, extra: Partial<Scenario> = {}): Scenario => ({
  name: 'callers',
  duration: '30s',
  functions,
  traffic,
  ...extra,
});

describe('callers: invocation type and event', () => {
  it.each([
    ['stepfunctions', 'sync'],
    ['lex', 'sync'],
    ['alexa', 'sync'],
    ['url', 'sync'],
    ['cognito', 'sync'],
    ['s3-batch', 'sync'],
    ['ses', 'async'],
    ['cloudwatch-logs', 'async'],
    ['codecommit', 'async'],
    ['config', 'async'],
    ['iot', 'async'],
  ] as const)("via '%s' invokes with trigger '%s' when type is left out", async (via, trigger) => {
    const events: unknown[] = [];
    const r = await run(base([{ invoke: 'fn', via, count: 2 }], { fn: { handler: (e: unknown) => (events.push(e), null) } }));
    const starts = r.of('invoke.start');
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts.every((s) => s.trigger === trigger)).toBe(true);
    // Every attempt names its caller, asynchronous ones included.
    expect(starts.every((s) => s.via === via)).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('an asynchronous retry names the caller too, and an event a topic delivers names none', async () => {
    const r = await run(
      base(
        [
          { invoke: 'fn', type: 'Event', via: 's3', count: 1 },
          { to: 'alerts', count: 1 },
        ],
        { fn: { handler: () => { throw new Error('x'); } }, subscriber: {} },
        { duration: '5m', topics: { alerts: { subscriptions: ['subscriber'] } } },
      ),
    );
    const starts = r.of('invoke.start');
    const fn = starts.filter((s) => s.fn === 'fn');
    expect(fn.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(fn.every((s) => s.via === 's3')).toBe(true);
    const fromTopic = starts.filter((s) => s.fn === 'subscriber');
    expect(fromTopic).toHaveLength(1);
    expect(fromTopic[0].via).toBeUndefined();
  });

  it('CloudFront hands a numbered version the Records[0].cf event and forwards the request it returns', async () => {
    const r = await run(
      base(
        [{ invoke: 'edge:1', via: 'cloudfront', count: 1, http: { path: '/index.html', headers: { 'User-Agent': 'curl/8' } } }],
        { edge: { timeout: '5s', versions: { '1': {} }, handler: (e: { Records: Array<{ cf: { request: unknown } }> }) => e.Records[0].cf.request } },
      ),
    );
    const [resp] = r.of('sync.response');
    expect(resp).toMatchObject({ via: 'cloudfront', statusCode: 200, headers: { 'x-lambda-edge': 'forwarded' }, body: { uri: '/index.html', method: 'GET' } });
  });

  it('CloudFront returns a generated response from a viewer request, and refuses one over 40 KB with a 502', async () => {
    const small = { status: '302', statusDescription: 'Found', headers: { location: [{ key: 'Location', value: '/login' }] } };
    const big = { status: '200', body: 'x'.repeat(41 * 1024) };
    const r = await run(
      base([{ invoke: 'edge:1', via: 'cloudfront', count: 2 }], {
        edge: { timeout: '5s', versions: { '1': {} }, handler: (_e: unknown) => small },
      }),
    );
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 302, headers: { location: '/login', 'x-lambda-edge': 'generated' } });
    const r2 = await run(base([{ invoke: 'edge:1', via: 'cloudfront', count: 1 }], { edge: { timeout: '5s', versions: { '1': {} }, handler: () => big } }));
    expect(r2.of('sync.response')[0]).toMatchObject({ statusCode: 502, headers: { 'x-lambda-edge': 'LambdaValidationError' } });
  });

  it('CloudFront answers 503 when the edge function throws', async () => {
    const r = await run(base([{ invoke: 'edge:1', via: 'cloudfront', count: 1 }], { edge: { timeout: '5s', versions: { '1': {} }, handler: () => { throw new Error('boom'); } } }));
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 503, headers: { 'x-lambda-edge': 'LambdaExecutionError' } });
  });

  it('Cognito retries a trigger that does not answer within 5 s, 3 attempts in all, then fails the sign-up', async () => {
    const r = await run(base([{ invoke: 'fn', via: 'cognito', count: 1 }], { fn: { timeout: '10s', duration: '8s' } }));
    const t0 = r.of('invoke.start')[0].t;
    expect(r.of('invoke.start').map((s) => s.t - t0)).toEqual([0, 5000, 10000]);
    expect(r.of('caller.retry').map((e) => [e.attempt, e.reason])).toEqual([
      [2, 'TimeoutException'],
      [3, 'TimeoutException'],
    ]);
    const [resp] = r.of('sync.response');
    expect(resp.t - t0).toBe(15000);
    expect(resp).toMatchObject({ via: 'cognito', statusCode: 400, body: { __type: 'UnexpectedLambdaException', message: 'PreSignUp invocation failed due to error TimeoutException.' } });
  });

  it('Cognito shows a function error to the user as UserLambdaValidationException with its message', async () => {
    const r = await run(base([{ invoke: 'fn', via: 'cognito', count: 1 }], { fn: { handler: () => { throw new Error('domain not allowed'); } } }));
    expect(r.of('sync.response')[0].body).toEqual({ __type: 'UserLambdaValidationException', message: 'PreSignUp failed with error domain not allowed.' });
  });

  it('Cognito applies the response the trigger returns, and refuses a malformed one', async () => {
    const ok = await run(
      base([{ invoke: 'fn', via: 'cognito', count: 1 }], { fn: { handler: (e: { response: Record<string, unknown> }) => ({ ...e, response: { ...e.response, autoConfirmUser: true } }) } }),
    );
    expect(ok.of('sync.response')[0]).toMatchObject({ statusCode: 200, body: { response: { autoConfirmUser: true } } });
    const bad = await run(base([{ invoke: 'fn', via: 'cognito', count: 1 }], { fn: { handler: (e: { response: object }) => ({ ...e, response: { autoConfirmUser: 'yes' } }) } }));
    expect(bad.of('sync.response')[0].body).toMatchObject({ __type: 'InvalidLambdaResponseException' });
  });

  it('a function URL sends payload 2.0 on the lambda-url domain, with the IAM identity under AWS_IAM', async () => {
    const events: Array<{ requestContext: { domainName: string; authorizer?: { iam?: { userArn: string } } } }> = [];
    await run(base([{ invoke: 'fn', via: 'url', count: 1, url: { authType: 'AWS_IAM' } }], { fn: { handler: (e: (typeof events)[0]) => (events.push(e), 'ok') } }));
    expect(events[0].requestContext.domainName).toMatch(/^[a-z]{32}\.lambda-url\.us-east-1\.on\.aws$/);
    expect(events[0].requestContext.authorizer?.iam?.userArn).toBe('arn:aws:iam::123456789012:user/example-user');
  });

  it('S3 Batch retries a TemporaryFailure task and reports the job once every task is done', async () => {
    let calls = 0;
    const r = await run(
      base([{ invoke: 'fn', via: 's3-batch', count: 3, body: (i) => ({ key: `photos/${i}.jpg` }) }], {
        fn: {
          handler: (e: { invocationId: string; tasks: Array<{ taskId: string; s3Key: string }> }) => {
            calls++;
            const t = e.tasks[0];
            const resultCode = t.s3Key === 'photos/1.jpg' ? 'TemporaryFailure' : t.s3Key === 'photos/2.jpg' ? 'PermanentFailure' : 'Succeeded';
            return { invocationSchemaVersion: '1.0', treatMissingKeysAs: 'PermanentFailure', invocationId: e.invocationId, results: [{ taskId: t.taskId, resultCode, resultString: resultCode }] };
          },
        },
      }),
    );
    expect(calls).toBe(5);
    expect(r.of('s3batch.task').map((t) => [t.key, t.resultCode, t.attempt])).toEqual([
      ['photos/0.jpg', 'Succeeded', 1],
      ['photos/2.jpg', 'PermanentFailure', 1],
      ['photos/1.jpg', 'PermanentFailure', 3],
    ]);
    const [report] = r.of('s3batch.report');
    expect(report).toMatchObject({ tasks: 3, succeeded: 1, failed: 2 });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('SES RequestResponse reads the disposition the function returns', async () => {
    const r = await run(base([{ invoke: 'fn', via: 'ses', type: 'RequestResponse', count: 1 }], { fn: { handler: () => ({ disposition: 'STOP_RULE_SET' }) } }));
    expect(r.of('sync.response')[0]).toMatchObject({ via: 'ses', statusCode: 200, body: { disposition: 'STOP_RULE_SET' } });
  });

  it('CloudWatch Logs sends awslogs.data gzip-compressed and base64-encoded', async () => {
    const events: Array<{ awslogs: { data: string } }> = [];
    await run(base([{ invoke: 'fn', via: 'cloudwatch-logs', count: 1, body: () => ({ messages: ['ERROR one', 'ERROR two'] }) }], { fn: { handler: (e: (typeof events)[0]) => (events.push(e), null) } }));
    const decoded = JSON.parse(gunzipSync(Buffer.from(events[0].awslogs.data, 'base64')).toString('utf8'));
    expect(decoded).toMatchObject({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/app/fn-source' });
    expect(decoded.logEvents.map((e: { message: string }) => e.message)).toEqual(['ERROR one', 'ERROR two']);
  });
});

describe('callers: what each one makes of the answer', () => {
  const answer = async (via: 'url' | 'lex' | 'alexa' | 'stepfunctions', fn: Scenario['functions'][string]) =>
    (await run(base([{ invoke: 'fn', via, count: 1 }], { fn }))).of('sync.response')[0];

  it('a function URL answers 502 for a function error and 429 for a throttle, and infers a 200 JSON body', async () => {
    expect(await answer('url', { handler: () => { throw new Error('x'); } })).toMatchObject({ statusCode: 502 });
    expect(await answer('url', { reservedConcurrentExecutions: 0 })).toMatchObject({ statusCode: 429 });
    expect(await answer('url', { handler: () => ({ hello: 'world' }) })).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
  });

  it('Lex needs sessionState.dialogAction.type, else DependencyFailedException', async () => {
    expect(await answer('lex', { handler: () => ({ messages: [] }) })).toMatchObject({ statusCode: 424, body: { __type: 'DependencyFailedException' } });
    const ok = { sessionState: { dialogAction: { type: 'Close' }, intent: { name: 'FallbackIntent', state: 'Fulfilled' } } };
    expect(await answer('lex', { handler: () => ok })).toMatchObject({ statusCode: 200, body: ok });
  });

  it('Alexa reads the response envelope', async () => {
    const ok = { version: '1.0', response: { outputSpeech: { type: 'PlainText', text: 'hi' }, shouldEndSession: true } };
    expect(await answer('alexa', { handler: () => ok })).toMatchObject({ statusCode: 200, body: ok });
    expect((await answer('alexa', { handler: () => 'hi' })).body).toMatchObject({ request: { type: 'SessionEndedRequest', reason: 'ERROR' } });
  });

  it('a Step Functions task sees the payload, or an error name and cause', async () => {
    class Declined extends Error {
      override name = 'Declined';
    }
    expect(await answer('stepfunctions', { handler: (e: unknown) => e })).toMatchObject({ statusCode: 200, body: { n: 0 } });
    const failed = await answer('stepfunctions', { handler: () => { throw new Declined('no'); } });
    expect(failed.body).toMatchObject({ error: 'Declined' });
    expect(JSON.parse((failed.body as { cause: string }).cause)).toEqual({ errorType: 'Declined', errorMessage: 'no' });
    expect((await answer('stepfunctions', { reservedConcurrentExecutions: 0 })).body).toMatchObject({ error: 'Lambda.TooManyRequestsException' });
  });
});

describe('Firehose data transformation', () => {
  const transform = (e: { records: Array<{ recordId: string; data: string }> }) => ({
    records: e.records.map((r) => {
      const value = JSON.parse(Buffer.from(r.data, 'base64').toString('utf8')) as { n: number };
      return value.n % 5 === 4 ? { recordId: r.recordId, result: 'Dropped' } : value.n % 5 === 3 ? { recordId: r.recordId, result: 'ProcessingFailed' } : { recordId: r.recordId, result: 'Ok', data: r.data };
    }),
  });

  it('buffers records until the interval hint, then invokes once per batch and settles each record by its result', async () => {
    const r = await run(base([{ invoke: 'fn', via: 'firehose', rate: 10, count: 20, firehose: { bufferInterval: '5s' } }], { fn: { handler: transform } }));
    const starts = r.of('invoke.start');
    // The first record arrives at 0; the interval hint (5 s) flushes the buffer with all 20 (10 per second for 2 s).
    expect(starts.map((s) => s.records?.length)).toEqual([20]);
    expect(starts[0].t).toBeGreaterThanOrEqual(5000);
    expect(starts[0].t).toBeLessThan(5200);
    const [result] = r.of('firehose.result');
    expect(result).toMatchObject({ records: 20, ok: 12, dropped: 4, failed: 4 });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('flushes early when the size hint is reached', async () => {
    const r = await run(
      base([{ invoke: 'fn', via: 'firehose', rate: 100, count: 100, body: () => 'x'.repeat(10_000), firehose: { bufferSize: 0.2, bufferInterval: '60s' } }], { fn: { handler: transform } }),
    );
    const sizes = r.of('invoke.start').map((s) => s.records?.length);
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes[0]).toBe(21);
  });

  it('retries a failing invocation 3 times, then fails the whole batch to processing-failed', async () => {
    const r = await run(base([{ invoke: 'fn', via: 'firehose', count: 3, firehose: { bufferInterval: 0 } }], { fn: { handler: () => { throw new Error('bad'); } } }, { duration: '10s' }));
    expect(r.of('caller.retry').filter((e) => e.via === 'firehose').length).toBe(9);
    expect(r.of('firehose.result').every((e) => e.failed === 1 && e.reason === 'Error')).toBe(true);
  });
});
