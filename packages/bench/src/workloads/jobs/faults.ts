/**
 * `fault_settle_ms`: the fault matrix (pools.md §4.3) on job pools. Each fault hits a job
 * pool whose 2 workers are full of neighbour jobs (`hold`, {@link FAULT_CAP} per worker, the
 * faulting job among them), and is timed twice:
 *
 * - **settle**: from the fault (the faulting job's `run`, or the external kill) until every
 *   job of that worker has settled (the faulting job and its worker's neighbours, rejected
 *   with `JobWorkerExitError`); the other worker's neighbours must not settle.
 * - **capacity back**: until a probe job (`inc`), submitted once they settled, is answered.
 *   The other worker is still full, so the probe waits for the replacement worker.
 *
 * Faults: `exit` (`process.exit(1)` in a thread), `uncaught` (an exception thrown from a
 * timer ends the thread), `throw` (the task throws: its job alone fails, the worker stays),
 * `sigkill` (SIGKILL of a Node child of a `nodeProcessProfile` pool from outside), `oom` (a
 * job with `maxHeapBytes` runs alone on a heap-capped thread, `withHeapLimit`, and
 * allocates past it; settle is measured from its `run`, so it includes the allocation).
 * `arbor` is the worst settle over all faults and rounds (target <= 1,000 ms). Per fault,
 * `<fault>_capacity_ratio` is the median over the rounds of (capacity back − settle) over
 * the start of a worker of that kind measured just before that round's fault (a
 * `startWorker` of the same profile to its first `$task` reply; `_max` the worst round), and `capacity_ratio` the
 * worst fault's: target <= 1.0, capacity is back within one worker start.
 */
import type { ActorSystem } from '@arbor/core';
import { defineTask, JobPool, JobWorkerExitError, TASK_WORKER_URL, type JobPoolOptions } from '@arbor/pool';
import { nodeProcessProfile, startWorker, threadProfile } from '@arbor/worker-profiles';
import type { WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { now } from '../../util.js';
import { loadArborWorkers, workerRecord, workerSystem } from '../workers/arbor.js';
import { trackPid } from '../workers/children.js';
import { median, round3 } from '../workers/measure.js';
import { incTask, JOB_TASKS } from './jobRunner.js';

/** Neighbour jobs per worker (the pool's capacityPerWorker). */
export const FAULT_CAP = 4;
/** How long one fault may take to settle before the workload fails (a fault that never settles is a bug, not a figure). */
const SETTLE_BOUND_MS = 10_000;
/** The capped threads' heap in the `oom` fault. */
const OOM_HEAP_BYTES = 32 * 2 ** 20;

const hold = defineTask<[number], number>(JOB_TASKS, 'hold');
const pidTask = defineTask<[], number>(JOB_TASKS, 'pid');
const faultTasks = {
  exit: defineTask<[], never>(JOB_TASKS, 'exit'),
  uncaught: defineTask<[], never>(JOB_TASKS, 'uncaught'),
  throw: defineTask<[], never>(JOB_TASKS, 'fail'),
  oom: defineTask<[], number>(JOB_TASKS, 'hog'),
};

type Fault = 'exit' | 'uncaught' | 'throw' | 'sigkill' | 'oom';
const FAULTS: readonly Fault[] = ['exit', 'uncaught', 'throw', 'sigkill', 'oom'];

interface Settled {
  at: number;
  error: unknown;
}

/** Records when (and how) each tracked job settles; `until(n)` waits for `n` of them. */
class Tracker {
  readonly settled: Settled[] = [];
  #waiters: { n: number; resolve(): void }[] = [];

  track(p: Promise<unknown>): void {
    p.then(
      () => this.#add({ at: now(), error: undefined }),
      (error: unknown) => this.#add({ at: now(), error }),
    );
  }

  #add(s: Settled): void {
    this.settled.push(s);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.settled.length < w.n) return true;
      w.resolve();
      return false;
    });
  }

  async until(n: number, what: string): Promise<void> {
    if (this.settled.length >= n) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.#waiters.push({ n, resolve })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`fault_settle_ms: ${what}: ${this.settled.length} of ${n} jobs settled within ${SETTLE_BOUND_MS} ms`)), SETTLE_BOUND_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Waits (bounded) until the pool has `n` workers and nothing running or queued. */
async function settledPool(pool: JobPool, n: number): Promise<void> {
  const deadline = now() + SETTLE_BOUND_MS;
  for (;;) {
    const s = pool.status();
    if (s.workers >= n && s.starting === 0 && s.running === 0 && s.queued === 0) return;
    if (now() > deadline) throw new Error(`fault_settle_ms: pool ${pool.name} did not come back to ${n} idle workers (${JSON.stringify(s)})`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The pool's worker pids (two concurrent jobs land on the two workers), tracked for the leftover check. */
async function pids(pool: JobPool): Promise<number[]> {
  const out = await Promise.all([pool.run(pidTask, []), pool.run(pidTask, [])]);
  for (const p of out) trackPid(p);
  if (out[0] === out[1]) throw new Error('fault_settle_ms: two concurrent jobs ran on one worker');
  return out;
}

interface FaultRun {
  readonly settleMs: number;
  readonly capacityMs: number;
}

/** One fault on a pool of 2 full workers (see the file comment). */
async function oneFault(pool: JobPool, fault: Exclude<Fault, 'oom'>, victim: number | undefined): Promise<FaultRun> {
  const t = new Tracker();
  const neighbours = fault === 'sigkill' ? 2 * FAULT_CAP : 2 * FAULT_CAP - 1;
  for (let i = 0; i < neighbours; i++) t.track(pool.run(hold, [60_000], { name: 'hold' }));
  await new Promise((r) => setTimeout(r, 20)); // every neighbour reached its worker
  let t0: number;
  if (fault === 'sigkill') {
    t0 = now();
    process.kill(victim!, 'SIGKILL');
  } else {
    t0 = now();
    t.track(pool.run(faultTasks[fault], []));
  }
  // the jobs of that worker: the fault job and FAULT_CAP - 1 neighbours (sigkill: FAULT_CAP neighbours); throw: the job alone
  const expected = fault === 'throw' ? 1 : FAULT_CAP;
  await t.until(expected, fault);
  const settleMs = Math.max(...t.settled.map((s) => s.at)) - t0;
  for (const s of t.settled) {
    const ok = fault === 'throw' ? s.error instanceof Error && !(s.error instanceof JobWorkerExitError) : s.error instanceof JobWorkerExitError;
    if (!ok) throw new Error(`fault_settle_ms: ${fault}: a job settled with ${String(s.error)}`);
  }
  const probe = await pool.run(incTask, [41]);
  const capacityMs = now() - t0;
  if (probe !== 42) throw new Error(`fault_settle_ms: ${fault}: the probe answered ${probe}`);
  if (t.settled.length !== expected) throw new Error(`fault_settle_ms: ${fault}: ${t.settled.length} jobs settled, not the ${expected} of the faulted worker`);
  pool.kill('hold');
  await t.until(neighbours + (fault === 'sigkill' ? 0 : 1), `${fault} cleanup`);
  return { settleMs, capacityMs };
}

/** The `oom` fault: a capped job allocates past its heap on its own capped thread. */
async function oomFault(pool: JobPool): Promise<FaultRun> {
  const capped = { maxHeapBytes: OOM_HEAP_BYTES };
  if ((await pool.run(incTask, [1], capped)) !== 2) throw new Error('fault_settle_ms: oom: the capped warm-up job failed');
  const t = new Tracker();
  const t0 = now();
  t.track(pool.run(faultTasks.oom, [], capped));
  await t.until(1, 'oom');
  const settleMs = t.settled[0]!.at - t0;
  const e = t.settled[0]!.error;
  if (!(e instanceof JobWorkerExitError && e.code === 'oom')) throw new Error(`fault_settle_ms: oom: the job settled with ${String(e)}, not JobWorkerExitError oom`);
  if ((await pool.run(incTask, [41], capped)) !== 42) throw new Error('fault_settle_ms: oom: the probe failed');
  return { settleMs, capacityMs: now() - t0 };
}

/** Median ms of `n` starts of a worker of `profile` to its first `$task` reply. */
async function startMs(system: ActorSystem, profile: unknown, n: number, label: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    const h = await startWorker(system, { profile: profile as never, name: `bench-fault-start-${label}-${i}` });
    await h.request('$task' as never, { u: JOB_TASKS.href, n: 'inc', a: [1] } as never);
    times.push(now() - t0);
    trackPid((await h.metadata()).pid);
    await h.stop();
  }
  return median(times);
}

/**
 * `fault_settle_ms` (see the file comment).
 *
 * @example
 * const record = await faultSettleWorkload(QUICK);
 */
export async function faultSettleWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const api = await loadArborWorkers();
  const targets = [
    { against: 'absolute', op: '<=', value: 1_000 },
    { against: 'absolute', of: 'capacity_ratio', op: '<=', value: 1.0 },
  ] as const;
  if (typeof api === 'string') return workerRecord(api, { arbor: 0, limit: null, peers: {}, unit: 'ms', better: 'lower', targets });
  const { system, shutdown } = await workerSystem();
  try {
    const base = { minWorkers: 2, maxWorkers: 2, capacityPerWorker: FAULT_CAP, maxQueue: Infinity, queueTimeoutMs: Infinity, intensity: 1_000, period: 1_000 } satisfies Partial<JobPoolOptions>;
    const threads = await JobPool.start(system, { name: 'bench-fault-threads', profile: threadProfile({ module: TASK_WORKER_URL, capacity: FAULT_CAP }), ...base });
    const procs = await JobPool.start(system, { name: 'bench-fault-procs', profile: nodeProcessProfile({ module: TASK_WORKER_URL }), ...base });
    const capped = await JobPool.start(system, { name: 'bench-fault-oom', profile: threadProfile({ module: TASK_WORKER_URL, capacity: FAULT_CAP }), ...base, minWorkers: 1 });
    const threadRef = threadProfile({ module: TASK_WORKER_URL });
    const procRef = nodeProcessProfile({ module: TASK_WORKER_URL });
    const cappedRef = threadRef.withHeapLimit?.(OOM_HEAP_BYTES) ?? threadRef; // oom: a capped thread, as the pool starts for the class
    const runs: Record<Fault, FaultRun[]> = { exit: [], uncaught: [], throw: [], sigkill: [], oom: [] };
    const starts: Record<Fault, number[]> = { exit: [], uncaught: [], throw: [], sigkill: [], oom: [] };
    const rounds = sizes.faultRounds;
    for (let r = 0; r < rounds; r++) {
      for (const fault of FAULTS) {
        // the paired reference: one start of a worker of that kind just before the fault
        starts[fault].push(await startMs(system, fault === 'sigkill' ? procRef : fault === 'oom' ? cappedRef : threadRef, 1, `${fault}-${r}`));
        if (fault === 'oom') {
          runs.oom.push(await oomFault(capped));
          await settledPool(capped, 1);
        } else if (fault === 'sigkill') {
          const [a, b] = await pids(procs);
          runs.sigkill.push(await oneFault(procs, 'sigkill', r % 2 === 0 ? a : b));
          await settledPool(procs, 2);
        } else {
          runs[fault].push(await oneFault(threads, fault, undefined));
          await settledPool(threads, 2);
        }
      }
    }
    await pids(procs); // the last replacement's pid, for the leftover check
    const extra: Record<string, unknown> = {};
    let worst = 0;
    let capacityRatio = 0;
    for (const fault of FAULTS) {
      const settle = Math.max(...runs[fault].map((x) => x.settleMs));
      const capacity = Math.max(...runs[fault].map((x) => x.capacityMs));
      const ratios = runs[fault].map((x, i) => (x.capacityMs - x.settleMs) / starts[fault][i]!);
      const ratio = median(ratios);
      extra[`${fault}_settle_ms`] = round3(settle);
      extra[`${fault}_capacity_ms`] = round3(capacity);
      extra[`${fault}_capacity_ratio`] = round3(ratio);
      extra[`${fault}_capacity_ratio_max`] = round3(Math.max(...ratios));
      worst = Math.max(worst, settle);
      capacityRatio = Math.max(capacityRatio, ratio);
    }
    return workerRecord(undefined, {
      arbor: round3(worst),
      limit: null,
      peers: {},
      unit: 'ms',
      better: 'lower',
      targets,
      extra: {
        capacity_ratio: round3(capacityRatio),
        ...extra,
        thread_start_ms: round3(median(FAULTS.filter((f) => f !== 'sigkill' && f !== 'oom').flatMap((f) => starts[f]))),
        capped_thread_start_ms: round3(median(starts.oom)),
        node_process_start_ms: round3(median(starts.sigkill)),
        per_worker: FAULT_CAP,
        rounds,
        peer: 'none here: pools.md §2.3 ran the peers (piscina and workerpool settle every job; tinypool and poolifier hang)',
      },
    });
  } finally {
    await shutdown();
  }
}
