/**
 * The second round of fidelity findings (issue 11): each test is one AWS rule, cited in docs/fidelity.md.
 */
import { describe, expect, it } from 'vitest';
import type { SqsViewState } from '../../src/engine/sources/sqs.js';
import type { Scenario } from '../../src/scenario/types.js';
import { run } from '../helpers/run.js';

describe('SQS pollers under low traffic (services-sqs-scaling.html)', () => {
  const quiet = (maxConcurrency?: number): Scenario => ({
    name: 'quiet',
    duration: '40s',
    functions: { f: { duration: '50ms', coldStart: '0ms' } },
    queues: { q: {} },
    eventSourceMappings: [{ source: 'q', function: 'f', ...(maxConcurrency ? { maxConcurrency } : {}) }],
    // One message a second for 20 s, then a burst of 2,000 messages at 100,000 per second.
    traffic: [
      { to: 'q', rate: 1, stop: '20s' },
      { to: 'q', rate: 100_000, count: 2_000, start: '25s' },
    ],
  });
  const targets = async (s: Scenario) => {
    const out: Array<[number, number]> = [];
    const r = await run(s, { untilMs: 0 });
    out.push([0, (r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget]);
    while (!r.sim.done) {
      await r.sim.step();
      const t = r.sim.now;
      if (t % 1000 === 0) out.push([t, (r.sim.state.modules.sqs as SqsViewState).mappings['esm-0'].concurrencyTarget]);
    }
    return new Map(out);
  };

  it('scales back from 5 to 2 concurrent batches when traffic is low and maxConcurrency is not set, and back up when messages wait', async () => {
    const t = await targets(quiet());
    // It starts at 5; the first scaling step (1 s after the first message) sees a quiet second.
    expect(t.get(0)).toBe(5);
    expect(t.get(1_000)).toBe(2);
    expect(t.get(10_000)).toBe(2);
    expect(t.get(20_000)).toBe(2);
    // The burst at 25 s: messages wait with both slots busy, so it returns to 5 and climbs.
    expect(t.get(27_000)!).toBeGreaterThanOrEqual(5);
  });

  it('keeps 5 as the floor when maxConcurrency is set ("this optimization is not available")', async () => {
    const t = await targets(quiet(50));
    expect(t.get(10_000)).toBe(5);
    expect(t.get(20_000)).toBe(5);
  });
});

describe('payload limits (API_Invoke.html; ALB lambda-functions.html and load-balancer-troubleshooting.md)', () => {
  const mb = (n: number) => 'x'.repeat(Math.round(n * 1024 * 1024));

  it('refuses a synchronous request over 6 MB with 413 RequestTooLargeException, without invoking', async () => {
    const r = await run({
      name: 'big sync',
      duration: '2s',
      functions: { f: {} },
      traffic: [{ invoke: 'f', type: 'RequestResponse', count: 2, body: (i) => (i === 0 ? mb(7) : mb(5)) }],
    });
    const [refused, ok] = r.of('sync.response');
    expect(refused).toMatchObject({ statusCode: 413, reason: 'RequestTooLargeException', body: { Type: 'User', message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' } });
    expect(ok.statusCode).toBe(200);
    expect(r.of('invoke.start')).toHaveLength(1);
    expect(r.summary.sources['cli:f'].failedTo).toEqual({ caller: 1 });
  });

  it('refuses an asynchronous event over 1 MB with 413: it is never queued or run', async () => {
    const r = await run({
      name: 'big async',
      duration: '2s',
      functions: { f: {} },
      traffic: [{ invoke: 'f', type: 'Event', count: 2, body: (i) => (i === 0 ? mb(1.5) : mb(0.5)) }],
    });
    expect(r.of('invoke.refused')).toEqual([
      expect.objectContaining({ fn: 'f', statusCode: 413, errorType: 'RequestTooLargeException', invocationType: 'Event' }),
    ]);
    expect(r.of('invoke.start')).toHaveLength(1);
    expect(r.summary.sources['async:f']).toMatchObject({ put: 2, succeeded: 1, failed: 1, failedTo: { caller: 1 } });
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('counts a synchronous response over 6 MB as a function error, as the caller sees it', async () => {
    const r = await run({
      name: 'big response',
      duration: '2s',
      functions: { f: { handler: () => mb(7) } },
      traffic: [{ invoke: 'f', type: 'RequestResponse', count: 1 }],
    });
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Function.ResponseSizeTooLarge' });
    expect(r.of('sync.response')[0]).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
    expect(r.summary.functions.f).toMatchObject({ errors: 1, successes: 0 });
  });

  it('answers 413 at an ALB for a request body over 1 MB, and 502 for a response over 1 MB', async () => {
    const r = await run({
      name: 'alb limits',
      duration: '5s',
      functions: { f: { handler: (e: { body: string }) => ({ statusCode: 200, body: e.body === 'big reply' ? mb(2) : 'ok' }) } },
      traffic: [{ invoke: 'f', type: 'RequestResponse', via: 'alb', count: 3, body: (i) => [mb(1.2), 'big reply', 'small'][i] }],
    });
    expect(r.of('sync.response').map((e) => e.statusCode)).toEqual([413, 502, 200]);
    // The 413 request never reached the function; the 502 one ran and succeeded at Lambda.
    expect(r.of('invoke.start')).toHaveLength(2);
    expect(r.of('invoke.end').map((e) => e.outcome)).toEqual(['success', 'success']);
  });
});
