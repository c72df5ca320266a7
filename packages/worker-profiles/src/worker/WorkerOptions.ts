import { checkKnownKeys, checkTimeout, InvalidOptionError } from '@arbor/core';
import type { WorkerProfile } from '../contract/WorkerProfile.js';

/**
 * Health checking: a ping every `intervalMs`; `maxMisses` unanswered in a row (while idle) kill the worker.
 *
 * @example
 * await startWorker(system, { profile, health: { intervalMs: 1_000, timeoutMs: 500, maxMisses: 3 } });
 */
export interface HealthOptions {
  /** Default 5000. */
  readonly intervalMs?: number;
  /** Default 2000. */
  readonly timeoutMs?: number;
  /** Default 3. */
  readonly maxMisses?: number;
}

/**
 * When to replace the worker in place (the actor and its ref stay).
 *
 * @example
 * await startWorker(system, { profile, recycle: { maxRequests: 10_000, maxHeapBytes: 512 * 1024 ** 2 } });
 */
export interface RecycleOptions {
  /** After this many requests served. */
  readonly maxRequests?: number;
  /** After this age in ms. */
  readonly ttlMs?: number;
  /** When its reported V8 heap passes this. */
  readonly maxHeapBytes?: number;
  /** When its RSS passes this (process profiles only). */
  readonly maxRssBytes?: number;
  /** How long the old worker may take to finish its in-flight requests (default 30000). */
  readonly drainTimeoutMs?: number;
}

/**
 * How one worker actor runs its worker.
 *
 * @example
 * const worker = await startWorker(system, { profile, name: 'resize', requestTimeoutMs: 10_000, recycle: { maxRequests: 10_000 } });
 */
export interface WorkerOptions<H = unknown> {
  readonly profile: WorkerProfile<H>;
  /** The actor's registered local name, and the workerId prefix (default: the profile kind). */
  readonly name?: string;
  /** Default 10000. */
  readonly readyTimeoutMs?: number;
  /** Default Infinity. */
  readonly requestTimeoutMs?: number;
  /** Requests sent beyond capacity (they wait in the worker); default 0. */
  readonly pipeline?: number;
  /** Requests waiting parent-side at most; default Infinity. */
  readonly maxQueue?: number;
  /** How long a cancelled request may keep running before the worker is killed and replaced; default 100. */
  readonly cancelGraceMs?: number;
  /** How long an orderly stop lets in-flight requests finish; default 5000. */
  readonly stopGraceMs?: number;
  /** Default false. */
  readonly health?: false | HealthOptions;
  readonly recycle?: RecycleOptions;
}

/**
 * Options with every default filled in. @internal
 *
 * @example
 * resolveWorkerOptions('startWorker', { profile }).stopGraceMs; // 5000
 */
export interface ResolvedWorkerOptions {
  readonly profile: WorkerProfile<unknown>;
  readonly name: string | undefined;
  readonly readyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly pipeline: number;
  readonly maxQueue: number;
  readonly cancelGraceMs: number;
  readonly stopGraceMs: number;
  readonly health: Required<HealthOptions> | undefined;
  readonly recycle: (RecycleOptions & { readonly drainTimeoutMs: number }) | undefined;
}

const KEYS = ['profile', 'name', 'readyTimeoutMs', 'requestTimeoutMs', 'pipeline', 'maxQueue', 'cancelGraceMs', 'stopGraceMs', 'health', 'recycle'];
const HEALTH_KEYS = ['intervalMs', 'timeoutMs', 'maxMisses'];
const RECYCLE_KEYS = ['maxRequests', 'ttlMs', 'maxHeapBytes', 'maxRssBytes', 'drainTimeoutMs'];

/** A duration option under core's timeout rule (whole milliseconds from `min`), or `fallback` when absent. */
function ms(op: string, field: string, value: unknown, fallback: number, allowInfinity: boolean, min = 0): number {
  return value === undefined ? fallback : checkTimeout(`${op}: ${field}`, value, { integer: true, min, infinity: allowInfinity });
}

function count(op: string, field: string, value: unknown, fallback: number, min: number, allowInfinity: boolean): number {
  if (value === undefined) return fallback;
  if ((allowInfinity && value === Infinity) || (Number.isSafeInteger(value) && (value as number) >= min)) return value as number;
  throw new InvalidOptionError(`${op}: ${field}`, `an integer >= ${min}${allowInfinity ? ', or Infinity' : ''}`, value);
}

/**
 * Checks worker options (InvalidOptionError naming the field) and fills in the defaults. @internal
 *
 * @example
 * const o = resolveWorkerOptions('startWorker', { profile }); // o.readyTimeoutMs === 10_000
 */
export function resolveWorkerOptions(op: string, options: WorkerOptions<unknown>): ResolvedWorkerOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(`${op}: options`, 'an object such as { profile: threadProfile({ module }) }', options);
  checkKnownKeys(op, options, KEYS);
  const p = options.profile as WorkerProfile<unknown> | undefined;
  if (typeof p !== 'object' || p === null || typeof p.start !== 'function' || typeof p.kind !== 'string' || !(Number.isInteger(p.capacity) && p.capacity >= 1)) {
    throw new InvalidOptionError(`${op}: profile`, 'a WorkerProfile (threadProfile(...), nodeProcessProfile(...), stdioProfile(...), pythonProfile(...)) with a kind, a capacity >= 1 and start()', p);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) throw new InvalidOptionError(`${op}: name`, 'a non-empty string', options.name);
  let health: Required<HealthOptions> | undefined;
  if (options.health !== undefined && options.health !== false) {
    if (typeof options.health !== 'object' || options.health === null) throw new InvalidOptionError(`${op}: health`, 'false or an object { intervalMs?, timeoutMs?, maxMisses? }', options.health);
    checkKnownKeys(`${op}: health`, options.health, HEALTH_KEYS);
    health = {
      intervalMs: ms(op, 'health.intervalMs', options.health.intervalMs, 5_000, false, 1),
      timeoutMs: ms(op, 'health.timeoutMs', options.health.timeoutMs, 2_000, false, 1),
      maxMisses: count(op, 'health.maxMisses', options.health.maxMisses, 3, 1, false),
    };
  }
  let recycle: ResolvedWorkerOptions['recycle'];
  if (options.recycle !== undefined) {
    const r = options.recycle;
    if (typeof r !== 'object' || r === null) throw new InvalidOptionError(`${op}: recycle`, 'an object { maxRequests?, ttlMs?, maxHeapBytes?, maxRssBytes?, drainTimeoutMs? }', r);
    checkKnownKeys(`${op}: recycle`, r, RECYCLE_KEYS);
    const maybe = (field: keyof RecycleOptions, value: number | undefined, check: (v: unknown) => number): Record<string, number> => (value === undefined ? {} : { [field]: check(value) });
    recycle = {
      ...maybe('maxRequests', r.maxRequests, (v) => count(op, 'recycle.maxRequests', v, 0, 1, false)),
      ...maybe('ttlMs', r.ttlMs, (v) => ms(op, 'recycle.ttlMs', v, 0, false, 1)),
      ...maybe('maxHeapBytes', r.maxHeapBytes, (v) => count(op, 'recycle.maxHeapBytes', v, 0, 1, false)),
      ...maybe('maxRssBytes', r.maxRssBytes, (v) => count(op, 'recycle.maxRssBytes', v, 0, 1, false)),
      drainTimeoutMs: ms(op, 'recycle.drainTimeoutMs', r.drainTimeoutMs, 30_000, false),
    };
    if (recycle.maxRssBytes !== undefined && !p.isProcess) throw new InvalidOptionError(`${op}: recycle.maxRssBytes`, `unset for a ${p.kind} profile (threads share the parent's RSS: use maxHeapBytes)`, recycle.maxRssBytes);
  }
  return {
    profile: p,
    name: options.name,
    readyTimeoutMs: ms(op, 'readyTimeoutMs', options.readyTimeoutMs, 10_000, false, 1),
    requestTimeoutMs: ms(op, 'requestTimeoutMs', options.requestTimeoutMs, Infinity, true, 1),
    pipeline: count(op, 'pipeline', options.pipeline, 0, 0, false),
    maxQueue: count(op, 'maxQueue', options.maxQueue, Infinity, 0, true),
    cancelGraceMs: ms(op, 'cancelGraceMs', options.cancelGraceMs, 100, false),
    stopGraceMs: ms(op, 'stopGraceMs', options.stopGraceMs, 5_000, false),
    health,
    recycle,
  };
}
