import { defineScenario } from 'lambda-tui';

class CardDeclined extends Error {
  override name = 'CardDeclined';
}

/**
 * An order workflow in Step Functions: Charge, then Ship. Charge has 2 reserved environments, so a burst
 * of orders gets Lambda.TooManyRequestsException, which its Retry absorbs with exponential backoff and
 * full jitter (drawn from the scenario's seed). A declined card is not worth retrying: Catch sends it to
 * Refund with the error at $.error. Ship has a 2 s TimeoutSeconds; a slow shipment ends in States.Timeout.
 */
export default defineScenario({
  name: 'Step Functions: Retry and Catch around Lambda tasks',
  description: 'throttles retried with backoff and jitter; CardDeclined caught to Refund; slow Ship hits States.Timeout',
  duration: '2m',
  functions: {
    charge: {
      duration: '400ms',
      reservedConcurrentExecutions: 2,
      handler: async (order: { orderId: number }) => {
        if (order.orderId % 7 === 6) throw new CardDeclined(`card declined for order ${order.orderId}`);
        return { ...order, charged: true };
      },
    },
    ship: { duration: { p50: '300ms', p99: '4s' }, timeout: '10s' },
  },
  stateMachines: {
    orders: {
      definition: {
        StartAt: 'Charge',
        States: {
          Charge: {
            Type: 'Task',
            Resource: 'charge',
            Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 8, JitterStrategy: 'FULL' }],
            Catch: [{ ErrorEquals: ['CardDeclined'], Next: 'Refund', ResultPath: '$.error' }],
            Next: 'Ship',
          },
          Ship: {
            Type: 'Task',
            Resource: 'ship',
            TimeoutSeconds: 2,
            ResultPath: null,
            Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Delayed' }],
            End: true,
          },
          Refund: { Type: 'Pass', Result: 'refunded', ResultPath: '$.refund', End: true },
          Delayed: { Type: 'Fail', Error: 'ShipmentDelayed', Cause: 'Ship did not answer within 2 s' },
        },
      },
    },
  },
  traffic: [{ to: 'orders', rate: 10, count: 40, body: (i) => ({ orderId: i }) }],
});
