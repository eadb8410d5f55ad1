/**
 * Delivery to destinations, one path for every producer: an asynchronous invocation's onSuccess and
 * onFailure records and its dead-letter message (docs/aws-rules.md §2), a stream mapping's on-failure
 * record (§3.4) and an SQS queue's redrive to its dead-letter queue (§3.2). Every delivery is traced
 * (`deliver`), counted in the destination's state (total, per condition, the recent ones) and put into
 * the target resource, which treats it as any other record arriving there.
 */
import type { Draft } from 'immer';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Model } from '../scenario/model.js';
import { type DestinationDelivery, type DestinationKind, type DestinationRecord, type EnvelopeContext, envelopeFor } from './aws/destinations.js';
import { kindOf } from './lambda/versions.js';
import type { EngineContext, IncomingRecord } from './module.js';
import { type Delivery, type DestinationState, RECENT_DELIVERIES } from './state.js';
import type { TraceEvent } from './trace.js';

/** What a producer hands to `ctx.deliver`: the delivery as traced, and the record put into the target. */
export type DeliveryRequest = Omit<Delivery, 'seq' | 't'> & { envelope: IncomingRecord };

/** The engine's side of deliveries (simulation.ts owns one): trace, count, keep the recent ones, put. */
export class Deliveries {
  private seq = 0;
  private depth = 0;

  constructor(private readonly model: Model) {}

  /** Whether a delivery is being put now: what it puts is billed as a delivery, not as ingest (docs/cost.md). */
  get delivering(): boolean {
    return this.depth > 0;
  }

  deliver(ctx: EngineContext, destinations: Draft<Record<string, DestinationState>>, t: number, d: DeliveryRequest): void {
    const { to, kind, condition, payload, fn, source, messageAttributes, envelope } = d;
    const event: Extract<TraceEvent, { type: 'deliver' }> = { t, type: 'deliver', to, kind, condition, payload };
    if (fn) event.fn = fn;
    if (source) event.source = source;
    if (messageAttributes) event.messageAttributes = messageAttributes;
    ctx.emit(event);
    const dest = (destinations[to] ??= {
      name: to,
      kind: kindOf(this.model, to)!,
      total: 0,
      byCondition: {},
      recent: [],
    });
    dest.total++;
    dest.byCondition[condition] = (dest.byCondition[condition] ?? 0) + 1;
    dest.recent.push({ seq: this.seq++, t, to, kind, condition, payload, fn, source, messageAttributes });
    if (dest.recent.length > RECENT_DELIVERIES) dest.recent.shift();
    this.depth++;
    try {
      ctx.put(to, envelope);
    } finally {
      this.depth--;
    }
  }
}

/** How a destination payload is put into its target resource (the `envelope` of ctx.deliver). */
export function envelopeRecord(delivery: DestinationDelivery, origin?: { trafficIndex: number; i: number }): IncomingRecord {
  const base = { trafficIndex: origin?.trafficIndex ?? -1, i: origin?.i ?? 0 };
  switch (delivery.kind) {
    case 'queue':
      return { ...base, body: delivery.body, attributes: { producer: 'destination' } };
    case 'topic':
      return { ...base, body: delivery.message, attributes: { producer: 'destination' } };
    case 'function':
      return { ...base, body: delivery.event, attributes: { producer: 'destination' } };
    case 'bus':
      return { ...base, body: delivery.event, attributes: { producer: 'destination' } };
    case 'bucket':
      return { ...base, body: delivery.body, attributes: { producer: 'destination', key: delivery.key } };
  }
}

export interface RecordDelivery {
  to: string;
  kind: 'onSuccess' | 'onFailure';
  condition: string;
  /** The invocation record (async) or batch-info record (streams). */
  record: DestinationRecord;
  fn: string;
  source?: string;
  /** What envelopeFor needs besides the target's kind (account, function, time, delivery id, bus name). */
  context: EnvelopeContext;
  /** Streams only: the batch's event, which an S3 destination receives as the record's `payload`. */
  streamEvent?: () => unknown;
}

/**
 * Delivers an invocation or batch-info record to an onSuccess/onFailure destination, in the envelope its
 * target kind takes (aws/destinations.ts). The trace shows what the target receives: for a bus the event
 * around the record, for a stream's S3 object the record with its batch, else the record itself.
 */
export function deliverRecord(ctx: EngineContext, d: RecordDelivery): void {
  const target = kindOf(ctx.model, d.to) as DestinationKind;
  const withBatch = target === 'bucket' && d.streamEvent !== undefined;
  const delivery = envelopeFor(target, d.record, withBatch ? { ...d.context, streamEvent: d.streamEvent!(), mappingUuid: undefined } : d.context);
  const payload =
    delivery.kind === 'bus' ? (delivery.event as EventBridgeEvent<string, unknown>) : withBatch && delivery.kind === 'bucket' ? JSON.parse(delivery.body) : d.record;
  ctx.deliver({ to: d.to, kind: d.kind, condition: d.condition, payload, fn: d.fn, ...(d.source !== undefined ? { source: d.source } : {}), envelope: envelopeRecord(delivery) });
}
