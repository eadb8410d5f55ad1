import { defineScenario } from 'lambda-tui';

/**
 * Reserved concurrency is both a floor and a ceiling. Five environments at 400 ms each serve at most
 * 12.5 requests a second; the caller sends 20. Lambda never queues or retries a synchronous call: the
 * excess gets 429 TooManyRequestsException with Reason
 * ReservedFunctionConcurrentInvocationLimitExceeded, straight back to the caller.
 */
export default defineScenario({
  name: 'Synchronous throttling at reserved concurrency',
  description: 'reserved concurrency 5 cannot serve 20 req/s at 400 ms: watch the caller get 429s while concurrency sits at 5/5',
  duration: '1m',
  functions: {
    checkout: {
      duration: { p50: '400ms', p99: '600ms' },
      timeout: '3s',
      reservedConcurrentExecutions: 5,
      handler: async (event: { orderId: number }) => ({ ok: true, orderId: event.orderId }),
    },
  },
  traffic: [
    { invoke: 'checkout', type: 'RequestResponse', via: 'cli', rate: [{ at: '0s', rate: 5 }, { at: '10s', rate: 20 }], body: (i) => ({ orderId: i }) },
  ],
});
