/**
 * The lifecycle of an entry: `reserved` (written before anything is spawned), `active`
 * (the OS process is up and identified), `terminating` (unregistered, but the OS process
 * still lives; the entry goes when it exits).
 *
 * @example
 * const s: WorkerStatus = 'reserved';
 */
export type WorkerStatus = 'reserved' | 'active' | 'terminating';

/**
 * The Node process that owns an entry: its pid, its start time (from `/proc/PID/stat`,
 * null where that cannot be read) and the run id of its registry. An entry is an orphan
 * only when this owner is gone.
 *
 * @example
 * const owner: OwnerIdentity = { pid: process.pid, startTime: 8812345, runId: 'V1StGXR8_Z5jdHi6B-myT' };
 */
export interface OwnerIdentity {
  readonly pid: number;
  readonly startTime: number | null;
  readonly runId: string;
}

/**
 * One worker as stored in LMDB (JSON-safe; keyed by `[runId, workerId]`, so two
 * applications sharing a file can use the same worker ids).
 *
 * @example
 * const e = await registry.getWorkerInfo('w1');
 * if (e?.status === 'active') console.log(e.osPid, e.startTime, e.pgid);
 */
export interface WorkerEntry {
  readonly workerId: string;
  readonly runId: string;
  readonly status: WorkerStatus;
  readonly owner: OwnerIdentity;
  /** The id of the actor that manages the worker (null while reserved). */
  readonly actorId: string | null;
  readonly osPid: number | null;
  /** Start time of `osPid` (clock ticks after boot, field 22 of /proc/PID/stat). */
  readonly startTime: number | null;
  /** Process group of `osPid`; equal to `osPid` when the worker leads its group. */
  readonly pgid: number | null;
  readonly fingerprint: string | null;
  /** Milliseconds since the epoch. */
  readonly reservedAt: number;
  readonly activatedAt: number | null;
  readonly terminatingSince: number | null;
}

/** Whether `value` has the shape of a {@link WorkerEntry} (entries of unknown shape are dropped by cleanup). */
export function isWorkerEntry(value: unknown): value is WorkerEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<WorkerEntry>;
  return (
    typeof e.workerId === 'string' &&
    typeof e.runId === 'string' &&
    (e.status === 'reserved' || e.status === 'active' || e.status === 'terminating') &&
    typeof e.owner === 'object' &&
    e.owner !== null &&
    typeof e.owner.pid === 'number' &&
    typeof e.reservedAt === 'number'
  );
}
