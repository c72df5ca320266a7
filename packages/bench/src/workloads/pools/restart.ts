/**
 * `pool_restart_ms`: milliseconds from killing a checkout pool's manager until the pool
 * answers a checkout by name again (lower is better); median and p95 over `poolKills` kills.
 *
 * - arbor: a pool of 2 actor workers (`childSpec` of a trivial GenServer), `intensity: 1000,
 *   period: 1000` so the kills stay within its supervisor's restart intensity. Each kill:
 *   `system.exit(pool.manager, 'kill')` reads the clock; once the old manager is down, the
 *   bench polls `pool.checkout({ block: false })` (one poll per `setImmediate`, so the
 *   restart's own I/O runs between polls) until it answers a lease, which stops the clock.
 *   The pool supervisor is `one_for_all`, so its workers restart with the manager: the
 *   time includes stopping the old workers and starting the new ones. The lease's worker is
 *   then asked once (untimed) and checked in.
 * - limit: starting the same 2 workers in parallel the way the pool does
 *   (`DynamicSupervisor.startChild` of the same child spec, both awaited), pools.md §4.8's
 *   reference ("ready within 1.2x of starting its workers in parallel").
 * - `thread_*`: the same for a pool of 2 Arbor thread workers (`threadProfile`), against
 *   starting 2 of the same worker spec in parallel (each start resolves once the worker is
 *   ready, as the pool's do). Left out (null) when Arbor's workers are switched off.
 *
 * The four timings take turns (the order rotated at each kill), after one full GC per turn.
 */
import { DynamicSupervisor, childSpec, GenServer, type ActorRef, type ActorSystem, type Call, type ChildSpec, type DynamicSupervisorProtocol } from '@arbor/core';
import { Pools, PoolStoppedError, type CheckoutPool } from '@arbor/pool';
import { threadProfile, workerOf, workerSpec, type WorkerHandle } from '@arbor/worker-profiles';
import { makeRecord, type WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { collectGarbage, now, percentile, sleep } from '../../util.js';
import { ARBOR_WORKER_MODULE, loadArborWorkers, workerSystem } from '../workers/arbor.js';
import { median, round3 } from '../workers/measure.js';
import type { handlers } from '../workers/modules/arborWorker.js';

const WORKERS = 2;
/** A restart that takes longer than this fails the workload (the poll is bounded). */
const READY_DEADLINE_MS = 30_000;

/** The actor workers' protocol: `inc` answers `x + 1`. */
export interface IncProtocol {
  call: Call<'inc', number, { readonly x: number }>;
}

/** The trivial actor worker. */
export class Inc extends GenServer<IncProtocol, undefined, undefined> {
  override handleCall(req: IncProtocol['call']): number {
    return req.x + 1;
  }
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Asks a lease's worker `inc 1` and throws unless it answers 2. */
type Check = (worker: unknown) => Promise<void>;

/**
 * One kill: the ms from `system.exit(manager, 'kill')` to the first lease a non-blocking
 * checkout answers (the new manager's), then checks that worker and checks it in.
 *
 * @example
 * const ms = await killAndWait(system, pool, checkActor);
 */
export async function killAndWait(system: ActorSystem, pool: CheckoutPool<unknown>, check: Check): Promise<number> {
  const old = pool.manager;
  if (old === undefined) throw new Error(`pool_restart_ms: pool ${pool.name} has no manager before the kill`);
  const down = new Promise<void>((resolve) => system.monitor(old, () => resolve()));
  const t0 = now();
  system.exit(old, 'kill');
  await down;
  for (;;) {
    const r = await pool.checkout({ block: false }).catch((e: unknown) => {
      if (e instanceof PoolStoppedError) return undefined;
      throw e;
    });
    if (r !== undefined && r !== 'full') {
      const ms = now() - t0;
      try {
        if (pool.manager === old) throw new Error('pool_restart_ms: the lease came from the killed manager');
        await check(r.worker);
      } finally {
        r.checkin();
      }
      return ms;
    }
    if (now() - t0 > READY_DEADLINE_MS) throw new Error(`pool_restart_ms: pool ${pool.name} did not answer a checkout within ${READY_DEADLINE_MS} ms of its manager's kill`);
    await nextTurn();
  }
}

/**
 * The ms to start `WORKERS` children of `spec` in parallel under `sup` (each start resolved),
 * then checks each (untimed) and stops them (untimed).
 *
 * @example
 * const ms = await startWorkers(sup, spec, (ref) => checkActor(ref));
 */
export async function startWorkers(sup: ActorRef<DynamicSupervisorProtocol>, spec: ChildSpec, check: (ref: ActorRef) => Promise<void>): Promise<number> {
  const t0 = now();
  const results = await Promise.all(Array.from({ length: WORKERS }, () => DynamicSupervisor.startChild(sup, spec)));
  const ms = now() - t0;
  const refs = results.map((r) => {
    if (r.status !== 'ok') throw new Error(`pool_restart_ms: a reference worker failed to start (${r.status})`);
    return r.ref;
  });
  try {
    for (const ref of refs) await check(ref);
  } finally {
    await Promise.all(refs.map((ref) => DynamicSupervisor.terminateChild(sup, ref)));
  }
  return ms;
}

/** Median and p95 (nearest rank) in ms, to 2 decimals. */
function stats(ms: readonly number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return { median: r2(median(s)), p95: r2(percentile(s, 0.95)) };
}

/**
 * `pool_restart_ms` (see the file comment): target <= 1.2x the time to start the same workers,
 * for the actor pool (`arbor`) and the thread pool (`thread_ratio`).
 *
 * @example
 * const record = await poolRestartWorkload(QUICK);
 */
export async function poolRestartWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { system, shutdown } = await workerSystem();
  let pools: Pools | undefined;
  const stopRefs: ActorRef[] = [];
  try {
    pools = await Pools.start(system, { name: 'bench.restart' });
    const actorSpec = childSpec(Inc, undefined);
    const checkActor = async (w: unknown): Promise<void> => {
      const v = await system.call(w as ActorRef<IncProtocol>, { type: 'inc', x: 1 });
      if (v !== 2) throw new Error(`pool_restart_ms: an actor worker answered ${v}, not 2`);
    };
    const checkThread = async (w: unknown): Promise<void> => {
      const v = await (w as WorkerHandle<typeof handlers>).request('inc', 1);
      if (v !== 2) throw new Error(`pool_restart_ms: a thread worker answered ${v}, not 2`);
    };
    const limits = { intensity: 1000, period: 1000 };
    const actorPool = await pools.startPool({ name: 'bench-restart-actor', worker: actorSpec, size: WORKERS, ...limits });
    if (actorPool.status === 'error') throw actorPool.reason;
    const refSup = await DynamicSupervisor.start(system);
    stopRefs.push(refSup);

    const timers: Record<string, () => Promise<number>> = {
      actor: () => killAndWait(system, actorPool.pool as CheckoutPool<unknown>, checkActor),
      actor_start: () => startWorkers(refSup, { ...actorSpec, restart: 'temporary' }, checkActor),
    };
    const api = await loadArborWorkers();
    if (typeof api !== 'string') {
      const profile = threadProfile<typeof handlers>({ module: ARBOR_WORKER_MODULE });
      const threadPool = await pools.startPool({ name: 'bench-restart-thread', worker: profile, size: WORKERS, ...limits });
      if (threadPool.status === 'error') throw threadPool.reason;
      timers['thread'] = () => killAndWait(system, threadPool.pool as CheckoutPool<unknown>, checkThread);
      const spec = workerSpec({ profile }, { id: 'worker', restart: 'temporary' });
      timers['thread_start'] = () => startWorkers(refSup, spec, (ref) => checkThread(workerOf(system, ref)));
    }
    const names = Object.keys(timers);
    const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const n of names) await timers[n]!(); // warm-up: module caches, JIT
    for (let i = 0; i < sizes.poolKills; i++) {
      // One full GC per turn of the four, then a pause for the sweeper: a GC right before each
      // sub-millisecond timing would weigh on it more than the work it times.
      collectGarbage();
      await sleep(5);
      for (let k = 0; k < names.length; k++) {
        const n = names[(k + i) % names.length]!;
        ms[n]!.push(await timers[n]!());
      }
    }
    const actor = stats(ms['actor']!);
    const actorStart = stats(ms['actor_start']!);
    const thread = ms['thread'] !== undefined ? stats(ms['thread']) : undefined;
    const threadStart = ms['thread_start'] !== undefined ? stats(ms['thread_start']) : undefined;
    return makeRecord({
      arbor: actor.median,
      limit: actorStart.median,
      peers: {},
      unit: 'ms',
      better: 'lower',
      targets: [
        { against: 'limit', op: '<=', value: 1.2 },
        { against: 'absolute', of: 'thread_ratio', op: '<=', value: 1.2 },
      ],
      extra: {
        median: actor.median,
        p95: actor.p95,
        limit_p95: actorStart.p95,
        thread_ms: thread?.median ?? null,
        thread_p95: thread?.p95 ?? null,
        thread_start_ms: threadStart?.median ?? null,
        thread_start_p95: threadStart?.p95 ?? null,
        thread_ratio: thread !== undefined && threadStart !== undefined ? round3(thread.median / threadStart.median) : null,
        ...(typeof api === 'string' ? { thread_missing: api } : {}),
        kills: sizes.poolKills,
        workers: WORKERS,
        peer: 'none: no Node pool library restarts its own state under a supervisor',
      },
    });
  } finally {
    try {
      await pools?.stop();
      for (const ref of stopRefs) await system.stop(ref, 'shutdown').catch(() => undefined);
    } finally {
      await shutdown();
    }
  }
}
