import {
  DynamicSupervisor,
  formatReason,
  GenServer,
  isNormalExit,
  noReply,
  type ActorRef,
  type Call,
  type DynamicSupervisorProtocol,
  type From,
  type MonitorRef,
  type NoReply,
  type RegistryHandle,
  type StatusDetails,
  type SystemInfo,
  type TimerRef,
} from '@arbor/core';
import { workersKey } from '../pools/keys.js';
import type { ResolvedPoolOptions } from './CheckoutPoolOptions.js';
import { poolState, type PoolStatus } from './PoolStatus.js';

/**
 * What the manager answers a checkout: a worker (the lease is known by the checkout's id),
 * or why not. @internal
 */
export type CheckoutReply =
  | { readonly status: 'ok'; readonly worker: ActorRef }
  | { readonly status: 'full' }
  | { readonly status: 'queue_full'; readonly maxWaiting: number }
  | { readonly status: 'timeout'; readonly timeoutMs: number }
  | { readonly status: 'aborted' }
  | { readonly status: 'owner_down'; readonly reason: unknown }
  | { readonly status: 'start_failed'; readonly error: unknown; readonly failures: number };

/** Whether the manager's first worker starts (in its init) all succeeded. @internal */
export type InitialStarts = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** What a lease's checkout asked for. @internal */
export interface CheckoutRequest {
  /** Unique in the process; the lease's id once a worker is handed out. */
  readonly id: number;
  readonly block: boolean;
  /** Milliseconds to wait (`Infinity`: forever); undefined: the pool's `checkoutTimeoutMs`. */
  readonly timeoutMs: number | undefined;
  /** The actor the lease is tied to (monitored), if any. */
  readonly owner: ActorRef | undefined;
}

/**
 * The pool manager's protocol (the `CheckoutPool` handle wraps it). @internal
 *
 * @example
 * const s = await call(manager, { type: 'status' });
 */
export interface PoolManagerProtocol {
  call: Call<'checkout', CheckoutReply, CheckoutRequest> | Call<'status', PoolStatus> | Call<'initial_starts', InitialStarts>;
  cast:
    | { readonly type: 'checkin'; readonly id: number }
    | { readonly type: 'dismiss'; readonly id: number; readonly reason: string }
    | { readonly type: 'cancel'; readonly id: number };
  info:
    | { readonly type: 'started'; readonly ok: true; readonly ref: ActorRef }
    | { readonly type: 'started'; readonly ok: false; readonly error: unknown }
    | { readonly type: 'deadline' }
    | { readonly type: 'lease_expired'; readonly id: number }
    | { readonly type: 'linger'; readonly worker: ActorRef; readonly token: number }
    | { readonly type: 'backoff_over' };
}

/** The manager's start argument. @internal */
export interface PoolManagerArg {
  readonly options: ResolvedPoolOptions;
  readonly registry: RegistryHandle<string, unknown, any>;
}

interface Slot {
  readonly ref: ActorRef;
  readonly monitor: MonitorRef;
  state: 'idle' | 'leased' | 'stopping';
  /** The lease holding it, while leased. */
  lease: number | undefined;
  lingerTimer: TimerRef | undefined;
  lingerToken: number;
}

interface Waiter {
  readonly id: number;
  readonly from: From<CheckoutReply>;
  readonly owner: ActorRef | undefined;
  readonly ownerMonitor: MonitorRef | undefined;
  /** `performance.now()` past which it times out (Infinity: never). */
  readonly deadline: number;
  readonly timeoutMs: number;
}

interface Lease {
  readonly id: number;
  readonly slot: Slot;
  readonly owner: ActorRef | undefined;
  readonly ownerMonitor: MonitorRef | undefined;
  readonly timer: TimerRef | undefined;
}

type Watched = { readonly kind: 'worker'; readonly slot: Slot } | { readonly kind: 'owner'; readonly id: number };

/**
 * The actor that owns a checkout pool's state: its idle workers (a stack for `lifo`, a queue
 * for `fifo`), its leases (each tied to its owner by a monitor), the FIFO queue of blocking
 * checkouts and their deadlines, overflow and its linger timers, and the worker starts
 * (through the pool's worker supervisor; failures back off). Every change ends in `#balance`,
 * which hands idle workers to waiters and starts what is missing. One per pool, under its
 * `PoolSupervisor`; reach it through `CheckoutPool`.
 *
 * @example
 * const pool = (await pools.startPool({ name: 'db', worker: childSpec(Conn, url), size: 2 })).pool;
 */
export class PoolManager extends GenServer<PoolManagerProtocol, undefined, PoolManagerArg> {
  #o!: ResolvedPoolOptions;
  #workerSup!: ActorRef<DynamicSupervisorProtocol>;
  /** Every worker the pool has (idle, leased, being stopped), by ref. */
  readonly #slots = new Map<ActorRef, Slot>();
  readonly #idle: Slot[] = [];
  /** Blocking checkouts in arrival order (a Map keeps insertion order). */
  readonly #waiters = new Map<number, Waiter>();
  readonly #leases = new Map<number, Lease>();
  readonly #watched = new Map<MonitorRef, Watched>();
  #starting = 0;
  #stopping = 0;
  #failures = 0;
  #backoff: TimerRef | undefined;
  #deadlineTimer: TimerRef | undefined;
  #deadlineAt = Infinity;
  #initialError: unknown;
  /** When recent unexpected worker exits happened (a crash storm backs off like failed starts). */
  readonly #crashes: number[] = [];
  /** Back-off steps of the current crash storm. */
  #storms = 0;
  #lingerTokens = 0;

  override async init({ options, registry }: PoolManagerArg): Promise<void> {
    this.#o = options;
    const sup = registry.whereis(workersKey(options.name));
    if (sup === undefined) throw new Error(`pool ${JSON.stringify(options.name)}: its worker supervisor is not running`);
    this.#workerSup = sup as ActorRef<DynamicSupervisorProtocol>;
    // The initial workers start here, so a started pool serves at once. A failed start does not
    // fail the manager: a restarted pool whose workers cannot start yet stays up and backs off
    // (it must not use up its supervisors' intensity and take every other pool down with it).
    // `startPool` asks for `initialError` and stops a new pool whose first starts failed.
    const results = await Promise.all(
      Array.from({ length: options.size }, () => DynamicSupervisor.startChild(this.#workerSup, options.spec).catch((error: unknown) => ({ status: 'error' as const, reason: error }))),
    );
    for (const r of results) {
      if (r.status === 'ok') this.#adopt(r.ref);
      else {
        this.#initialError ??= r.status === 'error' ? r.reason : new Error('a worker ignored its start');
        this.#startFailed(this.#initialError);
      }
    }
  }

  override handleCall(req: PoolManagerProtocol['call'], from: From): CheckoutReply | PoolStatus | InitialStarts | NoReply {
    if (req.type === 'status') return this.status();
    if (req.type === 'initial_starts') return this.#initialError === undefined ? { ok: true } : { ok: false, error: this.#initialError };
    return this.#checkout(req, from as From<CheckoutReply>);
  }

  override handleCast(msg: PoolManagerProtocol['cast']): void {
    switch (msg.type) {
      case 'checkin': {
        const lease = this.#endLease(msg.id);
        if (lease !== undefined) this.#release(lease.slot);
        break;
      }
      case 'dismiss': {
        const lease = this.#endLease(msg.id);
        if (lease !== undefined) this.#kill(lease.slot, `dismissed: ${msg.reason}`);
        break;
      }
      case 'cancel': {
        // The client gave up (its signal aborted). Still waiting: leave the queue. Already handed a
        // worker (the reply crossed the cancel): that worker comes back (poolboy #70).
        const waiter = this.#waiters.get(msg.id);
        if (waiter !== undefined) {
          this.#dropWaiter(waiter);
          this.reply(waiter.from, { status: 'aborted' });
        } else {
          const lease = this.#endLease(msg.id);
          if (lease !== undefined) this.#release(lease.slot);
        }
        break;
      }
    }
    this.#balance();
  }

  override handleInfo(msg: PoolManagerProtocol['info'] | SystemInfo): void {
    switch (msg.type) {
      case 'DOWN':
        this.#down(msg.ref, msg.reason);
        break;
      case 'started':
        this.#starting--;
        if (msg.ok) {
          this.#failures = 0;
          this.#release(this.#adopt(msg.ref));
        } else {
          this.#startFailed(msg.error);
        }
        break;
      case 'deadline':
        this.#deadlineTimer = undefined;
        this.#deadlineAt = Infinity;
        this.#expireWaiters();
        break;
      case 'lease_expired': {
        const lease = this.#endLease(msg.id);
        if (lease !== undefined) {
          this.logger.warn('pool lease revoked: not checked in within maxLeaseMs; its worker is killed', {
            report: 'pool_lease_revoked', pool: this.#o.name, worker: lease.slot.ref.id, maxLeaseMs: this.#o.maxLeaseMs,
          });
          this.#kill(lease.slot, 'lease revoked (maxLeaseMs)');
        }
        break;
      }
      case 'linger': {
        const slot = this.#slots.get(msg.worker);
        if (slot !== undefined && slot.state === 'idle' && slot.lingerToken === msg.token && this.#active() > this.#o.size) {
          slot.lingerTimer = undefined;
          this.#stop(slot);
        }
        break;
      }
      case 'backoff_over':
        this.#backoff = undefined;
        break;
      default:
        this.logger.debug('pool manager ignored a message', { report: 'pool_info_ignored', pool: this.#o.name, type: (msg as { type?: unknown }).type });
    }
    this.#balance();
  }

  /** The pool's counters (poolboy's status, with starting workers). */
  status(): PoolStatus {
    const o = this.#o;
    const active = this.#active();
    const overflow = Math.max(0, active - o.size);
    return {
      state: poolState(this.#idle.length, overflow, o.maxOverflow, this.#backoff === undefined || this.#starting > this.#waiters.size),
      size: o.size,
      maxOverflow: o.maxOverflow,
      idle: this.#idle.length,
      overflow,
      checkedOut: this.#leases.size,
      waiting: this.#waiters.size,
      starting: this.#starting,
    };
  }

  override formatStatus(): StatusDetails {
    return { pool: this.#o.name, ...this.status() };
  }

  // ---- checkout ----

  #checkout(req: CheckoutRequest, from: From<CheckoutReply>): CheckoutReply | NoReply {
    const idle = this.#takeIdle();
    if (idle !== undefined) return this.#lease(idle, req.id, req.owner, this.#watch(req.owner, req.id));
    // A worker is on its way for this caller if one starts that no earlier waiter takes, or one may start.
    const coming = this.#starting > this.#waiters.size || (this.#room() > 0 && this.#backoff === undefined);
    if (!req.block && !coming) return { status: 'full' };
    // maxWaiting bounds the callers left waiting for a checkin; one a worker is starting for
    // joins anyway (at most maxOverflow of those: each needs room for a start).
    if (!coming && this.#waiters.size >= this.#o.maxWaiting) return { status: 'queue_full', maxWaiting: this.#o.maxWaiting };
    const timeoutMs = req.timeoutMs ?? this.#o.checkoutTimeoutMs;
    if (timeoutMs === 0) return { status: 'timeout', timeoutMs };
    const deadline = performance.now() + timeoutMs;
    this.#waiters.set(req.id, { id: req.id, from, owner: req.owner, ownerMonitor: this.#watch(req.owner, req.id), deadline, timeoutMs });
    if (deadline < this.#deadlineAt) this.#armDeadline(deadline);
    this.#balance();
    return noReply;
  }

  /** Hands `slot` out under lease `id` (the owner's monitor is the waiter's, reused). */
  #lease(slot: Slot, id: number, owner: ActorRef | undefined, ownerMonitor: MonitorRef | undefined): CheckoutReply {
    slot.state = 'leased';
    slot.lease = id;
    const timer = Number.isFinite(this.#o.maxLeaseMs) ? this.sendAfter({ type: 'lease_expired', id }, this.#o.maxLeaseMs) : undefined;
    this.#leases.set(id, { id, slot, owner, ownerMonitor, timer });
    return { status: 'ok', worker: slot.ref };
  }

  #takeIdle(): Slot | undefined {
    const slot = this.#o.strategy === 'lifo' ? this.#idle.pop() : this.#idle.shift();
    if (slot?.lingerTimer !== undefined) {
      this.cancelTimer(slot.lingerTimer);
      slot.lingerTimer = undefined;
    }
    return slot;
  }

  #watch(owner: ActorRef | undefined, id: number): MonitorRef | undefined {
    if (owner === undefined) return undefined;
    const m = this.monitor(owner);
    this.#watched.set(m, { kind: 'owner', id });
    return m;
  }

  #unwatch(m: MonitorRef | undefined): void {
    if (m === undefined) return;
    this.#watched.delete(m);
    this.demonitor(m, { flush: true });
  }

  #dropWaiter(waiter: Waiter): void {
    this.#waiters.delete(waiter.id);
    this.#unwatch(waiter.ownerMonitor);
  }

  /**
   * One timer for every waiter: armed at the earliest deadline. Waiters with the pool's
   * default timeout arrive in deadline order, so a checkout that waits costs no timer of its
   * own (a timer per waiter cost ~0.5-0.9 us per checkout under load).
   */
  #armDeadline(at: number): void {
    if (this.#deadlineTimer !== undefined) this.cancelTimer(this.#deadlineTimer);
    this.#deadlineAt = at;
    this.#deadlineTimer = this.sendAfter({ type: 'deadline' }, Math.max(0, Math.ceil(at - performance.now())));
  }

  /** Answers `timeout` to every waiter past its deadline, then re-arms for the next one. */
  #expireWaiters(): void {
    const now = performance.now();
    let next = Infinity;
    for (const waiter of [...this.#waiters.values()]) {
      if (waiter.deadline <= now + 0.5) {
        this.#dropWaiter(waiter);
        this.reply(waiter.from, { status: 'timeout', timeoutMs: waiter.timeoutMs });
      } else if (waiter.deadline < next) next = waiter.deadline;
    }
    if (next !== Infinity) this.#armDeadline(next);
  }

  #endLease(id: number): Lease | undefined {
    const lease = this.#leases.get(id);
    if (lease === undefined) return undefined;
    this.#leases.delete(id);
    lease.slot.lease = undefined;
    if (lease.timer !== undefined) this.cancelTimer(lease.timer);
    this.#unwatch(lease.ownerMonitor);
    return lease;
  }

  // ---- workers ----

  /** Workers serving or able to (idle and leased; not those being stopped). */
  #active(): number {
    return this.#slots.size - this.#stopping;
  }

  /** Workers the pool may still start (a worker being stopped holds its place until it is gone). */
  #room(): number {
    return this.#o.size + this.#o.maxOverflow - this.#slots.size - this.#starting;
  }

  #adopt(ref: ActorRef): Slot {
    const monitor = this.monitor(ref);
    const slot: Slot = { ref, monitor, state: 'idle', lease: undefined, lingerTimer: undefined, lingerToken: 0 };
    this.#slots.set(ref, slot);
    this.#watched.set(monitor, { kind: 'worker', slot });
    this.#idle.push(slot);
    return slot;
  }

  /** A worker is free again: to the first waiter, else idle (an overflow one lingers or stops). */
  #release(slot: Slot): void {
    if (!this.#slots.has(slot.ref) || slot.state === 'stopping') return;
    const i = this.#idle.indexOf(slot);
    if (i !== -1) this.#idle.splice(i, 1);
    const waiter = this.#waiters.values().next().value;
    if (waiter !== undefined) {
      this.#waiters.delete(waiter.id);
      this.reply(waiter.from, this.#lease(slot, waiter.id, waiter.owner, waiter.ownerMonitor));
      return;
    }
    slot.state = 'idle';
    if (this.#active() > this.#o.size) {
      if (this.#o.overflowIdleMs === 0) return this.#stop(slot);
      const token = ++this.#lingerTokens;
      slot.lingerToken = token;
      slot.lingerTimer = this.sendAfter({ type: 'linger', worker: slot.ref, token }, this.#o.overflowIdleMs);
    }
    this.#idle.push(slot);
  }

  /** The orderly stop of a surplus worker (its supervisor's shutdown spec applies). */
  #stop(slot: Slot): void {
    this.#retire(slot);
    DynamicSupervisor.terminateChild(this.#workerSup, slot.ref).catch(() => this.exit(slot.ref, 'kill'));
  }

  /** Kills a worker (dismissed, revoked, its owner died): it may be mid-request, so no drain. */
  #kill(slot: Slot, why: string): void {
    this.logger.debug('pool worker killed', { report: 'pool_worker_killed', pool: this.#o.name, worker: slot.ref.id, why });
    this.#retire(slot);
    this.exit(slot.ref, 'kill');
  }

  #retire(slot: Slot): void {
    if (slot.state === 'stopping') return;
    const i = this.#idle.indexOf(slot);
    if (i !== -1) this.#idle.splice(i, 1);
    if (slot.lingerTimer !== undefined) this.cancelTimer(slot.lingerTimer);
    slot.lingerTimer = undefined;
    slot.state = 'stopping';
    this.#stopping++;
  }

  #down(monitor: MonitorRef, reason: unknown): void {
    const w = this.#watched.get(monitor);
    if (w === undefined) return;
    this.#watched.delete(monitor);
    if (w.kind === 'owner') return this.#ownerDown(w.id, reason);
    const slot = w.slot;
    this.#slots.delete(slot.ref);
    if (slot.state === 'stopping') {
      this.#stopping--;
      return;
    }
    const i = this.#idle.indexOf(slot);
    if (i !== -1) this.#idle.splice(i, 1);
    if (slot.lingerTimer !== undefined) this.cancelTimer(slot.lingerTimer);
    const leased = slot.lease !== undefined;
    if (slot.lease !== undefined) this.#endLease(slot.lease);
    const normal = isNormalExit(reason);
    this.logger[normal ? 'info' : 'warn']('pool worker exited; a replacement starts if the pool needs one', {
      report: 'pool_worker_down', pool: this.#o.name, worker: slot.ref.id, leased, reason: formatReason(reason),
    });
    if (!normal) this.#crashed(reason);
  }

  /**
   * Workers that keep dying on their own (a bad deploy, a worker that exits right after READY)
   * would be replaced forever: past `max(intensity, size + maxOverflow)` unexpected exits within
   * `period`, replacements back off as failed starts do.
   */
  #crashed(reason: unknown): void {
    const now = Date.now();
    const window = this.#crashes;
    while (window.length > 0 && window[0]! <= now - this.#o.period) window.shift();
    if (window.length === 0) this.#storms = 0; // calm for a period: a new storm starts from the first step
    window.push(now);
    if (window.length <= Math.max(this.#o.intensity, this.#o.size + this.#o.maxOverflow)) return;
    this.#storms++;
    const delay = this.#backoffDelay(this.#storms);
    this.logger.error('pool workers keep exiting on their own; replacements back off', {
      report: 'pool_worker_crash_storm', pool: this.#o.name, exits: window.length, periodMs: this.#o.period, backoffMs: delay, reason: formatReason(reason),
    });
    this.#backOff(delay);
  }

  #ownerDown(id: number, reason: unknown): void {
    const waiter = this.#waiters.get(id);
    if (waiter !== undefined) {
      this.#waiters.delete(id);
      // The caller need not be the owner (an explicit `owner`): it still waits for an answer.
      this.reply(waiter.from, { status: 'owner_down', reason });
      return;
    }
    const lease = this.#leases.get(id);
    if (lease === undefined) return;
    this.#leases.delete(id);
    lease.slot.lease = undefined;
    if (lease.timer !== undefined) this.cancelTimer(lease.timer);
    if (this.#o.onOwnerDown === 'checkin') this.#release(lease.slot);
    else this.#kill(lease.slot, 'its owner died');
  }

  #startFailed(error: unknown): void {
    this.#failures++;
    const waiter = this.#waiters.values().next().value;
    if (waiter !== undefined) {
      this.#dropWaiter(waiter);
      this.reply(waiter.from, { status: 'start_failed', error, failures: this.#failures });
    }
    const delay = this.#backoffDelay(this.#failures);
    this.logger.error('pool worker failed to start; the pool backs off before the next start', {
      report: 'pool_worker_start_failed', pool: this.#o.name, failures: this.#failures, backoffMs: delay, reason: formatReason(error),
    });
    this.#backOff(delay);
  }

  #backoffDelay(step: number): number {
    return Math.min(this.#o.backoffMaxMs, this.#o.backoffInitialMs * 2 ** Math.min(step - 1, 30));
  }

  /** No worker starts for `delay` ms (a later back-off replaces an earlier one). */
  #backOff(delay: number): void {
    if (this.#backoff !== undefined) this.cancelTimer(this.#backoff);
    this.#backoff = this.sendAfter({ type: 'backoff_over' }, delay);
  }

  /** Hands idle workers to waiters, then starts what is missing: workers below `size`, and one per uncovered waiter (within maxOverflow). */
  #balance(): void {
    while (this.#waiters.size > 0 && this.#idle.length > 0) this.#release(this.#takeIdle()!);
    if (this.#backoff !== undefined) return;
    const need = Math.max(this.#o.size - this.#active() - this.#starting, this.#waiters.size - this.#starting);
    // After failures, one probing start at a time until one succeeds.
    const n = Math.min(need, this.#room(), this.#failures > 0 ? 1 - this.#starting : Infinity);
    for (let i = 0; i < n; i++) this.#startOne();
  }

  #startOne(): void {
    this.#starting++;
    DynamicSupervisor.startChild(this.#workerSup, this.#o.spec).then(
      (r) => {
        if (r.status === 'ok') this.send(this.self, { type: 'started', ok: true, ref: r.ref });
        else this.send(this.self, { type: 'started', ok: false, error: r.status === 'error' ? r.reason : new Error('the worker ignored its start') });
      },
      (error: unknown) => this.send(this.self, { type: 'started', ok: false, error }),
    );
  }

}
