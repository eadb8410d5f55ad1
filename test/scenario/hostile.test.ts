import { describe, expect, it } from 'vitest';
import { checkRunOverrides, formatValidationError, validateScenario } from '../../src/scenario/validate.js';

/** Hostile and broken input (issue 16, items 3-5): one clear line per problem, never a crash or a drop. */
function lines(input: unknown): string[] {
  return validateScenario(input, 'x.ts').errors.map(formatValidationError);
}

describe('names', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty', 'valueOf'])('refuses a resource named %s clearly', (name) => {
    const out = lines({ name: 'x', functions: { f: { onFailure: name } }, queues: { [name]: {} } });
    expect(out.some((l) => l.startsWith(`x.ts: queues.${name}: '${name}' is a name JavaScript objects already use`))).toBe(true);
    // The reference to it is refused too (it is not declared), not read from Object.prototype.
    expect(out.some((l) => l.startsWith(`x.ts: functions.f.onFailure: '${name}' is not a queue`))).toBe(true);
  });

  it("refuses a function named __proto__, as an own key or as a literal's prototype", () => {
    const own = lines(JSON.parse('{"name":"x","functions":{"f":{},"__proto__":{}}}'));
    expect(own).toEqual([expect.stringContaining("x.ts: functions.__proto__: '__proto__' is a name JavaScript objects already use")]);
    // eslint-disable-next-line no-proto
    const literal = lines({ name: 'x', functions: { f: {}, __proto__: { g: {} } } });
    expect(literal).toEqual([expect.stringMatching(/^x\.ts: functions: .* a key '__proto__' sets its prototype/)]);
  });

  it("builds the Model's name-keyed maps without a prototype, so an undeclared name finds nothing", () => {
    const { model } = validateScenario({ name: 'x', functions: { f: { versions: { 1: {} }, aliases: { live: { version: '1' } } } }, queues: { q: {} }, streams: { s: {} }, tables: { t: { partitionKey: 'id' } }, topics: { n: {} }, buckets: { b: {} } }, 'x.ts');
    expect(model).toBeDefined();
    const m = model!;
    for (const map of [m.functions, m.queues, m.streams, m.tables, m.topics, m.buses, m.buckets, m.resources, m.functions.f.versions, m.functions.f.aliases]) {
      expect(Object.getPrototypeOf(map)).toBeNull();
      expect((map as Record<string, unknown>).toString).toBeUndefined();
    }
  });

  it('refuses names with control characters, and shows them escaped on one line', () => {
    const out = lines({ name: 'x', functions: { 'a\x1b[31mred': {}, 'two\nlines': {} } });
    expect(out).toHaveLength(2);
    for (const l of out) {
      expect(l).toMatch(/holds control characters/);
      expect(l).not.toMatch(/[\x00-\x1f]/);
    }
  });

  it('cuts a huge name in the message', () => {
    const out = lines({ name: 'x', functions: { ['n'.repeat(1_000_000)]: {} } });
    expect(out).toHaveLength(1);
    expect(out[0].length).toBeLessThan(300);
  });
});

describe('values', () => {
  it('refuses Date, Promise, Error and Map objects where a map or spec belongs', () => {
    const out = lines({ name: 'x', functions: new Date(0), queues: Promise.resolve(), faults: [{ function: 'f', kind: 'error', match: new Error('m') }] });
    expect(out.find((l) => l.startsWith('x.ts: functions:'))).toMatch(/is a Date, not a plain object/);
    expect(out.find((l) => l.startsWith('x.ts: queues:'))).toMatch(/is a Promise, not a plain object/);
    expect(out.find((l) => l.startsWith('x.ts: faults[0].match:'))).toMatch(/is a Error, not a plain object/);
  });

  it('turns a throwing getter, a throwing Proxy and an Error whose message throws into one line', () => {
    const getter = { name: 'x', get functions(): never { throw new Error('boom'); } };
    expect(lines(getter)).toEqual(['x.ts: could not be read: boom']);
    const proxy = new Proxy({}, { ownKeys() { throw new TypeError('no keys'); }, get() { throw new TypeError('no'); } });
    expect(lines(proxy)[0]).toMatch(/^x\.ts: /);
    const nasty = { name: 'x', get functions(): never {
      const e = new Error('x');
      Object.defineProperty(e, 'message', { get() { throw new Error('again'); } });
      throw e;
    } };
    expect(lines(nasty)).toEqual(['x.ts: could not be read: a value whose getter or message throws']);
  });

  it('turns a cyclic or very deep pattern into one line', () => {
    const cyclic: Record<string, unknown> = { source: ['a'] };
    cyclic.detail = cyclic;
    let deep: Record<string, unknown> = { leaf: ['a'] };
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    for (const pattern of [cyclic, deep]) {
      const out = lines({ name: 'x', functions: { f: {} }, buses: { b: { rules: [{ name: 'r', eventPattern: pattern, targets: ['f'] }] } } });
      expect(out.length).toBeGreaterThan(0);
      for (const l of out) expect(l.length).toBeLessThan(400);
    }
  });

  it('refuses patterns longer than AWS accepts, deep, cyclic or holding a BigInt, each in one line saying so', () => {
    let deep: Record<string, unknown> = { leaf: ['a'] };
    for (let i = 0; i < 2_000; i++) deep = { d: deep };
    const cyclic: Record<string, unknown> = { source: ['a'] };
    cyclic.detail = cyclic;
    const rule = (eventPattern: unknown) => ({ name: 'x', functions: { f: {} }, buses: { b: { rules: [{ name: 'r', eventPattern, targets: ['f'] }] } } });
    expect(lines(rule(deep))).toEqual([expect.stringMatching(/^x\.ts: buses\.b\.rules\[0\]\.eventPattern: .* is 12014 characters of JSON; allowed at most 4096$/)]);
    expect(lines(rule(cyclic))).toEqual([expect.stringMatching(/eventPattern: .* refers to itself \(a cyclic value\)/)]);
    expect(lines(rule({ detail: { n: [10n] } }))).toEqual([expect.stringMatching(/eventPattern: .* holds a BigInt/)]);
    const filter = { name: 'x', functions: { f: {} }, queues: { q: {} }, eventSourceMappings: [{ source: 'q', function: 'f', filters: [{ body: { a: ['x'.repeat(5_000)] } }] }] };
    expect(lines(filter)).toEqual([expect.stringMatching(/^x\.ts: eventSourceMappings\[0\]\.filters\[0\]: .* is 5019 characters of JSON; allowed at most 4096$/)]);
  });

  it('shows a Proxy whose every trap throws as an unreadable object, in one line', () => {
    const proxy = new Proxy({}, { get() { throw new Error('no'); }, ownKeys() { throw new Error('no'); }, getPrototypeOf() { return Object.prototype; } });
    const out = lines({ name: 'x', functions: { f: {} }, eventSourceMappings: [{ source: 'f', function: 'f', batchSize: proxy }] });
    expect(out.length).toBeGreaterThan(0);
    expect(out.join('\n')).not.toMatch(/\n.*at /);
  });

  it('names ten unknown fields, then counts the rest in one line: 50,000 of them validate in well under a second', () => {
    const f: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) f[`bad${i}`] = i;
    const t = performance.now();
    const out = lines({ name: 'x', functions: { f } });
    expect(performance.now() - t).toBeLessThan(1_000);
    expect(out).toHaveLength(10);
    expect(out[0]).toMatch(/^x\.ts: functions\.f\.bad0: 0 is not a known function field/);
    expect(out[9]).toMatch(/^x\.ts: functions\.f: holds 49991 more unknown function fields \('bad9', 'bad10', 'bad11', …\); valid: handler, /);
  });

  it("accepts the string '0' where a duration of 0 is allowed", () => {
    expect(lines({ name: 'x', functions: { f: {} }, queues: { q: { deliveryDelay: '0', visibilityTimeout: '0' } } })).toEqual([]);
  });

  it('validates 8,000 bad pattern keys well under a second', () => {
    const pattern: Record<string, unknown> = {};
    for (let i = 0; i < 8_000; i++) pattern[`k${i}`] = 'not-an-array';
    const t = performance.now();
    const { errors } = validateScenario({ name: 'x', functions: { f: {} }, buses: { b: { rules: [{ name: 'r', eventPattern: pattern, targets: ['f'] }] } } }, 'x.ts');
    errors.slice(0, 50).map(formatValidationError);
    expect(errors.length).toBeGreaterThan(0);
    expect(performance.now() - t).toBeLessThan(1_000);
  });
});

describe('command-line overrides meet the scenario rules', () => {
  it.each([
    [{ duration: '400d' }, "--duration: '400d' is out of range; allowed 1ms..30d"],
    [{ seed: -1 }, '--seed: -1 is out of range; allowed 0..2^53-1'],
    [{ seed: 1e20 }, '--seed: 100000000000000000000 is out of range; allowed 0..2^53-1'],
    [{ seed: Number.NaN }, '--seed: NaN is not a finite number; allowed 0..2^53-1'],
    [{ tick: '2m' }, "--tick: '2m' is out of range; allowed 1ms..1m"],
  ])('refuses %o', (options, line) => {
    expect(checkRunOverrides(options).lines).toEqual([line]);
  });

  it('returns the values in milliseconds when they are valid', () => {
    expect(checkRunOverrides({ seed: 7, tick: '50ms', duration: '2m' })).toEqual({ seed: 7, tickMs: 50, durationMs: 120_000, lines: [] });
  });
});
