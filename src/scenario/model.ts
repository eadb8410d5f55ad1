/**
 * The validated, normalised scenario the engine runs: every default filled in, every duration in
 * milliseconds, every reference checked. `validateScenario` (validate.ts) is the only producer.
 */
import type { Architecture, CloudFrontEventType, CognitoTriggerSource, FaultKind, Handler, HttpRequestSpec, InvokeVia } from './types.js';

export type ResourceKind = 'function' | 'queue' | 'stream' | 'table' | 'topic' | 'bus' | 'bucket' | 'stateMachine';

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
  /** Step Functions state machines of Lambda tasks (docs/callers.md, "Step Functions"). */
  stateMachines: Record<string, StateMachineModel>;
  eventSourceMappings: EsmModel[];
  traffic: TrafficModel[];
  faults: FaultModel[];
  deployments: DeploymentModel[];
  /** Every declared name and its kind; names are unique across kinds. */
  resources: Record<string, ResourceKind>;
}

/**
 * Where a worker finds a function's real code (docs/sandbox.md): an inline handler by its path in the
 * scenario file's default export, or a handler file and the export named after its last dot.
 */
export type HandlerSource =
  | { kind: 'inline'; scenarioFile: string; path: string[] }
  | { kind: 'file'; file: string; exportName: string; setting: string };

export interface FunctionModel {
  name: string;
  /** An inline handler function (what a model built in memory runs on the calling thread). */
  handler?: Handler;
  /** Where the sandbox loads the real code from; set when the model comes from a scenario file. */
  handlerSource?: HandlerSource;
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
  /** Published versions by number; `$LATEST` runs the function's own configuration. */
  versions: Record<string, VersionModel>;
  aliases: Record<string, AliasModel>;
  retryAttempts: number;
  maxEventAgeMs: number;
  /** Probability that a succeeded async event is delivered once more (at-least-once); default 0. */
  duplicateRate: number;
  onSuccess?: string;
  onFailure?: string;
  deadLetterQueue?: string;
}

/** What one version runs: the function's code and configuration fields, with the version's overrides. */
export interface VersionModel {
  version: string;
  handler?: Handler;
  /** Where the sandbox loads this version's own code from, when it has its own handler. */
  handlerSource?: HandlerSource;
  duration: { p50Ms: number; p99Ms: number };
  timeoutMs: number;
  memorySize: number;
  coldStartMs: number;
  /** Provisioned concurrency configured on this version itself (0 = none). */
  provisionedConcurrentExecutions: number;
}

export interface AliasModel {
  name: string;
  version: string;
  /** At most one entry: another published version and its weight 0..1. */
  additionalVersionWeights: Record<string, number>;
  provisionedConcurrentExecutions: number;
}

export type AlarmMetric = 'Errors' | 'Throttles' | 'Duration' | 'Invocations';
export type ComparisonOperator = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export interface AlarmModel {
  name: string;
  metric: AlarmMetric;
  threshold: number;
  periodMs: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** 'Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount' or 'pNN'. */
  statistic: string;
  comparisonOperator: ComparisonOperator;
  treatMissingData: 'missing' | 'notBreaching' | 'breaching' | 'ignore';
  executedVersion?: string;
}

/** A deployment's traffic schedule: the new version's weight from each time on (ms after the start). */
export interface DeploymentModel {
  /** `d-<index>` style id, stable per scenario. */
  id: string;
  index: number;
  fn: string;
  alias: string;
  to: string;
  atMs: number;
  /** The configuration's name as CodeDeploy shows it, e.g. 'CodeDeployDefault.LambdaCanary10Percent5Minutes'. */
  config: string;
  /** Percent of traffic per step and the step interval (a canary has one step before 100%). */
  type: 'canary' | 'linear' | 'allAtOnce';
  percent: number;
  intervalMs: number;
  alarms: AlarmModel[];
  hooks: { beforeAllowTraffic?: { fn: string; qualifier?: string }; afterAllowTraffic?: { fn: string; qualifier?: string } };
}

export interface QueueModel {
  name: string;
  fifo: boolean;
  /** FIFO only: a message without a deduplication id is deduplicated by the SHA-256 of its body. */
  contentBasedDeduplication: boolean;
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
  /** DynamoDB Streams keep records 24 hours, fixed (docs/aws-rules.md §3.4). */
  retentionPeriodMs: number;
}

export interface TopicModel {
  name: string;
  /** The endpoints, in declaration order (one per entry of `subscriptionConfigs`). */
  subscriptions: string[];
  subscriptionConfigs: SubscriptionModel[];
}

export interface SubscriptionModel {
  endpoint: string;
  filterPolicy?: object;
  filterPolicyScope: 'MessageAttributes' | 'MessageBody';
  rawMessageDelivery: boolean;
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
  /** The mapping's function qualifier (alias or version), if its FunctionName was qualified. */
  qualifier?: string;
  batchSize: number;
  maxBatchingWindowMs: number;
  enabled: boolean;
  /** When the mapping is created (ms from the run's start): it receives nothing before then. */
  startAtMs: number;
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
  /** The resource a 'put' goes to, or the function an 'invoke' calls (without its qualifier). */
  target: string;
  /** An invoke's qualifier: a version, an alias or '$LATEST'; undefined = unqualified ($LATEST). */
  qualifier?: string;
  targetKind: ResourceKind;
  type?: 'RequestResponse' | 'Event';
  via?: InvokeVia;
  /** Ascending by atMs; the first step starts at 0. */
  rate: RateStep[];
  count?: number;
  startMs: number;
  stopMs?: number;
  partitionKeys?: string[];
  messageGroups?: string[];
  /** FIFO queues: the MessageDeduplicationId of message i. */
  deduplicationId?: (i: number) => string;
  /** Topics and queues: the message attributes of message i. */
  messageAttributes?: (i: number) => Record<string, unknown>;
  body?: (i: number) => unknown;
  http?: HttpRequestSpec;
  /** The caller's own options, defaults filled in (docs/callers.md); set only for its `via`. */
  cloudfront?: { eventType: CloudFrontEventType; region?: string };
  cognito?: { triggerSource: CognitoTriggerSource };
  firehose?: { bufferSizeBytes: number; bufferIntervalMs: number };
  s3Batch?: { invocationSchemaVersion: '1.0' | '2.0' };
  ses?: { disposition: 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE' };
  url?: { authType: 'NONE' | 'AWS_IAM'; invokeMode?: 'RESPONSE_STREAM' };
}

export interface FaultModel {
  /** Position in scenario.faults (live faults get indexes after them). */
  index: number;
  function: string;
  /**
   * Only invocations that run this version ('2', '$LATEST') or arrive through this alias; undefined = every
   * invocation of the function.
   */
  qualifier?: string;
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

/** True when a function runs real code (inline or from a handler file), not the default success. */
export function hasRealCode(fn: FunctionModel): boolean {
  return fn.handler !== undefined || fn.handlerSource !== undefined;
}

/** A Retrier of a Task state, defaults filled in (IntervalSeconds 1, MaxAttempts 3, BackoffRate 2, JitterStrategy NONE). */
export interface RetrierModel {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitterStrategy: 'FULL' | 'NONE';
}

export interface CatcherModel {
  errorEquals: string[];
  next: string;
  /** Where the error output `{ Error, Cause }` goes: '$' (default) replaces the input, null drops it. */
  resultPath: string | null;
}

export type StateModel =
  | { type: 'Task'; fn: string; qualifier?: string; next?: string; timeoutSeconds?: number; retry: RetrierModel[]; catch: CatcherModel[]; resultPath: string | null }
  | { type: 'Pass'; next?: string; result?: unknown; resultPath: string | null }
  | { type: 'Wait'; seconds: number; next?: string }
  | { type: 'Succeed' }
  | { type: 'Fail'; error?: string; cause?: string };

export interface StateMachineModel {
  name: string;
  startAt: string;
  states: Record<string, StateModel>;
}
