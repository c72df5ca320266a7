/**
 * Durations in log-spaced buckets (8 per power of two of microseconds, up to ~1 hour), for
 * the pool's run and wait times: O(1) to record, percentiles within ~9%. @internal
 */
export class Histogram {
  readonly #buckets = new Uint32Array(8 * 32);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** Records `ms` milliseconds. */
  record(ms: number): void {
    const us = Math.max(1, ms * 1000);
    const i = Math.min(this.#buckets.length - 1, Math.floor(Math.log2(us) * 8));
    this.#buckets[i]!++;
    this.#count++;
  }

  /** The `q` quantile (0..1) in milliseconds, or null with no samples. */
  quantile(q: number): number | null {
    if (this.#count === 0) return null;
    const target = Math.ceil(q * this.#count);
    let seen = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      seen += this.#buckets[i]!;
      if (seen >= target) return Math.round(2 ** ((i + 1) / 8)) / 1000;
    }
    return null;
  }
}
