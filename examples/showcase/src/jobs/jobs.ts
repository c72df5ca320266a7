/**
 * Part nine of the demo: job pools (@arbor/pool). A shared pool of worker threads, and a
 * tenant pool that runs nothing itself: it admits jobs against its own limits and
 * delegates them to the shared pool.
 *
 * ```
 * jobs (rest_for_one)
 * ├─ process-registry  ProcessRegistry (for the Python pool of step 5, the crash barrier)
 * └─ arbor.pools       Pools tree (rest_for_one): arbor.pools.registry, arbor.pools.supervisor
 *    ├─ shared         JobPoolSupervisor (one_for_all): workers (threads of TASK_WORKER_URL), manager
 *    │                 2 to 3 workers, a 256 MiB budget
 *    └─ tenant-a       JobPoolSupervisor (one_for_all): manager only (delegateTo: 'shared')
 *                      a 96 MiB budget, 2 jobs at once
 * ```
 *
 * 1. Jobs run through both pools (`run`, `async` + `await`), typed by `defineTask`.
 * 2. Budgets hold: while a 64 MiB tenant job runs, another 64 MiB tenant job is rejected
 *    `insufficient_memory` by tenant-a (96 MiB), and the shared pool still runs others.
 * 3. An OOM job: a job with its own `maxHeapBytes` runs alone on a worker of that heap class
 *    (`profile.withHeapLimit`); it allocates past its cap and is rejected `oom`, while its
 *    neighbours finish and the default workers are the same threads after it.
 * 4. Kills: `tenant.kill(name)` reaches the jobs in the shared pool (and the one still
 *    queued in the tenant), `killRef` kills one `async` job; the budgets go back to 0.
 * 5. The crash barrier: a Python worker crashes (SIGSEGV) under an idempotent job; its slot
 *    is tainted and the job runs again on the other worker; a job that is not idempotent
 *    fails `worker_exit` after one run.
 * 6. The status of each pool and the managers' lines in the dump; the application stops,
 *    and every worker thread the pools ran is gone (checked in /proc/self/task).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childSpec, createLogger, createSystem, dump, renderDump, startApplication, Supervisor, type ActorSystem, type LogLevel } from '@arbor/core';
import { defineTask, JobKilledError, JobRejectedError, JobWorkerExitError, Pools, TASK_WORKER_URL, type JobPool, type JobPoolStatus } from '@arbor/pool';
import { ProcessRegistry } from '@arbor/process-registry';
import { pythonProfile, PYTHON_TASKS_PATH, threadProfile } from '@arbor/worker-profiles';
import { alive, waitFor } from '../support/proc.js';

/** `waitFor` of this scene, 10 s by default. */
const waitJobs = (what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> => waitFor('job pools', what, cond, timeoutMs);

const MiB = 2 ** 20;
/** The tasks module (this module runs from `dist/src/jobs/`, next to `tasks.js`). */
const TASKS = new URL('./tasks.js', import.meta.url);
const add = defineTask<[number, number], number>(TASKS, 'add');
const whoami = defineTask<[], { threadId: number; osThreadId: number }>(TASKS, 'whoami');
const sleep = defineTask<[number], number>(TASKS, 'sleep');
const hog = defineTask<[], never>(TASKS, 'hog');
/** Python tasks (python/crashy_tasks.py; this module runs from dist/src/jobs/). */
const PY_TASKS = new URL('../../../python/crashy_tasks.py', import.meta.url);
const pyPid = defineTask<[], number>(PY_TASKS, 'pid');
const flaky = defineTask<[string], { pid: number; crashed_pid: number }>(PY_TASKS, 'flaky');

/**
 * What the job pools scene observed.
 *
 * @example
 * const { budget, oom, kill } = await runJobs(console.log); // budget.rejected.code: 'insufficient_memory', oom.code: 'oom'
 */
export interface JobsSummary {
  /** The application root's children, in start order. */
  readonly rootChildren: readonly string[];
  /** What `startJobPool` answered for each pool. */
  readonly started: { readonly shared: string; readonly tenant: string };
  /** 1. What the first jobs answered. */
  readonly firstRuns: { readonly tenantAdd: number; readonly sharedAdd: number; readonly awaited: number };
  /** 2. The second 64 MiB tenant job's rejection, the committed bytes at both levels meanwhile, the shared pool's jobs meanwhile, and the first tenant job's result. */
  readonly budget: {
    readonly rejected: { readonly errorClass: string; readonly code: string; readonly pool: string; readonly never: boolean };
    /** The shared pool's workers while the 64 MiB tenant job runs: `default`, or the heap cap (`64 MiB`). */
    readonly workersMeanwhile: readonly string[];
    readonly tenantCommittedMiB: number;
    readonly sharedCommittedMiB: number;
    readonly sharedRunsMeanwhile: readonly number[];
    readonly tenantJob: number;
    readonly tenantRejected: Readonly<Record<string, number>>;
  };
  /** 3. The OOM job's error, its neighbours' results, the default workers' threads before and after, what was committed after, and a job after it. */
  readonly oom: {
    readonly errorClass: string;
    readonly code: string;
    readonly exitReason: string;
    readonly neighbours: readonly number[];
    readonly workersBefore: number;
    readonly defaultThreadsBefore: readonly number[];
    readonly defaultThreadsAfter: readonly number[];
    readonly committedAfter: number;
    readonly afterwards: number;
  };
  /** 4. `tenant.kill('batch')` twice, what the jobs' callers got, the pools before and after, `killRef`. */
  readonly kill: {
    readonly sharedRunningBefore: number;
    readonly tenantQueuedBefore: number;
    readonly killed: number;
    readonly killedAgain: number;
    readonly outcomes: readonly string[];
    readonly after: { readonly tenantCommitted: number; readonly sharedCommitted: number; readonly sharedRunning: number; readonly tenantRunning: number };
    readonly killRef: readonly boolean[];
    readonly refOutcome: string;
  };
  /** 6. Each pool's status, the managers' dump lines, the OS threads the pools ran and those left after the stop, how the application stopped. */
  /** 5. The Python workers' pids, the retried job's answer (its pid, the pid that crashed), the taints and retries after it, and the non-idempotent job's outcome. */
  readonly crashBarrier: {
    readonly pyPidsBefore: readonly number[];
    readonly retried: { readonly pid: number; readonly crashed_pid: number };
    readonly taints: number;
    readonly retries: number;
    readonly notIdempotent: string;
    /** Every Python worker pid the step saw, and those still alive after the application stopped. */
    readonly pyPids: readonly number[];
    readonly pyPidsLeft: readonly number[];
  };
  readonly statuses: { readonly shared: JobPoolStatus; readonly tenant: JobPoolStatus };
  readonly managerDumpLines: readonly string[];
  readonly osThreads: readonly number[];
  readonly threadsLeft: readonly number[];
  readonly stopResult: string;
}

/** The threadIds of a job pool's default workers, from the dump (`worker:default` lines). */
function defaultThreads(system: ActorSystem): number[] {
  return renderDump(dump(system))
    .split('\n')
    .filter((l) => l.includes('worker:default: WorkerActor'))
    .map((l) => Number(/threadId=(\d+)/.exec(l)?.[1]))
    .sort((a, b) => a - b);
}

/** The job pools' workers from the dump, by heap class: `default` or `<n> MiB` (the cap of a `worker:<bytes>` child). */
function workerClasses(system: ActorSystem): string[] {
  return renderDump(dump(system))
    .split('\n')
    .map((l) => /(worker:(?:default|\d+)): WorkerActor/.exec(l)?.[1])
    .filter((id): id is string => id !== undefined)
    .map((id) => (id === 'worker:default' ? 'default' : `${Number(id.slice('worker:'.length)) / MiB} MiB`))
    .sort();
}

/** How a job ended, in a few words: its value, or its error's class and code. */
function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    (v) => `ok ${JSON.stringify(v)}`,
    (e: unknown) => (e instanceof JobKilledError ? `${e.name} (${e.code}, ${e.reason})` : e instanceof Error ? `${e.name} (${(e as { code?: string }).code})` : String(e)),
  );
}

/** A status in one line. */
function brief(s: JobPoolStatus): string {
  return `workers ${s.workers}, running ${s.running}, queued ${s.queued}, committed ${s.committedBytes / MiB} of ${s.maxMemoryBytes / MiB} MiB`;
}

/**
 * Runs the scene on a fresh system, printing each step with `print`; stops the application
 * and checks /proc before it returns.
 *
 * @example
 * const summary = await runJobs(console.log);
 */
export async function runJobs(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<JobsSummary> {
  print('\nPart nine: job pools, a shared pool of threads and a tenant pool delegating to it');
  if (process.platform !== 'linux') throw new Error('the job pools scene needs Linux (/proc)');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-showcase-jobs-'));
  const system: ActorSystem = createSystem({ logger: createLogger(options.logLevel ?? 'warn') });
  const osThreads = new Set<number>();
  const who = async (pool: JobPool): Promise<{ threadId: number; osThreadId: number }> => {
    const w = await pool.run(whoami, []);
    osThreads.add(w.osThreadId);
    return w;
  };
  try {
    const app = await startApplication(
      {
        strategy: 'rest_for_one',
        children: [
          childSpec(ProcessRegistry, { path: join(dir, 'process-registry.mdb'), name: 'process-registry', shutdownGraceMs: 1000 }, { id: 'process-registry', shutdown: 5000 }),
          Pools.childSpec(),
        ],
      },
      { system, name: 'jobs', signals: false, shutdownTimeout: 10_000 },
    );
    const rootChildren = (await Supervisor.whichChildren(app.root)).map((c) => c.id);
    const pools = Pools.of(system);
    print(`an application (rest_for_one) runs ${rootChildren.join(', ')}: job pools are named pools of the pools tree`);

    const s = await pools.startJobPool({ name: 'shared', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 2, maxWorkers: 3, maxMemoryBytes: 256 * MiB });
    const t = await pools.startJobPool({ name: 'tenant-a', delegateTo: 'shared', maxWorkers: 2, maxMemoryBytes: 96 * MiB, defaultMaxHeapBytes: 16 * MiB });
    if (s.status === 'error') throw s.reason;
    if (t.status === 'error') throw t.reason;
    const shared = s.pool;
    const tenant = t.pool;
    print(`startJobPool({ name: 'shared', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 2, maxWorkers: 3, maxMemoryBytes: 256 MiB }) → ${s.status}`);
    print(`startJobPool({ name: 'tenant-a', delegateTo: 'shared', maxWorkers: 2, maxMemoryBytes: 96 MiB, defaultMaxHeapBytes: 16 MiB }) → ${t.status} (no profile: it runs nothing itself)`);

    // ------------------------------------------------------------------ 1. jobs
    print('1. jobs, typed by defineTask<Args, Result>(new URL(\'./tasks.js\', import.meta.url), name)');
    const tenantAdd = await tenant.run(add, [2, 3]);
    const sharedAdd = await shared.run(add, [20, 22]);
    const ref = shared.async(add, [1, 2]);
    if (ref instanceof JobRejectedError) throw ref;
    const awaited = await shared.await(ref);
    const w1 = await who(shared);
    const w2 = await who(tenant);
    print(`  tenant.run(add, [2, 3]) → ${tenantAdd} (admitted by tenant-a, run by shared); shared.run(add, [20, 22]) → ${sharedAdd}`);
    print(`  shared.async(add, [1, 2]) → a JobRef; shared.await(ref) → ${awaited}`);
    print(`  whoami through shared → thread ${w1.threadId}, through tenant-a → thread ${w2.threadId} (the most recently used worker with room)`);

    // ------------------------------------------------------------------ 2. budgets
    print('2. budgets hold at both levels');
    const report = tenant.run(sleep, [300], { name: 'report', maxHeapBytes: 64 * MiB });
    const second = tenant.async(add, [1, 1], { maxHeapBytes: 64 * MiB });
    if (!(second instanceof JobRejectedError)) throw new Error('the second 64 MiB tenant job was admitted past tenant-a\'s 96 MiB');
    const rejected = { errorClass: second.name, code: second.code, pool: second.pool, never: (second as { never?: boolean }).never === true };
    print(`  tenant.run(sleep, [300], { maxHeapBytes: 64 MiB }) runs; tenant.async(add, [1, 1], { maxHeapBytes: 64 MiB }) → ${second.name} (${second.code}): ${second.message}`);
    await waitJobs('the tenant job to run in shared', () => shared.status().running === 1);
    const workersMeanwhile = workerClasses(system);
    print(`  shared's workers meanwhile: ${workersMeanwhile.join(', ')} (a job's own maxHeapBytes runs it alone on a worker capped there)`);
    const tenantCommittedMiB = tenant.status().committedBytes / MiB;
    const sharedCommittedMiB = shared.status().committedBytes / MiB;
    const sharedRunsMeanwhile: number[] = [];
    for (let i = 1; i <= 5; i++) sharedRunsMeanwhile.push(await shared.run(add, [i, i]));
    print(`  meanwhile committed: tenant-a ${tenantCommittedMiB} of 96 MiB, shared ${sharedCommittedMiB} of 256 MiB (the job counts at both levels)`);
    print(`  and the shared pool still runs others: shared.run(add, [i, i]) for i of 1..5 → ${JSON.stringify(sharedRunsMeanwhile)}`);
    const tenantJob = await report;
    const tenantRejected = tenant.status().rejected;
    print(`  the 64 MiB tenant job finished → ${tenantJob}; tenant-a's rejections by code: ${JSON.stringify(tenantRejected)}`);

    // ------------------------------------------------------------------ 3. an OOM job
    print('3. an OOM job: its own maxHeapBytes runs it alone on a worker capped there (profile.withHeapLimit)');
    const defaultThreadsBefore = defaultThreads(system);
    const workersBefore = defaultThreadsBefore.length;
    const neighbourJobs = [shared.run(sleep, [400]), shared.run(sleep, [450])];
    const oomError = await shared.run(hog, [], { maxHeapBytes: 32 * MiB }).then(
      () => new Error('the hog finished'),
      (e: unknown) => e,
    );
    if (!(oomError instanceof JobWorkerExitError)) throw new Error(`the hog job failed with ${String(oomError)}, not a JobWorkerExitError`);
    print(`  shared.run(hog, [], { maxHeapBytes: 32 MiB }) → ${oomError.name} (${oomError.code}): ${oomError.message}`);
    const neighbours = await Promise.all(neighbourJobs);
    await waitJobs('the capped worker to be gone', () => shared.status().workers === workersBefore && workerClasses(system).length === workersBefore);
    const defaultThreadsAfter = defaultThreads(system);
    const committedAfter = shared.status().committedBytes;
    const afterwards = await shared.run(add, [40, 2]);
    print(`  its neighbours (two sleeps on the default workers) finished → ${JSON.stringify(neighbours)}`);
    print(
      `  the default workers are threads ${defaultThreadsBefore.join(', ')} before and ${defaultThreadsAfter.join(', ')} after; committed ${committedAfter} bytes; shared.run(add, [40, 2]) → ${afterwards}`,
    );

    // ------------------------------------------------------------------ 4. kills
    print("4. kills: tenant.kill('batch') reaches the jobs delegated to shared");
    const batch = [1, 2, 3].map(() => tenant.run(sleep, [10_000], { name: 'batch' })); // 16 MiB each: tenant-a's defaultMaxHeapBytes
    await waitJobs('two batch jobs to run in shared', () => shared.status().running === 2);
    const sharedRunningBefore = shared.status().running;
    const tenantQueuedBefore = tenant.status().queued;
    print(`  three jobs named 'batch' (tenant-a runs 2 at once; 16 MiB each by default, committed only): shared ${brief(shared.status())}; tenant-a ${brief(tenant.status())}`);
    const killed = tenant.kill('batch');
    const killedAgain = tenant.kill('batch');
    const outcomes = await Promise.all(batch.map(outcome));
    const after = { tenantCommitted: tenant.status().committedBytes, sharedCommitted: shared.status().committedBytes, sharedRunning: shared.status().running, tenantRunning: tenant.status().running };
    print(`  tenant.kill('batch') → ${killed}, again → ${killedAgain}; the callers got ${outcomes.join('; ')}`);
    print(`  after: shared ${brief(shared.status())}; tenant-a ${brief(tenant.status())}`);
    const slow = shared.async(sleep, [10_000]);
    if (slow instanceof JobRejectedError) throw slow;
    const killRef = [shared.killRef(slow), shared.killRef(slow)];
    const refOutcome = await outcome(shared.await(slow));
    print(`  shared.killRef(ref) → ${killRef[0]}, again → ${killRef[1]}; shared.await(ref) → ${refOutcome}`);

    // ------------------------------------------------------------------ 5. the crash barrier
    // A job pool of Python workers (through the process registry above): the crash barrier is on
    // by default for process profiles. A worker crashes (SIGSEGV) under an idempotent job: its
    // slot is tainted, and the job runs again on the other, untainted worker.
    print('5. the crash barrier: a Python worker crashes under an idempotent job');
    const p = await pools.startJobPool({ name: 'py', profile: pythonProfile({ script: PYTHON_TASKS_PATH, registry: 'process-registry' }), minWorkers: 2, maxWorkers: 2 });
    if (p.status === 'error') throw p.reason;
    const py = p.pool;
    const pyPidsBefore = [...new Set(await Promise.all([py.run(pyPid, [], { name: 'pid' }), py.run(pyPid, [])]))].sort((a, b) => a - b);
    const marker = join(dir, 'crashed-once');
    const retried = await py.run(flaky, [marker], { idempotent: true });
    const pyStatus = py.status();
    const notIdempotent = await outcome(py.run(flaky, [join(dir, 'crashed-twice')]));
    print(`  py.run(flaky, [marker], { idempotent: true }) → answered by pid ${retried.pid}; the first run crashed pid ${retried.crashed_pid}`);
    print(`  py.status() → taints ${pyStatus.taints}, retries ${pyStatus.retries}: the crashed worker's slot is avoided for taintMs`);
    print(`  the same task, not idempotent → ${notIdempotent} (run once, never again)`);
    const crashBarrier = { pyPidsBefore, retried, taints: pyStatus.taints, retries: pyStatus.retries, notIdempotent };

    // ------------------------------------------------------------------ 6. status, dump, stop
    await Promise.all([who(shared), who(shared)]); // one on each default worker (capacity 1): the threads serving now, for the /proc check
    const statuses = { shared: shared.status(), tenant: tenant.status() };
    print('6. the status of each pool');
    print(`  shared.status()   → ${JSON.stringify(statuses.shared)}`);
    print(`  tenant.status()   → ${JSON.stringify(statuses.tenant)}`);
    const managerDumpLines = renderDump(dump(system))
      .split('\n')
      .filter((l) => l.includes('JobPoolManager'))
      .map((l) => l.replace(/^[\s│├└─]+/u, ''));
    print('  the managers in the dump (their formatStatus):');
    for (const line of managerDumpLines) print(`    ${line}`);
    const stopResult = await app.stop();
    const all = [...osThreads].sort((a, b) => a - b);
    let threadsLeft = all.filter((tid) => existsSync(`/proc/self/task/${tid}`));
    if (threadsLeft.length > 0) {
      await waitJobs('the worker threads to end', () => all.every((tid) => !existsSync(`/proc/self/task/${tid}`))).catch(() => undefined);
      threadsLeft = all.filter((tid) => existsSync(`/proc/self/task/${tid}`));
    }
    const pyPids = [...new Set([...crashBarrier.pyPidsBefore, crashBarrier.retried.pid, crashBarrier.retried.crashed_pid])].sort((a, b) => a - b);
    await waitJobs('the Python workers to exit', () => pyPids.every((pid) => !alive(pid))).catch(() => undefined);
    const pyPidsLeft = pyPids.filter(alive);
    print(`the Python workers (pids ${pyPids.join(', ')}) ${pyPidsLeft.length === 0 ? 'are gone' : `still run: ${pyPidsLeft.join(', ')}`}`);
    print(`the application stopped (${stopResult}); the OS threads the jobs ran on (${all.join(', ')}) ${threadsLeft.length === 0 ? 'are gone' : `still run: ${threadsLeft.join(', ')}`}`);
    return {
      rootChildren,
      started: { shared: s.status, tenant: t.status },
      firstRuns: { tenantAdd, sharedAdd, awaited },
      budget: { rejected, workersMeanwhile, tenantCommittedMiB, sharedCommittedMiB, sharedRunsMeanwhile, tenantJob, tenantRejected },
      oom: {
        errorClass: oomError.name,
        code: oomError.code,
        exitReason: oomError.exit.reason,
        neighbours,
        workersBefore,
        defaultThreadsBefore,
        defaultThreadsAfter,
        committedAfter,
        afterwards,
      },
      kill: { sharedRunningBefore, tenantQueuedBefore, killed, killedAgain, outcomes, after, killRef, refOutcome },
      crashBarrier: { ...crashBarrier, pyPids, pyPidsLeft },
      statuses,
      managerDumpLines,
      osThreads: all,
      threadsLeft,
      stopResult,
    };
  } finally {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
