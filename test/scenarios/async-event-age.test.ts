import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { concurrencyFromTrace, run } from '../helpers/run.js';

describe('scenarios/async-event-age.ts: throttled events age out with EventAgeExceeded', async () => {
  const { model } = await loadScenario('scenarios/async-event-age.ts');
  const r = await run(model);
  const src = r.summary.sources['async:resize'];

  it('accepts all 100 events and never runs more than the 2 reserved environments', () => {
    expect(src.put).toBe(100);
    expect(concurrencyFromTrace(r.trace).perFunction.resize).toBe(2);
  });

  it('backs throttled events off 1 s, 2 s, 4 s … without counting attempts', () => {
    const throttleRetries = r.of('async.retry').filter((e) => e.reason === 'throttle');
    expect(throttleRetries.length).toBeGreaterThan(20);
    const firstDelays = new Map<string, number[]>();
    for (const e of throttleRetries) firstDelays.set(e.eventId, [...(firstDelays.get(e.eventId) ?? []), e.at - e.t]);
    for (const delays of firstDelays.values()) {
      delays.forEach((d, k) => expect(d).toBe(Math.min(1000 * 2 ** k, 300_000)));
    }
    expect(r.of('invoke.start').filter((e) => e.fn === 'resize').every((e) => e.attempt === 1)).toBe(true);
  });

  it('fails the events that could not run in time with EventAgeExceeded, approximateInvokeCount 0 and no responseContext', () => {
    const expired = r.of('deliver').filter((d) => d.condition === 'EventAgeExceeded');
    expect(expired.length).toBeGreaterThan(30);
    for (const d of expired) {
      const p = d.payload as any;
      expect(p.requestContext.approximateInvokeCount).toBe(0);
      expect(p).not.toHaveProperty('responseContext');
      // The look-ahead fails a backed-off event before it reaches 60 s of age; one still waiting in the
      // queue fails on the first tick after its 60th second.
      const put = r.of('record.put').find((e) => e.id === p.requestContext.requestId)!;
      expect(d.t - put.t).toBeLessThanOrEqual(60_000 + model.tickMs);
    }
  });

  it('ends every event served or failed to expired-events, and the books close', () => {
    expect(src.succeeded + src.failed).toBe(100);
    expect(src.failedTo).toEqual({ 'expired-events': src.failed });
    expect(r.summary.accounting.ok).toBe(true);
  });
});
