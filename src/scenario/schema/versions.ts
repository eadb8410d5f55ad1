/**
 * Versions, aliases and deployments (docs/versions.md). A version's fields default to its function's own
 * (what $LATEST runs), so its schema is made from the function's normalised fields; an alias's from the
 * versions it may name; a deployment's from the function its alias belongs to.
 */
import * as v from 'valibot';
import type { AliasModel, DeploymentModel, FunctionModel, VersionModel } from '../model.js';
import type { AlarmSpec, AliasSpec, DeploymentSpec, Duration, Handler, VersionSpec } from '../types.js';
import { DEFAULTS, LIMITS, type DurationLimit, type NumberLimit } from './limits.js';
import { isObject, nameMap, notPlain, suggest } from './messages.js';
import {
  absentAs,
  custom,
  duration,
  issue,
  later,
  number,
  oneOf,
  optionalRef,
  primitive,
  readDuration,
  readFunction,
  readNumber,
  readOneOf,
  readRef,
  type RefTarget,
  type Registry,
  report,
  runIn,
  runInside,
  type Schema,
  spec,
  text,
} from './primitives.js';
import { runTime, type RunTime } from './kinds.js';
import { alarmWithinADay, cloudWatchPeriod, deploymentStartsInRun, provisionedNotOnLatest, wholeMinutes } from './rules.js';

/** AWS numbers published versions 1, 2, 3, ...; an alias name is not all digits (CreateAlias's pattern). */
const VERSION_PATTERN = /^[1-9][0-9]{0,9}$/;
const ALIAS_PATTERN = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

/** A field of a version: left out, it is the function's own value; refused, it is too (while the rest is checked). */
function inheritedDuration(limit: DurationLimit, ownMs: number) {
  return absentAs(primitive<Duration, number>(limit.label, (x) => readDuration(x, limit), ownMs), ownMs);
}
function inheritedNumber(limit: NumberLimit, own: number) {
  return absentAs(primitive<number, number>(limit.label ?? `${limit.min}..${limit.max}`, (x) => readNumber(x, limit), own), own);
}

const HANDLER = 'a handler (event, context) => result';

/** One published version, made from what its function itself runs. */
function versionSchema(own: VersionModel) {
  return spec(
    {
      handler: absentAs(primitive<Handler, Handler | undefined>(HANDLER, (x) => readFunction<Handler>(x, HANDLER)), own.handler),
      duration: absentAs(runTime as Schema<Duration | { p50: Duration; p99: Duration }, RunTime | undefined>, own.duration),
      timeout: inheritedDuration(LIMITS.timeout, own.timeoutMs),
      memorySize: inheritedNumber(LIMITS.memorySize, own.memorySize),
      coldStart: inheritedDuration(LIMITS.coldStart, own.coldStartMs),
      provisionedConcurrentExecutions: number(LIMITS.provisionedConcurrency),
    },
    { what: 'version', expected: 'a version spec { handler?, duration?, timeout?, memorySize?, coldStart?, provisionedConcurrentExecutions? }' },
  );
}

/** A function's versions, keyed as AWS numbers them: its Model's `versions`. */
export function versionsSchema(own: VersionModel) {
  return custom<Record<string, VersionSpec>, Record<string, VersionModel>>('versions', (dataset, config) => {
    const input = dataset.value;
    const out: Record<string, VersionModel> = nameMap();
    dataset.value = out;
    if (input === undefined) return;
    if (!isObject(input)) return report(dataset, issue(`${notPlain(input)}; expected a map of version number to version spec, e.g. { '1': {}, '2': { handler } }`, input));
    for (const [version, raw] of Object.entries(input)) {
      const at = { type: 'quoted' as const, key: version };
      if (!VERSION_PATTERN.test(version)) {
        report(dataset, issue("is not a version number; AWS numbers published versions '1', '2', ... ($LATEST is the function itself)", version, [at]));
        continue;
      }
      const s = runInside(versionSchema(own), raw, config, at, dataset) as v.InferOutput<ReturnType<typeof versionSchema>> | undefined;
      if (!s) continue;
      out[version] = {
        version,
        ...(s.handler ? { handler: s.handler } : {}),
        duration: s.duration ?? own.duration,
        timeoutMs: s.timeout,
        memorySize: s.memorySize,
        coldStartMs: s.coldStart,
        provisionedConcurrentExecutions: s.provisionedConcurrentExecutions,
      };
    }
  });
}

/** An alias's additional version: at most one, another published version, weight 0..1. */
function weights(version: string, published: readonly string[], list: string) {
  return custom<Record<string, number>, Record<string, number>>('weights', (dataset) => {
    const input = dataset.value;
    const out: Record<string, number> = {};
    dataset.value = out;
    if (input === undefined) return;
    if (!isObject(input)) return report(dataset, issue(`${notPlain(input)}; expected a map { '<version>': weight 0..1 }`, input));
    const entries = Object.entries(input);
    if (entries.length > 1) report(dataset, issue('names more than one version; AWS allows at most one additional version per alias', input));
    for (const [other, weight] of entries.slice(0, 1)) {
      const at = [{ type: 'object' as const, key: other }];
      if (other === '$LATEST' || version === '$LATEST') report(dataset, issue('routes to or from $LATEST; a weighted alias needs two published versions (AWS refuses $LATEST)', weight, at));
      else if (!published.includes(other)) report(dataset, issue(`is not a published version; ${list}`, weight, at));
      else if (other === version) report(dataset, issue("is the alias's primary version; the additional version must be another one", weight, at));
      else {
        const n = readNumber(weight, LIMITS.aliasWeight);
        if (n.ok) out[other] = n.value;
        else report(dataset, issue(n.message, weight, at));
      }
    }
  });
}

/** An alias's fields; `valid` says whether its version (as given) names one it may, else only that is read. */
function aliasSpec(given: string, valid: boolean, published: readonly string[], list: string) {
  return spec(
    {
      version: primitive<string, string>("'$LATEST' or a published version", (x) =>
        valid ? { ok: true, value: x as string } : { ok: false, message: `${x === undefined ? 'is missing' : 'is not a published version'}; expected '$LATEST' or one of the ${list}` },
      ),
      additionalVersionWeights: valid ? v.optional(weights(given, published, list)) : later<Record<string, number>>(),
      provisionedConcurrentExecutions: valid ? number(LIMITS.provisionedConcurrency) : later<number>(),
    },
    {
      what: 'alias',
      expected: "an alias spec { version: '1', additionalVersionWeights?: { '2': 0.1 } }",
      then: { provisionedConcurrentExecutions: provisionedNotOnLatest },
    },
  );
}

/**
 * One alias. Its version is read first: one that names no published version leaves the alias out, and
 * its weights and provisioned concurrency are then not checked.
 */
function aliasSchema(published: readonly string[], list: string) {
  return custom<AliasSpec, Omit<AliasModel, 'name'> | undefined>('an alias', (dataset, config) => {
    const input = dataset.value;
    const given = isObject(input) ? input.version : undefined;
    const valid = typeof given === 'string' && (given === '$LATEST' || published.includes(given));
    const s = runIn(aliasSpec(String(given), valid, published, list), input, config, dataset) as
      | { version?: string; additionalVersionWeights?: Record<string, number>; provisionedConcurrentExecutions?: number }
      | undefined;
    dataset.value =
      s && valid
        ? { version: given, additionalVersionWeights: s.additionalVersionWeights ?? {}, provisionedConcurrentExecutions: s.provisionedConcurrentExecutions ?? 0 }
        : undefined;
  });
}

/** A function's aliases, each naming one of `versions` (or $LATEST): its Model's `aliases`. */
export function aliasesSchema(versions: Record<string, VersionModel>) {
  return custom<Record<string, AliasSpec>, Record<string, AliasModel>>('aliases', (dataset, config) => {
    const input = dataset.value;
    const out: Record<string, AliasModel> = nameMap();
    dataset.value = out;
    if (input === undefined) return;
    if (!isObject(input)) return report(dataset, issue(`${notPlain(input)}; expected a map of alias name to alias spec, e.g. { live: { version: '1' } }`, input));
    const published = Object.keys(versions);
    const list = `published versions: ${published.length ? published.map((x) => `'${x}'`).join(', ') : 'none (declare versions first)'}`;
    for (const [name, raw] of Object.entries(input)) {
      const at = { type: 'object' as const, key: name };
      if (!ALIAS_PATTERN.test(name) || name === '$LATEST') {
        report(dataset, issue('is not an alias name; AWS allows 1..128 letters, digits, - and _, not all digits', name, [at]));
        continue;
      }
      if (Object.hasOwn(versions, name)) continue;
      const a = runInside(aliasSchema(published, list), raw, config, at, dataset) as Omit<AliasModel, 'name'> | undefined;
      if (a) out[name] = { name, ...a };
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Deployments (docs/versions.md, "Deployments").

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
/** CodeDeploy allows up to 10 alarms per deployment group. */
const MAX_ALARMS = 10;

/** A deployment configuration once read: its CodeDeploy name and its schedule. */
export interface DeploymentConfig {
  name: string;
  type: DeploymentModel['type'];
  percent: number;
  intervalMs: number;
}

const customConfig = spec(
  {
    type: oneOf(['canary', 'linear'] as const),
    // CodeDeploy's TimeBasedCanary / TimeBasedLinear: a whole percentage and a whole number of minutes.
    percent: number(LIMITS.deploymentPercent),
    interval: duration(LIMITS.deploymentInterval),
  },
  { what: 'deployment config', expected: "a preset name or { type: 'canary' | 'linear', percent, interval }", then: { interval: wholeMinutes } },
);

/** A preset's name (with or without `CodeDeployDefault.Lambda`), or a custom time-based canary or linear one. */
const deploymentConfig = custom<NonNullable<DeploymentSpec['config']>, DeploymentConfig | undefined>('a deployment configuration', (dataset, config) => {
  const input = dataset.value;
  dataset.value = undefined;
  if (typeof input === 'string') {
    const key = input.startsWith(PRESET_PREFIX) ? input.slice(PRESET_PREFIX.length) : input;
    const preset = Object.hasOwn(DEPLOYMENT_PRESETS, key) ? DEPLOYMENT_PRESETS[key] : undefined;
    if (!preset) {
      const hint = suggest(key, Object.keys(DEPLOYMENT_PRESETS));
      const message = `is not a CodeDeploy Lambda configuration${hint ? ` (did you mean ${hint}?)` : ''}; allowed: ${Object.keys(DEPLOYMENT_PRESETS).join(', ')} (also as ${PRESET_PREFIX}…) or { type: 'canary' | 'linear', percent, interval }`;
      return report(dataset, issue(message, input));
    }
    dataset.value = { name: `${PRESET_PREFIX}${key}`, type: preset.type, percent: preset.percent, intervalMs: preset.minutes * 60_000 };
    return;
  }
  const c = runIn(customConfig, input, config, dataset) as { type?: 'canary' | 'linear'; percent?: number; interval?: number } | undefined;
  if (!c?.type || c.percent === undefined || c.interval === undefined || c.interval % 60_000 !== 0) return;
  const minutes = c.interval / 60_000;
  const name = c.type === 'canary' ? `Custom.TimeBasedCanary${c.percent}Percent${minutes}Minutes` : `Custom.TimeBasedLinear${c.percent}PercentEvery${minutes}Minutes`;
  dataset.value = { name, type: c.type, percent: c.percent, intervalMs: c.interval };
});

/** A field whose absence is its default (read like a given value) but whose refused value leaves the alarm out. */
function orNothing<TIn, T>(expects: string, read: (x: unknown) => { ok: true; value: T } | { ok: false; message: string }, fallback: TIn) {
  return v.optional(primitive<TIn, T | undefined>(expects, read), fallback as never);
}

/** An alarm's fields; its datapointsToAlarm bound and statistic default come from its evaluationPeriods and metric. */
function alarmSpec(fn: FunctionModel | undefined, metric: string | undefined, evaluationPeriods: number | undefined) {
  return spec(
    {
      name: text('the alarm name'),
      metric: oneOf(METRICS),
      threshold: number(LIMITS.alarmThreshold),
      period: orNothing<Duration, number>(LIMITS.alarmPeriod.label, (x) => readDuration(x, LIMITS.alarmPeriod), LIMITS.alarmPeriod.default),
      evaluationPeriods: number(LIMITS.alarmEvaluationPeriods),
      // Default: all of the evaluation periods (M of N alarms).
      datapointsToAlarm: number({ min: 1, max: evaluationPeriods ?? 1, integer: true, default: evaluationPeriods ?? 1, source: 'docs/versions.md' }),
      statistic: orNothing<string, string>(
        'a statistic',
        (s) =>
          typeof s === 'string' && (STATISTICS.includes(s) || /^p(\d{1,2}(\.\d+)?|100)$/.test(s))
            ? { ok: true, value: s }
            : { ok: false, message: `is not a statistic; allowed ${STATISTICS.join(', ')} or a percentile like 'p99' or 'p99.9'` },
        metric === 'Duration' ? 'Average' : 'Sum',
      ),
      comparisonOperator: orNothing<(typeof COMPARISONS)[number], (typeof COMPARISONS)[number]>(COMPARISONS.join(' | '), (x) => readOneOf(x, COMPARISONS), DEFAULTS.comparisonOperator),
      treatMissingData: orNothing<(typeof MISSING)[number], (typeof MISSING)[number]>(MISSING.join(' | '), (x) => readOneOf(x, MISSING), DEFAULTS.treatMissingData),
      executedVersion: v.optional(
        primitive<string, string | undefined>('a published version', (x) => {
          if (typeof x === 'string' && fn && Object.hasOwn(fn.versions, x)) return { ok: true, value: x };
          if (!fn) return { ok: true, value: undefined };
          return { ok: false, message: `is not a published version of ${fn.name}; allowed ${Object.keys(fn.versions).map((k) => `'${k}'`).join(', ') || 'none'}` };
        }),
      ),
    },
    {
      what: 'alarm',
      expected: "an alarm { name, metric: 'Errors' | 'Throttles' | 'Duration', threshold, period?, evaluationPeriods? }",
      then: { period: cloudWatchPeriod, evaluationPeriods: alarmWithinADay },
    },
  );
}

/**
 * One alarm. Its datapointsToAlarm is bounded by its evaluationPeriods and its statistic defaults by its
 * metric, both read from the alarm as given. The output is undefined (the alarm is left out, and its name
 * not counted) when a field it needs is wrong.
 */
function alarmSchema(fn: FunctionModel | undefined) {
  return custom<AlarmSpec, DeploymentModel['alarms'][number] | undefined>('an alarm', (dataset, config) => {
    const input = dataset.value;
    const given = isObject(input) ? input : {};
    const metricGiven = readOneOf(given.metric, METRICS);
    const periods = given.evaluationPeriods === undefined ? LIMITS.alarmEvaluationPeriods.default : readNumber(given.evaluationPeriods, LIMITS.alarmEvaluationPeriods);
    const evaluationPeriods = typeof periods === 'number' ? periods : periods.ok ? periods.value : undefined;
    const a = runIn(
      alarmSpec(fn, metricGiven.ok ? metricGiven.value : undefined, evaluationPeriods),
      input,
      config,
      dataset,
    ) as Partial<Record<string, unknown>> | undefined;
    dataset.value = undefined;
    if (!a) return;
    const { name, metric, threshold, period, statistic, comparisonOperator, treatMissingData } = a;
    if (!name || !metric || threshold === undefined || period === undefined || !statistic || !comparisonOperator || !treatMissingData) return;
    dataset.value = {
      name: name as string,
      metric: metric as (typeof METRICS)[number],
      threshold: threshold as number,
      periodMs: period as number,
      evaluationPeriods: (a.evaluationPeriods as number | undefined) ?? 1,
      datapointsToAlarm: (a.datapointsToAlarm as number | undefined) ?? 1,
      statistic: statistic as string,
      comparisonOperator: comparisonOperator as (typeof COMPARISONS)[number],
      treatMissingData: treatMissingData as (typeof MISSING)[number],
      ...(a.executedVersion ? { executedVersion: a.executedVersion as string } : {}),
    };
  });
}

/** Up to 10 alarms, names unique among the ones kept. */
function alarmsSchema(fn: FunctionModel | undefined) {
  return custom<AlarmSpec[], DeploymentModel['alarms']>('alarms', (dataset, config) => {
    const input = dataset.value;
    const out: DeploymentModel['alarms'] = [];
    dataset.value = out;
    if (input === undefined) return;
    if (!Array.isArray(input)) return report(dataset, issue('is not an array; expected an array of alarms { name, metric, threshold, ... }', input));
    if (input.length > MAX_ALARMS) report(dataset, issue(`has more than ${MAX_ALARMS} alarms; CodeDeploy allows up to ${MAX_ALARMS} per deployment group`, input.length));
    const names = new Set<string>();
    input.forEach((raw: unknown, k) => {
      const alarm = runInside(alarmSchema(fn), raw, config, { type: 'array', key: k }, dataset) as DeploymentModel['alarms'][number] | undefined;
      if (!alarm) return;
      if (names.has(alarm.name)) {
        report(dataset, issue('repeats another alarm of this deployment; names are unique', alarm.name, [{ type: 'array', key: k }, { type: 'object', key: 'name' }]));
      }
      names.add(alarm.name);
      out.push(alarm);
    });
  });
}

function hooksSchema(reg: Registry) {
  return spec(
    { beforeAllowTraffic: optionalRef(reg, ['function']), afterAllowTraffic: optionalRef(reg, ['function']) },
    { what: 'hooks', expected: '{ beforeAllowTraffic?: function, afterAllowTraffic?: function }' },
  );
}

/**
 * One deployment. Its alias is read first (as given): the function it belongs to is what `to` and the
 * alarms' executedVersion name versions of. `runMs` is the run's duration, which it must start within.
 */
export function deploymentSchema(reg: Registry, functions: Record<string, FunctionModel>, runMs: number | undefined, givenAlias: unknown) {
  const found = readRef(reg, givenAlias, ['function']);
  const fn = found.ok ? functions[found.value.fn ?? ''] : undefined;
  const alias = found.ok && found.value.qualifier ? fn?.aliases[found.value.qualifier] : undefined;
  return spec(
    {
      alias: primitive<string, RefTarget>("'fn:alias'", (x) => {
        const r = readRef(reg, x, ['function']);
        if (!r.ok || !fn || alias) return r;
        const names = Object.keys(fn.aliases);
        return { ok: false, message: `is not an alias; a deployment shifts an alias 'fn:alias'; aliases of ${fn.name}: ${names.length ? names.join(', ') : 'none'}` };
      }),
      to: primitive<string, string>('a published version', (to) => {
        if (fn && (typeof to !== 'string' || !Object.hasOwn(fn.versions, to))) {
          const published = Object.keys(fn.versions);
          return { ok: false, message: `${to === undefined ? 'is missing' : 'is not a published version'}; expected one of ${published.length ? published.map((x) => `'${x}'`).join(', ') : 'none'}` };
        }
        return { ok: true, value: typeof to === 'string' ? to : '' };
      }),
      at: duration(LIMITS.deploymentAt),
      config: v.optional(deploymentConfig, DEFAULTS.deploymentConfig),
      alarms: v.optional(alarmsSchema(fn)),
      hooks: v.optional(hooksSchema(reg)),
    },
    {
      what: 'deployment',
      expected: "a deployment { alias: 'fn:live', to: '2', at?, config?, alarms?, hooks? }",
      then: { hooks: deploymentStartsInRun(runMs) },
    },
  );
}

/** The function and alias a deployment's alias field names, as the Model holds them. */
export function deployedAlias(functions: Record<string, FunctionModel>, ref: RefTarget | undefined): { fn?: FunctionModel; alias?: AliasModel } {
  const fn = ref ? functions[ref.fn ?? ''] : undefined;
  return { ...(fn ? { fn } : {}), ...(ref?.qualifier && fn?.aliases[ref.qualifier] ? { alias: fn.aliases[ref.qualifier] } : {}) };
}

export type VersionInput = v.InferInput<ReturnType<typeof versionSchema>>;
export type AliasInput = v.InferInput<ReturnType<typeof aliasSpec>>;
export type AlarmInput = v.InferInput<ReturnType<typeof alarmSpec>>;
export type DeploymentConfigInput = v.InferInput<typeof customConfig>;
export type DeploymentInput = v.InferInput<ReturnType<typeof deploymentSchema>>;
export type HooksInput = v.InferInput<ReturnType<typeof hooksSchema>>;
