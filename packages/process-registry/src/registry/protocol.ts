import type { ActorRef, Call, InvalidOptionError } from '@arbor/core';
import type { WorkerEntry } from '../store/WorkerEntry.js';
import type { OrphanCleanupReport } from './cleanupReport.js';

/**
 * A worker as the registry reports it: the stored entry, plus the live actor ref when the
 * worker belongs to this run and was activated with one.
 *
 * @example
 * const w = await registry.getWorkerInfo('w1');
 * if (w?.actor) await call(w.actor, { type: 'ping' });
 */
export type WorkerInfo = WorkerEntry & { readonly actor: ActorRef | undefined };

/**
 * A stored entry of any run, for the debug dump; `currentRun` tells this run's apart.
 *
 * @example
 * for (const e of await registry.debugEntries()) console.log(e.runId, e.workerId, e.status, e.currentRun);
 */
export type DebugEntry = WorkerEntry & { readonly currentRun: boolean };

/**
 * Outcome of `reserveWorker`: committed to LMDB before it resolves, so a crash after it
 * leaves a record the next start resolves.
 *
 * @example
 * const r = await registry.reserveWorker('w1');
 * if (r.status === 'worker_id_taken') console.log(r.worker.status);
 */
export type ReserveResult = { readonly status: 'reserved'; readonly worker: WorkerInfo } | { readonly status: 'worker_id_taken'; readonly worker: WorkerInfo };

/**
 * Outcome of `activateWorker`: `active` once committed; `not_found` (no reservation),
 * `not_reserved` (already active or terminating), `process_not_running` (the pid is not
 * a live process: nothing was recorded).
 *
 * @example
 * const r = await registry.activateWorker('w1', actorRef, child.pid!, 'python:v1');
 * if (r.status !== 'active') child.kill();
 */
export type ActivateResult =
  | { readonly status: 'active'; readonly worker: WorkerInfo }
  | { readonly status: 'not_found' }
  | { readonly status: 'not_reserved'; readonly worker: WorkerInfo }
  | { readonly status: 'process_not_running' };

/**
 * Outcome of `unregisterWorker`: `removed`, `terminating` (the OS process still lives;
 * the entry stays, marked, until it exits), `not_found`, or `registry_stopped` (the
 * registry is stopping, stopped or crashed, so it could not take the call: from the
 * handle only, never from the actor).
 *
 * @example
 * if ((await registry.unregisterWorker('w1')).status === 'terminating') child.kill();
 */
export type UnregisterResult = { readonly status: 'removed' | 'terminating' | 'not_found' | 'registry_stopped' };

/**
 * What the registry actor answers a raw `reserve_worker` / `activate_worker` call whose
 * arguments are unusable (a worker id over LMDB's key limit, an `actor` that is not a
 * ref), instead of crashing. The handle checks first and throws the same error at the call.
 *
 * @example
 * const r = await call(ref, { type: 'reserve_worker', workerId: 'w'.repeat(2000) });
 * if (r.status === 'invalid_argument') console.log(r.error.message);
 */
export interface InvalidArgumentReply {
  readonly status: 'invalid_argument';
  readonly error: InvalidOptionError;
}

/**
 * Outcome of `cleanupDeadWorkers`: entries of dead actors removed (their process is gone)
 * or marked terminating (their process still lives).
 *
 * @example
 * const { removed } = await registry.cleanupDeadWorkers();
 */
export interface CleanupDeadResult {
  readonly removed: readonly string[];
  readonly terminating: readonly string[];
}

/**
 * Counts of this run's workers. `alive` / `dead`: whether their OS process is the recorded one.
 *
 * @example
 * const { active, alive, storedEntries } = await registry.getStats();
 */
export interface RegistryStats {
  readonly runId: string;
  readonly path: string;
  readonly total: number;
  readonly reserved: number;
  readonly active: number;
  readonly terminating: number;
  readonly alive: number;
  readonly dead: number;
  readonly activeProcessPids: readonly number[];
  /** Records in the file, every run included. */
  readonly storedEntries: number;
}

/**
 * The environment variables a worker must be spawned with (`ProcessRegistryHandle.markers`;
 * `spawnWorker` adds them): the run and worker ids, the owner's pid and start time (empty
 * where it cannot be read), and the registry file's absolute path. Children inherit them,
 * so a later start finds the worker, and its children, by scanning /proc, and judges them
 * by their owner even without the file.
 *
 * @example
 * spawn(cmd, args, { detached: true, env: { ...process.env, ...(await registry.markers('w1')) } })
 */
export interface WorkerMarkers {
  readonly ARBOR_RUN_ID: string;
  readonly ARBOR_WORKER_ID: string;
  readonly ARBOR_OWNER_PID: string;
  readonly ARBOR_OWNER_START_TIME: string;
  readonly ARBOR_REGISTRY_PATH: string;
}

/**
 * What the process registry actor accepts (calls only). Use a {@link ProcessRegistryHandle}
 * rather than these messages directly: it validates arguments first.
 *
 * @example
 * const ref: ActorRef<ProcessRegistryProtocol> = await system.spawn(ProcessRegistry, { path });
 * await call(ref, { type: 'get_run_id' });
 */
export interface ProcessRegistryProtocol {
  call:
    | Call<'reserve_worker', ReserveResult | InvalidArgumentReply, { workerId: string }>
    | Call<'activate_worker', ActivateResult | InvalidArgumentReply, { workerId: string; actor: ActorRef | undefined; osPid: number; fingerprint: string | null }>
    | Call<'unregister_worker', UnregisterResult, { workerId: string }>
    | Call<'is_registered', boolean, { workerId: string }>
    | Call<'get_worker_info', WorkerInfo | undefined, { workerId: string }>
    | Call<'list_all_workers', WorkerInfo[]>
    | Call<'get_workers_by_fingerprint', WorkerInfo[], { fingerprint: string }>
    | Call<'get_active_process_pids', number[]>
    | Call<'get_all_process_pids', number[]>
    | Call<'validate_workers', WorkerInfo[]>
    | Call<'cleanup_dead_workers', CleanupDeadResult>
    | Call<'get_stats', RegistryStats>
    | Call<'size', number>
    | Call<'debug_entries', DebugEntry[]>
    | Call<'manual_orphan_cleanup', OrphanCleanupReport>
    | Call<'startup_cleanup', OrphanCleanupReport | undefined>
    | Call<'get_run_id', string>
    | Call<'get_markers', Omit<WorkerMarkers, 'ARBOR_WORKER_ID'>>;
  /** @internal the registry's own timer */
  info: { type: 'sweep' };
  /** @internal a failed LMDB write, cast by the registry to itself so that it crashes and restarts */
  cast: { type: 'store_failed'; error: unknown };
}
