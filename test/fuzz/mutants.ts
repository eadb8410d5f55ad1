/**
 * The scenario fuzz of issue 16: a seeded generator of mutated scenarios, one kind per finding class of
 * the reliability audit (hostile names, hostile values, cost of validation, broken references), and the
 * judge that puts every outcome in one class. Used by test/fuzz/fuzz.test.ts (a few hundred mutants in
 * `npm test`, 10,000 with `npm run fuzz`).
 *
 * A mutant is judged in-process, through the loader's own validation (validateExport) and the engine,
 * with a hard limit: the run is capped at 60 simulated seconds (5 in the npm test slice) and 5 wall seconds.
 */
import { performance } from 'node:perf_hooks';
import { createSimulation } from '../../src/engine/simulation.js';
import { summarize } from '../../src/output/summary.js';
import { ScenarioError, VALIDATION_FAILED, validateExport } from '../../src/scenario/load.js';

/** A small seeded generator (mulberry32): the same seed, the same mutant. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

type Obj = Record<string, any>;

/** Valid base scenarios, one per invocation model, short enough to run in milliseconds. */
export function bases(): Obj[] {
  return [
    {
      name: 'sync',
      duration: '20s',
      functions: { checkout: { duration: { p50: '100ms', p99: '300ms' }, reservedConcurrentExecutions: 3 } },
      traffic: [{ invoke: 'checkout', type: 'RequestResponse', rate: 10 }],
      faults: [{ function: 'checkout', kind: 'error', match: { index: [3] } }],
    },
    {
      name: 'async',
      duration: '20s',
      functions: { charge: { retryAttempts: 1, onFailure: 'alerts', deadLetterQueue: 'dlq' }, alerts: {} },
      queues: { dlq: {} },
      traffic: [{ invoke: 'charge', type: 'Event', rate: 2, count: 5 }],
      faults: [{ function: 'charge', kind: 'error' }],
    },
    {
      name: 'sqs',
      duration: '20s',
      functions: { worker: { timeout: '5s' } },
      queues: { jobs: { visibilityTimeout: '10s', deadLetterQueue: { queue: 'jobs-dlq', maxReceiveCount: 2 } }, 'jobs-dlq': {} },
      eventSourceMappings: [{ source: 'jobs', function: 'worker', batchSize: 5, reportBatchItemFailures: true }],
      traffic: [{ to: 'jobs', rate: 5, count: 30 }],
      faults: [{ function: 'worker', kind: 'partial', match: { index: 2 } }],
    },
    {
      name: 'kinesis',
      duration: '20s',
      functions: { processor: {} },
      streams: { orders: { shardCount: 2 } },
      queues: { failed: {} },
      eventSourceMappings: [
        { source: 'orders', function: 'processor', batchSize: 10, bisectBatchOnError: true, retryAttempts: 2, onFailure: 'failed', filters: [{ data: { n: [{ numeric: ['>=', 0] }] } }] },
      ],
      traffic: [{ to: 'orders', rate: 10, count: 40, partitionKeys: 4 }],
      faults: [{ function: 'processor', kind: 'error', match: { index: 7 } }],
    },
    {
      name: 'eventbridge',
      duration: '20s',
      functions: { audit: {}, billing: {} },
      topics: { news: { subscriptions: ['billing'] } },
      buses: { default: { rules: [{ name: 'all', eventPattern: { source: ['shop'] }, targets: ['audit', 'news'] }] } },
      traffic: [{ invoke: 'audit', type: 'Event', rate: 1, count: 3 }],
    },
  ];
}

/** What a mutant must become: refused (garbage), or either a clear refusal or a good run. */
export type Expectation = 'invalid' | 'any';

export interface Mutant {
  kind: string;
  /** What was done, for a report that reproduces it. */
  note: string;
  scenario: unknown;
  expect: Expectation;
}

const PROTO_NAMES = ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const CONTROL_NAMES = ['bad\x1b[31mred', 'two\nlines', 'car\rriage', 'nul\x00byte', 'bell\x07', 'esc\x1b]0;title\x07'];

/** The resource maps a scenario may hold, by field. */
const MAPS = ['functions', 'queues', 'streams', 'tables', 'topics', 'buses', 'buckets'] as const;

function clone(value: Obj): Obj {
  return structuredClone(value);
}

/** Sets an own property, even '__proto__' (an assignment would change the prototype instead). */
function own(target: Obj, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Renames a resource everywhere it is referenced (strings equal to the old name). */
function rename(scenario: Obj, from: string, to: string): Obj {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return value === from ? to : value;
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const out: Obj = {};
      for (const [k, v] of Object.entries(value)) own(out, k === from ? to : k, walk(v));
      return out;
    }
    return value;
  };
  return walk(scenario) as Obj;
}

function resourceNames(scenario: Obj): string[] {
  const names: string[] = [];
  for (const map of MAPS) if (scenario[map]) names.push(...Object.keys(scenario[map]).filter((n) => !(map === 'buses' && n === 'default')));
  return names;
}

/** Every [container, key] of the scenario's plain fields (not the name maps' keys themselves). */
function fieldSlots(scenario: Obj): Array<{ holder: Obj; key: string; path: string }> {
  const slots: Array<{ holder: Obj; key: string; path: string }> = [];
  const walk = (value: unknown, path: string): void => {
    if (!value || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      const p = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      slots.push({ holder: value as Obj, key, path: p });
      walk((value as Obj)[key], p);
    }
  };
  walk(scenario, '');
  return slots;
}

function deep(depth: number): Obj {
  let value: Obj = { n: [1] };
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

function throwingMessageError(): Error {
  const error = new Error('x');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('message getter');
    },
  });
  return error;
}

function hostileValue(rng: Rng): { value: unknown; note: string; garbage: boolean } {
  const options: Array<() => { value: unknown; note: string; garbage: boolean }> = [
    () => ({ value: Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new Error('getter'); } }), note: 'an object with a throwing getter', garbage: true }),
    () => ({ value: new Proxy({}, { ownKeys: () => { throw new Error('proxy'); }, get: () => { throw new Error('proxy'); } }), note: 'a Proxy that throws', garbage: true }),
    () => ({ value: new Proxy({ a: 1 }, {}), note: 'a transparent Proxy', garbage: false }),
    () => ({ value: throwingMessageError(), note: 'an Error whose message getter throws', garbage: true }),
    () => ({ value: new Date(0), note: 'a Date', garbage: true }),
    () => ({ value: Promise.resolve(1), note: 'a Promise', garbage: true }),
    () => ({ value: new Error('an error'), note: 'an Error', garbage: true }),
    () => ({ value: 10n, note: 'a BigInt', garbage: true }),
    () => ({ value: Symbol('s'), note: 'a Symbol', garbage: true }),
    () => ({ value: () => 1, note: 'a function', garbage: false }),
    () => ({ value: null, note: 'null', garbage: false }),
    () => ({ value: Number.NaN, note: 'NaN', garbage: true }),
    () => ({ value: Number.POSITIVE_INFINITY, note: 'Infinity', garbage: true }),
    () => ({ value: -1, note: '-1', garbage: false }),
    () => ({ value: 1e308, note: '1e308', garbage: false }),
    () => ({ value: -0, note: '-0', garbage: false }),
    () => ({ value: 0.5, note: '0.5', garbage: false }),
    () => ({ value: '0', note: "the string '0'", garbage: false }),
    () => ({ value: '', note: 'the empty string', garbage: false }),
    () => ({ value: 'x'.repeat(200_000), note: 'a 200 kB string', garbage: false }),
    () => ({ value: [], note: 'an empty array', garbage: false }),
    () => ({ value: {}, note: 'an empty object', garbage: false }),
    () => ({ value: Object.create(null), note: 'a null-prototype object', garbage: false }),
    () => ({ value: deep(5_000), note: 'an object 5,000 levels deep', garbage: false }),
    () => {
      const cyclic: Obj = { a: 1 };
      cyclic.self = cyclic;
      return { value: cyclic, note: 'a cyclic object', garbage: true };
    },
  ];
  return rng.pick(options)();
}

/** The mutation kinds: each returns a mutant built from a clone of `base`. */
/**
 * How big the costly mutants get: `full` (npm run fuzz) uses the audit's sizes (thousands of keys, hundreds
 * of functions), `light` (the slice in npm test) a tenth of them, so the slice runs in seconds. The same
 * seed gives the same mutant at the same scale.
 */
export type Scale = 'full' | 'light';

/** The mutation kinds: each returns a mutant built from a clone of `base`. */
export const KINDS: Record<string, (base: Obj, rng: Rng, scale: Scale) => Mutant> = {
  /** A resource renamed to a name the Object prototype holds, references following. */
  protoName(base, rng) {
    const names = resourceNames(base);
    const from = rng.pick(names);
    const to = rng.pick(PROTO_NAMES);
    return { kind: 'protoName', note: `resource '${from}' renamed to '${to}'`, scenario: rename(base, from, to), expect: 'any' };
  },
  /** A resource renamed to a name with control characters: must be refused. */
  controlName(base, rng) {
    const from = rng.pick(resourceNames(base));
    const to = rng.pick(CONTROL_NAMES);
    return { kind: 'controlName', note: `resource '${from}' renamed to ${JSON.stringify(to)}`, scenario: rename(base, from, to), expect: 'invalid' };
  },
  /** A resource renamed to a very long name. */
  hugeName(base, rng, scale) {
    const from = rng.pick(resourceNames(base));
    const to = 'n'.repeat((scale === 'full' ? 100_000 : 10_000) + rng.int(1000));
    return { kind: 'hugeName', note: `resource '${from}' renamed to a ${to.length}-character name`, scenario: rename(base, from, to), expect: 'any' };
  },
  /** A hostile value (throwing getter, Proxy, Date, Error, BigInt, cyclic, deep, ...) in any field. */
  hostileValue(base, rng) {
    const scenario = clone(base);
    const slot = rng.pick(fieldSlots(scenario));
    const { value, note } = hostileValue(rng);
    own(slot.holder, slot.key, value);
    return { kind: 'hostileValue', note: `${slot.path} set to ${note}`, scenario, expect: 'any' };
  },
  /** A hostile value as a whole resource map or as the scenario itself. */
  hostileMap(base, rng) {
    const scenario = clone(base);
    const { value, note, garbage } = hostileValue(rng);
    if (rng.int(5) === 0) return { kind: 'hostileMap', note: `the scenario is ${note}`, scenario: value, expect: garbage || typeof value !== 'object' || value === null ? 'invalid' : 'any' };
    const map = rng.pick(['functions', 'queues', 'faults', 'traffic', 'eventSourceMappings'] as const);
    own(scenario, map, value);
    return { kind: 'hostileMap', note: `${map} set to ${note}`, scenario, expect: garbage ? 'invalid' : 'any' };
  },
  /** An Error (it matches everything, were it read as a pattern) as a fault's match. */
  errorAsMatch(base) {
    const scenario = clone(base);
    scenario.faults = [{ function: Object.keys(scenario.functions)[0], kind: 'error', match: new Error('match me') }];
    return { kind: 'errorAsMatch', note: 'faults[0].match set to an Error', scenario, expect: 'invalid' };
  },
  /** A deep, cyclic or BigInt-holding event pattern or filter. */
  hostilePattern(base, rng, scale) {
    const scenario = clone(base);
    const choice = rng.int(3);
    let pattern: Obj;
    let note: string;
    if (choice === 0) {
      pattern = deep(scale === 'full' ? 2_000 + rng.int(20_000) : 1_000 + rng.int(2_000));
      note = 'a pattern thousands of levels deep';
    } else if (choice === 1) {
      pattern = { source: ['shop'] };
      pattern.detail = pattern;
      note = 'a cyclic pattern';
    } else {
      pattern = { detail: { n: [10n] } };
      note = 'a pattern holding a BigInt';
    }
    if (scenario.eventSourceMappings?.length) scenario.eventSourceMappings[0].filters = [pattern];
    else {
      scenario.buses = { default: { rules: [{ name: 'r', eventPattern: pattern, targets: [Object.keys(scenario.functions)[0]] }] } };
    }
    return { kind: 'hostilePattern', note, scenario, expect: 'invalid' };
  },
  /** Thousands of unknown keys, in the scenario or in a pattern (validation must stay linear). */
  manyKeys(base, rng, scale) {
    const scenario = clone(base);
    const n = scale === 'full' ? 2_000 + rng.int(48_000) : 200 + rng.int(800);
    const bag: Obj = {};
    for (let i = 0; i < n; i++) bag[`bad${i}`] = i;
    const where = rng.int(3);
    if (where === 0) Object.assign(scenario, bag);
    else if (where === 1) Object.assign(Object.values(scenario.functions)[0] as Obj, bag);
    else scenario.buses = { default: { rules: [{ name: 'r', eventPattern: { detail: bag }, targets: [Object.keys(scenario.functions)[0]] }] } };
    return { kind: 'manyKeys', note: `${n} unknown keys (${['at the top', 'in a function', 'in a pattern'][where]})`, scenario, expect: where === 2 ? 'any' : 'invalid' };
  },
  /** Many resources (valid): the run must still be accounted for. */
  manyResources(base, rng, scale) {
    const scenario = clone(base);
    const n = scale === 'full' ? 50 + rng.int(200) : 5 + rng.int(20);
    for (let i = 0; i < n; i++) scenario.functions[`extra-${i}`] = {};
    return { kind: 'manyResources', note: `${n} extra functions`, scenario, expect: 'any' };
  },
  /** A reference to a resource that does not exist. */
  unknownReference(base, rng) {
    const scenario = clone(base);
    const slots = fieldSlots(scenario).filter((s) => typeof s.holder[s.key] === 'string' && resourceNames(base).includes(s.holder[s.key]));
    if (slots.length === 0) return KINDS.removeRequired(base, rng, 'light');
    const slot = rng.pick(slots);
    slot.holder[slot.key] = `missing-${rng.int(1000)}`;
    return { kind: 'unknownReference', note: `${slot.path} refers to a missing resource`, scenario, expect: 'invalid' };
  },
  /** A required field removed. */
  removeRequired(base, rng) {
    const scenario = clone(base);
    const choice = rng.pick(['name', 'functions', 'traffic.0.rate+count', 'faults.0.function', 'eventSourceMappings.0.source']);
    if (choice === 'name') delete scenario.name;
    else if (choice === 'functions') delete scenario.functions;
    else if (choice === 'faults.0.function' && scenario.faults) delete scenario.faults[0].function;
    else if (choice === 'eventSourceMappings.0.source' && scenario.eventSourceMappings) delete scenario.eventSourceMappings[0].source;
    else return { kind: 'removeRequired', note: 'nothing removed', scenario, expect: 'any' };
    return { kind: 'removeRequired', note: `${choice} removed`, scenario, expect: 'invalid' };
  },
  /** A field's value swapped for one of another type, or a number out of any range. */
  wrongType(base, rng) {
    const scenario = clone(base);
    const slot = rng.pick(fieldSlots(scenario));
    const value = rng.pick<unknown>([42, -5, 1e12, '42', 'soon', '15x', true, [], {}, [1, 2], '-1s', '1e20', '999999d', '0x10']);
    own(slot.holder, slot.key, value);
    return { kind: 'wrongType', note: `${slot.path} set to ${JSON.stringify(value)}`, scenario, expect: 'any' };
  },
  /** Handlers that throw odd things or return odd values: outcomes to simulate, never crashes. */
  oddHandler(base, rng) {
    const scenario = clone(base);
    const fn = rng.pick(Object.keys(scenario.functions));
    const handlers: Array<[string, (...args: unknown[]) => unknown]> = [
      ['throws a string', () => { throw 'plain string'; }],
      ['throws null', () => { throw null; }],
      ['throws an Error whose message getter throws', () => { throw throwingMessageError(); }],
      ['returns a cyclic object', () => { const o: Obj = {}; o.o = o; return o; }],
      ['returns a BigInt', () => 1n],
      ['rejects with undefined', () => Promise.reject(undefined)],
      ['returns a Proxy that throws', () => new Proxy({}, { get: () => { throw new Error('proxy'); }, ownKeys: () => { throw new Error('proxy'); } })],
    ];
    const [note, handler] = rng.pick(handlers);
    scenario.functions[fn].handler = handler;
    return { kind: 'oddHandler', note: `functions.${fn}.handler ${note}`, scenario, expect: 'any' };
  },
};

/** The outcome classes: the first two are good, the rest are findings. */
export type Outcome = 'error' | 'ran' | 'crash' | 'unreadable' | 'slow' | 'hang' | 'multiline' | 'huge-line' | 'accepted-garbage' | 'accounting';

export interface Judged {
  outcome: Outcome;
  /** The first error line, or the crash, cut to 300 characters. */
  detail?: string;
}

const LINE_LIMIT = 1_000;
const VALIDATE_LIMIT_MS = 2_000;
const RUN_LIMIT_MS = 5_000;
/** A run that waits rather than computes (a handler awaiting the wall clock) is a hang past this much wall time. */
const RUN_WALL_LIMIT_MS = 60_000;

/**
 * CPU milliseconds this process has used (all its threads). The limits are judged in CPU time, not wall
 * time: on a shared machine a mutant waiting for a core is not a slow one, and wall-time limits made the
 * fuzz's findings depend on the load (55 'hangs' at load 12, none of which took 5 s of CPU).
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1_000;
}
const RUN_CAP_MS = 60_000;

function cut(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function describe(error: unknown): string {
  try {
    return cut(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  } catch {
    return 'an unprintable error';
  }
}

/**
 * Judges one mutant: validation through the loader's path, then (if valid) a run capped at `capMs`
 * simulated milliseconds (60 s; the npm test slice uses 5 s).
 */
export async function judge(mutant: Mutant, capMs = RUN_CAP_MS): Promise<Judged> {
  const started = cpuMs();
  let loaded;
  try {
    loaded = validateExport('fuzz.ts', mutant.scenario as object);
  } catch (error) {
    if (!(error instanceof ScenarioError)) return { outcome: 'crash', detail: `validation threw ${describe(error)}` };
    const spent = cpuMs() - started;
    if (spent > VALIDATE_LIMIT_MS) return { outcome: 'slow', detail: `validation took ${Math.round(spent)} ms of CPU` };
    for (const line of error.lines) {
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(line)) return { outcome: 'multiline', detail: cut(JSON.stringify(line)) };
      if (line.length > LINE_LIMIT) return { outcome: 'huge-line', detail: `${line.length} characters: ${cut(line)}` };
    }
    if (error.lines.length === 0) return { outcome: 'multiline', detail: 'no line at all' };
    // One line, but only because the loader's safety net caught validation throwing.
    if (error.lines.some((line) => line.includes(VALIDATION_FAILED))) return { outcome: 'unreadable', detail: cut(error.lines[0]) };
    return { outcome: 'error', detail: cut(error.lines[0]) };
  }
  const spent = cpuMs() - started;
  if (spent > VALIDATE_LIMIT_MS) return { outcome: 'slow', detail: `validation took ${Math.round(spent)} ms of CPU` };
  if (mutant.expect === 'invalid') return { outcome: 'accepted-garbage', detail: 'validation accepted it' };
  try {
    const model = { ...loaded.model, durationMs: Math.min(loaded.model.durationMs, capMs) };
    const sim = createSimulation(model);
    const runStarted = cpuMs();
    const wallStarted = performance.now();
    while (!sim.done) {
      await sim.advance();
      if (cpuMs() - runStarted > RUN_LIMIT_MS) return { outcome: 'hang', detail: `still running after ${RUN_LIMIT_MS} ms of CPU at t=${sim.now}` };
      if (performance.now() - wallStarted > RUN_WALL_LIMIT_MS) return { outcome: 'hang', detail: `still running after ${RUN_WALL_LIMIT_MS} ms at t=${sim.now}` };
    }
    const summary = summarize(sim);
    JSON.stringify(summary);
    if (!summary.accounting.ok) return { outcome: 'accounting', detail: cut(summary.accounting.problems.join('; ')) };
    return { outcome: 'ran' };
  } catch (error) {
    return { outcome: 'crash', detail: `the run threw ${describe(error)}` };
  }
}

/** The mutant for a seed: base and kind chosen by the seed, the mutation seeded by it. */
export function mutantFor(seed: number, scale: Scale = 'full', kinds: readonly string[] = Object.keys(KINDS)): Mutant {
  const rng = new Rng(seed);
  const all = bases();
  const base = all[rng.int(all.length)];
  const kind = kinds[rng.int(kinds.length)];
  const mutant = KINDS[kind](base, rng, scale);
  return { ...mutant, note: `${base.name}: ${mutant.note}` };
}
