import { checkKnownKeys, checkTimeout, InvalidOptionError, type TimeoutRule } from '@arbor/core';
import type { RecycleOptions, WorkerOptions, WorkerProfile } from '@arbor/worker-profiles';
import { checkPoolName } from '../checkout/CheckoutPoolOptions.js';
import { resolveCrashBarrier, type CrashBarrierOptions, type ResolvedCrashBarrier } from './CrashBarrier.js';

/**
 * A job pool's definition. A pool with `delegateTo` and no `profile` runs nothing itself: it
 * admits jobs against its own limits and hands them to the pool it delegates to (Handler's
 * tenant pools).
 *
 * @example
 * await JobPool.start(system, { name: 'thumbs', profile: threadProfile({ module: TASK_WORKER_URL }), maxWorkers: 4, maxMemoryBytes: 2 * GiB, defaultMaxHeapBytes: 256 * MiB });
 */
export interface JobPoolOptions {
  /** The pool's name (letters, digits, `_ . : @ -`): it is found, killed into and stopped by it. */
  readonly name: string;
  /** The workers: a profile serving `$task` (Node: `TASK_WORKER_URL`; Python: `PYTHON_TASKS_PATH`). */
  readonly profile?: WorkerProfile<any>;
  /** Other worker options (timeouts, recycling, health); `name` and `profile` are the pool's. */
  readonly worker?: Omit<WorkerOptions<unknown>, 'profile' | 'name' | 'recycle'>;
  /** Workers kept running (default 1). */
  readonly minWorkers?: number;
  /** Workers at most, of every heap class together (default 4). */
  readonly maxWorkers?: number;
  /** Jobs one worker runs at once (default the profile's capacity). More than the profile's capacity pipelines them. */
  readonly capacityPerWorker?: number;
  /** Jobs waiting at most (default 10000); past it `QueueFullError`. */
  readonly maxQueue?: number;
  /** How long a job may wait in the queue (default 5000; `Infinity`: as long as its own deadline). */
  readonly queueTimeoutMs?: number;
  /** With every worker busy: wait in the queue (default) or reject at once with `NoWorkersError` (Handler's). */
  readonly onFull?: 'queue' | 'reject';
  /** The memory budget: jobs' declared `maxHeapBytes` committed at once (default Infinity). */
  readonly maxMemoryBytes?: number;
  /** A job's `maxHeapBytes` when it declares none (default: none, so it commits 0 and runs on a default worker). */
  readonly defaultMaxHeapBytes?: number;
  /** A pool name, or a function of the job giving one: jobs go there after this pool admitted them. */
  readonly delegateTo?: string | ((job: { readonly name: string | undefined; readonly task: string }) => string);
  /** Recycling of the workers (requests, ttl, heap, RSS). */
  readonly recycle?: RecycleOptions;
  /** Idle workers above `minWorkers` stop after this long (default 30000). */
  readonly idleTimeoutMs?: number;
  /** The pool supervisor's restart intensity (default 3 in 5000 ms). */
  readonly intensity?: number;
  readonly period?: number;
  /**
   * The crash barrier: a worker that died of a crash taints its slot and its idempotent job
   * runs again on another worker (default on for process profiles, off for threads; `false`: off).
   */
  readonly crashBarrier?: false | CrashBarrierOptions;
}

/** Checked options. @internal */
export interface ResolvedJobPoolOptions {
  readonly name: string;
  readonly profile: WorkerProfile<any> | undefined;
  readonly worker: Omit<WorkerOptions<unknown>, 'profile' | 'name' | 'recycle'>;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly capacityPerWorker: number;
  readonly maxQueue: number;
  readonly queueTimeoutMs: number;
  readonly onFull: 'queue' | 'reject';
  readonly maxMemoryBytes: number;
  readonly defaultMaxHeapBytes: number | undefined;
  readonly delegateTo: JobPoolOptions['delegateTo'];
  readonly recycle: RecycleOptions | undefined;
  readonly idleTimeoutMs: number;
  readonly intensity: number;
  readonly period: number;
  readonly crashBarrier: ResolvedCrashBarrier | undefined;
}

const KEYS = ['name', 'profile', 'worker', 'minWorkers', 'maxWorkers', 'capacityPerWorker', 'maxQueue', 'queueTimeoutMs', 'onFull', 'maxMemoryBytes', 'defaultMaxHeapBytes', 'delegateTo', 'recycle', 'idleTimeoutMs', 'intensity', 'period', 'crashBarrier'];

function int(op: string, key: string, v: unknown, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new InvalidOptionError(`${op}: ${key}`, `an integer from ${min} to ${max}`, v);
  return v;
}

function intOrInfinity(op: string, key: string, v: unknown, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return v === Infinity ? Infinity : int(op, key, v, dflt, min, max);
}

/** A duration option under core's timeout rule (whole milliseconds from `min`), or `dflt` when absent. */
function ms(op: string, key: string, v: unknown, dflt: number, rule: TimeoutRule): number {
  return v === undefined ? dflt : checkTimeout(`${op}: ${key}`, v, { integer: true, ...rule });
}

/**
 * Checks a job pool definition; every wrong field is an `InvalidOptionError` naming it. @internal
 *
 * @example
 * resolveJobPoolOptions('startJobPool', { name: 'thumbs', profile });
 */
export function resolveJobPoolOptions(op: string, options: unknown): ResolvedJobPoolOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidOptionError(`${op}: options`, '{ name, profile, ... }', options);
  checkKnownKeys(op, options, KEYS);
  const o = options as JobPoolOptions;
  checkPoolName(op, o.name);
  const profile = o.profile;
  if (profile !== undefined && (typeof profile !== 'object' || profile === null || typeof (profile as WorkerProfile).start !== 'function')) {
    throw new InvalidOptionError(`${op}: profile`, 'a worker profile (threadProfile({ module: TASK_WORKER_URL }), pythonProfile({ script: PYTHON_TASKS_PATH }), ...)', profile);
  }
  const delegateTo = o.delegateTo;
  if (delegateTo !== undefined && typeof delegateTo !== 'function') checkPoolName(`${op}: delegateTo`, delegateTo);
  if (profile === undefined && delegateTo === undefined) throw new InvalidOptionError(`${op}: profile`, 'a worker profile, or delegateTo (a pool that runs the jobs)', profile);
  if (profile !== undefined && delegateTo !== undefined) throw new InvalidOptionError(`${op}: delegateTo`, 'absent when the pool has its own profile (a tenant pool has delegateTo and no profile)', delegateTo);
  const worker = o.worker ?? {};
  if (typeof worker !== 'object' || worker === null) throw new InvalidOptionError(`${op}: worker`, 'worker options ({ requestTimeoutMs?, cancelGraceMs?, ... })', worker);
  for (const k of ['profile', 'name', 'recycle']) if (k in worker) throw new InvalidOptionError(`${op}: worker.${k}`, `absent: the pool sets it (use the pool's own ${k === 'recycle' ? 'recycle' : k === 'profile' ? 'profile' : 'name'})`, (worker as Record<string, unknown>)[k]);
  const maxWorkers = int(op, 'maxWorkers', o.maxWorkers, profile === undefined ? 1_000_000 : 4, 1, 1_000_000);
  const minWorkers = int(op, 'minWorkers', o.minWorkers, profile === undefined ? 0 : Math.min(1, maxWorkers), 0, maxWorkers);
  const capacityPerWorker = int(op, 'capacityPerWorker', o.capacityPerWorker, profile?.capacity ?? 1, 1, 1_000_000);
  if (o.onFull !== undefined && o.onFull !== 'queue' && o.onFull !== 'reject') throw new InvalidOptionError(`${op}: onFull`, "'queue' or 'reject'", o.onFull);
  const maxMemoryBytes = intOrInfinity(op, 'maxMemoryBytes', o.maxMemoryBytes, Infinity, 1);
  const defaultMaxHeapBytes = o.defaultMaxHeapBytes === undefined ? undefined : int(op, 'defaultMaxHeapBytes', o.defaultMaxHeapBytes, 0, 1);
  return {
    name: o.name,
    profile,
    worker,
    minWorkers,
    maxWorkers,
    capacityPerWorker,
    maxQueue: intOrInfinity(op, 'maxQueue', o.maxQueue, 10_000, 0),
    queueTimeoutMs: ms(op, 'queueTimeoutMs', o.queueTimeoutMs, 5_000, { min: 0 }),
    onFull: o.onFull ?? 'queue',
    maxMemoryBytes,
    defaultMaxHeapBytes,
    delegateTo,
    recycle: o.recycle,
    idleTimeoutMs: ms(op, 'idleTimeoutMs', o.idleTimeoutMs, 30_000, { min: 1, infinity: false }),
    intensity: int(op, 'intensity', o.intensity, 3, 0),
    period: ms(op, 'period', o.period, 5_000, { min: 1, infinity: false }),
    crashBarrier: resolveCrashBarrier(op, o.crashBarrier, profile),
  };
}
