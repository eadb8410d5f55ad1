/**
 * EventBridge event patterns and Lambda event-source-mapping FilterCriteria, matched as AWS matches them.
 *
 * Sources (docs/aws-rules.md §6 and the FilterCriteria row of 3.1):
 * - EventBridge user guide: eb-event-patterns, eb-create-pattern-operators, eb-event-patterns-arrays,
 *   eb-event-patterns-null-values, eb-event-patterns-content-based-filtering.
 * - aws/event-ruler README (the library behind EventBridge matching): `$or`, wildcard escaping,
 *   array-consistent matching, numeric range and precision.
 * - Lambda developer guide: invocation-eventfiltering (operator subset, data keys, SQS body and stream
 *   data format rules).
 *
 * The module is pure: no I/O, no clock, no randomness. Patterns are interpreted directly rather than
 * compiled, because scenario patterns are small and a compiled form would be one more thing to keep in
 * sync with validatePattern.
 */

/** Which matcher a pattern is written for: an EventBridge rule, or a Lambda event source mapping filter. */
export type PatternDialect = 'eventbridge' | 'esm';

/** The event sources whose mappings support FilterCriteria in lambda-tui. */
export type EsmSourceKind = 'sqs' | 'kinesis' | 'dynamodb';

/** Options for {@link validatePattern}. */
export interface ValidatePatternOptions {
  /** Default `'eventbridge'`. `'esm'` also refuses the operators Lambda event filtering lacks. */
  dialect?: PatternDialect;
  /**
   * With `dialect: 'esm'`: the mapping's source. Kinesis and DynamoDB refuse a plain-string (array)
   * pattern on their data key, as Lambda does when the mapping is created.
   */
  source?: EsmSourceKind;
}

/**
 * The key under which each ESM source exposes the record's payload to filters (docs/aws-rules.md §3.1).
 *
 * @example ESM_DATA_KEYS.sqs // 'body'
 */
export const ESM_DATA_KEYS: Readonly<Record<EsmSourceKind, string>> = Object.freeze({
  sqs: 'body',
  kinesis: 'data',
  dynamodb: 'dynamodb',
});

/**
 * Default number of filters one event source mapping accepts; AWS raises it to 10 on a quota request.
 *
 * @example filters.length <= ESM_MAX_FILTERS
 */
export const ESM_MAX_FILTERS = 5;

/**
 * Longest `Filter.Pattern` Lambda accepts, in characters of its JSON text (API_Filter: max length 4096).
 *
 * @example JSON.stringify(pattern).length <= ESM_MAX_PATTERN_LENGTH
 */
export const ESM_MAX_PATTERN_LENGTH = 4096;

/**
 * Longest EventBridge rule `EventPattern`, in characters of its JSON text: 2048 by default, 4096 the most a
 * quota increase gives (EventBridge quotas, "Event pattern size"). The larger is allowed here.
 *
 * @example JSON.stringify(pattern).length <= EVENTBRIDGE_MAX_PATTERN_LENGTH
 */
export const EVENTBRIDGE_MAX_PATTERN_LENGTH = 4096;

/**
 * The length of a pattern's JSON text when it is at most `max` characters, or why it cannot be sent:
 * too long (the caps above bound the depth and key count of any accepted pattern, so the recursive checks
 * that follow stay small), cyclic, nested beyond the stack, or holding a value JSON has no text for.
 *
 * @example patternTextProblem({ source: ['shop'] }, 4096) // undefined
 */
export function patternTextProblem(pattern: unknown, max: number): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(pattern);
  } catch (error) {
    if (error instanceof RangeError) return `nests too deeply to be a pattern of at most ${max} characters`;
    if (error instanceof TypeError && /circular|cyclic/i.test(error.message)) return 'refers to itself (a cyclic value); a pattern is JSON text';
    if (error instanceof TypeError && /bigint/i.test(error.message)) return 'holds a BigInt, which JSON has no text for; write the number as a number';
    return 'cannot be written as JSON text';
  }
  if (text === undefined) return 'cannot be written as JSON text';
  if (text.length > max) return `is ${text.length} characters of JSON; allowed at most ${max}`;
  return undefined;
}

/**
 * Operators that Lambda event filtering documents (invocation-eventfiltering "Filter rule syntax": null,
 * empty, equals, equals-ignore-case, and, or (a value list), not (anything-but a value or list), numeric,
 * exists, begins with, ends with). Everything else EventBridge offers (wildcard, cidr, `$or`, the object
 * forms of anything-but, the ignore-case forms of prefix and suffix) is refused for the ESM dialect. The
 * EventBridge Pipes column of eb-create-pattern-operators lists a little more (cidr, `$or`, prefix/suffix
 * ignore-case); Lambda's own page is the narrower and more specific source, so it wins here.
 *
 * @example ESM_OPERATORS.has('prefix') // true
 */
export const ESM_OPERATORS: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
]);

/** Every operator key EventBridge recognises inside a leaf array. */
const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr']);

/**
 * event-ruler limits numeric matching to ±5.0e9 with six decimal places; values outside never match a
 * numeric rule and pattern operands outside are refused.
 */
const NUMERIC_LIMIT = 5e9;
const NUMERIC_SCALE = 1e6;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(obj: PlainObject, key: string): unknown {
  // Own properties only: an event without a "constructor" field must not see Object.prototype's.
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------------

/**
 * Whether an event matches an EventBridge event pattern.
 *
 * All fields named in the pattern must match (AND); a leaf array matches if any of its values matches
 * (OR); `$or` at any level matches if any of its sub-patterns does. When the event value is an array, the
 * leaf matches if any element matches; objects inside arrays are matched element by element, so two
 * fields of one sub-pattern must come from the same element (event-ruler's array-consistent matching).
 * Exact values are case-sensitive and typed: `"300"` does not match `300`. Numbers compare by value as
 * JavaScript parsed them: AWS compares number text, so `300` and `300.0` differ there, but both parse to
 * the same JavaScript number, so the difference cannot survive JSON.parse and is not modelled.
 * The pattern is assumed valid (see {@link validatePattern}).
 *
 * @example
 * matchesPattern({ source: ['aws.ec2'], detail: { state: [{ 'anything-but': 'initializing' }] } },
 *   { source: 'aws.ec2', detail: { state: 'running' } }) // true
 */
export function matchesPattern(pattern: object, event: unknown): boolean {
  return matchObject(pattern as PlainObject, event, undefined);
}

/** When set, the top-level data key must have the same format (JSON or plain string) as its pattern. */
interface DataGuard {
  key: string;
  isJson: boolean;
}

function matchObject(pattern: PlainObject, value: unknown, guard: DataGuard | undefined): boolean {
  // A sub-pattern facing an array looks for one element that satisfies all of it; facing anything that is
  // not an object it sees no fields at all, so only `exists: false` leaves can match.
  const candidates = objectCandidates(value);
  if (candidates.length === 0) return matchFields(pattern, undefined, guard);
  return candidates.some((candidate) => matchFields(pattern, candidate, guard));
}

function objectCandidates(value: unknown): PlainObject[] {
  if (isPlainObject(value)) return [value];
  if (!Array.isArray(value)) return [];
  const out: PlainObject[] = [];
  for (const item of value) out.push(...objectCandidates(item));
  return out;
}

function matchFields(pattern: PlainObject, obj: PlainObject | undefined, guard: DataGuard | undefined): boolean {
  for (const key of Object.keys(pattern)) {
    const sub = pattern[key];
    if (key === '$or' && Array.isArray(sub)) {
      if (!sub.some((alt) => isPlainObject(alt) && matchFields(alt, obj, guard))) return false;
      continue;
    }
    if (guard && key === guard.key) {
      // Lambda drops a record whose body/data format differs from the pattern's format
      // (invocation-eventfiltering, "Properly filtering Amazon SQS messages" and the streams table).
      if (Array.isArray(sub) && guard.isJson) return false;
      if (isPlainObject(sub) && !guard.isJson) return false;
    }
    const fieldValue = obj === undefined ? undefined : own(obj, key);
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, fieldValue)) return false;
    } else if (isPlainObject(sub)) {
      if (!matchObject(sub, fieldValue, undefined)) return false;
    } else {
      return false; // invalid pattern: a leaf that is not an array matches nothing
    }
  }
  return true;
}

/** The leaf values of an event field: scalars, with nested arrays flattened and objects left out. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined || isPlainObject(value)) return [];
  if (!Array.isArray(value)) return [value];
  const out: unknown[] = [];
  for (const item of value) out.push(...leafValues(item));
  return out;
}

function matchLeaf(rules: unknown[], fieldValue: unknown): boolean {
  const values = leafValues(fieldValue);
  return rules.some((rule) => {
    if (isPlainObject(rule) && 'exists' in rule) {
      // `exists` looks at leaf presence: an object-valued field "does not exist" (eb content filtering).
      return rule.exists === true ? values.length > 0 : values.length === 0;
    }
    return values.some((value) => matchValue(rule, value));
  });
}

function matchValue(rule: unknown, value: unknown): boolean {
  if (!isPlainObject(rule)) return sameValue(rule, value);
  const [op] = Object.keys(rule);
  const arg = rule[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && affixMatch(arg, value, (v, a) => v.startsWith(a));
    case 'suffix':
      return typeof value === 'string' && affixMatch(arg, value, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof arg === 'string' && equalsIgnoreCase(value, arg);
    case 'wildcard':
      return typeof value === 'string' && typeof arg === 'string' && wildcardMatch(arg, value);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(arg) && numericMatch(arg, value);
    case 'cidr':
      return typeof value === 'string' && typeof arg === 'string' && cidrMatch(arg, value);
    case 'anything-but':
      return anythingButMatch(arg, value);
    default:
      return false;
  }
}

/** Exact match: same JSON type and same value. Object.is keeps -0 apart from 0, as their JSON text is. */
function sameValue(rule: unknown, value: unknown): boolean {
  if (typeof rule === 'number') return typeof value === 'number' && Object.is(rule, value);
  return rule === value;
}

function affixMatch(arg: unknown, value: string, test: (v: string, a: string) => boolean): boolean {
  if (typeof arg === 'string') return test(value, arg);
  if (isPlainObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    return test(foldCase(value), foldCase(arg['equals-ignore-case']));
  }
  return false;
}

function foldCase(s: string): string {
  // toLowerCase is locale-independent in JavaScript, which is what a matcher must be.
  return s.toLowerCase();
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return foldCase(a) === foldCase(b);
}

function anythingButMatch(arg: unknown, value: unknown): boolean {
  if (isPlainObject(arg)) {
    // The object forms are string operators: a non-string value never matches them.
    if (typeof value !== 'string') return false;
    const [op] = Object.keys(arg);
    const inner = arg[op];
    const list = Array.isArray(inner) ? inner : [inner];
    switch (op) {
      case 'prefix':
        return typeof inner === 'string' && !value.startsWith(inner);
      case 'suffix':
        return typeof inner === 'string' && !value.endsWith(inner);
      case 'equals-ignore-case':
        return list.every((s) => typeof s === 'string' && !equalsIgnoreCase(value, s));
      case 'wildcard':
        return list.every((s) => typeof s === 'string' && !wildcardMatch(s, value));
      default:
        return false;
    }
  }
  // A value or a list: any leaf that is none of them matches. A missing field never reaches here, so
  // anything-but does not match an absent field (it needs a value to compare).
  const list = Array.isArray(arg) ? arg : [arg];
  return list.every((excluded) => !sameValue(excluded, value));
}

function numericMatch(conditions: unknown[], value: number): boolean {
  if (!(Math.abs(value) <= NUMERIC_LIMIT)) return false;
  // AWS keeps six digits after the decimal point; comparing scaled integers makes 0.1 + 0.2 equal 0.3.
  const v = Math.round(value * NUMERIC_SCALE);
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = conditions[i + 1];
    if (typeof bound !== 'number') return false;
    const b = Math.round(bound * NUMERIC_SCALE);
    const ok =
      op === '=' ? v === b : op === '<' ? v < b : op === '<=' ? v <= b : op === '>' ? v > b : op === '>=' ? v >= b : false;
    if (!ok) return false;
  }
  return true;
}

/**
 * Splits a wildcard pattern into its literal pieces around unescaped `*`. `\*` is a literal star and `\\`
 * a literal backslash (event-ruler README, "Wildcard matching").
 */
function wildcardSegments(pattern: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      current += pattern[++i];
    } else if (c === '*') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const segments = wildcardSegments(pattern);
  if (segments.length === 1) return value === segments[0];
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // With only `*` as a metacharacter, taking each middle piece at its leftmost position is optimal.
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const at = value.indexOf(segments[i], pos);
    if (at < 0 || at + segments[i].length > end) return false;
    pos = at + segments[i].length;
  }
  return true;
}

// --- IP addresses -----------------------------------------------------------------------------------

interface IpAddress {
  version: 4 | 6;
  bits: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let out = 0n;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return undefined;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const v4 = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    tailV4 = parseIpv4(v4[2]);
    if (tailV4 === undefined) return undefined;
    head = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
  }
  const wantGroups = tailV4 === undefined ? 8 : 6;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if (!left || !right) return undefined;
  const missing = wantGroups - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let out = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out = (out << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) out = (out << 32n) | tailV4;
  return out;
}

function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, bits: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { version: 6, bits: v6 };
}

interface Cidr {
  version: 4 | 6;
  network: bigint;
  prefixLength: number;
}

function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  const width = ip.version === 4 ? 32 : 128;
  if (prefixLength > width) return undefined;
  const shift = BigInt(width - prefixLength);
  return { version: ip.version, network: (ip.bits >> shift) << shift, prefixLength };
}

function cidrMatch(cidrText: string, value: string): boolean {
  const cidr = parseCidr(cidrText);
  const ip = parseIp(value);
  if (!cidr || !ip || cidr.version !== ip.version) return false;
  const shift = BigInt((ip.version === 4 ? 32 : 128) - cidr.prefixLength);
  return (ip.bits >> shift) << shift === cidr.network;
}

// ---------------------------------------------------------------------------------------------------
// Event source mapping filters
// ---------------------------------------------------------------------------------------------------

/**
 * Whether an event-source-mapping record passes FilterCriteria: the patterns are OR-ed, and an empty
 * list lets every record through (no filter configured).
 *
 * The record is the AWS-shaped record (SQSRecord, KinesisStreamRecord, DynamoDBRecord). Filters see it as
 * Lambda documents (invocation-eventfiltering):
 * - SQS: the record's fields, with `body` parsed when it is a JSON object or array. A JSON body only
 *   matches an object pattern on `body`; a plain-string body only a value-list pattern; a mismatch drops
 *   the record. (A body that is a bare JSON scalar such as `42` is treated as a plain string, which is
 *   what a `body: ["42"]` pattern expects; AWS does not say.)
 * - Kinesis: the fields of `kinesis` (partitionKey, sequenceNumber, ...) next to the record's own
 *   metadata, with `data` base64-decoded and parsed when it is JSON. Non-JSON data only passes patterns
 *   that say nothing about `data`.
 * - DynamoDB: the record as is; the data key is `dynamodb`.
 *
 * @example
 * matchesFilterCriteria([{ body: { kind: ['order'] } }],
 *   { messageId: 'm1', body: '{"kind":"order"}' }, 'sqs') // true
 */
export function matchesFilterCriteria(filters: object[], record: unknown, kind: EsmSourceKind): boolean {
  if (filters.length === 0) return true;
  const { view, isJson } = filterView(record, kind);
  const guard: DataGuard = { key: ESM_DATA_KEYS[kind], isJson };
  return filters.some((pattern) => isPlainObject(pattern) && matchObject(pattern, view, guard));
}

function parseJsonContainer(text: string): { ok: true; value: Json } | { ok: false } {
  try {
    const value = JSON.parse(text) as Json;
    return typeof value === 'object' && value !== null ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

function filterView(record: unknown, kind: EsmSourceKind): { view: unknown; isJson: boolean } {
  if (!isPlainObject(record)) return { view: record, isJson: false };
  if (kind === 'sqs') {
    const body = own(record, 'body');
    if (typeof body !== 'string') return { view: record, isJson: isPlainObject(body) || Array.isArray(body) };
    const parsed = parseJsonContainer(body);
    return parsed.ok ? { view: { ...record, body: parsed.value }, isJson: true } : { view: record, isJson: false };
  }
  if (kind === 'kinesis') {
    const { kinesis, ...outer } = record;
    const inner = isPlainObject(kinesis) ? kinesis : {};
    const data = own(inner, 'data');
    const decoded = typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : undefined;
    const parsed = decoded === undefined ? { ok: false as const } : parseJsonContainer(decoded);
    return {
      view: { ...outer, ...inner, data: parsed.ok ? parsed.value : decoded },
      isJson: parsed.ok,
    };
  }
  const dynamodb = own(record, 'dynamodb');
  return { view: record, isJson: isPlainObject(dynamodb) };
}

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

/**
 * Problems that would make AWS refuse a pattern, one human-readable line each, prefixed with the path
 * inside the pattern (`detail.state[0]`). An empty list means the pattern is valid.
 *
 * Checks: the pattern and every nested level is a non-empty object; every leaf is a non-empty array of
 * strings, numbers, booleans, null or one-key operator objects; operators are known and their operands
 * well-formed (numeric comparisons and ranges, CIDR blocks, wildcard escapes, anything-but lists of one
 * type); `$or` holds at least two sub-patterns. With `dialect: 'esm'`, operators Lambda event filtering
 * lacks are refused too (see {@link ESM_OPERATORS}).
 *
 * @example
 * validatePattern({ detail: { count: [{ numeric: ['>', 'ten'] }] } })
 * // ['detail.count[0].numeric: operand after ">" must be a number, got "ten"']
 */
export function validatePattern(pattern: unknown, options: ValidatePatternOptions = {}): string[] {
  const ctx: ValidationContext = { dialect: options.dialect ?? 'eventbridge', problems: [] };
  if (!isPlainObject(pattern)) {
    ctx.problems.push(`(pattern): must be a JSON object, got ${describe(pattern)}`);
    return ctx.problems;
  }
  validateObject(pattern, '', ctx);
  if (ctx.dialect === 'esm' && options.source) {
    const key = ESM_DATA_KEYS[options.source];
    for (const level of topLevels(pattern)) {
      if (options.source !== 'sqs' && Array.isArray(own(level, key))) {
        ctx.problems.push(
          `${key}: ${options.source === 'kinesis' ? 'Kinesis' : 'DynamoDB'} filters on "${key}" must be a JSON pattern ` +
            `(an object of fields), not a list of plain values; Lambda refuses the mapping`,
        );
      }
    }
  }
  return ctx.problems;
}

/**
 * Checks a whole FilterCriteria list for an event source mapping: at most {@link ESM_MAX_FILTERS}
 * patterns, each at most {@link ESM_MAX_PATTERN_LENGTH} characters of JSON and valid for the ESM dialect.
 * Paths start with the filter's index.
 *
 * @example validateFilterCriteria([{ body: { a: [{ wildcard: 'x*' }] } }], 'sqs')
 * // ['filters[0].body.a[0]: "wildcard" is not supported by Lambda event filtering ...']
 */
export function validateFilterCriteria(filters: unknown, source: EsmSourceKind): string[] {
  if (!Array.isArray(filters)) return [`filters: must be a list of patterns, got ${describe(filters)}`];
  const problems: string[] = [];
  if (filters.length > ESM_MAX_FILTERS) {
    problems.push(`filters: at most ${ESM_MAX_FILTERS} filters per event source mapping (AWS default quota), got ${filters.length}`);
  }
  filters.forEach((pattern, i) => {
    const text = JSON.stringify(pattern) ?? '';
    if (text.length > ESM_MAX_PATTERN_LENGTH) {
      problems.push(`filters[${i}]: pattern is ${text.length} characters of JSON, at most ${ESM_MAX_PATTERN_LENGTH}`);
    }
    for (const p of validatePattern(pattern, { dialect: 'esm', source })) {
      problems.push(p.startsWith('(pattern)') ? `filters[${i}]${p.slice('(pattern)'.length)}` : `filters[${i}].${p}`);
    }
  });
  return problems;
}

interface ValidationContext {
  dialect: PatternDialect;
  problems: string[];
}

/** The top-level object and the sub-patterns of top-level `$or`s, recursively: all see the same fields. */
function topLevels(pattern: PlainObject): PlainObject[] {
  const out = [pattern];
  const or = own(pattern, '$or');
  if (Array.isArray(or)) for (const alt of or) if (isPlainObject(alt)) out.push(...topLevels(alt));
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array ${truncate(JSON.stringify(value))}`;
  if (isPlainObject(value)) return `an object ${truncate(JSON.stringify(value))}`;
  return JSON.stringify(value) ?? String(value);
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function at(path: string): string {
  return path === '' ? '(pattern)' : path;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function unsupportedInEsm(ctx: ValidationContext, path: string, what: string): boolean {
  if (ctx.dialect !== 'esm') return false;
  ctx.problems.push(
    `${at(path)}: ${what} is not supported by Lambda event filtering (event source mappings); use null, "", ` +
      `exact values, prefix, suffix, equals-ignore-case, anything-but (a value or list), numeric or exists`,
  );
  return true;
}

function validateObject(pattern: PlainObject, path: string, ctx: ValidationContext): void {
  const keys = Object.keys(pattern);
  if (keys.length === 0) {
    ctx.problems.push(`${at(path)}: empty object; name at least one field to match`);
    return;
  }
  for (const key of keys) {
    const value = pattern[key];
    const here = join(path, key);
    if (key === '$or') {
      validateOr(value, here, ctx);
    } else if (Array.isArray(value)) {
      validateLeaf(value, here, ctx);
    } else if (isPlainObject(value)) {
      validateObject(value, here, ctx);
    } else {
      ctx.problems.push(
        `${here}: a leaf must be an array of values, e.g. [${JSON.stringify(value) ?? 'value'}], got ${describe(value)}`,
      );
    }
  }
}

function validateOr(value: unknown, path: string, ctx: ValidationContext): void {
  if (unsupportedInEsm(ctx, path, '"$or"')) return;
  if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
    ctx.problems.push(`${path}: "$or" takes an array of at least two sub-patterns (objects), got ${describe(value)}`);
    return;
  }
  value.forEach((alt, i) => validateObject(alt as PlainObject, `${path}[${i}]`, ctx));
}

function validateLeaf(values: unknown[], path: string, ctx: ValidationContext): void {
  if (values.length === 0) {
    ctx.problems.push(`${path}: empty array matches nothing; for a null value write [null]`);
    return;
  }
  values.forEach((value, i) => {
    const here = `${path}[${i}]`;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) ctx.problems.push(`${here}: ${String(value)} is not a JSON number`);
      return;
    }
    if (Array.isArray(value)) {
      ctx.problems.push(`${here}: arrays are not allowed inside a value list`);
      return;
    }
    if (isPlainObject(value)) {
      validateOperator(value, here, ctx);
      return;
    }
    ctx.problems.push(`${here}: ${describe(value)} is not a JSON value`);
  });
}

function validateOperator(rule: PlainObject, path: string, ctx: ValidationContext): void {
  const keys = Object.keys(rule);
  if (keys.length !== 1) {
    ctx.problems.push(
      `${path}: an operator object has exactly one key (${[...OPERATORS].join(', ')}), got ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'none'}`,
    );
    return;
  }
  const [op] = keys;
  const arg = rule[op];
  if (!OPERATORS.has(op)) {
    ctx.problems.push(`${path}: unknown operator "${op}"; known: ${[...OPERATORS].join(', ')}`);
    return;
  }
  if (ctx.dialect === 'esm' && !ESM_OPERATORS.has(op)) {
    unsupportedInEsm(ctx, path, `"${op}"`);
    return;
  }
  const here = `${path}.${op}`;
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof arg === 'string') return;
      if (isPlainObject(arg) && Object.keys(arg).length === 1 && 'equals-ignore-case' in arg) {
        if (unsupportedInEsm(ctx, here, `"${op}" with "equals-ignore-case"`)) return;
        if (typeof arg['equals-ignore-case'] !== 'string') {
          ctx.problems.push(`${here}.equals-ignore-case: must be a string, got ${describe(arg['equals-ignore-case'])}`);
        }
        return;
      }
      ctx.problems.push(`${here}: must be a string or {"equals-ignore-case": string}, got ${describe(arg)}`);
      return;
    case 'equals-ignore-case':
      if (typeof arg !== 'string') ctx.problems.push(`${here}: must be a string, got ${describe(arg)}`);
      return;
    case 'wildcard':
      validateWildcard(arg, here, ctx);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') ctx.problems.push(`${here}: must be true or false, got ${describe(arg)}`);
      return;
    case 'cidr':
      if (typeof arg !== 'string' || !parseCidr(arg)) {
        ctx.problems.push(`${here}: must be an IPv4 or IPv6 CIDR block such as "10.0.0.0/24", got ${describe(arg)}`);
      }
      return;
    case 'numeric':
      validateNumeric(arg, here, ctx);
      return;
    case 'anything-but':
      validateAnythingBut(arg, here, ctx);
      return;
  }
}

function validateWildcard(arg: unknown, path: string, ctx: ValidationContext): void {
  if (typeof arg !== 'string') {
    ctx.problems.push(`${path}: must be a string, got ${describe(arg)}`);
    return;
  }
  // event-ruler: no consecutive wildcards; a backslash may only escape `*` or `\`.
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (c === '\\') {
      const next = arg[i + 1];
      if (next !== '*' && next !== '\\') {
        ctx.problems.push(`${path}: a backslash may only escape "*" or "\\" (at character ${i + 1} of ${JSON.stringify(arg)})`);
        return;
      }
      i++;
    } else if (c === '*' && arg[i + 1] === '*') {
      ctx.problems.push(`${path}: consecutive wildcard characters are not allowed (${JSON.stringify(arg)})`);
      return;
    }
  }
}

const LOWER_OPS = new Set(['>', '>=']);
const UPPER_OPS = new Set(['<', '<=']);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

function validateNumeric(arg: unknown, path: string, ctx: ValidationContext): void {
  const problem = (text: string): void => {
    ctx.problems.push(`${path}: ${text}`);
  };
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) {
    problem(`must be [op, number] or [">"|">=", low, "<"|"<=", high], got ${describe(arg)}`);
    return;
  }
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const operand = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) {
      problem(`unknown comparison ${describe(op)}; use =, <, <=, > or >=`);
      return;
    }
    if (typeof operand !== 'number' || !Number.isFinite(operand)) {
      problem(`operand after "${op}" must be a number, got ${describe(operand)}`);
      return;
    }
    if (Math.abs(operand) > NUMERIC_LIMIT) {
      problem(`${operand} is outside the numeric range AWS matches (-5e9 to 5e9)`);
      return;
    }
  }
  if (arg.length === 4) {
    const [lowOp, low, highOp, high] = arg as [string, number, string, number];
    if (!LOWER_OPS.has(lowOp) || !UPPER_OPS.has(highOp)) {
      problem(`a range is [">" or ">=", low, "<" or "<=", high], got ["${lowOp}", …, "${highOp}", …]`);
      return;
    }
    if (!(low < high)) problem(`range is empty: low ${low} is not below high ${high}`);
  }
}

function validateAnythingBut(arg: unknown, path: string, ctx: ValidationContext): void {
  if (typeof arg === 'string') return;
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg)) ctx.problems.push(`${path}: ${String(arg)} is not a JSON number`);
    return;
  }
  if (Array.isArray(arg)) {
    const allStrings = arg.every((v) => typeof v === 'string');
    const allNumbers = arg.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (arg.length === 0 || !(allStrings || allNumbers)) {
      ctx.problems.push(`${path}: a list must be non-empty and hold only strings or only numbers, got ${describe(arg)}`);
    }
    return;
  }
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    const known = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];
    if (keys.length !== 1 || !known.includes(keys[0])) {
      ctx.problems.push(`${path}: takes a value, a list, or one of {${known.join('|')}: ...}, got ${describe(arg)}`);
      return;
    }
    const [op] = keys;
    if (unsupportedInEsm(ctx, path, `"anything-but" with "${op}"`)) return;
    const inner = arg[op];
    const here = `${path}.${op}`;
    if (op === 'prefix' || op === 'suffix') {
      if (typeof inner !== 'string') ctx.problems.push(`${here}: must be a string, got ${describe(inner)}`);
      return;
    }
    const list = Array.isArray(inner) ? inner : [inner];
    if (list.length === 0 || !list.every((s) => typeof s === 'string')) {
      ctx.problems.push(`${here}: must be a string or a non-empty list of strings, got ${describe(inner)}`);
      return;
    }
    if (op === 'wildcard') list.forEach((s, i) => validateWildcard(s, Array.isArray(inner) ? `${here}[${i}]` : here, ctx));
    return;
  }
  ctx.problems.push(`${path}: takes a string, a number, a list of either, or an object such as {"prefix": "x"}, got ${describe(arg)}`);
}
