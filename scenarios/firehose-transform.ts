import { defineScenario } from 'lambda-tui';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';

/**
 * A Firehose data transformation: Firehose buffers records (here up to 0.5 MB or 10 s, whichever comes
 * first) and invokes the function once per buffer. The function answers each record by its recordId:
 * Ok with the transformed data, Dropped for heartbeats (on purpose), ProcessingFailed for lines that are
 * not JSON. Failed records go to the processing-failed/ prefix; the rest are delivered.
 */
export default defineScenario({
  name: 'Firehose: transform, drop and fail records',
  description: 'one invocation per buffered batch; heartbeats Dropped, malformed lines ProcessingFailed',
  duration: '1m',
  functions: {
    transform: {
      duration: '200ms',
      timeout: '1m',
      handler: async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => ({
        records: event.records.map((r) => {
          const line = Buffer.from(r.data, 'base64').toString('utf8');
          let value: { type?: string; user?: string };
          try {
            value = JSON.parse(line) as typeof value;
          } catch {
            return { recordId: r.recordId, result: 'ProcessingFailed', data: r.data };
          }
          if (value.type === 'heartbeat') return { recordId: r.recordId, result: 'Dropped', data: r.data };
          const out = `${JSON.stringify({ ...value, user: value.user?.toUpperCase() })}\n`;
          return { recordId: r.recordId, result: 'Ok', data: Buffer.from(out).toString('base64') };
        }),
      }),
    },
  },
  traffic: [
    {
      invoke: 'transform',
      via: 'firehose',
      firehose: { bufferSize: 0.5, bufferInterval: '10s' },
      rate: 20,
      count: 400,
      body: (i) => (i % 25 === 24 ? `not json ${i}` : i % 10 === 0 ? JSON.stringify({ type: 'heartbeat' }) : JSON.stringify({ type: 'click', user: `u${i % 7}` })),
    },
  ],
});
