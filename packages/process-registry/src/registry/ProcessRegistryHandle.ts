import { call, CallExitError, InvalidOptionError, isActorRef, NoProcError, SystemStoppedError, type ActorRef } from '@arbor/core';
import { WORKER_ID_ENV } from '../proc/procfs.js';
import { StoreWriteError } from '../store/StoreWriteError.js';
import type { OrphanCleanupReport } from './cleanupReport.js';
import type {
  ActivateResult,
  CleanupDeadResult,
  DebugEntry,
  InvalidArgumentReply,
  ProcessRegistryProtocol,
  RegistryStats,
  ReserveResult,
  UnregisterResult,
  WorkerInfo,
  WorkerMarkers,
} from './protocol.js';
import { activateProblem, checkWorkerId } from './validate.js';

/** Cleanups wait for processes within bounds the registry enforces (grace + kill wait per pass). */
const CLEANUP = { timeout: Infinity } as const;

const workerIdOf = checkWorkerId;

/** The registry's defensive check refused the request (a limit the handle does not know): the call rejects. */
function refused<R extends { status: string }>(reply: R | InvalidArgumentReply): R {
  if (reply.status === 'invalid_argument') throw (reply as InvalidArgumentReply).error;
  return reply as R;
}

/** A written reply: the registry replies a `StoreWriteError` when the commit failed; reject with it. */
function writtenReply<T>(r: T): T {
  if (r instanceof StoreWriteError) throw r;
  return r;
}

/** A call that writes to the file (one promise reaction: reserve and activate are the hot path). */
function written<T>(reply: Promise<T>): Promise<T> {
  return reply.then(writtenReply);
}

/** A written reply that the registry's defensive check may also refuse. */
function writtenAndChecked<R extends { status: string }>(r: R | InvalidArgumentReply): R {
  return refused(writtenReply(r));
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

  constructor(readonly ref: ActorRef<ProcessRegistryProtocol>) {
    if (!isActorRef(ref)) throw new InvalidOptionError('ProcessRegistryHandle: ref', 'the ActorRef of a ProcessRegistry (ProcessRegistry.start resolves with its handle)', ref);
  }

  /**
   * Records a worker before anything is spawned; resolves once committed. The id is a
   * non-empty string without NUL characters, of at most 1,024 UTF-8 bytes (LMDB's key
   * limit): anything else throws `InvalidOptionError`.
   */
  reserveWorker(workerId: string): Promise<ReserveResult> {
    const req = { type: 'reserve_worker', workerId: workerIdOf('reserveWorker', workerId) } as const;
    return call(this.ref, req).then(writtenAndChecked);
  }

  /**
   * Records the spawned process (its start time and group read from /proc now) and the
   * actor managing it; resolves once committed, before the worker may count as ready.
   */
  activateWorker(workerId: string, actor: ActorRef | undefined, osPid: number, fingerprint: string | null = null): Promise<ActivateResult> {
    const id = workerIdOf('activateWorker', workerId);
    const problem = activateProblem({ workerId: id, actor, osPid, fingerprint });
    if (problem !== undefined) throw new InvalidOptionError(`ProcessRegistry.activateWorker: ${problem[0]}`, problem[1], { actor, osPid, fingerprint }[problem[0]]);
    return call(this.ref, { type: 'activate_worker', workerId: id, actor, osPid, fingerprint }).then(writtenAndChecked);
  }

  /**
   * Removes a worker; if its OS process still lives, keeps it marked `terminating` until it
   * exits. Forgiving where a worker's exit handler calls it as the application stops: a
   * registry that is stopping, stopped or crashed resolves `{ status: 'registry_stopped' }`
   * (an orderly stop removes the run's records itself; a restarted registry drops the
   * record of a process that exited meanwhile).
   *
   * @example
   * child.on('exit', () => void registry.unregisterWorker('w1')); // never an unhandled rejection
   */
  unregisterWorker(workerId: string): Promise<UnregisterResult> {
    return written(call(this.ref, { type: 'unregister_worker', workerId: workerIdOf('unregisterWorker', workerId) })).catch((error: unknown) => {
      if (error instanceof NoProcError || error instanceof CallExitError || error instanceof SystemStoppedError) return { status: 'registry_stopped' } as const;
      throw error;
    });
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
