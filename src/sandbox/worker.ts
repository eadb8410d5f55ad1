/**
 * A sandbox worker thread (docs/sandbox.md): holds the execution environments the pool placed on it, one
 * fresh module instance each, and runs batches of invocations in them. Each batch arrives as one message
 * and its outcomes go back as one message. Before it runs user code synchronously (an init, a handler's
 * first turn) the worker writes the call's index into a shared slot, so that the pool can tell which
 * call a worker stuck in a loop is in.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { Callback, Context } from 'aws-lambda';
import { errorPayloadFromThrown, type LambdaErrorPayload } from '../engine/aws/invoke.js';
import { callContext, eventOf, type HandlerCall, type HandlerLogLine, type HandlerOutcome, settleReturned } from '../engine/lambda/handler-port.js';
import { installAwsLambdaGlobal, isStreamingHandler, runStreamingHandler, type StreamedResponse } from '../lang/response-stream.js';
import type { HandlerSource } from '../scenario/model.js';
import { installDeterminism, newScope, type Scope, scopes, tick } from './determinism.js';
import { scenarioImporter } from '../scenario/importer.js';

type HandlerFn = (event: unknown, context: Context, callback: Callback) => unknown;

export interface WorkerData {
  sources: Record<string, HandlerSource>;
  /**
   * Int32Array over a SharedArrayBuffer: [0] the index of the call whose code runs synchronously, or -1;
   * [1] a progress count, one more each time user code gives the thread back or a call settles (the
   * pool's wall-clock guard waits for progress to stop, not for the whole batch to end); [2] a heartbeat,
   * one more every HEARTBEAT_MS while the worker's event loop turns (so the pool can tell a worker that
   * waits on a promise from one held by synchronous code or starved of CPU by a busy machine).
   */
  slot: SharedArrayBuffer;
}

export type ToWorker = { type: 'run'; id: number; calls: HandlerCall[]; discard: string[] } | { type: 'abandon'; id: number };
export type FromWorker = { type: 'ready' } | { type: 'done'; id: number; outcomes: HandlerOutcome[]; lost: string[] };

interface Environment {
  handler: HandlerFn;
  originMs: number;
}

/** An invocation that has not settled yet: where its outcome goes, and its scope. */
interface Live {
  scope: Scope;
  envId: string;
  finish: (outcome: HandlerOutcome) => void;
}

const data = workerData as WorkerData;
const slot = new Int32Array(data.slot);
const envs = new Map<string, Environment>();
/** Environments that died between batches (a late crash): reported to the pool as lost. */
const lostSinceBatch = new Set<string>();
const live = new Set<Live>();
let batch: { id: number; outcomes: Array<HandlerOutcome | undefined>; left: number } | undefined;
const jiti = scenarioImporter();

installDeterminism();

/** How often an idle worker's event loop marks that it turns (slot[2]). */
export const HEARTBEAT_MS = 100;
// The heartbeat never keeps the worker alive by itself.
setInterval(() => Atomics.add(slot, 2, 1), HEARTBEAT_MS).unref();

/** Signals process.exit inside a handler: unwinds its stack once the outcome has been taken. */
class ExitSignal extends Error {}

process.exit = ((code?: number | string | null) => {
  const current = findLive(scopes.getStore());
  if (current) {
    const status = Number(code ?? process.exitCode ?? 0) || 0;
    current.finish({
      kind: 'error',
      error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${current.scope.init ? 'undefined' : requestIdOf(current)} Error: Runtime exited with error: exit status ${status}` },
      logs: current.scope.logs,
      discard: true,
    });
  }
  throw new ExitSignal('process.exit');
}) as typeof process.exit;

process.on('unhandledRejection', (reason) => {
  if (reason instanceof ExitSignal) return;
  crash(scopes.getStore(), {
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: describeReason(reason),
    trace: [`Runtime.UnhandledPromiseRejection: ${describeReason(reason)}`, ...stackLines(reason)],
  });
});
process.on('uncaughtException', (error) => {
  if (error instanceof ExitSignal) return;
  crash(scopes.getStore(), errorPayloadFromThrown(error));
});

const requestIds = new WeakMap<Live, string>();
function requestIdOf(l: Live): string {
  return requestIds.get(l) ?? 'undefined';
}

function findLive(scope: Scope | undefined): Live | undefined {
  if (!scope) return undefined;
  for (const l of live) if (l.scope === scope) return l;
  return undefined;
}

/**
 * The Node.js runtime stops on an unhandled rejection or an uncaught exception: the invocation running
 * fails with it and its environment is discarded. Without a scope to blame (the error escaped every
 * invocation's async context) the most recent live invocation takes it.
 */
function crash(scope: Scope | undefined, error: LambdaErrorPayload): void {
  const victim = findLive(scope) ?? [...live].pop();
  if (victim) {
    victim.finish({ kind: 'error', error, logs: victim.scope.logs, discard: true });
    return;
  }
  // It settled already: the environment it ran in dies now, and its next invocation must be a cold start.
  for (const [envId] of envs) {
    if (scope && envScopes.get(envId)?.has(scope)) {
      envs.delete(envId);
      lostSinceBatch.add(envId);
    }
  }
}

/** The scopes that ran in each environment (weakly), to find the environment of a late crash. */
const envScopes = new Map<string, WeakSet<Scope>>();

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  try {
    return String(reason);
  } catch {
    return 'unknown';
  }
}

function stackLines(reason: unknown): string[] {
  return reason instanceof Error && typeof reason.stack === 'string' ? reason.stack.split('\n').slice(1) : [];
}

function marked<T>(index: number, run: () => T): T {
  Atomics.store(slot, 0, index);
  try {
    return run();
  } finally {
    Atomics.store(slot, 0, -1);
    Atomics.add(slot, 1, 1);
  }
}

/** Loads a fresh instance of a function's code (a new module graph), inside the init scope. */
function loadHandler(source: HandlerSource): HandlerFn | LambdaErrorPayload {
  if (source.kind === 'inline') {
    const mod = jiti(source.scenarioFile) as { default?: unknown };
    let value: unknown = mod.default;
    for (const key of source.path) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'function') return value as HandlerFn;
    return { errorType: 'Runtime.HandlerNotFound', errorMessage: `${source.path.join('.')} is undefined or not a function in ${source.scenarioFile}` };
  }
  const mod = jiti(source.file) as Record<string, unknown>;
  const value = mod[source.exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[source.exportName];
  if (typeof value === 'function') return value as HandlerFn;
  return { errorType: 'Runtime.HandlerNotFound', errorMessage: `${source.setting} is undefined or not exported` };
}

/** What an init that threw reports, in the runtime's terms. */
function initError(thrown: unknown): LambdaErrorPayload {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (/ParseError|SyntaxError/.test(String((thrown as Error)?.name) + message)) {
    return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: message.split('\n')[0] };
  }
  if ((thrown as { code?: unknown })?.code === 'MODULE_NOT_FOUND') {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${message.split('\n')[0]}` };
  }
  return errorPayloadFromThrown(thrown);
}

/** The response as Lambda delivers it: JSON, so what crosses back is a copy of plain data. */
function jsonCopy(value: unknown): { ok: true; value: unknown } | { ok: false; error: LambdaErrorPayload } {
  try {
    const text = JSON.stringify(value);
    return { ok: true, value: text === undefined ? undefined : JSON.parse(text) };
  } catch {
    return { ok: false, error: { errorType: 'Error', errorMessage: 'Unable to stringify response body', trace: [] } };
  }
}

function runCall(call: HandlerCall, index: number, done: (outcome: HandlerOutcome) => void): void {
  const logs: HandlerLogLine[] = [];
  let env = envs.get(call.envId);
  if (!env) {
    const source = data.sources[`${call.fn}@${call.version}`] ?? data.sources[call.fn];
    const init = newScope(call.initSeed, call.initAtMs, call.startAtMs, call.epochMs, call.initAtMs, logs, true);
    const initLive: Live = { scope: init, envId: call.envId, finish: () => {} };
    let loaded: HandlerFn | LambdaErrorPayload | undefined;
    let exited: HandlerOutcome | undefined;
    initLive.finish = (outcome) => {
      exited = outcome;
    };
    live.add(initLive);
    try {
      loaded = marked(index, () => scopes.run(init, () => (source ? loadHandler(source) : undefined)));
    } catch (thrown) {
      if (!exited) loaded = initError(thrown);
    } finally {
      live.delete(initLive);
      init.settled = true;
    }
    if (exited) return done(exited);
    if (typeof loaded !== 'function') {
      return done({ kind: 'error', error: loaded ?? { errorType: 'Runtime.HandlerNotFound', errorMessage: `${call.fn}: no handler source` }, logs, discard: true });
    }
    env = { handler: loaded, originMs: call.initAtMs };
    envs.set(call.envId, env);
    envScopes.set(call.envId, new WeakSet());
  }
  const handler = env.handler;
  // The worker's heap at the start, for the measured (never traced) memory of the invocation.
  const heapAtStart = getHeapStatistics().used_heap_size;
  // The clock may run up to the timeout: a handler that reads it past the modelled end of its run (a
  // loop polling getRemainingTimeInMillis, say) ran that long, and the engine extends the run to it.
  const scope = newScope(call.seed, call.startAtMs, call.startAtMs + call.timeoutMs - 1, call.epochMs, env.originMs, logs, false);
  envScopes.get(call.envId)?.add(scope);
  const entry: Live = {
    scope,
    envId: call.envId,
    finish: (outcome) => {
      if (scope.settled) return;
      scope.settled = true;
      live.delete(entry);
      if (outcome.discard) envs.delete(call.envId);
      if (outcome.kind === 'hung') return done(outcome);
      const heap = getHeapStatistics().used_heap_size;
      done({ ...outcome, clockMs: scope.nowMs, measured: { heapGrowthBytes: Math.max(0, heap - heapAtStart), workerHeapBytes: heap } });
    },
  };
  requestIds.set(entry, call.requestId);
  live.add(entry);
  // The first way the handler finishes wins, as in the Node.js runtime: a returned promise, the
  // callback, or the legacy context.succeed/fail/done.
  const settle = (value: unknown) => {
    const copy = jsonCopy(value);
    entry.finish(copy.ok ? { kind: 'response', value: copy.value, logs } : { kind: 'error', error: copy.error, logs });
  };
  const fail = (thrown: unknown) => {
    if (thrown instanceof ExitSignal) return;
    entry.finish({ kind: 'error', error: errorPayloadFromThrown(thrown), logs });
  };
  const callback = (error?: unknown, result?: unknown) => (error !== undefined && error !== null ? fail(error) : settle(result));
  if (isStreamingHandler(handler)) {
    // awslambda.streamifyResponse: the handler writes its answer to a stream (src/engine/lambda/response-stream.ts);
    // the first byte is stamped with the handler's simulated clock, read without moving it.
    const context = callContext(call, callback, () => tick(scope));
    const streamed = (stream: StreamedResponse) => entry.finish({ kind: 'response', value: undefined, stream, logs });
    const failed = (thrown: unknown, partial: StreamedResponse) => {
      if (thrown instanceof ExitSignal) return;
      entry.finish({ kind: 'error', error: errorPayloadFromThrown(thrown), logs, ...(partial.bytes > 0 ? { stream: partial } : {}) });
    };
    runStreamingHandler(handler as (...args: unknown[]) => unknown, eventOf(call), context, () => scope.nowMs, streamed, failed, (run) => marked(index, () => scopes.run(scope, run)));
    return;
  }
  let returned: unknown;
  try {
    // getRemainingTimeInMillis is a clock read like Date.now: it moves the clock 1 ms on, so code that
    // polls it to stop before the timeout sees it fall (docs/fidelity.md).
    const context = callContext(call, callback, () => tick(scope));
    const event = eventOf(call);
    returned = marked(index, () => scopes.run(scope, () => handler(event, context, callback)));
  } catch (thrown) {
    fail(thrown);
    return;
  }
  if (scope.settled) return;
  settleReturned(returned, handler, settle, fail);
}

function finishBatch(): void {
  if (!batch) return;
  const { id, outcomes } = batch;
  batch = undefined;
  const lost = [...lostSinceBatch];
  lostSinceBatch.clear();
  const message: FromWorker = { type: 'done', id, outcomes: outcomes.map((o) => o ?? { kind: 'hung', logs: [] }), lost };
  parentPort!.postMessage(message);
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'abandon') {
    if (batch?.id !== message.id) return;
    // Past the wall-clock limit: what has not settled is reported hung, and its environment discarded.
    for (const l of [...live]) {
      l.scope.settled = true;
      live.delete(l);
      envs.delete(l.envId);
    }
    finishBatch();
    return;
  }
  for (const envId of message.discard) {
    envs.delete(envId);
    envScopes.delete(envId);
  }
  const current = { id: message.id, outcomes: new Array<HandlerOutcome | undefined>(message.calls.length), left: message.calls.length };
  batch = current;
  if (current.left === 0) return finishBatch();
  message.calls.forEach((call, i) => {
    runCall(call, i, (outcome) => {
      if (batch !== current || current.outcomes[i]) return;
      current.outcomes[i] = outcome;
      Atomics.add(slot, 1, 1);
      if (--current.left === 0) finishBatch();
    });
  });
});

parentPort!.postMessage({ type: 'ready' } satisfies FromWorker);
