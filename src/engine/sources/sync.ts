/**
 * Synchronous callers (docs/aws-rules.md §1): the CLI/SDK, an Application Load Balancer and API
 * Gateway. The caller waits; Lambda never retries. A function error is still HTTP 200 with FunctionError
 * 'Unhandled' for a direct caller and a 502 at a load balancer or gateway; over the concurrency limit the
 * caller gets 429 with a Reason. API Gateway stops waiting at its integration timeout (504) while the
 * function runs on.
 */
import type { HttpRequestSpec } from '../../scenario/types.js';
import { parseDuration } from '../../lang/duration.js';
import { ALB_LIMIT_BYTES, albRequestTooLarge, requestTooLarge, requestTooLargeResponse, SYNC_REQUEST_LIMIT_BYTES } from '../aws/index.js';
import { callerRequestEvent, callerResponse, type SyncVia } from './caller.js';
import type { EngineContext, EngineModule, IncomingRecord, InvocationResult } from '../module.js';
import { hasVersions, versionConfig } from '../lambda/versions.js';

export const SYNC = 'sync';

interface Request {
  id: number;
  fn: string;
  /** The qualifier the caller named ('live', '2'), if any. */
  qualifier?: string;
  via: SyncVia;
  source: string;
  http?: HttpRequestSpec;
  /** The traffic entry has its own body function: its size is checked against the request limits. */
  customBody: boolean;
  requestId?: string;
  /** Set once the caller has its answer (API Gateway may answer 504 before the function ends). */
  answered: boolean;
  event?: unknown;
}

/** API Gateway's integration timeout: 29 s for REST and payload 1.0, 30 s for HTTP APIs (docs/aws-rules.md §1). */
function integrationTimeoutMs(http: HttpRequestSpec | undefined): number {
  const explicit = http?.integrationTimeout !== undefined ? parseDuration(http.integrationTimeout) : undefined;
  if (explicit !== undefined) return explicit;
  return (http?.payloadFormatVersion ?? '2.0') === '2.0' ? 30_000 : 29_000;
}

export function createSyncModule(): EngineModule {
  let waiting: Request[] = [];
  const byRequestId = new Map<string, Request>();

  const answer = (ctx: EngineContext, req: Request, response: ReturnType<typeof callerResponse>, reason?: string) => {
    req.answered = true;
    ctx.emit({
      t: ctx.now,
      type: 'sync.response',
      fn: req.fn,
      via: req.via,
      statusCode: response.statusCode,
      ...(req.requestId ? { requestId: req.requestId } : {}),
      ...(response.functionError ? { functionError: response.functionError } : {}),
      ...(response.headers ? { headers: response.headers } : {}),
      body: response.body,
      ...(reason ? { reason } : {}),
    });
    // What the caller got decides the record's fate: a 5xx or a throttle is a failed request.
    const ok = response.statusCode < 400 && !response.functionError;
    ctx.settle(req.id, ok ? 'succeeded' : 'failed', ok ? undefined : 'caller');
  };

  return {
    name: SYNC,
    accepts: [],
    put(ctx, fn, record: IncomingRecord) {
      const via = ((record.attributes?.via as string | undefined) ?? 'cli') as SyncVia;
      const source = `${via}:${fn}`;
      const itemId = `${source}#${record.i}`;
      const id = ctx.admit(source, record, itemId);
      ctx.emit({ t: ctx.now, type: 'record.put', source, id: itemId });
      const qualifier = record.attributes?.qualifier as string | undefined;
      const customBody = record.attributes?.customBody === true;
      waiting.push({ id, fn, ...(qualifier ? { qualifier } : {}), via, source, http: record.attributes?.http as HttpRequestSpec | undefined, customBody, answered: false });
      ctx.wake(SYNC);
    },
    dispatch(ctx) {
      const batch = waiting;
      waiting = [];
      for (const req of batch) {
        const record = ctx.records.get(req.id);
        // Request payload limits (docs/fidelity.md): the Invoke API refuses a synchronous payload over
        // 6 MB with 413 RequestTooLargeException; an ALB refuses a body over 1 MB with 413 itself.
        if (req.customBody && req.via === 'cli' && requestTooLarge(record.body, SYNC_REQUEST_LIMIT_BYTES)) {
          const r = requestTooLargeResponse(SYNC_REQUEST_LIMIT_BYTES);
          answer(ctx, req, { statusCode: r.statusCode, body: r.payload }, r.errorType);
          continue;
        }
        if (req.customBody && req.via === 'alb' && record.body !== undefined && record.body !== null && requestTooLarge(record.body, ALB_LIMIT_BYTES)) {
          const r = albRequestTooLarge();
          answer(ctx, req, { statusCode: r.statusCode, headers: r.headers, body: r.body }, 'RequestTooLarge');
          continue;
        }
        const requestIdHint = ctx.ids.short('apigw');
        const attempt = ctx.invoke({
          fn: req.fn,
          qualifier: req.qualifier,
          trigger: 'sync',
          owner: SYNC,
          ref: req,
          event: () =>
            (req.event ??= callerRequestEvent(req.via, {
              body: record.body,
              http: req.http,
              epochMs: ctx.epochMs(ctx.now),
              requestId: requestIdHint,
              account: { region: ctx.model.region, accountId: ctx.model.accountId },
              fn: req.fn,
            })),
          records: [req.id],
          attempt: 1,
          via: req.via,
          source: req.source,
        });
        if (!attempt.ok) {
          answer(ctx, req, callerResponse(req.via, { kind: 'throttle', reason: attempt.reason }, req.http), attempt.reason);
          continue;
        }
        req.requestId = attempt.requestId;
        byRequestId.set(attempt.requestId, req);
        ctx.settle(req.id, 'inFlight');
        if (req.via === 'apigateway') {
          const fn = versionConfig(ctx.model.functions[req.fn], attempt.version);
          const limitMs = integrationTimeoutMs(req.http);
          if (fn.timeoutMs + (attempt.cold ? fn.coldStartMs : 0) > limitMs) {
            ctx.schedule(ctx.now + limitMs, SYNC, 'integration-timeout', attempt.requestId);
          }
        }
      }
      return false;
    },
    onTimer(ctx, timer) {
      if (timer.kind !== 'integration-timeout') return;
      const req = byRequestId.get(timer.data as string);
      if (!req || req.answered) return;
      answer(ctx, req, callerResponse(req.via, { kind: 'integrationTimeout' }, req.http), 'IntegrationTimeout');
    },
    onComplete(ctx, ref, result: InvocationResult) {
      const req = ref as Request;
      byRequestId.delete(result.requestId);
      if (req.answered) return;
      const outcome =
        result.outcome === 'timeout'
          ? ({ kind: 'timeout', timeoutMs: result.timeoutMs } as const)
          : result.outcome === 'error'
            ? ({ kind: 'error', error: result.error! } as const)
            : ({ kind: 'success', payload: result.response } as const);
      // X-Amz-Executed-Version is reported when the function has versions or the caller named a qualifier.
      const fn = ctx.model.functions[req.fn];
      const reportVersion = req.qualifier !== undefined || hasVersions(fn);
      answer(ctx, req, callerResponse(req.via, outcome, req.http, result.requestId, reportVersion ? result.version : undefined));
    },
    inspect(_ctx, key) {
      for (const req of byRequestId.values()) if (req.requestId === key) return req.event;
      return undefined;
    },
  };
}
