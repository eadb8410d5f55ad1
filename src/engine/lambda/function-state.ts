/**
 * Copies of the functions' and aliases' working state for the snapshot (lambda/invocations.ts keeps the
 * working copies), and the field-by-field comparison that lets sampling keep an unchanged function's copy.
 */
import { deepFreeze } from '../plain-data.js';
import type { AliasState, EnvironmentCounts, FunctionState, VersionState } from '../state.js';

const sameEnvs = (a: EnvironmentCounts, b: EnvironmentCounts): boolean =>
  a.provisioned === b.provisioned && a.provisionedBusy === b.provisionedBusy && a.onDemand === b.onDemand && a.onDemandBusy === b.onDemandBusy;

const sameVersion = (a: VersionState, b: VersionState): boolean =>
  a.version === b.version &&
  a.concurrency === b.concurrency &&
  a.invocations === b.invocations &&
  a.errors === b.errors &&
  a.coldStarts === b.coldStarts &&
  a.throttles === b.throttles &&
  sameEnvs(a.envs, b.envs);

/**
 * True when `a` equals the snapshot copy `b` (so sampling can keep `b`). Written out field by field,
 * since this runs for every function at every tick; `satisfies` below makes the compiler refuse a new
 * FunctionState field that this comparison does not know.
 */
export function sameFunctionState(a: FunctionState, b: FunctionState): boolean {
  if (
    a.concurrency !== b.concurrency ||
    a.peakConcurrency !== b.peakConcurrency ||
    a.invocations !== b.invocations ||
    a.successes !== b.successes ||
    a.errors !== b.errors ||
    a.timeouts !== b.timeouts ||
    a.partials !== b.partials ||
    a.throttles !== b.throttles ||
    a.coldStarts !== b.coldStarts ||
    a.reclaimed !== b.reclaimed ||
    a.scalingTokens !== b.scalingTokens ||
    a.scalingTokensAtMs !== b.scalingTokensAtMs ||
    a.reserved !== b.reserved ||
    a.name !== b.name ||
    !sameEnvs(a.envs, b.envs)
  )
    return false;
  const h = a.history;
  const g = b.history;
  if (h.length !== g.length) return false;
  for (let i = 0; i < h.length; i++) if (h[i] !== g[i]) return false;
  const va = Object.keys(a.versions);
  if (va.length !== Object.keys(b.versions).length) return false;
  for (const v of va) {
    const other = b.versions[v];
    if (other === undefined || !sameVersion(a.versions[v], other)) return false;
  }
  return true;
}

/** Every field of FunctionState, VersionState and EnvironmentCounts: a new one fails to compile until the comparisons above read it. */
const COMPARED = {
  fn: { name: 1, reserved: 1, concurrency: 1, peakConcurrency: 1, envs: 1, scalingTokens: 1, scalingTokensAtMs: 1, invocations: 1, successes: 1, errors: 1, timeouts: 1, partials: 1, throttles: 1, coldStarts: 1, reclaimed: 1, history: 1, versions: 1 } satisfies Record<keyof FunctionState, 1>,
  version: { version: 1, concurrency: 1, invocations: 1, errors: 1, coldStarts: 1, throttles: 1, envs: 1 } satisfies Record<keyof VersionState, 1>,
  envs: { provisioned: 1, provisionedBusy: 1, onDemand: 1, onDemandBusy: 1 } satisfies Record<keyof EnvironmentCounts, 1>,
};
void COMPARED;

/** A frozen copy of a function's working state, as the snapshot holds it. */
export function copyFunction(fn: FunctionState): FunctionState {
  const versions: FunctionState['versions'] = {};
  for (const [v, vs] of Object.entries(fn.versions)) versions[v] = { ...vs, envs: { ...vs.envs } };
  // Frozen here so that immer does not walk it again when it enters the snapshot.
  return deepFreeze({ ...fn, envs: { ...fn.envs }, history: [...fn.history], versions });
}

export function copyAliases(aliases: Record<string, AliasState>): Record<string, AliasState> {
  const out: Record<string, AliasState> = {};
  for (const [key, a] of Object.entries(aliases)) out[key] = { ...a, additionalVersionWeights: { ...a.additionalVersionWeights } };
  return out;
}
