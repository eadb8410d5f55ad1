/**
 * The seam between the engine and real handler code (docs/sandbox.md). The engine never calls user code
 * itself and never reads a wall clock: it hands each invocation that runs real code to a HandlerPort as a
 * HandlerCall (plain data: the event, the Context's fields, the simulated times of the run, a seed) and
 * later applies the HandlerOutcome at the invocation's simulated end. The shell picks the port: the CLI
 * and the dashboard pass the worker-thread sandbox (src/sandbox/); a model built in memory, with no
 * scenario file a worker could import, runs its handlers on the calling thread (directHandlers).
 */
import type { Model } from '../../scenario/model.js';
import type { Handler } from '../../scenario/types.js';
import { errorPayloadFromThrown, type LambdaErrorPayload } from '../aws/invoke.js';
import { lambdaContext } from '../aws/context.js';
import { versionConfig } from './versions.js';
import { type PackedKinesisBatch, unpackKinesisBatch } from '../sources/stream/records.js';
import { isStreamingHandler, runStreamingHandler, type StreamedResponse } from '../../lang/response-stream.js';

/** One line a handler wrote, with the simulated ms it was written at. */
export interface HandlerLogLine {
  atMs: number;
  /** The Node.js runtime's level for console.* ('INFO', 'WARN', ...); '' for raw stdout/stderr writes. */
  level: string;
  message: string;
  /** Lines written while the environment's init ran carry 'undefined' here, as the runtime writes them. */
  requestId?: string;
}

/** One invocation for a port to run: everything is plain data, so it can cross to a worker thread. */
export interface HandlerCall {
  requestId: string;
  fn: string;
  /** The version that runs: '$LATEST', '1', ... (environments belong to one version). */
  version: string;
  /** The ARN the caller invoked: qualified when it named a version or an alias. */
  invokedFunctionArn: string;
  /** The execution environment: the port keeps one module instance per environment. */
  envId: string;
  /** The engine counted a cold start for this invocation (its init shows as Init Duration). */
  cold: boolean;
  /**
   * The AWS-shaped event, a copy: what the handler does to it never reaches the engine. Absent when
   * `packedEvent` carries it: the handler then receives the event built from that (see eventOf).
   */
  event?: unknown;
  /** The event packed as plain columns (InvokeRequest.packedEvent). */
  packedEvent?: PackedEvent;
  /** Simulated ms: the environment's init starts (cold starts), the handler starts, its run ends. */
  initAtMs: number;
  startAtMs: number;
  endAtMs: number;
  /** Epoch ms of simulated time 0, for Date and log timestamps. */
  epochMs: number;
  timeoutMs: number;
  memorySize: number;
  region: string;
  accountId: string;
  /** The CloudWatch log stream of the environment. */
  logStream: string;
  /** The log group when it is not `/aws/lambda/<fn>` (a Lambda@Edge replica's `/aws/lambda/us-east-1.<fn>`). */
  logGroup?: string;
  /** Seeds the handler's Math.random, crypto.randomUUID and crypto.getRandomValues for this invocation. */
  seed: number;
  /** Seeds the same for the environment's init code (used on the environment's first invocation). */
  initSeed: number;
}

/**
 * What became of a call. `response` and `error` come from the handler; `hung` means the port gave up on
 * it (the wall-clock safety net): the engine reports Sandbox.Timedout at the simulated timeout.
 * `discard` ends the environment (exit, crash, hang): the next invocation is a cold start.
 */
/**
 * What a handler did. `clockMs` is the simulated millisecond the handler's clock had reached when it
 * settled (every read of Date.now, performance.now or getRemainingTimeInMillis moves it 1 ms on): a
 * handler that read its clock past the modelled end of its run ran at least that long.
 */
export type HandlerOutcome =
  | { kind: 'response'; value: unknown; logs: HandlerLogLine[]; discard?: false; clockMs?: number; measured?: MeasuredMemory; stream?: StreamedResponse }
  | { kind: 'error'; error: LambdaErrorPayload; logs: HandlerLogLine[]; discard?: boolean; clockMs?: number; measured?: MeasuredMemory; stream?: StreamedResponse }
  | { kind: 'hung'; logs: HandlerLogLine[]; discard?: true };

/**
 * What the sandbox measured of an invocation's memory (docs/sandbox.md, "Memory"). It changes from run to
 * run (garbage collection runs when it will), so the engine never puts it in the trace or the summary:
 * the REPORT line's Max Memory Used stays the configured memorySize.
 */
export interface MeasuredMemory {
  /** How much the worker's JavaScript heap grew between the invocation's start and its end, in bytes (0 if it shrank). */
  heapGrowthBytes: number;
  /** The worker's JavaScript heap in use when the invocation ended, in bytes (shared by its environments). */
  workerHeapBytes: number;
}

/** A port's answer to one batch: an outcome per call, in call order, and environments it lost. */
export interface HandlerReply {
  outcomes: HandlerOutcome[];
  /** Environments whose module state is gone (e.g. their worker was stopped): the engine discards them. */
  lost?: string[];
}

/**
 * Runs real handler code for the engine. `run` receives every invocation that starts before the earliest
 * pending completion in one batch, and the environments reclaimed since the last batch (to be freed).
 *
 * @example
 * const sim = createSimulation(model, { handlers: createSandbox(model) });
 */
export interface HandlerPort {
  run(calls: HandlerCall[], discarded: string[]): Promise<HandlerReply>;
  /** Stops whatever the port started (worker threads); idempotent. */
  close?(): Promise<void>;
}

/**
 * The outcomes of real handler code by invocation, so that a re-run of the same run (the dashboard's
 * step back past its history, a restart) replays them instead of calling user code again: module state
 * in an environment cannot be rewound. Keyed by the request id, the function and version, the
 * environment and the simulated start and end of the run, so that a run whose future changed (a live
 * fault) calls the code again where it diverged. Pass the same record to every Simulation of one session.
 *
 * @example
 * const record = new HandlerRecord();
 * const first = createSimulation(model, { handlers, handlerRecord: record });
 * // ... later, a re-run from t=0 replays every outcome the first run saw:
 * const again = createSimulation(model, { handlers, handlerRecord: record });
 */
export class HandlerRecord {
  /**
   * By request id and the call's key: the attempts of one asynchronous event share a request id and
   * differ in their start, and each attempt's outcome replays (keyed by request id alone, only the
   * last attempt's was kept, and a re-run called user code again for the others).
   */
  private readonly byCall = new Map<string, HandlerOutcome>();

  /** How many outcomes are recorded. */
  get size(): number {
    return this.byCall.size;
  }

  /** The recorded outcome of this call, if the same invocation ran before. */
  get(call: HandlerCall): HandlerOutcome | undefined {
    return this.byCall.get(recordKey(call));
  }

  set(call: HandlerCall, outcome: HandlerOutcome): void {
    this.byCall.set(recordKey(call), outcome);
  }
}

function recordKey(call: HandlerCall): string {
  return `${call.requestId}|${call.fn}|${call.version}|${call.envId}|${call.startAtMs}|${call.endAtMs}`;
}

/** An event packed by its source (InvokeRequest.packedEvent): today a Kinesis batch. */
export type PackedEvent = PackedKinesisBatch;

/**
 * The event a call's handler receives: built from its packed form when the source packed it (a fresh
 * object graph each time), else the event itself.
 *
 * @example
 * eventOf({ event: { n: 1 } }); // { n: 1 }
 */
export function eventOf(call: Pick<HandlerCall, 'event' | 'packedEvent'>): unknown {
  return call.packedEvent !== undefined ? unpackKinesisBatch(call.packedEvent) : call.event;
}

/**
 * A 32-bit seed derived from the run's seed and a name (a request id, an environment id), without
 * drawing from the engine's generator: adding real code to a scenario does not shift its other draws.
 *
 * @example invocationSeed(1, 'c0ffee-...') // the same number on every machine
 */
export function invocationSeed(seed: number, name: string): number {
  // FNV-1a over the seed's decimal form and the name.
  let h = 0x811c9dc5;
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Runs handlers on the calling thread, straight from the model's functions: for models built in memory
 * (tests, the programmatic API), where there is no scenario file a worker could import. There is no
 * isolation and no wall-clock guard here (the engine has no wall clock): a handler that never settles
 * never settles. Math.random, Date and console are the process's own. Use the sandbox for real runs.
 *
 * @example createSimulation(model, { handlers: directHandlers(model) })
 */
export function directHandlers(model: Model): HandlerPort {
  return {
    run: async (calls) => ({ outcomes: await Promise.all(calls.map((call) => callDirect(versionConfig(model.functions[call.fn], call.version).handler, call))) }),
  };
}

async function callDirect(handler: Handler | undefined, call: HandlerCall): Promise<HandlerOutcome> {
  if (!handler) return { kind: 'error', error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${call.fn}: no handler function in this model` }, logs: [] };
  return new Promise<HandlerOutcome>((resolve) => {
    // The first way the handler finishes wins, as in the Node.js runtime: a returned promise, the
    // callback, or the legacy context.succeed/fail/done.
    let settled = false;
    // No simulated clock runs on this thread: each read of getRemainingTimeInMillis moves a clock of the
    // call's own 1 ms on from the invocation's start, never past its timeout, as the sandbox's clock does
    // (docs/sandbox.md); where it got to is reported as clockMs.
    let clockMs = call.startAtMs;
    const lastMs = call.startAtMs + call.timeoutMs - 1;
    const clock = () => Math.min(clockMs, lastMs);
    const settle = (value: unknown) => {
      if (settled) return;
      settled = true;
      resolve({ kind: 'response', value, logs: [], clockMs: clock() });
    };
    const fail = (thrown: unknown) => {
      if (settled) return;
      settled = true;
      resolve({ kind: 'error', error: errorPayloadFromThrown(thrown), logs: [], clockMs: clock() });
    };
    const callback = (error?: unknown, result?: unknown) => (error !== undefined && error !== null ? fail(error) : settle(result));
    if (isStreamingHandler(handler)) {
      // awslambda.streamifyResponse: the handler writes its answer to a stream (response-stream.ts).
      const context = callContext(call, callback, () => Math.min(clockMs++, lastMs));
      const streamed = (stream: StreamedResponse) => {
        if (settled) return;
        settled = true;
        resolve({ kind: 'response', value: undefined, stream, logs: [], clockMs: clock() });
      };
      const failed = (thrown: unknown, partial: StreamedResponse) => {
        if (settled) return;
        settled = true;
        resolve({ kind: 'error', error: errorPayloadFromThrown(thrown), logs: [], clockMs: clock(), ...(partial.bytes > 0 ? { stream: partial } : {}) });
      };
      runStreamingHandler(handler as (...args: unknown[]) => unknown, eventOf(call), context, clock, streamed, failed);
      return;
    }
    let returned: unknown;
    try {
      const context = callContext(call, callback, () => Math.min(clockMs++, lastMs));
      returned = handler(eventOf(call), context, callback);
    } catch (thrown) {
      fail(thrown);
      return;
    }
    if (settled) return;
    settleReturned(returned, handler, settle, fail);
  });
}

/**
 * Settles a call from what its handler returned: a promise (or thenable) settles when it does; a value
 * settles now, unless the handler takes a callback (three parameters) and returned nothing, in which
 * case its callback settles it. Reading `then` runs user code (a getter, a Proxy trap): what it throws
 * fails the call, as awaiting that value would in the Node.js runtime. Shared by the direct handlers and
 * the sandbox worker.
 */
export function settleReturned(returned: unknown, handler: { length: number }, settle: (value: unknown) => void, fail: (thrown: unknown) => void): void {
  let thenable: boolean;
  try {
    thenable = isPromiseLike(returned);
  } catch (thrown) {
    fail(thrown);
    return;
  }
  if (thenable) Promise.resolve(returned).then(settle, fail);
  else if (!(returned === undefined && handler.length >= 3)) settle(returned);
}

/** The Lambda Context of a call, its clock given by `nowSimMs`. */
export function callContext(call: HandlerCall, onLegacyCompletion: (error: unknown, result: unknown) => void, nowSimMs: () => number) {
  return lambdaContext({
    functionName: call.fn,
    functionVersion: call.version,
    invokedFunctionArn: call.invokedFunctionArn,
    memorySize: call.memorySize,
    timeoutMs: call.timeoutMs,
    requestId: call.requestId,
    region: call.region,
    accountId: call.accountId,
    startedAtSimMs: call.startAtMs,
    environmentId: call.envId,
    environmentStartedEpochMs: call.epochMs + call.initAtMs,
    logStreamName: call.logStream,
    ...(call.logGroup ? { logGroupName: call.logGroup } : {}),
    nowSimMs,
    onLegacyCompletion,
  });
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
