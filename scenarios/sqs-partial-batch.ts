import { defineScenario } from 'lambda-tui';

/**
 * Partial batch responses (docs/aws-rules.md §3.2, ReportBatchItemFailures). The function handles a batch of 10
 * and reports only the messages it could not process in `batchItemFailures`; Lambda deletes the rest and
 * only the listed ones reappear after the visibility timeout. Messages whose amount is negative always
 * fail, so after maxReceiveCount receives they move to the dead-letter queue, alone.
 */
export default defineScenario({
  name: 'SQS partial batch response',
  description: 'each batch of 10 reports its negative payments in batchItemFailures: only those reappear (receive count +1) and end in payments-dlq',
  duration: '2m',
  functions: {
    charge: {
      duration: { p50: '300ms', p99: '800ms' },
      timeout: '5s',
      handler: async (event: { Records: Array<{ messageId: string; body: string }> }) => ({
        batchItemFailures: event.Records.filter((r) => (JSON.parse(r.body) as { amount: number }).amount < 0).map((r) => ({ itemIdentifier: r.messageId })),
      }),
    },
  },
  queues: {
    payments: { visibilityTimeout: '15s', deadLetterQueue: { queue: 'payments-dlq', maxReceiveCount: 2 } },
    'payments-dlq': {},
  },
  eventSourceMappings: [{ source: 'payments', function: 'charge', batchSize: 10, reportBatchItemFailures: true }],
  traffic: [{ to: 'payments', rate: 20, count: 200, body: (i) => ({ paymentId: i, amount: i % 25 === 3 ? -5 : 10 + (i % 7) }) }],
});
