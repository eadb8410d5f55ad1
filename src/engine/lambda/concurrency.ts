/**
 * Concurrency and execution environments (shared/SEMANTICS.md section 4): the account limit shared by all
 * functions, reserved concurrency as floor and ceiling, provisioned environments that never cold start,
 * on-demand environments that pay one cold start and are then reused while warm (until an idle timeout
 * reclaims them), and the per-function scaling rate of 1,000 new environments per 10 seconds.
 */
import type { FunctionModel, Model } from '../../scenario/model.js';
import type { ThrottleReason } from '../module.js';
import type { Rng } from '../rng.js';
import type { FunctionState, SimState } from '../state.js';

/** SEMANTICS section 4: "+1,000 execution environments per 10 s" per function, refilled continuously. */
export const SCALING_ENVIRONMENTS = 1_000;
export const SCALING_WINDOW_MS = 10_000;

export function initialFunctionState(fn: FunctionModel): FunctionState {
  return {
    name: fn.name,
    reserved: fn.reservedConcurrentExecutions,
    concurrency: 0,
    peakConcurrency: 0,
    envs: { provisioned: fn.provisionedConcurrentExecutions, provisionedBusy: 0, onDemand: 0, onDemandBusy: 0 },
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
  };
}

/** The pool that functions without reserved concurrency share: the account limit less all reservations. */
export function unreservedPool(model: Model): number {
  let reserved = 0;
  for (const fn of Object.values(model.functions)) reserved += fn.reservedConcurrentExecutions ?? 0;
  return model.accountConcurrency - reserved;
}

/**
 * A function's idle on-demand environments, by the time each went idle. The most recently used one is
 * reused first (so a quiet function keeps few warm), and the longest idle ones are reclaimed first.
 */
export class IdleEnvironments {
  private since: number[] = [];
  private head = 0;

  get size(): number {
    return this.since.length - this.head;
  }

  push(now: number): void {
    this.since.push(now);
  }

  pop(): void {
    this.since.pop();
    if (this.since.length === this.head) {
      this.since = [];
      this.head = 0;
    }
  }

  /** Drops the environments idle for `idleMs` or longer; returns how many. */
  expire(now: number, idleMs: number): number {
    const before = this.head;
    while (this.head < this.since.length && this.since[this.head] + idleMs <= now) this.head++;
    if (this.head > 1024 && this.head * 2 > this.since.length) {
      this.since = this.since.slice(this.head);
      this.head = 0;
    }
    return this.head - before;
  }
}

/**
 * Reclaims the environments that have been idle longer than the function's idle timeout (SEMANTICS
 * section 4: environments are reused "for a non-deterministic time"; the timeout is a scenario setting).
 */
export function reclaimIdle(fnState: FunctionState, idle: IdleEnvironments, idleMs: number, now: number): void {
  const reclaimed = idle.expire(now, idleMs);
  if (reclaimed === 0) return;
  fnState.envs.onDemand -= reclaimed;
  fnState.reclaimed += reclaimed;
}

export type Acquired = { ok: true; cold: boolean } | { ok: false; reason: ThrottleReason };

/**
 * Takes one execution environment for a new invocation, or says why Lambda throttles it. Provisioned
 * environments are used first (requests spill over to on-demand ones), then warm on-demand ones, and only
 * then is a new environment created, which costs a cold start and a scaling token.
 */
export function acquire(account: SimState['account'], fnState: FunctionState, idle: IdleEnvironments, now: number): Acquired {
  if (fnState.reserved !== undefined) {
    // Reserved concurrency is the ceiling; 0 throttles every invocation.
    if (fnState.concurrency >= fnState.reserved) return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
  } else if (account.unreservedConcurrency >= account.unreservedPool) {
    return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
  }
  const envs = fnState.envs;
  let cold = false;
  if (envs.provisionedBusy < envs.provisioned) {
    envs.provisionedBusy++;
  } else if (idle.size > 0) {
    idle.pop();
    envs.onDemandBusy++;
  } else {
    refill(fnState, now);
    // UNVERIFIED which Reason AWS gives when the scaling rate (not the concurrency limit) is hit; the
    // rate-limit reason is the closest of SEMANTICS section 1's list.
    if (fnState.scalingTokens < 1) return { ok: false, reason: 'FunctionInvocationRateLimitExceeded' };
    fnState.scalingTokens -= 1;
    envs.onDemand++;
    envs.onDemandBusy++;
    cold = true;
    fnState.coldStarts++;
  }
  fnState.concurrency++;
  if (fnState.concurrency > fnState.peakConcurrency) fnState.peakConcurrency = fnState.concurrency;
  account.concurrency++;
  if (account.concurrency > account.peak) account.peak = account.concurrency;
  if (fnState.reserved === undefined) account.unreservedConcurrency++;
  return { ok: true, cold };
}

/** Returns an environment when an invocation ends; it stays warm for the next one. */
export function release(account: SimState['account'], fnState: FunctionState, idle: IdleEnvironments, now: number): void {
  const envs = fnState.envs;
  // Free an on-demand environment first so that provisioned ones are busy whenever anything is.
  if (envs.onDemandBusy > 0) {
    envs.onDemandBusy--;
    idle.push(now);
  } else envs.provisionedBusy--;
  fnState.concurrency--;
  account.concurrency--;
  if (fnState.reserved === undefined) account.unreservedConcurrency--;
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
export function sampleDurationMs(fn: FunctionModel, rng: Rng): number {
  const { p50Ms, p99Ms } = fn.duration;
  if (p99Ms <= p50Ms) return Math.max(1, Math.round(p50Ms));
  // z(0.99) = 2.3263: the p99 of a log-normal lies sigma * 2.3263 above the median on a log scale.
  const sigma = Math.log(p99Ms / p50Ms) / 2.3263;
  return Math.max(1, Math.round(p50Ms * Math.exp(sigma * rng.normal())));
}
