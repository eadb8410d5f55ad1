/**
 * One schema per resource kind: the fields a scenario may give, in the order they are checked, each with
 * its limits and default from the table (schema/limits.ts). A field's schema line is the whole of its
 * contract: its type for authors (types.ts is checked against these at compile time,
 * test/scenario/contract-types.ts), its range, its default and its message. Cross-field rules come from
 * schema/rules.ts. validate.ts turns each kind's output into the Model.
 *
 * The scenario's top level is schema/scenario.ts; state machines schema/states.ts; versions, aliases and
 * deployments schema/versions.ts; traffic and its callers schema/traffic.ts (docs/scenario-contract.md).
 */
import * as v from 'valibot';
import { ESM_MAX_FILTERS, ESM_MAX_PATTERN_LENGTH, EVENTBRIDGE_MAX_PATTERN_LENGTH, patternTextProblem, validatePattern } from '../../lang/patterns.js';
import type { EsmSourceKind, FunctionModel, QueueModel, ResourceKind } from '../model.js';
import { parseSchedule } from '../../lang/schedule.js';
import type { AliasSpec, Duration, Handler, StreamingHandler, VersionSpec } from '../types.js';
import { DEFAULTS, LIMITS, UNRESERVED_MINIMUM } from './limits.js';
import { child, isObject, nameList, notPlain, showValue } from './messages.js';
import {
  boolean,
  checked,
  custom,
  declared,
  duration,
  func,
  issue,
  later,
  list,
  number,
  oneOf,
  optionalDuration,
  optionalNumber,
  optionalRef,
  optionalText,
  primitive,
  readDuration,
  readNumber,
  readOneOf,
  readRef,
  ref,
  refused,
  type RefTarget,
  type Registry,
  report,
  runIn,
  type Schema,
  spec,
  type Step,
  text,
  validOnly,
} from './primitives.js';
import {
  batchingWindowRules,
  contentBasedDeduplicationIsFifo,
  latencyNeedsAdd,
  onePairPerMapping,
  onePatternOrSchedule,
  streamOnlyFields,
  timeoutWithinVisibility,
  rawDeliveryIsForQueues,
  redriveTarget,
  snsPolicyKeys,
  standardRef,
  uniqueRuleNames,
  untilAfterFrom,
} from './rules.js';

/** The shapes DynamoDB Streams can write (StreamViewType). */
export const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;

export const streamSchema = spec(
  {
    shardCount: number(LIMITS.shardCount),
    retentionPeriod: duration(LIMITS.streamRetention),
  },
  { what: 'stream', expected: "a stream spec, e.g. { shardCount: 2, retentionPeriod: '24h' }" },
);

export const tableSchema = spec(
  {
    partitionKey: text("the partition key attribute name, e.g. 'id'"),
    shardCount: number(LIMITS.shardCount),
    streamViewType: oneOf(STREAM_VIEW_TYPES, DEFAULTS.streamViewType),
  },
  { what: 'table', expected: "a table spec, e.g. { partitionKey: 'id' }" },
);

/** A queue's schema: its redrive rule needs the queue's own name. */
export function queueSchema(reg: Registry, name: string) {
  const redrive = spec(
    {
      queue: ref(reg, ['queue']),
      maxReceiveCount: number(LIMITS.maxReceiveCount),
    },
    { what: 'redrive policy', expected: '{ queue: string; maxReceiveCount: number }', order: ['maxReceiveCount', 'queue'] },
  );
  return v.pipe(
    spec(
      {
        fifo: boolean(false),
        visibilityTimeout: duration(LIMITS.visibilityTimeout),
        deliveryDelay: duration(LIMITS.deliveryDelay),
        retentionPeriod: duration(LIMITS.queueRetention),
        deadLetterQueue: v.optional(v.pipe(redrive, redriveTarget(reg, name))),
        contentBasedDeduplication: boolean(false),
      },
      { what: 'queue', expected: "a queue spec, e.g. { visibilityTimeout: '30s' }" },
    ),
    contentBasedDeduplicationIsFifo,
  );
}

/** Lambda's Architectures: the instruction sets AWS offers (docs/cost.md: arm64 duration is cheaper). */
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;

/** A function's run time once read: a log-normal model through p50 and p99 (equal for a fixed duration). */
export interface RunTime {
  p50Ms: number;
  p99Ms: number;
}

const RUN_TIME_BOUND = { ...LIMITS.runTime, default: undefined };
const percentiles = spec(
  { p50: duration(RUN_TIME_BOUND), p99: duration(RUN_TIME_BOUND) },
  { what: 'duration', expected: '{ p50, p99 }' },
);

/**
 * A fixed duration, or a log-normal one through p50 and p99 (p50 ≤ p99). A function left without one gets
 * the table's default (functionSchema); a version inherits its function's (validate.ts).
 */
export const runTime = custom<Duration | { p50: Duration; p99: Duration }, RunTime>('a duration or { p50, p99 }', (dataset, config) => {
  const input = dataset.value;
  if (isObject(input)) {
    const out = runIn(percentiles, input, config, dataset) as { p50?: number; p99?: number } | undefined;
    if (dataset.issues || out?.p50 === undefined || out.p99 === undefined) {
      dataset.value = undefined;
      return;
    }
    if (out.p50 > out.p99) {
      report(dataset, issue(`is below p50 (${showValue(input.p50)}); p99 must be at least p50`, input.p99, [{ type: 'object', key: 'p99' }]));
      dataset.value = undefined;
      return;
    }
    dataset.value = { p50Ms: out.p50, p99Ms: out.p99 };
    return;
  }
  const fixed = readDuration(input, LIMITS.runTime);
  if (fixed.ok) dataset.value = { p50Ms: fixed.value, p99Ms: fixed.value };
  else {
    report(dataset, issue(fixed.message, input));
    dataset.value = undefined;
  }
});

/**
 * A function's schema. Its reserved concurrency's range depends on the account's concurrency, and one
 * message names the function's own path, so it is made per function.
 */
export function functionSchema(reg: Registry, path: string, accountConcurrency: number) {
  // docs/aws-rules.md §4: reserved concurrency must leave 100 of the account's concurrency unreserved.
  const maxReserved = Math.max(0, accountConcurrency - UNRESERVED_MINIMUM);
  // docs/aws-rules.md §2: async destinations are SQS (standard only), SNS, Lambda, an EventBridge bus, and S3
  // for on-failure only. A function may name itself as its destination: AWS allows it, so we do too.
  const fifoWhy = 'asynchronous invocation destinations must be standard queues (docs/aws-rules.md §2)';
  return spec(
    {
      handler: func<Handler | StreamingHandler | string>('a handler (event, context) => result'),
      duration: v.optional(runTime, LIMITS.runTime.default),
      timeout: duration(LIMITS.timeout),
      memorySize: number(LIMITS.memorySize),
      architecture: oneOf(ARCHITECTURES, DEFAULTS.architecture),
      coldStart: duration(LIMITS.coldStart),
      environmentIdleTimeout: duration(LIMITS.environmentIdleTimeout),
      reservedConcurrentExecutions: optionalNumber({
        min: 0,
        max: maxReserved,
        integer: true,
        label: `0..${maxReserved} (account concurrency ${accountConcurrency} minus the 100 AWS keeps unreserved)`,
        source: 'docs/aws-rules.md §4',
      }),
      // docs/versions.md: AWS never runs $LATEST on provisioned concurrency; it goes on a version or an alias.
      provisionedConcurrentExecutions: refused<number>(
        `is not allowed on a function: AWS never runs $LATEST on provisioned concurrency; put it on a version (${child(path, 'versions')}['1'].provisionedConcurrentExecutions) or an alias (${child(child(path, 'aliases'), 'live')}.provisionedConcurrentExecutions)`,
      ),
      retryAttempts: number(LIMITS.retryAttempts),
      maxEventAge: duration(LIMITS.maxEventAge),
      duplicateRate: number(LIMITS.duplicateRate),
      onSuccess: standardRef(reg, ['queue', 'topic', 'function', 'bus'], fifoWhy),
      onFailure: standardRef(reg, ['queue', 'topic', 'function', 'bus', 'bucket'], fifoWhy),
      // docs/aws-rules.md §2: DeadLetterConfig.TargetArn is an SQS queue or an SNS topic.
      deadLetterQueue: standardRef(reg, ['queue', 'topic'], 'a function dead-letter queue must be a standard queue (docs/aws-rules.md §2)'),
      // Checked after the function's own fields, which they default to (validate.ts, checkVersions/checkAliases).
      versions: later<Record<string, VersionSpec>>(),
      aliases: later<Record<string, AliasSpec>>(),
    },
    {
      what: 'function',
      expected: "a function spec, e.g. { timeout: '3s', handler: async (event) => ... }",
      // As before the schemas: duplicateRate is checked before maxEventAge though listed after it.
      order: [
        'handler', 'duration', 'timeout', 'memorySize', 'architecture', 'coldStart', 'environmentIdleTimeout', 'reservedConcurrentExecutions',
        'provisionedConcurrentExecutions', 'retryAttempts', 'duplicateRate', 'maxEventAge', 'onSuccess', 'onFailure', 'deadLetterQueue',
        'versions', 'aliases',
      ],
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// SNS topics and their subscriptions (docs/fidelity.md).

/** A pattern's first problems, then how many more: one line each, and 8,000 bad keys stay readable. */
export function firstProblems(problems: string[], max = 10): string[] {
  if (problems.length <= max) return problems;
  return [...problems.slice(0, max), `and ${problems.length - max} more problems in this pattern`];
}

/** An SNS filter policy: an event pattern in the SNS dialect, at most five attribute names (rules.ts). */
const filterPolicy = checked<object, object>('an SNS filter policy', (value) => {
  const problems = validatePattern(value);
  return { value: value as object, problems: problems.map((p) => `is not a valid SNS filter policy: ${p}`).concat(snsPolicyKeys(value, problems.length === 0)) };
});

/**
 * One subscription: a function or queue name, or `{ endpoint, filterPolicy?, filterPolicyScope?,
 * rawMessageDelivery? }`. A standard topic (the only kind scenarios declare) cannot deliver to a FIFO
 * queue: SNS requires a FIFO topic for FIFO queue subscribers. Its output is the subscription as the
 * Model holds it, or undefined when it names no endpoint.
 */
export function subscriptionSchema(reg: Registry) {
  const fifoWhy = 'a standard SNS topic cannot deliver to a FIFO queue';
  const endpoint = standardRef(reg, ['function', 'queue'], fifoWhy);
  const object = spec(
    {
      // Required for authors (SubscriptionSpec); a subscription object without one is left out without a
      // message, as it always was.
      endpoint: endpoint as unknown as Schema<string, RefTarget | undefined>,
      filterPolicy: v.optional(filterPolicy),
      filterPolicyScope: oneOf(['MessageAttributes', 'MessageBody'] as const, 'MessageAttributes'),
      rawMessageDelivery: boolean(false),
    },
    {
      what: 'subscription',
      expected: "a function or queue name, or { endpoint: 'queue', filterPolicy: { type: ['order'] } }",
      order: ['endpoint', 'filterPolicyScope', 'rawMessageDelivery', 'filterPolicy'],
      then: { rawMessageDelivery: rawDeliveryIsForQueues },
    },
  );
  return custom<string | v.InferInput<typeof object>, SubscriptionOutput | undefined>('a subscription', (dataset, config) => {
    const input = dataset.value;
    if (typeof input === 'string') {
      const found = runIn(endpoint, input, config, dataset) as { name: string } | undefined;
      dataset.value = found ? { endpoint: found.name, filterPolicyScope: 'MessageAttributes', rawMessageDelivery: false } : undefined;
      return;
    }
    const s = runIn(object, input, config, dataset) as v.InferOutput<typeof object> | undefined;
    dataset.value = s?.endpoint
      ? { endpoint: s.endpoint.name, ...(s.filterPolicy ? { filterPolicy: s.filterPolicy } : {}), filterPolicyScope: s.filterPolicyScope, rawMessageDelivery: s.rawMessageDelivery }
      : undefined;
  });
}

/** A subscription as the Model holds it (model.ts's SubscriptionModel). */
export interface SubscriptionOutput {
  endpoint: string;
  filterPolicy?: object;
  filterPolicyScope: 'MessageAttributes' | 'MessageBody';
  rawMessageDelivery: boolean;
}

export function topicSchema(reg: Registry) {
  return spec(
    {
      subscriptions: v.optional(
        list(
          subscriptionSchema(reg),
          'an array of function or queue names, or { endpoint, filterPolicy, filterPolicyScope, rawMessageDelivery }',
        ),
      ),
    },
    { what: 'topic', expected: "a topic spec, e.g. { subscriptions: ['processor'] }" },
  );
}

// ---------------------------------------------------------------------------------------------------------
// EventBridge buses and their rules (docs/aws-rules.md §6).

const eventPattern = checked<object, object>('an event pattern', (value) => {
  if (!isObject(value)) return { problems: [`${notPlain(value)}; expected an event pattern, e.g. { source: ['orders'] }`] };
  const tooBig = patternTextProblem(value, EVENTBRIDGE_MAX_PATTERN_LENGTH);
  if (tooBig) return { problems: [tooBig] };
  return { value, problems: firstProblems(validatePattern(value, { dialect: 'eventbridge' })).map((p) => `is not a valid event pattern: ${p}`) };
});

/** `rate(...)` or `cron(...)`, read by src/lang/schedule.ts; EventBridge runs schedules only on the default bus. */
function schedule(bus: string) {
  return primitive<string, string>('a schedule expression', (value) => {
    if (typeof value !== 'string') return { ok: false, message: "is not a string; expected 'rate(5 minutes)' or 'cron(0/5 * * * ? *)'" };
    const parsed: unknown = parseSchedule(value);
    if (isObject(parsed) && typeof parsed.error === 'string') return { ok: false, message: `is not a valid schedule: ${parsed.error}` };
    if (bus !== 'default') return { ok: false, message: `is on bus '${bus}'; scheduled rules can only be on the default bus` };
    return { ok: true, value };
  });
}

/** EventBridge allows at most 5 targets per rule. */
const MAX_RULE_TARGETS = 5;

function targets(reg: Registry) {
  const kinds = ['function', 'queue', 'topic', 'bus'] as const;
  const each = list(optionalRef(reg, kinds), 'targets');
  return custom<string[], Array<string | undefined>>('targets', (dataset, config) => {
    const input = dataset.value;
    const refuse = (message: string) => {
      dataset.value = undefined;
      report(dataset, issue(message, input));
    };
    if (input === undefined) refuse(`is missing; expected an array of up to 5 names of a function, queue, topic or bus; declared: ${nameList(declared(reg, kinds))}`);
    else if (!Array.isArray(input)) refuse('is not an array; expected an array of function, queue, topic or bus names');
    else if (input.length > MAX_RULE_TARGETS) refuse(`has ${input.length} targets; allowed 0..${MAX_RULE_TARGETS} per rule`);
    else dataset.value = (runIn(each, input, config, dataset) as Array<{ name: string } | undefined>).map((t) => t?.name);
  });
}

/**
 * One rule of a bus. Its output is undefined (the rule is left out) when its name, pattern, schedule,
 * targets (a target left undefined too) or retry policy is wrong; a wrong dead-letter queue or an unknown
 * key is reported and keeps the rule (its name still counts for uniqueness).
 */
export function ruleSchema(reg: Registry, bus: string) {
  return validOnly(
    spec(
      {
        name: text('the rule name'),
        eventPattern: v.optional(eventPattern),
        schedule: v.optional(schedule(bus)),
        targets: targets(reg),
        // docs/aws-rules.md §6: target RetryPolicy MaximumRetryAttempts 0..185 (default 185),
        // MaximumEventAgeInSeconds 60..86400 (default 24 h); the target dead-letter queue is an SQS queue.
        retryAttempts: number(LIMITS.ruleRetryAttempts),
        maxEventAge: duration(LIMITS.ruleMaxEventAge),
        // EventBridge does not support FIFO queues as a target's dead-letter queue.
        deadLetterQueue: standardRef(reg, ['queue'], 'an EventBridge dead-letter queue must be a standard queue'),
      },
      { what: 'rule', expected: 'a rule { name, eventPattern | schedule, targets }', then: { name: onePatternOrSchedule } },
    ),
    ['name', 'eventPattern', 'schedule', 'targets', 'retryAttempts', 'maxEventAge'],
    (rule) => rule.targets.every((t) => t !== undefined),
  );
}

export function busSchema(reg: Registry, bus: string) {
  return spec(
    {
      rules: list(ruleSchema(reg, bus), 'an array of rules', uniqueRuleNames(bus)),
    },
    { what: 'bus', expected: '{ rules: [{ name, eventPattern | schedule, targets }] }' },
  );
}

// ---------------------------------------------------------------------------------------------------------
// S3 buckets and their event notifications.

/** S3 event types are named like `s3:ObjectCreated:*` or `s3:ObjectRemoved:Delete`. */
const s3Events = custom<string[], string[] | undefined>('S3 event types', (dataset) => {
  const input = dataset.value;
  if (!Array.isArray(input) || input.length === 0) {
    dataset.value = undefined;
    report(dataset, issue(`${input === undefined ? 'is missing' : 'is not a non-empty array'}; expected event types like ['s3:ObjectCreated:*']`, input));
    return;
  }
  input.forEach((event: unknown, i) => {
    if (typeof event !== 'string' || !event.startsWith('s3:') || event.length <= 3) {
      report(dataset, issue("is not an S3 event type; expected a string starting with 's3:', like 's3:ObjectCreated:*'", event, [{ type: 'array', key: i }]));
    }
  });
  dataset.value = dataset.issues ? undefined : input;
});

export function notificationSchema(reg: Registry) {
  return spec(
    {
      events: s3Events,
      prefix: optionalText("a key prefix, e.g. 'uploads/'"),
      suffix: optionalText("a key suffix, e.g. '.jpg'"),
      function: ref(reg, ['function']),
    },
    { what: 'notification', expected: "a notification { events: ['s3:ObjectCreated:*'], function }", order: ['events', 'function', 'prefix', 'suffix'] },
  );
}

export function bucketSchema(reg: Registry) {
  return spec(
    {
      notifications: list(notificationSchema(reg), 'an array of notifications'),
    },
    { what: 'bucket', expected: "a bucket spec { notifications: [{ events: ['s3:ObjectCreated:*'], function }] }" },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Event source mappings (docs/aws-rules.md §3).

/** What a mapping's source is, read from its `source` before the mapping is checked (the names are registered). */
export interface MappingSource {
  kind?: EsmSourceKind;
  fifo: boolean;
}

const SOURCE_KIND: Partial<Record<ResourceKind, EsmSourceKind>> = { queue: 'sqs', stream: 'kinesis', table: 'dynamodb' };

/** The kind of event source a mapping's `source` names, if it names one (no message: the schema reports). */
export function mappingSource(reg: Registry, source: unknown): MappingSource {
  const found = readRef(reg, source, ['queue', 'stream', 'table']);
  const kind = found.ok ? SOURCE_KIND[found.value.kind] : undefined;
  return { ...(kind ? { kind } : {}), fifo: kind === 'sqs' && found.ok && reg.fifo[found.value.name] === true };
}

/** docs/aws-rules.md §3.1: up to 5 FilterCriteria patterns, OR-ed, in the ESM filtering dialect. */
function filters(source: EsmSourceKind | undefined) {
  return custom<object[], object[] | undefined>('filter patterns', (dataset) => {
    const input = dataset.value;
    if (input === undefined) {
      dataset.value = [];
      return;
    }
    dataset.value = undefined;
    if (!Array.isArray(input)) return report(dataset, issue('is not an array; expected an array of up to 5 filter patterns', input));
    if (input.length > ESM_MAX_FILTERS) return report(dataset, issue(`has ${input.length} filters; allowed 0..${ESM_MAX_FILTERS} per mapping`, input));
    const out: object[] = [];
    input.forEach((pattern: unknown, i) => {
      const at: Step[] = [{ type: 'array', key: i }];
      if (!isObject(pattern)) return report(dataset, issue(`${notPlain(pattern)}; expected a filter pattern, e.g. { body: { type: ['order'] } }`, pattern, at));
      const tooBig = patternTextProblem(pattern, ESM_MAX_PATTERN_LENGTH);
      if (tooBig) return report(dataset, issue(tooBig, pattern, at));
      // The source matters: Kinesis and DynamoDB filters on the data key must be objects (docs/aws-rules.md §3.1).
      const problems = validatePattern(pattern, { dialect: 'esm', ...(source ? { source } : {}) });
      for (const problem of firstProblems(problems)) report(dataset, issue(`is not a valid filter pattern: ${problem}`, pattern, at));
      if (problems.length === 0) out.push(pattern);
    });
    if (!dataset.issues) dataset.value = out;
  });
}

/** docs/aws-rules.md §3.4: -1 (no limit, the default) or 60 s..7 d; 0..59 s are invalid. */
const maxRecordAge = primitive<Duration | -1, number>(`-1 or ${LIMITS.maxRecordAge.label}`, (value) =>
  value === undefined || value === -1 ? { ok: true, value: -1 } : readDuration(value, { ...LIMITS.maxRecordAge, label: `-1 or ${LIMITS.maxRecordAge.label}` }),
);

/**
 * One event source mapping. Its limits depend on its source (SQS standard or FIFO, Kinesis, DynamoDB), so
 * it is made per mapping; `pairs` (the source and function pairs of the mappings before it) and the
 * functions and queues already read are what its cross-field rules compare it with (schema/rules.ts).
 */
export function mappingSchema(
  reg: Registry,
  at: { index: number; source: MappingSource; pairs: Map<string, number> },
  functions: Record<string, FunctionModel>,
  queues: Record<string, QueueModel>,
) {
  const { kind, fifo } = at.source;
  const streamLike = kind === 'kinesis' || kind === 'dynamodb';
  return spec(
    {
      source: ref(reg, ['queue', 'stream', 'table']),
      function: ref(reg, ['function']),
      // docs/aws-rules.md §3.1: BatchSize 1..10,000; default 10 for SQS and 100 for streams; SQS FIFO at most 10.
      // DynamoDB Streams: the API allows 10,000 while CDK and SAM still say 1,000; we follow the API.
      batchSize: number(fifo ? LIMITS.fifoBatchSize : kind === 'sqs' ? LIMITS.sqsBatchSize : LIMITS.streamBatchSize),
      maxBatchingWindow: duration(LIMITS.batchingWindow),
      enabled: boolean(true),
      filters: v.optional(filters(kind)),
      reportBatchItemFailures: boolean(false),
      // docs/aws-rules.md §3.2: ScalingConfig.MaximumConcurrency 2..1000, SQS only.
      maxConcurrency: streamLike
        ? refused<number>('is only for SQS mappings; streams scale with shards and parallelizationFactor')
        : optionalNumber(LIMITS.maxConcurrency),
      startAt: duration(LIMITS.startAt),
      // AWS requires StartingPosition for streams; scenarios may leave it out and get TRIM_HORIZON, so that
      // the records of a scenario are all processed from the start of the stream.
      startingPosition: oneOf(['TRIM_HORIZON', 'LATEST'] as const, 'TRIM_HORIZON'),
      parallelizationFactor: number(LIMITS.parallelizationFactor),
      bisectBatchOnError: boolean(false),
      retryAttempts: number(LIMITS.streamRetryAttempts),
      maxRecordAge: v.optional(maxRecordAge, -1),
      // docs/aws-rules.md §3.4: a stream's on-failure destination is an SQS queue, an SNS topic or an S3 bucket;
      // like the async destinations (docs/aws-rules.md §2), the queue must be a standard queue.
      onFailure: standardRef(reg, ['queue', 'topic', 'bucket'], 'an on-failure destination must be a standard queue'),
      tumblingWindow: duration(LIMITS.tumblingWindow),
    },
    {
      what: 'event source mapping',
      expected: '{ source, function, batchSize?, ... }',
      order: [
        'source', 'function', 'batchSize', 'maxBatchingWindow', 'enabled', 'startAt', 'reportBatchItemFailures', 'filters', 'maxConcurrency',
        'startingPosition', 'parallelizationFactor', 'bisectBatchOnError', 'retryAttempts', 'maxRecordAge', 'onFailure', 'tumblingWindow',
      ],
      then: {
        function: onePairPerMapping(at.index, at.pairs),
        maxBatchingWindow: batchingWindowRules(kind, fifo),
        maxConcurrency: streamOnlyFields(kind, STREAM_ONLY_MAPPING_FIELDS),
        tumblingWindow: timeoutWithinVisibility(kind, functions, queues),
      },
    },
  );
}

/** The mapping fields AWS accepts for Kinesis and DynamoDB Streams only. */
export const STREAM_ONLY_MAPPING_FIELDS = [
  'startingPosition', 'parallelizationFactor', 'bisectBatchOnError', 'retryAttempts', 'maxRecordAge', 'onFailure', 'tumblingWindow',
] as const;

// ---------------------------------------------------------------------------------------------------------
// Faults.

export const FAULT_KINDS = ['error', 'timeout', 'throttle', 'latency', 'partial', 'serviceError'] as const;

const RECORD_INDEX = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, label: 'integers 0 or more' } as const;

/** A record's position in its traffic entry, or several: always a list once read. */
const recordIndex = custom<number | number[], number[] | undefined>('record positions', (dataset) => {
  const input = dataset.value;
  dataset.value = undefined;
  if (!Array.isArray(input)) {
    const n = readNumber(input, RECORD_INDEX);
    if (n.ok) dataset.value = [n.value];
    else report(dataset, issue(n.message, input));
    return;
  }
  // map, not a loop: a hole of a sparse array stays a hole, as it always did.
  const out = input.map((element: unknown, j) => {
    const n = readNumber(element, RECORD_INDEX);
    if (!n.ok) report(dataset, issue(n.message, element, [{ type: 'array', key: j }]));
    return n.ok ? n.value : undefined;
  });
  if (!dataset.issues) dataset.value = out as number[];
});

/** Which invocations a fault applies to (a poison pill); `traffic` is a position in the scenario's traffic. */
function matchSchema(trafficCount: number) {
  const label = trafficCount > 0 ? `a traffic entry's position, 0..${trafficCount - 1}` : 'a traffic entry position (there is no traffic)';
  return spec(
    {
      traffic: optionalNumber({ min: 0, max: trafficCount - 1, integer: true, label, source: 'ours' }),
      index: v.optional(recordIndex),
      partitionKey: optionalText('a partition key'),
      messageGroup: optionalText('a message group id'),
      body: func<(body: unknown) => boolean>('a predicate (body) => boolean'),
    },
    { what: 'match', expected: '{ traffic?, index?, partitionKey?, messageGroup?, body? }' },
  );
}

/**
 * One fault. `kind` is read from the fault before it is checked, since `add` belongs to latency faults
 * only; `trafficCount` bounds `match.traffic`.
 */
export function faultSchema(reg: Registry, trafficCount: number, givenKind: unknown) {
  const kind = readOneOf(givenKind, FAULT_KINDS);
  const latency = kind.ok && kind.value === 'latency';
  return spec(
    {
      function: ref(reg, ['function']),
      kind: oneOf(FAULT_KINDS),
      match: v.optional(matchSchema(trafficCount)),
      rate: number(LIMITS.faultRate),
      from: duration(LIMITS.faultFrom),
      until: optionalDuration(LIMITS.time),
      add: latency
        ? optionalDuration(LIMITS.latency)
        : refused<Duration>(`is only for kind 'latency'; this fault is '${kind.ok ? kind.value : String(givenKind)}'`),
    },
    {
      what: 'fault',
      expected: "a fault { function, kind: 'error' | 'timeout' | 'throttle' | 'latency' | 'partial' | 'serviceError' }",
      order: ['function', 'kind', 'rate', 'from', 'until', 'add', 'match'],
      then: { until: untilAfterFrom, add: latency ? latencyNeedsAdd : undefined },
    },
  );
}

export type StreamInput = v.InferInput<typeof streamSchema>;
export type TableInput = v.InferInput<typeof tableSchema>;
export type QueueInput = v.InferInput<ReturnType<typeof queueSchema>>;
export type FunctionInput = v.InferInput<ReturnType<typeof functionSchema>>;
export type TopicInput = v.InferInput<ReturnType<typeof topicSchema>>;
export type SubscriptionInput = v.InferInput<ReturnType<typeof subscriptionSchema>>;
export type BusInput = v.InferInput<ReturnType<typeof busSchema>>;
export type BusRuleInput = v.InferInput<ReturnType<typeof ruleSchema>>;
export type BucketInput = v.InferInput<ReturnType<typeof bucketSchema>>;
export type FaultInput = v.InferInput<ReturnType<typeof faultSchema>>;
export type FaultMatchInput = v.InferInput<ReturnType<typeof matchSchema>>;
export type MappingInput = v.InferInput<ReturnType<typeof mappingSchema>>;
export type BucketNotificationInput = v.InferInput<ReturnType<typeof notificationSchema>>;
