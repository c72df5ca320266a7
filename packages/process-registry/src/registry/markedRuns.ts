import { findProcessesMarked } from '../proc/procfs.js';
import { isOwnerGone } from './owner.js';

/**
 * What the environment scan concluded about the runs found in live processes' markers:
 * `orphanRuns` (the owner named by the markers is gone), `liveRuns` (it is alive: left
 * alone), and `unjudged` (pids carrying one of the file's run ids but no owner markers:
 * spawned by an older version, or by hand; they are judged by the file's records alone).
 *
 * @example
 * const { orphanRuns } = judgeMarkedRuns({ registryPath, runIds }, currentRunId, new Map());
 */
export interface MarkedRuns {
  readonly orphanRuns: ReadonlySet<string>;
  readonly liveRuns: ReadonlySet<string>;
  readonly unjudged: readonly number[];
}

/**
 * Judges, WITHOUT the file, the runs of the processes that belong to this registry file:
 * processes of the same user whose environment names this file (`ARBOR_REGISTRY_PATH`) or
 * carries one of `runIds` (the run ids still readable from the file's keys). A run is an
 * orphan when the owner its workers carry (`ARBOR_OWNER_PID`, `ARBOR_OWNER_START_TIME`)
 * is gone: its pid is dead, a zombie, or alive with another start time (the same rule as
 * for a record's owner, see owner.ts). The current run is never judged. Nothing is
 * signalled here: the caller stops the orphan runs' processes through the safe terminate
 * path. `owners` caches owner verdicts across one cleanup.
 *
 * @example
 * const judged = judgeMarkedRuns({ registryPath: store.markerPath, runIds: new Set(['old-run']) }, runId, owners);
 */
export function judgeMarkedRuns(
  scope: { readonly registryPath: string; readonly runIds: ReadonlySet<string> },
  currentRunId: string,
  owners: Map<string, boolean>,
): MarkedRuns {
  const orphanRuns = new Set<string>();
  const liveRuns = new Set<string>();
  const unjudged: number[] = [];
  const found = findProcessesMarked((m) => m.runId !== currentRunId && (m.registryPath === scope.registryPath || scope.runIds.has(m.runId)));
  for (const p of found) {
    const { runId, ownerPid, ownerStartTime } = p.markers;
    if (ownerPid === undefined) {
      unjudged.push(p.pid);
      continue;
    }
    const gone = isOwnerGone({ pid: ownerPid, startTime: ownerStartTime ?? null, runId }, owners);
    (gone ? orphanRuns : liveRuns).add(runId);
  }
  // Markers that disagree (copied by hand into another process?): a run alive anywhere is alive.
  for (const run of liveRuns) orphanRuns.delete(run);
  return { orphanRuns, liveRuns, unjudged };
}
