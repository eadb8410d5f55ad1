import { describe, expect, it } from 'vitest';
import { streamingTailMs } from '../../src/lang/response-stream.js';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/function-url-streaming.ts: the same streaming handler, buffered and streamed', async () => {
  const { model } = await loadScenario('scenarios/function-url-streaming.ts');
  const r = await run(model);
  const responses = r.of('sync.response');
  const ends = new Map(r.of('invoke.end').map((e) => [e.requestId, e]));
  const of = (fn: string) => responses.filter((e) => e.fn === fn);
  const size = (e: { body?: unknown }) => String(e.body ?? '').length;
  const small = (e: { body?: unknown }) => size(e) > 1000 && size(e) < 10_000;

  it('answers the small exports with 200 on both URLs; only the streamed client has its first byte before the end', () => {
    const buffered = of('export-buffered').filter(small);
    const streamed = of('export-streamed').filter(small);
    expect(buffered.length).toBeGreaterThan(50);
    expect(streamed.length).toBeGreaterThan(50);
    expect(buffered.every((e) => e.statusCode === 200 && e.firstByteMs === undefined)).toBe(true);
    for (const e of streamed) {
      const end = ends.get(e.requestId!)!;
      expect(e.statusCode).toBe(200);
      // Written at once: a warm environment's first byte leaves at its start, a cold one's after its init.
      expect(e.firstByteMs).toBeLessThan(end.durationMs);
    }
    expect(streamed.some((e) => e.firstByteMs === 0)).toBe(true);
    expect(streamed[0].headers).toMatchObject({ 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="orders.csv"' });
  });

  it('fails the 7.4 MB export buffered (ResponseSizeTooLarge, 502) and delivers it streamed, later by the 2 MB/s past 6 MB', () => {
    const failed = r.of('invoke.end').filter((e) => e.fn === 'export-buffered' && e.errorType === 'Function.ResponseSizeTooLarge');
    expect(failed).toHaveLength(1);
    expect(of('export-buffered').find((e) => e.requestId === failed[0].requestId)!.statusCode).toBe(502);
    const big = of('export-streamed').filter((e) => size(e) > 6 * 1024 * 1024);
    expect(big).toHaveLength(1);
    expect(big[0].statusCode).toBe(200);
    expect(String(big[0].body).split('\n')).toHaveLength(180_002);
    const end = ends.get(big[0].requestId!)!;
    expect(end.durationMs).toBeGreaterThanOrEqual(streamingTailMs(size(big[0])));
    expect(streamingTailMs(size(big[0]))).toBeGreaterThan(500);
  });

  it('the database failure: 502 buffered, a truncated 200 streamed with the function error beside it', () => {
    const streamedFail = of('export-streamed').filter((e) => e.functionError === 'Unhandled');
    expect(streamedFail).toHaveLength(1);
    expect(streamedFail[0]).toMatchObject({ statusCode: 200, reason: 'Error' });
    // The header and the 20 rows written before the connection reset: a truncated file.
    expect(String(streamedFail[0].body).trim().split('\n')).toHaveLength(21);
    expect(ends.get(streamedFail[0].requestId!)).toMatchObject({ outcome: 'error', errorMessage: 'orders database connection reset after 20 rows' });
    const bufferedFail = r.of('invoke.end').filter((e) => e.fn === 'export-buffered' && e.errorType === 'Error');
    expect(bufferedFail).toHaveLength(1);
    expect(of('export-buffered').find((e) => e.requestId === bufferedFail[0].requestId)!.statusCode).toBe(502);
    expect(r.summary.accounting.ok).toBe(true);
  });
});
