/**
 * The source ledgers (docs/architecture.md, accounting): for every source, how many records were put and
 * how many are in each state now. A record is admitted 'waiting' and moves between states by `settle`;
 * the record store (records.ts) keeps each record's own state and the ledger the counts, so that the two
 * can be compared (`checkAccounting`). Records move several times each, so the counts are kept in working
 * copies here, not on immer drafts (a proxy trap per move); the snapshot receives a copy of each changed
 * ledger once at the end of the tick (`flush`).
 */
import type { Draft } from 'immer';
import type { Model } from '../scenario/model.js';
import type { SendCause, UsageMeter } from '../cost/usage.js';
import { DurationHistogram } from './histogram.js';
import { broken } from './invariant.js';
import type { IncomingRecord } from './module.js';
import { emptyCounts, type ItemIdInput, type RecordState, type RecordStore } from './records.js';
import type { SimState, SourceLedger } from './state.js';

/** What the ledgers read of the run they belong to, at each use (a restore replaces the meter). */
export interface LedgerHost {
  /** The cost meter now. */
  readonly usage: UsageMeter;
  /** True while a destination or dead-letter delivery puts its envelope: those sends are 'deliveries'. */
  readonly delivering: boolean;
}

/** The Ledgers fields a checkpoint copies (the rest is fixed at construction). */
export const LEDGER_CHECKPOINT_FIELDS = ['ledgers', 'dirty', 'endToEnd', 'admittedId'] as const;
export const LEDGER_CONFIGURATION_FIELDS = ['model', 'records', 'host', 'admittedBytes'] as const;

/** The ledgers of one run: admit, settle and age, and their copies in the snapshot. */
export class Ledgers {
  /** Working copies of the ledgers, by source. */
  private ledgers = new Map<string, SourceLedger>();
  /** Ledgers changed since the last flush, in the order they first changed. */
  private dirty = new Set<string>();
  /** End-to-end latency of traffic's records: put to processed (settled as succeeded). */
  private endToEnd = new DurationHistogram();
  /** The record `admit` just stored, and its size as the cost meter asks for it (one function, not one per record). */
  private admittedId = -1;
  private readonly admittedBytes = (): number => this.records.bytes(this.admittedId);

  constructor(
    private readonly model: Model,
    private readonly records: RecordStore,
    private readonly host: LedgerHost,
  ) {}

  /** One empty ledger per declared resource that is not a function, as the first snapshot lists them. */
  initial(): SimState['sources'] {
    const sources: SimState['sources'] = {};
    for (const [name, kind] of Object.entries(this.model.resources)) {
      if (kind === 'function') continue;
      const ledger: SourceLedger = { name, kind, put: 0, counts: emptyCounts(), failedTo: {}, peakAgeMs: 0 };
      this.ledgers.set(name, ledger);
      sources[name] = copyLedger(ledger);
    }
    return sources;
  }

  /** EngineContext.admit: a new record, 'waiting' in its source's ledger (created for async:/sync sources). */
  admit(source: string, record: IncomingRecord, itemId: ItemIdInput, at: number): number {
    let ledger = this.ledgers.get(source);
    if (!ledger) {
      const kind = source.startsWith('async:') ? 'async' : 'sync';
      ledger = { name: source, kind, put: 0, counts: emptyCounts(), failedTo: {}, peakAgeMs: 0 };
      this.ledgers.set(source, ledger);
    }
    ledger.put++;
    ledger.counts.waiting++;
    this.dirty.add(source);
    const id = this.records.add(source, itemId, at, record);
    // The size is measured here once and kept in the store (batch limits read it again).
    this.admittedId = id;
    const usage = this.host.usage;
    if (usage.meters(source)) usage.admitted(source, this.admittedBytes, this.sendCause(source, record));
    return id;
  }

  /** EngineContext.settle: a record moves to `to`; its ledger's counts follow. */
  settle(id: number, to: RecordState, failedTo: string | undefined, now: number): void {
    const records = this.records;
    const from = records.move(id, to);
    const source = records.source(id);
    const ledger = this.ledgers.get(source)!;
    this.dirty.add(source);
    if (--ledger.counts[from] < 0) broken('a record left a state its ledger had none in', { source, record: records.itemId(id), from, to });
    ledger.counts[to]++;
    if (to === 'failed' && failedTo) ledger.failedTo[failedTo] = (ledger.failedTo[failedTo] ?? 0) + 1;
    if (to === 'succeeded' && records.trafficIndex(id) >= 0) this.endToEnd.record(now - records.putAtMs(id));
  }

  /** EngineContext.observeAge: remembers the largest age seen on a source. */
  observeAge(source: string, ageMs: number): void {
    const ledger = this.ledgers.get(source);
    if (ledger && ageMs > ledger.peakAgeMs) {
      ledger.peakAgeMs = ageMs;
      this.dirty.add(source);
    }
  }

  /** Copies each ledger changed since the last flush into the snapshot being produced. */
  flush(sources: Draft<SimState['sources']>): void {
    for (const name of this.dirty) {
      const ledger = this.ledgers.get(name)!;
      settles(ledger);
      sources[name] = copyLedger(ledger);
    }
    this.dirty.clear();
  }

  /** Percentiles of the time from a traffic record's put to its processing (undefined before any). */
  endToEndPercentiles(): { p50: number; p99: number } | undefined {
    return this.endToEnd.count > 0 ? { p50: this.endToEnd.percentile(0.5), p99: this.endToEnd.percentile(0.99) } : undefined;
  }

  /** The working state a checkpoint copies (live: the engine copies it in one graph with the rest). */
  save(): Record<string, unknown> {
    return { ledgers: this.ledgers, dirty: this.dirty, endToEnd: this.endToEnd, admittedId: this.admittedId } satisfies Record<(typeof LEDGER_CHECKPOINT_FIELDS)[number], unknown>;
  }

  /** Adopts a copy of what `save` returned. */
  restore(saved: Record<string, unknown>): void {
    Object.assign(this, saved);
  }

  /**
   * Why a record entering a resource is billed (docs/cost.md): undefined when AWS does not bill it, as for
   * SQS's own move of a message to its dead-letter queue, or an AWS service event (a schedule) on a bus.
   */
  private sendCause(resource: string, record: IncomingRecord): SendCause | undefined {
    if (typeof record.attributes?.redrivenFrom === 'string') return undefined;
    if (this.model.resources[resource] === 'bus') {
      const source = (record.body as { source?: unknown } | null | undefined)?.source;
      if (typeof source === 'string' && source.startsWith('aws.')) return undefined;
    }
    return this.host.delivering ? 'deliveries' : 'ingest';
  }
}

/**
 * Recounts every record's state from the store and compares it with the ledgers a snapshot carries: each
 * count equal to the store's, and every record put in exactly one state (the counts sum to `put`).
 */
export function checkAccounting(sources: SimState['sources'], records: RecordStore): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  const recount = records.recount();
  for (const [name, ledger] of Object.entries(sources)) {
    let sum = 0;
    for (const [state, n] of Object.entries(ledger.counts)) {
      sum += n;
      const actual = recount[name]?.[state as RecordState] ?? 0;
      if (actual !== n) problems.push(`${name}: ledger says ${n} ${state}, the store holds ${actual}`);
    }
    if (sum !== ledger.put) problems.push(`${name}: ${ledger.put} put but ${sum} accounted for`);
  }
  for (const name of Object.keys(recount)) {
    if (!sources[name]) problems.push(`${name}: records in the store but no ledger`);
  }
  return { ok: problems.length === 0, problems };
}

/**
 * A ledger settles: every record put is in exactly one state, so the counts sum to `put` and none is
 * below 0. Checked for each ledger that changed, before its copy enters the snapshot.
 */
export function settles(ledger: SourceLedger): void {
  const c = ledger.counts;
  const sum = c.waiting + c.inFlight + c.succeeded + c.failed + c.expired + c.filtered;
  if (sum !== ledger.put || c.waiting < 0 || c.inFlight < 0 || c.succeeded < 0 || c.failed < 0 || c.expired < 0 || c.filtered < 0) {
    broken('a ledger does not account for every record it was put', { source: ledger.name, put: ledger.put, ...c });
  }
}

function copyLedger(ledger: SourceLedger): SourceLedger {
  return { ...ledger, counts: { ...ledger.counts }, failedTo: { ...ledger.failedTo } };
}
