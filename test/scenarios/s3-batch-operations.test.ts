import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/output/summary.js';
import { runFile } from '../helpers/sandbox.js';

// Through the sandbox, as the CLI runs it: the handler's Math.random is seeded there, so the run is the
// same every time (run() in helpers/run.ts calls handlers directly, unseeded).
describe('scenarios/s3-batch-operations.ts: a batch job with retried and failed tasks', async () => {
  const file = await runFile('scenarios/s3-batch-operations.ts');
  const r = { ...file, summary: summarize(file.sim) };
  const tasks = r.of('s3batch.task');
  const gone = (key: string) => Number(/photo-(\d+)/.exec(key)![1]) % 50 === 0;

  it('settles every one of the 300 tasks once', () => {
    expect(tasks).toHaveLength(300);
    expect(new Set(tasks.map((t) => t.key)).size).toBe(300);
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('fails every deleted object on its first attempt, and a locked one only after its third', () => {
    const failed = tasks.filter((t) => t.resultCode !== 'Succeeded');
    expect(failed.every((t) => t.resultCode === 'PermanentFailure')).toBe(true);
    expect(failed.filter((t) => t.attempt === 1).map((t) => t.key)).toEqual(tasks.filter((t) => gone(t.key)).map((t) => t.key));
    // A task still locked after 3 attempts is reported as failed (docs/callers.md: the count is UNVERIFIED).
    const exhausted = failed.filter((t) => t.attempt !== 1);
    expect(exhausted.every((t) => t.attempt === 3 && !gone(t.key) && Number(/photo-(\d+)/.exec(t.key)![1]) % 25 === 0)).toBe(true);
    expect(exhausted.every((t) => t.resultString.endsWith('is locked by another writer'))).toBe(true);
  });

  it('calls again after a TemporaryFailure, and every retried task is a locked one', () => {
    const retries = r.of('caller.retry');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((e) => e.via === 's3-batch' && e.reason === 'TemporaryFailure')).toBe(true);
    const retried = tasks.filter((t) => t.attempt > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((t) => Number(/photo-(\d+)/.exec(t.key)![1]) % 25 === 0)).toBe(true);
    // One invocation per attempt: the first attempts plus every retry.
    expect(r.of('invoke.start')).toHaveLength(300 + retries.length);
  });

  it('ends with a completion report that lists the failed tasks', () => {
    const [report] = r.of('s3batch.report');
    const failed = tasks.filter((t) => t.resultCode !== 'Succeeded').length;
    expect(failed).toBeGreaterThanOrEqual(6);
    expect(report).toMatchObject({ tasks: 300, succeeded: 300 - failed, failed });
    expect(report.failedTasks.map((t) => t.key)).toEqual(tasks.filter((t) => t.resultCode !== 'Succeeded').map((t) => t.key));
    expect(report.failedTasks[0]).toEqual({ key: '2026/photo-50.jpg', resultCode: 'PermanentFailure', resultString: '2026/photo-50.jpg no longer exists' });
  });
});
