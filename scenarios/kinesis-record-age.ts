import { defineScenario } from 'lambda-tui';

/**
 * MaximumRecordAge (docs/aws-rules.md §3.4). With the default retryAttempts (-1) an error would block a
 * shard until its records expire (24 hours). maxRecordAge '1m' bounds that: when a failing batch's oldest
 * record is older than a minute, Lambda stops retrying, sends the batch-info record with condition
 * RecordAgeExceeded (and no responseContext) to the destination, and the shard moves on. Records that
 * waited behind the blocked batch past the same age are discarded the same way, without an invocation.
 */
export default defineScenario({
  name: 'Kinesis maximum record age',
  description: 'record 100 fails forever with unlimited retries: watch its shard stay blocked for a minute, then RecordAgeExceeded batches (no responseContext) land in metrics-failed and the shard catches up',
  duration: '3m',
  functions: { ingest: { duration: '100ms' } },
  streams: { metrics: { shardCount: 2 } },
  queues: { 'metrics-failed': {} },
  eventSourceMappings: [{ source: 'metrics', function: 'ingest', batchSize: 25, maxRecordAge: '1m', onFailure: 'metrics-failed' }],
  traffic: [{ to: 'metrics', rate: 10, partitionKeys: 6, body: (i) => ({ metric: 'latency', value: i }) }],
  faults: [{ function: 'ingest', kind: 'error', match: { index: 100 } }],
});
