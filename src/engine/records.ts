/**
 * Every record that enters the system (a message, a stream record, an event, a synchronous request) gets a
 * numeric id here and is in exactly one state at any time (docs/architecture.md, accounting). The store is
 * append-only and lives outside the immer drafts: payloads are bulk data, and typed arrays keep a million
 * records cheap. The per-source counts that the dashboard shows are kept in the snapshot by the engine.
 */
import { payloadToString, utf8Length } from './aws/format.js';
import { formatUuidWords } from './ids.js';
import { broken } from './invariant.js';

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



/**
 * The default body of a traffic record, `{ n: i }` (DESIGN.md, TrafficSpec). The store recognises the
 * object made last and keeps no reference to it: a million default bodies would be a million objects that
 * live as long as the run. Reading the record builds an equal one.
 */
let lastDefaultBody: { n: number } | undefined;
export function defaultBody(i: number): { n: number } {
  lastDefaultBody = { n: i };
  return lastDefaultBody;
}

/** Flag bits per record. */
const DEFAULT_BODY = 1;
/** The item id is a UUID kept as four words (RecordStore.uuids), formatted on read. */
const UUID_ID = 2;

/**
 * An item id as `RecordStore.add` takes it: the string, null for `${source}#${i}` formatted on read, or
 * the four words of a UUID (Ids.messageIdWords), kept as words and formatted on read.
 */
export type ItemIdInput = string | null | Uint32Array;

/** Strings kept once each (sources, partition keys, message groups), referred to by number. */
class Interned {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  /** The string's number, plus one; 0 is undefined. */
  code(value: string | undefined): number {
    if (value === undefined) return 0;
    let n = this.index.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.index.set(value, n);
    }
    return n + 1;
  }

  value(code: number): string | undefined {
    return code === 0 ? undefined : this.values[code - 1];
  }

  /** The first `n` strings of `values`, numbered as they were (a checkpoint's, RecordStore.load). */
  static of(values: readonly string[], n: number): Interned {
    const out = new Interned();
    for (let k = 0; k < n; k++) out.code(values[k]);
    return out;
  }
}

/** See RecordStore.save. */
export interface RecordStoreCheckpoint {
  readonly n: number;
  /** Copies: a record's state and measured size change. */
  readonly states: Uint8Array;
  readonly sizes: Uint32Array;
  /** The live store's append-only columns, read below `n` only (never written there again). */
  readonly columns: Readonly<Record<'flags' | 'sources' | 'putAt' | 'traffic' | 'positions' | 'keys' | 'groups', ArrayLike<number>>>;
  readonly itemIds: readonly (string | null)[];
  /** The UUID words column (4 per record), shared like `columns`; absent until a record had one. */
  readonly uuids?: Uint32Array;
  readonly bodies: readonly unknown[];
  readonly names: Readonly<Record<'sourceNames' | 'keyNames' | 'groupNames', { values: readonly string[]; n: number }>>;
}

/**
 * The records, in columns: one typed-array slot per field and record, strings interned, and no object per
 * record (a million objects that live as long as the run cost the heap, and every scavenge, more than the
 * records' own bytes). `get` builds a record's object on read; hot paths read single fields.
 */
export class RecordStore {
  private count = 0;
  private capacity = 1024;
  private states = new Uint8Array(1024);
  /** Each record's payload size in UTF-8 bytes, plus one (0: not measured yet). */
  private sizes = new Uint32Array(1024);
  private flags = new Uint8Array(1024);
  private sources = new Uint32Array(1024);
  private putAt = new Float64Array(1024);
  private traffic = new Int32Array(1024);
  private positions = new Float64Array(1024);
  private keys = new Uint32Array(1024);
  private groups = new Uint32Array(1024);
  /** null: `${source}#${i}`, or the UUID in `uuids` (flag UUID_ID), formatted on read. */
  private readonly itemIds: (string | null)[] = [];
  /** Four words per record whose item id is a UUID (an SQS message id: 16 bytes, not a 36-character string); made at the first. */
  private uuids?: Uint32Array;
  /** Bodies that are not the default one (undefined where the flag says default). */
  private readonly bodies: unknown[] = [];
  private readonly sourceNames = new Interned();
  private readonly keyNames = new Interned();
  private readonly groupNames = new Interned();

  get size(): number {
    return this.count;
  }

  /**
   * Adds a record of `source` put at `putAtMs`; an `itemId` of null is `${source}#${i}`, and UUID words
   * are kept as words, both formatted when read.
   */
  add(source: string, itemId: ItemIdInput, putAtMs: number, record: RecordOrigin): number {
    const id = this.count;
    if (id >= this.capacity) this.grow();
    this.count++;
    this.states[id] = STATE_CODE.waiting;
    this.sources[id] = this.sourceNames.code(source) - 1;
    this.putAt[id] = putAtMs;
    this.traffic[id] = record.trafficIndex;
    this.positions[id] = record.i;
    this.keys[id] = this.keyNames.code(record.partitionKey);
    this.groups[id] = this.groupNames.code(record.messageGroup);
    let uuid = 0;
    if (itemId instanceof Uint32Array) {
      const words = (this.uuids ??= new Uint32Array(this.capacity * 4));
      words[id * 4] = itemId[0];
      words[id * 4 + 1] = itemId[1];
      words[id * 4 + 2] = itemId[2];
      words[id * 4 + 3] = itemId[3];
      uuid = UUID_ID;
      this.itemIds.push(null);
    } else {
      this.itemIds.push(itemId);
    }
    const body = record.body;
    if (body !== undefined && body === lastDefaultBody && lastDefaultBody.n === record.i) {
      this.flags[id] = DEFAULT_BODY | uuid;
      this.bodies.push(undefined);
    } else {
      this.flags[id] = uuid;
      this.bodies.push(body);
    }
    return id;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const grown = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from as never);
      return to;
    };
    this.states = grown(this.states, new Uint8Array(n));
    this.sizes = grown(this.sizes, new Uint32Array(n));
    this.flags = grown(this.flags, new Uint8Array(n));
    this.sources = grown(this.sources, new Uint32Array(n));
    this.putAt = grown(this.putAt, new Float64Array(n));
    this.traffic = grown(this.traffic, new Int32Array(n));
    this.positions = grown(this.positions, new Float64Array(n));
    this.keys = grown(this.keys, new Uint32Array(n));
    this.groups = grown(this.groups, new Uint32Array(n));
    if (this.uuids) this.uuids = grown(this.uuids, new Uint32Array(n * 4));
    this.capacity = n;
  }

  /** The record as one object, built on read (a new object each call). */
  get(id: number): StoredRecord {
    return {
      source: this.source(id),
      itemId: this.itemId(id),
      putAtMs: this.putAt[id],
      trafficIndex: this.traffic[id],
      i: this.positions[id],
      partitionKey: this.keyNames.value(this.keys[id]),
      messageGroup: this.groupNames.value(this.groups[id]),
      body: this.body(id),
    };
  }

  /** The source (resource) the record belongs to. */
  source(id: number): string {
    return this.sourceNames.values[this.sources[id]];
  }

  /** The AWS id users see: messageId, sequenceNumber, event id or request id. */
  itemId(id: number): string {
    const given = this.itemIds[id];
    if (given !== null) return given;
    if ((this.flags[id] & UUID_ID) !== 0) {
      const w = this.uuids!;
      const at = id * 4;
      return formatUuidWords(w[at], w[at + 1], w[at + 2], w[at + 3]);
    }
    return `${this.source(id)}#${this.positions[id]}`;
  }

  putAtMs(id: number): number {
    return this.putAt[id];
  }

  /** Position of the traffic entry that produced it, or -1. */
  trafficIndex(id: number): number {
    return this.traffic[id];
  }

  /** Its 0-based position in that traffic entry (body's i). */
  position(id: number): number {
    return this.positions[id];
  }

  partitionKey(id: number): string | undefined {
    return this.keyNames.value(this.keys[id]);
  }

  messageGroup(id: number): string | undefined {
    return this.groupNames.value(this.groups[id]);
  }

  /** The payload (the default body is built anew on each read, equal to the one traffic made). */
  body(id: number): unknown {
    return (this.flags[id] & DEFAULT_BODY) !== 0 ? { n: this.positions[id] } : this.bodies[id];
  }

  /** The record's body is the default one, `{ n: position(id) }` (kept as a flag, not an object). */
  hasDefaultBody(id: number): boolean {
    return (this.flags[id] & DEFAULT_BODY) !== 0;
  }

  /**
   * The payload as a message body or record data carries it: `payloadToString` of the body, or the bytes
   * of a byte body (the default body's JSON is written without building it).
   */
  payload(id: number): string | Uint8Array {
    if ((this.flags[id] & DEFAULT_BODY) !== 0) return `{"n":${this.positions[id]}}`;
    const body = this.bodies[id];
    return body instanceof Uint8Array ? body : payloadToString(body);
  }

  /**
   * The record's payload size in UTF-8 bytes (a string as it is, bytes decoded, anything else as JSON),
   * measured once: the cost meter reads it at put, batch limits when a batch is cut.
   */
  bytes(id: number): number {
    const known = this.sizes[id];
    if (known > 0) return known - 1;
    const n = utf8Length(payloadToString(this.body(id)));
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
      // A record ends in exactly one final state: settling it again would count it twice in its ledger.
      broken('a record in a final state was settled again', { source: this.source(id), record: this.itemId(id), from, to });
    }
    this.states[id] = STATE_CODE[to];
    return from;
  }

  /**
   * A checkpoint of the store (docs/checkpoints.md): how many records it holds and a copy of each one's
   * state and measured size (5 bytes a record). Every other column is written once, when a record is
   * added, and the store only grows, so the checkpoint shares the live columns and reads them below its
   * count only.
   */
  save(): RecordStoreCheckpoint {
    const n = this.count;
    const names = (i: Interned) => ({ values: i.values, n: i.values.length });
    return {
      n,
      states: this.states.slice(0, n),
      sizes: this.sizes.slice(0, n),
      columns: { flags: this.flags, sources: this.sources, putAt: this.putAt, traffic: this.traffic, positions: this.positions, keys: this.keys, groups: this.groups },
      itemIds: this.itemIds,
      ...(this.uuids ? { uuids: this.uuids } : {}),
      bodies: this.bodies,
      names: { sourceNames: names(this.sourceNames), keyNames: names(this.keyNames), groupNames: names(this.groupNames) },
    };
  }

  /** Puts the store back where `save` found it (records added since are gone); copies what it reads. */
  load(saved: RecordStoreCheckpoint): void {
    const n = saved.n;
    let capacity = 1024;
    while (capacity < n) capacity *= 2;
    const copy = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(to: T, from: ArrayLike<number>): T => {
      for (let id = 0; id < n; id++) to[id] = from[id];
      return to;
    };
    this.count = n;
    this.capacity = capacity;
    this.states = copy(new Uint8Array(capacity), saved.states);
    this.sizes = copy(new Uint32Array(capacity), saved.sizes);
    const c = saved.columns;
    this.flags = copy(new Uint8Array(capacity), c.flags);
    this.sources = copy(new Uint32Array(capacity), c.sources);
    this.putAt = copy(new Float64Array(capacity), c.putAt);
    this.traffic = copy(new Int32Array(capacity), c.traffic);
    this.positions = copy(new Float64Array(capacity), c.positions);
    this.keys = copy(new Uint32Array(capacity), c.keys);
    this.groups = copy(new Uint32Array(capacity), c.groups);
    if (saved.uuids) {
      const words = new Uint32Array(capacity * 4);
      for (let k = 0; k < n * 4; k++) words[k] = saved.uuids[k];
      this.uuids = words;
    } else {
      this.uuids = undefined;
    }
    Object.assign(this, {
      itemIds: saved.itemIds.slice(0, n),
      bodies: saved.bodies.slice(0, n),
      sourceNames: Interned.of(saved.names.sourceNames.values, saved.names.sourceNames.n),
      keyNames: Interned.of(saved.names.keyNames.values, saved.names.keyNames.n),
      groupNames: Interned.of(saved.names.groupNames.values, saved.names.groupNames.n),
    });
  }

  /** Counts records per source and state by walking the store: the independent check of the ledger. */
  recount(): Record<string, Record<RecordState, number>> {
    const out: Record<string, Record<RecordState, number>> = {};
    for (let id = 0; id < this.count; id++) {
      const source = this.source(id);
      const counts = (out[source] ??= emptyCounts());
      counts[RECORD_STATES[this.states[id]]]++;
    }
    return out;
  }
}

export function emptyCounts(): Record<RecordState, number> {
  return { waiting: 0, inFlight: 0, succeeded: 0, failed: 0, expired: 0, filtered: 0 };
}
