import { checkTimeout, InvalidOptionError, type ActorSystem } from '@arbor/core';
import { TableOwner, TableSpec, type SetTable, type TableOwnerDef } from '@arbor/ets';
import type { WorkerExit, WorkerProfile } from '@arbor/worker-profiles';
import type { Job } from './Job.js';

/** The exit reasons a crash barrier can taint a slot on. */
const EXIT_REASONS = ['crash', 'oom', 'exit', 'killed', 'timeout'] as const;
const KEYS = new Set(['markOn', 'taintMs', 'retry', 'maxRetries', 'backoffMs']);

/**
 * A job pool's crash barrier (pools.md §4.6): when a worker dies of one of `markOn`, its
 * slot is tainted for `taintMs` (routing avoids it while an untainted worker has room), and
 * the job that was running is retried on another worker if it is idempotent, at most
 * `maxRetries` times, after a back-off step and within its deadline. On by default for
 * process profiles; `false` turns it off.
 *
 * @example
 * await JobPool.start(system, { name: 'native', profile, crashBarrier: { markOn: ['crash', 'oom', 'exit'], taintMs: 30_000, maxRetries: 2 } });
 */
export interface CrashBarrierOptions {
  /** The worker exits the barrier acts on, tainting the slot and retrying the job (default `['crash', 'oom']`). */
  readonly markOn?: readonly WorkerExit['reason'][];
  /** How long a slot stays tainted (default 60000 ms). */
  readonly taintMs?: number;
  /** Which jobs run again after their worker died: `'idempotent'` ones (default) or `'never'`. */
  readonly retry?: 'idempotent' | 'never';
  /** Runs after the first, at most (default 1). */
  readonly maxRetries?: number;
  /** The wait before each retry, one step per retry (the last repeats; default `[50, 100, 200]`). */
  readonly backoffMs?: readonly number[];
}

/** Checked crash barrier options. @internal */
export interface ResolvedCrashBarrier {
  readonly markOn: ReadonlySet<WorkerExit['reason']>;
  readonly taintMs: number;
  readonly retry: 'idempotent' | 'never';
  readonly maxRetries: number;
  readonly backoffMs: readonly number[];
}

/**
 * One taint: the slot is avoided until `until` (epoch ms); `at` is when it was tainted.
 *
 * @example
 * const t: Taint = { until: Date.now() + 60_000, at: Date.now(), reason: 'crash' };
 */
export interface Taint {
  readonly until: number;
  readonly at: number;
  readonly reason: WorkerExit['reason'];
}

/** A `crashBarrier` duration under core's timeout rule: whole milliseconds from `min`, a timer Node keeps. */
function ms(op: string, key: string, v: unknown, min: number): number {
  return checkTimeout(`${op}: crashBarrier.${key}`, v, { integer: true, min, infinity: false });
}

/**
 * Checks the `crashBarrier` option; undefined means the barrier is off. Its default is on for
 * process profiles and off for threads: a thread worker's "crash" is its own isolate (an
 * uncaught error, its heap cap), which a fresh replacement does not inherit, so tainting the
 * slot would only steer work away from a healthy worker, and a native crash takes the whole
 * process down, threads and pool together. @internal
 *
 * @example
 * resolveCrashBarrier('startJobPool', { taintMs: 1000 }, profile); // { markOn: Set{crash,oom}, taintMs: 1000, ... }
 */
export function resolveCrashBarrier(op: string, v: unknown, profile: WorkerProfile<any> | undefined): ResolvedCrashBarrier | undefined {
  if (v === false) return undefined;
  if (v === undefined && profile?.isProcess !== true) return undefined;
  if (v !== undefined && profile === undefined) throw new InvalidOptionError(`${op}: crashBarrier`, 'absent for a pool that delegates (its parent pool has the workers and the barrier)', v);
  const o = (v ?? {}) as CrashBarrierOptions;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new InvalidOptionError(`${op}: crashBarrier`, 'false or { markOn?, taintMs?, retry?, maxRetries?, backoffMs? }', v);
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new InvalidOptionError(`${op}: crashBarrier.${k}`, `absent (known keys: ${[...KEYS].join(', ')})`, (o as Record<string, unknown>)[k]);
  const markOn = o.markOn ?? ['crash', 'oom'];
  if (!Array.isArray(markOn) || markOn.some((r) => !(EXIT_REASONS as readonly unknown[]).includes(r))) {
    throw new InvalidOptionError(`${op}: crashBarrier.markOn`, `an array of exit reasons from ${EXIT_REASONS.map((r) => `'${r}'`).join(', ')}`, markOn);
  }
  if (o.retry !== undefined && o.retry !== 'idempotent' && o.retry !== 'never') throw new InvalidOptionError(`${op}: crashBarrier.retry`, "'idempotent' or 'never'", o.retry);
  const maxRetries = o.maxRetries ?? 1;
  if (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 100) throw new InvalidOptionError(`${op}: crashBarrier.maxRetries`, 'an integer from 0 to 100', maxRetries);
  const backoffMs = o.backoffMs ?? [50, 100, 200];
  if (!Array.isArray(backoffMs) || backoffMs.length === 0) throw new InvalidOptionError(`${op}: crashBarrier.backoffMs`, 'a non-empty array of integer milliseconds (one per retry, the last repeats)', backoffMs);
  backoffMs.forEach((b) => ms(op, 'backoffMs', b, 0));
  return {
    markOn: new Set(markOn),
    taintMs: o.taintMs === undefined ? 60_000 : ms(op, 'taintMs', o.taintMs, 1),
    retry: o.retry ?? 'idempotent',
    maxRetries,
    backoffMs: [...backoffMs],
  };
}

/** The taint table's declarations, per pools tree. @internal */
export type TaintTables = TableOwnerDef<Record<string, ReturnType<typeof TableSpec.set<string, Taint>>>>;

const owners = new Map<string, TaintTables>();

/**
 * The table owner of a pools tree's taint table: registered as `<tree>.tables`, it owns
 * `<tree>.worker_taints` (table names are system-wide, and an application may have its own
 * `worker_taints`). It is the tree's first child, so taints outlive every pool restart. @internal
 *
 * @example
 * taintTables('arbor.pools').ensureTable(taintTableName('arbor.pools'), system).lookup('py:0');
 */
export function taintTables(tree: string): TaintTables {
  let def = owners.get(tree);
  if (def === undefined) owners.set(tree, (def = TableOwner.define(`${tree}.tables`, { [taintTableName(tree)]: TableSpec.set<string, Taint>() })));
  return def;
}

/**
 * The name of a pools tree's taint table. @internal
 *
 * @example
 * taintTableName('arbor.pools'); // 'arbor.pools.worker_taints'
 */
export function taintTableName(tree: string): string {
  return `${tree}.worker_taints`;
}

/**
 * A job pool's crash barrier at run time: taints (in the pools tree's table, keyed
 * `<pool>:<slotId>`, or in memory when the pool has no tree), the retry decision and its
 * back-off timers, and the counters. Owned by the pool's core. @internal
 *
 * @example
 * const barrier = new CrashBarrier('py', resolved, () => table);
 */
export class CrashBarrier {
  readonly #pool: string;
  readonly #o: ResolvedCrashBarrier;
  readonly #table: () => SetTable<string, Taint> | undefined;
  readonly #local = new Map<string, Taint>();
  readonly #timers = new Map<Job, NodeJS.Timeout>();
  retries = 0;

  constructor(pool: string, options: ResolvedCrashBarrier, table: () => SetTable<string, Taint> | undefined) {
    this.#pool = pool;
    this.#o = options;
    this.#table = table;
  }

  get options(): ResolvedCrashBarrier {
    return this.#o;
  }

  #get(key: string): Taint | undefined {
    const t = this.#table();
    return t === undefined ? this.#local.get(key) : t.lookup(key);
  }

  /** Taints the slot when the exit's reason is one of `markOn`; answers whether it did. */
  taint(slotId: number, exit: WorkerExit): boolean {
    if (!this.#o.markOn.has(exit.reason)) return false;
    const now = Date.now();
    const taint: Taint = { until: now + this.#o.taintMs, at: now, reason: exit.reason };
    const key = `${this.#pool}:${slotId}`;
    const t = this.#table();
    if (t === undefined) this.#local.set(key, taint);
    else t.insert(key, taint);
    return true;
  }

  /** True when some taint may be live (a cheap test before routing looks at each slot). */
  any(): boolean {
    const t = this.#table();
    return (t === undefined ? this.#local.size : t.size()) > 0;
  }

  /** The slot's live taint, or undefined (an expired one is deleted). */
  taintOf(slotId: number, now: number): Taint | undefined {
    const key = `${this.#pool}:${slotId}`;
    const taint = this.#get(key);
    if (taint === undefined || taint.until > now) return taint;
    const t = this.#table();
    if (t === undefined) this.#local.delete(key);
    else t.delete(key);
    return undefined;
  }

  /** Slots of this pool tainted now. */
  count(): number {
    const now = Date.now();
    const prefix = `${this.#pool}:`;
    const t = this.#table();
    let n = 0;
    for (const [k, v] of t === undefined ? this.#local : t.match((k) => k.startsWith(prefix))) if (k.startsWith(prefix) && v.until > now) n++;
    return n;
  }

  /** The back-off before running `job` again after its worker exited, or undefined when it may not run again. */
  retryDelay(job: Job): number | undefined {
    if (this.#o.retry !== 'idempotent' || !job.idempotent || job.killedWith !== undefined || job.attempts > this.#o.maxRetries) return undefined;
    const b = this.#o.backoffMs;
    const delay = b[Math.min(job.attempts - 1, b.length - 1)]!;
    return performance.now() + delay < job.deadline ? delay : undefined;
  }

  /** Runs `again` after `delay` ms, unless `cancel(job)` comes first. */
  schedule(job: Job, delay: number, again: () => void): void {
    this.retries++;
    this.#timers.set(
      job,
      setTimeout(() => {
        this.#timers.delete(job);
        again();
      }, delay),
    );
  }

  /** Drops a pending retry of `job`; answers whether one was pending. */
  cancel(job: Job): boolean {
    const timer = this.#timers.get(job);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.#timers.delete(job);
    return true;
  }
}

/** An outside handle on the tree's taint table, re-resolved after an owner restart. @internal */
export function taintTableOf(system: ActorSystem, tree: string): () => SetTable<string, Taint> | undefined {
  const def = taintTables(tree);
  let h: SetTable<string, Taint> | undefined;
  return () => {
    if (h !== undefined && h.alive) return h;
    try {
      h = def.ensureTable(taintTableName(tree), system) as SetTable<string, Taint>;
    } catch {
      h = undefined; // the owner is restarting: the barrier keeps taints in memory meanwhile
    }
    return h;
  };
}
