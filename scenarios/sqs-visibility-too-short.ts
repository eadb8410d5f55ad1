import { defineScenario } from 'lambda-tui';

/**
 * A visibility timeout too short for the work (docs/aws-rules.md §3.2). AWS only refuses a function timeout above
 * the visibility timeout; here they are equal (10 s), which passes. But a cold start (2 s) plus a slow run
 * (8.5-9.5 s) outlasts the 10 s the message stays invisible, so it reappears while the first invocation is
 * still running and another poller receives it: the same message is processed twice (or more). The stale
 * receipt of the first invocation deletes nothing. AWS recommends a visibility timeout of 6x the timeout.
 */
export default defineScenario({
  name: 'SQS visibility timeout too short: duplicates',
  description: 'watch messages reappear (sqs.visible) while their first invocation still runs and get processed twice; raise visibilityTimeout to 60s to stop it',
  duration: '2m',
  functions: {
    exporter: { duration: { p50: '8.5s', p99: '9.5s' }, timeout: '10s', coldStart: '2s' },
  },
  queues: { exports: { visibilityTimeout: '10s' } },
  eventSourceMappings: [{ source: 'exports', function: 'exporter', batchSize: 1 }],
  traffic: [{ to: 'exports', rate: 1, count: 20 }],
});
