import { defineScenario } from 'lambda-tui';

/**
 * Tumbling windows (docs/aws-rules.md §3.4). With tumblingWindow '30s' every invocation carries the
 * window it belongs to (`window.start`, `window.end`, keyed on record arrival time) and the `state` the
 * previous invocation of that window returned; the handler returns the new state. After the window ends
 * Lambda invokes once more with no records and `isFinalInvokeForWindow: true`: the moment to publish the
 * aggregate. Here the handler sums order amounts per 30 s window.
 */
export default defineScenario({
  name: 'Kinesis tumbling window aggregation',
  description: 'orders are summed per 30 s window: watch state grow batch by batch, then a final invoke with isFinalInvokeForWindow publish each total',
  duration: '3m',
  functions: {
    totals: {
      duration: '100ms',
      handler: (event: { Records: Array<{ kinesis: { data: string } }>; state: { total?: number; count?: number }; isFinalInvokeForWindow: boolean }) => {
        const state = { total: event.state.total ?? 0, count: event.state.count ?? 0 };
        for (const record of event.Records) {
          state.total += JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')).amount;
          state.count++;
        }
        return { state };
      },
    },
  },
  streams: { orders: { shardCount: 1 } },
  eventSourceMappings: [{ source: 'orders', function: 'totals', batchSize: 20, tumblingWindow: '30s' }],
  traffic: [{ to: 'orders', rate: 5, stop: '2m', partitionKeys: 4, body: (i) => ({ orderId: i, amount: 1 + (i % 10) }) }],
});
