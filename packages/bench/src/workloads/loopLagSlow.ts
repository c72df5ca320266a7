/**
 * `loop_lag_slow_handler`: event-loop delay p99 (ms) while one actor whose handler costs
 * ~1 ms (a busy wait: a big dump, a parse) drains N queued messages (2,000).
 *
 * - arbor: N casts queued to a fresh, suspended `SlowCounter`, then the drain is measured
 *   as in `loop_lag_ms` (a `monitorEventLoopDelay` histogram at 1 ms resolution, the actor
 *   resumed, the drain awaited with a call). A scheduler that checks its slice only
 *   between actor turns lets the one actor run a whole turn, `budget` (256) messages,
 *   about 256 ms, before timers run; one that checks inside the turn yields within a few.
 * - limit: the limits.mjs ring with the same N messages and the same handler, drained
 *   reading the clock after every message and yielding with `setImmediate` once a slice
 *   reaches `sliceMs`: with 1 ms messages, a yield after each message, the least lag a
 *   queue of such messages allows.
 *
 * Beside the p99: `max`, `samples`, `drain_ms`, `idle_p99` (the histogram's own floor,
 * about 1.1 ms) and `limit_max`. No peer: xstate's `send` is synchronous.
 */
import { call, cast, GenServer, type ActorSystem, type Call } from '@arbor/core';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Ring } from '../subjects.js';
import { collectGarbage, now } from '../util.js';
import { idleP99, measure, type Drain } from './loopLag.js';

const HANDLER_MS = 1;
const WORK = { type: 'work' } as const;

/** Holds the thread for `ms`. */
function busyWait(ms: number): void {
  const end = now() + ms;
  while (now() < end);
}

/** Counts casts, each costing ~1 ms of handler time. */
class SlowCounter extends GenServer<{ cast: typeof WORK; call: Call<'get', number> }, number> {
  override init(): void {
    this.state = 0;
  }
  override handleCast(): void {
    busyWait(HANDLER_MS);
    this.state++;
  }
  override handleCall(): number {
    return this.state;
  }
}

async function arborDrain(system: ActorSystem, n: number, warmUp = false): Promise<Drain> {
  const ref = await system.spawn(SlowCounter, undefined);
  await system.suspend(ref);
  for (let i = 0; i < n; i++) cast(ref, WORK);
  collectGarbage();
  const d = await measure('arbor slow drain', n, warmUp, async () => {
    const [, total] = await Promise.all([system.resume(ref), call(ref, { type: 'get' }, { timeout: Infinity })]);
    return total;
  });
  await system.stop(ref);
  return d;
}

async function limitDrain(n: number, sliceMs: number, warmUp = false): Promise<Drain> {
  const q = new Ring();
  for (let i = 0; i < n; i++) q.push(WORK);
  collectGarbage();
  return measure('ring slow drain', n, warmUp, () => {
    let s = 0;
    return new Promise<number>((resolve) => {
      const slice = (): void => {
        const start = now();
        for (;;) {
          if (q.shift() === undefined) return resolve(s);
          busyWait(HANDLER_MS);
          s++;
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

export async function loopLagSlowHandlerWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const n = sizes.slowLagN;
  const system = benchSystem();
  const { sliceMs } = system.scheduler;
  try {
    await arborDrain(system, Math.ceil(n / 10), true);
    await limitDrain(Math.ceil(n / 10), sliceMs, true);
    const idle = await idleP99(200);
    const arbor = await arborDrain(system, n);
    const limit = await limitDrain(n, sliceMs);
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
        limit_max: limit.max,
        limit_drain_ms: limit.drainMs,
        idle_p99: idle,
        handler_ms: HANDLER_MS,
        slice_ms: sliceMs,
        n,
      },
    });
  } finally {
    await system.shutdown();
  }
}
