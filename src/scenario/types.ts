/**
 * The scenario contract (docs/architecture.md, "Scenario contract"). Field names are public: scenario files
 * outside this repository depend on them. Names follow the AWS CDK's camelCase props.
 */
import type { Callback, Context } from 'aws-lambda';

/**
 * Milliseconds as a number, or a string with a unit: `'250ms'`, `'30s'`, `'5m'`, `'6h'`, `'7d'`; or two
 * whole parts as the dashboard prints them, largest first: `'1m 30s'`, `'1h5m'`, `'2d 6h'` (more parts,
 * such as `'1h 2m 3s'`, are read too).
 */
export type Duration =
  | number
  | `${number}ms`
  | `${number}s`
  | `${number}m`
  | `${number}h`
  | `${number}d`
  | `${number}m ${number}s`
  | `${number}m${number}s`
  | `${number}h ${number}m`
  | `${number}h${number}m`
  | `${number}d ${number}h`
  | `${number}d${number}h`;

/** A handler receives exactly the event AWS would send and a Context whose clock is simulated time. */
export type Handler = (event: any, context: Context, callback: Callback) => unknown | Promise<unknown>;

/**
 * A handler wrapped in `awslambda.streamifyResponse` (a global, as in Lambda's Node.js runtime), which writes
 * its answer to a stream (docs/callers.md, "Response streaming"). @types/aws-lambda types what
 * streamifyResponse returns as `(event, responseStream, context)`; it is accepted here as a Function, a type
 * without a call signature, so that an inline `handler: async (event, context) => ...` keeps the parameter
 * types `Handler` gives it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type StreamingHandler = Function;

export interface Scenario {
  name: string;
  /** What to watch for; shown in the dashboard. */
  description?: string;
  /** Default 1. */
  seed?: number;
  /** Default '100ms'. */
  tick?: Duration;
  /** How long a headless run simulates; default '5m'. */
  duration?: Duration;
  /** Default 'us-east-1' (ARNs). */
  region?: string;
  /** Default '123456789012'. */
  accountId?: string;
  /** Default { concurrentExecutions: 1000 }. */
  account?: { concurrentExecutions?: number };
  functions: Record<string, FunctionSpec>;
  queues?: Record<string, QueueSpec>;
  streams?: Record<string, StreamSpec>;
  tables?: Record<string, TableSpec>;
  topics?: Record<string, TopicSpec>;
  /** EventBridge buses; 'default' always exists. */
  buses?: Record<string, BusSpec>;
  buckets?: Record<string, BucketSpec>;
  /**
   * Step Functions state machines whose Task states invoke functions, with Retry and Catch
   * (docs/callers.md, "Step Functions"). Traffic `{ to: 'machine' }` starts executions.
   */
  stateMachines?: Record<string, StateMachineSpec>;
  eventSourceMappings?: EventSourceMappingSpec[];
  traffic?: TrafficSpec[];
  faults?: FaultSpec[];
  /** CodeDeploy deployments that shift an alias from one version to another (docs/versions.md). */
  deployments?: DeploymentSpec[];
}

/** Lambda's `Architectures` setting: one of the two instruction sets AWS offers. */
export type Architecture = 'x86_64' | 'arm64';

export interface FunctionSpec {
  /**
   * Real code; default: succeed with `null`. A string is a file reference as Lambda's Handler setting
   * reads, relative to the scenario file: `'src/orders.handler'` is the export `handler` of `src/orders.js`
   * (or `.mjs`, `.cjs`, `.ts`).
   */
  handler?: Handler | StreamingHandler | string;
  /** Simulated run time; default '100ms'. */
  duration?: Duration | { p50: Duration; p99: Duration };
  /** Default '3s'; 1s..15m. */
  timeout?: Duration;
  /** Default 128; 128..10240. */
  memorySize?: number;
  /**
   * Instruction set the function runs on; default 'x86_64'. It changes only the price of duration
   * (arm64 GB-seconds cost about 20% less; see docs/cost.md), not how the simulation runs.
   * @example architecture: 'arm64'
   */
  architecture?: Architecture;
  /** Init time of a new execution environment; default '300ms'. */
  coldStart?: Duration;
  /**
   * How long an idle environment stays warm before Lambda reclaims it; default '10m'. AWS documents no
   * number ("a non-deterministic time"), so this is a scenario setting: 1s..24h.
   */
  environmentIdleTimeout?: Duration;
  reservedConcurrentExecutions?: number;
  /**
   * Refused here: AWS never runs `$LATEST` on provisioned concurrency. Put it on a version
   * (`versions['1'].provisionedConcurrentExecutions`) or an alias (`aliases.live.provisionedConcurrentExecutions`).
   */
  provisionedConcurrentExecutions?: number;
  /**
   * Published versions, immutable, keyed as AWS numbers them ('1', '2', ...). Each field defaults to the
   * function's own (what `$LATEST` runs). docs/versions.md
   */
  versions?: Record<string, VersionSpec>;
  /** Aliases: a name pointing at a version, optionally with one additional weighted version. */
  aliases?: Record<string, AliasSpec>;
  /** Asynchronous invocation config (PutFunctionEventInvokeConfig): 0..2, default 2. */
  retryAttempts?: number;
  /** 60s..6h, default 6h. */
  maxEventAge?: Duration;
  /**
   * Asynchronous delivery is at-least-once: the probability (0..1, default 0) that an event that
   * succeeded is delivered to the function once more, with the same request id.
   */
  duplicateRate?: number;
  /** Destination: queue, topic, function or bus name. */
  onSuccess?: string;
  /** Destination: queue, topic, function, bus or bucket name. */
  onFailure?: string;
  /** Queue or topic name. */
  deadLetterQueue?: string;
}

/** A published version: the code and configuration fields of FunctionSpec, each defaulting to the function's. */
export interface VersionSpec {
  handler?: Handler;
  duration?: Duration | { p50: Duration; p99: Duration };
  timeout?: Duration;
  memorySize?: number;
  coldStart?: Duration;
  /** Provisioned concurrency on this version (PutProvisionedConcurrencyConfig with the version as qualifier). */
  provisionedConcurrentExecutions?: number;
}

/** An alias (CreateAlias): its primary version and at most one additional version with a weight 0..1. */
export interface AliasSpec {
  /** A published version ('1'), or '$LATEST' when the alias has no additional version. */
  version: string;
  /** `{ '2': 0.1 }`: version 2 gets 10% of the invocations, the primary the rest. */
  additionalVersionWeights?: Record<string, number>;
  /** Provisioned concurrency on the alias: split between its versions by weight. */
  provisionedConcurrentExecutions?: number;
}

/** The CodeDeploy predefined Lambda deployment configurations (also accepted as `CodeDeployDefault.Lambda…`). */
export type DeploymentPreset =
  | 'Canary10Percent5Minutes'
  | 'Canary10Percent10Minutes'
  | 'Canary10Percent15Minutes'
  | 'Canary10Percent30Minutes'
  | 'Linear10PercentEvery1Minute'
  | 'Linear10PercentEvery2Minutes'
  | 'Linear10PercentEvery3Minutes'
  | 'Linear10PercentEvery10Minutes'
  | 'AllAtOnce';

/** A CloudWatch alarm on the alias's Lambda metrics (dimensions FunctionName, Resource and, optionally, ExecutedVersion). */
export interface AlarmSpec {
  name: string;
  metric: 'Errors' | 'Throttles' | 'Duration' | 'Invocations';
  threshold: number;
  /** Default '1m'; 10s..1d. */
  period?: Duration;
  /** Default 1. */
  evaluationPeriods?: number;
  /** Default evaluationPeriods (M of N alarms). */
  datapointsToAlarm?: number;
  /** Default 'Sum' (Average for Duration); also Minimum, Maximum, SampleCount and percentiles 'p90', 'p99.9'. */
  statistic?: string;
  /** Default 'GreaterThanOrEqualToThreshold' (as the AWS CDK). */
  comparisonOperator?: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  /** Default 'missing'. */
  treatMissingData?: 'missing' | 'notBreaching' | 'breaching' | 'ignore';
  /** Only invocations that ran this version through the alias (the ExecutedVersion dimension); default all. */
  executedVersion?: string;
}

export interface DeploymentSpec {
  /** 'fn:alias'. */
  alias: string;
  /** The version to shift the alias to. */
  to: string;
  /** When the deployment starts; default 0. */
  at?: Duration;
  /** A preset, or a custom time-based canary or linear configuration; default 'AllAtOnce'. */
  config?: DeploymentPreset | `CodeDeployDefault.Lambda${DeploymentPreset}` | { type: 'canary' | 'linear'; percent: number; interval: Duration };
  /** Up to 10 alarms; any in ALARM stops the deployment and rolls the alias back. */
  alarms?: AlarmSpec[];
  /** Functions that must succeed: before any traffic shifts, and after all of it has. */
  hooks?: { beforeAllowTraffic?: string; afterAllowTraffic?: string };
}

export interface QueueSpec {
  fifo?: boolean;
  /**
   * FIFO queues: the deduplication id of a message without one is the SHA-256 of its body, so the same
   * body sent again within 5 minutes is accepted and not delivered (docs/fidelity.md). Default false.
   */
  contentBasedDeduplication?: boolean;
  /** Default '30s'; 0..12h. */
  visibilityTimeout?: Duration;
  /** Default 0; 0..15m. */
  deliveryDelay?: Duration;
  /** Default '4d'; 60s..14d. */
  retentionPeriod?: Duration;
  /** Redrive policy. */
  deadLetterQueue?: { queue: string; maxReceiveCount: number };
}

export interface StreamSpec {
  /** Default 1. */
  shardCount?: number;
  /** Default '24h'. */
  retentionPeriod?: Duration;
}

export interface TableSpec {
  partitionKey: string;
  shardCount?: number;
  streamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

export interface TopicSpec {
  /** Function or queue names, or subscription objects with a filter policy and raw delivery (docs/fidelity.md). */
  subscriptions?: Array<string | SubscriptionSpec>;
}

/** An SNS subscription with its attributes. */
export interface SubscriptionSpec {
  /** The function or queue. */
  endpoint: string;
  /** SNS filter policy: only messages that match it are delivered. */
  filterPolicy?: object;
  /** What the policy is matched against; default 'MessageAttributes'. */
  filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
  /** Queues only: the message itself as the SQS body (and its attributes as SQS attributes), not the JSON notification. Default false. */
  rawMessageDelivery?: boolean;
}

export interface BusRuleSpec {
  name: string;
  eventPattern?: object;
  /** `rate(5 minutes)` or `cron(0/5 * * * ? *)`. */
  schedule?: string;
  targets: string[];
  /** Target retry policy: 0..185, default 185. */
  retryAttempts?: number;
  /** 60s..24h, default 24h. */
  maxEventAge?: Duration;
  /** Queue name. */
  deadLetterQueue?: string;
}

export interface BusSpec {
  rules: BusRuleSpec[];
}

export interface BucketNotificationSpec {
  events: string[];
  prefix?: string;
  suffix?: string;
  function: string;
}

export interface BucketSpec {
  notifications: BucketNotificationSpec[];
}

export interface EventSourceMappingSpec {
  /** Queue, stream or table name. */
  source: string;
  function: string;
  /** Defaults and ranges as AWS: SQS 10, streams 100. */
  batchSize?: number;
  /** 0..300s. */
  maxBatchingWindow?: Duration;
  /** Default true. */
  enabled?: boolean;
  /** When the mapping is created, from the start of the run (default 0): it polls nothing before then. */
  startAt?: Duration;
  /** FilterCriteria patterns, OR-ed. */
  filters?: object[];
  reportBatchItemFailures?: boolean;
  /** SQS only, 2..1000. */
  maxConcurrency?: number;
  /** Streams only. */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Streams only, 1..10. */
  parallelizationFactor?: number;
  /** Streams only. */
  bisectBatchOnError?: boolean;
  /** Streams only, -1 (infinite, default)..10000. */
  retryAttempts?: number;
  /** Streams only, -1 (default) or 60s..7d. */
  maxRecordAge?: Duration | -1;
  /** Streams only: queue, topic or bucket name. */
  onFailure?: string;
  /** Streams only, 0..15m. */
  tumblingWindow?: Duration;
}

/**
 * Constant records per simulated second, or steps `[{ at: '0s', rate: 5 }, { at: '30s', rate: 50 }]`.
 * Any rate: with a `count`, a rate as high as the count is a backlog present at t=0
 * (`{ to: 'jobs', count: 1_000_000, rate: 1_000_000 }` puts a million messages in the first second).
 * An entry may send at most 100,000,000 records in a run, since every one is kept in memory.
 */
export type Rate = number | Array<{ at: Duration; rate: number }>;

/** Records put into a queue, stream, table, topic, bus or bucket. */
export interface PutTrafficSpec {
  to: string;
  rate?: Rate;
  count?: number;
  start?: Duration;
  stop?: Duration;
  /** Streams and tables: how many keys (or which), spread evenly. */
  partitionKeys?: number | string[];
  /** FIFO queues. */
  messageGroups?: number | string[];
  /**
   * FIFO queues: the MessageDeduplicationId of message i. A message whose id was sent in the last 5
   * minutes is accepted and not delivered. Without it (and without the queue's
   * contentBasedDeduplication) each message gets a unique id, as a producer that sets ids would.
   */
  deduplicationId?: (i: number) => string;
  /**
   * Topics and queues: the message attributes of message i (a string is a String attribute, a number a
   * Number; or `{ dataType, stringValue }`), which SNS filter policies match and SQS passes on.
   */
  messageAttributes?: (i: number) => Record<string, string | number | { dataType: string; stringValue?: string }>;
  /** Payload of record i (0-based in this entry); default `{"n": i}`. */
  body?: (i: number) => unknown;
}

/** Callers that invoke synchronously (RequestResponse): the caller waits for the answer (docs/callers.md). */
export type SyncCaller = 'cli' | 'alb' | 'apigateway' | 'cloudfront' | 'cognito' | 'stepfunctions' | 'lex' | 'alexa' | 'firehose' | 's3-batch' | 'url';
/** Callers that invoke asynchronously (Event): Lambda queues the event and retries (docs/callers.md). */
export type AsyncCaller = 's3' | 'sns' | 'ses' | 'cloudwatch-logs' | 'codecommit' | 'config' | 'iot';
/** Who invokes: `cli` (and `ses`) take either type; every other caller has its own. */
export type InvokeVia = SyncCaller | AsyncCaller;

/** The four CloudFront events a Lambda@Edge function can be associated with. */
export type CloudFrontEventType = 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response';

/** The Cognito user pool trigger sources lambda-tui builds events for (docs/callers.md, "Cognito"). */
export type CognitoTriggerSource =
  | 'PreSignUp_SignUp'
  | 'PreSignUp_AdminCreateUser'
  | 'PreSignUp_ExternalProvider'
  | 'PostConfirmation_ConfirmSignUp'
  | 'PostConfirmation_ConfirmForgotPassword'
  | 'PreAuthentication_Authentication'
  | 'PostAuthentication_Authentication'
  | 'TokenGeneration_HostedAuth'
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_AuthenticateDevice'
  | 'TokenGeneration_RefreshTokens'
  | 'CustomMessage_SignUp'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_Authentication'
  | 'UserMigration_Authentication'
  | 'UserMigration_ForgotPassword';

/** Direct invocations of a function. */
export interface InvokeTrafficSpec {
  invoke: string;
  /**
   * May be left out when the caller has a fixed invocation type (every `via` but 'cli' and 'ses'); refused
   * when it contradicts the caller. Required for 'cli'; 'ses' defaults to 'Event'.
   */
  type?: 'RequestResponse' | 'Event';
  /** Default 'cli'. docs/callers.md describes each caller. */
  via?: InvokeVia;
  rate?: Rate;
  count?: number;
  start?: Duration;
  stop?: Duration;
  /**
   * The event (cli, stepfunctions, iot), the HTTP request body (alb, apigateway, url, cloudfront), or the
   * caller's own input of invocation i (docs/callers.md says which, per caller).
   */
  body?: (i: number) => unknown;
  /** The HTTP request for `via: 'alb' | 'apigateway' | 'url' | 'cloudfront'` (docs/aws-rules.md §1). */
  http?: HttpRequestSpec;
  /** Lambda@Edge: which CloudFront event the function is associated with; default 'viewer-request'. */
  /**
   * Lambda@Edge (docs/callers.md, "CloudFront"): `eventType` default 'viewer-request'; `region`, the AWS Region
   * nearest the viewers, where the function's replica runs and writes its logs (log group
   * `/aws/lambda/us-east-1.<function>` in that Region); default the scenario's region, which must be us-east-1.
   */
  cloudfront?: { eventType?: CloudFrontEventType; region?: string };
  /** Cognito user pool trigger; default triggerSource 'PreSignUp_SignUp'. */
  cognito?: { triggerSource?: CognitoTriggerSource };
  /** Firehose data transformation buffering hints: bufferSize MB 0.2..3 (default 1), bufferInterval 0..900s (default '60s'). */
  firehose?: { bufferSize?: number; bufferInterval?: Duration };
  /** S3 Batch Operations LambdaInvoke: invocationSchemaVersion '1.0' (default) or '2.0'. */
  s3Batch?: { invocationSchemaVersion?: '1.0' | '2.0' };
  /**
   * SES receipt rule Lambda action. `disposition` is what a function without real code answers with, for
   * type 'RequestResponse' (a handler's own `{ disposition }` wins); default 'CONTINUE'.
   */
  ses?: { disposition?: 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE' };
  /** Function URL: auth type 'NONE' (default) or 'AWS_IAM'. */
  /**
   * A function URL (docs/callers.md, "Function URLs"): `authType` default 'NONE'; `invokeMode` default
   * 'BUFFERED' (6 MB answers, read once the handler has finished), or 'RESPONSE_STREAM' (a handler wrapped in
   * awslambda.streamifyResponse streams up to 200 MB, the client seeing the first byte as it is written).
   */
  url?: { authType?: 'NONE' | 'AWS_IAM'; invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM' };
}

export interface HttpRequestSpec {
  /** Default 'GET' (or 'POST' when a body is given). */
  method?: string;
  /** Default '/'. */
  path?: string;
  headers?: Record<string, string | string[]>;
  query?: Record<string, string | string[]>;
  /** ALB target group attribute lambda.multi_value_headers.enabled; default false. */
  multiValueHeaders?: boolean;
  /** API Gateway payload format: '1.0' (REST, or an HTTP API set to 1.0) or '2.0' (HTTP API only); default '2.0', or '1.0' with `api: 'rest'`. */
  payloadFormatVersion?: '1.0' | '2.0';
  /**
   * Which gateway (docs/fidelity.md): 'rest' (REST API: 502 on a failed integration, 29 s default
   * timeout raisable to 300 s) or 'http' (HTTP API: 500, at most 30 s). Default 'http' for payload 2.0
   * and 'rest' for 1.0; an HTTP API with payload 1.0 keeps HTTP API behaviour.
   */
  api?: 'rest' | 'http';
  /** API Gateway integration timeout; default 29 s (REST) or 30 s (HTTP API), at most 300 s (REST) or 30 s (HTTP API). */
  integrationTimeout?: Duration;
}

export type TrafficSpec = PutTrafficSpec | InvokeTrafficSpec;

/**
 * 'serviceError' is a Lambda service failure: the Invoke request fails with 500 ServiceException before the
 * function runs (no invocation, no function error, not a throttle); callers treat it as AWS documents for
 * system errors (docs/aws-rules.md, "Service errors").
 */
export type FaultKind = 'error' | 'timeout' | 'throttle' | 'latency' | 'partial' | 'serviceError';

export interface FaultMatch {
  /** Only records of this traffic entry (0-based position in `traffic`); with `index`, record i of it. */
  traffic?: number;
  /** 0-based position in its traffic entry (as body's i); of any entry unless `traffic` says which. */
  index?: number | number[];
  partitionKey?: string;
  messageGroup?: string;
  body?: (body: unknown) => boolean;
}

/**
 * A fault applies to invocations of `function` while active (from..until), with probability `rate`
 * (default 1), and, with `match`, only to invocations whose event holds a matching record (a poison pill).
 * 'partial' reports the matching records as batchItemFailures.
 */
export interface FaultSpec {
  function: string;
  kind: FaultKind;
  match?: FaultMatch;
  rate?: number;
  from?: Duration;
  until?: Duration;
  /** Latency only. */
  add?: Duration;
}

/** A Retrier, as the Amazon States Language names its fields. */
export interface RetrierSpec {
  ErrorEquals: string[];
  /** Default 1. */
  IntervalSeconds?: number;
  /** Default 3; 0 means no retry. */
  MaxAttempts?: number;
  /** Default 2.0; at least 1. */
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  /** Default 'NONE'; 'FULL' waits a random time up to the computed delay (drawn from the scenario's seed). */
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface CatcherSpec {
  ErrorEquals: string[];
  Next: string;
  /** Default '$'. */
  ResultPath?: string | null;
}

/**
 * A state, in the Amazon States Language's own field names. A Task's `Resource` is the name of a function
 * in this scenario ('fn', 'fn:alias' or 'fn:2'), which the state invokes synchronously with its input.
 */
export type StateSpec =
  | { Type: 'Task'; Resource: string; Next?: string; End?: boolean; TimeoutSeconds?: number; Retry?: RetrierSpec[]; Catch?: CatcherSpec[]; ResultPath?: string | null; Comment?: string }
  | { Type: 'Pass'; Next?: string; End?: boolean; Result?: unknown; ResultPath?: string | null; Comment?: string }
  | { Type: 'Wait'; Seconds: number; Next?: string; End?: boolean; Comment?: string }
  | { Type: 'Succeed'; Comment?: string }
  | { Type: 'Fail'; Error?: string; Cause?: string; Comment?: string };

export interface StateMachineSpec {
  /** An Amazon States Language definition: StartAt and States. */
  definition: { StartAt: string; States: Record<string, StateSpec>; Comment?: string };
}
