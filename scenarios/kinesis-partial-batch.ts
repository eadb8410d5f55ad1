import { defineScenario } from 'lambda-tui';

/**
 * ReportBatchItemFailures on a Kinesis stream (docs/aws-rules.md §3.4). The handler returns
 * `batchItemFailures` with the sequence numbers it could not process. Lambda checkpoints just before the
 * lowest one (the records before it are done) and retries the batch from there, instead of the whole
 * batch. Some records fail once (a flaky downstream) and succeed on the retry; record 150 always fails:
 * after 2 retries, its batch from that record on goes to the on-failure queue as RetryAttemptsExhausted.
 */
const seen = new Set<string>();

export default defineScenario({
  name: 'Kinesis partial batch response',
  description: 'flaky records fail once: watch the checkpoint stop just before them and the retry start there; record 150 fails for good and its batch tail lands in clicks-failed',
  duration: '2m',
  functions: {
    aggregator: {
      duration: '200ms',
      handler: (event: { Records: Array<{ kinesis: { data: string; sequenceNumber: string } }> }) => {
        const batchItemFailures: Array<{ itemIdentifier: string }> = [];
        for (const record of event.Records) {
          const click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
          const id = record.kinesis.sequenceNumber;
          const flakyNow = click.flaky && !seen.has(id);
          seen.add(id);
          if (flakyNow || click.broken) batchItemFailures.push({ itemIdentifier: id });
        }
        return { batchItemFailures };
      },
    },
  },
  streams: { clicks: { shardCount: 2 } },
  queues: { 'clicks-failed': {} },
  eventSourceMappings: [
    { source: 'clicks', function: 'aggregator', batchSize: 20, maxBatchingWindow: '2s', reportBatchItemFailures: true, retryAttempts: 2, onFailure: 'clicks-failed' },
  ],
  traffic: [
    {
      to: 'clicks',
      rate: 10,
      count: 600,
      partitionKeys: 8,
      body: (i) => ({ click: i, ...(i % 50 === 7 ? { flaky: true } : {}), ...(i === 150 ? { broken: true } : {}) }),
    },
  ],
});
