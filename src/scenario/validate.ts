/**
 * Validation of a scenario against AWS's limits (docs/aws-rules.md), and its normalisation into the Model
 * the engine runs. Everything a scenario can get wrong is refused here, before anything runs, with one
 * error per problem: the file, the field path, the value and what is allowed. All errors are collected, so
 * an author fixes a file in one pass instead of one error at a time.
 */
import { ESM_MAX_FILTERS, ESM_MAX_PATTERN_LENGTH, EVENTBRIDGE_MAX_PATTERN_LENGTH, patternTextProblem, validatePattern } from '../lang/patterns.js';
import { parseSchedule } from '../lang/schedule.js';
import type * as v from 'valibot';
import { parseDuration } from '../lang/duration.js';
import { ARCHITECTURES, bucketSchema, busSchema, faultSchema, functionSchema, mappingSchema, mappingSource, queueSchema, runTime, streamSchema, tableSchema, topicSchema } from './schema/kinds.js';
import { edgeFunctionsInUsEast1, provisionedWithinLimits, reservedWithinAccount } from './schema/rules.js';
import { DEFAULTS, LIMITS } from './schema/limits.js';
import { child, formatValidationError, suggest, isObject, item, kindList, nameList, nameMap, notPlain, type Obj, showValue, unknownKeyProblems, type ValidationError } from './schema/messages.js';
import { declared, parse as parseSchema, readBoolean, readDuration, readFunction, readNumber, readOneOf, readRef, readString } from './schema/primitives.js';
import type {
  AlarmModel,
  AliasModel,
  BucketModel,
  CatcherModel,
  RetrierModel,
  StateMachineModel,
  StateModel,
  DeploymentModel,
  BusModel,
  EsmModel,
  EsmSourceKind,
  FaultModel,
  FunctionModel,
  Model,
  QueueModel,
  RateStep,
  ResourceKind,
  RuleModel,
  StreamModel,
  TableModel,
  SubscriptionModel,
  TopicModel,
  TrafficModel,
  VersionModel,
} from './model.js';
export { formatValidationError, nameMap, showValue, type ValidationError } from './schema/messages.js';
import type { CloudFrontEventType, CognitoTriggerSource, FaultKind, Handler, HttpRequestSpec, InvokeVia } from './types.js';

const SEED_LIMITS = LIMITS.seed;

/**
 * The command line's --seed, --tick and --duration, checked by the same rules as the scenario fields they
 * override. Returns the values to apply, or one line per problem (`--duration: '400d' is out of range;
 * allowed 1ms..30d`).
 */
export function checkRunOverrides(options: { seed?: unknown; tick?: unknown; duration?: unknown }): {
  seed?: number;
  tickMs?: number;
  durationMs?: number;
  lines: string[];
} {
  const c = new Checker('');
  const seed = options.seed === undefined ? undefined : c.number('--seed', options.seed, SEED_LIMITS);
  const tickMs = options.tick === undefined ? undefined : c.duration('--tick', options.tick, LIMITS.tick);
  const durationMs = options.duration === undefined ? undefined : c.duration('--duration', options.duration, LIMITS.runDuration);
  const lines = c.errors.map((e) => formatValidationError(e).replace(/^: /, ''));
  return { ...(seed !== undefined ? { seed } : {}), ...(tickMs !== undefined ? { tickMs } : {}), ...(durationMs !== undefined ? { durationMs } : {}), lines };
}

/**
 * Records one traffic entry may send in a run, at most (its count, or its rate over its time in the run).
 * Any rate is allowed, so that `count: 1_000_000, rate: 1_000_000` is a backlog present at t=0: memory,
 * not the rate, is the limit (a run that outgrows it stops with one line, src/memory.ts). Beyond this no
 * machine holds the records: the engine keeps every one it is given.
 */
const MAX_TRAFFIC_RECORDS = 100_000_000;
/** At most this many partition keys or message groups in one traffic entry. */
const MAX_KEYS = 10_000;
/** Default partition keys per shard: enough that MD5 hashing puts traffic on every shard (docs/aws-rules.md §3.4). */
const DEFAULT_KEYS_PER_SHARD = 4;

const TOP_LEVEL_KEYS = [
  'name', 'description', 'seed', 'tick', 'duration', 'region', 'accountId', 'account', 'functions', 'queues',
  'streams', 'tables', 'topics', 'buses', 'buckets', 'eventSourceMappings', 'traffic', 'faults', 'deployments', 'stateMachines',
] as const;
const FUNCTION_KEYS = [
  'handler', 'duration', 'timeout', 'memorySize', 'architecture', 'coldStart', 'environmentIdleTimeout', 'reservedConcurrentExecutions',
  'provisionedConcurrentExecutions', 'retryAttempts', 'maxEventAge', 'duplicateRate', 'onSuccess', 'onFailure', 'deadLetterQueue',
  'versions', 'aliases',
] as const;
const VERSION_KEYS = ['handler', 'duration', 'timeout', 'memorySize', 'coldStart', 'provisionedConcurrentExecutions'] as const;
const ALIAS_KEYS = ['version', 'additionalVersionWeights', 'provisionedConcurrentExecutions'] as const;
const DEPLOYMENT_KEYS = ['alias', 'to', 'at', 'config', 'alarms', 'hooks'] as const;
const ALARM_KEYS = [
  'name', 'metric', 'threshold', 'period', 'evaluationPeriods', 'datapointsToAlarm', 'statistic', 'comparisonOperator',
  'treatMissingData', 'executedVersion',
] as const;
const PUT_TRAFFIC_KEYS = ['to', 'rate', 'count', 'start', 'stop', 'partitionKeys', 'messageGroups', 'deduplicationId', 'messageAttributes', 'body'] as const;
const INVOKE_TRAFFIC_KEYS = [
  'invoke', 'type', 'via', 'rate', 'count', 'start', 'stop', 'body', 'http', 'cloudfront', 'cognito', 'firehose', 's3Batch', 'ses', 'url',
] as const;
const HTTP_KEYS = [
  'method', 'path', 'headers', 'query', 'multiValueHeaders', 'payloadFormatVersion', 'api', 'integrationTimeout',
] as const;
const VIAS = [
  'cli', 'alb', 'apigateway', 's3', 'sns', 'cloudfront', 'cognito', 'stepfunctions', 'lex', 'alexa', 'firehose', 's3-batch', 'url', 'ses',
  'cloudwatch-logs', 'codecommit', 'config', 'iot',
] as const;

/** The resource maps of a scenario, in the order names are registered and listed. */
const RESOURCE_MAPS: ReadonlyArray<readonly [key: string, kind: ResourceKind]> = [
  ['functions', 'function'],
  ['queues', 'queue'],
  ['streams', 'stream'],
  ['tables', 'table'],
  ['topics', 'topic'],
  ['buses', 'bus'],
  ['buckets', 'bucket'],
  ['stateMachines', 'stateMachine'],
];

// ---------------------------------------------------------------------------------------------------------
// The checker: typed readers that record an error and return undefined when a value is wrong, or the
// default when it is absent. Callers build the model from what they return; the model is only handed out
// when no error was recorded, so fallbacks used while building it never reach the engine.

class Checker {
  readonly errors: ValidationError[] = [];
  /** Every declared name and its kind (the default bus included). */
  readonly resources: Record<string, ResourceKind> = nameMap({ default: 'bus' });
  /** Where each name was declared, for duplicate-name messages. */
  readonly declaredAt: Record<string, string> = nameMap();
  /** Whether each declared queue is FIFO, read before queues are validated so references can use it. */
  readonly fifo: Record<string, boolean> = nameMap();
  /** Each function's declared versions and aliases, read before functions are validated (qualified references). */
  readonly qualifiers: Record<string, { versions: string[]; aliases: string[] }> = nameMap();

  constructor(readonly file: string) {}

  fail(path: string, value: unknown, message: string): void {
    this.errors.push({ file: this.file, path, value, message });
  }

  object(path: string, value: unknown, what: string): Obj | undefined {
    if (isObject(value)) return value;
    this.fail(path, value, `${notPlain(value)}; expected ${what}`);
    return undefined;
  }

  /** Unknown keys are errors: they are almost always typos (`batchsize`) that would silently do nothing. */
  keys(path: string, obj: Obj, valid: readonly string[], what: string): void {
    for (const p of unknownKeyProblems(obj, valid, what)) this.fail(p.key === undefined ? path : child(path, p.key), p.value, p.message);
  }

  array(path: string, value: unknown, what: string): unknown[] | undefined {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.fail(path, value, `is not an array; expected ${what}`);
    return undefined;
  }

  /**
   * Checks a value against a kind's schema (schema/kinds.ts), records its problems in order and returns
   * its output (undefined when the value is not even an object of the right shape).
   */
  parse<TOut>(schema: v.BaseSchema<unknown, TOut, v.BaseIssue<unknown>>, value: unknown, path: string): TOut | undefined {
    const { output, errors } = parseSchema(schema, value, this.file, path);
    this.errors.push(...errors);
    return output;
  }

  /** Records the problem of a reader (schema/primitives.ts) and returns its value, or undefined. */
  private read<T>(path: string, value: unknown, r: { ok: true; value: T } | { ok: false; message: string }): T | undefined {
    if (r.ok) return r.value;
    this.fail(path, value, r.message);
    return undefined;
  }

  string(path: string, value: unknown, what: string, options: { required?: boolean } = {}): string | undefined {
    if (value === undefined && !options.required) return undefined;
    return this.read(path, value, readString(value, what));
  }

  bool(path: string, value: unknown, fallback: boolean): boolean | undefined {
    if (value === undefined) return fallback;
    return this.read(path, value, readBoolean(value));
  }

  func<T>(path: string, value: unknown, what: string): T | undefined {
    if (value === undefined) return undefined;
    return this.read(path, value, readFunction<T>(value, what));
  }

  oneOf<T extends string>(path: string, value: unknown, options: readonly T[], fallback?: T): T | undefined {
    if (value === undefined && fallback !== undefined) return fallback;
    return this.read(path, value, readOneOf(value, options));
  }

  /** A number in [min, max]; `integer` refuses fractions. A quoted number gets a hint to drop the quotes. */
  number(
    path: string,
    value: unknown,
    limits: { min: number; max: number; integer?: boolean; fallback?: number; label?: string },
  ): number | undefined {
    if (value === undefined && limits.fallback !== undefined) return limits.fallback;
    return this.read(path, value, readNumber(value, limits));
  }

  /** A Duration (ms number or `'30s'`-style string) within `r`, in milliseconds. */
  duration(path: string, value: unknown, r: { minMs: number; maxMs: number; label: string }, fallbackMs?: number): number | undefined {
    if (value === undefined && fallbackMs !== undefined) return fallbackMs;
    return this.read(path, value, readDuration(value, r));
  }

  /** The names of the declared resources of these kinds, in declaration order. */
  declared(kinds: readonly ResourceKind[]): string[] {
    return declared(this, kinds);
  }

  /** A reference by name to a declared resource of one of `kinds`; returns the name and its kind. */
  ref(
    path: string,
    value: unknown,
    kinds: readonly ResourceKind[],
    options: { required?: boolean } = {},
  ): { name: string; kind: ResourceKind; fn?: string; qualifier?: string } | undefined {
    if (value === undefined && !options.required) return undefined;
    return this.read(path, value, readRef(this, value, kinds));
  }

  /**
   * A reference to a standard queue (or another kind): AWS delivers asynchronous destinations and dead-letter
   * messages only to standard queues (docs/aws-rules.md §2: "SQS (standard only)").
   */
  standardRef(
    path: string,
    value: unknown,
    kinds: readonly ResourceKind[],
    why: string,
  ): { name: string; kind: ResourceKind; fn?: string; qualifier?: string } | undefined {
    const found = this.ref(path, value, kinds);
    if (found?.kind === 'queue' && this.fifo[found.name]) {
      this.fail(path, value, `is a FIFO queue; ${why}`);
      return undefined;
    }
    return found;
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Checks a scenario (the default export of a scenario file) against AWS's limits and, when nothing is wrong,
 * returns the normalised Model with every default filled in. All problems are collected; none stops the
 * others from being found.
 *
 * @example
 * const { model, errors } = validateScenario({ name: 'hello', functions: { hello: {} } }, 'scenarios/hello.ts');
 * // errors: [], model.functions.hello.timeoutMs === 3000, model.buses.default exists
 * const bad = validateScenario({ name: 'x', functions: { f: { timeout: '20m' } } }, 'x.ts');
 * // formatValidationError(bad.errors[0]) === "x.ts: functions.f.timeout: '20m' is out of range; allowed 1s..15m"
 */
export function validateScenario(input: unknown, file: string): { model?: Model; errors: ValidationError[] } {
  try {
    return checkScenario(input, file);
  } catch (error) {
    // A getter that throws, a Proxy, a cyclic or very deep value: one line, never a stack.
    return { errors: [{ file, path: '', value: undefined, message: `could not be read: ${describeThrown(error)}` }] };
  }
}

/** What was thrown, on one short line, even when reading its message throws too. */
export function describeThrown(error: unknown): string {
  let text: string;
  try {
    if (error instanceof RangeError && /call stack/i.test(String(error.message))) {
      text = 'it nests too deeply, or refers to itself (a cyclic value)';
    } else if (error instanceof Error) text = `${error.name === 'Error' ? '' : `${String(error.name)}: `}${String(error.message)}`;
    else text = String(error);
  } catch {
    text = 'a value whose getter or message throws';
  }
  text = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function checkScenario(input: unknown, file: string): { model?: Model; errors: ValidationError[] } {
  const c = new Checker(file);
  if (!isObject(input)) {
    c.fail('', input, 'is not a scenario; the default export must be defineScenario({ name, functions, ... })');
    return { errors: c.errors };
  }
  c.keys('', input, TOP_LEVEL_KEYS, 'scenario');

  const name = c.string('name', input.name, 'the scenario name', { required: true });
  const description = input.description === undefined ? '' : c.string('description', input.description, 'a description');
  const seed = c.number('seed', input.seed, { ...SEED_LIMITS, fallback: 1 });
  const tickMs = c.duration('tick', input.tick, LIMITS.tick, 100);
  const durationMs = c.duration('duration', input.duration, LIMITS.runDuration, 5 * 60_000);
  const region = checkRegion(c, input.region);
  const accountId = checkAccountId(c, input.accountId);
  const accountConcurrency = checkAccount(c, input.account);

  registerResources(c, input);

  const functions = checkFunctions(c, input.functions, accountConcurrency);
  const queues = checkQueues(c, input.queues);
  const streams = checkStreams(c, input.streams);
  const tables = checkTables(c, input.tables);
  const topics = checkTopics(c, input.topics);
  const buses = checkBuses(c, input.buses);
  const buckets = checkBuckets(c, input.buckets);
  const stateMachines = checkStateMachines(c, input.stateMachines);
  const eventSourceMappings = checkMappings(c, input.eventSourceMappings, functions, queues);
  const traffic = checkTraffic(c, input.traffic, streams, tables, functions, durationMs);
  if (region) for (const e of edgeFunctionsInUsEast1(region, traffic)) c.fail(e.path, e.value, e.message);
  const faults = checkFaults(c, input.faults, Array.isArray(input.traffic) ? input.traffic.length : 0);
  const deployments = checkDeployments(c, input.deployments, functions, durationMs);

  if (c.errors.length > 0) return { errors: c.errors };
  const model: Model = {
    file,
    name: name!,
    description: description ?? '',
    seed: seed!,
    tickMs: tickMs!,
    durationMs: durationMs!,
    region: region!,
    accountId: accountId!,
    accountConcurrency: accountConcurrency!,
    functions,
    queues,
    streams,
    tables,
    topics,
    buses,
    buckets,
    stateMachines,
    eventSourceMappings,
    traffic,
    faults,
    deployments,
    resources: nameMap(c.resources),
  };
  return { model, errors: [] };
}

function checkRegion(c: Checker, value: unknown, path = 'region'): string | undefined {
  if (value === undefined) return 'us-east-1';
  // Region names shape ARNs (us-east-1, eu-central-2, us-gov-west-1, cn-north-1).
  if (typeof value === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) return value;
  c.fail(path, value, "is not an AWS Region name; expected something like 'us-east-1' or 'eu-west-2'");
  return undefined;
}

function checkAccountId(c: Checker, value: unknown): string | undefined {
  if (value === undefined) return '123456789012';
  if (typeof value === 'string' && /^\d{12}$/.test(value)) return value;
  c.fail('accountId', value, "is not an AWS account ID; expected a string of 12 digits like '123456789012'");
  return undefined;
}

function checkAccount(c: Checker, value: unknown): number | undefined {
  if (value === undefined) return 1000;
  const account = c.object('account', value, '{ concurrentExecutions?: number }');
  if (!account) return undefined;
  c.keys('account', account, ['concurrentExecutions'], 'account');
  // docs/aws-rules.md §4: 1,000 per Region by default; raised limits reach tens of thousands.
  return c.number('account.concurrentExecutions', account.concurrentExecutions, {
    min: 1,
    max: 100_000,
    integer: true,
    fallback: 1000,
  });
}

/**
 * Registers every declared name before anything else is checked, so references can be resolved in any
 * order. Names are unique across all resource kinds (docs/architecture.md, "Scenario contract").
 */
/**
 * Names JavaScript gives every object (Object.prototype's own): a resource called `toString` or
 * `__proto__` would read as that built-in wherever a map is looked up by name, so such names are refused.
 */
const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** The longest resource name: AWS's longest (a function name) is 64; queue names allow 80. */
const MAX_NAME = 256;

function registerResources(c: Checker, input: Obj): void {
  if (input.functions === undefined) {
    c.fail('functions', undefined, 'is missing; expected a map of function name to function spec, e.g. { processor: {} }');
  }
  const allKinds = 'functions, queues, streams, tables, topics, buses and buckets';
  for (const [key, kind] of RESOURCE_MAPS) {
    const map = input[key];
    if (map === undefined) continue;
    if (!isObject(map)) {
      c.fail(key, map, `${notPlain(map)}; expected a map of ${kind} name to ${kind} spec`);
      continue;
    }
    for (const name of Object.keys(map)) {
      const path = child(key, name);
      if (name.trim() === '') {
        c.fail(path, name, `is an empty name; every ${kind} needs a non-empty name`);
        continue;
      }
      if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
        c.fail(path, name, `is not a valid name: it holds control characters (newlines, escape sequences); a ${kind} name is printable text`);
        continue;
      }
      if (name.length > MAX_NAME) {
        c.fail(path, `${name.length} characters`, `is too long a name; allowed 1..${MAX_NAME} characters`);
        continue;
      }
      if (RESERVED_NAMES.has(name)) {
        c.fail(path, name, `is a name JavaScript objects already use (${[...RESERVED_NAMES].slice(0, 4).join(', ')}, ...); choose another ${kind} name`);
        continue;
      }
      if (kind === 'bus' && name === 'default') continue; // the default bus always exists; declaring it adds rules
      if (Object.hasOwn(c.resources, name)) {
        const where = name === 'default' ? 'the default event bus, which always exists' : `already declared at ${c.declaredAt[name]}`;
        c.fail(path, name, `is ${where}; names are unique across ${allKinds}`);
        continue;
      }
      c.resources[name] = kind;
      c.declaredAt[name] = path;
      if (kind === 'queue') c.fifo[name] = isObject(map[name]) && map[name].fifo === true;
      if (kind === 'function') {
        const spec = map[name];
        const keysOf = (v: unknown) => (isObject(v) ? Object.keys(v) : []);
        c.qualifiers[name] = isObject(spec) ? { versions: keysOf(spec.versions), aliases: keysOf(spec.aliases) } : { versions: [], aliases: [] };
      }
    }
  }
}

/** The entries of a resource map, skipping names that failed registration (their error is already recorded). */
function entries(c: Checker, value: unknown, kind: ResourceKind): Array<[string, unknown]> {
  if (!isObject(value)) return [];
  return Object.entries(value).filter(([name]) => c.resources[name] === kind);
}

function checkFunctions(c: Checker, value: unknown, accountConcurrency: number | undefined): Record<string, FunctionModel> {
  const out: Record<string, FunctionModel> = nameMap();
  const reserved: Array<[string, number]> = [];
  const account = accountConcurrency ?? LIMITS.accountConcurrency.default;
  for (const [name, raw] of entries(c, value, 'function')) {
    const path = child('functions', name);
    const f = c.parse(functionSchema(c, path, account), raw, path);
    if (!f) continue;
    const handler = f.handler as Handler | undefined;
    if (f.reservedConcurrentExecutions !== undefined) reserved.push([name, f.reservedConcurrentExecutions]);
    const own: VersionModel = {
      version: '$LATEST',
      ...(handler ? { handler } : {}),
      duration: f.duration,
      timeoutMs: f.timeout,
      memorySize: f.memorySize,
      coldStartMs: f.coldStart,
      provisionedConcurrentExecutions: 0,
    };
    const versions = checkVersions(c, child(path, 'versions'), f.versions, own);
    const aliases = checkAliases(c, child(path, 'aliases'), f.aliases, versions);
    for (const e of provisionedWithinLimits(path, versions, aliases, f.reservedConcurrentExecutions, account)) c.fail(e.path, e.value, e.message);

    out[name] = {
      name,
      ...(handler ? { handler } : {}),
      duration: own.duration,
      timeoutMs: own.timeoutMs,
      memorySize: own.memorySize,
      architecture: f.architecture,
      coldStartMs: own.coldStartMs,
      environmentIdleTimeoutMs: f.environmentIdleTimeout,
      ...(f.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: f.reservedConcurrentExecutions } : {}),
      versions,
      aliases,
      retryAttempts: f.retryAttempts,
      maxEventAgeMs: f.maxEventAge,
      duplicateRate: f.duplicateRate,
      ...(f.onSuccess ? { onSuccess: f.onSuccess.name } : {}),
      ...(f.onFailure ? { onFailure: f.onFailure.name } : {}),
      ...(f.deadLetterQueue ? { deadLetterQueue: f.deadLetterQueue.name } : {}),
    };
  }
  if (value !== undefined && !isObject(value)) return out;
  for (const e of reservedWithinAccount(reserved, account)) c.fail(e.path, e.value, e.message);
  return out;
}

/** A fixed duration, or a log-normal one through p50 and p99 (p50 ≤ p99): schema/kinds.ts's runTime. */
function checkRunTime(c: Checker, path: string, value: unknown): FunctionModel['duration'] | undefined {
  return c.parse(runTime, value, path);
}

function checkQueues(c: Checker, value: unknown): Record<string, QueueModel> {
  const out: Record<string, QueueModel> = nameMap();
  for (const [name, raw] of entries(c, value, 'queue')) {
    const q = c.parse(queueSchema(c, name), raw, child('queues', name));
    if (!q) continue;
    out[name] = {
      name,
      fifo: q.fifo,
      contentBasedDeduplication: q.contentBasedDeduplication,
      visibilityTimeoutMs: q.visibilityTimeout,
      deliveryDelayMs: q.deliveryDelay,
      retentionPeriodMs: q.retentionPeriod,
      ...(q.deadLetterQueue?.queue ? { redrive: { queue: q.deadLetterQueue.queue.name, maxReceiveCount: q.deadLetterQueue.maxReceiveCount } } : {}),
    };
  }
  return out;
}

function checkStreams(c: Checker, value: unknown): Record<string, StreamModel> {
  const out: Record<string, StreamModel> = nameMap();
  for (const [name, raw] of entries(c, value, 'stream')) {
    const s = c.parse(streamSchema, raw, child('streams', name));
    if (s) out[name] = { name, shardCount: s.shardCount, retentionPeriodMs: s.retentionPeriod };
  }
  return out;
}

/** docs/aws-rules.md §3.4: DynamoDB Streams keep records for 24 hours; it is not a setting. */
const TABLE_RETENTION_MS = parseDuration(DEFAULTS.tableRetention)!;

function checkTables(c: Checker, value: unknown): Record<string, TableModel> {
  const out: Record<string, TableModel> = nameMap();
  for (const [name, raw] of entries(c, value, 'table')) {
    const t = c.parse(tableSchema, raw, child('tables', name));
    if (!t) continue;
    out[name] = { name, partitionKey: t.partitionKey ?? '', shardCount: t.shardCount, streamViewType: t.streamViewType, retentionPeriodMs: TABLE_RETENTION_MS };
  }
  return out;
}

function checkTopics(c: Checker, value: unknown): Record<string, TopicModel> {
  const out: Record<string, TopicModel> = nameMap();
  for (const [name, raw] of entries(c, value, 'topic')) {
    const t = c.parse(topicSchema(c), raw, child('topics', name));
    if (!t) continue;
    const subscriptionConfigs = (t.subscriptions ?? []).filter((s) => s !== undefined);
    out[name] = { name, subscriptions: subscriptionConfigs.map((s) => s.endpoint), subscriptionConfigs };
  }
  return out;
}

function checkBuses(c: Checker, value: unknown): Record<string, BusModel> {
  const out: Record<string, BusModel> = nameMap({ default: { name: 'default', rules: [] } });
  // entries() includes 'default' when the scenario declares it (to give the default bus rules).
  for (const [name, raw] of entries(c, value, 'bus')) {
    const b = c.parse(busSchema(c, name), raw, child('buses', name));
    if (!b) continue;
    const rules: RuleModel[] = [];
    for (const r of b.rules) {
      if (!r || rules.some((kept) => kept.name === r.name)) continue;
      rules.push({
        name: r.name,
        ...(r.eventPattern ? { eventPattern: r.eventPattern } : {}),
        ...(r.schedule ? { schedule: r.schedule } : {}),
        targets: r.targets as string[],
        retryAttempts: r.retryAttempts,
        maxEventAgeMs: r.maxEventAge,
        ...(r.deadLetterQueue ? { deadLetterQueue: r.deadLetterQueue.name } : {}),
      });
    }
    out[name] = { name, rules };
  }
  return out;
}

function checkBuckets(c: Checker, value: unknown): Record<string, BucketModel> {
  const out: Record<string, BucketModel> = nameMap();
  for (const [name, raw] of entries(c, value, 'bucket')) {
    const b = c.parse(bucketSchema(c), raw, child('buckets', name));
    if (!b) continue;
    const notifications: BucketModel['notifications'] = [];
    for (const n of b.notifications) {
      if (!n?.events || !n.function) continue;
      notifications.push({ events: n.events, ...(n.prefix ? { prefix: n.prefix } : {}), ...(n.suffix ? { suffix: n.suffix } : {}), function: n.function.name });
    }
    out[name] = { name, notifications };
  }
  return out;
}

function checkMappings(
  c: Checker,
  value: unknown,
  functions: Record<string, FunctionModel>,
  queues: Record<string, QueueModel>,
): EsmModel[] {
  const out: EsmModel[] = [];
  const list = c.array('eventSourceMappings', value, 'an array of event source mappings { source, function, ... }') ?? [];
  const pairs = new Map<string, number>();
  list.forEach((raw, i) => {
    const source = mappingSource(c, isObject(raw) ? raw.source : undefined);
    const m = c.parse(mappingSchema(c, { index: i, source, pairs }, functions, queues), raw, item('eventSourceMappings', i));
    if (!m) return;
    out.push({
      id: `esm-${i}`,
      source: m.source?.name ?? '',
      sourceKind: source.kind ?? 'sqs',
      function: m.function?.fn ?? m.function?.name ?? '',
      ...(m.function?.qualifier ? { qualifier: m.function.qualifier } : {}),
      batchSize: m.batchSize,
      maxBatchingWindowMs: m.maxBatchingWindow,
      enabled: m.enabled,
      startAtMs: m.startAt,
      filters: m.filters ?? [],
      reportBatchItemFailures: m.reportBatchItemFailures,
      ...(m.maxConcurrency !== undefined ? { maxConcurrency: m.maxConcurrency } : {}),
      startingPosition: m.startingPosition,
      parallelizationFactor: m.parallelizationFactor,
      bisectBatchOnError: m.bisectBatchOnError,
      retryAttempts: m.retryAttempts,
      maxRecordAgeMs: m.maxRecordAge,
      ...(m.onFailure ? { onFailure: m.onFailure.name } : {}),
      tumblingWindowMs: m.tumblingWindow,
    });
  });
  return out;
}

function checkTraffic(
  c: Checker,
  value: unknown,
  streams: Record<string, StreamModel>,
  tables: Record<string, TableModel>,
  functions: Record<string, FunctionModel> = {},
  durationMs?: number,
): TrafficModel[] {
  const out: TrafficModel[] = [];
  const list = c.array('traffic', value, "an array of traffic entries { to, rate } or { invoke, type, rate }") ?? [];
  list.forEach((raw, i) => {
    const path = item('traffic', i);
    const spec = c.object(path, raw, "{ to: 'queue', rate: 5 } or { invoke: 'fn', type: 'Event', rate: 5 }");
    if (!spec) return;
    const isPut = spec.to !== undefined;
    const isInvoke = spec.invoke !== undefined;
    if (isPut === isInvoke) {
      c.fail(
        path,
        spec,
        `has ${isPut ? "both 'to' and 'invoke'" : "neither 'to' nor 'invoke'"}; a traffic entry has exactly one: to (a queue, stream, table, topic, bus or bucket) or invoke (a function)`,
      );
      return;
    }
    c.keys(path, spec, isPut ? PUT_TRAFFIC_KEYS : INVOKE_TRAFFIC_KEYS, isPut ? "traffic 'to'" : "traffic 'invoke'");

    const rate = checkRate(c, child(path, 'rate'), spec.rate);
    const count = spec.count === undefined ? undefined : c.number(child(path, 'count'), spec.count, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, label: '0 or more' });
    const startMs = c.duration(child(path, 'start'), spec.start, LIMITS.time, 0);
    const stopMs = spec.stop === undefined ? undefined : c.duration(child(path, 'stop'), spec.stop, LIMITS.time);
    if (startMs !== undefined && stopMs !== undefined && stopMs <= startMs) {
      c.fail(child(path, 'stop'), spec.stop, `is not after start (${showValue(spec.start ?? 0)}); stop must be later than start`);
    }
    if (rate && startMs !== undefined && durationMs !== undefined) {
      const sent = Math.min(count ?? Infinity, recordsSent(rate, startMs, Math.min(stopMs ?? Infinity, durationMs)));
      if (sent > MAX_TRAFFIC_RECORDS) {
        const [where, value] = count !== undefined ? ['count', spec.count] : ['rate', spec.rate];
        c.fail(
          child(path, where),
          value,
          `sends ${sent.toExponential(2)} records in the run; allowed at most ${MAX_TRAFFIC_RECORDS.toLocaleString('en-US')} per traffic entry, as the engine keeps every record and memory is the limit` +
            (count === undefined ? '; give a count or a stop, or a lower rate' : ''),
        );
      }
    }
    const body = c.func<(i: number) => unknown>(child(path, 'body'), spec.body, 'a function (i) => payload of record i');
    const base = {
      index: i,
      rate: rate ?? [],
      ...(count !== undefined ? { count } : {}),
      startMs: startMs ?? 0,
      ...(stopMs !== undefined ? { stopMs } : {}),
      ...(body ? { body } : {}),
    };

    if (isPut) {
      // A state machine takes puts too (each starts an execution); named only when the entry targets one,
      // so the list in the other errors stays the list of event sources.
      const putKinds: ResourceKind[] =
        typeof spec.to === 'string' && c.resources[spec.to] === 'stateMachine'
          ? ['queue', 'stream', 'table', 'topic', 'bus', 'bucket', 'stateMachine']
          : ['queue', 'stream', 'table', 'topic', 'bus', 'bucket'];
      let target: { name: string; kind: ResourceKind } | undefined;
      if (typeof spec.to === 'string' && c.resources[spec.to] === 'function') {
        // A common mix-up: functions are called, not put into.
        c.fail(
          child(path, 'to'),
          spec.to,
          `is a function, not ${kindList(putKinds)}; call it with { invoke: '${spec.to}', type: 'Event' } instead`,
        );
      } else target = c.ref(child(path, 'to'), spec.to, putKinds);
      const kind = target?.kind;
      const shardCount = kind === 'stream' ? streams[target!.name]?.shardCount : kind === 'table' ? tables[target!.name]?.shardCount : undefined;
      const fifo = kind === 'queue' && c.fifo[target!.name];
      let partitionKeys: string[] | undefined;
      let messageGroups: string[] | undefined;
      if (spec.partitionKeys !== undefined && target && kind !== 'stream' && kind !== 'table') {
        c.fail(child(path, 'partitionKeys'), spec.partitionKeys, `is only for streams and tables; '${target.name}' is a ${kind}`);
      } else if (kind === 'stream' || kind === 'table') {
        // Without partitionKeys a stream gets 4 keys per shard, so MD5 hashing (docs/aws-rules.md §3.4) spreads the
        // traffic over every shard instead of piling it onto one.
        partitionKeys = checkKeys(c, child(path, 'partitionKeys'), spec.partitionKeys, 'key', DEFAULT_KEYS_PER_SHARD * (shardCount ?? 1));
      }
      if (spec.messageGroups !== undefined && target && !fifo) {
        c.fail(child(path, 'messageGroups'), spec.messageGroups, `is only for FIFO queues; '${target.name}' is ${kind === 'queue' ? 'a standard queue' : `a ${kind}`}`);
      } else if (fifo) {
        // Without messageGroups a FIFO queue gets one group, so order holds across the whole queue (the
        // plainest reading of FIFO); give a number to see groups processed in parallel (docs/aws-rules.md §3.3).
        messageGroups = checkKeys(c, child(path, 'messageGroups'), spec.messageGroups, 'group', 1);
      }
      let deduplicationId: ((i: number) => string) | undefined;
      if (spec.deduplicationId !== undefined && target && !fifo) {
        c.fail(child(path, 'deduplicationId'), spec.deduplicationId, `is only for FIFO queues; '${target.name}' is ${kind === 'queue' ? 'a standard queue' : `a ${kind}`}`);
      } else if (spec.deduplicationId !== undefined) {
        deduplicationId = c.func<(i: number) => string>(child(path, 'deduplicationId'), spec.deduplicationId, 'a function (i) => the MessageDeduplicationId of message i');
      }
      let messageAttributes: ((i: number) => Record<string, unknown>) | undefined;
      if (spec.messageAttributes !== undefined && target && kind !== 'queue' && kind !== 'topic') {
        c.fail(child(path, 'messageAttributes'), spec.messageAttributes, `is only for queues and topics; '${target.name}' is a ${kind}`);
      } else if (spec.messageAttributes !== undefined) {
        messageAttributes = c.func<(i: number) => Record<string, unknown>>(
          child(path, 'messageAttributes'),
          spec.messageAttributes,
          "a function (i) => the message attributes of message i, e.g. (i) => ({ type: 'order' })",
        );
      }
      out.push({
        ...base,
        kind: 'put',
        target: target?.name ?? '',
        targetKind: kind ?? 'queue',
        ...(partitionKeys ? { partitionKeys } : {}),
        ...(messageGroups ? { messageGroups } : {}),
        ...(deduplicationId ? { deduplicationId } : {}),
        ...(messageAttributes ? { messageAttributes } : {}),
      });
      return;
    }

    const target = c.ref(child(path, 'invoke'), spec.invoke, ['function']);
    const via = c.oneOf(child(path, 'via'), spec.via, VIAS, 'cli');
    const fixed = via ? CALLER_TYPE[via] : undefined;
    // docs/callers.md: every caller but the CLI and SES has a fixed invocation type, so `type` may be left out.
    const type =
      spec.type === undefined && fixed
        ? fixed
        : spec.type === undefined && via === 'ses'
          ? 'Event'
          : c.oneOf(child(path, 'type'), spec.type, ['RequestResponse', 'Event'] as const);
    if (fixed && type && type !== fixed) {
      const others = VIAS.filter((v) => CALLER_TYPE[v] !== fixed);
      c.fail(
        child(path, 'via'),
        spec.via,
        `invokes ${fixed === 'Event' ? 'asynchronously' : 'synchronously'}; type '${type}' can come via ${others.map((v) => `'${v}'`).join(', ')}; or leave type out`,
      );
    }
    const http = checkHttp(c, child(path, 'http'), spec.http, via, spec.body !== undefined);
    const callerOptions = checkCallerOptions(c, path, spec, via, type, target, functions);
    out.push({
      ...base,
      kind: 'invoke',
      target: target?.fn ?? target?.name ?? '',
      ...(target?.qualifier ? { qualifier: target.qualifier } : {}),
      targetKind: 'function',
      type: type ?? 'RequestResponse',
      via: via ?? 'cli',
      ...(http ? { http } : {}),
      ...callerOptions,
    });
  });
  return out;
}

/**
 * How many records an entry with these rate steps sends from `startMs` until `endMs` (its stop or the end
 * of the run): the first at its start, then one per 1/rate seconds (src/engine/traffic.ts).
 *
 * @example recordsSent([{ atMs: 0, ratePerSecond: 10 }], 0, 60_000) // 601
 */
function recordsSent(rate: RateStep[], startMs: number, endMs: number): number {
  let sent = 0;
  rate.forEach((step, i) => {
    const from = Math.max(step.atMs, startMs);
    const to = Math.min(rate[i + 1]?.atMs ?? Infinity, endMs);
    if (to > from) sent += (step.ratePerSecond * (to - from)) / 1000;
  });
  return rate.some((s) => s.ratePerSecond > 0) && endMs > startMs ? Math.floor(sent) + 1 : 0;
}

/** A constant rate becomes one step at 0; steps are sorted, and a gap before the first step has rate 0. */
function checkRate(c: Checker, path: string, value: unknown): RateStep[] | undefined {
  // Any finite rate: a rate as high as the count sends the whole count at once (a backlog at t=0).
  const limits = { min: 0, max: Number.MAX_VALUE, label: '0 or more per second' };
  // Without a rate an entry sends one record per second (until its count or stop, if any).
  if (value === undefined) return [{ atMs: 0, ratePerSecond: 1 }];
  if (typeof value === 'number' || !Array.isArray(value)) {
    const ratePerSecond = c.number(path, value, limits);
    return ratePerSecond === undefined ? undefined : [{ atMs: 0, ratePerSecond }];
  }
  if (value.length === 0) {
    c.fail(path, value, "has no steps; expected a number or steps like [{ at: '0s', rate: 5 }, { at: '30s', rate: 50 }]");
    return undefined;
  }
  const steps: RateStep[] = [];
  let ok = true;
  value.forEach((raw, i) => {
    const stepPath = item(path, i);
    const step = c.object(stepPath, raw, "a step { at: '30s', rate: 50 }");
    if (!step) {
      ok = false;
      return;
    }
    c.keys(stepPath, step, ['at', 'rate'], 'rate step');
    const atMs = c.duration(child(stepPath, 'at'), step.at, LIMITS.time);
    const ratePerSecond = c.number(child(stepPath, 'rate'), step.rate, limits);
    if (atMs === undefined || ratePerSecond === undefined) {
      ok = false;
      return;
    }
    if (steps.some((s) => s.atMs === atMs)) {
      c.fail(child(stepPath, 'at'), step.at, 'repeats the time of an earlier step; each step needs its own time');
      ok = false;
      return;
    }
    steps.push({ atMs, ratePerSecond });
  });
  if (!ok) return undefined;
  steps.sort((a, b) => a.atMs - b.atMs);
  if (steps[0].atMs > 0) steps.unshift({ atMs: 0, ratePerSecond: 0 });
  return steps;
}

/** A count n becomes `<prefix>-0`..`<prefix>-(n-1)`; a list is kept as given. */
function checkKeys(c: Checker, path: string, value: unknown, prefix: string, fallbackCount: number): string[] | undefined {
  const generate = (n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  if (value === undefined) return generate(fallbackCount);
  if (typeof value === 'number' || !Array.isArray(value)) {
    const n = c.number(path, value, { min: 1, max: MAX_KEYS, integer: true, label: `1..${MAX_KEYS}, or a list of names` });
    return n === undefined ? undefined : generate(n);
  }
  if (value.length === 0 || value.length > MAX_KEYS) {
    c.fail(path, value, `has ${value.length} names; allowed 1..${MAX_KEYS}`);
    return undefined;
  }
  let ok = true;
  value.forEach((key, i) => {
    if (typeof key !== 'string' || key.length === 0) {
      c.fail(item(path, i), key, 'is not a non-empty string');
      ok = false;
    }
  });
  return ok ? (value as string[]) : undefined;
}

/** The HTTP request of ALB and API Gateway traffic (docs/aws-rules.md §1), with its defaults filled in. */
function checkHttp(c: Checker, path: string, value: unknown, via: string | undefined, hasBody: boolean): HttpRequestSpec | undefined {
  const httpVia = via === 'alb' || via === 'apigateway' || via === 'url' || via === 'cloudfront';
  if (value !== undefined && !httpVia) {
    c.fail(path, value, `is only for via 'alb', 'apigateway', 'url' or 'cloudfront'; this entry comes via '${via ?? 'cli'}'`);
    return undefined;
  }
  if (!httpVia) return undefined;
  const spec = value === undefined ? {} : c.object(path, value, "{ method?, path?, headers?, query?, ... }");
  if (!spec) return undefined;
  c.keys(path, spec, HTTP_KEYS, 'http');
  const method = spec.method === undefined ? (hasBody ? 'POST' : 'GET') : c.string(child(path, 'method'), spec.method, "an HTTP method like 'GET'");
  let requestPath = '/';
  if (spec.path !== undefined) {
    if (typeof spec.path === 'string' && spec.path.startsWith('/')) requestPath = spec.path;
    else c.fail(child(path, 'path'), spec.path, "is not a path; expected a string starting with '/'");
  }
  const headers = checkStringMap(c, child(path, 'headers'), spec.headers);
  const query = checkStringMap(c, child(path, 'query'), spec.query);
  const http: HttpRequestSpec = { method: method ?? 'GET', path: requestPath };
  if (headers) http.headers = headers;
  if (query) http.query = query;
  if (via === 'url' || via === 'cloudfront') {
    // A function URL always sends payload 2.0 and CloudFront its own event: no gateway settings apply.
    for (const key of ['multiValueHeaders', 'payloadFormatVersion', 'api', 'integrationTimeout'] as const) {
      if (spec[key] !== undefined) c.fail(child(path, key), spec[key], `is only for via ${key === 'multiValueHeaders' ? "'alb'" : "'apigateway'"}`);
    }
  } else if (via === 'alb') {
    for (const key of ['payloadFormatVersion', 'api', 'integrationTimeout'] as const) {
      if (spec[key] !== undefined) c.fail(child(path, key), spec[key], "is only for via 'apigateway'");
    }
    // docs/aws-rules.md §1: the target group attribute lambda.multi_value_headers.enabled defaults to false.
    http.multiValueHeaders = c.bool(child(path, 'multiValueHeaders'), spec.multiValueHeaders, false) ?? false;
  } else {
    if (spec.multiValueHeaders !== undefined) c.fail(child(path, 'multiValueHeaders'), spec.multiValueHeaders, "is only for via 'alb'");
    const api = spec.api === undefined ? undefined : c.oneOf(child(path, 'api'), spec.api, ['rest', 'http'] as const);
    const version =
      c.oneOf(child(path, 'payloadFormatVersion'), spec.payloadFormatVersion, ['1.0', '2.0'] as const, api === 'rest' ? '1.0' : '2.0') ??
      '2.0';
    // docs/fidelity.md: REST APIs send payload format 1.0 only; HTTP APIs send 1.0 or 2.0.
    if (api === 'rest' && version === '2.0') {
      c.fail(child(path, 'payloadFormatVersion'), spec.payloadFormatVersion, "is not available on a REST API (api: 'rest' sends payload format '1.0')");
    }
    http.payloadFormatVersion = version;
    http.api = api ?? (version === '1.0' ? 'rest' : 'http');
    // docs/aws-rules.md §1: REST APIs time out at 29 s by default (raisable to 300 s), HTTP APIs at 30 s.
    const rest = http.api === 'rest';
    http.integrationTimeout =
      c.duration(
        child(path, 'integrationTimeout'),
        spec.integrationTimeout,
        rest ? LIMITS.restIntegrationTimeout : LIMITS.integrationTimeout,
        rest ? 29_000 : 30_000,
      ) ?? (rest ? 29_000 : 30_000);
  }
  return http;
}

function checkStringMap(c: Checker, path: string, value: unknown): Record<string, string | string[]> | undefined {
  if (value === undefined) return undefined;
  const map = c.object(path, value, "a map of name to a string or an array of strings, e.g. { accept: 'application/json' }");
  if (!map) return undefined;
  let ok = true;
  for (const [key, v] of Object.entries(map)) {
    if (typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'))) continue;
    c.fail(child(path, key), v, 'is not a string or an array of strings');
    ok = false;
  }
  return ok ? (map as Record<string, string | string[]>) : undefined;
}

function checkFaults(c: Checker, value: unknown, trafficCount: number): FaultModel[] {
  const out: FaultModel[] = [];
  const list = c.array('faults', value, "an array of faults { function, kind, ... }") ?? [];
  list.forEach((raw, i) => {
    const f = c.parse(faultSchema(c, trafficCount, isObject(raw) ? raw.kind : undefined), raw, item('faults', i));
    if (!f) return;
    // A match with no criteria is dropped (the fault applies to every invocation).
    const m = f.match;
    const match: NonNullable<FaultModel['match']> = {
      ...(m?.traffic !== undefined ? { traffic: m.traffic } : {}),
      ...(m?.index !== undefined ? { index: m.index } : {}),
      ...(m?.partitionKey !== undefined ? { partitionKey: m.partitionKey } : {}),
      ...(m?.messageGroup !== undefined ? { messageGroup: m.messageGroup } : {}),
      ...(m?.body ? { body: m.body } : {}),
    };
    out.push({
      index: i,
      function: f.function?.fn ?? f.function?.name ?? '',
      ...(f.function?.qualifier ? { qualifier: f.function.qualifier } : {}),
      kind: f.kind ?? 'error',
      ...(Object.keys(match).length > 0 ? { match } : {}),
      rate: f.rate,
      fromMs: f.from,
      untilMs: f.until ?? Infinity,
      addMs: f.add ?? 0,
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Versions, aliases, provisioned concurrency and deployments (docs/versions.md).

/** AWS numbers published versions 1, 2, 3, ...; an alias name is not all digits (CreateAlias's pattern). */
const VERSION_PATTERN = /^[1-9][0-9]{0,9}$/;
const ALIAS_PATTERN = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

function checkVersions(c: Checker, path: string, value: unknown, own: VersionModel): Record<string, VersionModel> {
  const out: Record<string, VersionModel> = nameMap();
  if (value === undefined) return out;
  const map = c.object(path, value, "a map of version number to version spec, e.g. { '1': {}, '2': { handler } }");
  if (!map) return out;
  for (const [version, raw] of Object.entries(map)) {
    const vpath = `${path}['${version}']`;
    if (!VERSION_PATTERN.test(version)) {
      c.fail(vpath, version, "is not a version number; AWS numbers published versions '1', '2', ... ($LATEST is the function itself)");
      continue;
    }
    const spec = c.object(vpath, raw, 'a version spec { handler?, duration?, timeout?, memorySize?, coldStart?, provisionedConcurrentExecutions? }');
    if (!spec) continue;
    c.keys(vpath, spec, VERSION_KEYS, 'version');
    const handler = c.func<Handler>(child(vpath, 'handler'), spec.handler, 'a handler (event, context) => result');
    const duration = spec.duration === undefined ? own.duration : checkRunTime(c, child(vpath, 'duration'), spec.duration);
    const timeoutMs = c.duration(child(vpath, 'timeout'), spec.timeout, LIMITS.timeout, own.timeoutMs);
    const memorySize = c.number(child(vpath, 'memorySize'), spec.memorySize, { min: 128, max: 10_240, integer: true, fallback: own.memorySize });
    const coldStartMs = c.duration(child(vpath, 'coldStart'), spec.coldStart, LIMITS.coldStart, own.coldStartMs);
    const pc = c.number(child(vpath, 'provisionedConcurrentExecutions'), spec.provisionedConcurrentExecutions, { min: 0, max: 100_000, integer: true, fallback: 0 });
    const h = handler ?? (spec.handler === undefined ? own.handler : undefined);
    out[version] = {
      version,
      ...(h ? { handler: h } : {}),
      duration: duration ?? own.duration,
      timeoutMs: timeoutMs ?? own.timeoutMs,
      memorySize: memorySize ?? own.memorySize,
      coldStartMs: coldStartMs ?? own.coldStartMs,
      provisionedConcurrentExecutions: pc ?? 0,
    };
  }
  return out;
}

function checkAliases(c: Checker, path: string, value: unknown, versions: Record<string, VersionModel>): Record<string, AliasModel> {
  const out: Record<string, AliasModel> = nameMap();
  if (value === undefined) return out;
  const map = c.object(path, value, "a map of alias name to alias spec, e.g. { live: { version: '1' } }");
  if (!map) return out;
  const published = Object.keys(versions);
  const list = `published versions: ${published.length ? published.map((v) => `'${v}'`).join(', ') : 'none (declare versions first)'}`;
  for (const [name, raw] of Object.entries(map)) {
    const apath = child(path, name);
    if (!ALIAS_PATTERN.test(name) || name === '$LATEST') {
      c.fail(apath, name, 'is not an alias name; AWS allows 1..128 letters, digits, - and _, not all digits');
      continue;
    }
    if (Object.hasOwn(versions, name)) continue;
    const spec = c.object(apath, raw, "an alias spec { version: '1', additionalVersionWeights?: { '2': 0.1 } }");
    if (!spec) continue;
    c.keys(apath, spec, ALIAS_KEYS, 'alias');
    const version = spec.version;
    if (typeof version !== 'string' || (version !== '$LATEST' && !published.includes(version))) {
      c.fail(child(apath, 'version'), version, `${version === undefined ? 'is missing' : 'is not a published version'}; expected '$LATEST' or one of the ${list}`);
      continue;
    }
    const weights: Record<string, number> = {};
    const wpath = child(apath, 'additionalVersionWeights');
    if (spec.additionalVersionWeights !== undefined) {
      const w = c.object(wpath, spec.additionalVersionWeights, "a map { '<version>': weight 0..1 }");
      const entriesW = w ? Object.entries(w) : [];
      if (entriesW.length > 1) {
        c.fail(wpath, spec.additionalVersionWeights, 'names more than one version; AWS allows at most one additional version per alias');
      }
      for (const [v, weight] of entriesW.slice(0, 1)) {
        if (v === '$LATEST' || version === '$LATEST') {
          c.fail(child(wpath, v), weight, 'routes to or from $LATEST; a weighted alias needs two published versions (AWS refuses $LATEST)');
          continue;
        }
        if (!published.includes(v)) {
          c.fail(child(wpath, v), weight, `is not a published version; ${list}`);
          continue;
        }
        if (v === version) {
          c.fail(child(wpath, v), weight, `is the alias's primary version; the additional version must be another one`);
          continue;
        }
        const n = c.number(child(wpath, v), weight, { min: 0, max: 1, label: '0..1 (the share of invocations it gets)' });
        if (n !== undefined) weights[v] = n;
      }
    }
    const pc = c.number(child(apath, 'provisionedConcurrentExecutions'), spec.provisionedConcurrentExecutions, { min: 0, max: 100_000, integer: true, fallback: 0 });
    if (pc && version === '$LATEST') {
      c.fail(child(apath, 'provisionedConcurrentExecutions'), pc, 'is on an alias of $LATEST; AWS puts provisioned concurrency only on published versions and their aliases');
    }
    out[name] = { name, version, additionalVersionWeights: weights, provisionedConcurrentExecutions: pc ?? 0 };
  }
  return out;
}

/** The CodeDeploy predefined configurations for Lambda (CodeDeploy user guide, "Deployment configurations"). */
export const DEPLOYMENT_PRESETS: Record<string, { type: DeploymentModel['type']; percent: number; minutes: number }> = {
  Canary10Percent5Minutes: { type: 'canary', percent: 10, minutes: 5 },
  Canary10Percent10Minutes: { type: 'canary', percent: 10, minutes: 10 },
  Canary10Percent15Minutes: { type: 'canary', percent: 10, minutes: 15 },
  Canary10Percent30Minutes: { type: 'canary', percent: 10, minutes: 30 },
  Linear10PercentEvery1Minute: { type: 'linear', percent: 10, minutes: 1 },
  Linear10PercentEvery2Minutes: { type: 'linear', percent: 10, minutes: 2 },
  Linear10PercentEvery3Minutes: { type: 'linear', percent: 10, minutes: 3 },
  Linear10PercentEvery10Minutes: { type: 'linear', percent: 10, minutes: 10 },
  AllAtOnce: { type: 'allAtOnce', percent: 100, minutes: 0 },
};
const PRESET_PREFIX = 'CodeDeployDefault.Lambda';
const METRICS = ['Errors', 'Throttles', 'Duration', 'Invocations'] as const;
const COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
const MISSING = ['missing', 'notBreaching', 'breaching', 'ignore'] as const;
const STATISTICS = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'];
/** CloudWatch alarm periods: 10 s, 30 s or a multiple of 60 s; evaluationPeriods × period at most a day. */
const ALARM_PERIOD = LIMITS.alarmPeriod;

function checkDeployments(c: Checker, value: unknown, functions: Record<string, FunctionModel>, runMs: number | undefined): DeploymentModel[] {
  const out: DeploymentModel[] = [];
  const list = c.array('deployments', value, "an array of deployments { alias: 'fn:live', to: '2', config }") ?? [];
  list.forEach((raw, i) => {
    const path = item('deployments', i);
    const spec = c.object(path, raw, "a deployment { alias: 'fn:live', to: '2', at?, config?, alarms?, hooks? }");
    if (!spec) return;
    c.keys(path, spec, DEPLOYMENT_KEYS, 'deployment');
    const aliasRef = c.ref(child(path, 'alias'), spec.alias, ['function'], { required: true });
    let fn: FunctionModel | undefined;
    let alias: AliasModel | undefined;
    if (aliasRef) {
      fn = functions[aliasRef.fn ?? ''];
      alias = aliasRef.qualifier ? fn?.aliases[aliasRef.qualifier] : undefined;
      if (fn && !alias) {
        const names = Object.keys(fn.aliases);
        c.fail(child(path, 'alias'), spec.alias, `is not an alias; a deployment shifts an alias 'fn:alias'; aliases of ${fn.name}: ${names.length ? names.join(', ') : 'none'}`);
      }
    }
    const to = spec.to;
    if (fn && (typeof to !== 'string' || !Object.hasOwn(fn.versions, to))) {
      const published = Object.keys(fn.versions);
      c.fail(child(path, 'to'), to, `${to === undefined ? 'is missing' : 'is not a published version'}; expected one of ${published.length ? published.map((v) => `'${v}'`).join(', ') : 'none'}`);
    }
    const atMs = c.duration(child(path, 'at'), spec.at, LIMITS.time, 0);
    const config = checkDeploymentConfig(c, child(path, 'config'), spec.config);
    const alarms: AlarmModel[] = [];
    const alarmList = c.array(child(path, 'alarms'), spec.alarms, 'an array of alarms { name, metric, threshold, ... }') ?? [];
    if (alarmList.length > 10) c.fail(child(path, 'alarms'), alarmList.length, 'has more than 10 alarms; CodeDeploy allows up to 10 per deployment group');
    const names = new Set<string>();
    alarmList.forEach((rawAlarm, k) => {
      const alarm = checkAlarm(c, item(child(path, 'alarms'), k), rawAlarm, fn);
      if (!alarm) return;
      if (names.has(alarm.name)) c.fail(child(item(child(path, 'alarms'), k), 'name'), alarm.name, 'repeats another alarm of this deployment; names are unique');
      names.add(alarm.name);
      alarms.push(alarm);
    });
    const hooks: DeploymentModel['hooks'] = {};
    if (spec.hooks !== undefined) {
      const h = c.object(child(path, 'hooks'), spec.hooks, '{ beforeAllowTraffic?: function, afterAllowTraffic?: function }');
      if (h) {
        c.keys(child(path, 'hooks'), h, ['beforeAllowTraffic', 'afterAllowTraffic'], 'hooks');
        for (const key of ['beforeAllowTraffic', 'afterAllowTraffic'] as const) {
          const found = c.ref(child(child(path, 'hooks'), key), h[key], ['function']);
          if (found) hooks[key] = { fn: found.fn ?? found.name, ...(found.qualifier ? { qualifier: found.qualifier } : {}) };
        }
      }
    }
    if (atMs !== undefined && runMs !== undefined && atMs >= runMs) {
      c.fail(child(path, 'at'), spec.at, `is at or after the end of the run (duration ${runMs / 1000}s); the deployment would never start`);
    }
    out.push({
      id: `d-${String(i + 1).padStart(9, '0')}`,
      index: i,
      fn: fn?.name ?? '',
      alias: alias?.name ?? '',
      to: typeof to === 'string' ? to : '',
      atMs: atMs ?? 0,
      config: config?.name ?? '',
      type: config?.type ?? 'allAtOnce',
      percent: config?.percent ?? 100,
      intervalMs: config?.intervalMs ?? 0,
      alarms,
      hooks,
    });
  });
  // CodeDeploy runs one deployment per deployment group (here: per alias) at a time; later ones are checked at run time.
  return out;
}

function checkDeploymentConfig(
  c: Checker,
  path: string,
  value: unknown,
): { name: string; type: DeploymentModel['type']; percent: number; intervalMs: number } | undefined {
  if (value === undefined) return { name: `${PRESET_PREFIX}AllAtOnce`, type: 'allAtOnce', percent: 100, intervalMs: 0 };
  if (typeof value === 'string') {
    const key = value.startsWith(PRESET_PREFIX) ? value.slice(PRESET_PREFIX.length) : value;
    const preset = Object.hasOwn(DEPLOYMENT_PRESETS, key) ? DEPLOYMENT_PRESETS[key] : undefined;
    if (!preset) {
      const hint = suggest(key, Object.keys(DEPLOYMENT_PRESETS));
      c.fail(path, value, `is not a CodeDeploy Lambda configuration${hint ? ` (did you mean ${hint}?)` : ''}; allowed: ${Object.keys(DEPLOYMENT_PRESETS).join(', ')} (also as ${PRESET_PREFIX}…) or { type: 'canary' | 'linear', percent, interval }`);
      return undefined;
    }
    return { name: `${PRESET_PREFIX}${key}`, type: preset.type, percent: preset.percent, intervalMs: preset.minutes * 60_000 };
  }
  const spec = c.object(path, value, "a preset name or { type: 'canary' | 'linear', percent, interval }");
  if (!spec) return undefined;
  c.keys(path, spec, ['type', 'percent', 'interval'], 'deployment config');
  const type = c.oneOf(child(path, 'type'), spec.type, ['canary', 'linear'] as const);
  // CodeDeploy's TimeBasedCanary / TimeBasedLinear: a whole percentage and a whole number of minutes.
  const percent = c.number(child(path, 'percent'), spec.percent, { min: 1, max: 99, integer: true });
  const intervalMs = c.duration(child(path, 'interval'), spec.interval, LIMITS.deploymentInterval);
  if (intervalMs !== undefined && intervalMs % 60_000 !== 0) {
    c.fail(child(path, 'interval'), spec.interval, 'is not a whole number of minutes; CodeDeploy counts intervals in minutes (1m..2880m)');
    return undefined;
  }
  if (!type || percent === undefined || intervalMs === undefined) return undefined;
  const minutes = intervalMs / 60_000;
  const name = type === 'canary' ? `Custom.TimeBasedCanary${percent}Percent${minutes}Minutes` : `Custom.TimeBasedLinear${percent}PercentEvery${minutes}Minutes`;
  return { name, type, percent, intervalMs };
}

function checkAlarm(c: Checker, path: string, value: unknown, fn: FunctionModel | undefined): AlarmModel | undefined {
  const spec = c.object(path, value, "an alarm { name, metric: 'Errors' | 'Throttles' | 'Duration', threshold, period?, evaluationPeriods? }");
  if (!spec) return undefined;
  c.keys(path, spec, ALARM_KEYS, 'alarm');
  const name = c.string(child(path, 'name'), spec.name, 'the alarm name', { required: true });
  const metric = c.oneOf(child(path, 'metric'), spec.metric, METRICS);
  const threshold = c.number(child(path, 'threshold'), spec.threshold, { min: -1e12, max: 1e12, label: 'a number' });
  const periodMs = c.duration(child(path, 'period'), spec.period, ALARM_PERIOD, 60_000);
  if (periodMs !== undefined && periodMs !== 10_000 && periodMs !== 30_000 && periodMs % 60_000 !== 0) {
    c.fail(child(path, 'period'), spec.period, "is not a CloudWatch period; allowed '10s', '30s' or a multiple of '1m'");
  }
  const evaluationPeriods = c.number(child(path, 'evaluationPeriods'), spec.evaluationPeriods, { min: 1, max: 1440, integer: true, fallback: 1 });
  if (periodMs !== undefined && evaluationPeriods !== undefined && periodMs * evaluationPeriods > 86_400_000) {
    c.fail(child(path, 'evaluationPeriods'), spec.evaluationPeriods, 'times the period is above one day; CloudWatch evaluates at most a day of data');
  }
  const datapointsToAlarm = c.number(child(path, 'datapointsToAlarm'), spec.datapointsToAlarm, {
    min: 1,
    max: evaluationPeriods ?? 1,
    integer: true,
    fallback: evaluationPeriods ?? 1,
  });
  let statistic: string | undefined = metric === 'Duration' ? 'Average' : 'Sum';
  if (spec.statistic !== undefined) {
    const s = spec.statistic;
    if (typeof s === 'string' && (STATISTICS.includes(s) || /^p(\d{1,2}(\.\d+)?|100)$/.test(s))) statistic = s;
    else {
      c.fail(child(path, 'statistic'), s, `is not a statistic; allowed ${STATISTICS.join(', ')} or a percentile like 'p99' or 'p99.9'`);
      statistic = undefined;
    }
  }
  const comparisonOperator = c.oneOf(child(path, 'comparisonOperator'), spec.comparisonOperator, COMPARISONS, 'GreaterThanOrEqualToThreshold');
  const treatMissingData = c.oneOf(child(path, 'treatMissingData'), spec.treatMissingData, MISSING, 'missing');
  let executedVersion: string | undefined;
  if (spec.executedVersion !== undefined) {
    if (typeof spec.executedVersion === 'string' && fn && Object.hasOwn(fn.versions, spec.executedVersion)) executedVersion = spec.executedVersion;
    else if (fn) c.fail(child(path, 'executedVersion'), spec.executedVersion, `is not a published version of ${fn.name}; allowed ${Object.keys(fn.versions).map((v) => `'${v}'`).join(', ') || 'none'}`);
  }
  if (!name || !metric || threshold === undefined || periodMs === undefined || !statistic || !comparisonOperator || !treatMissingData) return undefined;
  return {
    name,
    metric,
    threshold,
    periodMs,
    evaluationPeriods: evaluationPeriods ?? 1,
    datapointsToAlarm: datapointsToAlarm ?? 1,
    statistic,
    comparisonOperator,
    treatMissingData,
    ...(executedVersion ? { executedVersion } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Callers (docs/callers.md): the invocation type each one uses and its own options.

/** The invocation type a caller always uses; the CLI and SES take either (SES defaults to 'Event'). */
const CALLER_TYPE: Record<InvokeVia, 'RequestResponse' | 'Event' | undefined> = {
  cli: undefined,
  ses: undefined,
  alb: 'RequestResponse',
  apigateway: 'RequestResponse',
  cloudfront: 'RequestResponse',
  cognito: 'RequestResponse',
  stepfunctions: 'RequestResponse',
  lex: 'RequestResponse',
  alexa: 'RequestResponse',
  firehose: 'RequestResponse',
  's3-batch': 'RequestResponse',
  url: 'RequestResponse',
  s3: 'Event',
  sns: 'Event',
  'cloudwatch-logs': 'Event',
  codecommit: 'Event',
  config: 'Event',
  iot: 'Event',
};

const CLOUDFRONT_EVENT_TYPES: readonly CloudFrontEventType[] = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'];
const COGNITO_TRIGGER_SOURCES: readonly CognitoTriggerSource[] = [
  'PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider', 'PostConfirmation_ConfirmSignUp',
  'PostConfirmation_ConfirmForgotPassword', 'PreAuthentication_Authentication', 'PostAuthentication_Authentication',
  'TokenGeneration_HostedAuth', 'TokenGeneration_Authentication', 'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice', 'TokenGeneration_RefreshTokens', 'CustomMessage_SignUp', 'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode', 'CustomMessage_ForgotPassword', 'CustomMessage_UpdateUserAttribute', 'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication', 'UserMigration_Authentication', 'UserMigration_ForgotPassword',
];

/** Each caller's option key and the `via` it belongs to. */
const CALLER_OPTION_VIA = { cloudfront: 'cloudfront', cognito: 'cognito', firehose: 'firehose', s3Batch: 's3-batch', ses: 'ses', url: 'url' } as const;

/**
 * Lambda@Edge quotas (docs/callers.md, "CloudFront"): viewer triggers 5 s and 128 MB, origin triggers 30 s.
 */
const EDGE_LIMITS = {
  viewer: { timeoutMs: 5_000, memorySize: 128 },
  origin: { timeoutMs: 30_000, memorySize: 10_240 },
} as const;

const FIREHOSE_BUFFER_INTERVAL = LIMITS.firehoseBufferInterval;

/** The caller's own options (`cloudfront: { eventType }`, ...), each only for its own `via`, with AWS's defaults. */
function checkCallerOptions(
  c: Checker,
  path: string,
  spec: Obj,
  via: InvokeVia | undefined,
  type: 'RequestResponse' | 'Event' | undefined,
  target: { fn?: string; qualifier?: string } | undefined,
  functions: Record<string, FunctionModel>,
): Partial<TrafficModel> {
  const out: Partial<TrafficModel> = {};
  for (const [key, owner] of Object.entries(CALLER_OPTION_VIA)) {
    if (spec[key] !== undefined && via !== owner) {
      c.fail(child(path, key), spec[key], `is only for via '${owner}'; this entry comes via '${via ?? 'cli'}'`);
    }
  }
  const options = (key: keyof typeof CALLER_OPTION_VIA, keys: readonly string[], what: string): Obj | undefined => {
    if (spec[key] === undefined) return {};
    const obj = c.object(child(path, key), spec[key], what);
    if (obj) c.keys(child(path, key), obj, keys, key);
    return obj;
  };
  const fn = target?.fn ? functions[target.fn] : undefined;
  const qualifier = target?.qualifier;
  if (via === 'cloudfront') {
    const o = options('cloudfront', ['eventType', 'region'], "{ eventType: 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response', region: 'eu-west-2' }");
    const eventType = o ? c.oneOf(child(child(path, 'cloudfront'), 'eventType'), o.eventType, CLOUDFRONT_EVENT_TYPES, 'viewer-request') : undefined;
    // The replica's Region (the one nearest the viewers); the model names it only when it is given.
    const replica = o && o.region !== undefined ? checkRegion(c, o.region, child(child(path, 'cloudfront'), 'region')) : undefined;
    if (eventType) out.cloudfront = { eventType, ...(replica ? { region: replica } : {}) };
    if (target?.fn && (qualifier === undefined || !/^\d+$/.test(qualifier))) {
      const versions = fn ? Object.keys(fn.versions) : [];
      c.fail(
        child(path, 'invoke'),
        spec.invoke,
        `is not a numbered version; Lambda@Edge runs a published version only, never $LATEST or an alias: write ${versions.length ? versions.map((v) => `'${target.fn}:${v}'`).join(' or ') : `'${target.fn}:1' after declaring functions.${target.fn}.versions['1']`}`,
      );
    } else if (fn && qualifier && eventType) {
      const version = fn.versions[qualifier];
      const limits = eventType.startsWith('viewer') ? EDGE_LIMITS.viewer : EDGE_LIMITS.origin;
      if (version && version.timeoutMs > limits.timeoutMs) {
        c.fail(
          child(path, 'invoke'),
          spec.invoke,
          `runs version ${qualifier} with a ${version.timeoutMs / 1000}s timeout; Lambda@Edge allows at most ${limits.timeoutMs / 1000}s for ${eventType} triggers (set the version's timeout to 1s..${limits.timeoutMs / 1000}s)`,
        );
      }
      if (version && version.memorySize > limits.memorySize) {
        c.fail(
          child(path, 'invoke'),
          spec.invoke,
          `runs version ${qualifier} with ${version.memorySize} MB; Lambda@Edge allows at most ${limits.memorySize} MB for ${eventType} triggers (allowed 128..${limits.memorySize})`,
        );
      }
    }
  }
  if (via === 'cognito') {
    const o = options('cognito', ['triggerSource'], "{ triggerSource: 'PreSignUp_SignUp' | ... }");
    const triggerSource = o ? c.oneOf(child(child(path, 'cognito'), 'triggerSource'), o.triggerSource, COGNITO_TRIGGER_SOURCES, 'PreSignUp_SignUp') : undefined;
    if (triggerSource) out.cognito = { triggerSource };
  }
  if (via === 'firehose') {
    const o = options('firehose', ['bufferSize', 'bufferInterval'], "{ bufferSize?: MB 0.2..3, bufferInterval?: '60s' }");
    if (o) {
      const p = child(path, 'firehose');
      const mb = c.number(child(p, 'bufferSize'), o.bufferSize, { min: 0.2, max: 3, fallback: 1, label: '0.2..3 (MB)' });
      const intervalMs = c.duration(child(p, 'bufferInterval'), o.bufferInterval, FIREHOSE_BUFFER_INTERVAL, 60_000);
      if (mb !== undefined && intervalMs !== undefined) out.firehose = { bufferSizeBytes: Math.round(mb * 1024 * 1024), bufferIntervalMs: intervalMs };
    }
  }
  if (via === 's3-batch') {
    const o = options('s3Batch', ['invocationSchemaVersion'], "{ invocationSchemaVersion: '1.0' | '2.0' }");
    const v = o ? c.oneOf(child(child(path, 's3Batch'), 'invocationSchemaVersion'), o.invocationSchemaVersion, ['1.0', '2.0'] as const, '1.0') : undefined;
    if (v) out.s3Batch = { invocationSchemaVersion: v };
  }
  if (via === 'ses') {
    const o = options('ses', ['disposition'], "{ disposition: 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE' }");
    if (o && o.disposition !== undefined && type === 'Event') {
      c.fail(child(child(path, 'ses'), 'disposition'), o.disposition, "is only for type 'RequestResponse'; SES ignores what an 'Event' invocation returns");
    }
    const d = o ? c.oneOf(child(child(path, 'ses'), 'disposition'), o.disposition, ['STOP_RULE', 'STOP_RULE_SET', 'CONTINUE'] as const, 'CONTINUE') : undefined;
    if (d) out.ses = { disposition: d };
  }
  if (via === 'url') {
    const o = options('url', ['authType', 'invokeMode'], "{ authType: 'NONE' | 'AWS_IAM', invokeMode: 'BUFFERED' | 'RESPONSE_STREAM' }");
    const authType = o ? c.oneOf(child(child(path, 'url'), 'authType'), o.authType, ['NONE', 'AWS_IAM'] as const, 'NONE') : undefined;
    const invokeMode = o ? c.oneOf(child(child(path, 'url'), 'invokeMode'), o.invokeMode, ['BUFFERED', 'RESPONSE_STREAM'] as const, 'BUFFERED') : undefined;
    // The model names only the streaming mode: BUFFERED is what every other synchronous caller does.
    if (authType) out.url = { authType, ...(invokeMode === 'RESPONSE_STREAM' ? { invokeMode } : {}) };
    if (qualifier !== undefined && /^\d+$/.test(qualifier)) {
      const aliases = fn ? Object.keys(fn.aliases) : [];
      c.fail(
        child(path, 'invoke'),
        spec.invoke,
        `is a numbered version; a function URL points at $LATEST or an alias, never a version: write '${target!.fn}'${aliases.map((a) => ` or '${target!.fn}:${a}'`).join('')}`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Step Functions state machines (docs/callers.md, "Step Functions"): an Amazon States Language definition
// whose Task states name functions of the scenario.

const STATE_MACHINE_KEYS = ['definition'] as const;
const DEFINITION_KEYS = ['StartAt', 'States', 'Comment'] as const;
const STATE_TYPES = ['Task', 'Pass', 'Wait', 'Succeed', 'Fail'] as const;
const STATE_KEYS: Record<(typeof STATE_TYPES)[number], readonly string[]> = {
  Task: ['Type', 'Resource', 'Next', 'End', 'TimeoutSeconds', 'Retry', 'Catch', 'ResultPath', 'Comment'],
  Pass: ['Type', 'Next', 'End', 'Result', 'ResultPath', 'Comment'],
  Wait: ['Type', 'Seconds', 'Next', 'End', 'Comment'],
  Succeed: ['Type', 'Comment'],
  Fail: ['Type', 'Error', 'Cause', 'Comment'],
};
const RETRIER_KEYS = ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy'] as const;
const CATCHER_KEYS = ['ErrorEquals', 'Next', 'ResultPath'] as const;
/** The States Language's limit for seconds fields (IntervalSeconds, MaxAttempts): 99999999. */
const ASL_MAX = 99_999_999;

function checkStateMachines(c: Checker, value: unknown): Record<string, StateMachineModel> {
  const out: Record<string, StateMachineModel> = {};
  if (value === undefined || !isObject(value)) return out;
  for (const [name, raw] of Object.entries(value)) {
    const path = child('stateMachines', name);
    const spec = c.object(path, raw, '{ definition: { StartAt, States } }');
    if (!spec) continue;
    c.keys(path, spec, STATE_MACHINE_KEYS, 'state machine');
    const defPath = child(path, 'definition');
    const def = c.object(defPath, spec.definition, '{ StartAt, States } (an Amazon States Language definition)');
    if (!def) continue;
    c.keys(defPath, def, DEFINITION_KEYS, 'definition');
    const statesPath = child(defPath, 'States');
    const rawStates = c.object(statesPath, def.States, 'a map of state name to state { Type, ... }');
    if (!rawStates) continue;
    const names = Object.keys(rawStates);
    if (names.length === 0) {
      c.fail(statesPath, rawStates, 'has no states; a state machine needs at least one');
      continue;
    }
    const stateRef = (p: string, v: unknown): string | undefined => {
      if (typeof v === 'string' && names.includes(v)) return v;
      c.fail(p, v, `names no state of this machine; states: ${nameList(names)}`);
      return undefined;
    };
    const startAt = stateRef(child(defPath, 'StartAt'), def.StartAt);
    const states: Record<string, StateModel> = {};
    for (const stateName of names) {
      const sp = child(statesPath, stateName);
      const st = c.object(sp, rawStates[stateName], "a state { Type: 'Task' | 'Pass' | 'Wait' | 'Succeed' | 'Fail', ... }");
      if (!st) continue;
      const type = c.oneOf(child(sp, 'Type'), st.Type, STATE_TYPES);
      if (!type) continue;
      c.keys(sp, st, STATE_KEYS[type], `${type} state`);
      // Task, Pass and Wait states go on with Next, or end with End: true (exactly one of the two).
      let next: string | undefined;
      if (type === 'Task' || type === 'Pass' || type === 'Wait') {
        if (st.Next !== undefined && st.End !== undefined) c.fail(child(sp, 'End'), st.End, 'is given with Next; a state has either Next or End: true');
        else if (st.Next !== undefined) next = stateRef(child(sp, 'Next'), st.Next);
        else if (st.End !== true) c.fail(child(sp, 'Next'), undefined, 'is missing; a Task, Pass or Wait state needs Next (a state name) or End: true');
      }
      const resultPath = checkResultPath(c, child(sp, 'ResultPath'), st.ResultPath);
      if (type === 'Task') {
        const fn = c.ref(child(sp, 'Resource'), st.Resource, ['function'], { required: true });
        const timeoutSeconds = st.TimeoutSeconds === undefined ? undefined : c.number(child(sp, 'TimeoutSeconds'), st.TimeoutSeconds, { min: 1, max: ASL_MAX, integer: true, label: `1..${ASL_MAX} (seconds)` });
        const retry = checkRetriers(c, child(sp, 'Retry'), st.Retry);
        const catchers = checkCatchers(c, child(sp, 'Catch'), st.Catch, stateRef);
        states[stateName] = {
          type,
          fn: fn?.fn ?? fn?.name ?? '',
          ...(fn?.qualifier ? { qualifier: fn.qualifier } : {}),
          ...(next ? { next } : {}),
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          retry,
          catch: catchers,
          resultPath,
        };
      } else if (type === 'Pass') {
        states[stateName] = { type, ...(next ? { next } : {}), ...(st.Result !== undefined ? { result: st.Result } : {}), resultPath };
      } else if (type === 'Wait') {
        const seconds = c.number(child(sp, 'Seconds'), st.Seconds, { min: 0, max: ASL_MAX, integer: true, label: `0..${ASL_MAX}` }) ?? 0;
        states[stateName] = { type, seconds, ...(next ? { next } : {}) };
      } else if (type === 'Fail') {
        const error = st.Error === undefined ? undefined : c.string(child(sp, 'Error'), st.Error, 'an error name');
        const cause = st.Cause === undefined ? undefined : c.string(child(sp, 'Cause'), st.Cause, 'a cause');
        states[stateName] = { type, ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
      } else states[stateName] = { type };
    }
    if (startAt) out[name] = { name, startAt, states };
  }
  return out;
}

function checkResultPath(c: Checker, path: string, value: unknown): string | null {
  if (value === undefined) return '$';
  if (value === null) return null;
  if (typeof value === 'string' && /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value)) return value;
  c.fail(path, value, "is not a reference path; expected '$', '$.field' (or '$.a.b') or null");
  return '$';
}

function checkErrorEquals(c: Checker, path: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : undefined;
  if (!list || list.length === 0 || !list.every((e) => typeof e === 'string' && e !== '')) {
    c.fail(path, value, "is not a non-empty list of error names, e.g. ['Lambda.TooManyRequestsException', 'States.Timeout']");
    return [];
  }
  if (list.includes('States.ALL') && list.length > 1) c.fail(path, value, "puts States.ALL with other names; States.ALL must appear alone");
  return list as string[];
}

function checkRetriers(c: Checker, path: string, value: unknown): RetrierModel[] {
  const out: RetrierModel[] = [];
  const list = c.array(path, value, 'a list of retriers { ErrorEquals, IntervalSeconds?, MaxAttempts?, BackoffRate? }') ?? [];
  list.forEach((raw, i) => {
    const p = item(path, i);
    const r = c.object(p, raw, '{ ErrorEquals, IntervalSeconds?, MaxAttempts?, BackoffRate?, MaxDelaySeconds?, JitterStrategy? }');
    if (!r) return;
    c.keys(p, r, RETRIER_KEYS, 'retrier');
    const errorEquals = checkErrorEquals(c, child(p, 'ErrorEquals'), r.ErrorEquals);
    if (errorEquals.includes('States.ALL') && i !== list.length - 1) c.fail(child(p, 'ErrorEquals'), r.ErrorEquals, 'uses States.ALL before the last retrier; States.ALL must be in the last one');
    const intervalSeconds = c.number(child(p, 'IntervalSeconds'), r.IntervalSeconds, { min: 1, max: ASL_MAX, integer: true, fallback: 1, label: `1..${ASL_MAX}` }) ?? 1;
    const maxAttempts = c.number(child(p, 'MaxAttempts'), r.MaxAttempts, { min: 0, max: ASL_MAX, integer: true, fallback: 3, label: `0..${ASL_MAX}` }) ?? 3;
    const backoffRate = c.number(child(p, 'BackoffRate'), r.BackoffRate, { min: 1, max: 1_000_000, fallback: 2, label: '1.0 or more' }) ?? 2;
    const maxDelaySeconds = r.MaxDelaySeconds === undefined ? undefined : c.number(child(p, 'MaxDelaySeconds'), r.MaxDelaySeconds, { min: 1, max: 31_622_400, integer: true, label: '1..31622400' });
    const jitterStrategy = c.oneOf(child(p, 'JitterStrategy'), r.JitterStrategy, ['FULL', 'NONE'] as const, 'NONE') ?? 'NONE';
    out.push({ errorEquals, intervalSeconds, maxAttempts, backoffRate, ...(maxDelaySeconds !== undefined ? { maxDelaySeconds } : {}), jitterStrategy });
  });
  return out;
}

function checkCatchers(c: Checker, path: string, value: unknown, stateRef: (p: string, v: unknown) => string | undefined): CatcherModel[] {
  const out: CatcherModel[] = [];
  const list = c.array(path, value, 'a list of catchers { ErrorEquals, Next, ResultPath? }') ?? [];
  list.forEach((raw, i) => {
    const p = item(path, i);
    const r = c.object(p, raw, '{ ErrorEquals, Next, ResultPath? }');
    if (!r) return;
    c.keys(p, r, CATCHER_KEYS, 'catcher');
    const errorEquals = checkErrorEquals(c, child(p, 'ErrorEquals'), r.ErrorEquals);
    if (errorEquals.includes('States.ALL') && i !== list.length - 1) c.fail(child(p, 'ErrorEquals'), r.ErrorEquals, 'uses States.ALL before the last catcher; States.ALL must be in the last one');
    const next = stateRef(child(p, 'Next'), r.Next);
    out.push({ errorEquals, next: next ?? '', resultPath: checkResultPath(c, child(p, 'ResultPath'), r.ResultPath) });
  });
  return out;
}
