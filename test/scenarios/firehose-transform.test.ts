import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/firehose-transform.ts: a Firehose transformation dropping and failing records', async () => {
  const { model } = await loadScenario('scenarios/firehose-transform.ts');
  const r = await run(model);
  const results = r.of('firehose.result');

  it('invokes once per buffered batch, flushed by the 10 s interval hint', () => {
    const starts = r.of('invoke.start');
    // The first record opens the buffer at 0 and the interval flushes it at 10 s; the record that arrives
    // at 10 s exactly is put before the timer fires, so it rides in the first batch.
    expect(starts.map((s) => s.records?.length)).toEqual([201, 199]);
    expect(starts.every((s) => s.trigger === 'sync' && s.via === 'firehose')).toBe(true);
  });

  it('drops the heartbeats, fails the malformed lines and keeps the rest', () => {
    const total = results.reduce((a, e) => ({ ok: a.ok + e.ok, dropped: a.dropped + e.dropped, failed: a.failed + e.failed }), { ok: 0, dropped: 0, failed: 0 });
    expect(total).toEqual({ ok: 344, dropped: 40, failed: 16 });
  });

  it('sends failed records to processing-failed and counts the dropped ones as processed', () => {
    expect(r.summary.sources['firehose:transform-stream']).toMatchObject({ put: 400, succeeded: 384, failed: 16, failedTo: { 'processing-failed': 16 } });
    expect(r.summary.accounting.ok).toBe(true);
  });
});
