/**
 * Arbor's contenders in the worker workloads: `startWorker` over `threadProfile`,
 * `nodeProcessProfile` and `pythonProfile` (the API in the worker-profiles brief).
 *
 * The switch: `@arbor/worker-profiles` is loaded by name at run time and used only when it
 * exports what the bench needs (`startWorker` and the three profiles), so the raw limits and
 * the peers build and run before the Arbor side is merged. Until then each worker workload
 * reports `arbor: 0` and says why in `arbor_missing`. `ARBOR_BENCH_WORKERS=off` turns the
 * Arbor contenders off even when they exist (raw limits and peers only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createSystem, type ActorSystem } from '@arbor/core';
import { ProcessRegistry } from '@arbor/process-registry';
import { makeRecord, type RecordInput, type WorkloadRecord } from '../../record.js';
import { trackPid } from './children.js';
import type { TaskRunner } from './rawTransports.js';

/** The part of a `WorkerHandle` the bench uses. */
interface WorkerHandleLike {
  request(method: 'inc', arg: number): Promise<number>;
  metadata(): Promise<{ readonly pid?: number }>;
  stop(): Promise<void>;
}

/** The part of `@arbor/worker-profiles` the bench uses. */
export interface ArborWorkersApi {
  startWorker(system: ActorSystem, options: Record<string, unknown>): Promise<WorkerHandleLike>;
  threadProfile(options: Record<string, unknown>): unknown;
  nodeProcessProfile(options: Record<string, unknown>): unknown;
  pythonProfile(options: Record<string, unknown>): unknown;
  resolvePython?(command?: string): Promise<string>;
}

/**
 * Loads Arbor's worker API, or says why it is not there.
 *
 * @example
 * const api = await loadArborWorkers(); if (typeof api === 'string') console.log('no Arbor:', api);
 */
export async function loadArborWorkers(): Promise<ArborWorkersApi | string> {
  if (process.env['ARBOR_BENCH_WORKERS'] === 'off') return 'turned off (ARBOR_BENCH_WORKERS=off)';
  const name = '@arbor/worker-profiles';
  const mod = (await import(name)) as Partial<ArborWorkersApi>;
  const missing = (['startWorker', 'threadProfile', 'nodeProcessProfile', 'pythonProfile'] as const).filter((k) => typeof mod[k] !== 'function');
  if (missing.length > 0) return `@arbor/worker-profiles does not export ${missing.join(', ')} yet`;
  return mod as ArborWorkersApi;
}

/** The Arbor worker module (thread and node-process profiles). */
export const ARBOR_WORKER_MODULE = new URL('./modules/arborWorker.js', import.meta.url);

/** Capacity of each Arbor thread worker in `thread_tasks`: enough that the ring queue, not the cap, is what limits. */
export const ARBOR_THREAD_CAPACITY = 1024;

/** Requests sent beyond capacity to each capacity-1 Python worker, so the pipe stays full (requests batched). */
export const ARBOR_PYTHON_PIPELINE = 1024;

/**
 * Starts `count` Arbor workers with `options` (its `profile` included) and round-robins `inc` over them.
 *
 * @example
 * const arbor = await arborRunner(api, system, 2, (i) => ({ profile, name: `w${i}` })); await arbor.run(1); // 2
 */
export async function arborRunner(api: ArborWorkersApi, system: ActorSystem, count: number, options: (i: number) => Record<string, unknown>): Promise<TaskRunner> {
  const handles: WorkerHandleLike[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const h = await api.startWorker(system, options(i));
      handles.push(h);
      trackPid((await h.metadata()).pid);
    }
  } catch (e) {
    await Promise.allSettled(handles.map((h) => h.stop()));
    throw e;
  }
  let next = 0;
  return {
    run(x: number): Promise<number> {
      const h = handles[next]!;
      next = next + 1 === handles.length ? 0 : next + 1;
      return h.request('inc', x);
    },
    close: async () => {
      await Promise.all(handles.map((h) => h.stop()));
    },
  };
}

/**
 * A worker workload's record. Without Arbor (`arborMissing` says why) `arbor` is 0, there are
 * no arbor ratios, every target is unmet with no figure, and `arbor_missing` is in the
 * record: the limits and peers are still there to read.
 *
 * @example
 * return workerRecord(missing, { arbor, limit, peers, unit: 'tasks/s', better: 'higher', targets });
 */
export function workerRecord(arborMissing: string | undefined, input: RecordInput): WorkloadRecord {
  if (arborMissing === undefined) return makeRecord(input);
  const r = makeRecord({ ...input, arbor: 0, extra: { ...input.extra, arbor_missing: arborMissing } });
  return { ...r, ratios: {}, targets: r.targets.map((t) => ({ ...t, actual: null, met: false })) };
}

/**
 * A silent actor system with a process registry under the name Arbor's process profiles
 * look up (`process-registry`), on a temporary LMDB file removed by `shutdown`.
 *
 * @example
 * const { system, shutdown } = await workerSystem();
 * try { ... } finally { await shutdown(); }
 */
export async function workerSystem(): Promise<{ readonly system: ActorSystem; shutdown(): Promise<void> }> {
  const system = createSystem({ name: 'bench-workers', logger: createLogger('silent') });
  const dir = mkdtempSync(join(tmpdir(), 'arbor-bench-workers-'));
  try {
    await ProcessRegistry.start(system, { path: join(dir, 'registry.mdb'), name: 'process-registry' });
  } catch (e) {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    system,
    shutdown: async () => {
      try {
        await system.shutdown();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
