import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** Milliseconds from a monotonic clock. */
export const now = (): number => performance.now();

/** `n` operations in `ms` milliseconds, per second (rounded). */
export function perSecond(n: number, ms: number): number {
  return Math.round(n / (ms / 1000));
}

/** The nearest-rank `q` quantile (0 < q <= 1) of ascending `sorted` samples. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}

/** Runs a full GC (twice, so weak and finalizable objects go too) when node runs with --expose-gc. */
export function collectGarbage(): void {
  const gc = globalThis.gc;
  if (gc === undefined) return;
  gc();
  gc();
}

/**
 * Runs every contender once per round, in the given order, each after a full GC, and
 * returns each contender's best (highest) figure over `rounds` rounds. Interleaving the
 * contenders spreads the machine's noise over all of them alike.
 *
 * @example
 * const { arbor, limit } = await bestOfRounds(3, { arbor: () => timeArbor(n), limit: () => timeLimit(n) });
 */
export async function bestOfRounds<C extends Record<string, () => number | Promise<number>>>(rounds: number, contenders: C): Promise<{ [K in keyof C]: number }> {
  const best: Record<string, number> = {};
  for (const name of Object.keys(contenders)) best[name] = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(contenders)) {
      collectGarbage();
      best[name] = Math.max(best[name]!, await run());
    }
  }
  return best as { [K in keyof C]: number };
}

/** Throws unless node runs with --expose-gc (memory figures are meaningless without it). */
export function requireGc(): void {
  if (globalThis.gc === undefined) throw new Error('heap measurements need node --expose-gc');
}

/** Heap bytes in use right now. */
export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Records V8 garbage-collection pauses from now until `stop()`. */
export function recordGcPauses(): { stop(): Promise<number[]> } {
  const pauses: { start: number; duration: number }[] = [];
  const since = performance.now();
  const take = (entries: readonly PerformanceEntry[]): void => {
    for (const e of entries) if (e.startTime >= since) pauses.push({ start: e.startTime, duration: e.duration });
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop(): Promise<number[]> {
      const until = performance.now();
      // GC entries are delivered after the pause, from the event loop: let them arrive.
      await sleep(0);
      take(observer.takeRecords());
      observer.disconnect();
      return pauses.filter((p) => p.start <= until).map((p) => p.duration);
    },
  };
}
