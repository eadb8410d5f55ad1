/**
 * Concurrency and execution environments (docs/aws-rules.md §4): the account limit shared by all
 * functions, reserved concurrency as floor and ceiling, provisioned environments that never cold start,
 * on-demand environments that pay one cold start and are then reused while warm (until an idle timeout
 * reclaims them), and the per-function scaling rate of 1,000 new environments per 10 seconds.
 */
import { broken } from '../invariant.js';
import type { FunctionModel, Model } from '../../scenario/model.js';
import type { ThrottleReason } from '../module.js';
import type { Rng } from '../rng.js';
import type { FunctionState, SimState, VersionState } from '../state.js';

/** docs/aws-rules.md §4: "+1,000 execution environments per 10 s" per function, refilled continuously. */
export const SCALING_ENVIRONMENTS = 1_000;
export const SCALING_WINDOW_MS = 10_000;

export function initialFunctionState(fn: FunctionModel): FunctionState {
  const versions: Record<string, VersionState> = { $LATEST: initialVersionState('$LATEST') };
  for (const v of Object.keys(fn.versions)) versions[v] = initialVersionState(v);
  return {
    name: fn.name,
    reserved: fn.reservedConcurrentExecutions,
    concurrency: 0,
    peakConcurrency: 0,
    envs: { provisioned: 0, provisionedBusy: 0, onDemand: 0, onDemandBusy: 0 },
    scalingTokens: SCALING_ENVIRONMENTS,
    scalingTokensAtMs: 0,
    invocations: 0,
    successes: 0,
    errors: 0,
    timeouts: 0,
    partials: 0,
    throttles: 0,
    coldStarts: 0,
    reclaimed: 0,
    history: [],
    versions,
  };
}

function initialVersionState(version: string): VersionState {
  return { version, concurrency: 0, invocations: 0, errors: 0, coldStarts: 0, throttles: 0, envs: { provisioned: 0, provisionedBusy: 0, onDemand: 0, onDemandBusy: 0 } };
}

/** The provisioned concurrency of every version and alias of a function (it counts against the pools below). */
export function provisionedTotal(fn: FunctionModel): number {
  let total = 0;
  for (const v of Object.values(fn.versions)) total += v.provisionedConcurrentExecutions;
  for (const a of Object.values(fn.aliases)) total += a.provisionedConcurrentExecutions;
  return total;
}

/**
 * The pool that functions without reserved concurrency share: the account limit less all reservations and
 * less the provisioned concurrency of unreserved functions (provisioned environments are held for their
 * qualifier alone; docs/versions.md).
 */
export function unreservedPool(model: Model): number {
  let reserved = 0;
  for (const fn of Object.values(model.functions)) {
    reserved += fn.reservedConcurrentExecutions ?? provisionedTotal(fn);
  }
  return model.accountConcurrency - reserved;
}

/**
 * A function's idle on-demand environments of one version, by the time each went idle. The most recently
 * used one is reused first (so a quiet function keeps few warm), and the longest idle ones are reclaimed
 * first. Each environment has an id, so that real code keeps one module instance per environment
 * (docs/sandbox.md).
 */
export class IdleEnvironments {
  private since: number[] = [];
  private ids: string[] = [];
  private head = 0;

  /** `lost`: environments whose module state is gone (a stopped worker), discarded when next taken. */
  constructor(private readonly lost: Set<string> = new Set()) {}

  get size(): number {
    return this.since.length - this.head;
  }

  push(now: number, id = ''): void {
    this.since.push(now);
    this.ids.push(id);
  }

  /** Takes the most recently idle environment: its id, or undefined when it had been lost. */
  pop(): string | undefined {
    this.since.pop();
    const id = this.ids.pop() ?? '';
    if (this.since.length === this.head) {
      this.since = [];
      this.ids = [];
      this.head = 0;
    }
    // The size check first: a Set lookup per invocation for a set that is nearly always empty.
    return this.lost.size > 0 && this.lost.delete(id) ? undefined : id;
  }

  /** Drops the environments idle for `idleMs` or longer; returns how many, their ids into `dropped`. */
  expire(now: number, idleMs: number, dropped?: string[]): number {
    const before = this.head;
    while (this.head < this.since.length && this.since[this.head] + idleMs <= now) {
      const id = this.ids[this.head++];
      if (this.lost.size === 0 || !this.lost.delete(id)) dropped?.push(id);
    }
    if (this.head > 1024 && this.head * 2 > this.since.length) {
      this.since = this.since.slice(this.head);
      this.ids = this.ids.slice(this.head);
      this.head = 0;
    }
    return this.head - before;
  }
}

/** Provisioned environments of one qualifier (a version or an alias) allocated to one version. */
interface ProvisionedPool {
  size: number;
  busy: number;
  /** Ids of its free environments that have run code (a slot without one gets a new environment). */
  free?: string[];
}

/**
 * A function's execution environments, by version: warm environments belong to the version whose code they
 * loaded, so a version that starts receiving traffic cold-starts (docs/versions.md). Provisioned
 * environments belong to the qualifier they were configured on and serve only invocations of it.
 */
export class FunctionEnvironments {
  private readonly idle = new Map<string, IdleEnvironments>();
  /**
   * The same idle pools in the Map's order, and their versions: `reclaim` walks them at every invocation's
   * start without a Map iterator and its entry arrays.
   */
  private readonly idleList: IdleEnvironments[] = [];
  private readonly idleVersions: string[] = [];
  /** Pools by qualifier, then by the version they run. */
  private readonly pools = new Map<string, Map<string, ProvisionedPool>>();
  private readonly lost = new Set<string>();
  private created = 0;

  constructor(private readonly fn = 'fn') {}

  idleOf(version: string): IdleEnvironments {
    let pool = this.idle.get(version);
    if (!pool) {
      this.idle.set(version, (pool = new IdleEnvironments(this.lost)));
      this.idleList.push(pool);
      this.idleVersions.push(version);
    }
    return pool;
  }

  /** A new environment's id, unique within the function: `<fn>#<n>`. */
  newId(): string {
    return `${this.fn}#${++this.created}`;
  }

  /** A free environment of a provisioned pool (a new one when none is free or the free one was lost). */
  takeProvisioned(pool: ProvisionedPool): string {
    while (pool.free && pool.free.length > 0) {
      const id = pool.free.pop()!;
      if (!this.lost.delete(id)) return id;
    }
    return this.newId();
  }

  /** Marks environments as lost: their next use discards them instead (docs/sandbox.md). */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.lost.add(id);
  }

  /** The provisioned pool of `qualifier` that runs `version`, if any. */
  pool(qualifier: string, version: string): ProvisionedPool | undefined {
    return this.pools.get(qualifier)?.get(version);
  }

  /**
   * Sets how many provisioned environments of `qualifier` run each version (an alias's are split by weight
   * and move when its routing changes; allocation is immediate, docs/versions.md). Busy environments
   * finish their invocation before a shrunken pool lets them go.
   */
  allocate(fnState: FunctionState, qualifier: string, sizes: Record<string, number>): void {
    let byVersion = this.pools.get(qualifier);
    if (!byVersion) this.pools.set(qualifier, (byVersion = new Map()));
    for (const [version, pool] of byVersion) {
      const size = sizes[version] ?? 0;
      const delta = size - pool.size;
      pool.size = size;
      versionState(fnState, version).envs.provisioned += delta;
      fnState.envs.provisioned += delta;
    }
    for (const [version, size] of Object.entries(sizes)) {
      if (byVersion.has(version)) continue;
      byVersion.set(version, { size, busy: 0 });
      versionState(fnState, version).envs.provisioned += size;
      fnState.envs.provisioned += size;
    }
  }

  /**
   * Reclaims idle on-demand environments of every version, counted in `fnState` (the function's and the
   * version's on-demand environments, the function's reclaimed); their ids go into `dropped`.
   */
  reclaim(fnState: FunctionState, now: number, idleMs: number, dropped?: string[]): void {
    const list = this.idleList;
    for (let k = 0; k < list.length; k++) {
      const n = list[k].expire(now, idleMs, dropped);
      if (n > 0) {
        fnState.envs.onDemand -= n;
        versionState(fnState, this.idleVersions[k]).envs.onDemand -= n;
        fnState.reclaimed += n;
      }
    }
  }
}

export function versionState(fnState: FunctionState, version: string): VersionState {
  return (fnState.versions[version] ??= initialVersionState(version));
}

/**
 * Reclaims the environments that have been idle longer than the function's idle timeout
 * (docs/aws-rules.md §4: environments are reused "for a non-deterministic time"; the timeout is a scenario setting).
 */
export function reclaimIdle(fnState: FunctionState, envs: FunctionEnvironments, idleMs: number, now: number, dropped?: string[]): void {
  envs.reclaim(fnState, now, idleMs, dropped);
}

/** Which environment an invocation holds, so that its end frees exactly that one. */
export type Held = { version: string; pool?: ProvisionedPool; envId: string };

export type Acquired = { ok: true; cold: boolean; held: Held } | { ok: false; reason: ThrottleReason };

/**
 * Takes one execution environment for a new invocation of `version`, or says why Lambda throttles it.
 * An environment of the invoked qualifier's provisioned pool is used first (requests spill over to
 * on-demand ones), then a warm on-demand environment of the same version, and only then is a new one
 * created, which costs a cold start and a scaling token. On-demand environments may use the function's
 * reserved concurrency less what is provisioned: when provisioned concurrency adds up to the reserved
 * concurrency, invocations of $LATEST (and spill-over) are throttled, as AWS documents.
 */
export function acquire(
  account: SimState['account'],
  fnState: FunctionState,
  envs: FunctionEnvironments,
  now: number,
  version = '$LATEST',
  qualifier?: string,
): Acquired {
  const vs = versionState(fnState, version);
  const pool = qualifier !== undefined ? envs.pool(qualifier, version) : undefined;
  let cold = false;
  let envId: string | undefined;
  const provisioned = pool !== undefined && pool.busy < pool.size;
  if (provisioned) {
    envId = envs.takeProvisioned(pool);
    pool.busy++;
    fnState.envs.provisionedBusy++;
    vs.envs.provisionedBusy++;
  } else {
    const onDemandBusy = fnState.envs.onDemandBusy;
    if (fnState.reserved !== undefined) {
      // Reserved concurrency is the ceiling (0 throttles every invocation); provisioned environments hold
      // their share of it even when idle.
      if (onDemandBusy >= fnState.reserved - fnState.envs.provisioned || fnState.concurrency >= fnState.reserved) {
        return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
      }
    } else if (account.unreservedConcurrency >= account.unreservedPool) {
      return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    }
    const idle = envs.idleOf(version);
    // A lost environment (its worker was stopped) is discarded when it would be reused.
    while (envId === undefined && idle.size > 0) {
      envId = idle.pop();
      if (envId === undefined) {
        fnState.envs.onDemand--;
        vs.envs.onDemand--;
      }
    }
    if (envId === undefined) {
      refill(fnState, now);
      // UNVERIFIED which Reason AWS gives when the scaling rate (not the concurrency limit) is hit; the
      // rate-limit reason is the closest of docs/aws-rules.md §1's list.
      if (fnState.scalingTokens < 1) return { ok: false, reason: 'FunctionInvocationRateLimitExceeded' };
      fnState.scalingTokens -= 1;
      fnState.envs.onDemand++;
      vs.envs.onDemand++;
      cold = true;
      fnState.coldStarts++;
      vs.coldStarts++;
      envId = envs.newId();
    }
    fnState.envs.onDemandBusy++;
    vs.envs.onDemandBusy++;
    if (fnState.reserved === undefined) account.unreservedConcurrency++;
  }
  fnState.concurrency++;
  vs.concurrency++;
  if (fnState.reserved !== undefined && fnState.concurrency > fnState.reserved) {
    broken('a function runs above its reserved concurrency', { fn: fnState.name, concurrency: fnState.concurrency, reserved: fnState.reserved });
  }
  if (account.unreservedConcurrency > account.unreservedPool) {
    broken('the unreserved pool runs above its size', { fn: fnState.name, unreservedConcurrency: account.unreservedConcurrency, unreservedPool: account.unreservedPool });
  }
  if (fnState.concurrency > fnState.peakConcurrency) fnState.peakConcurrency = fnState.concurrency;
  account.concurrency++;
  if (account.concurrency > account.peak) account.peak = account.concurrency;
  return { ok: true, cold, held: provisioned ? { version, pool, envId: envId! } : { version, envId: envId! } };
}

/**
 * Returns an environment when an invocation ends; an on-demand one stays warm for its version, unless
 * `discard` (a crash or a hang ended it: the next invocation needs a new environment).
 */
export function release(
  account: SimState['account'],
  fnState: FunctionState,
  envs: FunctionEnvironments,
  now: number,
  held: Held = { version: '$LATEST', envId: '' },
  discard = false,
): void {
  const vs = versionState(fnState, held.version);
  if (held.pool) {
    held.pool.busy--;
    fnState.envs.provisionedBusy--;
    vs.envs.provisionedBusy--;
    if (!discard) (held.pool.free ??= []).push(held.envId);
  } else {
    fnState.envs.onDemandBusy--;
    vs.envs.onDemandBusy--;
    if (discard) {
      fnState.envs.onDemand--;
      vs.envs.onDemand--;
    } else envs.idleOf(held.version).push(now, held.envId);
    if (fnState.reserved === undefined) account.unreservedConcurrency--;
  }
  fnState.concurrency--;
  vs.concurrency--;
  account.concurrency--;
  if (fnState.concurrency < 0 || vs.concurrency < 0 || account.concurrency < 0 || account.unreservedConcurrency < 0 || fnState.envs.onDemandBusy < 0 || fnState.envs.provisionedBusy < 0) {
    broken('concurrency below 0 after a release', {
      fn: fnState.name,
      version: held.version,
      concurrency: fnState.concurrency,
      versionConcurrency: vs.concurrency,
      account: account.concurrency,
      unreserved: account.unreservedConcurrency,
      onDemandBusy: fnState.envs.onDemandBusy,
      provisionedBusy: fnState.envs.provisionedBusy,
    });
  }
}

function refill(fnState: FunctionState, now: number): void {
  const elapsed = now - fnState.scalingTokensAtMs;
  if (elapsed <= 0) return;
  fnState.scalingTokens = Math.min(SCALING_ENVIRONMENTS, fnState.scalingTokens + (elapsed * SCALING_ENVIRONMENTS) / SCALING_WINDOW_MS);
  fnState.scalingTokensAtMs = now;
}

/**
 * Draws a run time from the function's duration model: log-normal through p50 and p99 (a fixed duration
 * when they are equal). Always at least 1 ms, so that an invocation never ends in the tick it starts.
 */
export function sampleDurationMs(fn: Pick<FunctionModel, 'duration'>, rng: Rng): number {
  const { p50Ms, p99Ms } = fn.duration;
  if (p99Ms <= p50Ms) return Math.max(1, Math.round(p50Ms));
  // z(0.99) = 2.3263: the p99 of a log-normal lies sigma * 2.3263 above the median on a log scale.
  const sigma = Math.log(p99Ms / p50Ms) / 2.3263;
  return Math.max(1, Math.round(p50Ms * Math.exp(sigma * rng.normal())));
}
