import { describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import type { Scenario } from '../../src/scenario/types.js';
import { formatValidationError, validateScenario } from '../../src/scenario/validate.js';
import { run } from '../helpers/run.js';

/** A viewer-request function that answers with the log group its Context names. */
function edge(extra: Partial<Scenario> = {}, cloudfront: Record<string, unknown> = {}): Scenario {
  return {
    name: 'edge replica',
    duration: '1s',
    functions: {
      auth: {
        duration: '5ms',
        timeout: '5s',
        versions: { '1': {} },
        handler: async (_event: unknown, context: Context) => ({ status: '200', statusDescription: 'OK', headers: {}, body: context.logGroupName }),
      },
    },
    traffic: [{ invoke: 'auth:1', via: 'cloudfront', count: 1, cloudfront: { eventType: 'viewer-request', ...cloudfront }, http: { path: '/' } }],
    ...extra,
  } as Scenario;
}

describe('Lambda@Edge replicas', () => {
  it('run in the Region nearest the viewer and log to /aws/lambda/us-east-1.<fn> there', async () => {
    const r = await run(edge({}, { region: 'eu-west-2' }), { untilMs: 2_000 });
    expect(r.of('sync.response')[0]).toMatchObject({ via: 'cloudfront', statusCode: 200, body: '/aws/lambda/us-east-1.auth' });
    const logs = r.of('log');
    expect(logs.length).toBeGreaterThanOrEqual(3); // START, END, REPORT
    for (const e of logs) expect(e).toMatchObject({ logGroup: '/aws/lambda/us-east-1.auth', region: 'eu-west-2' });
  });

  it('without a region the replica is in us-east-1, with the same log group name', async () => {
    const r = await run(edge(), { untilMs: 2_000 });
    expect(r.of('sync.response')[0].body).toBe('/aws/lambda/us-east-1.auth');
    expect(r.of('log')[0]).toMatchObject({ logGroup: '/aws/lambda/us-east-1.auth', region: 'us-east-1' });
  });

  it('a function another caller invokes keeps its own log group, and no replica fields', async () => {
    const r = await run(
      {
        name: 'plain',
        duration: '1s',
        functions: { fn: { duration: '5ms', handler: async (_e: unknown, context: Context) => context.logGroupName } },
        traffic: [{ invoke: 'fn', type: 'RequestResponse', count: 1 }],
      },
      { untilMs: 2_000 },
    );
    expect(r.of('sync.response')[0].body).toBe('/aws/lambda/fn');
    expect(r.of('log')[0].logGroup).toBeUndefined();
  });

  it('refuses CloudFront traffic in a scenario outside us-east-1, and a replica Region that is not one', () => {
    const errors = (s: Scenario) => validateScenario(s, 'edge.ts').errors.map(formatValidationError);
    expect(errors(edge({ region: 'eu-west-1' }))).toEqual([
      "edge.ts: region: 'eu-west-1' is where this scenario's functions live, but traffic[0] comes via 'cloudfront': Lambda@Edge functions are created in us-east-1 only (set region to 'us-east-1' and give the replica's Region as cloudfront.region)",
    ]);
    expect(errors(edge({}, { region: 'Frankfurt' }))).toEqual([
      "edge.ts: traffic[0].cloudfront.region: 'Frankfurt' is not an AWS Region name; expected something like 'us-east-1' or 'eu-west-2'",
    ]);
  });
});
