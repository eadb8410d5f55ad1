/**
 * The engine's side of real handler code: turns an invocation into a HandlerCall, sends calls to the
 * HandlerPort in batches, applies what comes back at the invocation's simulated end, and writes the
 * invocation's CloudWatch lines as `log` trace events. This is the one place the time loop
 * (simulation.ts) meets handler code: `start` when an invocation starts, `settleBefore` before time
 * passes an invocation whose outcome is still out, `emitStart`/`emitEnd` beside invoke.start/end.
 */
import type { Model } from '../../scenario/model.js';
import { functionArn } from '../aws/arn.js';
import { logStreamName } from '../aws/context.js';
import { timeoutErrorPayload } from '../aws/invoke.js';
import type { EngineContext, InvocationResult } from '../module.js';
import {
  directHandlers,
  type HandlerCall,
  type HandlerOutcome,
  type HandlerPort,
  type HandlerRecord,
  invocationSeed,
  type PackedEvent,
} from './handler-port.js';
import { versionConfig } from './versions.js';
import { consoleLine, endLine, reportLine, startLine, timeoutLine } from './logs.js';
import { streamingTailMs } from '../../lang/response-stream.js';

export type { HandlerCall, HandlerOutcome, HandlerPort, HandlerRecord } from './handler-port.js';

/** What an invocation's outcome is, once decided (the simulation's own record of it). */
export type RunResult = Omit<InvocationResult, 'requestId' | 'fn' | 'durationMs' | 'cold' | 'attempt' | 'startedAtMs' | 'version' | 'alias' | 'timeoutMs'>;

/** The part of a running invocation (simulation.ts) this module reads and writes. */
export interface Running {
  request: { event(): unknown; packedEvent?: () => PackedEvent | undefined; streaming?: boolean; edgeRegion?: string };
  requestId: string;
  fn: string;
  cold: boolean;
  startedAtMs: number;
  runStartsAtMs: number;
  durationMs: number;
  endsAtMs: number;
  /** Bumped when the end moves, so that the old completion is ignored. */
  version: number;
  routed: { version: string; qualifier?: string };
  held: { envId: string };
  timeoutMs: number;
  result?: RunResult;
  /** Real code ran (or will): its log lines, and whether its environment ends with it. */
  code?: { logs: string[]; discard: boolean; logStream: string; memorySize: number; edge?: { logGroup: string; region: string } };
}

/** What the time loop lets this module do to it. */
export interface HandlerRunHooks {
  /** The invocation's end moved (a hung handler ends at its timeout): push its completion again. */
  reschedule(running: Running): void;
  /** The port lost these environments' module state. */
  lost(envIds: string[]): void;
}

interface Pending {
  running: Running;
  call: HandlerCall;
}

/** See HandlerRuns.save. */
export interface HandlerRunsState {
  reclaimed: string[];
  queued: Pending[];
  earliestEndMs: number;
}

/** See the module comment. */
export class HandlerRuns {
  /** Environments reclaimed since the last batch; the port frees their module instances. */
  reclaimed: string[] = [];
  private queued: Pending[] = [];
  private earliestEndMs = Infinity;
  private port?: HandlerPort;

  constructor(
    private readonly model: Model,
    private readonly seed: number,
    private readonly epochMs: number,
    port: HandlerPort | undefined,
    private readonly record: HandlerRecord | undefined,
    private readonly hooks: HandlerRunHooks,
  ) {
    this.port = port;
  }

  /**
   * The first simulated millisecond at which an invocation still waiting for its outcome ends (Infinity
   * when none waits): the engine must not process that millisecond before `settleBefore` has run.
   */
  get dueMs(): number {
    return Math.ceil(this.earliestEndMs);
  }

  /** An invocation that runs real code started: replay its recorded outcome, or queue it for the port. */
  start(running: Running): void {
    const fn = this.model.functions[running.fn];
    const version = running.routed.version;
    const config = versionConfig(fn, version);
    const envId = running.held.envId;
    const packed = running.request.packedEvent?.();
    const call: HandlerCall = {
      requestId: running.requestId,
      fn: running.fn,
      version,
      invokedFunctionArn: functionArn(this.model, fn.name, running.routed.qualifier),
      envId,
      cold: running.cold,
      // Packed when the source can (a Kinesis batch): the port builds the event where the handler runs.
      ...(packed !== undefined ? { packedEvent: packed } : { event: running.request.event() }),
      initAtMs: running.startedAtMs,
      startAtMs: running.runStartsAtMs,
      endAtMs: running.runStartsAtMs + running.durationMs,
      epochMs: this.epochMs,
      timeoutMs: running.timeoutMs,
      memorySize: config.memorySize,
      // A Lambda@Edge replica runs in the Region nearest the viewer and logs there (docs/callers.md, "CloudFront").
      region: running.request.edgeRegion ?? this.model.region,
      accountId: this.model.accountId,
      logStream: logStreamName(fn.name, version, envId, this.epochMs + running.startedAtMs),
      ...(running.request.edgeRegion ? { logGroup: edgeLogGroup(fn.name) } : {}),
      seed: invocationSeed(this.seed, running.requestId),
      initSeed: invocationSeed(this.seed, `init:${envId}`),
    };
    running.code = {
      logs: [],
      discard: false,
      logStream: call.logStream,
      memorySize: config.memorySize,
      ...(running.request.edgeRegion ? { edge: { logGroup: edgeLogGroup(fn.name), region: running.request.edgeRegion } } : {}),
    };
    const recorded = this.record?.get(call);
    if (recorded) {
      this.apply(running, call, recorded);
      return;
    }
    this.queued.push({ running, call });
    if (running.endsAtMs < this.earliestEndMs) this.earliestEndMs = running.endsAtMs;
  }

  /**
   * Waits for the outcomes the engine needs before it runs time up to `targetMs`: when an invocation
   * still waiting for its outcome ends by then, every queued call goes to the port in one batch. A call
   * queued before a checkpoint and recorded since (a run restored from that checkpoint) replays its
   * recorded outcome: only calls never seen go to the port, and the outcomes apply in queue order.
   */
  async settleBefore(targetMs: number): Promise<void> {
    if (this.queued.length === 0 || this.earliestEndMs > targetMs) return;
    const batch = this.queued;
    this.queued = [];
    this.earliestEndMs = Infinity;
    const outcomes: Array<HandlerOutcome | undefined> = batch.map((p) => this.record?.get(p.call));
    const fresh = batch.filter((_, i) => outcomes[i] === undefined);
    if (fresh.length > 0) {
      const discarded = this.reclaimed.splice(0);
      this.port ??= directHandlers(this.model);
      const reply = await this.port.run(
        fresh.map((p) => p.call),
        discarded,
      );
      if (reply.lost && reply.lost.length > 0) this.hooks.lost(reply.lost);
      let k = 0;
      batch.forEach((p, i) => {
        if (outcomes[i] !== undefined) return;
        const outcome = reply.outcomes[k++] ?? { kind: 'hung', logs: [] };
        this.record?.set(p.call, outcome);
        outcomes[i] = outcome;
      });
    }
    batch.forEach((p, i) => this.apply(p.running, p.call, outcomes[i]!));
  }

  /** What a checkpoint keeps of this (docs/checkpoints.md): the calls still queued and the reclaimed environments. */
  save(): HandlerRunsState {
    return { reclaimed: this.reclaimed, queued: this.queued, earliestEndMs: this.earliestEndMs };
  }

  /** Adopts a copy of what `save` returned; the queued calls' `running` are the restored engine's. */
  restore(saved: HandlerRunsState): void {
    this.reclaimed = saved.reclaimed;
    this.queued = saved.queued;
    this.earliestEndMs = saved.earliestEndMs;
  }

  /** The START line, beside invoke.start. */
  emitStart(ctx: EngineContext, running: Running): void {
    this.emitLog(ctx, running, startLine(running.requestId, running.routed.version));
  }

  /** The handler's lines, END and REPORT, beside invoke.end. */
  emitEnd(ctx: EngineContext, running: Running): void {
    const code = running.code!;
    for (const line of code.logs) this.emitLog(ctx, running, line);
    this.emitLog(ctx, running, endLine(running.requestId));
    this.emitLog(
      ctx,
      running,
      reportLine({
        requestId: running.requestId,
        durationMs: running.durationMs,
        memorySize: code.memorySize,
        // Not measured: a worker's heap is shared by its environments and varies between machines, and a
        // trace must not (docs/sandbox.md, "Limits"). The configured size is the honest upper bound.
        maxMemoryUsedMb: code.memorySize,
        initDurationMs: running.cold ? running.runStartsAtMs - running.startedAtMs : undefined,
      }),
    );
  }

  private emitLog(ctx: EngineContext, running: Running, line: string): void {
    ctx.emit({
      t: ctx.now,
      type: 'log',
      fn: running.fn,
      requestId: running.requestId,
      logStream: running.code!.logStream,
      line,
      ...(running.code!.edge ? { logGroup: running.code!.edge.logGroup, region: running.code!.edge.region } : {}),
    });
  }

  private apply(running: Running, call: HandlerCall, outcome: HandlerOutcome): void {
    const code = running.code!;
    for (const line of outcome.logs) code.logs.push(consoleLine(this.epochMs, running.requestId, line));
    if (outcome.kind !== 'hung' && outcome.clockMs !== undefined && outcome.clockMs > running.runStartsAtMs + running.durationMs) {
      // The handler read its clock past the modelled end of its run: it ran until then (docs/sandbox.md).
      running.durationMs = Math.min(outcome.clockMs - running.runStartsAtMs, call.timeoutMs);
      running.endsAtMs = running.runStartsAtMs + running.durationMs;
      running.version++;
      this.hooks.reschedule(running);
    }
    if (outcome.kind === 'response' && outcome.stream) {
      running.result = { outcome: 'success', stream: outcome.stream };
      // Past its first 6 MB a streamed answer leaves at 2 MB/s: the invocation lasts until it has left,
      // and times out if that is after its timeout (docs/callers.md, "Function URLs").
      const tailMs = running.request.streaming ? streamingTailMs(outcome.stream.bytes) : 0;
      if (tailMs > 0 && running.durationMs + tailMs >= call.timeoutMs) this.timeOut(running, call);
      else if (tailMs > 0) {
        running.durationMs += tailMs;
        running.endsAtMs = running.runStartsAtMs + running.durationMs;
        running.version++;
        this.hooks.reschedule(running);
      }
    } else if (outcome.kind === 'response') {
      running.result = resultFromResponse(outcome.value);
    } else if (outcome.kind === 'error') {
      running.result = { outcome: 'error', error: outcome.error, ...(outcome.stream ? { stream: outcome.stream } : {}) };
      code.discard = outcome.discard === true;
    } else {
      // The handler never settled: Lambda stops it at its timeout and discards the environment.
      code.discard = true;
      this.timeOut(running, call);
    }
  }

  /** Lambda stops the invocation at its timeout: Sandbox.Timedout, the runtime's timeout line, a new end. */
  private timeOut(running: Running, call: HandlerCall): void {
    const timeoutMs = call.timeoutMs;
    running.result = { outcome: 'timeout', error: timeoutErrorPayload(running.requestId, timeoutMs) };
    running.durationMs = timeoutMs;
    running.endsAtMs = running.runStartsAtMs + timeoutMs;
    running.version++;
    running.code!.logs.push(timeoutLine(this.epochMs, running.endsAtMs, running.requestId, timeoutMs));
    this.hooks.reschedule(running);
  }
}

/**
 * Classifies what a handler returned: a non-empty batchItemFailures list makes it a partial batch response
 * (ReportBatchItemFailures); the source decides whether the ids in it are valid.
 */
export function resultFromResponse(value: unknown): RunResult {
  const failures = (value as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (Array.isArray(failures) && failures.length > 0) {
    const failedItemIds = failures.map((f) => {
      const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      return typeof id === 'string' ? id : '';
    });
    return { outcome: 'partial', response: value, failedItemIds };
  }
  return { outcome: 'success', response: value };
}

/**
 * The log group of a Lambda@Edge function's replicas, in whichever Region each runs: `/aws/lambda/us-east-1.`
 * and the function's name (CloudFront developer guide, "Lambda@Edge CloudWatch metrics and logs").
 */
export function edgeLogGroup(fn: string): string {
  return `/aws/lambda/us-east-1.${fn}`;
}
