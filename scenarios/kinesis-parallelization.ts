import { defineScenario } from 'lambda-tui';

/**
 * ParallelizationFactor (docs/aws-rules.md §3.4): up to 10 batches per shard at once, each partition key
 * pinned to one lane so its records stay in order. Two streams get the same traffic (40 records/s over
 * two shards) and a consumer that takes 1 s per batch of 10. With one lane a shard processes 10 records/s
 * and falls behind: its iterator age climbs without end. With five lanes each shard processes up to 50
 * records/s and keeps up, while every key's records are still handled in put order.
 */
export default defineScenario({
  name: 'Kinesis parallelization factor',
  description: 'same traffic, same slow consumer: watch serial (1 lane per shard) fall further behind every second while parallel (5 lanes) keeps its iterator age near a second',
  duration: '3m',
  functions: {
    'serial-consumer': { duration: '1s', timeout: '5s' },
    'parallel-consumer': { duration: '1s', timeout: '5s' },
  },
  streams: { serial: { shardCount: 2 }, parallel: { shardCount: 2 } },
  eventSourceMappings: [
    { source: 'serial', function: 'serial-consumer', batchSize: 10, parallelizationFactor: 1 },
    { source: 'parallel', function: 'parallel-consumer', batchSize: 10, parallelizationFactor: 5 },
  ],
  traffic: [
    { to: 'serial', rate: 40, stop: '2m', partitionKeys: 40, body: (i) => ({ n: i }) },
    { to: 'parallel', rate: 40, stop: '2m', partitionKeys: 40, body: (i) => ({ n: i }) },
  ],
});
