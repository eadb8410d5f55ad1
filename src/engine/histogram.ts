/**
 * A log-bucketed histogram of durations (about 1% resolution), so percentiles over millions of
 * invocations cost constant memory and no sampling randomness.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);

export class DurationHistogram {
  private buckets = new Map<number, number>();
  count = 0;

  record(valueMs: number): void {
    const bucket = valueMs <= 1 ? 0 : Math.ceil(Math.log(valueMs) / LOG_GROWTH);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    this.count++;
  }

  /** The value at quantile q (0..1), rounded to whole ms. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const bucket of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(bucket)!;
      if (seen >= rank) return bucket === 0 ? 1 : Math.round(GROWTH ** bucket);
    }
    return 0;
  }
}
