/**
 * How the worker workloads measure: pipelined throughput in blocks bracketed by the raw
 * limit (before and after, under the same load), and sequential round trips in blocks of
 * 100 interleaved across contenders. Every block starts after a full GC; every block checks
 * its replies.
 */
import { collectGarbage, now, percentile, perSecond, sleep } from '../../util.js';
import type { TaskRunner } from './rawTransports.js';

/**
 * The median of some numbers (the upper one of an even count).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Rounds to 3 significant decimals, for ratios in extras.
 *
 * @example
 * round3(2 / 3); // 0.667
 */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Tasks/s of `n` tasks `0..n-1` issued at once; throws unless every reply is `x + 1`.
 *
 * @example
 * const tasksPerSecond = await pipelined(raw, 100_000);
 */
export async function pipelined(runner: TaskRunner, n: number): Promise<number> {
  collectGarbage();
  await sleep(20);
  const pending = new Array<Promise<number>>(n);
  const t0 = now();
  for (let i = 0; i < n; i++) pending[i] = runner.run(i);
  const out = await Promise.all(pending);
  const dt = now() - t0;
  for (let i = 0; i < n; i++) if (out[i] !== i + 1) throw new Error(`worker workload: task ${i} answered ${String(out[i])}, not ${i + 1}`);
  return perSecond(n, dt);
}

/** Per contender: its tasks/s in each round, and the raw limit's mean of the blocks around it (the paired reference). */
export interface BracketedRuns {
  readonly tput: Record<string, number[]>;
  readonly reference: Record<string, number[]>;
}

/**
 * `rounds` rounds; in each, every contender (order rotated per round) runs one pipelined block
 * of `n` tasks bracketed by a block of `limit` before and after.
 *
 * @example
 * const runs = await bracketedThroughput(raw, { arbor, piscina }, 100_000, 3);
 */
export async function bracketedThroughput(limit: TaskRunner, contenders: Readonly<Record<string, TaskRunner>>, n: number, rounds: number): Promise<BracketedRuns> {
  const names = Object.keys(contenders);
  const tput: Record<string, number[]> = { limit: [] };
  const reference: Record<string, number[]> = {};
  for (const name of names) {
    tput[name] = [];
    reference[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const before = await pipelined(limit, n);
      const v = await pipelined(contenders[name]!, n);
      const after = await pipelined(limit, n);
      tput['limit']!.push(before, after);
      tput[name]!.push(v);
      reference[name]!.push((before + after) / 2);
    }
    if (names.length === 0) tput['limit']!.push(await pipelined(limit, n));
  }
  return { tput, reference };
}

/**
 * Median of a contender's paired ratios (its block over the mean of the limit blocks around it).
 *
 * @example
 * pairedRatio(runs, 'arbor'); // 0.93: Arbor ran at 93% of the raw blocks around it
 */
export function pairedRatio(runs: BracketedRuns, name: string): number {
  const v = runs.tput[name] ?? [];
  const ref = runs.reference[name] ?? [];
  return round3(median(v.map((x, i) => x / ref[i]!)));
}

/** Medians of a bracketed run: arbor (0 when missing), the limit around arbor, the peers. */
export function figures(runs: BracketedRuns, peers: readonly string[]): { arbor: number; limit: number; peers: Record<string, number> } {
  const hasArbor = (runs.tput['arbor']?.length ?? 0) > 0;
  return {
    arbor: hasArbor ? median(runs.tput['arbor']!) : 0,
    limit: median(hasArbor ? runs.reference['arbor']! : runs.tput['limit']!),
    peers: Object.fromEntries(peers.map((p) => [p, median(runs.tput[p]!)])),
  };
}

/** Each contender's paired ratio to the limit (its block over the limit blocks around it), `paired_ratio_<name>`. */
export function pairedRatios(runs: BracketedRuns, names: readonly string[], suffix = ''): Record<string, number> {
  return Object.fromEntries(names.filter((n) => (runs.tput[n]?.length ?? 0) > 0).map((n) => [`paired_ratio_${n}${suffix}`, pairedRatio(runs, n)]));
}

/** Per contender: the median and p99 round trip in microseconds, per round. */
export interface RttRuns {
  readonly median: Record<string, number[]>;
  readonly p99: Record<string, number[]>;
}

/**
 * Sequential round trips: `s` per contender per round, in blocks of 100 interleaved across the
 * contenders, so load from neighbours hits all of them alike.
 *
 * @example
 * const { median } = await interleavedRtt({ limit: raw, arbor }, 2_000, 3);
 */
export async function interleavedRtt(contenders: Readonly<Record<string, TaskRunner>>, s: number, rounds: number): Promise<RttRuns> {
  const names = Object.keys(contenders);
  const med: Record<string, number[]> = {};
  const p99: Record<string, number[]> = {};
  for (const name of names) {
    med[name] = [];
    p99[name] = [];
  }
  const block = Math.min(100, s);
  for (let r = 0; r < rounds; r++) {
    collectGarbage();
    await sleep(20);
    const lat: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let b = 0; b < s; b += block) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + r) % names.length]!;
        const runner = contenders[name]!;
        const l = lat[name]!;
        for (let i = 0; i < block; i++) {
          const t0 = now();
          const v = await runner.run(i);
          l.push(now() - t0);
          if (v !== i + 1) throw new Error(`worker workload: ${name} answered ${v}, not ${i + 1}`);
        }
      }
    }
    for (const name of names) {
      const sorted = lat[name]!.sort((a, b) => a - b);
      med[name]!.push(Math.round(percentile(sorted, 0.5) * 10_000) / 10);
      p99[name]!.push(Math.round(percentile(sorted, 0.99) * 10_000) / 10);
    }
  }
  return { median: med, p99 };
}

/**
 * Warms a runner up: 2,000 tasks at once, then 300 one by one (JIT, pool start-up, buffers).
 *
 * @example
 * await warmUp(arbor);
 */
export async function warmUp(runner: TaskRunner, n = 2_000): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => runner.run(i)));
  for (let i = 0; i < 300; i++) await runner.run(i);
}

/** How long one runner's close may take before the bench stops waiting for it. */
export const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Closes every runner, even when one fails to close, and throws the first failure. A close
 * that never settles (poolifier's `destroy()` sometimes does not: its promise stays pending
 * with nothing left to keep the event loop alive, so node would exit mid-bench) is given up
 * after {@link CLOSE_TIMEOUT_MS} with a warning on stderr; the OS processes the bench started
 * itself are closed with a SIGKILL fallback (see `endChild`).
 *
 * @example
 * await closeAll([raw, arbor, piscina]);
 */
export async function closeAll(runners: readonly (Pick<TaskRunner, 'label' | 'close'> | undefined)[]): Promise<void> {
  const bounded = runners.map(async (r, i) => {
    if (r === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
    });
    try {
      if ((await Promise.race([r.close(), gaveUp])) === 'timeout') process.stderr.write(`bench: worker runner ${r.label ?? String(i)} did not close within ${CLOSE_TIMEOUT_MS} ms; going on\n`);
    } finally {
      clearTimeout(timer);
    }
  });
  const results = await Promise.allSettled(bounded);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
