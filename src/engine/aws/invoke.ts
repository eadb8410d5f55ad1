/**
 * What a direct caller of the Invoke API gets back (docs/aws-rules.md §1), and how anything a handler
 * throws becomes Lambda's error JSON.
 */
import { types as utilTypes } from 'node:util';
import { payloadToString, payloadToStringStrict, utf8Length } from './format.js';
import type { StreamedResponse } from '../../lang/response-stream.js';

/**
 * The error JSON the Node.js runtime reports for a failed invocation. The Node runtime names the stack
 * `trace` (aws-lambda-nodejs-runtime-interface-client, `Errors.js` `toRapidResponse`); Python's runtime
 * says `stackTrace`, which is why docs/aws-rules.md §2's example (a Python snapshot) shows that key.
 */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The `Reason` values of a 429 TooManyRequestsException (docs/aws-rules.md §1). */
export const THROTTLE_REASONS = [
  'ConcurrentInvocationLimitExceeded',
  'ReservedFunctionConcurrentInvocationLimitExceeded',
  'FunctionInvocationRateLimitExceeded',
  'ReservedFunctionInvocationRateLimitExceeded',
  'CallerRateLimitExceeded',
  'ConcurrentSnapshotCreateLimitExceeded',
] as const;
export type ThrottleReason = (typeof THROTTLE_REASONS)[number];

/**
 * How one invocation attempt ended, as the engine decides it. `error` carries the payload built by
 * {@link errorPayloadFromThrown}; `timeout` the function's configured timeout.
 */
export type InvocationOutcome =
  | { kind: 'success'; payload: unknown; stream?: StreamedResponse }
  | { kind: 'error'; error: LambdaErrorPayload }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'throttle'; reason: ThrottleReason; retryAfterSeconds?: number }
  /** Lambda itself failed the request before the function ran: 500 ServiceException. */
  | { kind: 'serviceError' };

/** The message of Lambda's 500 ServiceException (API_Invoke.html, Errors); the body's exact wording is UNVERIFIED. */
export const SERVICE_EXCEPTION_MESSAGE = 'The AWS Lambda service encountered an internal error.';
/** The Cause a Step Functions task failed by that 500 carries (wording UNVERIFIED). */
export const SERVICE_EXCEPTION_CAUSE = `${SERVICE_EXCEPTION_MESSAGE} (Service: Lambda, Status Code: 500)`;

/**
 * What a caller makes of an invocation Lambda refused before running it: a throttle with its Reason, or
 * the 500 of a service failure.
 *
 * @example rejectedOutcome('ServiceException') // { kind: 'serviceError' }
 */
export function rejectedOutcome(reason: ThrottleReason | 'ServiceException'): InvocationOutcome {
  return reason === 'ServiceException' ? { kind: 'serviceError' } : { kind: 'throttle', reason };
}

/** Largest synchronous response payload, in bytes; the limit error quotes this exact number. */
export const SYNC_RESPONSE_LIMIT_BYTES = 6_291_556;

/**
 * Largest request payloads (API_Invoke.html: "For synchronous invocations, the maximum payload size is
 * 6 MB. For asynchronous invocations, the maximum payload size is 1 MB."), docs/fidelity.md.
 */
export const SYNC_REQUEST_LIMIT_BYTES = 6 * 1024 * 1024;
export const ASYNC_REQUEST_LIMIT_BYTES = 1024 * 1024;

/**
 * The Invoke API's refusal of a request payload over its limit: HTTP 413 `RequestTooLargeException`
 * (API_Invoke.html, Errors). The message follows the one Lambda gives for the synchronous limit; its
 * exact wording for the asynchronous one is not verified.
 *
 * @example
 * requestTooLargeResponse(SYNC_REQUEST_LIMIT_BYTES).statusCode; // 413
 */
export function requestTooLargeResponse(limitBytes: number): SyncInvokeResponse {
  const payload = { Type: 'User', message: `Request must be smaller than ${limitBytes} bytes for the InvokeFunction operation` };
  return { statusCode: 413, errorType: 'RequestTooLargeException', body: JSON.stringify(payload), payload };
}

/** True if a request payload is over `limitBytes` once serialised as the Invoke API sends it. */
export function requestTooLarge(payload: unknown, limitBytes: number): boolean {
  // A string of n UTF-16 units is at most 3n UTF-8 bytes: most bodies are decided without encoding.
  if (typeof payload === 'string' && payload.length * 3 + 2 <= limitBytes) return false;
  return utf8Length(payloadToString(payload)) > limitBytes;
}

/**
 * Lambda's JSON for anything a handler throws or rejects with, following the Node.js runtime: an Error
 * (or an Error-like object with string name, message and stack) gives its name, message and stack lines;
 * any other value gives `typeof value` as the type, `String(value)` as the message and an empty trace
 * (`throw 'boom'` → `{errorType: 'string', errorMessage: 'boom', trace: []}`); a value that cannot even
 * be turned into a string gives the runtime's `handled` fallback. Never throws.
 *
 * @example
 * errorPayloadFromThrown(new TypeError('bad')).errorType; // 'TypeError'
 * errorPayloadFromThrown(undefined); // { errorType: 'undefined', errorMessage: 'undefined', trace: [] }
 */
export function errorPayloadFromThrown(value: unknown): LambdaErrorPayload {
  try {
    if (utilTypes.isNativeError(value) || isErrorLike(value)) {
      const err = value as Error;
      const name = typeof err.name === 'string' && err.name !== '' ? err.name : 'Error';
      const message = typeof err.message === 'string' ? err.message : '';
      const out: LambdaErrorPayload = { errorType: name, errorMessage: message };
      if (typeof err.stack === 'string') out.trace = userStack(err.stack);
      return out;
    }
    return { errorType: typeof value, errorMessage: String(value), trace: [] };
  } catch {
    // e.g. an object whose toString throws, or Object.create(null): the runtime's own fallback text.
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** lambda-tui's own folder (the parent of src/ and dist/), as stack frames name it. */
const OWN_ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * The lines of a stack trace that a handler's author can act on: the message lines and the frames in
 * their own code, without lambda-tui's engine (src/ or dist/), node_modules (immer, jiti), Node's
 * own modules (node:internal/..., node:async_hooks) or the builtins that called the handler. When no frame is the user's, the message lines alone.
 *
 * @example userStack('Error: bad\n    at handler (/home/me/orders.ts:4:11)\n    at step (/x/node_modules/lambda-tui/dist/engine/simulation.js:9:1)') // ['Error: bad', '    at handler (/home/me/orders.ts:4:11)']
 */
export function userStack(stack: string): string[] {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  if (firstFrame < 0) return lines;
  const internal = (frame: string) =>
    /\(?node:[a-z_/]+:\d+:\d+\)?$|[\\/]node_modules[\\/]|\(native\)|^\s+at new Promise \(<anonymous>\)$/.test(frame) ||
    frame.includes(`${OWN_ROOT}src/`) ||
    frame.includes(`${OWN_ROOT}dist/`);
  const frames = lines.slice(firstFrame);
  // Frames are innermost first: the first of lambda-tui's own is where it called the handler, and what
  // follows is the caller chain (the engine, and whatever ran the engine: a test, a script), not the
  // user's code. A run called from two places must not give two traces.
  // The boundary is the first of lambda-tui's frames below the user's first frame: an error thrown inside
  // a lambda-tui shim the handler called (the seeded crypto, say) has lambda-tui frames above the user's.
  const isOwn = (f: string) => f.includes(`${OWN_ROOT}src/`) || f.includes(`${OWN_ROOT}dist/`);
  const firstUser = frames.findIndex((f) => !internal(f));
  const own = firstUser < 0 ? -1 : frames.findIndex((f, i) => i > firstUser && isOwn(f));
  const kept = (own < 0 ? frames : frames.slice(0, own)).filter((f) => !internal(f));
  // A builtin frame ('at Array.forEach (<anonymous>)') past the user's last frame is the sandbox calling
  // the handler, not the user's code; between two of the user's frames it stays.
  let end = kept.length;
  while (end > 0 && /\(<anonymous>\)$/.test(kept[end - 1])) end--;
  return [...lines.slice(0, firstFrame), ...kept.slice(0, end)];
}

function isErrorLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' && v.name !== '' &&
    typeof v.message === 'string' && v.message !== '' &&
    typeof v.stack === 'string' && v.stack !== ''
  );
}

/**
 * The error body of a timed-out invocation: `Sandbox.Timedout` with the request id and the timeout in
 * seconds to two decimals (docs/aws-rules.md §1).
 *
 * @example
 * timeoutErrorPayload('r-1', 1000);
 * // { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r-1 Error: Task timed out after 1.00 seconds' }
 */
export function timeoutErrorPayload(requestId: string, timeoutMs: number): LambdaErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

/** The error JSON of a function error or timeout, or undefined for other outcomes. */
export function functionErrorPayload(outcome: InvocationOutcome, requestId: string): LambdaErrorPayload | undefined {
  if (outcome.kind === 'error') return outcome.error;
  if (outcome.kind === 'timeout') return timeoutErrorPayload(requestId, outcome.timeoutMs);
  return undefined;
}

/**
 * The serialised response of a successful handler, or the function error Lambda reports instead: a
 * value JSON cannot serialise fails as the Node runtime fails it ("Unable to stringify response body"),
 * and a response over 6,291,556 bytes is `Function.ResponseSizeTooLarge` (docs/aws-rules.md §1).
 *
 * @example
 * serializeResponse({ ok: true }); // { ok: true, body: '{"ok":true}' }
 */
export function serializeResponse(
  payload: unknown,
  limitBytes: number = SYNC_RESPONSE_LIMIT_BYTES,
): { ok: true; body: string } | { ok: false; error: LambdaErrorPayload } {
  let body: string;
  try {
    body = payloadToStringStrict(payload);
  } catch {
    return { ok: false, error: { errorType: 'Error', errorMessage: 'Unable to stringify response body', trace: [] } };
  }
  if (utf8Length(body) > limitBytes) return { ok: false, error: responseTooLargeError(limitBytes) };
  return { ok: true, body };
}

/** The function error of a response over `limitBytes` (a buffered one over 6 MB, a streamed one over 200 MB). */
export function responseTooLargeError(limitBytes: number): LambdaErrorPayload {
  return { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${limitBytes} bytes).` };
}

/** What the caller of a synchronous Invoke receives. */
export interface SyncInvokeResponse {
  /** HTTP status of the Invoke API call: 200 even for function errors; 429 for throttles. */
  statusCode: number;
  /** `X-Amz-Function-Error`: always `Unhandled` for errors and timeouts (docs/aws-rules.md §1). */
  functionError?: 'Unhandled';
  /** `X-Amz-Executed-Version`, on 200 responses. */
  executedVersion?: string;
  /** `x-amzn-ErrorType` of an API error (e.g. `TooManyRequestsException`). */
  errorType?: string;
  /** `Retry-After` hint of a throttle, when Lambda gives one. */
  retryAfterSeconds?: number;
  /** The response body as sent (JSON text). */
  body: string;
  /** The body parsed: the handler's value, the error JSON, or the API error object. */
  payload: unknown;
}

/**
 * The response of a synchronous (`RequestResponse`) Invoke for an outcome: success → 200 with the
 * payload; function error or timeout → still 200, `FunctionError: Unhandled`, error JSON as the body;
 * throttle → 429 `TooManyRequestsException`, body `{Reason, Type: 'User', message: 'Rate Exceeded.'}`.
 *
 * @example
 * invokeResponse({ kind: 'throttle', reason: 'ConcurrentInvocationLimitExceeded' }, { requestId: 'r-1' }).statusCode; // 429
 */
export function invokeResponse(
  outcome: InvocationOutcome,
  options: { requestId: string; executedVersion?: string },
): SyncInvokeResponse {
  const executedVersion = options.executedVersion ?? '$LATEST';
  if (outcome.kind === 'serviceError') {
    // The Invoke API's 500 (API_Invoke.html, Errors: "ServiceException: The AWS Lambda service encountered an
    // internal error", HTTP Status Code: 500); the body's message is lambda-tui's (UNVERIFIED).
    const payload = { Type: 'Service', message: SERVICE_EXCEPTION_MESSAGE };
    return { statusCode: 500, errorType: 'ServiceException', body: JSON.stringify(payload), payload };
  }
  if (outcome.kind === 'throttle') {
    const payload = { Reason: outcome.reason, Type: 'User', message: 'Rate Exceeded.' };
    const response: SyncInvokeResponse = {
      statusCode: 429,
      errorType: 'TooManyRequestsException',
      body: JSON.stringify(payload),
      payload,
    };
    if (outcome.retryAfterSeconds !== undefined) response.retryAfterSeconds = outcome.retryAfterSeconds;
    return response;
  }
  if (outcome.kind === 'success') {
    // The default handler's answer, null, is the common case: its JSON is 'null' (as serialized below).
    if (outcome.payload === null) return { statusCode: 200, executedVersion, body: 'null', payload: null };
    const serialized = serializeResponse(outcome.payload);
    if (serialized.ok) {
      return { statusCode: 200, executedVersion, body: serialized.body, payload: JSON.parse(serialized.body) };
    }
    return functionErrorResponse(serialized.error, executedVersion);
  }
  return functionErrorResponse(functionErrorPayload(outcome, options.requestId)!, executedVersion);
}

function functionErrorResponse(error: LambdaErrorPayload, executedVersion: string): SyncInvokeResponse {
  return { statusCode: 200, functionError: 'Unhandled', executedVersion, body: JSON.stringify(error), payload: error };
}

/**
 * The response of an asynchronous (`Event`) Invoke: 202 with an empty body, whatever happens later
 * (docs/aws-rules.md §1).
 *
 * @example
 * asyncInvokeAccepted().statusCode; // 202
 */
export function asyncInvokeAccepted(): SyncInvokeResponse {
  return { statusCode: 202, body: '', payload: null };
}
