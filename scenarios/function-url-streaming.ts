import { defineScenario } from 'lambda-tui';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

/**
 * A CSV export behind two function URLs, one BUFFERED and one RESPONSE_STREAM, running the same
 * streaming handler (docs/callers.md, "Response streaming"). Each export takes about 2 s to build.
 *
 * - Every second a small export: both URLs answer 200 after the 2 s, but the streamed one's client has
 *   its first byte within milliseconds (`first byte after ... ms` in the Log, `firstByteMs` in the trace).
 * - At 0:30 an export of about 7 MB: buffered, it is over the 6 MB of a synchronous response and the
 *   client gets 502 (Function.ResponseSizeTooLarge); streamed, it arrives, about half a second later
 *   than the small ones: past 6 MB a stream leaves at 2 MB/s.
 * - At 0:45 the database goes away halfway through an export: buffered, a 502; streamed, the client has
 *   already received `200` and the first rows, so it holds a truncated file under a success status (the
 *   failure shows as the function error in `sync.response`): check the length, not only the status.
 *
 * `awslambda` is the Node.js runtime's global, here as in Lambda: no import needed.
 */
const exportCsv = awslambda.streamifyResponse(async (event: LambdaFunctionURLEvent, responseStream) => {
  const rows = Number(event.queryStringParameters?.rows ?? '50');
  const failAt = event.queryStringParameters?.failAt;
  const out = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="orders.csv"' },
  });
  out.write('order_id,customer,total_cents,status\n');
  for (let i = 0; i < rows; i++) {
    if (failAt !== undefined && i === Number(failAt)) throw new Error(`orders database connection reset after ${i} rows`);
    out.write(`ord-${String(i).padStart(8, '0')},customer-${String(i % 997).padStart(4, '0')},${(i * 7919) % 100000},SHIPPED\n`);
  }
  out.end();
});

const exportFunction = {
  handler: exportCsv,
  memorySize: 512,
  timeout: '30s',
  duration: { p50: '2s', p99: '3s' },
} as const;

const http = (query: Record<string, string>) => ({ method: 'GET', path: '/exports/orders.csv', query });

export default defineScenario({
  name: 'Function URL streaming: time to first byte, 6 MB, and a truncated 200',
  description: 'the same streaming handler behind a BUFFERED and a RESPONSE_STREAM URL: first byte, a 7 MB export, a failure mid-stream',
  duration: '1m',
  functions: {
    'export-buffered': exportFunction,
    'export-streamed': exportFunction,
  },
  traffic: [
    { invoke: 'export-buffered', via: 'url', url: { authType: 'AWS_IAM' }, rate: 1, http: http({ rows: '50' }) },
    { invoke: 'export-streamed', via: 'url', url: { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' }, rate: 1, http: http({ rows: '50' }) },
    // About 7.4 MB of CSV (180,000 rows of 41 bytes).
    { invoke: 'export-buffered', via: 'url', url: { authType: 'AWS_IAM' }, start: '30s', count: 1, http: http({ rows: '180000' }) },
    { invoke: 'export-streamed', via: 'url', url: { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' }, start: '30s', count: 1, http: http({ rows: '180000' }) },
    // The database fails after 20 rows.
    { invoke: 'export-buffered', via: 'url', url: { authType: 'AWS_IAM' }, start: '45s', count: 1, http: http({ rows: '50', failAt: '20' }) },
    { invoke: 'export-streamed', via: 'url', url: { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM' }, start: '45s', count: 1, http: http({ rows: '50', failAt: '20' }) },
  ],
});
