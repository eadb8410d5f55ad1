/**
 * Lambda's request-rate quota for synchronous invocations (docs/fidelity.md; Lambda quotas page:
 * "Each instance of your execution environment can serve up to 10 requests per second", and
 * lambda-concurrency.html: across the account, requests per second are limited to 10 times the account's
 * concurrency). It matters only for very short functions at very high rates: a function whose
 * concurrency is capped at C is served at most 10 x C requests in any second.
 */
export const REQUESTS_PER_ENVIRONMENT_PER_SECOND = 10;

/** Invocations admitted in the last second, on exact times (a sliding window, whatever the tick). */
export class RequestRate {
  private times: number[] = [];
  private head = 0;

  /** How many requests were admitted in (now - 1000, now]. */
  countAt(now: number): number {
    const times = this.times;
    while (this.head < times.length && times[this.head] <= now - 1000) this.head++;
    if (this.head > 4096 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  admit(now: number): void {
    this.times.push(now);
  }
}
