import type { KinesisStreamEvent } from 'aws-lambda';
import { defineScenario } from 'lambda-tui';

/**
 * One poison record in a Kinesis stream (docs/aws-rules.md §3.4). Orders flow into four shards and are
 * gathered for up to 5 s into batches; order 200 cannot be parsed, and the handler throws on it. An error
 * blocks its shard: Lambda retries the batch and reads nothing further from that shard until the batch
 * succeeds or gives up, while the other three shards keep flowing. With bisectBatchOnError the failing
 * batch is split in two, and the failing half again, down to the single poison record (splits are not
 * retries). That record alone spends its 5 retries (backoff 1 s, 2 s, 4 s, 8 s, 16 s), then its
 * batch-info record (KinesisBatchInfo, condition RetryAttemptsExhausted, approximateInvokeCount 6) goes
 * to the orders-failed queue and the shard moves on. Its good neighbours succeed.
 */
export default defineScenario({
  name: 'Kinesis poison record with bisect',
  description:
    'order 200 poisons shard-3: it bisects down to one record while its iterator age climbs and the other shards flow; the batch-info record lands in orders-failed',
  duration: '3m',
  functions: {
    processor: {
      duration: { p50: '150ms', p99: '400ms' },
      timeout: '3s',
      handler: async (event: KinesisStreamEvent) => {
        for (const record of event.Records) {
          const order = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
          if (order.poison) throw new Error(`cannot parse order ${order.orderId}`);
        }
        return {};
      },
    },
  },
  streams: { orders: { shardCount: 4 } },
  queues: { 'orders-failed': {} },
  eventSourceMappings: [
    {
      source: 'orders',
      function: 'processor',
      batchSize: 50,
      maxBatchingWindow: '5s',
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnError: true,
      retryAttempts: 5,
      onFailure: 'orders-failed',
    },
  ],
  traffic: [
    {
      to: 'orders',
      rate: 20,
      partitionKeys: 16,
      body: (i) => ({ orderId: i, amount: 10 + (i % 7), ...(i === 200 ? { poison: true } : {}) }),
    },
  ],
});
