/**
 * The stream module's runtime state, one explicit object that every helper of the module receives
 * (nothing is captured in a closure), and the shapes it holds: sources and their shards, mappings, each
 * mapping's consumer of a shard with its lanes, batches and tumbling windows.
 */
import type { StreamViewType } from '../../aws/dynamodb.js';
import type { AwsAccount } from '../../aws/arn.js';
import type { InvocationOutcome } from '../../aws/invoke.js';
import { type EngineContext, type Timer, timersOf } from '../../module.js';
import type { EsmModel } from '../../../scenario/model.js';
import type { Service, StreamKind, StreamResource } from './kinds.js';
import type { ShardConsumerStatus, StreamFailureView } from './view.js';

export const STREAM = 'stream';

export interface Shard {
  index: number;
  shardId: string;
  seq: (n: number) => string;
  /** Record store ids by position. */
  ids: number[];
  trimIndex: number;
  retentionTimer?: Timer;
  /** Mapping consumers of this shard, in mapping order. */
  consumers: Consumer[];
}

export interface Source {
  name: string;
  kind: StreamResource;
  service: Service;
  /** What differs between Kinesis and DynamoDB Streams (kinds.ts). */
  spec: StreamKind;
  arn: string;
  retentionMs: number;
  shards: Shard[];
  partitionKeyName?: string;
  streamViewType?: StreamViewType;
  /** Shard index per partition key (MD5 is the hot path otherwise). */
  shardOfKey: Map<string, number>;
  mappings: Mapping[];
  putCount: number;
}

export interface Mapping {
  esm: EsmModel;
  source: Source;
  /** The first mapping of a source moves its records' states (see the module comment). */
  owner: boolean;
  laneOfKey: Map<string, number>;
  fnArn: string;
  /**
   * The last RECENT_STREAM_INVOKES invocations of this mapping, oldest first, kept only when a dashboard
   * reads the views (ctx.views): the Log pane's enter shows the batch its handler received.
   */
  recent: RecentInvoke[];
}

/** At most this many invocations per mapping are kept for inspection (Mapping.recent). */
export const RECENT_STREAM_INVOKES = 64;

/**
 * One invocation of a stream batch as its handler received it: the event when it was built (real code
 * ran), otherwise what rebuilds it from the record columns on request (positions, the tumbling window's
 * fields at the invoke), plus the consumer's checkpoint at that moment.
 */
export interface RecentInvoke {
  requestId: string;
  batchId: string;
  consumer: Consumer;
  /** The batch's positions when invoked (a partial retry gives the batch a new array: this one stays). */
  positions: number[];
  /** The consumer's checkpoint (a position: everything before it is done) when invoked. */
  checkpoint: number;
  window?: { startMs: number; endMs: number; state: Record<string, unknown> };
  final?: { terminatedEarly: boolean };
  event?: unknown;
}

export interface Batch {
  id: string;
  /** Positions in the shard, ascending. */
  positions: number[];
  /** Invocations of this batch that ran (throttles excluded). */
  invocations: number;
  /** Retries spent. */
  retries: number;
  /** Consecutive throttles (backoff only). */
  throttles: number;
  bisectDepth: number;
  lastRequestId?: string;
  lastOutcome?: InvocationOutcome;
  /** The version the last invocation ran (responseContext.executedVersion). */
  lastVersion?: string;
  /** Tumbling window: a final invoke (no records). */
  final?: { terminatedEarly: boolean };
  /** The event, once built (inspect shows it). */
  event?: unknown;
}

export interface Window {
  startMs: number;
  endMs: number;
  state: Record<string, unknown>;
  /** The next invoke of this window is its final one (ended, or terminated early). */
  terminatedEarly: boolean;
  timer?: Timer;
}

export interface Lane {
  index: number;
  consumer: Consumer;
  /** Positions read and not yet batched, a deque: live part is buffer[head..]. */
  buffer: number[];
  head: number;
  /** Batches to run before new ones are read from the buffer (retries, bisected halves), in order. */
  pending: Batch[];
  inFlight?: Batch;
  /** A retry or throttle backoff: the lane waits until it fires. */
  backoff?: Timer;
  /** maxBatchingWindow: gathering until this time. */
  gatherUntil?: number;
  gatherTimer?: Timer;
  window?: Window;
  status: ShardConsumerStatus;
}

export interface Consumer {
  mapping: Mapping;
  shard: Shard;
  lanes: Lane[];
  readIndex: number;
  /** Finished positions (1), for a checkpoint that passes records finished out of order. */
  done: Uint8Array;
  checkpoint: number;
  /** Positions read but not finished, excluding those before the checkpoint. */
  buffered: number;
  lastPollAt: number;
  pollTimer?: Timer;
  viewIndex: number;
}

/** What an invocation of this module carries back to onComplete. */
export interface BatchRef {
  lane: Lane;
  batch: Batch;
}

export interface StreamRuntime {
  readonly sources: Map<string, Source>;
  /** Lanes to try in the next dispatch. */
  readonly ready: Set<Lane>;
  /** Consumers whose view rows need a refresh at the end of the tick. */
  readonly dirty: Set<Consumer>;
  /** Batches in flight or pending, by id (inspect). */
  readonly batches: Map<string, BatchRef>;
  /** Events of batches that ended in failure, at most RECENT_STREAM_FAILURES (inspect). */
  readonly recentBatches: Array<{ id: string; event: unknown }>;
  /** Failures since the last sample, by source: the view's recentFailures gets them at the tick's end. */
  readonly newFailures: Map<string, StreamFailureView[]>;
  epochMs: (simMs: number) => number;
  account: AwsAccount;
}

export function createRuntime(): StreamRuntime {
  return {
    sources: new Map(),
    ready: new Set(),
    dirty: new Set(),
    batches: new Map(),
    recentBatches: [],
    newFailures: new Map(),
    epochMs: (ms) => ms,
    account: { region: 'us-east-1', accountId: '123456789012' },
  };
}

export function bufferLength(lane: Lane): number {
  return lane.buffer.length - lane.head;
}

export function shiftBuffer(lane: Lane): number {
  const p = lane.buffer[lane.head++];
  if (lane.head > 1024 && lane.head * 2 > lane.buffer.length) {
    lane.buffer = lane.buffer.slice(lane.head);
    lane.head = 0;
  }
  return p;
}

export function putAt(ctx: { records: EngineContext['records'] }, shard: Shard, p: number): number {
  return ctx.records.putAtMs(shard.ids[p]);
}

export function newBatch(ctx: EngineContext, positions: number[], final?: { terminatedEarly: boolean }): Batch {
  return { id: ctx.ids.short('b'), positions, invocations: 0, retries: 0, throttles: 0, bisectDepth: 0, ...(final ? { final } : {}) };
}

/** Age of a batch's oldest record now (0 for a final window invoke, which has none). */
export function oldestAgeMs(ctx: EngineContext, c: Consumer, batch: Batch): number {
  return batch.positions.length === 0 ? 0 : ctx.now - putAt(ctx, c.shard, batch.positions[0]);
}

/** Retry backoff: 1 s before the first retry, doubling, at most 30 s (see the module comment). */
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}

/** The stream module's timers: what each kind is due for. */
export interface StreamTimers {
  /** A consumer's next GetRecords call on its shard. */
  poll: Consumer;
  /** A mapping created later than the run's start (startAt) begins reading. */
  start: Mapping;
  /** The front of a shard passes the retention period. */
  retention: { source: Source; shard: Shard };
  /** A lane's retry or throttle backoff ends. */
  backoff: Lane;
  /** A lane's batching window (maxBatchingWindow) ends. */
  gather: Lane;
  /** A lane's tumbling window ends. */
  window: Lane;
}

/** Schedules one of the stream module's own timers. */
export const schedule = timersOf<StreamTimers>(STREAM);
