/** The default slice: work at most this many milliseconds between yields to the event loop. */
export const DEFAULT_SLICE_MS = 5;

/**
 * Cuts a long synchronous job into slices by elapsed time, not by count (a count is too
 * coarse when one step is a `/proc` read that may cost 5 µs or 2 ms on a loaded machine).
 * Check `due` between steps; when it is true, `await next()` yields a macrotask (timers,
 * I/O and other actors run) and starts a new slice. A budget of 0 yields between every
 * step (tests use it to see that each step of a job yields).
 *
 * @example
 * const slicer = new TimeSlicer(5);
 * for (const item of items) {
 *   if (slicer.due) await slicer.next();
 *   work(item);
 * }
 */
export class TimeSlicer {
  #start = performance.now();
  #yields = 0;
  #longest = 0;

  constructor(readonly budgetMs: number = DEFAULT_SLICE_MS) {}

  /** Whether this slice has used its budget. */
  get due(): boolean {
    return performance.now() - this.#start >= this.budgetMs;
  }

  /** Yields to the event loop (`setImmediate`), then starts a new slice. */
  async next(): Promise<void> {
    const ran = performance.now() - this.#start;
    if (ran > this.#longest) this.#longest = ran;
    this.#yields++;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#start = performance.now();
  }

  /** Starts a new slice without yielding: call it after awaiting something else (a sleep) that yielded. */
  reset(): void {
    this.#start = performance.now();
  }

  /** How many times this slicer yielded. */
  get yields(): number {
    return this.#yields;
  }

  /** The longest slice that ended in a yield, in milliseconds (for reports and benches). */
  get longestSliceMs(): number {
    return this.#longest;
  }
}
