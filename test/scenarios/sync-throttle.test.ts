import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { concurrencyFromTrace, run } from '../helpers/run.js';

describe('scenarios/sync-throttle.ts: synchronous callers over reserved concurrency', async () => {
  const { model } = await loadScenario('scenarios/sync-throttle.ts');
  const r = await run(model);

  it('never runs more than the 5 reserved environments at once', () => {
    expect(concurrencyFromTrace(r.trace).perFunction.checkout).toBe(5);
    expect(r.summary.functions.checkout.coldStarts).toBe(5);
  });

  it('serves the first 10 s at 5 req/s without a throttle', () => {
    expect(r.of('throttle').filter((e) => e.t < 10_000)).toHaveLength(0);
  });

  it('answers the excess with 429 TooManyRequestsException and a Reason, straight back to the caller', () => {
    const throttled = r.of('sync.response').filter((e) => e.statusCode === 429);
    expect(throttled.length).toBeGreaterThan(100);
    expect(throttled[0]).toMatchObject({
      fn: 'checkout',
      via: 'cli',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      body: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' },
    });
  });

  it('never retries a synchronous call: every request is invoked at most once', () => {
    const starts = r.of('invoke.start');
    expect(starts.every((e) => e.attempt === 1 && e.trigger === 'sync')).toBe(true);
    expect(starts.length + r.of('throttle').length).toBe(r.summary.sources['cli:checkout'].put - r.summary.sources['cli:checkout'].waiting);
  });

  it('returns the handler value with 200 to the callers it served', () => {
    const ok = r.of('sync.response').find((e) => e.statusCode === 200)!;
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.functionError).toBeUndefined();
  });

  it('accounts for every request: served, throttled back to the caller or still in flight', () => {
    const src = r.summary.sources['cli:checkout'];
    expect(r.summary.accounting.ok).toBe(true);
    expect(src.failedTo).toEqual({ caller: r.summary.functions.checkout.throttles });
  });
});
