/**
 * `registry_reserve_activate`: reserve + activate pairs per second through the LMDB
 * process registry, awaited in batches of 100 (100 reserves in flight, then their 100
 * activations), as a process worker pool starting workers concurrently would.
 *
 * - arbor: `registry.reserveWorker(id)` then `registry.activateWorker(id, undefined, pid)`;
 *   each resolves only once its LMDB write is committed, and each activation reads the
 *   worker's start time from /proc. The pid is that of one real child process (`sleep`,
 *   spawned once before timing and killed after), shared by every entry: activations read
 *   the stat of a small single-threaded child, as a registry of worker processes does,
 *   rather than of this many-threaded Node process (whose stat costs the kernel more to
 *   produce). Spawning a child per worker is not timed: it is not the registry's cost.
 * - limit: raw lmdb-js `db.put(key, entry)` of the same entries on its own file, opened with
 *   the registry's own options (`registryFileOptions`: msgpackr records with structures
 *   shared in the file), awaited in batches of 100: the batched commit rate the registry's
 *   two writes per pair sit on.
 * - No peer: no actor library ships a persistent OS-process registry.
 *
 * `stat_read_us` (extra): microseconds per open/read/close of `/proc/PID/stat` of that child
 * in this run, the identity read every activation must make before its write. The limit pays neither it
 * nor a second write per entry: the registry's ceiling is about
 * `1 / (2 / limit + stat_read_us / 1e6)` pairs/s before any actor or bookkeeping cost: the
 * record reports it as `ceiling`, and arbor's share of it as `of_ceiling`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessRegistry, registryFileOptions, type WorkerEntry } from '@arbor/process-registry';
import { open } from 'lmdb';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

const BATCH = 100;

function entry(runId: string, workerId: string): WorkerEntry {
  const owner = { pid: process.pid, startTime: 1, runId };
  return { workerId, runId, status: 'active', owner, actorId: null, osPid: process.pid, startTime: 1, pgid: 1, fingerprint: null, reservedAt: 1, activatedAt: 1, terminatingSince: null };
}

function statReadMicros(pid: number, reads: number): number {
  const buf = Buffer.alloc(1024);
  const t0 = now();
  for (let i = 0; i < reads; i++) {
    const fd = openSync(`/proc/${pid}/stat`, 'r');
    readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
  }
  return ((now() - t0) * 1000) / reads;
}

/**
 * `stat_read_us`, and the registry's ceiling from this run's own figures: the pairs/s of the
 * work every pair must do (two batched puts at the limit's rate, one /proc stat read) with
 * no actor or bookkeeping cost (`ceiling`), and arbor as a share of it (`of_ceiling`).
 */
function ceilingOf(arbor: number, limit: number, statUs: number | undefined): Record<string, number> {
  if (statUs === undefined) return {};
  const ceiling = 1 / (2 / limit + statUs / 1e6);
  return { stat_read_us: Math.round(statUs * 10) / 10, ceiling: Math.round(ceiling), of_ceiling: Math.round((arbor / ceiling) * 100) / 100 };
}

export async function registryReserveActivateWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const n = Math.ceil(sizes.reserveActivateN / BATCH) * BATCH;
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-procreg-'));
  const system = benchSystem();
  const raw = open<WorkerEntry, [string, string]>({ path: join(dir, 'raw.mdb'), ...registryFileOptions, noSync: true });
  // The worker every entry names: one real child, alive throughout.
  const worker = spawn('sleep', ['100000'], { stdio: 'ignore' });
  try {
    await once(worker, 'spawn');
    const pid = worker.pid!;
    const registry = await ProcessRegistry.start(system, { path: join(dir, 'registry.mdb'), cleanupOnStart: false, verifyOnOpen: false });
    let round = 0;
    const timeArbor = async (count: number): Promise<number> => {
      const prefix = `r${round++}-`;
      const t0 = now();
      for (let b = 0; b < count; b += BATCH) {
        const ids = Array.from({ length: BATCH }, (_, i) => `${prefix}${b + i}`);
        await Promise.all(ids.map((id) => registry.reserveWorker(id)));
        const activated = await Promise.all(ids.map((id) => registry.activateWorker(id, undefined, pid)));
        if (activated.some((a) => a.status !== 'active')) throw new Error('registry_reserve_activate: an activation failed');
      }
      return perSecond(count, now() - t0);
    };
    const timeLimit = async (count: number): Promise<number> => {
      const runId = `raw${round++}`;
      const t0 = now();
      for (let b = 0; b < count; b += BATCH) {
        await Promise.all(Array.from({ length: BATCH }, (_, i) => raw.put([runId, `${b + i}`], entry(runId, `${b + i}`))));
      }
      return perSecond(count, now() - t0);
    };
    await timeArbor(Math.max(BATCH, n / 10));
    await timeLimit(Math.max(BATCH, n / 10));

    const { arbor, limit } = await bestOfRounds(sizes.rounds, { arbor: () => timeArbor(n), limit: () => timeLimit(n) });
    return makeRecord({
      arbor,
      limit,
      peers: {},
      unit: 'pairs/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.3 }],
      extra: { n, batch: BATCH, rounds: sizes.rounds, ...ceilingOf(arbor, limit, process.platform === 'linux' ? statReadMicros(pid, n) : undefined) },
    });
  } finally {
    // Before the registry stops, so its shutdown finds the worker gone and signals nothing.
    if (worker.pid !== undefined && worker.exitCode === null && worker.signalCode === null) {
      worker.kill('SIGKILL');
      await once(worker, 'exit');
    }
    await system.shutdown();
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
