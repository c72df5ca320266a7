/**
 * `orphan_scan`: milliseconds for a registry's start-up orphan cleanup over a file holding
 * `orphanScanN` (10k in the full run) stale entries whose owner and worker pids are dead:
 * read every record, check each owner and worker pid in /proc, scan /proc once for
 * processes carrying the dead runs' markers, and remove the records in one transaction.
 *
 * - arbor: the cleanup's own `durationMs` (from `startupCleanup()`), best of the rounds;
 *   `open_ms` in the record adds the store's open (without the probe process).
 * - No limit or peer: nothing else does this job. Target: absolute, at most 1000 ms.
 *
 * The stale entries are written straight into the file with lmdb-js (keys `[runId,
 * workerId]`, the registry's layout), 100 runs of 100 workers each; the pids used are
 * above the kernel's pid_max, so they are certainly dead.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessRegistry, type WorkerEntry } from '@arbor/process-registry';
import { open } from 'lmdb';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { collectGarbage, now } from '../util.js';

const PER_RUN = 100;

function pidMax(): number {
  try {
    return Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) || 4_194_304;
  } catch {
    return 4_194_304;
  }
}

async function seedStale(path: string, n: number): Promise<void> {
  const db = open<WorkerEntry, [string, string]>({ path, compression: false, noSync: true });
  const deadPid = pidMax() + 1;
  await db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const runId = `stale-run-${Math.floor(i / PER_RUN)}`;
      const owner = { pid: deadPid + Math.floor(i / PER_RUN), startTime: 1000, runId };
      const workerId = `w${i}`;
      const pid = deadPid + 1000 + i;
      void db.put([runId, workerId], {
        workerId, runId, status: 'active', owner, actorId: null, osPid: pid, startTime: 2000, pgid: pid,
        fingerprint: 'bench', reservedAt: 1, activatedAt: 2, terminatingSince: null,
      });
    }
  });
  await db.close();
}

export async function orphanScanWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const n = sizes.orphanScanN;
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-orphans-'));
  const system = benchSystem();
  let best = Infinity;
  let openMs = Infinity;
  try {
    for (let r = 0; r < sizes.rounds; r++) {
      const path = join(dir, `round${r}.mdb`);
      await seedStale(path, n);
      collectGarbage();
      const t0 = now();
      const registry = await ProcessRegistry.start(system, { path, verifyOnOpen: false });
      openMs = Math.min(openMs, now() - t0);
      const report = (await registry.startupCleanup())!;
      if (report.removed !== n || report.orphans.some((o) => o.outcome !== 'not_running')) {
        throw new Error(`orphan_scan: removed ${report.removed} of ${n} stale entries`);
      }
      best = Math.min(best, report.durationMs);
      await system.stop(registry.ref);
    }
    return makeRecord({
      arbor: best,
      limit: null,
      peers: {},
      unit: 'ms',
      better: 'lower',
      targets: [{ against: 'absolute', op: '<=', value: 1000 }],
      extra: { entries: n, open_ms: openMs, rounds: sizes.rounds },
    });
  } finally {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
