/**
 * Validation of a scenario against AWS's limits (docs/aws-rules.md), and its normalisation into the Model
 * the engine runs. Everything a scenario can get wrong is refused here, before anything runs, with one
 * error per problem: the file, the field path, the value and what is allowed. All errors are collected, so
 * an author fixes a file in one pass instead of one error at a time.
 */
import type * as v from 'valibot';
import { parseDuration } from '../lang/duration.js';
import { bucketSchema, busSchema, faultSchema, functionSchema, mappingSchema, mappingSource, queueSchema, streamSchema, tableSchema, topicSchema } from './schema/kinds.js';
import { scenarioSchema } from './schema/scenario.js';
import { stateMachineSchema } from './schema/states.js';
import { trafficEntrySchema } from './schema/traffic.js';
import { aliasesSchema, deployedAlias, deploymentSchema, versionsSchema } from './schema/versions.js';
import { edgeFunctionsInUsEast1, provisionedWithinLimits, reservedWithinAccount } from './schema/rules.js';
import { DEFAULTS, LIMITS } from './schema/limits.js';
import { child, formatValidationError, isObject, item, nameMap, notPlain, type Obj, type ValidationError } from './schema/messages.js';
import { parse as parseSchema, readDuration, readNumber } from './schema/primitives.js';
import type {
  BucketModel,
  StateMachineModel,
  DeploymentModel,
  BusModel,
  EsmModel,
  FaultModel,
  FunctionModel,
  Model,
  QueueModel,
  ResourceKind,
  RuleModel,
  StreamModel,
  TableModel,
  TopicModel,
  TrafficModel,
  VersionModel,
} from './model.js';
export { formatValidationError, nameMap, showValue, type ValidationError } from './schema/messages.js';
import type { Handler } from './types.js';

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
  const top = c.parse(scenarioSchema, input, '');
  const name = top?.name;
  const description = top?.description;
  const seed = top?.seed;
  const tickMs = top?.tick;
  const durationMs = top?.duration;
  const region = top?.region;
  const accountId = top?.accountId;
  const accountConcurrency = top?.account?.concurrentExecutions;

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
    const versions = c.parse(versionsSchema(own), f.versions, child(path, 'versions')) ?? nameMap();
    const aliases = c.parse(aliasesSchema(versions), f.aliases, child(path, 'aliases')) ?? nameMap();
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
  functions: Record<string, FunctionModel>,
  durationMs: number | undefined,
): TrafficModel[] {
  const out: TrafficModel[] = [];
  const list = c.array('traffic', value, "an array of traffic entries { to, rate } or { invoke, type, rate }") ?? [];
  list.forEach((raw, i) => {
    const t = c.parse(trafficEntrySchema(c, i, streams, tables, functions, durationMs), raw, item('traffic', i));
    if (t) out.push(t);
  });
  return out;
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
// Deployments (docs/versions.md): schema/versions.ts.

function checkDeployments(c: Checker, value: unknown, functions: Record<string, FunctionModel>, runMs: number | undefined): DeploymentModel[] {
  const out: DeploymentModel[] = [];
  const list = c.array('deployments', value, "an array of deployments { alias: 'fn:live', to: '2', config }") ?? [];
  list.forEach((raw, i) => {
    const d = c.parse(deploymentSchema(c, functions, runMs, isObject(raw) ? raw.alias : undefined), raw, item('deployments', i));
    if (!d) return;
    const { fn, alias } = deployedAlias(functions, d.alias);
    const hooks: DeploymentModel['hooks'] = {};
    for (const key of ['beforeAllowTraffic', 'afterAllowTraffic'] as const) {
      const found = d.hooks?.[key];
      if (found) hooks[key] = { fn: found.fn ?? found.name, ...(found.qualifier ? { qualifier: found.qualifier } : {}) };
    }
    out.push({
      id: `d-${String(i + 1).padStart(9, '0')}`,
      index: i,
      fn: fn?.name ?? '',
      alias: alias?.name ?? '',
      to: d.to ?? '',
      atMs: d.at ?? 0,
      config: d.config?.name ?? '',
      type: d.config?.type ?? 'allAtOnce',
      percent: d.config?.percent ?? 100,
      intervalMs: d.config?.intervalMs ?? 0,
      alarms: d.alarms ?? [],
      hooks,
    });
  });
  // CodeDeploy runs one deployment per deployment group (here: per alias) at a time; later ones are checked at run time.
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Step Functions state machines (docs/callers.md, "Step Functions"): schema/states.ts.

function checkStateMachines(c: Checker, value: unknown): Record<string, StateMachineModel> {
  const out: Record<string, StateMachineModel> = {};
  if (value === undefined || !isObject(value)) return out;
  // Every entry is checked, also one whose name registration refused.
  for (const [name, raw] of Object.entries(value)) {
    const m = c.parse(stateMachineSchema(c), raw, child('stateMachines', name));
    const def = m?.definition;
    if (def?.startAt !== undefined) out[name] = { name, startAt: def.startAt, states: def.states };
  }
  return out;
}
