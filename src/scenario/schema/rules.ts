/**
 * The cross-field rules of the scenario contract: what no single field can say alone. Each rule runs after
 * the fields it reads have been checked (as a valibot pipe action on the object, or after a whole map of
 * resources), cites the AWS rule it enforces, and reports in the project's own words.
 */
import * as v from 'valibot';
import type { AliasModel, EsmSourceKind, FunctionModel, QueueModel, ResourceKind, VersionModel } from '../model.js';
import { LIMITS, UNRESERVED_MINIMUM } from './limits.js';
import { child, showValue, type ValidationError } from './messages.js';
import { type FieldRule, primitive, readRef, type RefTarget, type Registry, rule, type RuleProblem } from './primitives.js';

/**
 * A reference to a standard queue (or another kind): AWS delivers asynchronous destinations and dead-letter
 * messages only to standard queues (docs/aws-rules.md §2: "SQS (standard only)"), and EventBridge, SNS and
 * stream on-failure destinations refuse FIFO queues too. `why` ends the message.
 */
export function standardRef(reg: Registry, kinds: readonly ResourceKind[], why: string) {
  return v.optional(
    primitive<string, RefTarget | undefined>(kinds.join(' | '), (value) => {
      const found = readRef(reg, value, kinds);
      if (found.ok && found.value.kind === 'queue' && reg.fifo[found.value.name]) return { ok: false, message: `is a FIFO queue; ${why}` };
      return found;
    }),
  );
}

/**
 * SQS RedrivePolicy (docs/aws-rules.md §3.2): the dead-letter queue is another queue, FIFO for a FIFO
 * queue and standard for a standard one.
 */
export function redriveTarget(reg: Registry, queue: string) {
  return rule<{ queue: RefTarget | undefined; maxReceiveCount: number }>((redrive, typed): RuleProblem[] => {
    // Only a policy whose own fields are valid is compared with its queue.
    if (!typed || !redrive.queue) return [];
    const target = redrive.queue.name;
    const at = [{ type: 'object' as const, key: 'queue' }];
    if (target === queue) return [{ message: 'is the queue itself; a dead-letter queue must be another queue', input: target, path: at }];
    if (reg.fifo[queue] !== reg.fifo[target]) {
      const [own, other] = reg.fifo[queue] ? ['FIFO', 'standard'] : ['standard', 'FIFO'];
      return [{ message: `is a ${other} queue; the dead-letter queue of a ${own} queue must also be ${own}`, input: target, path: at }];
    }
    return [];
  });
}

/** SQS: ContentBasedDeduplication is an attribute of FIFO queues only. */
export const contentBasedDeduplicationIsFifo = rule<{ fifo: boolean; contentBasedDeduplication: boolean }>((queue) =>
  queue?.contentBasedDeduplication && !queue.fifo
    ? [{ message: 'is only for FIFO queues (set fifo: true)', input: true, path: [{ type: 'object', key: 'contentBasedDeduplication' }] }]
    : [],
);

/** SNS: a subscription's raw message delivery is for queues; a function always receives the SNS event. */
export const rawDeliveryIsForQueues: FieldRule = (read: { endpoint?: RefTarget; rawMessageDelivery: boolean }, given) =>
  read.rawMessageDelivery && read.endpoint?.kind === 'function'
    ? [{ message: 'is for queue subscriptions; a function always receives the SNS event', input: given.rawMessageDelivery, path: [{ type: 'object', key: 'rawMessageDelivery' }] }]
    : [];

/** SNS: "A filter policy can have a maximum of five attribute names" (sns-subscription-filter-policy-constraints). */
export const SNS_FILTER_POLICY_MAX_KEYS = 5;

/** The problem of a filter policy (valid as a pattern) with more attribute names than SNS allows. */
export function snsPolicyKeys(policy: unknown, valid: boolean): string[] {
  const keys = valid ? Object.keys(policy as object).length : 0;
  return keys > SNS_FILTER_POLICY_MAX_KEYS ? [`has ${keys} attribute names; SNS allows at most ${SNS_FILTER_POLICY_MAX_KEYS}`] : [];
}

/** EventBridge: a rule has exactly one of eventPattern and schedule (checked right after its name). */
export const onePatternOrSchedule: FieldRule = (_read, given) => {
  if ((given.eventPattern === undefined) !== (given.schedule === undefined)) return [];
  const both = given.eventPattern !== undefined;
  return [{ message: `has ${both ? 'both eventPattern and schedule' : 'neither eventPattern nor schedule'}; a rule has exactly one of them`, input: given }];
};

/** EventBridge rule names are unique within a bus (only whole rules count: one left out has no name). */
export function uniqueRuleNames(bus: string) {
  return (rule: { name: string } | undefined, _index: number, before: ReadonlyArray<{ name: string } | undefined>): RuleProblem[] =>
    rule && before.some((r) => r?.name === rule.name)
      ? [{ message: `is already the name of another rule on bus '${bus}'; rule names are unique per bus`, input: rule.name, path: [{ type: 'object', key: 'name' }] }]
      : [];
}

/** AWS refuses a second mapping between the same source and function (ResourceConflictException). */
export function onePairPerMapping(index: number, pairs: Map<string, number>): FieldRule {
  return (read: { source?: RefTarget; function?: RefTarget }) => {
    if (!read.source || !read.function) return [];
    const key = `${read.source.name}\u0000${read.function.name}`;
    const first = pairs.get(key);
    if (first === undefined) {
      pairs.set(key, index);
      return [];
    }
    return [{ message: `repeats eventSourceMappings[${first}]; AWS allows one mapping per source and function`, input: `${read.source.name} -> ${read.function.name}` }];
  };
}

/**
 * docs/aws-rules.md §3.3: the batching window "applies only to standard queues". docs/aws-rules.md §3.1
 * lists "BatchSize > 10 requires a window of at least 1 s" among the shared parameters, but AWS documents
 * (and enforces) it for SQS standard queues; streams default to batchSize 100 with window 0, which AWS
 * accepts, so the rule applies to SQS standard mappings only.
 */
export function batchingWindowRules(kind: EsmSourceKind | undefined, fifo: boolean): FieldRule {
  return (read: { batchSize?: number; maxBatchingWindow?: number }, given) => {
    const problems: RuleProblem[] = [];
    const windowMs = read.maxBatchingWindow;
    if (fifo && windowMs !== undefined && windowMs > 0) {
      problems.push({ message: 'is set on a FIFO queue mapping; FIFO queues take no batching window (allowed 0)', input: given.maxBatchingWindow, path: [{ type: 'object', key: 'maxBatchingWindow' }] });
    }
    if (kind === 'sqs' && !fifo && read.batchSize !== undefined && read.batchSize > 10 && windowMs !== undefined && windowMs < 1_000) {
      problems.push({
        message: `is above 10, which needs maxBatchingWindow of at least 1s (it is ${showValue(given.maxBatchingWindow ?? 0)}); allowed 1..10 without a window`,
        input: given.batchSize,
        path: [{ type: 'object', key: 'batchSize' }],
      });
    }
    return problems;
  };
}

/** docs/aws-rules.md §3.1 and 3.4: these parameters exist only for stream sources; AWS refuses them for SQS. */
export function streamOnlyFields(kind: EsmSourceKind | undefined, fields: readonly string[]): FieldRule {
  return (_read, given) =>
    kind === 'sqs'
      ? fields.filter((key) => given[key] !== undefined).map((key) => ({ message: 'is only for Kinesis and DynamoDB Streams mappings', input: given[key], path: [{ type: 'object' as const, key }] }))
      : [];
}

/** The longest timeout among the versions a qualifier can run (an SQS mapping's visibility check). */
export function qualifierTimeoutMs(fn: FunctionModel | undefined, qualifier: string): number | undefined {
  if (!fn) return undefined;
  const alias = fn.aliases[qualifier];
  const versions = alias ? [alias.version, ...Object.keys(alias.additionalVersionWeights)] : [qualifier];
  return Math.max(...versions.map((v) => (v === '$LATEST' ? fn.timeoutMs : (fn.versions[v]?.timeoutMs ?? fn.timeoutMs))));
}

/**
 * docs/aws-rules.md §3.2: AWS refuses an SQS mapping whose function timeout is above the queue's visibility
 * timeout, because a message would reappear while its first invocation is still running. A qualified
 * function counts the longest timeout of the versions it can run.
 */
export function timeoutWithinVisibility(kind: EsmSourceKind | undefined, functions: Record<string, FunctionModel>, queues: Record<string, QueueModel>): FieldRule {
  return (read: { source?: RefTarget; function?: RefTarget }) => {
    const fn = read.function;
    const source = read.source;
    if (kind !== 'sqs' || !fn || !source) return [];
    const target = functions[fn.fn ?? fn.name];
    const timeoutMs = fn.qualifier ? qualifierTimeoutMs(target, fn.qualifier) : target?.timeoutMs;
    const visibilityMs = queues[source.name]?.visibilityTimeoutMs;
    if (timeoutMs === undefined || visibilityMs === undefined || timeoutMs <= visibilityMs) return [];
    return [
      {
        message: `has timeout ${timeoutMs / 1000}s, above the visibility timeout ${visibilityMs / 1000}s of queue '${source.name}', as AWS refuses the mapping; allowed timeout ≤ visibilityTimeout (6× the timeout is recommended)`,
        input: fn.name,
        path: [{ type: 'object', key: 'function' }],
      },
    ];
  };
}

/** A fault ends after it starts: `until` later than `from` (both valid). */
export const untilAfterFrom: FieldRule = (read: { from?: number; until?: number }, given) =>
  read.from !== undefined && read.until !== undefined && read.until <= read.from
    ? [{ message: `is not after from (${showValue(given.from ?? 0)}); until must be later than from`, input: given.until, path: [{ type: 'object', key: 'until' }] }]
    : [];

/** A latency fault says how much it adds. */
export const latencyNeedsAdd: FieldRule = (_read, given) =>
  given.add === undefined ? [{ message: `is missing; allowed ${LIMITS.latency.label}`, input: undefined, path: [{ type: 'object', key: 'add' }] }] : [];

type Problem = Omit<ValidationError, 'file'>;

/**
 * docs/aws-rules.md §4: the reserved concurrency of all functions together must leave 100 of the account's
 * concurrency unreserved.
 */
export function reservedWithinAccount(reserved: Array<[string, number]>, account: number): Problem[] {
  const sum = reserved.reduce((total, [, n]) => total + n, 0);
  const maxReserved = Math.max(0, account - UNRESERVED_MINIMUM);
  if (sum <= maxReserved) return [];
  return [
    {
      path: 'functions',
      value: sum,
      message: `is the total reservedConcurrentExecutions (${reserved.map(([n, r]) => `${n} ${r}`).join(', ')}); allowed at most ${maxReserved} in all, as AWS keeps 100 of the account's ${account} unreserved (docs/aws-rules.md §4)`,
    },
  ];
}

/**
 * docs/versions.md: AWS allows one provisioned concurrency configuration per version, directly or through
 * one alias, and all of it counts against the function's reserved concurrency (or the account's
 * unreserved pool less 100).
 */
export function provisionedWithinLimits(
  path: string,
  versions: Record<string, VersionModel>,
  aliases: Record<string, AliasModel>,
  reserved: number | undefined,
  account: number,
): Problem[] {
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  const claim = (version: string, where: string, value: number) => {
    const first = owner.get(version);
    if (first) problems.push({ path: where, value, message: `puts provisioned concurrency on version ${version}, which ${first} already provisions; AWS allows one configuration per version` });
    else owner.set(version, where);
  };
  let total = 0;
  for (const v of Object.values(versions)) {
    if (v.provisionedConcurrentExecutions <= 0) continue;
    total += v.provisionedConcurrentExecutions;
    claim(v.version, `${child(path, 'versions')}['${v.version}'].provisionedConcurrentExecutions`, v.provisionedConcurrentExecutions);
  }
  for (const a of Object.values(aliases)) {
    if (a.provisionedConcurrentExecutions <= 0) continue;
    total += a.provisionedConcurrentExecutions;
    const where = `${child(child(path, 'aliases'), a.name)}.provisionedConcurrentExecutions`;
    for (const v of [a.version, ...Object.keys(a.additionalVersionWeights)]) claim(v, where, a.provisionedConcurrentExecutions);
  }
  if (total === 0) return problems;
  const limit = reserved ?? Math.max(0, account - UNRESERVED_MINIMUM);
  if (total > limit) {
    problems.push({
      path,
      value: total,
      message:
        reserved !== undefined
          ? `has provisioned concurrency ${total} on its versions and aliases, above its reservedConcurrentExecutions ${reserved}; provisioned concurrency counts against it`
          : `has provisioned concurrency ${total} on its versions and aliases, above the ${limit} the account can provision (its ${account} less the 100 AWS keeps unreserved)`,
    });
  }
  return problems;
}

/**
 * docs/callers.md, "CloudFront": a Lambda@Edge function is created in US East (N. Virginia) and replicated
 * from there, so a scenario with CloudFront traffic runs in us-east-1 (a replica's own Region is the
 * traffic's `cloudfront.region`).
 */
export function edgeFunctionsInUsEast1(region: string, traffic: ReadonlyArray<{ via?: string }>): Problem[] {
  if (region === 'us-east-1') return [];
  const i = traffic.findIndex((t) => t.via === 'cloudfront');
  if (i < 0) return [];
  return [
    {
      path: 'region',
      value: region,
      message: `is where this scenario's functions live, but traffic[${i}] comes via 'cloudfront': Lambda@Edge functions are created in us-east-1 only (set region to 'us-east-1' and give the replica's Region as cloudfront.region)`,
    },
  ];
}
