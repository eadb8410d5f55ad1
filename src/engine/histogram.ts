/**
 * A log-bucketed histogram of durations (about 1% resolution), so percentiles over millions of
 * invocations cost constant memory and no sampling randomness.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);

/** Buckets below this index (values up to about 5 x 10^17 ms) are counted in an array; larger ones, in a map. */
const DENSE = 4096;

export class DurationHistogram {
  private dense = new Float64Array(64);
  private sparse: Map<number, number> | undefined;
  count = 0;

  record(valueMs: number): void {
    const bucket = valueMs <= 1 ? 0 : Math.ceil(Math.log(valueMs) / LOG_GROWTH);
    if (bucket >= 0 && bucket < DENSE) {
      if (bucket >= this.dense.length) {
        const grown = new Float64Array(Math.min(DENSE, Math.max(bucket + 1, this.dense.length * 2)));
        grown.set(this.dense);
        this.dense = grown;
      }
      this.dense[bucket]++;
    } else {
      const sparse = (this.sparse ??= new Map());
      sparse.set(bucket, (sparse.get(bucket) ?? 0) + 1);
    }
    this.count++;
  }

  /** The value at quantile q (0..1), rounded to whole ms. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let bucket = 0; bucket < this.dense.length; bucket++) {
      seen += this.dense[bucket];
      if (this.dense[bucket] > 0 && seen >= rank) return bucket === 0 ? 1 : Math.round(GROWTH ** bucket);
    }
    if (this.sparse) {
      for (const bucket of [...this.sparse.keys()].sort((a, b) => a - b)) {
        seen += this.sparse.get(bucket)!;
        if (seen >= rank) return bucket === 0 ? 1 : Math.round(GROWTH ** bucket);
      }
    }
    return 0;
  }
}
