import { processStatus, readProcessStat } from '../proc/procfs.js';
import type { OwnerIdentity } from '../store/WorkerEntry.js';

/**
 * Run ids alive in this Node process: of its running registries, and of registries that
 * crashed (or were killed) and wait to be resumed (see {@link suspendRun}). An entry of
 * this process whose run is not here is an orphan.
 */
export const liveRunsHere = new Set<string>();

/** Crashed runs by the absolute path of their file, oldest first. */
const suspendedRuns = new Map<string, string[]>();

/**
 * Records that the registry of `runId` on the file at `path` crashed or was killed: its
 * workers keep running, its records stay, the run stays alive in this process, and the next
 * registry started on that file in this process (its supervisor's restart) resumes it.
 *
 * @example
 * suspendRun('/var/lib/app/process-registry.mdb', runId);
 */
export function suspendRun(path: string, runId: string): void {
  liveRunsHere.add(runId);
  const runs = suspendedRuns.get(path);
  if (runs === undefined) suspendedRuns.set(path, [runId]);
  else if (!runs.includes(runId)) runs.push(runId);
}

/**
 * The oldest crashed run on the file at `path` in this process, taken for a registry to
 * resume, or undefined.
 *
 * @example
 * const runId = takeSuspendedRun(path) ?? nanoid();
 */
export function takeSuspendedRun(path: string): string | undefined {
  const runs = suspendedRuns.get(path);
  const runId = runs?.shift();
  if (runs !== undefined && runs.length === 0) suspendedRuns.delete(path);
  return runId;
}

let selfStartTime: number | null | undefined;

/** This Node process's identity for a run: pid, start time, run id. */
export function ownerIdentity(runId: string): OwnerIdentity {
  if (selfStartTime === undefined) selfStartTime = readProcessStat(process.pid)?.startTime ?? null;
  return { pid: process.pid, startTime: selfStartTime, runId };
}

/**
 * Whether the owner of an entry is gone: its pid is dead (or a zombie), or alive with
 * another start time; for this very process, whether the run is no longer alive here (its
 * registry stopped in order; a crashed run stays alive here until a registry resumes it). Where start times cannot be read (other OSes), an owner is gone only when
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
