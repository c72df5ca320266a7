import type { ActorRef, ActorSystem } from '@arbor/core';
import { LeaseEndedError } from '../errors/errors.js';
import type { PoolManagerProtocol } from './PoolManager.js';

/**
 * One checked-out worker, for the exclusive use of its holder until `checkin()` or
 * `dismiss()`. Works with explicit resource management: `await using lease = await
 * pool.checkout()` checks in at the end of the block. Ending a lease twice is a no-op
 * (the second call answers `false`); `worker` throws `LeaseEndedError` once it was ended here.
 *
 * @example
 * await using lease = await pool.checkout({ timeoutMs: 1_000 });
 * await lease.worker.request('resize', img);
 */
export class Lease<W> implements AsyncDisposable, Disposable {
  readonly #system: ActorSystem;
  readonly #manager: ActorRef<PoolManagerProtocol>;
  readonly #pool: string;
  readonly #worker: W;
  #ended = false;

  /** @internal Leases come from `CheckoutPool.checkout`. */
  constructor(system: ActorSystem, manager: ActorRef<PoolManagerProtocol>, pool: string, readonly id: number, worker: W) {
    this.#system = system;
    this.#manager = manager;
    this.#pool = pool;
    this.#worker = worker;
  }

  /** The pool's name. */
  get pool(): string {
    return this.#pool;
  }

  /** The worker: a `WorkerHandle` (profile pools) or an `ActorRef` (actor pools). */
  get worker(): W {
    if (this.#ended) throw new LeaseEndedError(this.#pool, 'lease.worker');
    return this.#worker;
  }

  /**
   * False once checked in or dismissed through this lease. A lease the pool ended (`maxLeaseMs`,
   * its owner died, its worker died, the pool restarted) is not marked here: the worker's
   * requests reject then, and a later checkin is ignored.
   */
  get active(): boolean {
    return !this.#ended;
  }

  /**
   * Gives the worker back to the pool (to the first waiter, or idle). Answers `false` if the
   * lease had ended already.
   *
   * @example
   * const lease = await pool.checkout(); try { await use(lease.worker); } finally { lease.checkin(); }
   */
  checkin(): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    this.#system.cast(this.#manager, { type: 'checkin', id: this.id });
    return true;
  }

  /**
   * Kills the worker instead of returning it (its state is unknown: a timed-out or broken
   * request); the pool starts a replacement if it needs one. Answers `false` if the lease had
   * ended already.
   *
   * @example
   * catch (e) { lease.dismiss('timed out mid-request'); throw e; }
   */
  dismiss(reason = 'dismissed by its holder'): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    this.#system.cast(this.#manager, { type: 'dismiss', id: this.id, reason });
    return true;
  }

  /** `using lease = ...`: checks in. */
  [Symbol.dispose](): void {
    this.checkin();
  }

  /** `await using lease = ...`: checks in. */
  [Symbol.asyncDispose](): Promise<void> {
    this.checkin();
    return Promise.resolve();
  }
}
