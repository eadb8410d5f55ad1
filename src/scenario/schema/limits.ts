/**
 * The limits and defaults of the scenario contract, in one table (docs/scenario-contract.md). Each entry
 * says where its numbers come from: a section of docs/aws-rules.md, docs/fidelity.md, or "ours" when the
 * number is a bound of the simulator rather than an AWS setting. The label is what an error shows as the
 * allowed range; the default, written once here, is what a field left out becomes (the schemas of
 * schema/kinds.ts apply it, nothing else does).
 */
import { parseDuration } from '../../lang/duration.js';
import type { Duration } from '../types.js';

export interface DurationLimit {
  minMs: number;
  maxMs: number;
  label: string;
  /** What the field is when left out; none means the field is required (or has no default). */
  default?: Duration;
  /** Where the range and the default come from. */
  source: string;
}

export interface NumberLimit {
  min: number;
  max: number;
  integer?: boolean;
  /** The allowed range as errors show it; `min..max` when absent. */
  label?: string;
  default?: number;
  source: string;
}

function range<const D extends Duration | undefined = undefined>(lo: string, hi: string, source: string, fallback?: D): DurationLimit & { default: D } {
  const minMs = lo === '0' ? 0 : parseDuration(lo);
  const maxMs = parseDuration(hi);
  if (minMs === undefined || maxMs === undefined) throw new Error(`bad range ${lo}..${hi}`);
  return { minMs, maxMs, label: `${lo}..${hi}`, default: fallback as D, source };
}

function whole<const N extends number | undefined = undefined>(min: number, max: number, source: string, fallback?: N, label?: string): NumberLimit & { default: N } {
  return { min, max, integer: true, default: fallback as N, source, ...(label ? { label } : {}) };
}

function real<const N extends number | undefined = undefined>(min: number, max: number, source: string, fallback?: N): NumberLimit & { default: N } {
  return { min, max, default: fallback as N, source };
}

/** The States Language's largest value for its seconds and attempts fields. */
const ASL_MAX = 99_999_999;

export const LIMITS = {
  // Scenario-wide settings. Not AWS limits: a tick of more than a minute would skip Kinesis' 1 s polls and
  // every short timer, and a headless run is bounded so that it always ends.
  tick: range('1ms', '1m', 'ours', '100ms'),
  runDuration: range('1ms', '30d', 'ours', '5m'),
  /** A seed is a whole number a double holds exactly. */
  seed: whole(0, Number.MAX_SAFE_INTEGER, 'ours', 1, '0..2^53-1'),
  /** 1,000 per Region by default; raised limits reach tens of thousands. */
  accountConcurrency: whole(1, 100_000, 'docs/aws-rules.md §4', 1000),

  // Functions.
  timeout: range('1s', '15m', 'docs/aws-rules.md §1 (Timeout default 3 s, 1..900 s)', '3s'),
  memorySize: whole(128, 10_240, 'docs/aws-rules.md §1 (MemorySize 128..10,240 MB, default 128)', 128),
  /** A run longer than the 15 minute maximum timeout always times out; an hour is plenty to show that. */
  runTime: range('0', '1h', 'ours', '100ms'),
  coldStart: range('0', '15m', 'ours (simulated init time)', '300ms'),
  /**
   * How long an idle on-demand environment stays warm. AWS documents no number (docs/aws-rules.md §4:
   * "reused for a non-deterministic time"); reports put it at 5 to 15 minutes, so the default is the
   * middle of that.
   */
  environmentIdleTimeout: range('1s', '24h', 'docs/aws-rules.md §4 (not an AWS setting)', '10m'),
  retryAttempts: whole(0, 2, 'docs/aws-rules.md §2 (MaximumRetryAttempts)', 2),
  maxEventAge: range('60s', '6h', 'docs/aws-rules.md §2 (MaximumEventAgeInSeconds 60..21600)', '6h'),
  duplicateRate: real(0, 1, 'docs/aws-rules.md §2 (at-least-once delivery)', 0),
  provisionedConcurrency: whole(0, 100_000, 'docs/versions.md (bounded like account concurrency)', 0),

  // SQS queues: docs/aws-rules.md §3.2 (visibility 0..12 h, delay 0..15 min, retention 60 s..14 d).
  visibilityTimeout: range('0', '12h', 'docs/aws-rules.md §3.2', '30s'),
  deliveryDelay: range('0', '15m', 'docs/aws-rules.md §3.2', 0),
  queueRetention: range('60s', '14d', 'docs/aws-rules.md §3.2', '4d'),
  maxReceiveCount: whole(1, 1000, 'docs/aws-rules.md §3.2 (RedrivePolicy maxReceiveCount)'),

  // Kinesis streams and DynamoDB tables. 500 shards is Kinesis' default per-account shard quota in the
  // large Regions; the simulator stops there. Kinesis keeps records 24 h by default, up to 365 days.
  shardCount: whole(1, 500, 'ours (Kinesis default shard quota)', 1),
  streamRetention: range('24h', '365d', 'docs/aws-rules.md §3.4', '24h'),

  // EventBridge: docs/aws-rules.md §6 (target RetryPolicy MaximumEventAgeInSeconds 60..86400).
  // (MaximumRetryAttempts 0..185, default 185).
  ruleMaxEventAge: range('60s', '24h', 'docs/aws-rules.md §6', '24h'),
  ruleRetryAttempts: whole(0, 185, 'docs/aws-rules.md §6', 185),
  // Event source mappings: docs/aws-rules.md §3.1 (MaximumBatchingWindowInSeconds 0..300) and §3.4
  // (MaximumRecordAgeInSeconds -1 or 60..604800; TumblingWindowInSeconds 0..900).
  batchingWindow: range('0', '300s', 'docs/aws-rules.md §3.1', 0),
  maxRecordAge: range('60s', '7d', 'docs/aws-rules.md §3.4'),
  tumblingWindow: range('0', '15m', 'docs/aws-rules.md §3.4', 0),
  /** Our own field (docs/fidelity.md): when a mapping is created, from the start of the run. */
  startAt: range('0', '365d', 'docs/fidelity.md', 0),
  // docs/aws-rules.md §3.1: BatchSize 1..10,000, default 10 for SQS and 100 for streams, at most 10 for FIFO.
  sqsBatchSize: whole(1, 10_000, 'docs/aws-rules.md §3.1', 10, '1..10000'),
  fifoBatchSize: whole(1, 10, 'docs/aws-rules.md §3.1', 10, '1..10 for a FIFO queue'),
  streamBatchSize: whole(1, 10_000, 'docs/aws-rules.md §3.1', 100, '1..10000'),
  /** docs/aws-rules.md §3.2: ScalingConfig.MaximumConcurrency, SQS only. */
  maxConcurrency: whole(2, 1000, 'docs/aws-rules.md §3.2'),
  /** docs/aws-rules.md §3.4: ParallelizationFactor, streams only. */
  parallelizationFactor: whole(1, 10, 'docs/aws-rules.md §3.4', 1),
  /** docs/aws-rules.md §3.4: MaximumRetryAttempts of a stream mapping, -1 = until the record expires. */
  streamRetryAttempts: whole(-1, 10_000, 'docs/aws-rules.md §3.4', -1, '-1 (retry until the record expires)..10000'),
  // API Gateway's integration timeout (docs/fidelity.md): 50 ms up to 30 s for HTTP APIs; REST APIs
  // default to 29 s and can be raised to 300 s (Regional and private APIs, since 2024-06).
  integrationTimeout: range('50ms', '30s', 'docs/fidelity.md', '30s'),
  restIntegrationTimeout: range('50ms', '300s', 'docs/fidelity.md', '29s'),
  /** Traffic and fault times: bounded like the run itself, with room for stretches that never come. */
  time: range('0', '365d', 'ours'),
  /** When a traffic entry starts sending: the same range, from the start of the run by default. */
  trafficStart: range('0', '365d', 'ours', 0),
  /** Any finite rate: a rate as high as the count sends the whole count at once (a backlog at t=0). */
  trafficRate: { min: 0, max: Number.MAX_VALUE, label: '0 or more per second', source: 'ours' } as NumberLimit,
  trafficCount: whole(0, Number.MAX_SAFE_INTEGER, 'ours', undefined, '0 or more'),
  /** At most this many partition keys or message groups in one traffic entry. */
  trafficKeys: whole(1, 10_000, 'ours', undefined, '1..10000, or a list of names'),
  /** Firehose buffering hints of a transformation (docs/callers.md, "Firehose data transformation"). */
  firehoseBufferSize: { min: 0.2, max: 3, label: '0.2..3 (MB)', default: 1, source: 'docs/callers.md, "Firehose data transformation" (bufferSize)' } as NumberLimit & { default: 1 },
  /** When a fault starts: the same range, from the start of the run by default. */
  faultFrom: range('0', '365d', 'ours', 0),
  /** The probability that a fault hits an invocation it applies to. */
  faultRate: { min: 0, max: 1, label: '0..1 (a probability)', default: 1, source: 'ours' } as NumberLimit & { default: 1 },
  latency: range('0', '15m', 'ours'),

  // Step Functions (docs/callers.md, "Step Functions"): the States Language's seconds and attempts fields
  // take whole numbers up to 99999999; BackoffRate is at least 1.0; MaxDelaySeconds at most a year and a day.
  taskTimeoutSeconds: whole(1, ASL_MAX, 'docs/callers.md, "Step Functions" (TimeoutSeconds)', undefined, `1..${ASL_MAX} (seconds)`),
  waitSeconds: whole(0, ASL_MAX, 'docs/callers.md, "Step Functions" (a Wait state\'s Seconds)', undefined, `0..${ASL_MAX}`),
  retryIntervalSeconds: whole(1, ASL_MAX, 'docs/callers.md, "Step Functions" (IntervalSeconds, default 1)', 1, `1..${ASL_MAX}`),
  retryMaxAttempts: whole(0, ASL_MAX, 'docs/callers.md, "Step Functions" (MaxAttempts, default 3)', 3, `0..${ASL_MAX}`),
  retryBackoffRate: { min: 1, max: 1_000_000, label: '1.0 or more', default: 2, source: 'docs/callers.md, "Step Functions" (BackoffRate, default 2.0)' } as NumberLimit & { default: 2 },
  retryMaxDelaySeconds: whole(1, 31_622_400, 'docs/callers.md, "Step Functions" (MaxDelaySeconds)', undefined, '1..31622400'),

  // Versions and aliases (docs/versions.md): an alias's additional version gets a share of the invocations.
  aliasWeight: { min: 0, max: 1, label: '0..1 (the share of invocations it gets)', source: 'docs/versions.md, "Weighted routing"' } as NumberLimit,

  // Deployments (docs/versions.md): a CloudWatch alarm's period, a custom canary or linear interval.
  alarmPeriod: range('10s', '1d', 'docs/versions.md (alarms: CloudWatch periods of 10 s, 30 s or whole minutes)', '1m'),
  /** evaluationPeriods × period is at most a day (CloudWatch evaluates at most a day of data). */
  alarmEvaluationPeriods: whole(1, 1440, 'docs/versions.md, "Deployments" (alarms)', 1),
  /** Any number an alarm compares with, bounded so that a typo of many zeros is caught. */
  alarmThreshold: { min: -1e12, max: 1e12, label: 'a number', source: 'ours' } as NumberLimit,
  deploymentInterval: range('1m', '2880m', 'docs/versions.md (CodeDeploy time-based configurations)'),
  /** CodeDeploy's TimeBasedCanary and TimeBasedLinear: a whole percentage. */
  deploymentPercent: whole(1, 99, 'docs/versions.md, "Deployments" (percentages whole numbers 1..99)'),
  /** When a deployment starts: within the run (a rule), from its start by default. */
  deploymentAt: range('0', '365d', 'ours', 0),
  // Kinesis Data Firehose buffering interval of a transformation (docs/callers.md).
  firehoseBufferInterval: range('0', '900s', 'docs/callers.md, "Firehose data transformation" (bufferInterval)', '60s'),
} as const;

/** docs/aws-rules.md §4: AWS keeps 100 of the account's concurrency unreserved. */
export const UNRESERVED_MINIMUM = 100;

/** Defaults that are names rather than numbers, beside the limits for the same reason. */
export const DEFAULTS = {
  /** The Region a scenario's ARNs name unless it says another (Lambda@Edge needs this one, docs/callers.md). */
  region: 'us-east-1',
  /** The account its ARNs name: AWS's own example account ID. */
  accountId: '123456789012',
  /** Lambda's Architectures default (docs/cost.md: arm64 duration is cheaper). */
  architecture: 'x86_64',
  /** Records per second of a traffic entry without a rate. */
  trafficRate: 1,
  /** Partition keys per shard of a stream's traffic without partitionKeys: enough that MD5 hashing puts
   * records on every shard (docs/aws-rules.md §3.4). */
  keysPerShard: 4,
  /** Message groups of a FIFO queue's traffic without messageGroups: one, so order holds across the queue. */
  messageGroups: 1,
  /** What SES takes from a function that answers no disposition (docs/callers.md, "SES receipt rules"). */
  sesDisposition: 'CONTINUE',
  /** An alarm's comparison when none is given, as the AWS CDK's (docs/versions.md, "Deployments"). */
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  /** CloudWatch's TreatMissingData default. */
  treatMissingData: 'missing',
  /** A deployment without a configuration moves all traffic at once (CodeDeploy's AllAtOnce). */
  deploymentConfig: 'AllAtOnce',
  /** DynamoDB Streams' StreamViewType as the scenario shows it by default: both images. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  /** docs/aws-rules.md §3.4: DynamoDB Streams keep records for 24 hours; it is not a setting. */
  tableRetention: '24h',
} as const;
