/**
 * Every record that enters the system (a message, a stream record, an event, a synchronous request) gets a
 * numeric id here and is in exactly one state at any time (docs/architecture.md, accounting). The store is
 * append-only and lives outside the immer drafts: payloads are bulk data, and typed arrays keep a million
 * records cheap. The per-source counts that the dashboard shows are kept in the snapshot by the engine.
 */
import { payloadToString, utf8Length } from './aws/format.js';

export const RECORD_STATES = ['waiting', 'inFlight', 'succeeded', 'failed', 'expired', 'filtered'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

const STATE_CODE: Record<RecordState, number> = {
  waiting: 0,
  inFlight: 1,
  succeeded: 2,
  failed: 3,
  expired: 4,
  filtered: 5,
};

/** What fault matching and the views need to know about where a record came from. */
export interface RecordOrigin {
  /** Position of the traffic entry that produced it, or -1 (destinations, fan-out, schedules). */
  trafficIndex: number;
  /** Its 0-based position in that entry (body's i). */
  i: number;
  partitionKey?: string;
  messageGroup?: string;
  body: unknown;
}

export interface StoredRecord extends RecordOrigin {
  /** The source (resource) it belongs to. */
  source: string;
  /** The AWS id users see: messageId, sequenceNumber, event id or request id. */
  itemId: string;
  putAtMs: number;
}

export class RecordStore {
  private states = new Uint8Array(1024);
  /** Each record's payload size in UTF-8 bytes, plus one (0: not measured yet). */
  private sizes = new Uint32Array(1024);
  private meta: StoredRecord[] = [];

  get size(): number {
    return this.meta.length;
  }

  add(record: StoredRecord): number {
    const id = this.meta.length;
    if (id >= this.states.length) {
      const grown = new Uint8Array(this.states.length * 2);
      grown.set(this.states);
      this.states = grown;
      const sizes = new Uint32Array(this.states.length);
      sizes.set(this.sizes);
      this.sizes = sizes;
    }
    this.meta.push(record);
    this.states[id] = STATE_CODE.waiting;
    return id;
  }

  get(id: number): StoredRecord {
    return this.meta[id];
  }

  /**
   * The record's payload size in UTF-8 bytes (a string as it is, bytes decoded, anything else as JSON),
   * measured once: the cost meter reads it at put, batch limits when a batch is cut.
   */
  bytes(id: number): number {
    const known = this.sizes[id];
    if (known > 0) return known - 1;
    const n = utf8Length(payloadToString(this.meta[id].body));
    this.sizes[id] = n + 1;
    return n;
  }

  state(id: number): RecordState {
    return RECORD_STATES[this.states[id]];
  }

  /**
   * Moves a record to a new state. Moving a record out of a final state is an engine bug: a record is
   * in exactly one place, and a finished record never comes back.
   */
  move(id: number, to: RecordState): RecordState {
    const from = RECORD_STATES[this.states[id]];
    if (from !== 'waiting' && from !== 'inFlight') {
      throw new Error(`engine invariant: record ${id} (${this.meta[id].itemId}) is already ${from}, cannot become ${to}`);
    }
    this.states[id] = STATE_CODE[to];
    return from;
  }

  /** Counts records per source and state by walking the store: the independent check of the ledger. */
  recount(): Record<string, Record<RecordState, number>> {
    const out: Record<string, Record<RecordState, number>> = {};
    for (let id = 0; id < this.meta.length; id++) {
      const source = this.meta[id].source;
      const counts = (out[source] ??= emptyCounts());
      counts[RECORD_STATES[this.states[id]]]++;
    }
    return out;
  }
}

export function emptyCounts(): Record<RecordState, number> {
  return { waiting: 0, inFlight: 0, succeeded: 0, failed: 0, expired: 0, filtered: 0 };
}
