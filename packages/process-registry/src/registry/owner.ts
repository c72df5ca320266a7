import { processStatus, readProcessStat } from '../proc/procfs.js';
import type { OwnerIdentity } from '../store/WorkerEntry.js';

/** Run ids of the registries alive in this Node process (an entry of this process whose run is not here is an orphan). */
export const liveRunsHere = new Set<string>();

let selfStartTime: number | null | undefined;

/** This Node process's identity for a run: pid, start time, run id. */
export function ownerIdentity(runId: string): OwnerIdentity {
  if (selfStartTime === undefined) selfStartTime = readProcessStat(process.pid)?.startTime ?? null;
  return { pid: process.pid, startTime: selfStartTime, runId };
}

/**
 * Whether the owner of an entry is gone: its pid is dead (or a zombie), or alive with
 * another start time; for this very process, whether the run is no longer alive here (a
 * registry restarted under a supervisor starts a new run, and the old run's workers are
 * orphans). Where start times cannot be read (other OSes), an owner is gone only when
 * nothing holds its pid.
 */
export function isOwnerGone(owner: OwnerIdentity, cache: Map<string, boolean>): boolean {
  if (owner.pid === process.pid && owner.startTime === ownerIdentity(owner.runId).startTime) return !liveRunsHere.has(owner.runId);
  const key = `${owner.pid}:${owner.startTime}`;
  let gone = cache.get(key);
  if (gone === undefined) {
    gone = ownerGone(owner);
    cache.set(key, gone);
  }
  return gone;
}

function ownerGone(owner: OwnerIdentity): boolean {
  const status = processStatus(owner.pid, owner.startTime);
  return status === 'gone' || status === 'zombie' || status === 'reused';
}
