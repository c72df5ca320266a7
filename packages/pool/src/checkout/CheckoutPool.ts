import { ActorSystem, badRef, checkKnownKeys, checkTimeout, currentActor, InvalidOptionError, isActorRef, type ActorRef, type RegistryHandle } from '@arbor/core';
import { workerOf } from '@arbor/worker-profiles';
import { CheckoutAbortedError, CheckoutTimeoutError, PoolFullError, PoolStoppedError, WorkerStartFailedError } from '../errors/errors.js';
import { defaultTree, poolsOf } from '../pools/defaultPools.js';
import { managerKey } from '../pools/keys.js';
import { Lease } from './Lease.js';
import type { CheckoutReply, PoolManagerProtocol } from './PoolManager.js';
import type { CheckoutPoolOptions, PoolWorker, WorkerOf } from './CheckoutPoolOptions.js';
import type { PoolStatus } from './PoolStatus.js';
import type { PoolEntry } from './PoolSupervisor.js';

/**
 * How one checkout waits.
 *
 * @example
 * await pool.checkout({ timeoutMs: 1_000, signal: AbortSignal.timeout(2_000) });
 */
export interface CheckoutOptions {
  /** Wait for a worker (default true). `false`: answer `'full'` at once when none is idle and none may start. */
  readonly block?: boolean;
  /** How long a blocking checkout waits (default the pool's `checkoutTimeoutMs`; `Infinity`: forever). */
  readonly timeoutMs?: number;
  /** Aborting it rejects the checkout with `CheckoutAbortedError` and gives back a worker already handed to it. */
  readonly signal?: AbortSignal;
  /**
   * The actor the lease is tied to: when it dies its worker is dismissed (or checked in, by the
   * pool's `onOwnerDown`); when it dies while the checkout waits, the checkout rejects with
   * `CheckoutAbortedError` (`by: 'owner'`). Default: the actor calling `checkout` (in its handler's synchronous
   * part), none from plain code; `null`: none.
   */
  readonly owner?: ActorRef | null;
}

/**
 * A transaction's checkout, and which errors mean the worker is broken.
 *
 * @example
 * await pool.transaction((w) => w.request('q', sql), { timeoutMs: 500, dismissOn: (e) => e instanceof DbGoneError });
 */
export interface TransactionOptions extends Omit<CheckoutOptions, 'block'> {
  /**
   * Whether an error `fn` threw leaves the worker in an unknown state, so it is dismissed
   * instead of checked in. Default: the worker died, a request to it timed out or was aborted
   * (it may still be busy: poolboy #33, epgsql/pgapp#20), or a call to an actor worker timed
   * out or exited.
   */
  readonly dismissOn?: (error: unknown) => boolean;
}

const CHECKOUT_KEYS = ['block', 'timeoutMs', 'signal', 'owner'];
const TRANSACTION_KEYS = ['timeoutMs', 'signal', 'owner', 'dismissOn'];
const BROKEN = new Set(['worker_exit', 'worker_stopped', 'request_timeout', 'aborted', 'timeout', 'exit']);

/** The default `dismissOn`: errors after which a worker's state is unknown. */
function brokeTheWorker(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BROKEN.has(code);
}

let nextCheckoutId = 1;

/**
 * The handle of one checkout pool, found by name: every call looks the pool's manager up in
 * the pools registry, so a handle keeps working across restarts of the pool (a call made
 * while it restarts rejects with `PoolStoppedError`). Get one from `CheckoutPool.start` /
 * `CheckoutPool.of` (the system's default pools tree), or `pools.startPool` /
 * `pools.pool(name)` (a tree of your own).
 *
 * @example
 * const r = await pools.startPool({ name: 'py', worker: pythonProfile<PyApi>({ script }), size: 2 });
 * const sum = await r.pool.transaction((py) => py.request('add', { a: 1, b: 2 }));
 */
export class CheckoutPool<W = unknown> {
  readonly #system: ActorSystem;
  readonly #registry: () => RegistryHandle<string, PoolEntry, any> | undefined;
  readonly #name: string;
  /** The manager's key in the pools registry (built once: every checkout looks it up). */
  readonly #managerKey: string;
  #kind: PoolEntry['kind'] | undefined;
  /** The worker handed out for each worker ref (a `WorkerHandle` holds only the system and the ref, so one per ref serves every lease of it). */
  readonly #handles = new WeakMap<ActorRef, W>();

  /** @internal Use `startPool` or `pools.pool(name)`. */
  constructor(system: ActorSystem, registry: () => RegistryHandle<string, PoolEntry, any> | undefined, name: string) {
    this.#system = system;
    this.#registry = registry;
    this.#name = name;
    this.#managerKey = managerKey(name);
  }

  /**
   * Starts a checkout pool in the system's default pools tree (`Pools.of(system)`, started
   * if it is not running) and resolves with its handle; rejects with the `PoolStartError`
   * when its first workers fail. A pool of that name that runs already is answered as is.
   * The same as `(await Pools.start(system)).startPool(options)` with the error thrown.
   *
   * @example
   * const db = await CheckoutPool.start(system, { name: 'db', worker: childSpec(Conn, url), size: 2 });
   * await db.transaction((conn) => call(conn, { type: 'query', sql: 'select 1' }));
   */
  static async start<const Wk extends PoolWorker>(system: ActorSystem, options: CheckoutPoolOptions<Wk>): Promise<CheckoutPool<WorkerOf<Wk>>> {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('CheckoutPool.start: system', 'an ActorSystem (createSystem())', system);
    const pools = await defaultTree(system);
    const r = await pools.startPool(options);
    if (r.status === 'error') throw r.reason;
    return r.pool;
  }

  /**
   * The handle of the checkout pool named `name` in the system's default pools tree (typed
   * by you); the same as `Pools.of(system).pool<W>(name)`. Its calls reject with
   * `PoolStoppedError` while no such pool runs.
   *
   * @example
   * const py = CheckoutPool.of<WorkerHandle<PyApi>>(system, 'py');
   */
  static of<W = unknown>(system: ActorSystem, name: string): CheckoutPool<W> {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('CheckoutPool.of: system', 'an ActorSystem', system);
    return poolsOf().of(system).pool<W>(name);
  }

  /** The pool's name. */
  get name(): string {
    return this.#name;
  }

  /** The pool's supervisor now (a new ref after each restart), or undefined while it is not running. */
  get ref(): ActorRef | undefined {
    return this.#lookup(this.#name);
  }

  /** The pool's manager actor now (a new ref after each restart), or undefined while it is not running. */
  get manager(): ActorRef<PoolManagerProtocol> | undefined {
    return this.#lookup(this.#managerKey) as ActorRef<PoolManagerProtocol> | undefined;
  }

  /**
   * Takes a worker for exclusive use. Blocking (the default): resolves with a `Lease` once one
   * is free, or rejects with `CheckoutTimeoutError`, `CheckoutAbortedError`, `PoolFullError`
   * (`maxWaiting`), `WorkerStartFailedError` (the worker started for it failed) or
   * `PoolStoppedError`. Non-blocking: `'full'` instead of waiting when no worker is idle and
   * none may start. Waiters are served first come, first served.
   *
   * @example
   * await using lease = await pool.checkout({ timeoutMs: 1_000 });
   * const maybe = await pool.checkout({ block: false }); // Lease | 'full'
   */
  checkout(options?: CheckoutOptions & { readonly block?: true }): Promise<Lease<W>>;
  checkout(options: CheckoutOptions & { readonly block: false }): Promise<Lease<W> | 'full'>;
  checkout(options?: CheckoutOptions): Promise<Lease<W> | 'full'>;
  checkout(options?: CheckoutOptions): Promise<Lease<W> | 'full'> {
    let req;
    try {
      req = this.#request('checkout', options, CHECKOUT_KEYS);
    } catch (error) {
      return Promise.reject(error);
    }
    const { manager, id, block, timeoutMs, owner, signal } = req;
    if (signal?.aborted === true) return Promise.reject(new CheckoutAbortedError(this.#name, signal.reason));
    const reply = this.#system.call(manager, { type: 'checkout', id, block, timeoutMs, owner }, { timeout: Infinity });
    if (signal === undefined) return reply.then((r) => this.#settle(manager, id, r), (e: unknown) => this.#stopped('checkout', e));
    return new Promise<Lease<W> | 'full'>((resolve, reject) => {
      const onAbort = (): void => {
        // The manager removes the waiter, or takes back a worker whose reply crossed this cancel.
        this.#system.cast(manager, { type: 'cancel', id });
        reject(new CheckoutAbortedError(this.#name, signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      reply.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return; // settled by onAbort; the cancel returns the worker
          try {
            resolve(this.#settle(manager, id, r));
          } catch (error) {
            reject(error);
          }
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          try {
            this.#stopped('checkout', e);
          } catch (error) {
            reject(error);
          }
        },
      );
    });
  }

  /**
   * Runs `fn` with a checked-out worker and gives it back in a `finally`: checked in after a
   * result or an ordinary error, dismissed after an error that broke it (see `dismissOn`).
   * Rejects as `checkout` does, or with `fn`'s error.
   *
   * @example
   * const rows = await pool.transaction((db) => call(db, { type: 'query', sql }), { timeoutMs: 2_000 });
   */
  async transaction<R>(fn: (worker: W, lease: Lease<W>) => R | Promise<R>, options?: TransactionOptions): Promise<R> {
    if (typeof fn !== 'function') throw new InvalidOptionError('transaction: fn', 'a function (worker, lease) => result', fn);
    checkKnownKeys('transaction', options, TRANSACTION_KEYS);
    const dismissOn = options?.dismissOn ?? brokeTheWorker;
    if (typeof dismissOn !== 'function') throw new InvalidOptionError('transaction: dismissOn', 'a function (error) => boolean', dismissOn);
    const owner = options?.owner === undefined ? (currentActor() ?? null) : options.owner;
    let checkoutOptions: CheckoutOptions & { readonly block: true };
    if (options === undefined) checkoutOptions = { owner, block: true }; // the common call: no rest/spread copies
    else {
      const { dismissOn: _, ...rest } = options;
      checkoutOptions = { ...rest, owner, block: true };
    }
    const lease = await this.checkout(checkoutOptions);
    let result: R;
    try {
      result = await fn(lease.worker, lease);
    } catch (error) {
      let broken = true;
      try {
        broken = dismissOn(error);
      } finally {
        if (broken) lease.dismiss(`transaction failed: ${(error as Error)?.message ?? String(error)}`);
        else lease.checkin();
      }
      throw error;
    }
    lease.checkin();
    return result;
  }

  /**
   * The pool's counters now.
   *
   * @example
   * const { state, idle, checkedOut, waiting } = await pool.status();
   */
  async status(): Promise<PoolStatus> {
    const manager = this.#manager('status');
    try {
      return await this.#system.call(manager, { type: 'status' }, { timeout: 5_000 });
    } catch (error) {
      return this.#stopped('status', error);
    }
  }

  /**
   * Resolves once the pool answers (its manager is running and has started), e.g. after a
   * crash while it restarts; rejects with `PoolStoppedError` if it does not within `timeoutMs`.
   *
   * @example
   * system.exit(pool.manager!, 'kill');
   * await pool.ready({ timeoutMs: 5_000 });
   */
  async ready(options?: { readonly timeoutMs?: number }): Promise<PoolStatus> {
    checkKnownKeys('ready', options, ['timeoutMs']);
    const timeoutMs = checkTimeout('ready: timeoutMs', options?.timeoutMs ?? 5_000, { integer: true, infinity: false });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const manager = this.manager;
      if (manager !== undefined) {
        // A manager still in its init answers once its workers started (the call waits in its mailbox).
        const status = await this.#system.call(manager, { type: 'status' }, { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
        if (status !== undefined) return status;
      }
      if (Date.now() >= deadline) throw new PoolStoppedError(this.#name, 'ready');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  #lookup(key: string): ActorRef | undefined {
    try {
      return this.#registry()?.whereis(key);
    } catch {
      return undefined; // the registry is restarting
    }
  }

  #manager(op: string): ActorRef<PoolManagerProtocol> {
    const manager = this.#lookup(this.#managerKey);
    if (manager === undefined) throw new PoolStoppedError(this.#name, op);
    return manager as ActorRef<PoolManagerProtocol>;
  }

  #request(op: string, options: CheckoutOptions | undefined, keys: readonly string[]) {
    checkKnownKeys(op, options, keys);
    const block = options?.block ?? true;
    if (typeof block !== 'boolean') throw new InvalidOptionError(`${op}: block`, 'true or false', block);
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined) checkTimeout(`${op}: timeoutMs`, timeoutMs, { integer: true });
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidOptionError(`${op}: signal`, 'an AbortSignal', signal);
    const o = options?.owner;
    if (o !== undefined && o !== null && !isActorRef(o)) throw badRef(op, o, 'owner', 'null for none');
    const owner = o === null ? undefined : (o ?? currentActor());
    return { manager: this.#manager(op), id: nextCheckoutId++, block, timeoutMs, owner, signal };
  }

  #settle(manager: ActorRef<PoolManagerProtocol>, id: number, r: CheckoutReply): Lease<W> | 'full' {
    switch (r.status) {
      case 'ok':
        return new Lease<W>(this.#system, manager, this.#name, id, this.#wrap(r.worker));
      case 'full':
        return 'full';
      case 'queue_full':
        throw new PoolFullError(this.#name, r.maxWaiting);
      case 'timeout':
        throw new CheckoutTimeoutError(this.#name, r.timeoutMs);
      case 'aborted':
        throw new CheckoutAbortedError(this.#name);
      case 'owner_down':
        throw new CheckoutAbortedError(this.#name, r.reason, 'owner');
      case 'start_failed':
        throw new WorkerStartFailedError(this.#name, r.error, r.failures);
    }
  }

  #wrap(ref: ActorRef): W {
    const kind = (this.#kind ??= this.#registry()?.lookup(this.#name)[0]?.value.kind);
    if (kind !== 'profile') return ref as W;
    let handle = this.#handles.get(ref);
    if (handle === undefined) this.#handles.set(ref, (handle = workerOf(this.#system, ref) as W));
    return handle;
  }

  #stopped(op: string, error: unknown): never {
    throw new PoolStoppedError(this.#name, op, (error as { reason?: unknown })?.reason ?? error);
  }
}
