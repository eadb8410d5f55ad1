import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SYNC_RESPONSE_LIMIT_BYTES,
  THROTTLE_REASONS,
  asyncInvokeAccepted,
  errorPayloadFromThrown,
  invokeResponse,
  timeoutErrorPayload,
} from '../../../src/engine/aws/index.js';

describe('A synchronous Invoke answers 200 even when the function fails (docs/aws-rules.md §1)', () => {
  it('returns the handler value with 200 and the executed version', () => {
    const res = invokeResponse({ kind: 'success', payload: { ok: true } }, { requestId: 'r-1' });
    expect(res).toEqual({ statusCode: 200, executedVersion: '$LATEST', body: '{"ok":true}', payload: { ok: true } });
  });

  it('serialises a handler that returns nothing as null', () => {
    expect(invokeResponse({ kind: 'success', payload: undefined }, { requestId: 'r' }).body).toBe('null');
  });

  it('reports a thrown error as 200 with FunctionError Unhandled and the error JSON', () => {
    const error = errorPayloadFromThrown(new Error('boom'));
    const res = invokeResponse({ kind: 'error', error }, { requestId: 'r-1' });
    expect(res.statusCode).toBe(200);
    expect(res.functionError).toBe('Unhandled');
    expect(res.payload).toEqual(error);
  });

  it('reports a timeout as Sandbox.Timedout with the seconds to two decimals', () => {
    const res = invokeResponse({ kind: 'timeout', timeoutMs: 1000 }, { requestId: 'abc' });
    expect(res.statusCode).toBe(200);
    expect(res.functionError).toBe('Unhandled');
    expect(res.body).toBe(
      '{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: abc Error: Task timed out after 1.00 seconds"}',
    );
    expect(timeoutErrorPayload('x', 2500).errorMessage).toBe('RequestId: x Error: Task timed out after 2.50 seconds');
  });

  it('turns a response over 6,291,556 bytes into Function.ResponseSizeTooLarge', () => {
    const res = invokeResponse({ kind: 'success', payload: 'x'.repeat(SYNC_RESPONSE_LIMIT_BYTES) }, { requestId: 'r' });
    expect(res.functionError).toBe('Unhandled');
    expect(res.payload).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge' });
    expect((res.payload as { errorMessage: string }).errorMessage).toContain('6291556 bytes');
  });

  it('turns a value JSON cannot serialise into a function error instead of crashing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const res = invokeResponse({ kind: 'success', payload: cyclic }, { requestId: 'r' });
    expect(res.functionError).toBe('Unhandled');
  });
});

describe('Over the concurrency limit the caller gets 429 TooManyRequestsException', () => {
  it('says Rate Exceeded. with the Reason', () => {
    for (const reason of THROTTLE_REASONS) {
      const res = invokeResponse({ kind: 'throttle', reason }, { requestId: 'r' });
      expect(res.statusCode).toBe(429);
      expect(res.errorType).toBe('TooManyRequestsException');
      expect(res.payload).toEqual({ Reason: reason, Type: 'User', message: 'Rate Exceeded.' });
      expect(res.functionError).toBeUndefined();
      expect(res.executedVersion).toBeUndefined();
    }
  });

  it('passes a retry-after hint on when there is one', () => {
    const res = invokeResponse({ kind: 'throttle', reason: 'CallerRateLimitExceeded', retryAfterSeconds: 2 }, { requestId: 'r' });
    expect(res.retryAfterSeconds).toBe(2);
  });

  it('accepts an asynchronous invoke with 202 whatever happens later', () => {
    expect(asyncInvokeAccepted().statusCode).toBe(202);
  });
});

describe('errorPayloadFromThrown turns anything a handler throws into Lambda error JSON', () => {
  it('uses an Error subclass name, its message and its stack lines', () => {
    const err = new TypeError('bad input');
    const p = errorPayloadFromThrown(err);
    expect(p.errorType).toBe('TypeError');
    expect(p.errorMessage).toBe('bad input');
    expect(p.trace?.[0]).toBe('TypeError: bad input');
  });

  it('uses a custom error name', () => {
    class OrderError extends Error {
      override name = 'OrderError';
    }
    expect(errorPayloadFromThrown(new OrderError('x')).errorType).toBe('OrderError');
  });

  it('reports a thrown string, number or undefined by its typeof, with an empty trace', () => {
    expect(errorPayloadFromThrown('boom')).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] });
    expect(errorPayloadFromThrown(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    expect(errorPayloadFromThrown(undefined)).toEqual({ errorType: 'undefined', errorMessage: 'undefined', trace: [] });
    expect(errorPayloadFromThrown(null)).toEqual({ errorType: 'object', errorMessage: 'null', trace: [] });
  });

  it('reports a plain object as [object Object], and an Error-like object as an error', () => {
    expect(errorPayloadFromThrown({ code: 1 })).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
    expect(errorPayloadFromThrown({ name: 'Custom', message: 'm', stack: 'Custom: m\n  at x' })).toEqual({
      errorType: 'Custom',
      errorMessage: 'm',
      trace: ['Custom: m', '  at x'],
    });
  });

  it('falls back to the runtime message for a value that cannot become a string', () => {
    const p = errorPayloadFromThrown(Object.create(null));
    expect(p.errorType).toBe('handled');
    const hostile = { toString() { throw new Error('no'); } };
    expect(errorPayloadFromThrown(hostile).errorType).toBe('handled');
  });

  it('never throws and always gives string type and message (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }), (value) => {
        const p = errorPayloadFromThrown(value);
        return typeof p.errorType === 'string' && typeof p.errorMessage === 'string' && JSON.stringify(p) !== undefined;
      }),
    );
  });
});
