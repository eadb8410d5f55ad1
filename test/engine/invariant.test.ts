/**
 * The engine's invariants (src/engine/invariant.ts) fire: each broken state is forced through the smallest
 * exported function that checks it, with only the fields that function reads, and the test asserts the
 * exact message. A run never reaches these states (the accounting property tests say so); what is shown
 * here is that the checks are live, name what broke, and stop at once instead of letting a wrong count
 * through.
 */
import { describe, expect, it } from 'vitest';
import { EngineInvariantError } from '../../src/engine/invariant.js';
import { acquire, FunctionEnvironments, initialFunctionState, release } from '../../src/engine/lambda/concurrency.js';
import type { FunctionModel } from '../../src/scenario/model.js';
import { leave } from '../../src/engine/sources/sqs/lifecycle.js';
import { Phase } from '../../src/engine/sources/sqs/messages.js';
import { complete, visibilityEnds } from '../../src/engine/sources/sqs/outcome.js';
import { advanceCheckpoint, markDone, startAtLatest } from '../../src/engine/sources/stream/checkpoint.js';
import { QueueRuntime } from '../../src/engine/sources/sqs/queue.js';
import { RecordStore } from '../../src/engine/records.js';
import { settles } from '../../src/engine/ledgers.js';
import type { SourceLedger } from '../../src/engine/state.js';

/** Runs `f` and returns the invariant error it throws (failing the test if it throws anything else or nothing). */
function invariantOf(f: () => unknown): EngineInvariantError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInvariantError);
    return error as EngineInvariantError;
  }
  throw new Error('no invariant fired');
}

// The modules' state objects are large; each test builds the part the checked function reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const as = <T>(value: unknown) => value as any as T;

function fn(reserved?: number): FunctionModel {
  return as<FunctionModel>({ name: 'worker', versions: {}, aliases: {}, ...(reserved !== undefined ? { reservedConcurrentExecutions: reserved } : {}) });
}

function account(unreservedPool: number, unreservedConcurrency = 0) {
  return { limit: 1000, concurrency: 0, unreservedPool, unreservedConcurrency, peak: 0 };
}

describe('concurrency invariants (engine/lambda/concurrency.ts)', () => {
  it('a function above its reserved concurrency: a provisioned environment taken while the reservation is all in use', () => {
    const state = initialFunctionState(fn(2));
    const envs = new FunctionEnvironments('worker');
    envs.allocate(state, 'live', { 1: 1 });
    state.concurrency = 2; // both reserved slots already running
    const error = invariantOf(() => acquire(account(998), state, envs, 0, '1', 'live'));
    expect(error.message).toBe('lambda-tui internal error: a function runs above its reserved concurrency ({"fn":"worker","concurrency":3,"reserved":2}); please report it');
    expect(error.what).toBe('a function runs above its reserved concurrency');
  });

  it('the unreserved pool above its size: an unreserved function taking a provisioned environment while the pool is overdrawn', () => {
    const state = initialFunctionState(fn());
    const envs = new FunctionEnvironments('worker');
    envs.allocate(state, 'live', { 1: 1 });
    const error = invariantOf(() => acquire(account(3, 4), state, envs, 0, '1', 'live'));
    expect(error.message).toBe(
      'lambda-tui internal error: the unreserved pool runs above its size ({"fn":"worker","unreservedConcurrency":4,"unreservedPool":3}); please report it',
    );
  });

  it('concurrency below 0: a release with nothing acquired', () => {
    const state = initialFunctionState(fn());
    const error = invariantOf(() => release(account(1000), state, new FunctionEnvironments('worker'), 0));
    expect(error.message).toBe(
      'lambda-tui internal error: concurrency below 0 after a release ({"fn":"worker","version":"$LATEST","concurrency":-1,"versionConcurrency":-1,"account":-1,"unreserved":-1,"onDemandBusy":-1,"provisionedBusy":0}); please report it',
    );
  });

  it('an acquire and its release leave every count where it was (no invariant fires on the ordinary path)', () => {
    const state = initialFunctionState(fn(2));
    const acc = account(998);
    const envs = new FunctionEnvironments('worker');
    const got = acquire(acc, state, envs, 0);
    expect(got.ok).toBe(true);
    if (got.ok) release(acc, state, envs, 10, got.held);
    expect([state.concurrency, acc.concurrency, state.envs.onDemandBusy]).toEqual([0, 0, 0]);
  });
});

describe('SQS invariants (engine/sources/sqs)', () => {
  it('a queue count below 0: a message leaves the visible phase of a queue that counts none visible', () => {
    const rt = as<Parameters<typeof leave>[0]>({ msgs: { phase: [Phase.Visible] } });
    const q = as<Parameters<typeof leave>[1]>({ name: 'jobs', counts: { delayed: 0, visible: 0, received: 0, invisible: 0 } });
    const error = invariantOf(() => leave(rt, q, 0));
    expect(error.message).toBe(
      'lambda-tui internal error: an SQS queue count went below 0 ({"queue":"jobs","message":0,"phase":' +
        String(Phase.Visible) +
        ',"delayed":0,"visible":-1,"received":0,"invisible":0}); please report it',
    );
  });

  it("a mapping count below 0: a batch completes on a mapping with no invocation running", () => {
    const b = as<Parameters<typeof complete>[2]>({ id: 'b-1', ids: [], mapping: { invoking: 0, batches: 0, model: { id: 'esm-0' } } });
    const error = invariantOf(() => complete(as({}), as({}), b, as({ outcome: 'success' })));
    expect(error.message).toBe('lambda-tui internal error: an SQS mapping count went below 0 ({"mapping":"esm-0","batch":"b-1","invoking":-1,"batches":-1}); please report it');
  });

  it("a mapping count below 0: a held batch's visibility timeout ends on a mapping that holds none", () => {
    const b = as<Parameters<typeof visibilityEnds>[2]>({
      id: 'b-2',
      ids: [],
      state: 'held',
      mapping: { held: 0, batches: 0, model: { id: 'esm-1' }, queue: { fifo: false } },
    });
    const rt = as<Parameters<typeof visibilityEnds>[0]>({ msgs: { phase: [] }, consumers: new Map(), idleSince: new Map() });
    const error = invariantOf(() => visibilityEnds(rt, as({}), b));
    expect(error.message).toBe('lambda-tui internal error: an SQS mapping count went below 0 ({"mapping":"esm-1","batch":"b-2","held":-1,"batches":-1}); please report it');
  });
});

describe('stream checkpoint invariants (engine/sources/stream/checkpoint.ts)', () => {
  function consumer(fields: Record<string, unknown>) {
    return as<Parameters<typeof markDone>[0]>({
      mapping: { source: { name: 'orders' }, esm: { id: 'esm-0' }, owner: true },
      shard: { shardId: 'shardId-000000000001', trimIndex: 0, seq: (p: number) => String(p) },
      done: new Uint8Array(4),
      checkpoint: 0,
      readIndex: 2,
      buffered: 0,
      ...fields,
    });
  }

  it('a consumer finishing a record it never counted as read', () => {
    const error = invariantOf(() => markDone(consumer({ buffered: 0 }), 1));
    expect(error.message).toBe(
      'lambda-tui internal error: a shard consumer finished more records than it had read ({"source":"orders","shard":"shardId-000000000001","mapping":"esm-0","position":1}); please report it',
    );
  });

  it('a checkpoint passing trimmed records the consumer never counted as read', () => {
    const c = consumer({ buffered: 1, shard: { shardId: 'shardId-000000000000', trimIndex: 2, seq: String } });
    const rt = as<Parameters<typeof advanceCheckpoint>[0]>({ dirty: new Set() });
    const error = invariantOf(() => advanceCheckpoint(rt, as({ tracing: false, skip() {} }), c));
    expect(error.message).toBe(
      'lambda-tui internal error: a shard consumer finished more records than it had read ({"source":"orders","shard":"shardId-000000000000","mapping":"esm-0","checkpoint":2}); please report it',
    );
  });

  it('finished records move the checkpoint forward when the counts agree', () => {
    const c = consumer({ buffered: 2 });
    const rt = as<Parameters<typeof advanceCheckpoint>[0]>({ dirty: new Set() });
    markDone(c, 0);
    markDone(c, 1);
    advanceCheckpoint(rt, as({ tracing: false, skip() {} }), c);
    expect([c.checkpoint, c.buffered]).toEqual([2, 0]);
  });
});

describe('ledger invariants (engine/records.ts, engine/ledgers.ts)', () => {
  it('a record ends in exactly one state: settling a succeeded message again fires', () => {
    const records = new RecordStore();
    const id = records.add('jobs', 'm-1', 0, { trafficIndex: 0, i: 0, body: { n: 0 } });
    expect(records.move(id, 'inFlight')).toBe('waiting');
    expect(records.move(id, 'succeeded')).toBe('inFlight');
    const error = invariantOf(() => records.move(id, 'failed'));
    expect(error.message).toBe(
      'lambda-tui internal error: a record in a final state was settled again ({"source":"jobs","record":"m-1","from":"succeeded","to":"failed"}); please report it',
    );
    expect(records.state(id)).toBe('succeeded');
  });

  function ledger(put: number, counts: Partial<SourceLedger['counts']>): SourceLedger {
    return { name: 'jobs', kind: 'queue', put, counts: { waiting: 0, inFlight: 0, succeeded: 0, failed: 0, expired: 0, filtered: 0, ...counts }, failedTo: {}, peakAgeMs: 0 };
  }

  it('a ledger settles: counts that do not sum to the records put fire', () => {
    const error = invariantOf(() => settles(ledger(3, { waiting: 1, succeeded: 1 })));
    expect(error.message).toBe(
      'lambda-tui internal error: a ledger does not account for every record it was put ({"source":"jobs","put":3,"waiting":1,"inFlight":0,"succeeded":1,"failed":0,"expired":0,"filtered":0}); please report it',
    );
  });

  it('a ledger settles: a count below 0 fires even when the sum is right', () => {
    const error = invariantOf(() => settles(ledger(1, { inFlight: -1, succeeded: 2 })));
    expect(error.what).toBe('a ledger does not account for every record it was put');
  });

  it('a ledger whose records are each in one state passes', () => {
    expect(() => settles(ledger(4, { waiting: 1, inFlight: 1, failed: 1, filtered: 1 }))).not.toThrow();
  });
});

describe('FIFO group invariants (engine/sources/sqs/outcome.ts)', () => {
  /** A FIFO batch of one message (id 0, group g1) received once, now invisible after a failure. */
  function fifoBatch(group: { outstanding: number; invisible: number }) {
    const records = new RecordStore();
    records.add('jobs.fifo', 'm-0', 0, { trafficIndex: 0, i: 0, body: { n: 0 }, messageGroup: 'g1' });
    const q = new QueueRuntime(as({ name: 'jobs.fifo', fifo: true }));
    const g = q.group('g1');
    Object.assign(g, group);
    q.blocked.add('g1');
    const b = as<Parameters<typeof visibilityEnds>[2]>({
      id: 'b-3',
      ids: [0],
      receipts: [1],
      state: 'done',
      mapping: { held: 0, batches: 0, model: { id: 'esm-2' }, queue: q },
    });
    const rt = as<Parameters<typeof visibilityEnds>[0]>({ msgs: { phase: [Phase.Invisible], receiveCount: [1] }, consumers: new Map(), idleSince: new Map() });
    return { rt, b, ctx: as<Parameters<typeof visibilityEnds>[1]>({ records, now: 0 }) };
  }

  it("a group's lock released twice: a message's visibility ends in a group that has none out", () => {
    const { rt, b, ctx } = fifoBatch({ outstanding: 0, invisible: 1 });
    const error = invariantOf(() => visibilityEnds(rt, ctx, b));
    expect(error.message).toBe('lambda-tui internal error: a FIFO group released more messages than it had out ({"queue":"jobs.fifo","group":"g1"}); please report it');
  });

  it('a group unblocked twice: a failed message comes back to a group that counts none failed', () => {
    const { rt, b, ctx } = fifoBatch({ outstanding: 1, invisible: 0 });
    const error = invariantOf(() => visibilityEnds(rt, ctx, b));
    expect(error.message).toBe(
      'lambda-tui internal error: a FIFO group unblocked more failed messages than it held ({"queue":"jobs.fifo","group":"g1","message":"m-0"}); please report it',
    );
  });
});

describe('stream checkpoint never moves back (engine/sources/stream/checkpoint.ts)', () => {
  function consumerAt(checkpoint: number, shardLength: number) {
    return as<Parameters<typeof startAtLatest>[0]>({
      mapping: { source: { name: 'orders' }, esm: { id: 'esm-0' } },
      shard: { shardId: 'shardId-000000000000', ids: Array.from({ length: shardLength }, (_, i) => i) },
      checkpoint,
      readIndex: checkpoint,
    });
  }

  it('a LATEST start behind the checkpoint fires', () => {
    const error = invariantOf(() => startAtLatest(consumerAt(5, 3)));
    expect(error.message).toBe(
      'lambda-tui internal error: a checkpoint would move back ({"source":"orders","shard":"shardId-000000000000","mapping":"esm-0","from":5,"to":3}); please report it',
    );
  });

  it("a LATEST start moves the checkpoint and the read position to the shard's end", () => {
    const c = consumerAt(1, 4);
    startAtLatest(c);
    expect([c.checkpoint, c.readIndex]).toEqual([4, 4]);
  });
});
