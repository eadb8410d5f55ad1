import { describe, expect, it } from 'vitest';
import {
  awslambda,
  createResponseStream,
  HTTP_INTEGRATION_CONTENT_TYPE,
  httpAnswerFromStream,
  isStreamingHandler,
  streamedPayload,
  streamedResponse,
  streamingTailMs,
} from '../../src/lang/response-stream.js';
import type { Scenario } from '../../src/scenario/types.js';
import { run } from '../helpers/run.js';
import { runFile, scenarioFolder } from '../helpers/sandbox.js';
import path from 'node:path';

const finished = (s: ReturnType<typeof createResponseStream>) => new Promise<void>((resolve) => s.on('finish', () => resolve()));

describe('the awslambda global: streamifyResponse and HttpResponseStream', () => {
  it('marks a handler with the runtime\'s own symbol', () => {
    const plain = async () => 1;
    const streaming = awslambda.streamifyResponse(async () => undefined);
    expect(isStreamingHandler(plain)).toBe(false);
    expect(isStreamingHandler(streaming)).toBe(true);
    expect((streaming as unknown as Record<symbol, unknown>)[Symbol.for('aws.lambda.runtime.handler.streaming')]).toBe('response');
  });

  it('HttpResponseStream.from writes the metadata as JSON and 8 zero bytes before the body', async () => {
    const stream = awslambda.HttpResponseStream.from(createResponseStream(() => 7), { statusCode: 201, headers: { 'X-Kind': 'csv' }, cookies: ['a=1'] });
    stream.write('id,total\n');
    stream.end('1,20\n');
    await finished(stream);
    const s = streamedResponse(stream);
    expect(s.contentType).toBe(HTTP_INTEGRATION_CONTENT_TYPE);
    expect(s.firstWriteMs).toBe(7);
    const bytes = Buffer.from(s.bodyBase64, 'base64');
    const prelude = JSON.stringify({ statusCode: 201, headers: { 'X-Kind': 'csv' }, cookies: ['a=1'] });
    expect(bytes.subarray(0, prelude.length).toString()).toBe(prelude);
    expect([...bytes.subarray(prelude.length, prelude.length + 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.bytes).toBe(prelude.length + 8 + 'id,total\n1,20\n'.length);
    expect(httpAnswerFromStream(s)).toEqual({ statusCode: 201, headers: { 'x-kind': 'csv' }, cookies: ['a=1'], body: 'id,total\n1,20\n', isBase64Encoded: false });
    expect(streamedPayload(s)).toBe('id,total\n1,20\n');
  });

  it('a stream without a prelude is a 200 with its content type; binary bodies come back in base64', async () => {
    const text = createResponseStream(() => 0);
    text.setContentType('text/plain');
    text.end('hello');
    await finished(text);
    expect(httpAnswerFromStream(streamedResponse(text))).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello', isBase64Encoded: false });
    const binary = createResponseStream(() => 0);
    binary.end(Buffer.from([0xff, 0xfe, 0x00]));
    await finished(binary);
    expect(httpAnswerFromStream(streamedResponse(binary))).toEqual({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: '//4A', isBase64Encoded: true });
  });

  it('a prelude that is not JSON is no answer (the URL gives 502)', () => {
    const bad = { contentType: HTTP_INTEGRATION_CONTENT_TYPE, bodyBase64: Buffer.concat([Buffer.from('{oops'), Buffer.alloc(8), Buffer.from('x')]).toString('base64'), bytes: 14 };
    expect(httpAnswerFromStream(bad)).toBeUndefined();
  });

  it('past 6 MB a streamed answer leaves at 2 MB per second', () => {
    expect(streamingTailMs(6 * 1024 * 1024)).toBe(0);
    expect(streamingTailMs(7 * 1024 * 1024)).toBe(500);
    expect(streamingTailMs(10 * 1024 * 1024)).toBe(2000);
  });
});

/** A scenario whose `report` function streams: `rows` CSV lines, then maybe a failure. */
function streamingScenario(options: { invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM'; via?: 'url' | 'cli'; bytes?: number; failAfter?: number; timeout?: string }): Scenario {
  const { bytes = 0, failAfter } = options;
  return {
    name: 'streaming',
    duration: '1s',
    functions: {
      report: {
        duration: '2s',
        timeout: options.timeout ?? '30s',
        handler: awslambda.streamifyResponse(async (_event: unknown, responseStream: NodeJS.WritableStream & { setContentType(t: string): void }) => {
          const out = awslambda.HttpResponseStream.from(responseStream as never, { statusCode: 200, headers: { 'content-type': 'text/csv' } });
          out.write('id,total\n');
          if (failAfter !== undefined) throw new Error('database went away');
          if (bytes > 0) out.write('x'.repeat(bytes));
          out.end('1,20\n');
        }) as never,
      },
    },
    traffic: [
      options.via === 'cli'
        ? { invoke: 'report', type: 'RequestResponse', count: 1 }
        : { invoke: 'report', via: 'url', url: { authType: 'NONE', ...(options.invokeMode ? { invokeMode: options.invokeMode } : {}) }, count: 1, http: { method: 'GET', path: '/report' } },
    ],
  } as Scenario;
}

describe('a streaming handler behind a function URL', () => {
  it('RESPONSE_STREAM: the prelude\'s status and headers, the body, and the time to first byte', async () => {
    const r = await run(streamingScenario({ invokeMode: 'RESPONSE_STREAM' }), { untilMs: 5_000 });
    const [res] = r.of('sync.response');
    expect(res).toMatchObject({ fn: 'report', via: 'url', statusCode: 200, headers: { 'content-type': 'text/csv' }, body: 'id,total\n1,20\n' });
    // The first byte left as the handler wrote it (its clock: the run's start, after the cold start);
    // the whole answer only when the 2 s run ended.
    const end = r.of('invoke.end')[0];
    expect(res.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(res.firstByteMs!).toBeLessThan(end.durationMs);
    expect(r.summary.accounting.ok).toBe(true);
  });

  it('BUFFERED (the default): the same answer, all at once, with no first-byte time', async () => {
    const r = await run(streamingScenario({}), { untilMs: 5_000 });
    const [res] = r.of('sync.response');
    expect(res).toMatchObject({ statusCode: 200, body: 'id,total\n1,20\n' });
    expect(res.firstByteMs).toBeUndefined();
  });

  it('over 6 MB: a buffered URL fails with Function.ResponseSizeTooLarge (502); a streamed one answers, 500 ms later per MB past 6', async () => {
    const seven = 7 * 1024 * 1024;
    const buffered = await run(streamingScenario({ bytes: seven }), { untilMs: 5_000 });
    expect(buffered.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Function.ResponseSizeTooLarge' });
    expect(buffered.of('sync.response')[0].statusCode).toBe(502);
    const streamed = await run(streamingScenario({ bytes: seven, invokeMode: 'RESPONSE_STREAM' }), { untilMs: 10_000 });
    const end = streamed.of('invoke.end')[0];
    expect(end.outcome).toBe('success');
    // 2 s of handler, then the bytes past 6 MB (about 1 MB, and the prelude and rows) at 2 MB/s.
    expect(end.durationMs).toBe(2_000 + streamingTailMs(seven + 9 + 5 + JSON.stringify({ statusCode: 200, headers: { 'content-type': 'text/csv' } }).length + 8));
    expect(streamed.of('sync.response')[0].statusCode).toBe(200);
  });

  it('a stream slower than the timeout times out', async () => {
    const r = await run(streamingScenario({ bytes: 20 * 1024 * 1024, invokeMode: 'RESPONSE_STREAM', timeout: '5s' }), { untilMs: 10_000 });
    expect(r.of('invoke.end')[0]).toMatchObject({ outcome: 'timeout', durationMs: 5_000 });
    expect(r.of('sync.response')[0].statusCode).toBe(502);
  });

  it('a handler that fails mid-stream: a streamed client holds a truncated 200, a buffered one gets 502', async () => {
    const streamed = await run(streamingScenario({ failAfter: 1, invokeMode: 'RESPONSE_STREAM' }), { untilMs: 5_000 });
    expect(streamed.of('invoke.end')[0]).toMatchObject({ outcome: 'error', errorType: 'Error', errorMessage: 'database went away' });
    expect(streamed.of('sync.response')[0]).toMatchObject({ statusCode: 200, functionError: 'Unhandled', body: 'id,total\n', reason: 'Error' });
    expect(streamed.summary.accounting.ok).toBe(true);
    const buffered = await run(streamingScenario({ failAfter: 1 }), { untilMs: 5_000 });
    expect(buffered.of('sync.response')[0].statusCode).toBe(502);
  });

  it('a caller that does not read streams (the Invoke API) gets the bytes as its payload', async () => {
    const r = await run(streamingScenario({ via: 'cli' }), { untilMs: 5_000 });
    expect(r.of('sync.response')[0]).toMatchObject({ via: 'cli', statusCode: 200, body: 'id,total\n1,20\n' });
  });
});

describe('a streaming handler in the sandbox', () => {
  it('awslambda is a global for scenario and handler code, and the worker streams the same answer', async () => {
    const dir = scenarioFolder({
      'report.mjs': `export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 206, headers: { 'Content-Type': 'text/plain' } });
  responseStream.write('part ' + Math.floor(Math.random() * 1000) + '\\n');
  await new Promise((r) => setTimeout(r, 5));
  responseStream.end('done ' + Date.now());
});
`,
      's.mjs': `export default {
  name: 'sandboxed streaming',
  duration: '3s',
  functions: {
    report: { handler: './report.handler', duration: '300ms' },
    inline: { duration: '300ms', handler: awslambda.streamifyResponse(async (event, stream) => { stream.setContentType('text/plain'); stream.end('inline'); }) },
  },
  traffic: [
    { invoke: 'report', via: 'url', url: { authType: 'NONE', invokeMode: 'RESPONSE_STREAM' }, count: 2, rate: 1, http: { method: 'GET', path: '/' } },
    { invoke: 'inline', via: 'url', url: { authType: 'NONE', invokeMode: 'RESPONSE_STREAM' }, count: 1, http: { method: 'GET', path: '/' } },
  ],
};
`,
    });
    const first = await runFile(path.join(dir, 's.mjs'));
    const again = await runFile(path.join(dir, 's.mjs'));
    const responses = first.of('sync.response');
    const report = responses.filter((e) => e.fn === 'report');
    expect(report).toHaveLength(2);
    expect(report[0]).toMatchObject({ statusCode: 206, headers: { 'content-type': 'text/plain' } });
    expect(String(report[0].body)).toMatch(/^part \d+\ndone \d+$/);
    expect(report[0].firstByteMs).toBeGreaterThanOrEqual(0);
    expect(responses.find((e) => e.fn === 'inline')).toMatchObject({ statusCode: 200, body: 'inline' });
    // Seeded Math.random and the simulated clock: the same bytes on every run.
    expect(JSON.stringify(again.of('sync.response'))).toBe(JSON.stringify(responses));
  });
});

describe('response stream: text kept as written', () => {
  const read = async (writes: Array<[string | Uint8Array, BufferEncoding?]>) => {
    const stream = createResponseStream(() => 0);
    for (const [chunk, encoding] of writes) (encoding ? stream.write(chunk as string, encoding) : stream.write(chunk));
    await new Promise<void>((resolve) => stream.end(resolve));
    return streamedResponse(stream);
  };
  it('gives the bytes each write would have been on its own, in order, for any mix of text, encodings and bytes', async () => {
    const writes: Array<[string | Uint8Array, BufferEncoding?]> = [
      ['héllo, '],
      [new Uint8Array([0, 1, 2])],
      ['wörld'],
      ['\ud83d'], // half of a pair: a replacement character on its own
      ['\ude00 end'],
      ['00ff', 'hex'],
      ['😀'],
      [Buffer.from('tail')],
    ];
    const expected = Buffer.concat(writes.map(([c, e]) => (typeof c === 'string' ? Buffer.from(c, e ?? 'utf8') : Buffer.from(c))));
    const r = await read(writes);
    expect(Buffer.from(r.bodyBase64, 'base64').equals(expected)).toBe(true);
    expect(r.bytes).toBe(expected.length);
  });
  it('keeps a copy of bytes, not the caller\'s buffer', async () => {
    const b = Buffer.from('abc');
    const stream = createResponseStream(() => 0);
    stream.write(b);
    b[0] = 0x7a;
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(Buffer.from(streamedResponse(stream).bodyBase64, 'base64').toString()).toBe('abc');
  });
});
