import { defineScenario } from 'lambda-tui';

/**
 * EventBridge rules route events by pattern and run schedules (docs/aws-rules.md §6). Orders are put to
 * a custom bus; one rule sends orders of 100 or more (a numeric match) to fraud-check, another sends
 * European orders (a prefix match) or VIP orders ($or) to eu-fulfilment, so one event can reach both.
 * Targets invoke the functions asynchronously with the EventBridge envelope. A rate(1 minute) rule on the
 * default bus invokes report every minute from the start with a 'Scheduled Event' from aws.events.
 */
export default defineScenario({
  name: 'EventBridge pattern routing and a schedule',
  description: 'orders fan out by pattern to fraud-check and eu-fulfilment; report fires once a minute from the schedule',
  duration: '3m',
  functions: {
    'fraud-check': { duration: '150ms' },
    'eu-fulfilment': { duration: '250ms' },
    report: { duration: '2s', timeout: '10s' },
  },
  buses: {
    orders: {
      rules: [
        { name: 'big-orders', eventPattern: { source: ['shop.orders'], detail: { total: [{ numeric: ['>=', 100] }] } }, targets: ['fraud-check'] },
        {
          name: 'eu-or-vip',
          eventPattern: { source: ['shop.orders'], $or: [{ detail: { region: [{ prefix: 'eu-' }] } }, { detail: { vip: [true] } }] },
          targets: ['eu-fulfilment'],
        },
      ],
    },
    default: { rules: [{ name: 'minutely-report', schedule: 'rate(1 minute)', targets: ['report'] }] },
  },
  traffic: [
    {
      to: 'orders',
      rate: 2,
      count: 120,
      body: (i) => ({
        source: 'shop.orders',
        'detail-type': 'OrderPlaced',
        detail: { orderId: i, total: (i * 37) % 250, region: ['eu-west-1', 'us-east-1', 'ap-south-1'][i % 3], vip: i % 10 === 0 },
      }),
    },
  ],
});
