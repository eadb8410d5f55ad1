/**
 * The SQS module's runtime state, one explicit object that every helper of the module receives (nothing
 * is captured in a closure): the queues, the mappings' pollers, the batches, and the per-message table.
 */
import type { SQSEvent } from 'aws-lambda';
import type { EsmModel, FunctionModel } from '../../../scenario/model.js';
import type { AwsAccount } from '../../aws/arn.js';
import { type EngineContext, type Timer, timersOf } from '../../module.js';
import { SQS } from './constants.js';
import { MessageTable } from './messages.js';
import type { Group, QueueRuntime } from './queue.js';

/** filling (window open), invoking, held (throttled), failed (waiting for the visibility timeout), done. */
export type BatchState = 'filling' | 'invoking' | 'held' | 'failed' | 'done';

export interface Batch {
  id: string;
  mapping: MappingRuntime;
  ids: number[];
  /** The receive count each message had when this batch received it: its receipt handle. */
  receipts: number[];
  openedAtMs: number;
  deadlineMs: number;
  bytes: number;
  full: boolean;
  state: BatchState;
  /** The FIFO group being drained into this batch. */
  group?: Group;
  visibilityTimer?: Timer;
  retryTimer?: Timer;
  retryDelayMs: number;
  requestId?: string;
  event?: SQSEvent;
}

export interface MappingRuntime {
  model: EsmModel;
  queue: QueueRuntime;
  fn: FunctionModel;
  target: number;
  floor: number;
  /** The low-traffic floor: 2 without maxConcurrency, else the floor of 5 (services-sqs-scaling.html). */
  quietFloor: number;
  cap: number;
  /** FIFO mappings scale with the active message groups, without the standard ramp (docs/aws-rules.md §3.3). */
  fifo: boolean;
  visibilityMs: number;
  /** Batches open, invoking or held: the slots in use. */
  batches: number;
  invoking: number;
  held: number;
  open?: Batch;
  /** Throttles and (without ReportBatchItemFailures) failed batches since the last scaling step. */
  backoffSignals: number;
  /** Messages waited with every slot busy since the last scaling step. */
  waited: boolean;
  scaleTimer?: Timer;
  /** Messages that receives returned (received or filtered), and the receive calls that returned them. */
  returned: number;
  receives: number;
  /** Empty long polls over idle stretches that have ended; the open stretch is added when sampled. */
  emptyReceives: number;
}

export interface SqsRuntime {
  readonly msgs: MessageTable;
  readonly queues: Map<string, QueueRuntime>;
  /** Every SQS mapping in model order (the order pollers are served in). */
  readonly mappings: MappingRuntime[];
  /** The mappings reading each queue. */
  readonly consumers: Map<string, MappingRuntime[]>;
  readonly liveBatches: Map<string, Batch>;
  /** Finished batches kept for inspection, at most RECENT_BATCHES. */
  readonly recentBatches: Batch[];
  /** Since when each queue has held no visible message (its pollers' long polls come back empty). */
  readonly idleSince: Map<string, number>;
  /** Something asked for another dispatch call in the next millisecond. */
  wakeRequested: boolean;
  epochMs: (simMs: number) => number;
  account: AwsAccount;
}

export function createRuntime(): SqsRuntime {
  return {
    msgs: new MessageTable(),
    queues: new Map(),
    mappings: [],
    consumers: new Map(),
    liveBatches: new Map(),
    recentBatches: [],
    idleSince: new Map(),
    wakeRequested: false,
    epochMs: (ms) => ms,
    account: { region: 'us-east-1', accountId: '123456789012' },
  };
}

export function wake(rt: SqsRuntime, ctx: EngineContext): void {
  rt.wakeRequested = true;
  ctx.wake(SQS);
}

/** The SQS module's timers: what each kind is due for. */
export interface SqsTimers {
  /** The front of a queue's delayed messages is due to become visible. */
  delay: QueueRuntime;
  /** The front of a queue's retention order is due to expire. */
  retention: QueueRuntime;
  /** The visibility timeout of a batch's receive ends. */
  visibility: Batch;
  /** The batching window of the filling batch ends. */
  window: Batch;
  /** A held (throttled) batch's backoff ends. */
  retry: Batch;
  /** A standard mapping's scaling step (once a second). */
  scale: MappingRuntime;
  /** A mapping created later than the run's start (startAt) begins polling. */
  start: MappingRuntime;
}

/** Schedules one of the SQS module's own timers. */
export const schedule = timersOf<SqsTimers>(SQS);
