import { defineScenario } from 'lambda-tui';

/**
 * How SQS pollers scale (docs/aws-rules.md §3.2). A backlog of 50,000 messages lands at once. Lambda starts with 5
 * concurrent batches and adds up to 300 concurrent invokes a minute (here: +5 every second) while messages
 * wait, until the mapping's maxConcurrency (100) caps it; when the backlog is gone it scales back to 5.
 */
export default defineScenario({
  name: 'SQS poller scaling on a backlog',
  description: 'concurrency climbs 5, 10, 15 ... one step a second while the backlog waits, flattens at maxConcurrency 100, then falls back once the queue is empty',
  duration: '3m',
  functions: { worker: { duration: { p50: '800ms', p99: '1500ms' }, timeout: '10s' } },
  queues: { jobs: { visibilityTimeout: '60s' } },
  eventSourceMappings: [{ source: 'jobs', function: 'worker', batchSize: 10, maxConcurrency: 100 }],
  traffic: [{ to: 'jobs', rate: 50_000, count: 50_000 }],
});
