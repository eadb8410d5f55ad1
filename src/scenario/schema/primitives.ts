/**
 * The primitives of the scenario contract as valibot schemas (docs/scenario-contract.md). Each one reads one
 * field the way AWS reads it and, when the value is wrong, reports the project's own one-line message
 * (schema/messages.ts): never valibot's default texts. The same readers back the hand-written checks that
 * remain in validate.ts, so a duration or a reference is refused in the same words wherever it appears.
 *
 * A primitive never throws and never stops at its first problem's neighbours: a field that fails yields its
 * fallback (the table's default, or undefined) so the fields after it are still checked and every problem
 * of a file is reported in one pass. The model is only handed out when no problem was found, so a fallback
 * never reaches the engine.
 */
import * as v from 'valibot';
import { parseDuration } from '../../lang/duration.js';
import type { ResourceKind } from '../model.js';
import type { Duration } from '../types.js';
import { child, isObject, item, kindList, nameList, notPlain, type Obj, unknownKeyProblems, type ValidationError } from './messages.js';
import type { DurationLimit, NumberLimit } from './limits.js';

// ---------------------------------------------------------------------------------------------------------
// Readers: one value in, its normalised form or the message that refuses it. Shared by the schemas below
// and by validate.ts's Checker.

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** A number in [min, max]; `integer` refuses fractions. A quoted number gets a hint to drop the quotes. */
export function readNumber(value: unknown, limits: { min: number; max: number; integer?: boolean; label?: string }): Read<number> {
  const label = limits.label ?? `${limits.min}..${limits.max}`;
  if (value === undefined) return no(`is missing; allowed ${label}`);
  if (typeof value !== 'number') {
    const quoted = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
    return no(quoted ? `is a string, not a number; write it without quotes (allowed ${label})` : `is not a number; allowed ${label}`);
  }
  if (!Number.isFinite(value)) return no(`is not a finite number; allowed ${label}`);
  if (limits.integer && !Number.isInteger(value)) return no(`is not a whole number; allowed integers ${label}`);
  if (value < limits.min || value > limits.max) return no(`is out of range; allowed ${label}`);
  return ok(value);
}

/** A Duration (ms number or `'30s'`-style string) within the range, in milliseconds. */
export function readDuration(value: unknown, r: { minMs: number; maxMs: number; label: string }): Read<number> {
  if (value === undefined) return no(`is missing; allowed ${r.label}`);
  // '0' is the one duration that needs no unit (the ranges say 0..15m).
  const parsed = value === '0' ? 0 : parseDuration(value);
  if (parsed === undefined) {
    return no(`is not a duration; write milliseconds as a number or a string like '250ms', '30s', '5m', '1m 30s', '6h', '7d' (allowed ${r.label})`);
  }
  if (parsed < 0) return no(`is negative; durations are 0 or more (allowed ${r.label})`);
  if (parsed < r.minMs || parsed > r.maxMs) return no(`is out of range; allowed ${r.label}`);
  return ok(parsed);
}

export function readBoolean(value: unknown): Read<boolean> {
  return typeof value === 'boolean' ? ok(value) : no('is not a boolean; expected true or false');
}

export function readString(value: unknown, what: string): Read<string> {
  if (value === undefined) return no(`is missing; expected ${what}`);
  return typeof value === 'string' && value.length > 0 ? ok(value) : no(`is not a non-empty string; expected ${what}`);
}

export function readFunction<T>(value: unknown, what: string): Read<T> {
  return typeof value === 'function' ? ok(value as T) : no(`is not a function; expected ${what}`);
}

export function readOneOf<T extends string>(value: unknown, options: readonly T[]): Read<T> {
  if (typeof value === 'string' && (options as readonly string[]).includes(value)) return ok(value as T);
  const verb = value === undefined ? 'is missing' : 'is not valid';
  return no(`${verb}; allowed: ${options.map((o) => `'${o}'`).join(', ')}`);
}

/** What a scenario's names are known as while it is checked (validate.ts registers them first). */
export interface Registry {
  /** Every declared name and its kind (the default bus included). */
  readonly resources: Record<string, ResourceKind>;
  /** Whether each declared queue is FIFO. */
  readonly fifo: Record<string, boolean>;
  /** Each function's declared versions and aliases (qualified references). */
  readonly qualifiers: Record<string, { versions: string[]; aliases: string[] }>;
}

export interface RefTarget {
  name: string;
  kind: ResourceKind;
  fn?: string;
  qualifier?: string;
}

/** The names of the declared resources of these kinds, in declaration order. */
export function declared(reg: Registry, kinds: readonly ResourceKind[]): string[] {
  return Object.keys(reg.resources).filter((name) => kinds.includes(reg.resources[name]));
}

/** A reference by name to a declared resource of one of `kinds` (a function also as 'fn:alias'). */
export function readRef(reg: Registry, value: unknown, kinds: readonly ResourceKind[]): Read<RefTarget> {
  const wanted = kindList(kinds);
  const known = `declared: ${nameList(declared(reg, kinds))}`;
  if (value === undefined) return no(`is missing; expected the name of ${wanted}; ${known}`);
  if (typeof value !== 'string') return no(`is not a name; expected the name of ${wanted}; ${known}`);
  const kind = Object.hasOwn(reg.resources, value) ? reg.resources[value] : undefined;
  const colon = value.indexOf(':');
  if (kind === undefined && colon > 0 && reg.resources[value.slice(0, colon)] === 'function') {
    // docs/versions.md: 'fn:alias', 'fn:2' or 'fn:$LATEST' wherever a function is named.
    const fn = value.slice(0, colon);
    const qualifier = value.slice(colon + 1);
    if (!kinds.includes('function')) return no(`is a function, not ${wanted}; ${known}`);
    const q = reg.qualifiers[fn] ?? { versions: [], aliases: [] };
    if (qualifier !== '$LATEST' && !q.versions.includes(qualifier) && !q.aliases.includes(qualifier)) {
      const valid = ['$LATEST', ...q.versions, ...q.aliases].map((x) => `'${x}'`).join(', ');
      return no(`names no version or alias of function '${fn}'; qualifiers allowed: ${valid}`);
    }
    return ok({ name: value, kind: 'function', fn, qualifier });
  }
  if (kind === undefined) return no(`is not ${wanted}; ${known}`);
  if (!kinds.includes(kind)) return no(`is a ${kind}, not ${wanted}; ${known}`);
  return ok({ name: value, kind, ...(kind === 'function' ? { fn: value } : {}) });
}

// ---------------------------------------------------------------------------------------------------------
// The schemas. A primitive is a valibot schema whose `~run` calls one reader; its issues carry our message
// and the value as found. Issue paths are relative: parse() below turns them into `functions.f.timeout`.

/** The issue every schema of ours reports: valibot's shape, our message. */
export interface ContractIssue extends v.BaseIssue<unknown> {
  readonly kind: 'schema';
  readonly type: 'scenario';
}

/** A path step: an object key (`.timeout`, `['my fn']`), an array index, or a key always quoted (`['1']`). */
export type Step = { type: 'object'; key: string } | { type: 'array'; key: number } | { type: 'quoted'; key: string };

export function issue(message: string, input: unknown, path?: Step[]): ContractIssue {
  return {
    kind: 'schema',
    type: 'scenario',
    input,
    expected: null,
    received: '',
    message,
    ...(path ? { path: path as unknown as [v.IssuePathItem, ...v.IssuePathItem[]] } : {}),
  };
}

export type Dataset = { value: unknown; typed?: boolean; issues?: v.BaseIssue<unknown>[] };

export function report(dataset: Dataset, found: ContractIssue): void {
  dataset.typed = false;
  if (dataset.issues) dataset.issues.push(found);
  else dataset.issues = [found];
}

/** Runs a schema on a value inside another schema, moving its issues under `step`. */
export function runInside(schema: v.GenericSchema, value: unknown, config: v.Config<v.BaseIssue<unknown>>, step: Step, into: Dataset): unknown {
  const out = schema['~run']({ value }, config) as Dataset;
  if (out.issues) {
    for (const found of out.issues) {
      const path = (found.path ?? []) as unknown as Step[];
      (found as { path?: unknown }).path = [step, ...path];
      report(into, found as ContractIssue);
    }
  }
  return out.value;
}

/** Runs a schema on a value at the same place (its issues keep their paths) and returns its output. */
export function runIn(schema: v.GenericSchema, value: unknown, config: v.Config<v.BaseIssue<unknown>>, into: Dataset): unknown {
  const out = schema['~run']({ value }, config) as Dataset;
  for (const found of out.issues ?? []) report(into, found as ContractIssue);
  return out.value;
}

/** A valibot schema built from a run function: input type TIn, output TOut. */
export type Schema<TIn, TOut> = v.BaseSchema<TIn, TOut, ContractIssue>;

export function custom<TIn, TOut>(expects: string, run: (dataset: Dataset, config: v.Config<v.BaseIssue<unknown>>) => void): Schema<TIn, TOut> {
  const made = {
    kind: 'schema' as const,
    type: 'scenario',
    reference: custom as unknown as () => v.GenericSchema,
    expects,
    async: false as const,
    '~run'(dataset: Dataset, config: v.Config<v.BaseIssue<unknown>>) {
      run(dataset, config);
      if (!dataset.issues) dataset.typed = true;
      return dataset as v.OutputDataset<TOut, ContractIssue>;
    },
  };
  return v._standardSchema(made as unknown as Schema<TIn, TOut>);
}

/** One reader as a schema: on a problem, the value becomes `fallback` and the message is reported. */
export function primitive<TIn, TOut>(expects: string, read: (value: unknown) => Read<TOut>, fallback?: TOut): Schema<TIn, TOut> {
  return custom<TIn, TOut>(expects, (dataset) => {
    const input = dataset.value;
    const r = read(input);
    if (r.ok) dataset.value = r.value;
    else {
      dataset.value = fallback;
      report(dataset, issue(r.message, input));
    }
  });
}

/** A field with a default: absent means the default (valibot's optional), whose value the reader normalises. */
function withDefault<TIn, TOut>(inner: Schema<TIn, TOut>, fallback: TIn | undefined) {
  return fallback === undefined ? inner : v.optional(inner, fallback as never);
}

/** A duration field from the limits table: its range, and its default when it has one (else required). */
export function duration<const L extends DurationLimit>(limit: L) {
  const fallbackMs = limit.default === undefined ? undefined : readDuration(limit.default, limit);
  const inner = primitive<Duration, number>(limit.label, (x) => readDuration(x, limit), fallbackMs?.ok ? fallbackMs.value : undefined);
  return withDefault(inner, limit.default) as L['default'] extends Duration ? v.OptionalSchema<Schema<Duration, number>, Duration> : Schema<Duration, number>;
}

/** A duration with no default, that may be left out (a traffic entry's stop). */
export function optionalDuration(limit: DurationLimit) {
  return v.optional(primitive<Duration, number>(limit.label, (x) => readDuration(x, limit)));
}

/** A number field from the limits table: its range (whole numbers when `integer`), and its default. */
export function number<const L extends NumberLimit>(limit: L) {
  const inner = primitive<number, number>(limit.label ?? `${limit.min}..${limit.max}`, (x) => readNumber(x, limit), limit.default);
  return withDefault(inner, limit.default) as L['default'] extends number ? v.OptionalSchema<Schema<number, number>, number> : Schema<number, number>;
}

/** A number that may be left out and has no default (a function's reservedConcurrentExecutions). */
export function optionalNumber(limit: NumberLimit) {
  return v.optional(primitive<number, number>(limit.label ?? `${limit.min}..${limit.max}`, (x) => readNumber(x, limit)));
}

export function boolean(fallback: boolean) {
  return v.optional(primitive<boolean, boolean>('true or false', readBoolean, fallback), fallback);
}

/** One of a few names; with a default, absent means the default. */
export function oneOf<const T extends string, const F extends T | undefined = undefined>(options: readonly T[], fallback?: F) {
  const inner = primitive<T, T>(options.join(' | '), (x) => readOneOf(x, options), fallback);
  return (fallback === undefined ? inner : v.optional(inner, fallback as never)) as F extends T ? v.OptionalSchema<Schema<T, T>, T> : Schema<T, T>;
}

/** A required non-empty string. */
export function text(what: string) {
  return primitive<string, string>(what, (x) => readString(x, what));
}

/** An optional non-empty string. */
export function optionalText(what: string) {
  return v.optional(text(what));
}

/** An optional function (a handler, a body generator, a predicate). */
export function func<T>(what: string) {
  return v.optional(primitive<T, T>(what, (x) => readFunction<T>(x, what)));
}

/** A reference to a declared resource: required unless `optional`. Its output is the resolved target. */
export function ref(reg: Registry, kinds: readonly ResourceKind[]) {
  return primitive<string, RefTarget | undefined>(kindList(kinds), (x) => readRef(reg, x, kinds));
}

export function optionalRef(reg: Registry, kinds: readonly ResourceKind[]) {
  return v.optional(ref(reg, kinds));
}

/** A field that is refused whenever it is given, with the reason (e.g. provisioned concurrency on $LATEST). */
export function refused<T>(message: string) {
  return v.optional(primitive<T, undefined>('nothing', () => no(message)));
}

/** A field whose checks live elsewhere (validated in a second pass that needs the object's other fields). */
export function later<T>() {
  return v.optional(custom<T, unknown>('anything', () => {}));
}

/**
 * A field that is required for authors but whose absence this schema does not report (the caller checks
 * it elsewhere, in its own words: a scenario's `functions`).
 */
export function elsewhere<T>() {
  return custom<T, unknown>('anything', () => {});
}

/**
 * A field whose absence reads as `output` itself, not as an input run through the field's reader: a
 * value the reader would refuse if it were given (an empty description), or a normalised value taken
 * from elsewhere (a version's timeout in milliseconds, inherited from its function). A value given is
 * read by `inner` (and yields its fallback when refused).
 */
export function absentAs<TIn, TOut>(inner: Schema<TIn, TOut>, output: TOut) {
  return custom<TIn | undefined, TOut>(inner.expects, (dataset, config) => {
    if (dataset.value === undefined) dataset.value = output;
    else dataset.value = runIn(inner, dataset.value, config, dataset);
  }) as unknown as v.OptionalSchema<Schema<TIn, TOut>, never>;
}

/**
 * A spec object: a plain object (never a Date, Map or class instance), unknown keys refused with "did you
 * mean", then each field checked in turn. `order` checks the fields in another order than the list of
 * valid keys the messages show (kept as it was before the schemas, so error lines read the same).
 * `then` runs a cross-field rule (schema/rules.ts) right after a field, on the fields read so far and the
 * object as given, so its message comes where the rule belongs among the fields' own.
 */
export function spec<const E extends v.ObjectEntries>(
  entries: E,
  options: {
    what: string;
    expected: string;
    order?: ReadonlyArray<keyof E & string>;
    then?: Partial<Record<keyof E & string, FieldRule>>;
  },
): Schema<v.InferInput<v.ObjectSchema<E, undefined>>, v.InferOutput<v.ObjectSchema<E, undefined>>> {
  const valid = Object.keys(entries);
  const order = options.order ?? valid;
  return custom(options.expected, (dataset, config) => {
    const input = dataset.value;
    if (!isObject(input)) {
      dataset.value = undefined;
      report(dataset, issue(`${notPlain(input)}; expected ${options.expected}`, input));
      return;
    }
    for (const p of unknownKeyProblems(input, valid, options.what)) {
      report(dataset, issue(p.message, p.value, p.key === undefined ? undefined : [{ type: 'object', key: p.key }]));
    }
    const out: Obj = {};
    // The fields read so far that were valid: what a `then` rule sees (a failed field is undefined there).
    const read: Obj = {};
    for (const key of order) {
      const before = dataset.issues?.length ?? 0;
      const value = runInside(entries[key], input[key], config, { type: 'object', key }, dataset);
      if (value !== undefined) out[key] = value;
      if (value !== undefined && (dataset.issues?.length ?? 0) === before) read[key] = value;
      const after = options.then?.[key];
      if (after) for (const p of after(read, input)) report(dataset, issue(p.message, p.input, p.path));
    }
    dataset.value = out;
  });
}

/**
 * A rule run inside a spec right after one of its fields (spec's `then`): it sees the fields read so far
 * that were valid (normalised; a field that failed is not there) and the object as given.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldRule = (read: any, given: Obj) => RuleProblem[];

/**
 * A list: absent is the empty list, anything but an array is refused with `what`, each element is checked
 * by `item` (its path `[i]`). `after` runs once per element, right after it, with the element's output and
 * the outputs of the elements before it (a rule such as "names are unique"). The input type is declared
 * by the caller, so a list the author types require stays required there even though absence is read
 * as empty, as it always was.
 */
export function list<const S extends v.GenericSchema>(
  item: S,
  what: string,
  after?: (output: v.InferOutput<S>, index: number, before: ReadonlyArray<v.InferOutput<S>>) => RuleProblem[],
): Schema<Array<v.InferInput<S>>, Array<v.InferOutput<S>>> {
  return custom<Array<v.InferInput<S>>, Array<v.InferOutput<S>>>(what, (dataset, config) => {
    const input = dataset.value;
    if (input === undefined) {
      dataset.value = [];
      return;
    }
    if (!Array.isArray(input)) {
      // The fallback of a refused list is the empty list, as for one left out.
      dataset.value = [];
      report(dataset, issue(`is not an array; expected ${what}`, input));
      return;
    }
    const out: Array<v.InferOutput<S>> = [];
    input.forEach((element, i) => {
      const value = runInside(item, element, config, { type: 'array', key: i }, dataset) as v.InferOutput<S>;
      if (after) for (const p of after(value, i, out)) report(dataset, issue(p.message, p.input, [{ type: 'array', key: i }, ...(p.path ?? [])]));
      out.push(value);
    });
    dataset.value = out;
  });
}

/**
 * A spec whose output is dropped (undefined) when one of its `decisive` fields failed, when the object
 * itself was refused, or when `keep` says no: an entry left out of the Model as a whole, so the rules that
 * compare entries see only the whole ones. Problems of the other fields (and unknown keys) are reported
 * but keep the entry, as the checks before the schemas did.
 */
export function validOnly<TIn, TOut>(
  inner: v.GenericSchema<TIn, TOut>,
  decisive: readonly string[],
  keep: (output: TOut) => boolean = () => true,
): Schema<TIn, TOut | undefined> {
  return custom<TIn, TOut | undefined>('a valid entry', (dataset, config) => {
    const out = runIn(inner, dataset.value, config, dataset) as TOut;
    const broken = (dataset.issues ?? []).some((found) => {
      const first = (found.path as unknown as Step[] | undefined)?.[0];
      return first === undefined || decisive.includes(String(first.key));
    });
    dataset.value = broken || out === undefined || !keep(out) ? undefined : out;
  });
}

/**
 * A field read by a function that may find several problems (an event pattern): each is one line at the
 * field's path. The output is `read`'s value when there are none, else undefined.
 */
export function checked<TIn, TOut>(expects: string, read: (value: unknown) => { value?: TOut; problems: string[] }): Schema<TIn, TOut | undefined> {
  return custom<TIn, TOut | undefined>(expects, (dataset) => {
    const input = dataset.value;
    const r = read(input);
    for (const message of r.problems) report(dataset, issue(message, input));
    dataset.value = r.problems.length ? undefined : r.value;
  });
}

/** A problem a cross-field rule finds: its message, the value shown, and where under the checked object. */
export interface RuleProblem {
  message: string;
  input: unknown;
  path?: Step[];
}

/**
 * A cross-field rule as a valibot pipe action (schema/rules.ts): it runs after the schema it follows, sees
 * that schema's output and whether it was all valid (`typed`), and reports our messages.
 */
// The action is typed loosely (any in, any out): a rule reads a few fields of whatever object it follows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rule<T>(check: (output: T, typed: boolean) => RuleProblem[]): v.BaseValidation<any, any, ContractIssue> {
  return {
    kind: 'validation',
    type: 'scenario_rule',
    reference: rule as unknown as v.BaseValidation<unknown, unknown, ContractIssue>['reference'],
    async: false,
    expects: null,
    '~run'(dataset, _config) {
      const d = dataset as unknown as Dataset;
      for (const p of check(d.value as T, !d.issues)) report(d, issue(p.message, p.input, p.path));
      return dataset;
    },
  };
}

/**
 * Checks `value` against a schema and hands back its output and our errors, the paths under `base`.
 * valibot collects every issue (abortEarly off), in the order the fields are checked.
 */
export function parse<TIn, TOut>(s: v.BaseSchema<TIn, TOut, v.BaseIssue<unknown>>, value: unknown, file: string, base: string): { output: TOut; errors: ValidationError[] } {
  const result = v.safeParse(s, value, { abortEarly: false, abortPipeEarly: false });
  const errors: ValidationError[] = (result.issues ?? []).map((found) => ({
    file,
    path: pathOf(base, found.path as unknown as Step[] | undefined),
    value: found.input,
    message: found.message,
  }));
  return { output: result.output as TOut, errors };
}

function pathOf(base: string, steps: Step[] | undefined): string {
  let path = base;
  for (const step of steps ?? []) {
    if (step.type === 'array') path = item(path, step.key);
    else if (step.type === 'quoted') path = `${path}['${step.key}']`;
    else path = child(path, step.key);
  }
  return path;
}
