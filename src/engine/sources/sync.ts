/**
 * Synchronous callers (docs/aws-rules.md §1): the CLI/SDK, an Application Load Balancer and API
 * Gateway. The caller waits; Lambda never retries. A function error is still HTTP 200 with FunctionError
 * 'Unhandled' for a direct caller and a 502 at a load balancer or gateway; over the concurrency limit the
 * caller gets 429 with a Reason. API Gateway stops waiting at its integration timeout (504) while the
 * function runs on.
 */
import { initPlan } from '../lambda/init.js';
import type { HttpRequestSpec } from '../../scenario/types.js';
import { hasRealCode, type Model, type TrafficModel } from '../../scenario/model.js';
import type { RecordStore } from '../records.js';
import { findRecent, type Kept, keepRecent } from '../recent.js';
import { parseDuration } from '../../lang/duration.js';
import { ALB_LIMIT_BYTES, albRequestTooLarge, rejectedOutcome, requestTooLarge, requestTooLargeResponse, SYNC_REQUEST_LIMIT_BYTES } from '../aws/index.js';
import { s3BatchResult, type S3BatchResultCode } from '../aws/callers.js';
import { callerRequestEvent, callerResponse, gatewayApi, type SyncVia, urlStreamAnswer } from './caller.js';
import { type EngineContext, type EngineModule, type IncomingRecord, type InvocationResult, type InvokeRequest, timersOf } from '../module.js';
import { hasVersions, versionConfig } from '../lambda/versions.js';
import { streamedPayload } from '../../lang/response-stream.js';

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
  /** The traffic entry it came from and its position in it (body's i). */
  spec?: TrafficModel;
  i: number;
  /** The caller's attempt (Cognito and S3 Batch call again; others call once). */
  attempt: number;
  /** Whether the record has been moved to inFlight (once, on its first started attempt). */
  started: boolean;
  /** Its attempts still running (a caller that called again may have two). */
  running: number;
  /** Neighbours among the requests with an attempt running. */
  prev?: Request;
  next?: Request;
}

/**
 * Cognito waits 5 s for a trigger and calls it again, 3 attempts in all; the 5 s cannot be changed
 * (docs/callers.md, "Cognito"). A throttled call is tried again the same way.
 */
export const COGNITO_WAIT_MS = 5_000;
export const COGNITO_ATTEMPTS = 3;
/**
 * S3 Batch Operations retries a task that answers TemporaryFailure (or is throttled). AWS documents no
 * count or delay: lambda-tui retries 2 more times, 1 s apart (UNVERIFIED; docs/callers.md, "S3 Batch").
 */
export const S3_BATCH_ATTEMPTS = 3;
export const S3_BATCH_RETRY_DELAY_MS = 1_000;
/** Callers that retry: the delay before the next attempt after a throttle (not documented; the next millisecond). */
const THROTTLE_RETRY_MS = 1;

interface BatchJob {
  jobId: string;
  fn: string;
  tasks: number;
  done: number;
  succeeded: number;
  failed: Array<{ key: string; resultCode: S3BatchResultCode; resultString: string }>;
}

/** API Gateway's integration timeout: 29 s for REST APIs, 30 s for HTTP APIs, unless the scenario sets it (docs/aws-rules.md §1). */
function integrationTimeoutMs(http: HttpRequestSpec | undefined): number {
  const explicit = http?.integrationTimeout !== undefined ? parseDuration(http.integrationTimeout) : undefined;
  if (explicit !== undefined) return explicit;
  return gatewayApi(http) === 'rest' ? 29_000 : 30_000;
}

/** An attempt a caller waits for: the request and the request id of that attempt. */
interface Attempt {
  req: Request;
  requestId: string;
}

/**
 * The sync module's timers: a caller's next attempt (Cognito, S3 Batch), Cognito's wait for an attempt,
 * API Gateway's integration timeout.
 */
interface SyncTimers {
  'caller-retry': Request;
  'caller-timeout': Attempt;
  'integration-timeout': Attempt;
}

/** What a checkpoint of the sync module carries. */
interface SyncSaved {
  waiting: Request[];
  first: Request | undefined;
  jobs: Map<number, BatchJob>;
  recent: Array<Kept<{ req: Request; epochMs: number; hint: string }>>;
}

const schedule = timersOf<SyncTimers>(SYNC);

export function createSyncModule(): EngineModule<SyncTimers, Request, unknown, SyncSaved> {
  let waiting: Request[] = [];
  const sourceNames = new Map<string, Map<string, string>>();
  /**
   * Requests with an attempt running, linked through Request.prev/next (the inspector looks an event up by
   * request id among them): no string-keyed map insert and delete per invocation.
   */
  let first: Request | undefined;
  const link = (req: Request) => {
    req.next = first;
    if (first) first.prev = req;
    first = req;
  };
  const unlink = (req: Request) => {
    if (req.prev) req.prev.next = req.next;
    else first = req.next;
    if (req.next) req.next.prev = req.prev;
    req.prev = req.next = undefined;
  };
  let jobs = new Map<number, BatchJob>();
  /** The last invocations, with what rebuilds their event, while a dashboard reads the views (recent.ts). */
  let recent: Array<Kept<{ req: Request; epochMs: number; hint: string }>> = [];

  const callerContext = (ctx: { model: Model }, req: Request) => ({
    ...(req.spec ? { spec: req.spec } : {}),
    i: req.i,
    ...(req.qualifier ? { qualifier: req.qualifier } : {}),
    realCode: hasRealCode(ctx.model.functions[req.fn]),
  });
  /** The event a request's invocation receives, as its caller builds it at `epochMs` (the invoke's time). */
  const requestEvent = (ctx: { model: Model; records: RecordStore }, req: Request, epochMs: number, requestId: string) =>
    callerRequestEvent(
      req.via,
      { body: ctx.records.body(req.id), http: req.http, epochMs, requestId, account: { region: ctx.model.region, accountId: ctx.model.accountId }, fn: req.fn },
      context(ctx, req),
    );
  // The direct, ALB and API Gateway callers need no caller context: building it for each of their requests
  // (the hot path of a synchronous load, bench/cases/sync.js) is skipped.
  const context = (ctx: { model: Model }, req: Request) =>
    req.via === 'cli' || req.via === 'alb' || req.via === 'apigateway' ? undefined : callerContext(ctx, req);

  /** Another attempt of a caller that retries (Cognito, S3 Batch), traced as `caller.retry`. */
  const retry = (ctx: EngineContext, req: Request, reason: string, delayMs: number) => {
    req.attempt++;
    req.requestId = undefined;
    const at = ctx.now + delayMs;
    ctx.emit({ t: ctx.now, type: 'caller.retry', fn: req.fn, via: req.via, attempt: req.attempt, reason, at });
    schedule(ctx, at, 'caller-retry', req);
  };

  /** S3 Batch: one task's result, counted into its job; the job's report when its last task is done. */
  const finishTask = (ctx: EngineContext, req: Request, resultCode: S3BatchResultCode, resultString: string) => {
    const index = req.spec?.index ?? -1;
    let job = jobs.get(index);
    if (!job) {
      job = { jobId: String((req.event as { job?: { id?: string } } | undefined)?.job?.id ?? `job-${index}`), fn: req.fn, tasks: req.spec?.count ?? 0, done: 0, succeeded: 0, failed: [] };
      jobs.set(index, job);
    }
    const key = String((req.event as { tasks?: Array<{ s3Key?: string }> } | undefined)?.tasks?.[0]?.s3Key ?? req.i);
    job.done++;
    if (resultCode === 'Succeeded') job.succeeded++;
    else job.failed.push({ key, resultCode, resultString });
    ctx.emit({ t: ctx.now, type: 's3batch.task', fn: req.fn, job: job.jobId, key, resultCode, attempt: req.attempt, resultString });
    const ok = resultCode === 'Succeeded';
    answer(ctx, req, { statusCode: ok ? 200 : 500, body: { resultCode, resultString } }, ok ? undefined : resultCode);
    if (job.tasks > 0 && job.done === job.tasks) {
      // The completion report lists failed tasks (ReportScope FailedTasksOnly is the common choice).
      ctx.emit({ t: ctx.now, type: 's3batch.report', fn: req.fn, job: job.jobId, tasks: job.tasks, succeeded: job.succeeded, failed: job.failed.length, failedTasks: job.failed.slice(0, 100) });
    }
  };

  const answer = (ctx: EngineContext, req: Request, response: ReturnType<typeof callerResponse>, reason?: string, firstByteMs?: number) => {
    req.answered = true;
    // Nobody but a trace listener reads sync.response (no module observes it): not built otherwise.
    if (!ctx.tracing) ctx.skip();
    else ctx.emit({
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
      ...(response.isBase64Encoded ? { isBase64Encoded: true } : {}),
      ...(firstByteMs !== undefined ? { firstByteMs } : {}),
    });
    // What the caller got decides the record's fate: a 5xx or a throttle is a failed request.
    const ok = response.statusCode < 400 && !response.functionError && !(reason !== undefined && req.via === 's3-batch');
    ctx.settle(req.id, ok ? 'succeeded' : 'failed', ok ? undefined : 'caller');
  };

  return {
    name: SYNC,
    save: () => ({ waiting, first, jobs, recent }),
    restore(saved) {
      ({ waiting, first, jobs, recent } = saved);
    },
    accepts: [],
    put(ctx, fn, record: IncomingRecord) {
      const via = (record.attributes?.via ?? 'cli') as SyncVia;
      // One source name per caller and function, not one new string per request.
      let byFn = sourceNames.get(via);
      if (!byFn) sourceNames.set(via, (byFn = new Map()));
      let source = byFn.get(fn);
      if (source === undefined) byFn.set(fn, (source = `${via}:${fn}`));
      // The record's id is `${source}#${i}`, formatted by the store when someone reads it.
      const id = ctx.admit(source, record, null);
      if (ctx.tracing) ctx.emit({ t: ctx.now, type: 'record.put', source, id: ctx.records.itemId(id) });
      else ctx.skip();
      const qualifier = record.attributes?.qualifier;
      const customBody = record.attributes?.customBody === true;
      const spec = record.trafficIndex >= 0 ? ctx.model.traffic[record.trafficIndex] : undefined;
      // One literal with every field (the optional ones undefined), not spread: this runs once per request
      // (bench/cases/sync.js), and fields added later would cost each request a second allocation.
      const req: Request = {
        id,
        fn,
        qualifier: qualifier ? qualifier : undefined,
        via,
        source,
        http: record.attributes?.http,
        customBody,
        requestId: undefined,
        answered: false,
        event: undefined,
        spec,
        i: record.i,
        attempt: 1,
        started: false,
        running: 0,
        prev: undefined,
        next: undefined,
      };
      waiting.push(req);
      ctx.wake(SYNC);
    },
    dispatch(ctx) {
      const batch = waiting;
      waiting = [];
      for (const req of batch) {
        if (req.answered) continue;
        // Request payload limits (docs/fidelity.md): the Invoke API refuses a synchronous payload over
        // 6 MB with 413 RequestTooLargeException; an ALB refuses a body over 1 MB with 413 itself.
        if (req.customBody && req.via === 'cli' && requestTooLarge(ctx.records.body(req.id), SYNC_REQUEST_LIMIT_BYTES)) {
          const r = requestTooLargeResponse(SYNC_REQUEST_LIMIT_BYTES);
          answer(ctx, req, { statusCode: r.statusCode, body: r.payload }, r.errorType);
          continue;
        }
        if (req.customBody && req.via === 'alb' && ctx.records.body(req.id) !== undefined && ctx.records.body(req.id) !== null && requestTooLarge(ctx.records.body(req.id), ALB_LIMIT_BYTES)) {
          const r = albRequestTooLarge();
          answer(ctx, req, { statusCode: r.statusCode, headers: r.headers, body: r.body }, 'RequestTooLarge');
          continue;
        }
        // The gateway's own request id (docs/fidelity.md): a UUID for a REST API, a short id for an HTTP
        // API; an ALB's trace id derives from it. A direct (cli) caller has none, so it draws nothing.
        const requestIdHint =
          req.via === 'cli' ? '' : req.via === 'apigateway' && gatewayApi(req.http) === 'rest' ? ctx.ids.requestId() : ctx.ids.short('apigw');
        const request: InvokeRequest = {
          fn: req.fn,
          qualifier: req.qualifier,
          trigger: 'sync',
          owner: SYNC,
          ref: req,
          event: () => (req.event ??= requestEvent(ctx, req, ctx.epochMs(ctx.now), requestIdHint)),
          records: [req.id],
          attempt: req.attempt,
          via: req.via,
          source: req.source,
        };
        // Assigned, not spread (a spread is the slow path of an object literal, once per request).
        if (streamsAnswer(req)) request.streaming = true;
        if (req.via === 'cloudfront') request.edgeRegion = req.spec?.cloudfront?.region ?? ctx.model.region;
        const attempt = ctx.invoke(request);
        if (!attempt.ok) {
          // Cognito and S3 Batch call a throttled function again; the others pass the throttle on.
          if (req.via === 'cognito' && req.attempt < COGNITO_ATTEMPTS) retry(ctx, req, 'TooManyRequestsException', THROTTLE_RETRY_MS);
          else if (req.via === 's3-batch' && req.attempt < S3_BATCH_ATTEMPTS) retry(ctx, req, 'TooManyRequestsException', S3_BATCH_RETRY_DELAY_MS);
          else if (req.via === 's3-batch') finishTask(ctx, req, 'PermanentFailure', attempt.reason === 'ServiceException' ? 'Lambda service error: ServiceException' : `Lambda throttled: ${attempt.reason}`);
          else answer(ctx, req, callerResponse(req.via, rejectedOutcome(attempt.reason), req.http, '', undefined, context(ctx, req)), attempt.reason);
          continue;
        }
        req.requestId = attempt.requestId;
        if (ctx.views) keepRecent(recent, attempt.requestId, { req, epochMs: ctx.epochMs(ctx.now), hint: requestIdHint });
        if (req.running++ === 0) link(req);
        if (!req.started) ctx.settle(req.id, 'inFlight');
        req.started = true;
        if (req.via === 'cognito') {
          const fn = versionConfig(ctx.model.functions[req.fn], attempt.version);
          if (fn.timeoutMs + (attempt.cold ? fn.coldStartMs : 0) > COGNITO_WAIT_MS) {
            schedule(ctx, ctx.now + COGNITO_WAIT_MS, 'caller-timeout', { req, requestId: attempt.requestId });
          }
        }
        if (req.via === 'apigateway') {
          const fn = versionConfig(ctx.model.functions[req.fn], attempt.version);
          const limitMs = integrationTimeoutMs(req.http);
          if (fn.timeoutMs + (attempt.cold ? initPlan(fn.coldStartMs).beforeInvokeMs : 0) > limitMs) {
            schedule(ctx, ctx.now + limitMs, 'integration-timeout', { req, requestId: attempt.requestId });
          }
        }
      }
      return false;
    },
    onTimer(ctx, timer) {
      if (timer.kind === 'caller-retry') {
        const req = timer.data;
        if (req.answered) return;
        waiting.push(req);
        ctx.wake(SYNC);
        return;
      }
      if (timer.kind === 'caller-timeout') {
        // Cognito stopped waiting for this attempt: it calls again, or gives up after its last attempt.
        const { req, requestId } = timer.data;
        if (req.answered || req.requestId !== requestId) return;
        if (req.attempt < COGNITO_ATTEMPTS) retry(ctx, req, 'TimeoutException', 0);
        else answer(ctx, req, { statusCode: 400, body: cognitoGaveUp(req) }, 'TimeoutException');
        return;
      }
      if (timer.kind !== 'integration-timeout') return;
      // The attempt the gateway waits for is still the request's current one and has not been answered.
      const { req, requestId } = timer.data;
      if (req.answered || req.requestId !== requestId) return;
      answer(ctx, req, callerResponse(req.via, { kind: 'integrationTimeout' }, req.http), 'IntegrationTimeout');
    },
    onComplete(ctx, req, result: InvocationResult) {
      if (--req.running === 0) unlink(req);
      if (req.answered) return;
      // An attempt the caller stopped waiting for (Cognito called again): its answer reaches nobody.
      if (req.requestId !== result.requestId) return;
      if (!ctx.tracing && req.via === 'cli' && result.outcome === 'success' && result.response === null && !result.stream) {
        // The default handler's null to a direct caller is a 200 without a function error (invokeResponse);
        // with no trace listener to read the sync.response it would carry, only the record's fate is left.
        req.answered = true;
        ctx.skip();
        ctx.settle(req.id, 'succeeded');
        return;
      }
      if (req.via === 's3-batch') {
        const taskId = String((req.event as { tasks?: Array<{ taskId?: string }> } | undefined)?.tasks?.[0]?.taskId ?? '');
        const r =
          result.outcome === 'success'
            ? s3BatchResult(taskId, result.response)
            : { resultCode: 'PermanentFailure' as const, resultString: `Lambda returned function error: ${result.error?.errorType ?? 'Unhandled'}` };
        if (r.resultCode === 'TemporaryFailure' && req.attempt < S3_BATCH_ATTEMPTS) retry(ctx, req, 'TemporaryFailure', S3_BATCH_RETRY_DELAY_MS);
        else finishTask(ctx, req, r.resultCode === 'TemporaryFailure' ? 'PermanentFailure' : r.resultCode, r.resultString);
        return;
      }
      const outcome =
        result.outcome === 'timeout'
          ? ({ kind: 'timeout', timeoutMs: result.timeoutMs } as const)
          : result.outcome === 'error'
            ? ({ kind: 'error', error: result.error! } as const)
            : result.stream
              ? // A streaming handler's bytes: a function URL reads them as HTTP; other callers get them as the payload.
                ({ kind: 'success', payload: streamedPayload(result.stream), stream: result.stream } as const)
              : ({ kind: 'success', payload: result.response } as const);
      // X-Amz-Executed-Version is reported when the function has versions or the caller named a qualifier.
      const fn = ctx.model.functions[req.fn];
      const reportVersion = req.qualifier !== undefined || hasVersions(fn);
      // A function URL streaming its answer: the client has the first byte when the handler wrote it.
      const streaming = streamsAnswer(req);
      const firstWriteMs = streaming ? result.stream?.firstWriteMs : undefined;
      const firstByteMs = firstWriteMs === undefined ? undefined : Math.max(0, firstWriteMs - result.startedAtMs);
      if (streaming && result.outcome === 'error' && result.stream) {
        // The status and the first bytes had left before the handler failed: the client holds a truncated
        // body under the status it was sent; the failure shows only as the function error (docs/callers.md).
        answer(ctx, req, { ...urlStreamAnswer(result.stream), functionError: 'Unhandled' }, result.error?.errorType, firstByteMs);
        return;
      }
      answer(ctx, req, callerResponse(req.via, outcome, req.http, result.requestId, reportVersion ? result.version : undefined, context(ctx, req)), undefined, firstByteMs);
    },
    inspect(ictx, key) {
      for (let req = first; req !== undefined; req = req.next) if (req.requestId === key && req.event !== undefined) return req.event;
      // A kept invocation (a dashboard is reading): its event as built then, or rebuilt from what it was built from.
      const kept = findRecent(recent, key);
      if (kept) return kept.req.event ?? requestEvent(ictx, kept.req, kept.epochMs, kept.hint);
      return undefined;
    },
  };
}

/** Cognito's error once its last attempt went unanswered. */
function cognitoGaveUp(req: Request): { __type: string; message: string } {
  const source = req.spec?.cognito?.triggerSource ?? 'PreSignUp_SignUp';
  const prefix = source.slice(0, source.indexOf('_'));
  const trigger = prefix === 'TokenGeneration' ? 'PreTokenGeneration' : prefix;
  return { __type: 'UnexpectedLambdaException', message: `${trigger} invocation failed due to error TimeoutException.` };
}

/** The caller reads the answer as a stream: a function URL with invokeMode RESPONSE_STREAM (docs/callers.md). */
function streamsAnswer(req: Request): boolean {
  return req.via === 'url' && req.spec?.url?.invokeMode === 'RESPONSE_STREAM';
}
