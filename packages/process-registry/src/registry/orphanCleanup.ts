import { scanMarkedProcesses } from '../proc/procfs.js';
import { terminateProcesses, type KillOutcome, type KillTarget } from '../proc/terminate.js';
import type { EntryKey, RegistryStore } from '../store/RegistryStore.js';
import { TimeSlicer } from '../util/TimeSlicer.js';
import { isOwnerGone } from './owner.js';

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
  /** Records removed (orphans whose processes are gone, and records of unknown shape). */
  readonly removed: number;
  /** Orphan entries kept because their process survived SIGKILL (retried by the next cleanup). */
  readonly kept: number;
  readonly durationMs: number;
  /** The longest stretch the cleanup ran without yielding to the event loop, in milliseconds. */
  readonly longestSliceMs: number;
}

/** Bounds of a cleanup. */
export interface CleanupBounds {
  readonly graceMs: number;
  /** Extra environment scans after the kills, for processes forked meanwhile (default 2). */
  readonly extraPasses?: number;
  /** Milliseconds of work between yields to the event loop (default 5; 0 yields after every step). */
  readonly sliceMs?: number;
}

/**
 * The orphan cleanup (see docs/process-registry.md): every record of another run whose
 * owner is gone is an orphan; its process is signalled only if alive with the recorded
 * start time (its group under the rule of "When a process group is signalled"): SIGTERM,
 * bounded wait, SIGKILL. Processes of the same user whose environment carries an orphan
 * run's id are signalled too (abandoned reservations, spawned-but-not-activated workers,
 * grandchildren that left the group). Then the records go. Records of live owners are
 * never touched. Every step (reading records, /proc checks, signals, removals) is sliced
 * by elapsed time (`bounds.sliceMs`), so a file of many stale records does not stall the
 * application. Never rejects on a process; rejects if the store fails.
 */
export async function cleanupOrphans(store: RegistryStore, currentRunId: string, bounds: CleanupBounds): Promise<OrphanCleanupReport> {
  const started = performance.now();
  const slicer = new TimeSlicer(bounds.sliceMs);
  const owners = new Map<string, boolean>();
  const orphanRuns = new Set<string>();
  const orphanKeys: EntryKey[] = [];
  const malformed: EntryKey[] = [];
  const orphans: { entry: OrphanOutcome; target: KillTarget | undefined; key: EntryKey }[] = [];
  let scanned = 0;
  // One read transaction (the range's snapshot), iterated lazily across the yields.
  for (const { key, entry } of store.records()) {
    if (slicer.due) await slicer.next();
    scanned++;
    if (entry === undefined) {
      malformed.push(key);
      continue;
    }
    if (entry.runId === currentRunId || !isOwnerGone(entry.owner, owners)) continue;
    orphanRuns.add(entry.runId);
    orphanKeys.push(key);
    const target: KillTarget | undefined =
      entry.osPid === null ? undefined : { pid: entry.osPid, startTime: entry.startTime, pgid: entry.pgid, runId: entry.runId, workerId: entry.workerId };
    orphans.push({
      key,
      target,
      entry: { runId: entry.runId, workerId: entry.workerId, status: entry.status, osPid: entry.osPid, outcome: 'no_process' },
    });
  }

  const withPid = orphans.filter((o) => o.target !== undefined);
  const targeted = new Set(withPid.map((o) => o.target!.pid));
  const markedProcesses: MarkedProcessOutcome[] = [];
  const scanMarked = async (): Promise<{ target: KillTarget; runId: string; workerId: string | undefined }[]> =>
    (await scanMarkedProcesses(orphanRuns, slicer))
      .filter((p) => !targeted.has(p.pid))
      .map((p) => ({
        target: { pid: p.pid, startTime: p.startTime, pgid: p.pgid === p.pid ? p.pid : null, runId: p.markers.runId, workerId: p.markers.workerId ?? null },
        runId: p.markers.runId,
        workerId: p.markers.workerId,
      }));

  let marked = await scanMarked();
  const outcomes = await terminateProcesses([...withPid.map((o) => o.target!), ...marked.map((m) => m.target)], { graceMs: bounds.graceMs, slicer });
  withPid.forEach((o, i) => {
    o.entry = { ...o.entry, outcome: outcomes[i]! };
  });
  const record = (list: typeof marked, results: KillOutcome[]): void =>
    list.forEach((m, i) => {
      targeted.add(m.target.pid);
      markedProcesses.push({ pid: m.target.pid, runId: m.runId, workerId: m.workerId, outcome: results[i]! });
    });
  record(marked, outcomes.slice(withPid.length));
  // Processes forked by the orphans while they were being stopped.
  for (let pass = 0; pass < (bounds.extraPasses ?? 2) && marked.length + withPid.length > 0; pass++) {
    marked = await scanMarked();
    if (marked.length === 0) break;
    record(marked, await terminateProcesses(marked.map((m) => m.target), { graceMs: bounds.graceMs, slicer }));
  }

  const keep = new Set(orphans.filter((o) => o.entry.outcome === 'survived').map((o) => o.key));
  const toRemove = [...malformed, ...orphanKeys.filter((k) => !keep.has(k))];
  // Removed one by one between slices rather than in one transaction, whose callback (10k
  // removes) would run in a single turn of the event loop: lmdb-js batches the removes
  // queued in one turn into one commit (every remove of a batch shares its promise).
  const writes = new Set<Promise<boolean>>();
  for (const key of toRemove) {
    if (slicer.due) await slicer.next();
    writes.add(store.removeKey(key));
  }
  await Promise.all(writes);
  return {
    runId: currentRunId,
    scanned,
    orphanRuns: [...orphanRuns],
    orphans: orphans.map((o) => o.entry),
    markedProcesses,
    removed: toRemove.length,
    kept: keep.size,
    durationMs: performance.now() - started,
    longestSliceMs: slicer.longestSliceMs,
  };
}
