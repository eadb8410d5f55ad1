/**
 * What a run used, in billable units and attributed to causes, before any price is applied (docs/cost.md).
 * The engine feeds it every trace event and every record that enters a queue, topic, bus or stream; it
 * keeps only counters (and the invocations in flight), so its memory does not grow with the run.
 *
 * Pricing is a separate step (price.ts), so a sweep or a diff can price the same usage with another table.
 */
import type { Model } from '../scenario/model.js';
import type { TraceEvent } from '../engine/trace.js';
import { billedInitMs } from '../engine/lambda/init.js';
import { deepFreeze, samePlainData } from '../engine/plain-data.js';

/** Why a Lambda invocation ran. */
export type InvocationCause = 'firstAttempts' | 'retries' | 'redrives';
/** Why a request reached a queue, topic, bus or stream. */
export type SendCause = 'ingest' | 'deliveries';

export const INVOCATION_CAUSES: readonly InvocationCause[] = ['firstAttempts', 'retries', 'redrives'];

export interface FunctionUsage {
  /** Invocations that started (each is one billed request), by cause. */
  requests: Record<InvocationCause, number>;
  /** Billed duration x memory, in MB-ms (exact integers), of invocations on on-demand environments. */
  onDemandMbMs: Record<InvocationCause, number>;
  /** The same for invocations that ran on provisioned concurrency (billed at its duration rate). */
  provisionedMbMs: Record<InvocationCause, number>;
  /** Billed INIT duration x memory of on-demand cold starts, MB-ms. */
  initMbMs: number;
  coldStarts: number;
}

export interface SourceUsage {
  kind: string;
  /** Billable request units put into it (SQS sends, SNS publishes, EventBridge events, Kinesis PUT units). */
  requests: Record<SendCause, number>;
  /** SQS only: DeleteMessageBatch calls (10 messages per call) made by event source mappings. */
  deletes: number;
}

export interface Usage {
  functions: Record<string, FunctionUsage>;
  sources: Record<string, SourceUsage>;
}

/** SQS DeleteMessageBatch takes at most 10 receipt handles. */
export const DELETE_BATCH_MAX = 10;

/** An invocation the meter bills when it ends (UsageMeter.started). */
export interface StartedUsage {
  fn: string;
  cause: InvocationCause;
  provisioned: boolean;
  /** The executed version's memory: versions may differ from the function's own configuration. */
  memorySize: number;
}

/**
 * Counts billable units as the engine runs.
 *
 * @example
 * const meter = new UsageMeter(model);
 * meter.observe(event);            // every trace event, in engine order
 * meter.admitted('orders', () => 120); // every record that enters a resource, with its payload size
 * const usage = meter.snapshot();
 */
export class UsageMeter {
  private readonly model: Model;
  private readonly usage: Usage = { functions: {}, sources: {} };
  private readonly running = new Map<string, StartedUsage>();
  /** Stream batches made by bisecting a failed batch: invoking them re-processes failed records. */
  private readonly bisectHalves = new Set<string>();
  /** The resources that bill per record (every declared one but functions). */
  private readonly metered = new Set<string>();
  /** Set when a counter changed since the last snapshot. */
  dirty = true;
  /** The last snapshot: its unchanged entries are reused by the next. */
  private last: Usage | undefined;

  constructor(model: Model) {
    this.model = model;
    for (const name of Object.keys(model.functions)) {
      this.usage.functions[name] = {
        requests: causes(),
        onDemandMbMs: causes(),
        provisionedMbMs: causes(),
        initMbMs: 0,
        coldStarts: 0,
      };
    }
    for (const [name, kind] of Object.entries(model.resources)) {
      if (kind === 'function') continue;
      this.usage.sources[name] = { kind, requests: { ingest: 0, deliveries: 0 }, deletes: 0 };
      this.metered.add(name);
    }
  }

  /** One trace event, in engine order. */
  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'invoke.start': {
        const started = this.started(event);
        if (started) this.running.set(event.requestId, started);
        return;
      }
      case 'invoke.end': {
        const started = this.running.get(event.requestId);
        if (!started) return;
        this.running.delete(event.requestId);
        this.ended(started, event.durationMs);
        return;
      }
      case 'batch.bisect':
        for (const half of event.into) this.bisectHalves.add(half);
        return;
      case 'sqs.delete': {
        const source = this.usage.sources[event.queue];
        if (source) source.deletes += Math.ceil(event.ids.length / DELETE_BATCH_MAX);
        this.dirty = true;
        return;
      }
      default:
        return;
    }
  }

  /**
   * An invocation started (its invoke.start event): bills its request and INIT, and returns what its end
   * needs (undefined for a function the meter does not know). The engine keeps it with the invocation and
   * passes it to `ended`; `observe` does the same through a map by request id.
   */
  started(event: Extract<TraceEvent, { type: 'invoke.start' }>): StartedUsage | undefined {
    return this.startedWith(event.fn, event.trigger, event.source, event.attempt, event.batchId, event.cold, event.version, event.provisioned === true);
  }

  /**
   * `started` from the fields of the invoke.start event it reads, for an engine that builds no event (no
   * trace listener or observer would read it).
   */
  startedWith(
    name: string,
    trigger: Extract<TraceEvent, { type: 'invoke.start' }>['trigger'],
    source: string | undefined,
    attempt: number,
    batchId: string | undefined,
    cold: boolean,
    version: string | undefined,
    provisioned: boolean,
  ): StartedUsage | undefined {
    const fn = this.usage.functions[name];
    if (!fn) return undefined;
    const cause = this.causeOf(trigger, source, attempt, batchId);
    fn.requests[cause]++;
    this.dirty = true;
    const config = this.configOf(name, version);
    if (cold) {
      // Since 2025-08-01 AWS bills the INIT phase of on-demand functions (docs/cost.md).
      fn.coldStarts++;
      // An init over 10 s is billed its 10 s; its retry inside the invocation is billed as duration.
      fn.initMbMs += billedInitMs(config.coldStartMs) * config.memorySize;
    }
    return { fn: name, cause, provisioned, memorySize: config.memorySize };
  }

  /** A started invocation ended after `durationMs`: bills its duration. */
  ended(started: StartedUsage, durationMs: number): void {
    const fn = this.usage.functions[started.fn];
    // Billed duration rounds up to the next millisecond.
    const mbMs = Math.ceil(durationMs) * started.memorySize;
    (started.provisioned ? fn.provisionedMbMs : fn.onDemandMbMs)[started.cause] += mbMs;
    this.dirty = true;
  }

  /**
   * A record entered `source`. `cause` says why: traffic (or a fan-out of it) is 'ingest', a destination
   * or dead-letter delivery is 'deliveries'; undefined means AWS does not bill it (SQS's own redrive move,
   * an AWS service event on EventBridge).
   */
  admitted(source: string, bytes: () => number, cause: SendCause | undefined): void {
    const usage = this.usage.sources[source];
    if (!usage || cause === undefined) return;
    const units = this.unitsOf(usage.kind, bytes);
    if (units > 0) usage.requests[cause] += units;
    this.dirty = true;
  }

  /** Whether records entering `source` are counted (synchronous requests and async queues are not). */
  meters(source: string): boolean {
    return this.metered.has(source);
  }

  /** A copy of the counters so far; clears `dirty`. */
  snapshot(): Usage {
    this.dirty = false;
    this.last = copyUsage(this.usage, this.last);
    return this.last;
  }

  /** The memory and INIT time of the version an invocation runs ($LATEST: the function's own). */
  private configOf(fn: string, version: string | undefined): { memorySize: number; coldStartMs: number } {
    const f = this.model.functions[fn];
    return (version !== undefined ? f.versions[version] : undefined) ?? f;
  }

  private causeOf(trigger: string, source: string | undefined, attempt: number, batchId: string | undefined): InvocationCause {
    if (trigger === 'esm' && source !== undefined && this.model.resources[source] === 'queue') {
      // An SQS batch's attempt is the highest receive count among its messages: above 1, messages came back
      // after a visibility timeout (the road to the redrive policy).
      return attempt > 1 ? 'redrives' : 'firstAttempts';
    }
    if (attempt > 1) return 'retries';
    if (batchId !== undefined && this.bisectHalves.has(batchId)) return 'retries';
    return 'firstAttempts';
  }

  /** Billable units of one record: SQS, SNS and EventBridge bill per 64 KB, Kinesis per 25 KB PUT unit. */
  private unitsOf(kind: string, size: () => number): number {
    const p = PRICE_CHUNKS[kind];
    if (p === undefined) return 0;
    return Math.max(1, Math.ceil(size() / p));
  }
}

/** Chunk sizes that turn a payload into billable units, per resource kind: AWS's billing rules, not prices. */
const PRICE_CHUNKS: Record<string, number> = { queue: 64 * 1024, topic: 64 * 1024, bus: 64 * 1024, stream: 25 * 1024 };

/**
 * A frozen copy of the counters. An entry equal to the one in `previous` is that same object: with
 * hundreds of functions, rebuilding every entry on each tick cost more than the run itself.
 */
function copyUsage(u: Usage, previous: Usage | undefined): Usage {
  const functions: Usage['functions'] = {};
  for (const [name, f] of Object.entries(u.functions)) {
    const before = previous?.functions[name];
    functions[name] =
      before !== undefined && samePlainData(f, before)
        ? before
        : deepFreeze({ ...f, requests: { ...f.requests }, onDemandMbMs: { ...f.onDemandMbMs }, provisionedMbMs: { ...f.provisionedMbMs } });
  }
  const sources: Usage['sources'] = {};
  for (const [name, s] of Object.entries(u.sources)) {
    const before = previous?.sources[name];
    sources[name] = before !== undefined && samePlainData(s, before) ? before : deepFreeze({ ...s, requests: { ...s.requests } });
  }
  return Object.freeze({ functions: Object.freeze(functions), sources: Object.freeze(sources) });
}

function causes(): Record<InvocationCause, number> {
  return { firstAttempts: 0, retries: 0, redrives: 0 };
}
