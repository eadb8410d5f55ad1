/**
 * Response streaming as the Node.js runtime offers it to handler code (docs/callers.md, "Function URLs",
 * response streaming): the `awslambda` global with `streamifyResponse` and `HttpResponseStream.from`, the
 * writable `responseStream` a streaming handler writes to, and what the bytes it wrote mean to a caller.
 *
 * - `awslambda.streamifyResponse(handler)` marks the handler (the runtime's own marker, the symbol
 *   `aws.lambda.runtime.handler.streaming` set to 'response'); the runtime then calls it as
 *   `handler(event, responseStream, context)`.
 * - `awslambda.HttpResponseStream.from(stream, { statusCode, headers, cookies })` sets the content type
 *   `application/vnd.awslambda.http-integration-response` and, before the first byte of the body, writes
 *   the metadata as JSON followed by 8 zero bytes. A function URL reads that prelude as the status code
 *   and headers; a stream without it is a 200 with the stream's content type.
 *
 * Both the sandbox's workers and the direct handlers (src/engine/lambda/handler-port.ts) run streaming
 * handlers through {@link runStreamingHandler}, so the two ports agree on what a streamed answer is; the
 * scenario loader puts the global in place before scenario code runs. It lives in lang/ because all three
 * (scenario, engine, sandbox) use it: the runtime's streaming format is one of the small languages AWS
 * defines, like durations and event patterns.
 */
import { Writable } from 'node:stream';

/** The runtime's marker on a streaming handler, and its value. */
export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
export const STREAM_RESPONSE = 'response';
/** The content type HttpResponseStream.from gives a stream whose body starts with a metadata prelude. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
/** A stream whose handler never set a content type (the runtime's default). */
export const DEFAULT_STREAM_CONTENT_TYPE = 'application/octet-stream';
const DELIMITER_LEN = 8;
const DELIMITER = Buffer.alloc(DELIMITER_LEN);

/**
 * Largest streamed response, in bytes: 200 MB (Lambda developer guide, "Response streaming for Lambda
 * functions": "response streaming functions can return payloads up to 200 MB").
 */
export const STREAMED_RESPONSE_LIMIT_BYTES = 200 * 1024 * 1024;
/** The first 6 MB of a streamed response go out uncapped; the rest at most 2 MB per second (same page). */
export const STREAM_UNCAPPED_BYTES = 6 * 1024 * 1024;
export const STREAM_BYTES_PER_SECOND = 2 * 1024 * 1024;

/**
 * What a streaming handler wrote: plain data, so it crosses from a worker thread and can be recorded for a
 * re-run. `firstWriteMs` is the handler's simulated clock when the first byte was written (its time to
 * first byte); undefined when it wrote nothing.
 */
export interface StreamedResponse {
  contentType: string;
  /** The bytes written, base64-encoded (the prelude included, as the runtime sends it); at most the limit + 1. */
  bodyBase64: string;
  /** How many bytes were written in all. */
  bytes: number;
  firstWriteMs?: number;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Is this handler marked by `awslambda.streamifyResponse`? */
export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

/** The writable a streaming handler receives: a Node.js Writable with `setContentType`. */
export interface ResponseStream extends Writable {
  setContentType(type: string): void;
}

/** What a response stream holds, kept off the stream itself so that handler code never sees it. */
interface StreamState {
  contentType: string;
  /**
   * What was kept, in order: UTF-8 text as the handler wrote it (joined and encoded once, at the end),
   * bytes as copies. A CSV export writes a hundred thousand short strings; encoding and copying each one
   * into a Buffer of its own cost more than the handler's own work (about 0.5x the CPU for 7 MB).
   */
  chunks: Array<Buffer | string>;
  bytes: number;
  firstWriteMs?: number;
  beforeFirst?: (write: (chunk: Uint8Array | string) => void) => void;
}
const states = new WeakMap<Writable, StreamState>();

/** The `awslambda` global of the Node.js runtime. */
export const awslambda = Object.freeze({
  streamifyResponse<T>(handler: T, options?: { highWaterMark?: number }): T {
    if (typeof handler !== 'function') throw new TypeError('awslambda.streamifyResponse expects a function');
    (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] = STREAM_RESPONSE;
    if (options?.highWaterMark !== undefined) (handler as unknown as Record<symbol, unknown>)[Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark')] = options.highWaterMark;
    return handler;
  },
  HttpResponseStream: Object.freeze({
    from(stream: ResponseStream, prelude: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] }): ResponseStream {
      stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
      const metadata = JSON.stringify(prelude ?? {});
      const state = states.get(stream);
      if (state) {
        state.beforeFirst = (write) => {
          write(metadata);
          write(new Uint8Array(DELIMITER_LEN));
        };
      }
      return stream;
    },
  }),
});

/** Puts `awslambda` on the global object, as the runtime does, unless something already put one there. */
export function installAwsLambdaGlobal(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  if (target.awslambda === undefined) Object.defineProperty(target, 'awslambda', { value: awslambda, writable: true, configurable: true, enumerable: false });
}

/** A response stream that keeps what is written, stamping the first write with `clock()`. */
export function createResponseStream(clock: () => number): ResponseStream {
  const state: StreamState = { contentType: DEFAULT_STREAM_CONTENT_TYPE, chunks: [], bytes: 0 };
  let kept = 0;
  const keepBytes = (b: Uint8Array) => {
    // A stream past the 200 MB limit fails whatever it holds: keep one byte more than the limit, count the
    // rest, so a handler that writes without end cannot fill the worker's memory.
    const room = STREAMED_RESPONSE_LIMIT_BYTES + 1 - kept;
    if (room > 0) {
      const part = b.length > room ? b.subarray(0, room) : b;
      state.chunks.push(Buffer.from(part));
      kept += part.length;
    }
    state.bytes += b.length;
  };
  const keep = (chunk: Uint8Array | string, encoding: BufferEncoding = 'utf8') => {
    if (typeof chunk !== 'string') return keepBytes(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (encoding !== 'utf8' && encoding !== 'utf-8') return keepBytes(Buffer.from(chunk, encoding));
    const length = Buffer.byteLength(chunk, 'utf8');
    if (length > STREAMED_RESPONSE_LIMIT_BYTES + 1 - kept) return keepBytes(Buffer.from(chunk, 'utf8'));
    state.chunks.push(chunk);
    kept += length;
    state.bytes += length;
  };
  const stream = new Writable({
    // Strings reach write() as strings (with their encoding), kept as text until the stream is read.
    decodeStrings: false,
    write(chunk: Buffer | string, encoding, done) {
      if (state.firstWriteMs === undefined) {
        state.firstWriteMs = clock();
        const before = state.beforeFirst;
        state.beforeFirst = undefined;
        before?.(keep);
      }
      keep(chunk, typeof chunk === 'string' ? encoding : undefined);
      done();
    },
    final(done) {
      // A stream given a prelude and ended without a body still sends the prelude.
      const before = state.beforeFirst;
      state.beforeFirst = undefined;
      if (before) {
        if (state.firstWriteMs === undefined) state.firstWriteMs = clock();
        before(keep);
      }
      done();
    },
  }) as ResponseStream;
  states.set(stream, state);
  stream.setContentType = (type: string) => {
    state.contentType = String(type);
  };
  return stream;
}

/**
 * The kept chunks as one Buffer: each run of text joined and encoded once. Each write is encoded on its
 * own, as the runtime does, so a surrogate pair cut between two writes is two replacement characters (3
 * bytes each), not one character (4 bytes): a run whose joined encoding is shorter than its writes' is
 * encoded write by write instead.
 */
function bodyOf(chunks: Array<Buffer | string>): Buffer {
  const parts: Buffer[] = [];
  let text: string[] = [];
  const flush = () => {
    if (text.length === 0) return;
    const joined = Buffer.from(text.join(''), 'utf8');
    let separate = 0;
    if (text.length > 1) for (const t of text) separate += Buffer.byteLength(t, 'utf8');
    if (text.length > 1 && separate !== joined.length) for (const t of text) parts.push(Buffer.from(t, 'utf8'));
    else parts.push(joined);
    text = [];
  };
  for (const c of chunks) {
    if (typeof c === 'string') text.push(c);
    else {
      flush();
      parts.push(c);
    }
  }
  flush();
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** What a response stream holds once it has finished. */
export function streamedResponse(stream: ResponseStream): StreamedResponse {
  const state = states.get(stream)!;
  const body = bodyOf(state.chunks);
  return { contentType: state.contentType, bodyBase64: body.toString('base64'), bytes: state.bytes, ...(state.firstWriteMs !== undefined ? { firstWriteMs: state.firstWriteMs } : {}) };
}

/**
 * Calls a streaming handler and settles once, when its stream has finished and what it returned has
 * settled: `done(stream)` with what was written, or `fail(thrown, partial)` with what was written before. A handler whose promise resolves
 * before it ends its stream has the stream ended for it (the runtime's behaviour there is not documented;
 * lambda-tui's choice, docs/callers.md). A handler that neither ends its stream nor returns a promise
 * never settles, like any handler that never finishes: the port's guard and the timeout deal with it.
 */
export function runStreamingHandler(
  handler: AnyFn,
  event: unknown,
  context: unknown,
  clock: () => number,
  done: (response: StreamedResponse) => void,
  fail: (thrown: unknown, partial: StreamedResponse) => void,
  call: (run: () => unknown) => unknown = (run) => run(),
): void {
  const stream = createResponseStream(clock);
  let settled = false;
  let finished = false;
  let returned: 'pending' | 'resolved' | 'none' = 'none';
  const settleOk = () => {
    if (settled || !finished || returned === 'pending') return;
    settled = true;
    done(streamedResponse(stream));
  };
  const settleErr = (thrown: unknown) => {
    if (settled) return;
    settled = true;
    // What was written before the failure has already left when the caller reads a stream.
    fail(thrown, streamedResponse(stream));
  };
  stream.on('finish', () => {
    finished = true;
    settleOk();
  });
  stream.on('error', settleErr);
  let result: unknown;
  try {
    result = call(() => handler(event, stream, context));
  } catch (thrown) {
    settleErr(thrown);
    return;
  }
  let thenable = false;
  try {
    thenable = typeof (result as { then?: unknown } | null)?.then === 'function';
  } catch (thrown) {
    settleErr(thrown);
    return;
  }
  if (!thenable) return;
  returned = 'pending';
  Promise.resolve(result).then(
    () => {
      returned = 'resolved';
      if (!finished && !stream.writableEnded) stream.end();
      settleOk();
    },
    settleErr,
  );
}

/** An HTTP answer read from a stream: the prelude's status, headers and cookies, then the body. */
export interface StreamedHttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  /** The body as text when it is valid UTF-8, else base64 with `isBase64Encoded`. */
  body: string;
  isBase64Encoded: boolean;
}

/**
 * What a function URL makes of a stream (or undefined when its prelude is not valid JSON: a malformed
 * answer). With the http-integration content type, the JSON before the 8 zero bytes is the metadata;
 * without it, the status is 200 and the stream's content type is the response's.
 *
 * @example
 * httpAnswerFromStream({ contentType: 'text/plain', bodyBase64: Buffer.from('hi').toString('base64'), bytes: 2 })
 * // { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hi', isBase64Encoded: false }
 */
export function httpAnswerFromStream(stream: StreamedResponse): StreamedHttpAnswer | undefined {
  const bytes = Buffer.from(stream.bodyBase64, 'base64');
  let body = bytes;
  let statusCode = 200;
  let headers: Record<string, string> = { 'content-type': stream.contentType };
  let cookies: string[] | undefined;
  if (stream.contentType === HTTP_INTEGRATION_CONTENT_TYPE) {
    const end = preludeEnd(bytes);
    if (end < 0) return undefined;
    let prelude: unknown;
    try {
      prelude = JSON.parse(bytes.subarray(0, end).toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof prelude !== 'object' || prelude === null || Array.isArray(prelude)) return undefined;
    const p = prelude as { statusCode?: unknown; headers?: unknown; cookies?: unknown };
    statusCode = typeof p.statusCode === 'number' && Number.isInteger(p.statusCode) ? p.statusCode : 200;
    headers = {};
    if (typeof p.headers === 'object' && p.headers !== null) {
      for (const [k, v] of Object.entries(p.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    if (Array.isArray(p.cookies)) cookies = p.cookies.map(String);
    body = bytes.subarray(end + DELIMITER_LEN);
  }
  const text = body.toString('utf8');
  const utf8 = Buffer.from(text, 'utf8').equals(body);
  return { statusCode, headers, ...(cookies ? { cookies } : {}), body: utf8 ? text : body.toString('base64'), isBase64Encoded: !utf8 };
}

/** Where the 8 zero bytes after a prelude start, or -1 (JSON never holds a raw zero byte). */
function preludeEnd(bytes: Buffer): number {
  return bytes.indexOf(DELIMITER);
}

/**
 * What a caller that does not read streams (the Invoke API, a Step Functions task) receives from a
 * streaming handler: the body it wrote (after any prelude), as text.
 */
export function streamedPayload(stream: StreamedResponse): string {
  const answer = httpAnswerFromStream(stream);
  if (answer) return answer.isBase64Encoded ? Buffer.from(answer.body, 'base64').toString('utf8') : answer.body;
  return Buffer.from(stream.bodyBase64, 'base64').toString('utf8');
}

/**
 * How much longer than its handler a streamed response takes to leave: nothing for the first 6 MB,
 * then 2 MB per second (milliseconds, rounded up).
 */
export function streamingTailMs(bytes: number): number {
  return bytes <= STREAM_UNCAPPED_BYTES ? 0 : Math.ceil(((bytes - STREAM_UNCAPPED_BYTES) * 1000) / STREAM_BYTES_PER_SECOND);
}
