/**
 * The Init phase's time limit (docs/fidelity.md, lambda-runtime-environment.html): "The Init phase is
 * limited to 10 seconds. If all three tasks do not complete within 10 seconds, Lambda retries the Init
 * phase at the time of the first function invocation with the configured function timeout." The limit
 * does not apply to provisioned concurrency, whose environments are initialised ahead of traffic.
 */
export const INIT_LIMIT_MS = 10_000;

/** How an on-demand cold start of `coldStartMs` unfolds. */
export interface InitPlan {
  /** From the request to the start of the invoke phase: the init, or the 10 s it was given. */
  beforeInvokeMs: number;
  /** Init work done again inside the invoke phase, counted against the function's timeout. */
  insideInvokeMs: number;
  /** The init passed its 10 s and was retried within the first invocation. */
  retried: boolean;
}

/**
 * @example initPlan(400)    // { beforeInvokeMs: 400, insideInvokeMs: 0, retried: false }
 * @example initPlan(12_000) // { beforeInvokeMs: 10_000, insideInvokeMs: 12_000, retried: true }
 */
export function initPlan(coldStartMs: number): InitPlan {
  if (coldStartMs <= INIT_LIMIT_MS) return { beforeInvokeMs: coldStartMs, insideInvokeMs: 0, retried: false };
  return { beforeInvokeMs: INIT_LIMIT_MS, insideInvokeMs: coldStartMs, retried: true };
}

/** The billed INIT phase of an on-demand cold start: at most the 10 s it may take (a retry is billed as invoke time). */
export function billedInitMs(coldStartMs: number): number {
  return Math.min(coldStartMs, INIT_LIMIT_MS);
}
