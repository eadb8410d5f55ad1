/**
 * An example event that an EventBridge pattern matches, for the traffic entry of an imported rule: without
 * one, default traffic would match no rule and the rule's targets would never run.
 */
import { matchesPattern } from '../lang/patterns.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function numericExample(conditions: unknown[]): number {
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i + 1 < conditions.length; i += 2) pairs.push([String(conditions[i]), Number(conditions[i + 1])]);
  const ok = (n: number) =>
    pairs.every(([op, v]) => (op === '>' ? n > v : op === '>=' ? n >= v : op === '<' ? n < v : op === '<=' ? n <= v : op === '=' ? n === v : true));
  const candidates: number[] = [];
  for (const [op, v] of pairs) candidates.push(op === '>' ? v + 1 : op === '<' ? v - 1 : v);
  const lows = pairs.filter(([op]) => op.startsWith('>')).map(([, v]) => v);
  const highs = pairs.filter(([op]) => op.startsWith('<')).map(([, v]) => v);
  if (lows.length > 0 && highs.length > 0) candidates.push((Math.max(...lows) + Math.min(...highs)) / 2);
  return candidates.find(ok) ?? candidates[0] ?? 0;
}

/** A value one element of a pattern's array matches, or `undefined` to leave the field out (`exists: false`). */
function valueFor(options: unknown[]): { value?: unknown; omit?: boolean } {
  for (const option of options) {
    if (!isObject(option)) return { value: option };
    if ('prefix' in option) return { value: `${String(isObject(option.prefix) ? option.prefix['equals-ignore-case'] : option.prefix)}example` };
    if ('suffix' in option) return { value: `example${String(isObject(option.suffix) ? option.suffix['equals-ignore-case'] : option.suffix)}` };
    if ('equals-ignore-case' in option) return { value: option['equals-ignore-case'] };
    if ('wildcard' in option) return { value: String(option.wildcard).replace(/\*/g, 'x') };
    if ('numeric' in option && Array.isArray(option.numeric)) return { value: numericExample(option.numeric) };
    if ('exists' in option) return option.exists === false ? { omit: true } : { value: 'example' };
    if ('cidr' in option) return { value: String(option.cidr).split('/')[0] };
    if ('anything-but' in option) {
      const but = option['anything-but'];
      const excluded = Array.isArray(but) ? but : [but];
      return { value: excluded.every((v) => typeof v === 'number') ? Math.max(0, ...(excluded as number[])) + 1 : 'something-else' };
    }
  }
  return { value: 'example' };
}

function fill(pattern: Json): Json {
  const out: Json = {};
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(spec) && isObject(spec[0])) {
      Object.assign(out, fill(spec[0]));
    } else if (Array.isArray(spec)) {
      const { value, omit } = valueFor(spec);
      if (!omit) out[key] = value;
    } else if (isObject(spec)) {
      out[key] = fill(spec);
    }
  }
  return out;
}

/**
 * Values an SNS filter policy accepts, one per attribute name (or body field): for the traffic entry of an
 * imported topic whose subscription filters, so that the filtered subscriber gets messages.
 *
 * @example examplePolicyValues({ store: ['example_corp'], price_usd: [{ numeric: ['>=', 100] }] })
 * // { store: 'example_corp', price_usd: 100 }
 */
export function examplePolicyValues(policy: Json): Json {
  return fill(policy);
}

/**
 * An event an EventBridge pattern matches: the first value each field allows, with `source` and
 * `detail-type` filled in where the pattern does not name them, so traffic puts it as a full PutEvents entry.
 *
 * @example
 * examplePayload({ source: ['shop.orders'], detail: { total: [{ numeric: ['>=', 100] }] } })
 * // { source: 'shop.orders', 'detail-type': 'Traffic Event', detail: { total: 100 } }
 */
export function examplePayload(pattern: Json): Json {
  const event = fill(pattern);
  const out: Json = {
    source: typeof event.source === 'string' ? event.source : 'lambda-tui.traffic',
    'detail-type': typeof event['detail-type'] === 'string' ? event['detail-type'] : 'Traffic Event',
    detail: isObject(event.detail) ? event.detail : {},
  };
  for (const [key, value] of Object.entries(event)) if (!(key in out)) out[key] = value;
  return out;
}

/** Whether the example matches the pattern the way the engine will match it (on the full event). */
export function exampleMatches(pattern: Json, body: Json): boolean {
  return matchesPattern(pattern, { version: '0', id: 'example', account: '123456789012', region: 'us-east-1', time: '2025-01-01T00:00:00Z', resources: [], ...body });
}

/** A DynamoDB attribute value ({ S: 'x' }, { N: '5' }, { BOOL: true }, { M: {...} }) as the plain value. */
function unmarshal(value: unknown): unknown {
  if (!isObject(value)) return value;
  const [type, v] = Object.entries(value)[0] ?? [];
  if (type === 'S' || type === 'BOOL') return v;
  if (type === 'N') return Number(v);
  if (type === 'NULL') return null;
  if (type === 'M' && isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmarshal(x)]));
  if (type === 'L' && Array.isArray(v)) return v.map(unmarshal);
  return v;
}

/**
 * A traffic body that an event source mapping's first filter lets through, for the traffic entry of its
 * source: without one, default traffic is filtered out and the function never runs. SQS filters on
 * `body` (an object pattern: a JSON body; a value list: that string), Kinesis on `data` (JSON), DynamoDB on
 * `dynamodb.NewImage` (the item, unmarshalled). `undefined` when the filter says nothing about the data.
 *
 * @example exampleRecordBody({ body: { type: ['order'], total: [{ numeric: ['>', 100] }] } }, 'queue')
 * // { type: 'order', total: 101 }
 */
export function exampleRecordBody(pattern: Json, kind: 'queue' | 'stream' | 'table'): unknown {
  const top = pattern;
  if (kind === 'queue') {
    const body = top.body;
    if (Array.isArray(body)) return valueFor(body).value;
    return isObject(body) ? fill(body) : undefined;
  }
  if (kind === 'stream') return isObject(top.data) ? fill(top.data) : undefined;
  const image = isObject(top.dynamodb) && isObject(top.dynamodb.NewImage) ? fill(top.dynamodb.NewImage) : undefined;
  return image ? unmarshal({ M: image }) : undefined;
}
