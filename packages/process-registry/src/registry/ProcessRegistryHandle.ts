import { call, InvalidOptionError, type ActorRef } from '@arbor/core';
import { WORKER_ID_ENV } from '../proc/procfs.js';
import { StoreWriteError } from '../store/StoreWriteError.js';
import type { OrphanCleanupReport } from './orphanCleanup.js';
import type {
  ActivateResult,
  CleanupDeadResult,
  DebugEntry,
  ProcessRegistryProtocol,
  RegistryStats,
  ReserveResult,
  UnregisterResult,
  WorkerInfo,
  WorkerMarkers,
} from './protocol.js';

/** Cleanups wait for processes within bounds the registry enforces (grace + kill wait per pass). */
const CLEANUP = { timeout: Infinity } as const;

function workerIdOf(op: string, workerId: unknown): string {
  if (typeof workerId !== 'string' || workerId.length === 0 || workerId.includes('\0')) {
    throw new InvalidOptionError(`ProcessRegistry.${op}: workerId`, 'a non-empty string without NUL characters', workerId);
  }
  return workerId;
}

/** A call that writes to the file: the registry replies a `StoreWriteError` when the commit failed; reject with it. */
async function written<T>(reply: Promise<T>): Promise<T> {
  const r = await reply;
  if (r instanceof StoreWriteError) throw r;
  return r;
}

/**
 * The typed face of a running {@link ProcessRegistry}: one method per call, arguments
 * checked before sending (misuse throws `InvalidOptionError` saying how to fix the call).
 * Every method returns a promise that settles: with the outcome, or rejecting like
 * `call` (`NoProcError` when the registry is not running, `CallExitError` when it crashes),
 * or, for a write the file did not commit, with `StoreWriteError`.
 *
 * @example
 * const registry = await ProcessRegistry.start(system, { path: '/tmp/app/registry.mdb' });
 * const r = await registry.reserveWorker('w1'); // committed to LMDB
 */
export class ProcessRegistryHandle {
  #runId: string | undefined;
  #markers: Omit<WorkerMarkers, 'ARBOR_WORKER_ID'> | undefined;

  constructor(readonly ref: ActorRef<ProcessRegistryProtocol>) {}

  /** Records a worker before anything is spawned; resolves once committed. */
  reserveWorker(workerId: string): Promise<ReserveResult> {
    return written(call(this.ref, { type: 'reserve_worker', workerId: workerIdOf('reserveWorker', workerId) }));
  }

  /**
   * Records the spawned process (its start time and group read from /proc now) and the
   * actor managing it; resolves once committed, before the worker may count as ready.
   */
  activateWorker(workerId: string, actor: ActorRef | undefined, osPid: number, fingerprint: string | null = null): Promise<ActivateResult> {
    const id = workerIdOf('activateWorker', workerId);
    if (!Number.isSafeInteger(osPid) || osPid <= 0) throw new InvalidOptionError('ProcessRegistry.activateWorker: osPid', 'a positive integer (the child process pid)', osPid);
    if (fingerprint !== null && typeof fingerprint !== 'string') throw new InvalidOptionError('ProcessRegistry.activateWorker: fingerprint', 'a string or null', fingerprint);
    return written(call(this.ref, { type: 'activate_worker', workerId: id, actor, osPid, fingerprint }));
  }

  /** Removes a worker; if its OS process still lives, keeps it marked `terminating` until it exits. */
  unregisterWorker(workerId: string): Promise<UnregisterResult> {
    return written(call(this.ref, { type: 'unregister_worker', workerId: workerIdOf('unregisterWorker', workerId) }));
  }

  /** Whether this run has an entry for the worker (any status). */
  isRegistered(workerId: string): Promise<boolean> {
    return call(this.ref, { type: 'is_registered', workerId: workerIdOf('isRegistered', workerId) });
  }

  /** This run's entry for the worker, or undefined. */
  getWorkerInfo(workerId: string): Promise<WorkerInfo | undefined> {
    return call(this.ref, { type: 'get_worker_info', workerId: workerIdOf('getWorkerInfo', workerId) });
  }

  /** Every worker of this run. */
  listAllWorkers(): Promise<WorkerInfo[]> {
    return call(this.ref, { type: 'list_all_workers' });
  }

  /** This run's workers with the given fingerprint. */
  getWorkersByFingerprint(fingerprint: string): Promise<WorkerInfo[]> {
    if (typeof fingerprint !== 'string') throw new InvalidOptionError('ProcessRegistry.getWorkersByFingerprint: fingerprint', 'a string', fingerprint);
    return call(this.ref, { type: 'get_workers_by_fingerprint', fingerprint });
  }

  /** OS pids of this run's active workers. */
  getActiveProcessPids(): Promise<number[]> {
    return call(this.ref, { type: 'get_active_process_pids' });
  }

  /** OS pids of this run's workers, whatever their status (terminating ones too). */
  getAllProcessPids(): Promise<number[]> {
    return call(this.ref, { type: 'get_all_process_pids' });
  }

  /** Workers whose actor is dead (to clean up with `cleanupDeadWorkers`). */
  validateWorkers(): Promise<WorkerInfo[]> {
    return call(this.ref, { type: 'validate_workers' });
  }

  /** Removes the entries of dead actors whose process is gone; marks terminating those whose process lives. */
  cleanupDeadWorkers(): Promise<CleanupDeadResult> {
    return written(call(this.ref, { type: 'cleanup_dead_workers' }));
  }

  /** Counts of this run's workers, and of the records in the file. */
  getStats(): Promise<RegistryStats> {
    return call(this.ref, { type: 'get_stats' });
  }

  /** Number of records in the LMDB file (every run). */
  size(): Promise<number> {
    return call(this.ref, { type: 'size' });
  }

  /** Every record in the file with its run id (the debug dump). */
  debugEntries(): Promise<DebugEntry[]> {
    return call(this.ref, { type: 'debug_entries' });
  }

  /** Runs the orphan cleanup now (after any in flight) and resolves with its report. */
  manualOrphanCleanup(): Promise<OrphanCleanupReport> {
    return written(call(this.ref, { type: 'manual_orphan_cleanup' }, CLEANUP));
  }

  /** The report of the start-up cleanup, once it has finished (undefined with `cleanupOnStart: false`). */
  startupCleanup(): Promise<OrphanCleanupReport | undefined> {
    return written(call(this.ref, { type: 'startup_cleanup' }, CLEANUP));
  }

  /** This run's id (a nanoid, new at each start). */
  async getRunId(): Promise<string> {
    this.#runId ??= await call(this.ref, { type: 'get_run_id' });
    return this.#runId;
  }

  /**
   * The environment variables a worker must be spawned with (`ARBOR_RUN_ID`,
   * `ARBOR_WORKER_ID`, `ARBOR_OWNER_PID`, `ARBOR_OWNER_START_TIME`, `ARBOR_REGISTRY_PATH`):
   * they let a later start find it, and its children, by scanning /proc, and judge them by
   * their owner even when the file is damaged (see {@link WorkerMarkers}).
   *
   * @example
   * spawn(cmd, args, { detached: true, env: { ...process.env, ...(await registry.markers('w1')) } })
   */
  async markers(workerId: string): Promise<WorkerMarkers> {
    const id = workerIdOf('markers', workerId);
    this.#markers ??= await call(this.ref, { type: 'get_markers' });
    return { ...this.#markers, [WORKER_ID_ENV]: id };
  }
}
