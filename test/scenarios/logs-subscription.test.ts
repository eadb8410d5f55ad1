import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/logs-subscription.ts: a CloudWatch Logs subscription filter', async () => {
  const { model } = await loadScenario('scenarios/logs-subscription.ts');
  const r = await run(model);

  it('invokes asynchronously, one batch per event', () => {
    const starts = r.of('invoke.start');
    expect(starts.every((s) => s.trigger === 'async')).toBe(true);
    expect(r.of('record.put').filter((e) => e.source === 'async:alerter')).toHaveLength(16);
  });

  it('decodes awslogs.data: the handler counts the ERROR lines', () => {
    const errors = r.of('invoke.end').filter((e) => e.outcome === 'error');
    expect(errors.every((e) => e.errorMessage === 'alerting backend unavailable')).toBe(true);
    expect(r.summary.functions.alerter.successes).toBe(14);
  });

  it('retries a failed batch 1 minute and then 2 minutes later, then drops it', () => {
    const retries = r.of('async.retry');
    expect(retries).toHaveLength(4);
    const byEvent = new Map<string, number[]>();
    for (const e of retries) byEvent.set(e.eventId, [...(byEvent.get(e.eventId) ?? []), e.attempt]);
    expect([...byEvent.values()]).toEqual([[2, 3], [2, 3]]);
    expect(r.summary.sources['async:alerter']).toMatchObject({ put: 16, succeeded: 14, failed: 2, failedTo: { dropped: 2 } });
  });
});
