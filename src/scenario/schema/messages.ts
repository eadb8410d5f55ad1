/**
 * The words of the scenario contract's errors: one line per problem, naming the file, the field path, the
 * value (cut to a readable length, control characters masked) and what is allowed, with "did you mean"
 * for a mistyped field. Both the schemas (schema/primitives.ts) and the hand-written checks of
 * validate.ts write their messages with these helpers, so every line reads the same way.
 */

export type Obj = Record<string, unknown>;

/** One problem in a scenario: where it is, what was given and what is wrong with it. */
export interface ValidationError {
  file: string;
  /** Field path inside the scenario, e.g. `functions.processor.timeout` or `eventSourceMappings[0].source`. */
  path: string;
  /** The value found there (undefined when the field is missing). */
  value: unknown;
  /** What is wrong, with the allowed range or the valid names. */
  message: string;
}

/**
 * Formats an error as one line: `<file>: <path>: <value> <message>`.
 *
 * @example
 * formatValidationError({ file: 'scenarios/x.ts', path: 'functions.processor.timeout', value: '20m',
 *   message: 'is out of range; allowed 1s..15m' })
 * // "scenarios/x.ts: functions.processor.timeout: '20m' is out of range; allowed 1s..15m"
 */
export function formatValidationError(e: ValidationError): string {
  const where = e.path ? `${e.file}: ${e.path}:` : `${e.file}:`;
  // A missing field has no value to show; the message starts with "is missing".
  const value = e.value === undefined ? '' : ` ${showValue(e.value)}`;
  return `${where}${value} ${e.message}`;
}

/**
 * Shows a value compactly on one line: strings in single quotes, objects as short JSON, functions as
 * `[function]`; anything longer than 60 characters is cut with an ellipsis.
 *
 * @example showValue('20m') // "'20m'"
 */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = `'${value}'`;
  else if (typeof value === 'function') text = '[function]';
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else if (value === null) text = 'null';
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'symbol') text = value.toString();
  else {
    try {
      // Only the start is shown, so stop reading after a few hundred values: a huge pattern costs no more.
      let budget = 200;
      text =
        JSON.stringify(value, (_key, v: unknown) => {
          if (--budget < 0) return undefined;
          if (typeof v === 'bigint') return `${v}n`;
          return typeof v === 'function' ? '[function]' : v;
        }) ?? String(value);
    } catch {
      // Object.prototype.toString reads Symbol.toStringTag: a Proxy whose traps throw fails there too.
      try {
        text = Object.prototype.toString.call(value);
      } catch {
        text = '[an unreadable object]';
      }
    }
  }
  text = text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * A map keyed by resource names, with no prototype: a lookup of a name that is not declared (toString,
 * constructor, ...) finds nothing, never a member of Object.prototype. Every name-keyed map of the Model
 * is one (issue 16, item 3).
 *
 * @example nameMap<number>().toString // undefined
 */
export function nameMap<T>(entries?: Record<string, T>): Record<string, T> {
  const map = Object.create(null) as Record<string, T>;
  if (entries) for (const key of Object.keys(entries)) map[key] = entries[key];
  return map;
}

/**
 * A plain object: made by a literal (or Object.create(null)). Dates, Promises, Errors, Maps and class
 * instances are objects too, but never a scenario map or spec: refused rather than read field by field.
 */
export function isObject(value: unknown): value is Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why a value is not a plain object: "is not an object", or what kind of object it is instead. */
export function notPlain(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch {
    return 'is not a readable object';
  }
  // `{ __proto__: {...} }` in a literal sets the prototype instead of adding a key named __proto__.
  if (isObject(proto) && !Object.hasOwn(proto, 'constructor')) return "is not an object map: a key '__proto__' sets its prototype instead of naming an entry; choose another name";
  const name = typeof proto === 'object' && proto !== null && typeof (proto as { constructor?: unknown }).constructor === 'function'
    ? String((proto as { constructor: { name?: unknown } }).constructor.name || 'object')
    : 'object';
  return `is a ${name.slice(0, 40)}, not a plain object`;
}

/** Names longer than this are cut in field paths, so a huge name cannot make a huge error line. */
export const MAX_PATH_NAME = 60;

/** `functions.processor`, or `functions['my fn']` when the name is not a plain identifier. */
export function child(base: string, name: string): string {
  const shown = name.length > MAX_PATH_NAME ? `${name.slice(0, MAX_PATH_NAME - 1)}…` : name;
  // Control characters (ANSI escapes, newlines) are shown escaped: an error stays one line and never
  // drives the terminal.
  const safe = shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const key = /^[A-Za-z0-9_$-]+$/.test(safe) ? `.${safe}` : `['${safe}']`;
  return base ? `${base}${key}` : key.replace(/^\./, '');
}

export function item(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** "a queue, stream or table" */
export function kindList(kinds: readonly string[]): string {
  if (kinds.length === 1) return `a ${kinds[0]}`;
  return `a ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
}

export function nameList(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 20).join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} in all)` : shown;
}

/**
 * The closest valid key to a typo, when it is close: same letters in another case, the same start
 * (`shards` for `shardCount`), or 1..2 edits away.
 */
export function suggest(key: string, valid: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = valid.find((v) => v.toLowerCase() === lower);
  if (same) return same;
  const start = valid.find((v) => commonPrefix(lower, v.toLowerCase()) >= Math.max(4, lower.length - 1));
  if (start) return start;
  let best: string | undefined;
  let bestDistance = 3;
  for (const v of valid) {
    const d = editDistance(lower, v.toLowerCase());
    if (d < bestDistance) {
      best = v;
      bestDistance = d;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Unknown fields of one object named one line each; past that, one line counts them. */
export const MAX_UNKNOWN_KEYS = 10;

/**
 * Unknown keys are errors: they are almost always typos (`batchsize`) that would silently do nothing. A
 * few lines name their field with a suggestion; past that, one line counts the rest, so 50,000 bad keys
 * cost one pass over the keys, not 50,000 suggestions and lines.
 */
export function unknownKeyProblems(obj: Obj, valid: readonly string[], what: string): Array<{ key?: string; value: unknown; message: string }> {
  const problems: Array<{ key?: string; value: unknown; message: string }> = [];
  const unknown = Object.keys(obj).filter((key) => !valid.includes(key));
  const named = unknown.length > MAX_UNKNOWN_KEYS ? unknown.slice(0, MAX_UNKNOWN_KEYS - 1) : unknown;
  for (const key of named) {
    const hint = suggest(key, valid);
    problems.push({ key, value: obj[key], message: `is not a known ${what} field${hint ? ` (did you mean ${hint}?)` : ''}; valid: ${valid.join(', ')}` });
  }
  if (named.length < unknown.length) {
    const rest = unknown.slice(named.length);
    const shown = rest.slice(0, 3).map((k) => showValue(k)).join(', ');
    problems.push({ value: undefined, message: `holds ${rest.length} more unknown ${what} fields (${shown}${rest.length > 3 ? ', …' : ''}); valid: ${valid.join(', ')}` });
  }
  return problems;
}
