/**
 * `restart_us`: microseconds from a supervised child's crash until its replacement is
 * registered under the child's name (lower is better). Median and p99 over many
 * crash/restart cycles.
 *
 * - arbor: a one_for_one `Supervisor` with one permanent child whose spec starts it with
 *   `options.name` (a local name), and an intensity larger than the number of cycles.
 *   Each cycle: read the clock, `cast` the child a message its `handleCast` answers by
 *   throwing a new Error, and wait. The runtime registers the replacement's name just
 *   before its `init` runs, so `init` reads the clock the moment
 *   `system.whereis(name)` starts answering the new ref, and resolves the cycle's promise.
 *   Then the cycle checks that `whereis(name)` is that ref, alive and not the old one.
 *   No polling, no timers.
 * - limit: the same shape in bare Node: the "cast" is one resolved-promise reaction (as
 *   Arbor's scheduler delivers), the handler throws a new Error, the catch drops the name
 *   from a Map, builds a replacement object, sets it under the name, and reads the clock.
 *   That is the least any in-process restart can cost: one microtask hop, one throw,
 *   one Map update.
 * - `respawn_*`: Arbor without a supervisor, for attribution: an outside monitor on the
 *   child spawns the replacement (with the same name) from its DOWN callback. The gap
 *   between it and arbor is what the supervisor itself adds (the EXIT message, its
 *   handler, the restart window, its reports).
 *
 * No peer: xstate 5 has no supervisor and no restart (a failed actor stays in an error
 * state until user code starts a new one), so there is nothing to measure.
 *
 * Rounds alternate (arbor, limit, respawn, arbor, ...) after a warm-up of a tenth of a
 * round each, with a full GC before each round. The samples of all rounds are pooled;
 * `median` and `p99` are nearest-rank percentiles of the pool.
 */
import { cast, GenServer, Supervisor, type ActorRef, type ActorSystem } from '@arbor/core';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { collectGarbage, now, percentile } from '../util.js';

/** The name the child is registered under. */
const NAME = 'restart_child';

/** One cycle's rendezvous: the next child's `init` reads the clock and resolves it. */
class Cycle {
  resolve: ((ref: ActorRef) => void) | null = null;
  reject: ((error: unknown) => void) | null = null;
  /** When the replacement's name became visible (its init ran). */
  visibleAt = 0;

  next(): Promise<ActorRef> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

interface CrashProtocol {
  cast: { readonly type: 'crash' };
}

const CRASH: CrashProtocol['cast'] = { type: 'crash' };

/** The supervised child: it announces each start, and crashes on any cast. */
class Crashy extends GenServer<CrashProtocol, undefined, Cycle> {
  override init(cycle: Cycle): void {
    cycle.visibleAt = now();
    const r = cycle.resolve;
    cycle.resolve = null;
    r?.(this.self);
  }

  override handleCast(_msg: CrashProtocol['cast']): void {
    throw new Error('crash requested');
  }
}

/**
 * Crashes the actor registered under NAME `k` times and returns the microseconds until each
 * replacement was visible. `arrange` runs before each crash: the supervised case needs
 * nothing, the unsupervised one sets up its own respawn.
 */
async function crashCycles(label: string, system: ActorSystem, cycle: Cycle, k: number, arrange?: (old: ActorRef) => void): Promise<number[]> {
  const out: number[] = new Array(k);
  for (let i = 0; i < k; i++) {
    const old = system.whereis<CrashProtocol>(NAME);
    if (old === undefined) throw new Error(`${label}: nothing registered as ${NAME}`);
    const next = cycle.next();
    arrange?.(old);
    const t0 = now();
    cast(old, CRASH);
    const ref = await next;
    out[i] = (cycle.visibleAt - t0) * 1000;
    if (ref === old || system.whereis(NAME) !== ref || !system.isAlive(ref)) {
      throw new Error(`${label}: cycle ${i} did not register a new live actor under ${NAME}`);
    }
  }
  return out;
}

/** The supervised restart: the supervisor does everything. */
function arborCycles(system: ActorSystem, cycle: Cycle, k: number): Promise<number[]> {
  return crashCycles('arbor restart', system, cycle, k);
}

/** Arbor with no supervisor: a DOWN callback spawns the replacement. */
function respawnCycles(system: ActorSystem, cycle: Cycle, k: number): Promise<number[]> {
  return crashCycles('respawn', system, cycle, k, (old) => {
    system.monitor(old, () => {
      system.spawn(Crashy, cycle, { name: NAME }).catch((e: unknown) => cycle.reject?.(e));
    });
  });
}

/** The bare-Node limit: a microtask delivers the "cast", the handler throws, the catch replaces the Map entry. */
class RawChild {
  handle(): void {
    throw new Error('crash requested');
  }
}

const resolved = Promise.resolve();

async function limitCycles(names: Map<string, RawChild>, k: number): Promise<number[]> {
  const out: number[] = new Array(k);
  for (let i = 0; i < k; i++) {
    const old = names.get(NAME)!;
    let visibleAt = 0;
    let t0 = 0;
    const next = new Promise<RawChild>((resolve) => {
      t0 = now();
      resolved.then(() => {
        try {
          old.handle();
        } catch {
          if (names.get(NAME) === old) names.delete(NAME);
          const fresh = new RawChild();
          names.set(NAME, fresh);
          visibleAt = now();
          resolve(fresh);
        }
      });
    });
    const fresh = await next;
    out[i] = (visibleAt - t0) * 1000;
    if (fresh === old || names.get(NAME) !== fresh) throw new Error(`limit restart: cycle ${i} did not replace ${NAME}`);
  }
  return out;
}

export async function restartWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { restartN: k, rounds } = sizes;
  const warm = Math.ceil(k / 10);
  const cycles = warm + k * rounds;

  const system = benchSystem();
  const respawnSystem = benchSystem();
  try {
    const cycle = new Cycle();
    // Every cycle is one restart: an intensity above their number, so the supervisor never gives up.
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      intensity: cycles + 1,
      period: 60_000,
      children: [{ id: 'child', start: { behaviour: Crashy, arg: cycle, options: { name: NAME } } }],
    });
    await respawnSystem.spawn(Crashy, cycle, { name: NAME });
    const names = new Map<string, RawChild>([[NAME, new RawChild()]]);

    await arborCycles(system, cycle, warm);
    await limitCycles(names, warm);
    await respawnCycles(respawnSystem, cycle, warm);

    const arbor: number[] = [];
    const limit: number[] = [];
    const respawn: number[] = [];
    for (let r = 0; r < rounds; r++) {
      collectGarbage();
      arbor.push(...(await arborCycles(system, cycle, k)));
      collectGarbage();
      limit.push(...(await limitCycles(names, k)));
      collectGarbage();
      respawn.push(...(await respawnCycles(respawnSystem, cycle, k)));
    }

    const [child] = await Supervisor.whichChildren(sup);
    if (child === undefined || child.ref !== system.whereis(NAME)) throw new Error('arbor restart: the supervisor does not list the registered child');

    for (const s of [arbor, limit, respawn]) s.sort((a, b) => a - b);
    const median = percentile(arbor, 0.5);
    const p99 = percentile(arbor, 0.99);
    return makeRecord({
      arbor: median,
      limit: percentile(limit, 0.5),
      peers: {},
      unit: 'us',
      better: 'lower',
      targets: [
        // OTP 25 on this kind of machine: ~200 us from kill to the new pid in the Registry (measured with Erlang/OTP 25 on the same kind of 2-core machine).
        { against: 'absolute', op: '<=', value: 200 },
        // No restart waits for a timer or an event-loop turn (the scheduler's slice is 1 ms).
        { against: 'absolute', of: 'p99', op: '<=', value: 1000 },
      ],
      extra: {
        median,
        p99,
        limit_p99: percentile(limit, 0.99),
        respawn_median: percentile(respawn, 0.5),
        respawn_p99: percentile(respawn, 0.99),
        peer: 'none: xstate 5 has no supervisor or restart',
        cycles: k * rounds,
        rounds,
      },
    });
  } finally {
    await system.shutdown();
    await respawnSystem.shutdown();
  }
}
