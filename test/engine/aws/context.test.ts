import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../src/engine/aws/index.js';

function make(now: { t: number }, extra: Partial<Parameters<typeof lambdaContext>[0]> = {}) {
  return lambdaContext({
    functionName: 'orders',
    memorySize: 256,
    timeoutMs: 3000,
    requestId: 'r-1',
    region: 'us-east-1',
    accountId: '123456789012',
    startedAtSimMs: 1000,
    nowSimMs: () => now.t,
    ...extra,
  });
}

describe('The Lambda context runs on simulated time', () => {
  it('counts the remaining time down from the timeout, never below zero', () => {
    const now = { t: 1000 };
    const ctx = make(now);
    expect(ctx.getRemainingTimeInMillis()).toBe(3000);
    now.t = 3500;
    expect(ctx.getRemainingTimeInMillis()).toBe(500);
    now.t = 9000;
    expect(ctx.getRemainingTimeInMillis()).toBe(0);
  });

  it('names the function, version, ARN, memory, request and log group as AWS does', () => {
    const ctx = make({ t: 0 });
    expect(ctx.functionName).toBe('orders');
    expect(ctx.functionVersion).toBe('$LATEST');
    expect(ctx.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders');
    expect(ctx.memoryLimitInMB).toBe('256');
    expect(ctx.awsRequestId).toBe('r-1');
    expect(ctx.logGroupName).toBe('/aws/lambda/orders');
    expect(ctx.callbackWaitsForEmptyEventLoop).toBe(true);
  });

  it('gives one deterministic log stream per execution environment', () => {
    const a = make({ t: 0 }, { environmentId: 'env-1', requestId: 'r-1', environmentStartedEpochMs: Date.UTC(2024, 0, 2) });
    const b = make({ t: 0 }, { environmentId: 'env-1', requestId: 'r-2', environmentStartedEpochMs: Date.UTC(2024, 0, 2) });
    const c = make({ t: 0 }, { environmentId: 'env-2', environmentStartedEpochMs: Date.UTC(2024, 0, 2) });
    expect(a.logStreamName).toMatch(/^2024\/01\/02\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(a.logStreamName).toBe(b.logStreamName);
    expect(a.logStreamName).not.toBe(c.logStreamName);
  });

  it('lets legacy done/fail/succeed report without crashing', () => {
    const calls: unknown[] = [];
    const ctx = make({ t: 0 }, { onLegacyCompletion: (e, r) => calls.push([e, r]) });
    ctx.succeed({ ok: 1 });
    ctx.fail('bad');
    ctx.done(undefined, 2);
    expect(calls).toEqual([[null, { ok: 1 }], ['bad', undefined], [null, 2]]);
    const bare = make({ t: 0 });
    expect(() => bare.succeed('x')).not.toThrow();
    const hostile = make({ t: 0 }, { onLegacyCompletion: () => { throw new Error('x'); } });
    expect(() => hostile.fail(new Error('y'))).not.toThrow();
  });
});
