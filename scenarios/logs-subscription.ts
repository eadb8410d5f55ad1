import { gunzipSync } from 'node:zlib';
import { defineScenario } from 'lambda-tui';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';

/**
 * A CloudWatch Logs subscription filter: CloudWatch Logs invokes the function asynchronously with
 * awslogs.data, the log events gzip-compressed and base64-encoded. The function decodes them and alerts on
 * ERROR lines; when its alerting backend is down (every 8th batch here) it throws, and Lambda's
 * asynchronous retries (1 min, then 2 min later) deliver the same batch again.
 */
export default defineScenario({
  name: 'CloudWatch Logs subscription: decode awslogs.data',
  description: 'gzip+base64 log batches, invoked asynchronously; failed batches are retried 1 and 2 minutes later',
  duration: '5m',
  functions: {
    alerter: {
      duration: '50ms',
      handler: async (event: CloudWatchLogsEvent) => {
        const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsDecodedData;
        const errors = data.logEvents.filter((e) => e.message.includes('ERROR'));
        if (data.logEvents.some((e) => e.message.includes('batch 7 '))) throw new Error('alerting backend unavailable');
        return { logGroup: data.logGroup, events: data.logEvents.length, errors: errors.length };
      },
    },
  },
  traffic: [
    {
      invoke: 'alerter',
      via: 'cloudwatch-logs',
      rate: 0.5,
      count: 16,
      body: (i) => ({ logGroup: '/aws/lambda/checkout', messages: [`INFO batch ${i % 8} start`, i % 3 === 0 ? `ERROR batch ${i % 8} payment failed` : `INFO batch ${i % 8} ok`] }),
    },
  ],
});
