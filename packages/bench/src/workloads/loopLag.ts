/**
 * `loop_lag_ms`: event-loop delay while one actor drains a long queue.
 *
 * - arbor: N casts are queued to a fresh, suspended counter first (the synchronous sender
 *   loop is not measured). Then a `monitorEventLoopDelay` histogram (1 ms resolution, the
 *   finest Node allows) is enabled, and once it has taken its first sample the actor is
 *   resumed and the drain is awaited with `call(ref, get, { timeout: Infinity })`. The
 *   figure is the histogram's p99 in ms.
 *
 *   Why the suspension: the histogram never records the interval before its first sample.
 *   A drain that starts at once, which Arbor's does because the first cast arms a
 *   microtask, would hide its first slice and any GC pause in it.
 * - limit: the limits.mjs ring buffer with the same N messages, drained with the same
 *   yield discipline as Arbor's scheduler: batches of `budget` messages, and a
 *   `setImmediate` once a slice reaches `sliceMs`. This is the best any one-thread JS
 *   queue that yields like Arbor can do, measured the same way.
 *
 * The sender loop is excluded, and so is the garbage it leaves (the arrays the queue outgrew
 * while doubling to 8M slots): a full GC runs after the enqueue and before the histogram is
 * enabled, for Arbor and the limit alike. What remains is what the drain itself costs.
 *
 * Beside the p99: `max`, the number of histogram `samples`, `drain_ms`, and the V8 GC
 * pauses that started while the histogram ran (`gc_max_ms`, `gc_total_ms`). Holding millions of
 * queued messages makes for long major GCs, which no scheduler can slice. The histogram
 * records the time between runs of its 1 ms timer, so even an idle loop reads about 1.1 ms:
 * `idle_p99` is that baseline, measured in the same run. No peer: xstate's `send` is
 * synchronous, so it holds the loop for the whole drain.
 */
import { call, cast, type ActorSystem } from '@arbor/core';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter, INC, Ring, ringHandler, type IncMsg } from '../subjects.js';
import { collectGarbage, now, recordGcPauses, sleep } from '../util.js';

const NS_PER_MS = 1e6;

/** One drain's figures (shared with `loop_lag_slow_handler`). */
export interface Drain {
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
  readonly drainMs: number;
  readonly gcPauses: readonly number[];
}

/** Enables the histogram, awaits `drain()`, and reads the histogram and GC pauses. */
export async function measure(label: string, n: number, warmUp: boolean, drain: () => Promise<number>): Promise<Drain> {
  const gcs = recordGcPauses();
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  // Past the histogram's first (unrecorded) interval: from here on every stall is recorded.
  await sleep(2);
  const t0 = now();
  const total = await drain();
  const drainMs = now() - t0;
  h.disable();
  const gcPauses = await gcs.stop();
  if (total !== n) throw new Error(`${label}: counter is ${total}, expected ${n}`);
  if (h.count === 0 && !warmUp) {
    throw new Error(`${label}: the drain of ${n} messages took ${drainMs.toFixed(1)} ms, too short for the 1 ms histogram to sample; queue more`);
  }
  return { p99: h.percentile(99) / NS_PER_MS, max: h.max / NS_PER_MS, samples: h.count, drainMs, gcPauses };
}

async function arborDrain(system: ActorSystem, n: number, warmUp = false): Promise<Drain> {
  const ref = await system.spawn(Counter, 0);
  await system.suspend(ref);
  for (let i = 0; i < n; i++) cast(ref, INC);
  // Settle the GC debt of the (unmeasured) sender loop: the outgrown mailbox arrays.
  collectGarbage();
  const d = await measure('arbor drain', n, warmUp, async () => {
    const [, total] = await Promise.all([system.resume(ref), call(ref, { type: 'get' }, { timeout: Infinity })]);
    return total;
  });
  await system.stop(ref);
  return d;
}

async function limitDrain(n: number, sliceMs: number, budget: number, warmUp = false): Promise<Drain> {
  const q = new Ring();
  for (let i = 0; i < n; i++) q.push(INC);
  collectGarbage();
  return measure('ring drain', n, warmUp, () => {
    let s = 0;
    return new Promise<number>((resolve) => {
      const slice = (): void => {
        const start = now();
        for (;;) {
          for (let k = 0; k < budget; k++) {
            const m = q.shift();
            if (m === undefined) return resolve(s);
            s = ringHandler.handleCast(m as IncMsg, s);
          }
          if (now() - start >= sliceMs) {
            setImmediate(slice);
            return;
          }
        }
      };
      queueMicrotask(slice);
    });
  });
}

/** The histogram's p99 over `ms` of an idle loop (its 1 ms timer alone reads about 1.1 ms). */
export async function idleP99(ms: number): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await sleep(ms);
  h.disable();
  return h.percentile(99) / NS_PER_MS;
}

export async function loopLagWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const n = sizes.lagN;
  const system = benchSystem();
  // The limit yields exactly as Arbor's scheduler does (its settings, read from the system).
  const { sliceMs, budget } = system.scheduler;
  try {
    // Warm-up drains, not measured.
    await arborDrain(system, Math.ceil(n / 10), true);
    await limitDrain(Math.ceil(n / 10), sliceMs, budget, true);

    const idle = await idleP99(200);
    const arbor = await arborDrain(system, n);
    const limit = await limitDrain(n, sliceMs, budget);

    const gcMax = (d: Drain): number => Math.max(0, ...d.gcPauses);
    const gcTotal = (d: Drain): number => d.gcPauses.reduce((a, b) => a + b, 0);
    return makeRecord({
      arbor: arbor.p99,
      limit: limit.p99,
      peers: {},
      unit: 'ms (p99)',
      better: 'lower',
      targets: [{ against: 'absolute', op: '<=', value: 5 }],
      extra: {
        max: arbor.max,
        samples: arbor.samples,
        drain_ms: arbor.drainMs,
        gc_max_ms: gcMax(arbor),
        gc_total_ms: gcTotal(arbor),
        limit_max: limit.max,
        limit_drain_ms: limit.drainMs,
        limit_gc_max_ms: gcMax(limit),
        idle_p99: idle,
        slice_ms: sliceMs,
        n,
      },
    });
  } finally {
    await system.shutdown();
  }
}
