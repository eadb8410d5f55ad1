import { defineScenario } from 'lambda-tui';

/**
 * A canary deployment that catches a bug (docs/versions.md). The alias `live` serves version 1; at 30 s
 * CodeDeploy starts shifting it to version 2 with Canary10Percent5Minutes: a smoke-test hook first, then
 * 10% of the traffic for five minutes. Version 2 throws on three orders in ten. The alarm counts Errors
 * on the alias per minute; the first minute closes with more than 5, the alarm goes to ALARM and
 * CodeDeploy flips the alias back to version 1 at 01:00. Watch version 2 cold-start when the canary
 * begins, its errors climb, the alarm fire and the weights return to 100% version 1.
 */
export default defineScenario({
  name: 'Canary deployment rolled back by an alarm',
  description: 'live shifts 10% to version 2, which fails 3 orders in 10: watch the Errors alarm fire at 01:00 and the alias roll back',
  duration: '3m',
  functions: {
    checkout: {
      duration: { p50: '80ms', p99: '200ms' },
      handler: async (event: { orderId: number }) => ({ ok: true, orderId: event.orderId }),
      versions: {
        '1': {},
        '2': {
          handler: async (event: { orderId: number }) => {
            if (event.orderId % 10 < 3) throw new TypeError(`Cannot read properties of undefined (reading 'price') in order ${event.orderId}`);
            return { ok: true, orderId: event.orderId, version: 2 };
          },
        },
      },
      aliases: { live: { version: '1' } },
    },
    smokeTest: { duration: '1s', handler: async () => ({ status: 'Succeeded' }) },
  },
  traffic: [{ invoke: 'checkout:live', type: 'RequestResponse', rate: 10, body: (i) => ({ orderId: i }) }],
  deployments: [
    {
      alias: 'checkout:live',
      to: '2',
      at: '30s',
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      hooks: { beforeAllowTraffic: 'smokeTest' },
      alarms: [{ name: 'checkout-live-errors', metric: 'Errors', threshold: 5, period: '1m', evaluationPeriods: 1 }],
    },
  ],
});
