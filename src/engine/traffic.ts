/**
 * Traffic arrivals (docs/architecture.md, TrafficSpec): evenly spaced at the entry's rate, which may step over
 * time (validation fills in 1 per second when no rate is given). `TrafficArrivals` keeps one cursor per
 * traffic entry and, in the time loop's first phase, turns every arrival due into a record put to its
 * target (or a synchronous request to the module that calls it).
 */
import type { Model, TrafficModel } from '../scenario/model.js';
import type { EngineContext, IncomingRecord } from './module.js';
import { defaultBody } from './records.js';

function rateAt(spec: TrafficModel, t: number): number {
  let rate = 0;
  for (const step of spec.rate) {
    if (step.atMs <= t) rate = step.ratePerSecond;
    else break;
  }
  return rate;
}

/**
 * The time of the arrival after `previousMs` (or of the first one), or undefined when the entry has no
 * more. Between rate steps the spacing carries over proportionally, so a step changes the rate exactly
 * where it says.
 *
 * @example nextArrivalMs({ rate: [{ atMs: 0, ratePerSecond: 10 }], startMs: 0, ... }, 0) // 100
 */
export function nextArrivalMs(spec: TrafficModel, previousMs: number | undefined): number | undefined {
  let t = previousMs ?? spec.startMs;
  // The fraction of one inter-arrival gap still to cover; the first arrival comes at the start itself.
  let remaining = previousMs === undefined ? 0 : 1;
  for (let guard = 0; guard < spec.rate.length + 2; guard++) {
    const rate = rateAt(spec, t);
    const nextStep = stepAfter(spec, t);
    if (rate > 0) {
      const at = t + (remaining * 1000) / rate;
      if (!nextStep || at <= nextStep.atMs) return within(spec, at);
      remaining -= ((nextStep.atMs - t) * rate) / 1000;
      t = nextStep.atMs;
    } else {
      if (!nextStep) return undefined;
      t = nextStep.atMs;
      remaining = 0;
    }
  }
  return undefined;
}

/** The first rate step after `t` (a loop, not `find`: no closure per arrival). */
function stepAfter(spec: TrafficModel, t: number): TrafficModel['rate'][number] | undefined {
  for (const step of spec.rate) if (step.atMs > t) return step;
  return undefined;
}

function within(spec: TrafficModel, at: number): number | undefined {
  return spec.stopMs !== undefined && at >= spec.stopMs ? undefined : at;
}

interface TrafficCursor {
  spec: TrafficModel;
  i: number;
  nextAtMs: number | undefined;
}

/**
 * Hands a synchronous request (an `invoke` entry of type RequestResponse) to the module that calls the
 * function: 'firehose' for `via: 'firehose'`, else 'sync'.
 */
export type RequestSink = (ctx: EngineContext, module: 'sync' | 'firehose', target: string, record: IncomingRecord) => void;

/** The TrafficArrivals fields a checkpoint copies; the others are fixed at construction. */
export const TRAFFIC_CHECKPOINT_FIELDS = ['cursors'] as const;
export const TRAFFIC_CONFIGURATION_FIELDS = ['request'] as const;

/** Every traffic entry's position: the next record's index and when it arrives. */
export class TrafficArrivals {
  private cursors: TrafficCursor[];

  constructor(
    model: Model,
    private readonly request: RequestSink,
  ) {
    this.cursors = model.traffic.map((spec) => ({ spec, i: 0, nextAtMs: nextArrivalMs(spec, undefined) }));
  }

  /** The earliest arrival still to come (undefined when every entry is done). */
  nextAtMs(): number | undefined {
    let next: number | undefined;
    for (const cursor of this.cursors) if (cursor.nextAtMs !== undefined && (next === undefined || cursor.nextAtMs < next)) next = cursor.nextAtMs;
    return next;
  }

  /** The 0-based position of the next record the traffic entry `trafficIndex` will produce (Simulation.upcomingIndex). */
  upcomingIndex(trafficIndex: number): number | undefined {
    const cursor = this.cursors.find((c) => c.spec.index === trafficIndex);
    return cursor && cursor.nextAtMs !== undefined ? cursor.i : undefined;
  }

  /** Phase 1: every traffic entry's arrivals up to now. */
  arrive(ctx: EngineContext, now: number): void {
    for (const cursor of this.cursors) {
      const spec = cursor.spec;
      while (cursor.nextAtMs !== undefined && cursor.nextAtMs <= now) {
        const i = cursor.i++;
        const record: IncomingRecord = {
          trafficIndex: spec.index,
          i,
          body: spec.body ? safeBody(spec.body, i) : defaultBody(i),
          partitionKey: spec.partitionKeys ? spec.partitionKeys[i % spec.partitionKeys.length] : undefined,
          messageGroup: spec.messageGroups ? spec.messageGroups[i % spec.messageGroups.length] : undefined,
          attributes:
            spec.kind === 'invoke'
              ? { via: spec.via ?? 'cli', type: spec.type, http: spec.http, atMs: cursor.nextAtMs, customBody: spec.body !== undefined }
              : { atMs: cursor.nextAtMs },
        };
        if (spec.qualifier !== undefined) record.attributes!.qualifier = spec.qualifier;
        if (spec.deduplicationId) record.attributes!.messageDeduplicationId = safeDeduplicationId(spec.deduplicationId, i);
        if (spec.messageAttributes) {
          const attributes = safeMessageAttributes(spec.messageAttributes, i);
          if (attributes) record.attributes!.messageAttributes = attributes;
        }
        if (spec.kind === 'invoke' && spec.type === 'RequestResponse') this.request(ctx, spec.via === 'firehose' ? 'firehose' : 'sync', spec.target, record);
        else ctx.put(spec.qualifier !== undefined ? `${spec.target}:${spec.qualifier}` : spec.target, record);
        cursor.nextAtMs = spec.count !== undefined && cursor.i >= spec.count ? undefined : nextArrivalMs(spec, cursor.nextAtMs);
      }
    }
  }

  /** The working state a checkpoint copies (live: the engine copies it in one graph with the rest). */
  save(): Record<string, unknown> {
    return { cursors: this.cursors } satisfies Record<(typeof TRAFFIC_CHECKPOINT_FIELDS)[number], unknown>;
  }

  /** Adopts a copy of what `save` returned. */
  restore(saved: Record<string, unknown>): void {
    Object.assign(this, saved);
  }
}

/**
 * The scenario's deduplication id for message i. SQS takes up to 128 characters; a function that throws
 * or returns something else sends a unique id instead (the message is not deduplicated).
 */
function safeDeduplicationId(fn: (i: number) => string, i: number): string | undefined {
  try {
    const id = fn(i);
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The scenario's message attributes for message i: strings, finite numbers and `{ dataType, stringValue }`
 * objects are kept; anything else (or a function that throws) sends the message without them.
 */
function safeMessageAttributes(fn: (i: number) => Record<string, unknown>, i: number): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = fn(i);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) out[name] = v;
    else if (v !== null && typeof v === 'object' && typeof (v as { dataType?: unknown }).dataType === 'string') {
      const stringValue = (v as { stringValue?: unknown }).stringValue;
      out[name] = { dataType: (v as { dataType: string }).dataType, ...(typeof stringValue === 'string' ? { stringValue } : {}) };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A traffic body function that throws is scenario code misbehaving: record it in the payload, don't crash. */
function safeBody(body: (i: number) => unknown, i: number): unknown {
  try {
    return body(i);
  } catch (thrown) {
    return { bodyError: thrown instanceof Error ? thrown.message : String(thrown), n: i };
  }
}
