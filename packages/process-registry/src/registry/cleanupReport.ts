import type { KillOutcome } from '../proc/terminate.js';

// The cleanup's report, apart from the cleanup itself: these types are public, and the
// cleanup's module reaches the LMDB store, whose types must stay out of the published
// declarations (a consumer type-checking with skipLibCheck off would check lmdb's own).

/**
 * One orphaned entry and what was done to its process (`no_process` for a reservation,
 * which never recorded a pid: its processes are found by the environment scan).
 *
 * @example
 * report.orphans.filter((o) => o.outcome === 'pid_reused') // entries whose pid a stranger holds
 */
export interface OrphanOutcome {
  readonly runId: string;
  readonly workerId: string;
  readonly status: 'reserved' | 'active' | 'terminating';
  readonly osPid: number | null;
  readonly outcome: KillOutcome | 'no_process';
}

/** A process found by the environment scan carrying the run id of a gone owner. */
export interface MarkedProcessOutcome {
  readonly pid: number;
  readonly runId: string;
  readonly workerId: string | undefined;
  readonly outcome: KillOutcome;
}

/**
 * What one orphan cleanup did. Entries of live owners are never in it.
 *
 * @example
 * const report = await registry.manualOrphanCleanup();
 * console.log(report.removed, report.orphans.length, report.markedProcesses.length);
 */
export interface OrphanCleanupReport {
  /** The run that performed the cleanup. */
  readonly runId: string;
  /** Records read from the store. */
  readonly scanned: number;
  /** Runs whose owner is gone. */
  readonly orphanRuns: readonly string[];
  readonly orphans: readonly OrphanOutcome[];
  readonly markedProcesses: readonly MarkedProcessOutcome[];
  /** Records removed (orphans whose processes are gone, and undecodable records whose run has no process left). */
  readonly removed: number;
  /** Orphan entries kept because their process survived SIGKILL (retried by the next cleanup). */
  readonly kept: number;
  /**
   * Records whose value could not be decoded (damaged, or of unknown shape). Each is judged
   * by its key's run id: removed once no live process carries that run, kept otherwise.
   */
  readonly undecodable: number;
  /** Undecodable records kept: a process of their run is alive (its owner lives, or it survived). */
  readonly undecodableKept: number;
  /**
   * Pids left alone because nothing could judge them: they carry one of the file's run ids
   * but no owner markers (spawned by an earlier version, or by hand), and no readable
   * record of their run says its owner is gone.
   */
  readonly unjudged: readonly number[];
  readonly durationMs: number;
  /** The longest stretch the cleanup ran without yielding to the event loop, in milliseconds. */
  readonly longestSliceMs: number;
}
