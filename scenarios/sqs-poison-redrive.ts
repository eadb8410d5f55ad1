import { defineScenario } from 'lambda-tui';

/**
 * A poison message and a redrive policy (docs/aws-rules.md §3.2). Order 7 always makes the function throw. Each
 * failure leaves the whole batch invisible until the visibility timeout of its receive ends (20 s here),
 * then it reappears with ApproximateReceiveCount + 1. After maxReceiveCount (3) receives, the next receive
 * attempt moves the message to the dead-letter queue instead of returning it to the function; a second
 * function drains the dead-letter queue. Batches of one keep the good messages out of the poison's way.
 */
export default defineScenario({
  name: 'SQS poison message and redrive to a DLQ',
  description: 'order 7 fails 3 times, reappearing every 20 s with a higher receive count, then moves to orders-dlq where the inspector receives it',
  duration: '2m',
  functions: {
    processor: {
      duration: { p50: '200ms', p99: '600ms' },
      timeout: '5s',
      handler: async (event: { Records: Array<{ body: string }> }) => {
        for (const record of event.Records) {
          const order = JSON.parse(record.body) as { orderId: number };
          if (order.orderId === 7) throw new Error(`cannot parse order ${order.orderId}`);
        }
        return {};
      },
    },
    inspector: { duration: '100ms' },
  },
  queues: {
    orders: { visibilityTimeout: '20s', deadLetterQueue: { queue: 'orders-dlq', maxReceiveCount: 3 } },
    'orders-dlq': { retentionPeriod: '14d' },
  },
  eventSourceMappings: [
    { source: 'orders', function: 'processor', batchSize: 1 },
    { source: 'orders-dlq', function: 'inspector' },
  ],
  traffic: [{ to: 'orders', rate: 2, count: 20, body: (i) => ({ orderId: i }) }],
});
