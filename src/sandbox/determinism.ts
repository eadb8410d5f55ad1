/**
 * Inside a sandbox worker only: makes the clock, the random numbers and the console of handler code come
 * from the engine (docs/sandbox.md, "What is deterministic"). Each invocation (and each environment's
 * init) runs in a Scope kept by an AsyncLocalStorage, so code that awaits still finds its own scope.
 *
 * - Math.random, crypto.randomUUID and crypto.getRandomValues draw from a generator seeded for the
 *   invocation (the engine derives the seed from the run's seed and the request id).
 * - Date.now, `new Date()`, Date() and performance.now read a clock on simulated time: it starts at the
 *   run's start (init: the environment's start) and every read moves it 1 ms on, never past the run's
 *   last millisecond (for an invocation: its timeout), so elapsed-time arithmetic sees time pass; an
 *   invocation whose clock passed its modelled end is extended to it by the engine (handler-runs.ts).
 * - console.* and writes to process.stdout/stderr become the invocation's log lines.
 *
 * Code that runs outside any scope (the worker's own) sees the real functions.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import nodeCrypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { format, inspect } from 'node:util';
import type { HandlerLogLine } from '../engine/lambda/handler-port.js';
import { createRng, type Rng } from '../engine/rng.js';

/** One invocation's (or one init's) view of time, randomness and logs. */
export interface Scope {
  rng: Rng;
  /** Simulated ms the clock shows now, and the last it may show. */
  nowMs: number;
  limitMs: number;
  epochMs: number;
  /** Simulated ms performance.now counts from (the environment's start). */
  originMs: number;
  logs: HandlerLogLine[];
  /** Set for init: lines written then carry 'undefined' as their request id, as on Lambda. */
  init: boolean;
  /** Once the invocation settled, what it still writes is dropped (it would land in no invocation). */
  settled: boolean;
  /** The bound on lines kept per invocation. */
  maxLines: number;
}

export const scopes = new AsyncLocalStorage<Scope>();

export const MAX_LOG_LINES = 1_000;

export function newScope(seed: number, nowMs: number, limitMs: number, epochMs: number, originMs: number, logs: HandlerLogLine[], init: boolean): Scope {
  return { rng: createRng(seed), nowMs, limitMs: Math.max(nowMs, limitMs), epochMs, originMs, logs, init, settled: false, maxLines: MAX_LOG_LINES };
}

/** Reads the scope's clock and moves it on by 1 ms (up to its limit). */
export function tick(scope: Scope): number {
  const now = scope.nowMs;
  if (scope.nowMs < scope.limitMs) scope.nowMs++;
  return now;
}

/** Appends a line to the current scope's logs; false when there is no live scope. */
export function writeLine(level: string, message: string): boolean {
  const scope = scopes.getStore();
  if (!scope || scope.settled) return false;
  if (scope.logs.length >= scope.maxLines) return true;
  const line: HandlerLogLine = { atMs: tick(scope), level, message };
  if (scope.init && level !== '') line.requestId = 'undefined';
  scope.logs.push(line);
  return true;
}

let installed = false;

/** Puts `value` in place of an object's property, whether it is a plain value or a getter. */
function replace(target: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
  } catch {
    // A property that cannot be redefined stays real; docs/sandbox.md lists what is covered.
  }
}

/** Patches the worker's globals once; idempotent. */
export function installDeterminism(): void {
  if (installed) return;
  installed = true;
  const realRandom = Math.random;
  Math.random = () => scopes.getStore()?.rng.next() ?? realRandom();

  const RealDate = Date;
  const epochNow = (): number | undefined => {
    const scope = scopes.getStore();
    return scope ? scope.epochMs + tick(scope) : undefined;
  };
  function SimDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new RealDate(epochNow() ?? RealDate.now()).toString();
    if (args.length === 0) {
      const now = epochNow();
      return Reflect.construct(RealDate, now === undefined ? [] : [now], new.target);
    }
    return Reflect.construct(RealDate, args, new.target);
  }
  SimDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(SimDate, RealDate);
  Object.defineProperty(SimDate, 'now', { value: () => epochNow() ?? RealDate.now(), writable: true, configurable: true });
  (globalThis as { Date: unknown }).Date = SimDate;

  const perf = globalThis.performance;
  const realPerfNow = perf.now.bind(perf);
  Object.defineProperty(perf, 'now', {
    value: () => {
      const scope = scopes.getStore();
      return scope ? tick(scope) - scope.originMs : realPerfNow();
    },
    writable: true,
    configurable: true,
  });

  const fill = <T extends ArrayBufferView | null>(array: T): T => {
    const scope = scopes.getStore();
    if (!array || !scope) return array;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = scope.rng.u32() & 0xff;
    return array;
  };
  const uuid = (): string => {
    const scope = scopes.getStore()!;
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = scope.rng.u32() & 0xff;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  const web = globalThis.crypto;
  const realWebRandom = web.getRandomValues.bind(web);
  const realWebUuid = web.randomUUID.bind(web);
  const getRandomValues = <T extends ArrayBufferView | null>(array: T): T => (scopes.getStore() ? fill(array) : (realWebRandom(array as never) as T));
  const randomUUID = (): `${string}-${string}-${string}-${string}-${string}` => (scopes.getStore() ? uuid() : realWebUuid()) as `${string}-${string}-${string}-${string}-${string}`;
  replace(web, 'getRandomValues', getRandomValues);
  replace(web, 'randomUUID', randomUUID);
  replace(nodeCrypto, 'randomUUID', randomUUID);
  replace(nodeCrypto, 'getRandomValues', getRandomValues);
  replace(nodeCrypto.webcrypto, 'getRandomValues', getRandomValues);
  replace(nodeCrypto.webcrypto, 'randomUUID', randomUUID);
  // `import { randomUUID } from 'node:crypto'` reads the ESM view of the builtin: bring it up to date.
  syncBuiltinESMExports();

  const levels: Array<[keyof Console, string]> = [
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['debug', 'DEBUG'],
    ['trace', 'TRACE'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      writeLine(level, method === 'trace' ? `Trace: ${format(...args)}` : format(...args));
    };
  }
  console.dir = (value: unknown) => {
    writeLine('INFO', inspect(value));
  };
  // Raw writes reach CloudWatch unprefixed; outside any invocation they go nowhere (never the terminal).
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      for (const part of text.replace(/\n$/, '').split('\n')) writeLine('', part);
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  }
}
