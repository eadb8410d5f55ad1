import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

const EPOCH = Date.UTC(2025, 0, 1);

describe('scenarios/async-retries-dlq.ts: three attempts, then onFailure and the DLQ', async () => {
  const { model } = await loadScenario('scenarios/async-retries-dlq.ts');
  const r = await run(model);
  const events = r.of('record.put').filter((e) => e.source === 'async:charge');

  it('tries each event three times, 60 s then 120 s after the previous attempt ended', () => {
    expect(events).toHaveLength(3);
    for (const ev of events) {
      const starts = r.of('invoke.start').filter((s) => s.fn === 'charge' && s.records?.[0] === ev.id);
      const ends = r.of('invoke.end').filter((e) => starts.some((s) => s.requestId === e.requestId));
      expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(starts[1].t - ends[0].t).toBe(60_000);
      expect(starts[2].t - ends[1].t).toBe(120_000);
    }
  });

  it('sends billing-alerts the RetriesExhausted record, field by field', () => {
    const d = r.of('deliver').filter((e) => e.kind === 'onFailure');
    expect(d).toHaveLength(3);
    const p = d[0].payload as any;
    expect(d[0]).toMatchObject({ to: 'billing-alerts', condition: 'RetriesExhausted', fn: 'charge' });
    expect(p.version).toBe('1.0');
    expect(p.timestamp).toBe(new Date(EPOCH + d[0].t).toISOString());
    expect(p.requestContext).toEqual({
      requestId: events[0].id,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(p.requestPayload).toEqual({ orderId: 1000, amount: 25 });
    expect(p.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(p.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'card declined for order 1000' });
    expect(r.summary.sources['async:billing-alerts']).toMatchObject({ put: 3, succeeded: 3 });
  });

  it('sends charge-dlq the original event with RequestID, ErrorCode and ErrorMessage', () => {
    const d = r.of('deliver').filter((e) => e.kind === 'dlq');
    expect(d.map((e) => e.to)).toEqual(['charge-dlq', 'charge-dlq', 'charge-dlq']);
    expect(d[0].payload).toEqual({ orderId: 1000, amount: 25 });
    expect(d[0].messageAttributes).toEqual({
      RequestID: { dataType: 'String', stringValue: events[0].id },
      ErrorCode: { dataType: 'Number', stringValue: '200' },
      ErrorMessage: { dataType: 'String', stringValue: 'card declined for order 1000' },
    });
    expect(r.summary.sources['charge-dlq'].put).toBe(3);
  });

  it('books every event as failed to billing-alerts, and the books close', () => {
    expect(r.summary.sources['async:charge']).toMatchObject({ put: 3, failed: 3, failedTo: { 'billing-alerts': 3 } });
    expect(r.summary.accounting.ok).toBe(true);
  });
});
