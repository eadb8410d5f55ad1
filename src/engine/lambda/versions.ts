/**
 * Versions, aliases and weighted routing (docs/versions.md). An invocation names a function, optionally
 * qualified: 'fn' or 'fn:$LATEST' runs $LATEST, 'fn:2' runs version 2, 'fn:live' runs what the alias points
 * at now. A weighted alias draws its version from the engine's seeded rng for each invocation (AWS: "a
 * simple probabilistic model"), so a run is reproducible while low traffic still shows the variance AWS
 * warns about.
 */
import type { FunctionModel, Model, ResourceKind, VersionModel } from '../../scenario/model.js';
import type { Rng } from '../rng.js';
import type { AliasState } from '../state.js';

/** 'fn:live' → { fn: 'fn', qualifier: 'live' }; 'fn' → { fn: 'fn' }. */
export function splitQualified(name: string): { fn: string; qualifier?: string } {
  const colon = name.indexOf(':');
  return colon < 0 ? { fn: name } : { fn: name.slice(0, colon), qualifier: name.slice(colon + 1) };
}

/** The kind of a declared resource, where a function may be named with a qualifier ('fn:live'). */
export function kindOf(model: Pick<Model, 'resources'>, name: string): ResourceKind | undefined {
  const direct = model.resources[name];
  if (direct !== undefined) return direct;
  const colon = name.indexOf(':');
  return colon > 0 && model.resources[name.slice(0, colon)] === 'function' ? 'function' : undefined;
}

/** Whether a function declares any published version (without allocating). */
export function hasVersions(fn: FunctionModel): boolean {
  for (const _ in fn.versions) return true;
  return false;
}

/** The alias key used in state and traces: 'fn:alias'. */
export function aliasKey(fn: string, alias: string): string {
  return `${fn}:${alias}`;
}

/** The initial routing of every alias of the model. */
export function initialAliases(model: Model): Record<string, AliasState> {
  const out: Record<string, AliasState> = {};
  for (const fn of Object.values(model.functions)) {
    for (const a of Object.values(fn.aliases)) {
      out[aliasKey(fn.name, a.name)] = {
        fn: fn.name,
        alias: a.name,
        version: a.version,
        additionalVersionWeights: { ...a.additionalVersionWeights },
        provisioned: a.provisionedConcurrentExecutions,
      };
    }
  }
  return out;
}

/** $LATEST's configuration by function, made once (every invocation of $LATEST asks for it). */
const LATEST_CONFIG = new WeakMap<FunctionModel, VersionModel>();

/** What one version runs: its own configuration, or the function's for $LATEST (one frozen object per function). */
export function versionConfig(fn: FunctionModel, version: string): VersionModel {
  const v = fn.versions[version];
  if (v) return v;
  let latest = LATEST_CONFIG.get(fn);
  if (latest === undefined) {
    latest = Object.freeze({
      version: '$LATEST',
      handler: fn.handler,
      duration: fn.duration,
      timeoutMs: fn.timeoutMs,
      memorySize: fn.memorySize,
      coldStartMs: fn.coldStartMs,
      provisionedConcurrentExecutions: 0,
    });
    LATEST_CONFIG.set(fn, latest);
  }
  return latest;
}

export interface Routed {
  /** The executed version: '$LATEST', '1', ... */
  version: string;
  /** The alias the invocation came through, if any. */
  alias?: string;
  /** The qualifier the caller used (alias, version, '$LATEST'), if any. */
  qualifier?: string;
  /** The provisioned pool that may serve it: the invoked version or alias, never $LATEST. */
  pool?: string;
}

const LATEST: Routed = { version: '$LATEST' };

/**
 * Resolves a qualifier to the version that runs. A weighted alias draws once from `rng`: the additional
 * version with its weight, the primary otherwise. Unweighted aliases and plain versions draw nothing, so a
 * scenario without weights consumes the same random numbers as before versions existed.
 */
export function route(fn: FunctionModel, qualifier: string | undefined, aliases: Record<string, AliasState>, rng: Rng): Routed {
  if (qualifier === undefined) return LATEST;
  if (qualifier === '$LATEST') return { version: '$LATEST', qualifier };
  const v = fn.versions[qualifier];
  if (v) return { version: qualifier, qualifier, ...(v.provisionedConcurrentExecutions > 0 ? { pool: qualifier } : {}) };
  const a = aliases[aliasKey(fn.name, qualifier)];
  if (!a) return LATEST;
  let version = a.version;
  for (const [other, weight] of Object.entries(a.additionalVersionWeights)) {
    if (weight > 0 && rng.next() < weight) version = other;
    break;
  }
  return { version, alias: qualifier, qualifier, ...(a.provisioned > 0 ? { pool: qualifier } : {}) };
}

/**
 * How an alias's provisioned concurrency is spread over its versions: the additional version gets its
 * weight's share (rounded), the primary the rest. AWS: the allocated amount "fluctuates depending on the
 * amount of concurrency that is provisioned for the function versions" during a weighted deployment.
 */
export function aliasAllocation(a: Pick<AliasState, 'version' | 'additionalVersionWeights' | 'provisioned'>): Record<string, number> {
  const out: Record<string, number> = {};
  let rest = a.provisioned;
  for (const [other, weight] of Object.entries(a.additionalVersionWeights)) {
    const n = Math.round(a.provisioned * weight);
    out[other] = n;
    rest -= n;
  }
  out[a.version] = (out[a.version] ?? 0) + rest;
  return out;
}

/** Does a fault's qualifier select this invocation? None: every invocation of the function. */
export function qualifierMatches(faultQualifier: string | undefined, routed: Routed): boolean {
  if (faultQualifier === undefined) return true;
  return faultQualifier === routed.version || faultQualifier === routed.alias;
}
