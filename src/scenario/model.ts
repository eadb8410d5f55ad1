/**
 * The validated, normalised scenario the engine runs: every default filled in, every duration in
 * milliseconds, every reference checked. `validateScenario` (validate.ts) is the only producer.
 */
import type { Architecture, FaultKind, Handler, HttpRequestSpec } from './types.js';

export type ResourceKind = 'function' | 'queue' | 'stream' | 'table' | 'topic' | 'bus' | 'bucket';

export interface Model {
  /** The scenario file, when loaded from one. */
  file?: string;
  name: string;
  description: string;
  seed: number;
  tickMs: number;
  durationMs: number;
  region: string;
  accountId: string;
  accountConcurrency: number;
  functions: Record<string, FunctionModel>;
  queues: Record<string, QueueModel>;
  streams: Record<string, StreamModel>;
  tables: Record<string, TableModel>;
  topics: Record<string, TopicModel>;
  /** Always holds 'default'. */
  buses: Record<string, BusModel>;
  buckets: Record<string, BucketModel>;
  eventSourceMappings: EsmModel[];
  traffic: TrafficModel[];
  faults: FaultModel[];
  /** Every declared name and its kind; names are unique across kinds. */
  resources: Record<string, ResourceKind>;
}

export interface FunctionModel {
  name: string;
  handler?: Handler;
  /** Log-normal duration model through p50 and p99; a fixed duration has p50Ms === p99Ms. */
  duration: { p50Ms: number; p99Ms: number };
  timeoutMs: number;
  memorySize: number;
  /** 'x86_64' unless the scenario says 'arm64'; only the cost model reads it. */
  architecture: Architecture;
  coldStartMs: number;
  /** An idle on-demand environment is reclaimed after this long; the next invocation cold-starts. */
  environmentIdleTimeoutMs: number;
  reservedConcurrentExecutions?: number;
  provisionedConcurrentExecutions: number;
  retryAttempts: number;
  maxEventAgeMs: number;
  /** Probability that a succeeded async event is delivered once more (at-least-once); default 0. */
  duplicateRate: number;
  onSuccess?: string;
  onFailure?: string;
  deadLetterQueue?: string;
}

export interface QueueModel {
  name: string;
  fifo: boolean;
  visibilityTimeoutMs: number;
  deliveryDelayMs: number;
  retentionPeriodMs: number;
  redrive?: { queue: string; maxReceiveCount: number };
}

export interface StreamModel {
  name: string;
  shardCount: number;
  retentionPeriodMs: number;
}

export interface TableModel {
  name: string;
  partitionKey: string;
  shardCount: number;
  streamViewType: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** DynamoDB Streams keep records 24 hours, fixed (SEMANTICS 3.4). */
  retentionPeriodMs: number;
}

export interface TopicModel {
  name: string;
  subscriptions: string[];
}

export interface RuleModel {
  name: string;
  eventPattern?: object;
  schedule?: string;
  targets: string[];
  retryAttempts: number;
  maxEventAgeMs: number;
  deadLetterQueue?: string;
}

export interface BusModel {
  name: string;
  rules: RuleModel[];
}

export interface BucketModel {
  name: string;
  notifications: Array<{ events: string[]; prefix?: string; suffix?: string; function: string }>;
}

export type EsmSourceKind = 'sqs' | 'kinesis' | 'dynamodb';

export interface EsmModel {
  /** `esm-<index in eventSourceMappings>` */
  id: string;
  source: string;
  sourceKind: EsmSourceKind;
  function: string;
  batchSize: number;
  maxBatchingWindowMs: number;
  enabled: boolean;
  filters: object[];
  reportBatchItemFailures: boolean;
  maxConcurrency?: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  parallelizationFactor: number;
  bisectBatchOnError: boolean;
  /** -1 = retry until the record expires. */
  retryAttempts: number;
  /** -1 = no limit. */
  maxRecordAgeMs: number;
  onFailure?: string;
  /** 0 = off. */
  tumblingWindowMs: number;
}

export interface RateStep {
  atMs: number;
  ratePerSecond: number;
}

export interface TrafficModel {
  /** Position in scenario.traffic. */
  index: number;
  kind: 'put' | 'invoke';
  /** The resource a 'put' goes to, or the function an 'invoke' calls. */
  target: string;
  targetKind: ResourceKind;
  type?: 'RequestResponse' | 'Event';
  via?: 'cli' | 'alb' | 'apigateway' | 's3' | 'sns';
  /** Ascending by atMs; the first step starts at 0. */
  rate: RateStep[];
  count?: number;
  startMs: number;
  stopMs?: number;
  partitionKeys?: string[];
  messageGroups?: string[];
  body?: (i: number) => unknown;
  http?: HttpRequestSpec;
}

export interface FaultModel {
  /** Position in scenario.faults (live faults get indexes after them). */
  index: number;
  function: string;
  kind: FaultKind;
  match?: {
    /** Match records of this traffic entry (by position in scenario.traffic) only. */
    traffic?: number;
    index?: number[];
    partitionKey?: string;
    messageGroup?: string;
    body?: (body: unknown) => boolean;
  };
  rate: number;
  fromMs: number;
  untilMs: number;
  addMs: number;
  /**
   * Live faults only: the fault hits at most this many invocations, then stops (the dashboard's "fail
   * the next N invocations"). Undefined means no limit.
   */
  count?: number;
}
