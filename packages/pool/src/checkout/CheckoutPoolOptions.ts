import { checkKnownKeys, checkTimeout, InvalidOptionError, type ActorRef, type AnyBehaviour, type ChildSpec, type ProtocolOf } from '@arbor/core';
import { workerSpec, type WorkerHandle, type WorkerOptions, type WorkerProfile } from '@arbor/worker-profiles';

/** What a pool's workers are: a worker profile (or full worker options), or any actor's child spec. */
export type PoolWorker = WorkerProfile<any> | WorkerOptions<any> | ChildSpec<any>;

/**
 * What a lease hands out for a pool's `worker`: a `WorkerHandle<H>` for a profile (thread,
 * Node process, Python), an `ActorRef` of the behaviour's protocol for a child spec.
 *
 * @example
 * type W = WorkerOf<WorkerProfile<PyApi>>; // WorkerHandle<PyApi>
 */
export type WorkerOf<Wk> =
  Wk extends WorkerProfile<infer H> ? WorkerHandle<H>
  : Wk extends WorkerOptions<infer H> ? WorkerHandle<H>
  : Wk extends ChildSpec<infer B> ? ActorRef<AnyBehaviour extends B ? any : ProtocolOf<B>>
  : never;

/**
 * A checkout pool's definition (the argument of `startPool`).
 *
 * @example
 * await pools.startPool({ name: 'py', worker: pythonProfile<PyApi>({ script }), size: 2, maxOverflow: 2, overflowIdleMs: 30_000 });
 */
export interface CheckoutPoolOptions<Wk extends PoolWorker = PoolWorker> {
  /** The pool's name: 1 to 200 of letters, digits and `_ . : @ -`. Calls, `whereis` and `stopPool` use it. */
  readonly name: string;
  /** The workers: `threadProfile(...)`, `pythonProfile(...)`, `{ profile, ...workerOptions }`, or `childSpec(Behaviour, arg)`. */
  readonly worker: Wk;
  /** Workers kept running (default 5, poolboy's). 0 is allowed with `maxOverflow` > 0. */
  readonly size?: number;
  /** Extra workers started under load and stopped when idle (default 0). */
  readonly maxOverflow?: number;
  /** How long an idle overflow worker lingers before it stops (default 0: at once, poolboy's). */
  readonly overflowIdleMs?: number;
  /** Which idle worker a checkout gets: the last checked in (`'lifo'`, default) or the first. */
  readonly strategy?: 'lifo' | 'fifo';
  /** Default `timeoutMs` of a blocking checkout (default 5000, poolboy's; `Infinity` waits forever). */
  readonly checkoutTimeoutMs?: number;
  /** Blocking checkouts allowed to wait for a checkin at once (default `Infinity`); past it they reject with `PoolFullError`. One a worker may still start for is not refused. */
  readonly maxWaiting?: number;
  /** A lease not checked in within this many ms is revoked and its worker killed (default `Infinity`). */
  readonly maxLeaseMs?: number;
  /** When a lease's owner actor dies: kill and replace its worker (`'dismiss'`, default) or check it in (poolboy's). */
  readonly onOwnerDown?: 'dismiss' | 'checkin';
  /** Back-off between failed worker starts (default 100 ms doubling to 5000 ms). */
  readonly startBackoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** The pool supervisor's restart intensity (default OTP's: 3 restarts within 5000 ms). */
  readonly intensity?: number;
  readonly period?: number;
}

/** The checked definition the pool's actors start from. @internal */
export interface ResolvedPoolOptions {
  readonly name: string;
  /** `profile` workers are handed out as WorkerHandles, `actor` workers as refs. */
  readonly kind: 'profile' | 'actor';
  readonly spec: ChildSpec;
  readonly size: number;
  readonly maxOverflow: number;
  readonly overflowIdleMs: number;
  readonly strategy: 'lifo' | 'fifo';
  readonly checkoutTimeoutMs: number;
  readonly maxWaiting: number;
  readonly maxLeaseMs: number;
  readonly onOwnerDown: 'dismiss' | 'checkin';
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly intensity: number;
  readonly period: number;
}

const KEYS = ['name', 'worker', 'size', 'maxOverflow', 'overflowIdleMs', 'strategy', 'checkoutTimeoutMs', 'maxWaiting', 'maxLeaseMs', 'onOwnerDown', 'startBackoff', 'intensity', 'period'];
const NAME = /^[A-Za-z0-9_.:@-]{1,200}$/;

/** Whether `name` can name a pool (the registry keys of its parts add `/manager`, `/workers`). @internal */
export function checkPoolName(op: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidOptionError(`${op}: name`, 'a pool name: 1 to 200 letters, digits or _ . : @ - (no spaces or slashes), e.g. "py-workers"', name);
  }
}

function intIn(op: string, key: string, v: unknown, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new InvalidOptionError(`${op}: ${key}`, `an integer from ${min} to ${max}`, v);
  return v;
}

/** A duration option under core's timeout rule (whole milliseconds from `min`; Infinity unless `forever` is false), or `dflt` when absent. */
function ms(op: string, key: string, v: unknown, dflt: number, min: number, forever = true): number {
  return v === undefined ? dflt : checkTimeout(`${op}: ${key}`, v, { integer: true, min, infinity: forever });
}

function isProfile(w: object): w is WorkerProfile {
  const p = w as Partial<WorkerProfile>;
  return typeof p.kind === 'string' && typeof p.start === 'function' && typeof p.capacity === 'number';
}

function resolveWorker(op: string, worker: unknown): { kind: 'profile' | 'actor'; spec: ChildSpec } {
  const expected = 'a worker profile (threadProfile(...), pythonProfile(...)), worker options ({ profile, ... }), or a child spec (childSpec(Behaviour, arg))';
  if (typeof worker !== 'object' || worker === null || Array.isArray(worker)) throw new InvalidOptionError(`${op}: worker`, expected, worker);
  if ('profile' in worker || isProfile(worker)) {
    const options = ('profile' in worker ? worker : { profile: worker }) as WorkerOptions<unknown>;
    if (options.name !== undefined) {
      throw new InvalidOptionError(`${op}: worker.name`, 'no name: a pool runs many workers of one spec (reach them through checkout)', options.name);
    }
    return { kind: 'profile', spec: workerSpec(options, { id: 'worker', restart: 'temporary' }) };
  }
  const spec = worker as Partial<ChildSpec>;
  if (spec.start === undefined || (typeof spec.start !== 'function' && typeof spec.start !== 'object')) throw new InvalidOptionError(`${op}: worker`, expected, worker);
  const start = spec.start;
  if (typeof start === 'object' && start !== null && (start as { options?: { name?: unknown } }).options?.name !== undefined) {
    throw new InvalidOptionError(`${op}: worker.start.options.name`, 'no name: a pool runs many workers of one spec (reach them through checkout)', (start as { options: { name: unknown } }).options.name);
  }
  return { kind: 'actor', spec: { ...(spec as ChildSpec), id: spec.id ?? 'worker', restart: 'temporary' } };
}

/**
 * Checks a pool definition: every wrong field is an `InvalidOptionError` naming it and the fix.
 * @internal
 *
 * @example
 * resolvePoolOptions('startPool', { name: 'db', worker: childSpec(Conn, url), size: 2 });
 */
export function resolvePoolOptions(op: string, options: unknown): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`${op}: options`, '{ name, worker, size?, maxOverflow?, ... }', options);
  }
  checkKnownKeys(op, options, KEYS);
  const o = options as CheckoutPoolOptions;
  checkPoolName(op, o.name);
  const { kind, spec } = resolveWorker(op, o.worker);
  const size = intIn(op, 'size', o.size, 5, 0, 100_000);
  const maxOverflow = intIn(op, 'maxOverflow', o.maxOverflow, 0, 0, 100_000);
  if (size + maxOverflow === 0) throw new InvalidOptionError(`${op}: size`, 'at least 1, or maxOverflow at least 1 (a pool that may run no worker serves nothing)', size);
  if (o.strategy !== undefined && o.strategy !== 'lifo' && o.strategy !== 'fifo') throw new InvalidOptionError(`${op}: strategy`, "'lifo' or 'fifo'", o.strategy);
  if (o.onOwnerDown !== undefined && o.onOwnerDown !== 'dismiss' && o.onOwnerDown !== 'checkin') {
    throw new InvalidOptionError(`${op}: onOwnerDown`, "'dismiss' (kill and replace the worker) or 'checkin'", o.onOwnerDown);
  }
  const backoff = o.startBackoff;
  if (backoff !== undefined && (typeof backoff !== 'object' || backoff === null)) throw new InvalidOptionError(`${op}: startBackoff`, '{ initialMs?, maxMs? }', backoff);
  if (backoff !== undefined) checkKnownKeys(`${op}: startBackoff`, backoff, ['initialMs', 'maxMs']);
  const backoffInitialMs = ms(op, 'startBackoff.initialMs', backoff?.initialMs, 100, 1, false);
  const backoffMaxMs = ms(op, 'startBackoff.maxMs', backoff?.maxMs, Math.max(5_000, backoffInitialMs), backoffInitialMs, false);
  const maxWaiting = o.maxWaiting === Infinity ? Infinity : intIn(op, 'maxWaiting', o.maxWaiting, Infinity as never, 0);
  return {
    name: o.name,
    kind,
    spec,
    size,
    maxOverflow,
    overflowIdleMs: ms(op, 'overflowIdleMs', o.overflowIdleMs, 0, 0, false),
    strategy: o.strategy ?? 'lifo',
    checkoutTimeoutMs: ms(op, 'checkoutTimeoutMs', o.checkoutTimeoutMs, 5_000, 0),
    maxWaiting: o.maxWaiting === undefined ? Infinity : maxWaiting,
    maxLeaseMs: ms(op, 'maxLeaseMs', o.maxLeaseMs, Infinity, 1),
    onOwnerDown: o.onOwnerDown ?? 'dismiss',
    backoffInitialMs,
    backoffMaxMs,
    intensity: intIn(op, 'intensity', o.intensity, 3, 0),
    period: ms(op, 'period', o.period, 5_000, 1, false),
  };
}
