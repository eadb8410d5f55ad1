/**
 * One schema per resource kind: the fields a scenario may give, in the order they are checked, each with
 * its limits and default from the table (schema/limits.ts). A field's schema line is the whole of its
 * contract: its type for authors (types.ts is checked against these at compile time,
 * test/scenario/contract-types.ts), its range, its default and its message. Cross-field rules come from
 * schema/rules.ts. validate.ts turns each kind's output into the Model.
 *
 * Kinds still checked by hand in validate.ts: topics, buses and rules, buckets, state machines, event
 * source mappings, traffic, faults, deployments, function versions and aliases (docs/scenario-contract.md).
 */
import * as v from 'valibot';
import type { AliasSpec, Duration, Handler, StreamingHandler, VersionSpec } from '../types.js';
import { DEFAULTS, LIMITS, UNRESERVED_MINIMUM } from './limits.js';
import { child, isObject, showValue } from './messages.js';
import {
  boolean,
  custom,
  duration,
  func,
  issue,
  later,
  number,
  oneOf,
  optionalNumber,
  readDuration,
  ref,
  refused,
  type Registry,
  report,
  runIn,
  spec,
  text,
} from './primitives.js';
import { contentBasedDeduplicationIsFifo, redriveTarget, standardRef } from './rules.js';

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

export type StreamInput = v.InferInput<typeof streamSchema>;
export type TableInput = v.InferInput<typeof tableSchema>;
export type QueueInput = v.InferInput<ReturnType<typeof queueSchema>>;
export type FunctionInput = v.InferInput<ReturnType<typeof functionSchema>>;
