/**
 * The cross-field rules of the scenario contract: what no single field can say alone. Each rule runs after
 * the fields it reads have been checked (as a valibot pipe action on the object, or after a whole map of
 * resources), cites the AWS rule it enforces, and reports in the project's own words.
 */
import * as v from 'valibot';
import type { AliasModel, EsmSourceKind, FunctionModel, QueueModel, RateStep, ResourceKind, VersionModel } from '../model.js';
import type { CloudFrontEventType } from '../types.js';
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

/**
 * Step Functions: a reference path is '$', '$.field' or '$.a.b' (or null, read before this). Its problem,
 * if the value is not one.
 */
export function resultPathProblem(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value))) return undefined;
  return "is not a reference path; expected '$', '$.field' (or '$.a.b') or null";
}

/**
 * Step Functions: States.ALL is in the last retrier (or catcher) of a Task, since the ones after it could
 * never match. Read from the ErrorEquals as given, so a list that also breaks "States.ALL alone" is
 * reported for both.
 */
export function allErrorsLast(last: boolean, what: 'retrier' | 'catcher'): FieldRule {
  return (_read, given) => {
    const list = given.ErrorEquals;
    const valid = Array.isArray(list) && list.length > 0 && list.every((e) => typeof e === 'string' && e !== '');
    return valid && !last && list.includes('States.ALL')
      ? [{ message: `uses States.ALL before the last ${what}; States.ALL must be in the last one`, input: list, path: [{ type: 'object', key: 'ErrorEquals' }] }]
      : [];
  };
}

/** docs/versions.md: AWS puts provisioned concurrency only on published versions and their aliases. */
export const provisionedNotOnLatest: FieldRule = (read: { version?: string; provisionedConcurrentExecutions?: number }) =>
  read.provisionedConcurrentExecutions && read.version === '$LATEST'
    ? [
        {
          message: 'is on an alias of $LATEST; AWS puts provisioned concurrency only on published versions and their aliases',
          input: read.provisionedConcurrentExecutions,
          path: [{ type: 'object', key: 'provisionedConcurrentExecutions' }],
        },
      ]
    : [];

/** CodeDeploy counts a custom configuration's interval in whole minutes (1m..2880m). */
export const wholeMinutes: FieldRule = (read: { interval?: number }, given) =>
  read.interval !== undefined && read.interval % 60_000 !== 0
    ? [{ message: 'is not a whole number of minutes; CodeDeploy counts intervals in minutes (1m..2880m)', input: given.interval, path: [{ type: 'object', key: 'interval' }] }]
    : [];

/** CloudWatch alarm periods are 10 s, 30 s or a multiple of 60 s (docs/versions.md, "Deployments"). */
export const cloudWatchPeriod: FieldRule = (read: { period?: number }, given) =>
  read.period !== undefined && read.period !== 10_000 && read.period !== 30_000 && read.period % 60_000 !== 0
    ? [{ message: "is not a CloudWatch period; allowed '10s', '30s' or a multiple of '1m'", input: given.period, path: [{ type: 'object', key: 'period' }] }]
    : [];

/** CloudWatch evaluates at most a day of data: evaluationPeriods × period ≤ 24 h. */
export const alarmWithinADay: FieldRule = (read: { period?: number; evaluationPeriods?: number }, given) =>
  read.period !== undefined && read.evaluationPeriods !== undefined && read.period * read.evaluationPeriods > 86_400_000
    ? [{ message: 'times the period is above one day; CloudWatch evaluates at most a day of data', input: given.evaluationPeriods, path: [{ type: 'object', key: 'evaluationPeriods' }] }]
    : [];

/** A deployment that starts at or after the end of the run would never start. */
export function deploymentStartsInRun(runMs: number | undefined): FieldRule {
  return (read: { at?: number }, given) =>
    read.at !== undefined && runMs !== undefined && read.at >= runMs
      ? [{ message: `is at or after the end of the run (duration ${runMs / 1000}s); the deployment would never start`, input: given.at, path: [{ type: 'object', key: 'at' }] }]
      : [];
}

// ---------------------------------------------------------------------------------------------------------
// Traffic (schema/traffic.ts).

/** A traffic entry stops after it starts: `stop` later than `start` (both valid). */
export const stopAfterStart: FieldRule = (read: { start?: number; stop?: number }, given) =>
  read.start !== undefined && read.stop !== undefined && read.stop <= read.start
    ? [{ message: `is not after start (${showValue(given.start ?? 0)}); stop must be later than start`, input: given.stop, path: [{ type: 'object', key: 'stop' }] }]
    : [];

/**
 * Records one traffic entry may send in a run, at most (its count, or its rate over its time in the run).
 * Any rate is allowed, so that `count: 1_000_000, rate: 1_000_000` is a backlog present at t=0: memory,
 * not the rate, is the limit (a run that outgrows it stops with one line, src/memory.ts). Beyond this no
 * machine holds the records: the engine keeps every one it is given.
 */
export const MAX_TRAFFIC_RECORDS = 100_000_000;

/**
 * How many records an entry with these rate steps sends from `startMs` until `endMs` (its stop or the end
 * of the run): the first at its start, then one per 1/rate seconds (src/engine/traffic.ts).
 *
 * @example recordsSent([{ atMs: 0, ratePerSecond: 10 }], 0, 60_000) // 601
 */
export function recordsSent(rate: RateStep[], startMs: number, endMs: number): number {
  let sent = 0;
  rate.forEach((step, i) => {
    const from = Math.max(step.atMs, startMs);
    const to = Math.min(rate[i + 1]?.atMs ?? Infinity, endMs);
    if (to > from) sent += (step.ratePerSecond * (to - from)) / 1000;
  });
  return rate.some((s) => s.ratePerSecond > 0) && endMs > startMs ? Math.floor(sent) + 1 : 0;
}

/** An entry sends at most MAX_TRAFFIC_RECORDS in the run (`durationMs`), reported at its count or its rate. */
export function recordsWithinLimit(durationMs: number | undefined): FieldRule {
  return (read: { rate?: RateStep[]; count?: number; start?: number; stop?: number }, given) => {
    if (!read.rate || read.start === undefined || durationMs === undefined) return [];
    const sent = Math.min(read.count ?? Infinity, recordsSent(read.rate, read.start, Math.min(read.stop ?? Infinity, durationMs)));
    if (sent <= MAX_TRAFFIC_RECORDS) return [];
    const where = read.count !== undefined ? 'count' : 'rate';
    return [
      {
        message:
          `sends ${sent.toExponential(2)} records in the run; allowed at most ${MAX_TRAFFIC_RECORDS.toLocaleString('en-US')} per traffic entry, as the engine keeps every record and memory is the limit` +
          (read.count === undefined ? '; give a count or a stop, or a lower rate' : ''),
        input: given[where],
        path: [{ type: 'object', key: where }],
      },
    ];
  };
}

/** docs/callers.md: a caller with a fixed invocation type refuses the other one (`type` may be left out). */
export function callerTypeMatches(fixed: 'RequestResponse' | 'Event' | undefined, others: readonly string[]): FieldRule {
  return (read: { type?: string }, given) =>
    fixed && read.type && read.type !== fixed
      ? [
          {
            message: `invokes ${fixed === 'Event' ? 'asynchronously' : 'synchronously'}; type '${read.type}' can come via ${others.map((x) => `'${x}'`).join(', ')}; or leave type out`,
            input: given.via,
            path: [{ type: 'object', key: 'via' }],
          },
        ]
      : [];
}

/** Lambda@Edge quotas (docs/callers.md, "CloudFront"): viewer triggers 5 s and 128 MB, origin triggers 30 s. */
const EDGE_LIMITS = {
  viewer: { timeoutMs: 5_000, memorySize: 128 },
  origin: { timeoutMs: 30_000, memorySize: 10_240 },
} as const;

/**
 * docs/callers.md, "CloudFront": Lambda@Edge runs a numbered version (never $LATEST or an alias), within the
 * quotas of its trigger (the eventType as given: the default viewer-request when left out).
 */
export function edgeVersionLimits(functions: Record<string, FunctionModel>, eventTypes: readonly CloudFrontEventType[]): FieldRule {
  return (read: { invoke?: RefTarget }, given) => {
    const target = read.invoke;
    const at = [{ type: 'object' as const, key: 'invoke' }];
    const fn = target?.fn ? functions[target.fn] : undefined;
    const qualifier = target?.qualifier;
    if (target?.fn && (qualifier === undefined || !/^\d+$/.test(qualifier))) {
      const versions = fn ? Object.keys(fn.versions) : [];
      const write = versions.length ? versions.map((x) => `'${target.fn}:${x}'`).join(' or ') : `'${target.fn}:1' after declaring functions.${target.fn}.versions['1']`;
      return [{ message: `is not a numbered version; Lambda@Edge runs a published version only, never $LATEST or an alias: write ${write}`, input: given.invoke, path: at }];
    }
    const options = given.cloudfront;
    const eventType = options === undefined ? 'viewer-request' : typeof options === 'object' && options !== null && !Array.isArray(options) ? (options as Record<string, unknown>).eventType ?? 'viewer-request' : undefined;
    if (!fn || !qualifier || !eventTypes.includes(eventType as CloudFrontEventType)) return [];
    const version = fn.versions[qualifier];
    const type = eventType as CloudFrontEventType;
    const limits = type.startsWith('viewer') ? EDGE_LIMITS.viewer : EDGE_LIMITS.origin;
    const problems: RuleProblem[] = [];
    if (version && version.timeoutMs > limits.timeoutMs) {
      problems.push({
        message: `runs version ${qualifier} with a ${version.timeoutMs / 1000}s timeout; Lambda@Edge allows at most ${limits.timeoutMs / 1000}s for ${type} triggers (set the version's timeout to 1s..${limits.timeoutMs / 1000}s)`,
        input: given.invoke,
        path: at,
      });
    }
    if (version && version.memorySize > limits.memorySize) {
      problems.push({
        message: `runs version ${qualifier} with ${version.memorySize} MB; Lambda@Edge allows at most ${limits.memorySize} MB for ${type} triggers (allowed 128..${limits.memorySize})`,
        input: given.invoke,
        path: at,
      });
    }
    return problems;
  };
}

/** docs/callers.md, "Function URLs": a function URL points at $LATEST or an alias, never a numbered version. */
export function urlNotOnVersion(functions: Record<string, FunctionModel>): FieldRule {
  return (read: { invoke?: RefTarget }, given) => {
    const target = read.invoke;
    const qualifier = target?.qualifier;
    if (qualifier === undefined || !/^\d+$/.test(qualifier)) return [];
    const fn = target?.fn ? functions[target.fn] : undefined;
    const aliases = fn ? Object.keys(fn.aliases) : [];
    return [
      {
        message: `is a numbered version; a function URL points at $LATEST or an alias, never a version: write '${target!.fn}'${aliases.map((a) => ` or '${target!.fn}:${a}'`).join('')}`,
        input: given.invoke,
        path: [{ type: 'object', key: 'invoke' }],
      },
    ];
  };
}
