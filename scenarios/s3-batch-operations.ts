import { defineScenario } from 'lambda-tui';
import type { S3BatchEvent, S3BatchResult } from 'aws-lambda';

/**
 * An S3 Batch Operations job re-tags 300 photos through a function (docs/callers.md, "S3 Batch
 * Operations"; schema 2.0, whose job carries userArguments, which @types/aws-lambda does not type). The
 * job calls the function synchronously once per object. Every 25th object is locked for a while and the
 * function answers TemporaryFailure, so the job calls again (3 attempts in all, then the task fails);
 * every 50th was deleted and the answer is PermanentFailure. At the end the completion report lists the
 * tasks that failed.
 *
 * Watch the Sources pane for the job's tasks, and in the trace `caller.retry` (the job calling again),
 * `s3batch.task` (each task's result, with the attempt that settled it) and the `s3batch.report`.
 * `lambda-tui scenarios/s3-batch-operations.ts --headless` prints the totals.
 */
export default defineScenario({
  name: 'S3 Batch Operations: retried and failed tasks',
  description: 'TemporaryFailure makes the job call again; PermanentFailure and missing objects end in the completion report',
  duration: '2m',
  functions: {
    retag: {
      timeout: '30s',
      duration: { p50: '120ms', p99: '900ms' },
      reservedConcurrentExecutions: 20,
      handler: async (event: S3BatchEvent): Promise<S3BatchResult> => {
        const task = event.tasks[0];
        const n = Number(/photo-(\d+)/.exec(task.s3Key)?.[1] ?? 0);
        // The lock on every 25th photo clears after a few seconds: a retry finds it free, mostly.
        const locked = n % 25 === 0 && Math.random() < 0.6;
        const gone = n % 50 === 0;
        const result = gone
          ? { resultCode: 'PermanentFailure' as const, resultString: `${task.s3Key} no longer exists` }
          : locked
            ? { resultCode: 'TemporaryFailure' as const, resultString: `${task.s3Key} is locked by another writer` }
            : { resultCode: 'Succeeded' as const, resultString: `tagged ${task.s3Key} with ${(event.job as { userArguments?: Record<string, string> }).userArguments?.tag ?? 'reviewed'}` };
        return {
          invocationSchemaVersion: event.invocationSchemaVersion,
          treatMissingKeysAs: 'PermanentFailure',
          invocationId: event.invocationId,
          results: [{ taskId: task.taskId, ...result }],
        };
      },
    },
  },
  traffic: [
    {
      invoke: 'retag',
      via: 's3-batch',
      s3Batch: { invocationSchemaVersion: '2.0' },
      rate: 5,
      count: 300,
      body: (i) => ({ bucket: 'photo-archive', key: `2026/photo-${i + 1}.jpg`, userArguments: { tag: 'reviewed' } }),
    },
  ],
});
