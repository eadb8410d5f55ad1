/**
 * `--set 'path=v1,v2'`: a scenario field by its own name (`eventSourceMappings[0].batchSize`,
 * `functions.processor.memorySize`) and the values to give it (docs/sweep.md). A value is read as JSON when
 * it parses (`10`, `true`, `{"p50":"50ms","p99":"1s"}`), else as a string (`30s`, `arm64`).
 */
import { ScenarioError } from '../scenario/load.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface SetSpec {
  /** The path as written. */
  path: string;
  values: JsonValue[];
}

/** A usage error in a `--set` argument (exit 2). */
export class SetUsageError extends Error {}

/**
 * Parses one `--set` argument.
 *
 * @example parseSet('eventSourceMappings[0].batchSize=1,10,100') // { path: 'eventSourceMappings[0].batchSize', values: [1, 10, 100] }
 */
export function parseSet(arg: string): SetSpec {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new SetUsageError(`--set: '${arg}' is not path=value[,value...] (e.g. 'functions.processor.memorySize=128,512')`);
  const path = arg.slice(0, eq).trim();
  pathSegments(path);
  const values = splitTopLevel(arg.slice(eq + 1)).map(parseValue);
  if (values.length === 0) throw new SetUsageError(`--set: '${arg}' gives no value`);
  return { path, values };
}

/** A value: JSON when it parses, else the string as written. */
export function parseValue(text: string): JsonValue {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return trimmed;
  }
}

/** Splits at commas outside brackets, braces and double quotes, so JSON values may hold commas. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.filter((v) => v.trim() !== '');
}

type Segment = string | number;

/** `a.b[0].c` as ['a', 'b', 0, 'c']. */
export function pathSegments(path: string): Segment[] {
  if (!/^[^.[\]]+(\[\d+\]|\.[^.[\]]+)*$/.test(path)) {
    throw new SetUsageError(`--set: '${path}' is not a field path (e.g. functions.processor.memorySize, eventSourceMappings[0].batchSize)`);
  }
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/**
 * A copy of `scenario` with `path` set to `value`, sharing everything off the path (handlers stay the
 * same functions). Every step but the last must exist; the last may be a field the scenario leaves at
 * its default, and validation then checks it like any other. A missing step is one line, as validation
 * reports: the file, the path, and what is there.
 *
 * @example applySet(scenario, 'scenarios/x.ts', 'functions.processor.memorySize', 512)
 */
export function applySet(scenario: object, file: string, path: string, value: JsonValue): object {
  const segments = pathSegments(path);
  const root: unknown = scenario;
  const walk = (node: unknown, i: number, at: string): unknown => {
    const key = segments[i];
    const here = typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key;
    if (typeof key === 'number') {
      if (!Array.isArray(node)) throw missing(file, here, at, node);
      if (key >= node.length) throw new ScenarioError(file, [`${file}: ${here}: does not exist (--set '${path}'); ${at || 'it'} has ${node.length} entries, allowed [0..${node.length - 1}]`]);
    } else if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw missing(file, here, at, node);
    }
    const container = node as Record<string | number, unknown>;
    if (i === segments.length - 1) {
      const copy = Array.isArray(container) ? [...container] : { ...container };
      (copy as Record<string | number, unknown>)[key] = value;
      return copy;
    }
    if (!(key in container) || container[key] === undefined) {
      const keys = Object.keys(container);
      throw new ScenarioError(file, [`${file}: ${here}: does not exist (--set '${path}'); ${keys.length ? `valid: ${keys.join(', ')}` : `${at || 'the scenario'} is empty`}`]);
    }
    const copy = Array.isArray(container) ? [...container] : { ...container };
    (copy as Record<string | number, unknown>)[key] = walk(container[key], i + 1, here);
    return copy;
  };
  return walk(root, 0, '') as object;
}

function missing(file: string, here: string, at: string, node: unknown): ScenarioError {
  const what = Array.isArray(node) ? 'a list' : node === null ? 'null' : typeof node;
  return new ScenarioError(file, [`${file}: ${here}: does not exist (${at || 'the scenario'} is ${what})`]);
}

/** Applies every (path, value) pair in order. */
export function applySets(scenario: object, file: string, sets: ReadonlyArray<{ path: string; value: JsonValue }>): object {
  return sets.reduce((s, { path, value }) => applySet(s, file, path, value), scenario);
}
