import { findMarkedProcesses, scanMarkedProcesses } from '../proc/procfs.js';
import { terminateProcesses, type KillOutcome, type KillTarget } from '../proc/terminate.js';
import type { EntryKey, RegistryStore } from '../store/RegistryStore.js';
import { TimeSlicer } from '../util/TimeSlicer.js';
import { judgeMarkedRuns } from './markedRuns.js';
import type { MarkedProcessOutcome, OrphanCleanupReport, OrphanOutcome } from './cleanupReport.js';
import { isOwnerGone } from './owner.js';

/** Records removed per write between slices of the cleanup. */
const REMOVE_BATCH = 256;

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
 * grandchildren that left the group). Runs are also judged without the file, by the owner
 * markers of the processes that name this file or one of its keys' run ids (markedRuns.ts):
 * that is how the orphans of a damaged file (moved aside, or with records that do not
 * decode) are still found. Then the records go. Records of live owners are never touched.
 * Every step after the read (/proc checks, signals, removals) is sliced by elapsed time
 * (`bounds.sliceMs`), so a file of many stale records does not stall the application.
 * Never rejects on a process; rejects only with the store's `StoreWriteError`.
 */
export async function cleanupOrphans(store: RegistryStore, currentRunId: string, bounds: CleanupBounds): Promise<OrphanCleanupReport> {
  const started = performance.now();
  const slicer = new TimeSlicer(bounds.sliceMs);
  const owners = new Map<string, boolean>();
  const orphanRuns = new Set<string>();
  const orphanKeys: EntryKey[] = [];
  const undecodable: EntryKey[] = [];
  const orphans: { entry: OrphanOutcome; target: KillTarget | undefined; key: EntryKey }[] = [];
  // Read first (one read transaction, so a damaged record is seen once), then check the
  // records in slices of `bounds.sliceMs`, yielding to the event loop between them.
  const records = store.records();
  const scanned = records.length;
  // The runs of the processes that belong to this file, judged by their owner markers.
  const judged = judgeMarkedRuns({ registryPath: store.markerPath, runIds: new Set(records.map((r) => r.key[0])) }, currentRunId, owners);
  for (const run of judged.orphanRuns) orphanRuns.add(run);
  for (let i = 0; i < records.length; i++) {
    if (slicer.due) await slicer.next();
    const { key, entry } = records[i]!;
    if (entry === undefined) {
      if (key[0] !== currentRunId) undecodable.push(key);
      continue;
    }
    if (entry.runId === currentRunId || judged.liveRuns.has(key[0]) || judged.liveRuns.has(entry.runId) || !isOwnerGone(entry.owner, owners)) continue;
    orphanRuns.add(entry.runId);
    orphanRuns.add(key[0]);
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
    // A start time that does not match the record (a stranger, or a damaged record): only
    // the orphan run's markers in the process's own environment may still make it ours.
    if (outcomes[i] === 'pid_reused') targeted.delete(o.target!.pid);
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
  // An undecodable record goes only once no live process carries its run (judged above, and
  // stopped if its owner is gone); while one does, it stays.
  const alive = new Set(findMarkedProcesses(new Set(undecodable.map((k) => k[0]))).map((p) => p.markers.runId));
  const undecodableGone = undecodable.filter((k) => !alive.has(k[0]));
  const toRemove = [...undecodableGone, ...orphanKeys.filter((k) => !keep.has(k))];
  // Removed in small batches between slices rather than all in one turn: queuing 10k removes
  // is itself work for the event loop (lmdb-js commits what one turn queued in one write).
  const writes: Promise<void>[] = [];
  for (let from = 0; from < toRemove.length; from += REMOVE_BATCH) {
    if (slicer.due) await slicer.next();
    const write = store.removeAll(toRemove.slice(from, from + REMOVE_BATCH));
    write.catch(() => {}); // handled by Promise.all below; no unhandled rejection while we yield
    writes.push(write);
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
    undecodable: undecodable.length,
    undecodableKept: undecodable.length - undecodableGone.length,
    unjudged: judged.unjudged.filter((pid) => !targeted.has(pid)),
    durationMs: performance.now() - started,
    longestSliceMs: slicer.longestSliceMs,
  };
}
