/**
 * Part three of the tour: two named checkout pools (@arbor/pool) in an application's tree,
 * one of actors and one of Python processes.
 *
 * ```
 * pooling (rest_for_one)
 * ├─ process-registry  ProcessRegistry (records every Python worker; stops them at shutdown)
 * └─ pools             Pools tree (rest_for_one): pools.registry, pools.supervisor
 *    ├─ clerks         PoolSupervisor (one_for_all): workers, manager — 2 Clerk GenServers
 *    └─ py             PoolSupervisor (one_for_all): workers, manager — 2 python3 workers (+1 overflow)
 * ```
 *
 * 1. Checkouts and transactions on both pools; with every worker checked out, a
 *    non-blocking checkout answers `'full'`, a blocking one waits (or times out), and the
 *    overflow worker of `py` stops when it is checked in.
 * 2. `py`'s manager is killed four times (`system.exit(pool.manager, 'kill')`): its pool
 *    supervisor (one_for_all) restarts the manager and new Python workers; the third kill
 *    exceeds the pool's intensity (2 in 30 s), so the pools supervisor restarts the whole
 *    pool. The pool answers by name after every restart; `clerks` is not touched.
 * 3. The status of each pool, and the managers' lines in the dump (their formatStatus).
 * 4. `stopPool('py')` stops it by name; no Python process is left (checked in /proc).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, childSpec, createLogger, createSystem, dump, renderDump, startApplication, Supervisor, type ActorSystem, type LogLevel } from '@arbor/core';
import { CheckoutTimeoutError, Pools, PoolStoppedError, type CheckoutPool, type Lease, type PoolStatus } from '@arbor/pool';
import { ProcessRegistry } from '@arbor/process-registry';
import { pythonProfile, type WorkerHandle } from '@arbor/worker-profiles';
import type { PyApi } from './PyApi.js';
import { Clerk, type Served } from './Clerk.js';
import { alive, waitFor } from '../support/proc.js';

/**
 * One Python generation of the `py` pool: the manager killed, and the workers' pids
 * before and after the restart.
 *
 * @example
 * const k: ManagerKill = { kill: 1, supervisorRestarted: false, pidsBefore: [101, 102], pidsAfter: [103, 104], oldPidsGone: true };
 */
export interface ManagerKill {
  readonly kill: number;
  /** Whether the pool's supervisor itself was replaced (its intensity was exceeded). */
  readonly supervisorRestarted: boolean;
  readonly pidsBefore: readonly number[];
  readonly pidsAfter: readonly number[];
  /** The workers of the killed generation were stopped with it (one_for_all). */
  readonly oldPidsGone: boolean;
}

/**
 * What the pools scene observed.
 *
 * @example
 * const { kills, stopPool, pidsLeft } = await runPools(console.log); // stopPool: 'ok', pidsLeft: []
 */
export interface PoolsSummary {
  /** The application root's children, in start order. */
  readonly rootChildren: readonly string[];
  /** What `startPool` answered for each pool, and for `clerks` started a second time. */
  readonly started: { readonly clerks: string; readonly py: string; readonly clerksAgain: string };
  readonly namesAtStart: readonly string[];
  /** Actor pool: what the transactions answered, in order. */
  readonly clerkReplies: readonly Served[];
  /** Actor pool with both clerks checked out: its status, what a non-blocking checkout answered, a blocking one with `timeoutMs: 100`. */
  readonly clerksFull: PoolStatus;
  readonly clerksNonBlocking: string;
  readonly clerksTimeout: { readonly errorClass: string; readonly code: string };
  /** A blocking checkout waited (status `waiting: 1`) and got the worker checked in next. */
  readonly clerksWhileWaiting: PoolStatus;
  readonly waiterGotCheckedInWorker: boolean;
  /** Python pool: the transactions' replies, in order. */
  readonly pyReplies: readonly unknown[];
  /** Python pool with 3 leases (size 2 + 1 overflow): status, a non-blocking checkout, the overflow pid and whether it stopped at check-in. */
  readonly pyFull: PoolStatus;
  readonly pyNonBlocking: string;
  readonly overflowPid: number;
  readonly overflowStopped: boolean;
  readonly pyAfterCheckin: PoolStatus;
  /** The four kills of py's manager. */
  readonly kills: readonly ManagerKill[];
  /** After the kills: what py answers by name and through the handle startPool gave. */
  readonly byNameAfterKills: number;
  readonly firstHandleAfterKills: number;
  /** Whether the clerks pool kept its manager and supervisor through py's crashes. */
  readonly clerksUntouched: boolean;
  /** Each pool's status before py is stopped. */
  readonly statuses: { readonly clerks: PoolStatus; readonly py: PoolStatus };
  /** The dump's lines for the two managers (formatStatus: pool, state, idle, ...). */
  readonly managerDumpLines: readonly string[];
  /** `stopPool('py')`, then: whether whereis still finds it, names, a call by name, stopPool again. */
  readonly stopPool: string;
  readonly foundAfterStop: boolean;
  readonly namesAfterStop: readonly string[];
  readonly callAfterStop: string;
  readonly stopPoolAgain: string;
  /** Every Python pid the py pool ran, the ones still running after stopPool, and any process left in /proc with this run's marker. */
  readonly pythonPids: readonly number[];
  readonly pidsLeft: readonly number[];
  readonly markedLeft: readonly number[];
  /** How the application stopped. */
  readonly stopResult: string;
}

/** The Python handlers file (this module runs from `dist/src/pools/`). */
const PY_SCRIPT = fileURLToPath(new URL('../../../python/handlers.py', import.meta.url));
/** The environment variable that marks this run's Python workers, so /proc can be searched for them. */
const MARKER = 'ARBOR_TOUR_POOL';

/** The running pids whose environment holds `MARKER=token` (this run's Python workers). */
function markedPids(token: string): number[] {
  const needle = `${MARKER}=${token}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

/** True when `wait` resolves, false when it rejects (a bounded poll that ran out). */
function settlesTrue(wait: Promise<void>): Promise<boolean> {
  return wait.then(
    () => true,
    () => false,
  );
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** A status in one line: `full (idle 0, checked out 2, overflow 0/0, waiting 0)`. */
function brief(s: PoolStatus): string {
  return `${s.state} (idle ${s.idle}, checked out ${s.checkedOut}, overflow ${s.overflow}/${s.maxOverflow}, waiting ${s.waiting})`;
}

/** A non-blocking checkout that must get a worker (the scene knows one is idle). */
async function take<W>(pool: CheckoutPool<W>): Promise<Lease<W>> {
  const lease = await pool.checkout({ block: false });
  if (lease === 'full') throw new Error(`pool ${pool.name} answered 'full' where a worker was idle`);
  return lease;
}

/** The pids of the py pool's workers now: checks out every one (non-blocking), asks its pid, checks them in. */
async function pidsOf(py: CheckoutPool<WorkerHandle<PyApi>>, count: number): Promise<number[]> {
  const leases: Lease<WorkerHandle<PyApi>>[] = [];
  try {
    for (let i = 0; i < count; i++) leases.push(await take(py));
    return await Promise.all(leases.map(async (l) => (await l.worker.metadata()).pid!));
  } finally {
    for (const l of leases) l.checkin();
  }
}

/**
 * Runs the scene on a fresh system, printing each step with `print`; stops the application
 * and checks /proc before it returns.
 *
 * @example
 * const summary = await runPools(console.log);
 */
export async function runPools(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<PoolsSummary> {
  print('\nPart three: two named checkout pools, one of actors, one of Python workers');
  if (process.platform !== 'linux') throw new Error('the pools scene needs Linux (/proc)');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-tour-pools-'));
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const system: ActorSystem = createSystem({ logger: createLogger(options.logLevel ?? 'warn') });
  try {
    const app = await startApplication(
      {
        strategy: 'rest_for_one',
        children: [
          childSpec(ProcessRegistry, { path: join(dir, 'process-registry.mdb'), name: 'process-registry', shutdownGraceMs: 1000 }, { id: 'process-registry', shutdown: 5000 }),
          Pools.childSpec({ name: 'pools' }),
        ],
      },
      { system, name: 'pooling', signals: false, shutdownTimeout: 10_000 },
    );
    const rootChildren = (await Supervisor.whichChildren(app.root)).map((c) => c.id);
    const pools = Pools.of(system, 'pools');
    print(`an application (rest_for_one) runs ${rootChildren.join(', ')}: the pools tree is Pools.childSpec({ name: 'pools' }), reached with Pools.of(system, 'pools')`);

    // ------------------------------------------------------------------ two named pools
    const clerkSpec = childSpec(Clerk, { hired: { count: 0 } });
    const c = await pools.startPool({ name: 'clerks', worker: clerkSpec, size: 2 });
    const p = await pools.startPool({
      name: 'py',
      worker: pythonProfile<PyApi>({ script: PY_SCRIPT, env: { [MARKER]: token } }),
      size: 2,
      maxOverflow: 1,
      intensity: 2,
      period: 30_000,
    });
    if (c.status === 'error') throw c.reason;
    if (p.status === 'error') throw p.reason;
    const again = await pools.startPool({ name: 'clerks', worker: clerkSpec, size: 5 });
    const clerks = c.pool;
    const py = p.pool;
    const namesAtStart = pools.names();
    print(`startPool({ name: 'clerks', worker: childSpec(Clerk, ...), size: 2 }) → ${c.status}`);
    print(`startPool({ name: 'py', worker: pythonProfile<PyApi>({ script: 'python/handlers.py' }), size: 2, maxOverflow: 1 }) → ${p.status}`);
    print(`startPool({ name: 'clerks', ... }) again → ${again.status} (the running pool's handle); pools.names() → ${show(namesAtStart)}`);

    // ------------------------------------------------------------------ 1. checkouts and transactions
    print('1. checkouts and transactions');
    const clerkReplies: Served[] = [];
    for (const customer of ['alice', 'bob']) {
      const s = await clerks.transaction((clerk) => call(clerk, { type: 'serve', customer }));
      clerkReplies.push(s);
      print(`  clerks.transaction((clerk) => call(clerk, { type: 'serve', customer: ${show(customer)} })) → ${show(s)}${customer === 'bob' ? '   (lifo: the clerk checked in last)' : ''}`);
    }
    const l1 = await clerks.checkout();
    const l2 = await clerks.checkout();
    const clerksFull = await clerks.status();
    const clerksNonBlocking = String(await clerks.checkout({ block: false }));
    print(`  two leases held (clerks.checkout() twice): status ${brief(clerksFull)}; clerks.checkout({ block: false }) → ${show(clerksNonBlocking)}`);
    const timedOut = await clerks.checkout({ timeoutMs: 100 }).then(
      () => new Error('the checkout of a full pool got a worker'),
      (e: unknown) => e,
    );
    if (!(timedOut instanceof CheckoutTimeoutError)) throw new Error(`a checkout of the full pool got ${String(timedOut)}, not a CheckoutTimeoutError`);
    print(`  clerks.checkout({ timeoutMs: 100 }) → ${timedOut.name} (${timedOut.code}): ${timedOut.message}`);
    const waiting = clerks.checkout();
    const clerksWhileWaiting = await clerks.status();
    const l1Clerk = (await call(l1.worker, { type: 'serve', customer: 'carol' })).clerk;
    l1.checkin();
    const l3 = await waiting;
    const waiterServed = await call(l3.worker, { type: 'serve', customer: 'dave' });
    const waiterGotCheckedInWorker = waiterServed.clerk === l1Clerk;
    print(`  a blocking clerks.checkout() waits (status ${brief(clerksWhileWaiting)}); l1.checkin() hands ${l1Clerk} to it: ${show(waiterServed)}`);
    l2.checkin();
    l3.checkin();

    const pyReplies: unknown[] = [];
    const sum = await py.transaction((w) => w.request('add', { a: 2, b: 3 }));
    pyReplies.push(sum);
    print(`  py.transaction((py) => py.request('add', { a: 2, b: 3 })) → ${sum}`);
    const words = await py.transaction((w) => w.request('word_count', 'to be or not to be'));
    pyReplies.push(words);
    print(`  py.transaction((py) => py.request('word_count', 'to be or not to be')) → ${show(words)}`);
    const pyLeases = [await py.checkout(), await py.checkout()];
    const overflowLease = await py.checkout();
    const pyFull = await py.status();
    const pyNonBlocking = String(await py.checkout({ block: false }));
    const leasePids = await Promise.all([...pyLeases, overflowLease].map(async (l) => (await l.worker.metadata()).pid!));
    const overflowPid = leasePids[2]!;
    print(`  three leases (pids ${leasePids.join(', ')}; the third is an overflow worker): status ${brief(pyFull)}; py.checkout({ block: false }) → ${show(pyNonBlocking)}`);
    overflowLease.checkin();
    const overflowStopped = await settlesTrue(waitFor('pools', 'the overflow worker to stop', () => !alive(overflowPid)));
    for (const l of pyLeases) l.checkin();
    const pyAfterCheckin = await py.status();
    print(`  checked in, the overflow worker stops at once (overflowIdleMs 0): pid ${overflowPid} ${overflowStopped ? 'is gone' : 'still runs'}; status ${brief(pyAfterCheckin)}`);

    // ------------------------------------------------------------------ 2. crashes
    print(`2. py's manager killed four times (system.exit(py.manager, 'kill')); the pool has intensity 2 in 30 s`);
    const pythonPids = new Set<number>(leasePids);
    const clerksManager = clerks.manager;
    const clerksSup = pools.whereis('clerks');
    const kills: ManagerKill[] = [];
    let pidsBefore = await pidsOf(py, 2);
    for (const pid of pidsBefore) pythonPids.add(pid);
    for (let kill = 1; kill <= 4; kill++) {
      const manager = py.manager;
      const sup = pools.whereis('py');
      if (manager === undefined || sup === undefined) throw new Error('py is not running before a kill');
      system.exit(manager, 'kill');
      await waitFor('pools', `py to answer by name after kill ${kill}`, async () => {
        const m = py.manager;
        if (m === undefined || m === manager) return false;
        const s = await py.status().catch(() => undefined);
        return s !== undefined && s.idle === 2;
      });
      const supervisorRestarted = pools.whereis('py') !== sup;
      const pidsAfter = await pidsOf(py, 2);
      for (const pid of pidsAfter) pythonPids.add(pid);
      const before = pidsBefore;
      const oldPidsGone = await settlesTrue(waitFor('pools', 'the killed generation’s Python workers to stop', () => !before.some(alive), 10_000));
      kills.push({ kill, supervisorRestarted, pidsBefore, pidsAfter, oldPidsGone });
      const who = supervisorRestarted
        ? `the pool supervisor exceeded its intensity and exited; the pools supervisor restarted the pool (a new supervisor, registered as 'py' again)`
        : `the pool supervisor (one_for_all) restarted the manager and the workers`;
      print(`  kill ${kill}: ${who}; pids ${pidsBefore.join(', ')} → ${pidsAfter.join(', ')} (${oldPidsGone ? 'the old ones are gone' : 'the old ones still run'})`);
      pidsBefore = pidsAfter;
    }
    const byNameAfterKills = await pools.pool<WorkerHandle<PyApi>>('py').transaction((w) => w.request('add', { a: 20, b: 22 }));
    const firstHandleAfterKills = await py.transaction((w) => w.request('add', { a: 1, b: 2 }));
    const clerksUntouched = clerks.manager === clerksManager && pools.whereis('clerks') === clerksSup;
    print(`  still reachable by name: pools.pool('py').transaction((py) => py.request('add', { a: 20, b: 22 })) → ${byNameAfterKills}; the handle startPool gave, add 1 + 2 → ${firstHandleAfterKills}`);
    print(`  clerks ${clerksUntouched ? 'kept its manager and supervisor' : 'was restarted too'}`);

    // ------------------------------------------------------------------ 3. status
    const statuses = { clerks: await clerks.status(), py: await py.status() };
    print('3. the status of each pool');
    print(`  clerks.status() → ${show(statuses.clerks)}`);
    print(`  py.status()     → ${show(statuses.py)}`);
    const managerDumpLines = renderDump(dump(system))
      .split('\n')
      .filter((l) => l.includes('PoolManager'))
      .map((l) => l.replace(/^[\s│├└─]+/u, ''));
    print('  the managers in the dump (their formatStatus):');
    for (const line of managerDumpLines) print(`    ${line}`);

    // ------------------------------------------------------------------ 4. stopPool by name
    const stopPool = await pools.stopPool('py');
    const foundAfterStop = pools.whereis('py') !== undefined;
    const namesAfterStop = pools.names();
    const callAfterStop = await pools
      .pool('py')
      .status()
      .then(
        () => 'answered',
        (e: unknown) => (e instanceof PoolStoppedError ? `${e.name} (${e.code})` : String(e)),
      );
    const stopPoolAgain = await pools.stopPool('py');
    print(`4. pools.stopPool('py') → ${show(stopPool)}; pools.whereis('py') → ${foundAfterStop ? 'a ref' : 'undefined'}; pools.names() → ${show(namesAfterStop)}`);
    print(`  pools.pool('py').status() → ${callAfterStop}; pools.stopPool('py') again → ${show(stopPoolAgain)}`);
    const all = [...pythonPids].sort((a, b) => a - b);
    const gone = await settlesTrue(waitFor('pools', 'the Python workers to be gone', () => !all.some(alive) && markedPids(token).length === 0, 10_000));
    const pidsLeft = gone ? [] : all.filter(alive);
    const markedLeft = gone ? [] : markedPids(token);
    print(
      `  the ${all.length} Python processes py ran (pids ${all.join(', ')}) ${pidsLeft.length === 0 ? 'are gone' : `left running: ${pidsLeft.join(', ')}`}; ` +
        `/proc holds ${markedLeft.length === 0 ? 'no process' : `processes ${markedLeft.join(', ')}`} with this run's ${MARKER}`,
    );
    const stopResult = await app.stop();
    print(`the application stopped (${stopResult}): the clerks pool and the process registry with it`);
    return {
      rootChildren,
      started: { clerks: c.status, py: p.status, clerksAgain: again.status },
      namesAtStart,
      clerkReplies,
      clerksFull,
      clerksNonBlocking,
      clerksTimeout: { errorClass: timedOut.name, code: timedOut.code },
      clerksWhileWaiting,
      waiterGotCheckedInWorker,
      pyReplies,
      pyFull,
      pyNonBlocking,
      overflowPid,
      overflowStopped,
      pyAfterCheckin,
      kills,
      byNameAfterKills,
      firstHandleAfterKills,
      clerksUntouched,
      statuses,
      managerDumpLines,
      stopPool,
      foundAfterStop,
      namesAfterStop,
      callAfterStop,
      stopPoolAgain,
      pythonPids: all,
      pidsLeft,
      markedLeft,
      stopResult,
    };
  } finally {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
