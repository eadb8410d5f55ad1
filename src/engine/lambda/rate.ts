/**
 * Lambda's request-rate quota for synchronous invocations (docs/fidelity.md; Lambda quotas page:
 * "Each instance of your execution environment can serve up to 10 requests per second", and
 * lambda-concurrency.html: across the account, requests per second are limited to 10 times the account's
 * concurrency). It matters only for very short functions at very high rates: a function whose
 * concurrency is capped at C is served at most 10 x C requests in any second.
 */
export const REQUESTS_PER_ENVIRONMENT_PER_SECOND = 10;

/**
 * Invocations admitted in the last second, on exact times (a sliding window, whatever the tick). The
 * admission times are kept in a ring as runs (a time and how many were admitted at it, in admission
 * order): a synchronous load admits many requests in the same millisecond, and a list of every time
 * (100,000 a second for the account in bench/cases/sync.js) was sliced and regrown every second, large
 * arrays the scavenger promoted.
 */
export class RequestRate {
  /** The runs' times and counts, oldest at `head`; the capacity is a power of two. */
  private times = new Float64Array(16);
  private counts = new Uint32Array(16);
  private head = 0;
  private runs = 0;
  /** Admissions in the runs kept. */
  private total = 0;

  /** How many requests were admitted in (now - 1000, now]. */
  countAt(now: number): number {
    const mask = this.times.length - 1;
    while (this.runs > 0 && this.times[this.head] <= now - 1000) {
      this.total -= this.counts[this.head];
      this.head = (this.head + 1) & mask;
      this.runs--;
    }
    return this.total;
  }

  admit(now: number): void {
    this.total++;
    let mask = this.times.length - 1;
    if (this.runs > 0) {
      const last = (this.head + this.runs - 1) & mask;
      if (this.times[last] === now) {
        this.counts[last]++;
        return;
      }
    }
    if (this.runs === this.times.length) {
      this.grow();
      mask = this.times.length - 1;
    }
    const at = (this.head + this.runs) & mask;
    this.times[at] = now;
    this.counts[at] = 1;
    this.runs++;
  }

  /** Doubles the ring, the runs copied oldest first from index 0. */
  private grow(): void {
    const n = this.times.length;
    const times = new Float64Array(n * 2);
    const counts = new Uint32Array(n * 2);
    for (let k = 0; k < this.runs; k++) {
      const from = (this.head + k) & (n - 1);
      times[k] = this.times[from];
      counts[k] = this.counts[from];
    }
    this.times = times;
    this.counts = counts;
    this.head = 0;
  }
}
