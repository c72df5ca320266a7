/**
 * Part seven of the demo: workers in other threads and other languages as supervised
 * actors behind one typed interface (@arbor/worker-profiles).
 *
 * ```
 * workers (one_for_one)
 * ├─ process-registry  ProcessRegistry (records every OS worker; stops them at shutdown)
 * ├─ py                WorkerActor: python3 serving python/handlers.py over stdio frames
 * └─ thread            WorkerActor: a worker thread serving threadWorker.ts
 * ```
 *
 * 1. Both workers serve a few typed requests.
 * 2. The Python worker runs a slow request; while it sleeps, its pid is SIGKILLed from
 *    outside. The caller's promise rejects with `WorkerExitError` (the exit: `killed`, not
 *    by Arbor), the worker actor exits with that error, and the supervisor restarts it:
 *    the same name serves again, from a new process. The thread worker is not touched.
 * 3. The dump shows each worker's `formatStatus` (kind, pid or threadId, state, served).
 * 4. The orderly stop of the tree stops both workers; no process (or thread) is left.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childSpec, createLogger, createSystem, dump, renderDump, Supervisor, type ActorRef, type ActorSystem, type LogLevel } from '@arbor/core';
import { ProcessRegistry } from '@arbor/process-registry';
import { pythonProfile, threadProfile, WorkerExitError, workerOf, workerSpec, WorkerStoppedError, type WorkerExit } from '@arbor/worker-profiles';
import type { ThreadApi } from './threadWorker.js';
import { alive, waitFor } from '../support/proc.js';

/**
 * What `python/handlers.py` serves, written once as an interface (Python has no types
 * to share): it makes `workerOf<PyApi>(system, 'py').request(...)` typed.
 *
 * @example
 * const five = await workerOf<PyApi>(system, 'py').request('add', { a: 2, b: 3 });
 */
export interface PyApi {
  add(arg: { a: number; b: number }): number;
  word_count(text: string): Record<string, number>;
  /** Sleeps `seconds`, then answers its pid. */
  sleep(seconds: number): number;
  /** How many `sleep` requests run right now. */
  sleeping(arg: null): number;
}

/**
 * One request a worker served, as printed.
 *
 * @example
 * const first: ServedRequest = { worker: 'py', method: 'add', arg: { a: 2, b: 3 }, reply: 5 };
 */
export interface ServedRequest {
  readonly worker: 'py' | 'thread';
  readonly method: string;
  readonly arg: unknown;
  readonly reply: unknown;
}

/**
 * What the workers scene observed.
 *
 * @example
 * const { killed, restartedPyPid } = await runWorkers(console.log); // killed.exit: { reason: 'killed', by: 'external', ... }
 */
export interface WorkersSummary {
  /** The requests served before the kill, in order. */
  readonly served: readonly ServedRequest[];
  /** The Python worker's pid before the kill, and the thread worker's Node threadId. */
  readonly firstPyPid: number;
  readonly threadId: number;
  /** How many `sleep` requests ran in the Python process when it was killed. */
  readonly sleepingWhenKilled: number;
  /** What the slow request's caller got. */
  readonly killed: {
    readonly errorClass: string;
    readonly code: string;
    readonly method: string | undefined;
    readonly exit: Pick<WorkerExit, 'reason' | 'pid'> & { readonly by?: string; readonly signal?: string };
    readonly message: string;
  };
  /** The class of the error a request on the old handle gets after the restart. */
  readonly oldHandleError: string;
  /** The restarted Python worker: a new actor under the same name, a new process. */
  readonly restartedPyPid: number;
  readonly pyRefChanged: boolean;
  readonly replyAfterRestart: number;
  /** Whether the thread worker kept its actor (one_for_one restarts only the dead child). */
  readonly threadRefKept: boolean;
  /** The dump's lines for the two workers (with their formatStatus details). */
  readonly pyDumpLine: string;
  readonly threadDumpLine: string;
  /** After the orderly stop: the Python pids still running, and whether the thread's OS thread is gone. */
  readonly pidsLeft: readonly number[];
  readonly threadGone: boolean;
}

/** The Python handlers file, `python/handlers.py` of this package (this module runs from `dist/src/workers/`). */
const PY_SCRIPT = fileURLToPath(new URL('../../../python/handlers.py', import.meta.url));
const THREAD_MODULE = new URL('./threadWorker.js', import.meta.url);

function show(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Runs the scene on a fresh system, printing each step with `print`; stops the tree and
 * checks /proc before it returns.
 *
 * @example
 * const summary = await runWorkers(console.log);
 */
export async function runWorkers(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<WorkersSummary> {
  print('\nPart seven: a Python worker and a thread worker, supervised');
  if (process.platform !== 'linux') throw new Error('the workers scene needs Linux (/proc)');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-showcase-workers-'));
  const system: ActorSystem = createSystem({ logger: createLogger(options.logLevel ?? 'warn') });
  try {
    const sup = await Supervisor.start(
      system,
      {
        strategy: 'one_for_one',
        intensity: 3,
        period: 5000,
        children: [
          childSpec(ProcessRegistry, { path: join(dir, 'process-registry.mdb'), name: 'process-registry', shutdownGraceMs: 1000 }, { id: 'process-registry', shutdown: 5000 }),
          workerSpec({ name: 'py', profile: pythonProfile<PyApi>({ script: PY_SCRIPT, capacity: 2 }) }),
          workerSpec({ name: 'thread', profile: threadProfile<ThreadApi>({ module: THREAD_MODULE }) }),
        ],
      },
      { name: 'workers' },
    );

    // ------------------------------------------------------------------ typed requests
    const py = workerOf<PyApi>(system, 'py');
    const thread = workerOf<ThreadApi>(system, 'thread');
    const pyMeta = await py.metadata();
    const firstPyPid = pyMeta.pid!;
    const who = await thread.request('whoami', null);
    print(`a supervisor (one_for_one) runs the process registry and two workers:`);
    print(`  py: Python ${String(pyMeta.meta.version)} (pid ${firstPyPid}, capacity ${py.capacity}), serving ${pyMeta.methods?.join(', ')}`);
    print(`  thread: a worker thread (threadId ${who.threadId}, OS thread ${who.osThreadId}), serving ${(await thread.metadata()).methods?.join(', ')}`);
    const served: ServedRequest[] = [];
    const serve = async <R>(worker: 'py' | 'thread', method: string, arg: unknown, request: () => Promise<R>): Promise<R> => {
      const reply = await request();
      served.push({ worker, method, arg, reply });
      const where = worker === 'py' ? `pid ${firstPyPid}` : `threadId ${who.threadId}`;
      print(`  ${worker}.request(${show(method)}, ${show(arg)}) → ${show(reply)}   (${where})`);
      return reply;
    };
    await serve('py', 'add', { a: 2, b: 3 }, () => py.request('add', { a: 2, b: 3 }));
    await serve('py', 'word_count', 'to be or not to be', () => py.request('word_count', 'to be or not to be'));
    await serve('thread', 'sha256', 'arbor', () => thread.request('sha256', 'arbor'));
    await serve('thread', 'fib', 25, () => thread.request('fib', 25));

    // ------------------------------------------------------------------ SIGKILL mid-request
    const pyRef = py.ref;
    const threadRef = thread.ref;
    const slow = py.request('sleep', 10).then(
      (pid) => new Error(`sleep answered (pid ${pid}) before the kill`),
      (error: unknown) => error,
    );
    let sleepingWhenKilled = 0;
    await waitFor('workers', 'the Python sleep to start', async () => (sleepingWhenKilled = await py.request('sleeping', null)) > 0);
    print(`py.request("sleep", 10) is running in pid ${firstPyPid} (sleeping: ${sleepingWhenKilled}); now SIGKILL from outside: process.kill(${firstPyPid}, 'SIGKILL')`);
    process.kill(firstPyPid, 'SIGKILL');
    const error = await slow;
    if (!(error instanceof WorkerExitError)) throw new Error(`the killed request's caller got ${String(error)}, not a WorkerExitError`);
    const exit = error.exit;
    print(`  the caller's promise rejected: ${error.name} (${error.code}): ${error.message}`);
    await waitFor('workers', 'the supervisor to restart py', () => {
      const ref = system.whereis('py');
      return ref !== undefined && ref !== pyRef && workerOf<PyApi>(system, 'py').capacity > 0;
    });
    const oldHandleError = await py.request('add', { a: 1, b: 1 }).then(
      () => 'none',
      (e: unknown) => (e instanceof WorkerStoppedError ? e.name : String(e)),
    );
    const again = workerOf<PyApi>(system, 'py');
    const restartedPyPid = (await again.metadata()).pid!;
    const replyAfterRestart = await again.request('add', { a: 20, b: 22 });
    const threadRefKept = system.whereis('thread') === threadRef && (await thread.request('fib', 10)) === 55;
    print(`  the supervisor restarted py: pid ${firstPyPid} → pid ${restartedPyPid}; workerOf(system, 'py').request("add", {"a":20,"b":22}) → ${replyAfterRestart}`);
    print(`  the old handle answers ${oldHandleError} (look the name up again); thread ${threadRefKept ? 'kept its actor and serves on' : 'was restarted too'}`);

    // ------------------------------------------------------------------ the dump
    print('the tree, with each worker’s formatStatus:');
    const text = renderDump(dump(system));
    for (const line of text.split('\n')) print(`  ${line}`);
    const lines = text.split('\n');
    const pyDumpLine = lines.find((l) => l.includes('py: WorkerActor')) ?? '';
    const threadDumpLine = lines.find((l) => l.includes('thread: WorkerActor')) ?? '';

    // ------------------------------------------------------------------ orderly stop
    await system.stop(sup as ActorRef, 'shutdown');
    const pids = [firstPyPid, restartedPyPid];
    const pidsGone = await settlesTrue(waitFor('workers', 'the Python workers to be gone', () => !pids.some(alive), 10_000));
    const threadGone = await settlesTrue(waitFor('workers', 'the worker thread to be gone', () => !threadRuns(who.osThreadId), 10_000));
    const pidsLeft = pidsGone ? [] : pids.filter(alive);
    print(`the tree stopped in order: python pids ${pids.join(', ')} ${pidsLeft.length === 0 ? 'are gone' : `left running: ${pidsLeft.join(', ')}`}; OS thread ${who.osThreadId} ${threadGone ? 'is gone' : 'still runs'}`);
    return {
      served,
      firstPyPid,
      threadId: who.threadId,
      sleepingWhenKilled,
      killed: {
        errorClass: error.name,
        code: error.code,
        method: error.method,
        exit: { reason: exit.reason, ...(exit.pid !== undefined ? { pid: exit.pid } : {}), ...(exit.reason === 'killed' ? { by: exit.by, signal: exit.signal } : {}) },
        message: error.message,
      },
      oldHandleError,
      restartedPyPid,
      pyRefChanged: again.ref !== pyRef,
      replyAfterRestart,
      threadRefKept,
      pyDumpLine,
      threadDumpLine,
      pidsLeft,
      threadGone,
    };
  } finally {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether an OS thread of this process runs (`/proc/self/task/<tid>` exists). */
function threadRuns(tid: number): boolean {
  return existsSync(`/proc/self/task/${tid}`);
}

/** True when `wait` resolves, false when it rejects (a bounded poll that ran out). */
function settlesTrue(wait: Promise<void>): Promise<boolean> {
  return wait.then(
    () => true,
    () => false,
  );
}
