import { defineScenario } from 'lambda-tui';

/**
 * Asynchronous retries, an onFailure destination and a dead-letter queue (docs/aws-rules.md §2).
 * A payment function that always throws is invoked with InvocationType Event: Lambda accepts each event
 * at once (202), tries it, waits 60 s, tries again, waits 120 s, tries a third time, then gives up. The
 * onFailure destination (a function) receives the invocation record: condition RetriesExhausted,
 * approximateInvokeCount 3, the original event as requestPayload and the error as responsePayload. The
 * dead-letter queue receives the original event unchanged with RequestID, ErrorCode and ErrorMessage
 * message attributes. Both fire, as LocalStack does.
 */
export default defineScenario({
  name: 'Async retries into a DLQ and an onFailure destination',
  description: 'charge throws on every try: watch three attempts 60 s and 120 s apart, then the record in billing-alerts and the event in charge-dlq',
  duration: '5m',
  functions: {
    charge: {
      duration: '200ms',
      retryAttempts: 2,
      onFailure: 'billing-alerts',
      deadLetterQueue: 'charge-dlq',
      handler: (event: { orderId: number }) => {
        throw new Error(`card declined for order ${event.orderId}`);
      },
    },
    'billing-alerts': { duration: '50ms' },
  },
  queues: { 'charge-dlq': {} },
  traffic: [{ invoke: 'charge', type: 'Event', via: 'cli', rate: 1, count: 3, body: (i) => ({ orderId: 1000 + i, amount: 25 }) }],
});
