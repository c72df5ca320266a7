import type { Logger } from 'winston';
import { KvConflictError } from '../errors/KvConflictError.js';
import type { KvEntry, KvStore, KvWatch } from '../kv/KvStore.js';
import type { Cluster } from '../node/Cluster.js';
import type { NodeId } from '../node/NodeEvent.js';
import { resolveLeaseOptions, type FenceReason, type LeaseOptions, type ResolvedLeaseOptions } from './LeaseOptions.js';

const PREFIX = 'lease.';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A lease as this node last saw it, and when (on this node's clock) its revision last changed. */
interface SeenLease {
  readonly incarnation: string;
  readonly revision: number;
  readonly changedAt: number;
}

/**
 * Node leases in a KV bucket, ownership tied to liveness without TTLs: each node keeps
 * `lease.<node name>` = its incarnation, created and renewed by compare-and-set every
 * `leaseMs`. A node whose renewals have not succeeded for `fenceAfterMs` (or that sees its
 * lease deleted or taken by another incarnation) is fenced: the `onFenced` listeners run
 * (a registry exits its name holders) and it renews no more. The others watch the bucket and
 * sweep a lease whose revision has not changed for `leaseTimeoutMs` on their own clocks
 * (compare-and-set delete at the revision they saw: exactly one sweeper wins, and a renewal
 * in between makes it lose). A new incarnation of a node name takes the key over from the old one.
 *
 * @example
 * const leases = await NodeLeases.start(cluster, kv, { leaseMs: 1000, leaseTimeoutMs: 5000, onFenced: () => rejoin() });
 * leases.holds(ref.incarnation); // false once its lease is swept or replaced
 */
export class NodeLeases {
  readonly #cluster: Cluster;
  readonly #kv: KvStore;
  readonly #options: ResolvedLeaseOptions;
  readonly #logger: Logger | undefined;
  readonly #key: string;
  readonly #table = new Map<string, SeenLease>();
  /** The incarnations holding a lease in `#table` (what `holds` asks, once per registry read). */
  readonly #leased = new Set<string>();
  readonly #lostListeners = new Set<(incarnation: string) => void>();
  readonly #sweptListeners = new Set<(incarnation: string) => void>();
  readonly #fencedListeners = new Set<(reason: FenceReason) => void>();
  readonly #sweeping = new Set<string>();
  #watch: KvWatch | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #tickMs: number;
  #lastTick = Date.now();
  #revision = 0;
  #lastSentAt = 0;
  #lastRenewedAt = 0;
  #renewing = false;
  #fenced: FenceReason | null = null;
  #stopped = false;

  private constructor(cluster: Cluster, kv: KvStore, options: ResolvedLeaseOptions, logger: Logger | undefined) {
    this.#cluster = cluster;
    const self = cluster.self;
    this.#kv = kv;
    this.#options = options;
    this.#logger = logger;
    this.#key = PREFIX + self.name;
    this.#tickMs = Math.max(5, Math.min(250, Math.floor(options.leaseMs / 4)));
  }

  /**
   * Watches the bucket's leases, then creates this node's lease (taking it over from an
   * earlier incarnation of the same name) and starts renewing and sweeping. Rejects with
   * `KvUnavailableError` when the store does not answer.
   *
   * @example
   * const leases = await NodeLeases.start(cluster, kv);
   */
  static async start(cluster: Cluster, kv: KvStore, options?: LeaseOptions, logger?: Logger): Promise<NodeLeases> {
    const leases = new NodeLeases(cluster, kv, resolveLeaseOptions(options, 'NodeLeases.start'), logger);
    await leases.#start();
    return leases;
  }

  /** This node (its incarnation changes when the cluster rejoins). */
  get self(): NodeId {
    return this.#cluster.self;
  }

  /**
   * After a fenced node's `cluster.rejoin()`: takes the node's lease for the new incarnation
   * (over the fenced one, whose names the takeover sweeps) and renews again. While the store
   * does not answer it tries again every `leaseMs`, until it succeeds or `stop()`.
   *
   * @example
   * leases.onFenced(() => { cluster.rejoin(); void leases.rejoin(); });
   */
  async rejoin(): Promise<void> {
    while (!this.#stopped && this.#fenced !== null) {
      try {
        await this.#acquire();
        this.#fenced = null;
        this.#logger?.info(`cluster: lease of ${this.self.name} taken by ${this.self.incarnation} after fencing`, { report: 'lease_rejoined', node: this.self.name, incarnation: this.self.incarnation });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, this.#options.leaseMs).unref?.());
      }
    }
  }

  /** The resolved timings. */
  get options(): Readonly<{ leaseMs: number; leaseTimeoutMs: number; fenceAfterMs: number }> {
    const { leaseMs, leaseTimeoutMs, fenceAfterMs } = this.#options;
    return { leaseMs, leaseTimeoutMs, fenceAfterMs };
  }

  /** Why this node is fenced, or null while it holds its lease. */
  get fenced(): FenceReason | null {
    return this.#fenced;
  }

  /**
   * True while `incarnation` holds its node's lease as this node last saw it (this node's own
   * incarnation until it is fenced).
   *
   * @example
   * if (!leases.holds(entry.incarnation)) skip(entry); // its node was swept or replaced
   */
  holds(incarnation: string): boolean {
    if (incarnation === this.self.incarnation) return this.#fenced === null && !this.#stopped;
    return this.#leased.has(incarnation);
  }

  /**
   * Asks the store whether `incarnation` holds its node's lease now (its watch may lag behind
   * a read of another key): true at once when this node's table says so. Rejects with
   * `KvUnavailableError` when the store does not answer.
   *
   * @example
   * if (!(await leases.isLeased(holder.node))) await kv.delete(key, { previousRevision });
   */
  async isLeased(incarnation: string): Promise<boolean> {
    if (this.holds(incarnation)) return true;
    if (incarnation === this.self.incarnation) return false;
    const entry = await this.#kv.get(PREFIX + incarnation.slice(0, incarnation.indexOf('~')));
    return entry !== null && decoder.decode(entry.value) === incarnation;
  }

  /**
   * Tells `listener` of every incarnation whose lease ended (deleted, swept or replaced), on
   * every node; returns a function that stops it.
   *
   * @example
   * leases.onLost((inc) => mirror.dropOwner(inc));
   */
  onLost(listener: (incarnation: string) => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /**
   * Tells `listener` when this node's compare-and-set ended another incarnation's lease (it
   * swept it, or took its node name over): the winner cleans up after it.
   *
   * @example
   * leases.onSwept((inc) => registry.deleteNamesOf(inc));
   */
  onSwept(listener: (incarnation: string) => void): () => void {
    this.#sweptListeners.add(listener);
    return () => this.#sweptListeners.delete(listener);
  }

  /**
   * Tells `listener` once when this node is fenced, before the `onFenced` option runs.
   *
   * @example
   * leases.onFenced(() => { for (const ref of holders) exit(ref, shutdownWith('fenced')); });
   */
  onFenced(listener: (reason: FenceReason) => void): () => void {
    this.#fencedListeners.add(listener);
    return () => this.#fencedListeners.delete(listener);
  }

  /**
   * Stops renewing and sweeping and deletes this node's lease (compare-and-set; a store
   * that does not answer leaves it to the others' sweep). Idempotent.
   *
   * @example
   * await leases.stop();
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#watch?.stop();
    if (this.#fenced === null && this.#revision > 0) await this.#kv.delete(this.#key, { previousRevision: this.#revision }).catch(() => {});
  }

  async #start(): Promise<void> {
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    this.#watch = await this.#kv.watch((e) => this.#onEntry(e), () => ready());
    await isReady;
    try {
      await this.#acquire();
    } catch (e) {
      this.#watch.stop();
      throw e;
    }
    this.#lastTick = Date.now();
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref?.();
  }

  /** Creates the lease, or takes it over from an earlier incarnation of this node name. */
  async #acquire(): Promise<void> {
    const value = encoder.encode(this.self.incarnation);
    for (let attempt = 0; ; attempt++) {
      const sentAt = Date.now();
      try {
        this.#revision = await this.#kv.create(this.#key, value);
        this.#renewed(sentAt);
        return;
      } catch (e) {
        if (!(e instanceof KvConflictError) || attempt >= 5) throw e;
      }
      const current = await this.#kv.get(this.#key);
      if (current === null) continue;
      const previous = decoder.decode(current.value);
      try {
        this.#revision = await this.#kv.update(this.#key, value, current.revision);
      } catch (e) {
        if (e instanceof KvConflictError && attempt < 5) continue;
        throw e;
      }
      this.#renewed(sentAt);
      this.#logger?.info(`cluster: lease of ${this.self.name} taken over from ${previous}`, { report: 'lease_takeover', node: this.self.name, previous });
      if (previous !== this.self.incarnation) this.#emitSwept(previous);
      return;
    }
  }

  #renewed(sentAt: number): void {
    this.#lastSentAt = sentAt;
    this.#lastRenewedAt = Math.max(this.#lastRenewedAt, sentAt);
  }

  #onEntry(e: KvEntry): void {
    if (this.#stopped || !e.key.startsWith(PREFIX)) return;
    const name = e.key.slice(PREFIX.length);
    const previous = this.#table.get(name);
    if (previous !== undefined && e.revision <= previous.revision) return;
    if (e.operation === 'PUT') {
      const incarnation = decoder.decode(e.value);
      this.#table.set(name, { incarnation, revision: e.revision, changedAt: Date.now() });
      if (previous !== undefined) this.#leased.delete(previous.incarnation);
      this.#leased.add(incarnation);
      if (previous !== undefined && previous.incarnation !== incarnation) this.#emitLost(previous.incarnation);
      if (name === this.self.name && this.#revision > 0) {
        if (incarnation === this.self.incarnation) this.#revision = Math.max(this.#revision, e.revision);
        else this.#fence('replaced');
      }
    } else {
      this.#table.delete(name);
      if (previous !== undefined) this.#leased.delete(previous.incarnation);
      if (previous !== undefined) this.#emitLost(previous.incarnation);
      if (name === this.self.name && previous?.incarnation === this.self.incarnation && this.#revision > 0) this.#fence('deleted');
    }
  }

  #tick(): void {
    if (this.#stopped) return;
    const now = Date.now();
    const lag = now - this.#lastTick - this.#tickMs;
    this.#lastTick = now;
    if (this.#fenced === null) {
      if (now - this.#lastRenewedAt >= this.#options.fenceAfterMs) {
        this.#fence('unrenewed');
      } else if (!this.#renewing && now - this.#lastSentAt >= this.#options.leaseMs) {
        void this.#renew(now);
      }
    }
    // After a stall of our own event loop, renewals may sit unread: count the others' leases from now.
    if (lag > this.#options.leaseMs) {
      this.#logger?.warn(`cluster: event loop stalled ${lag} ms; lease sweeping restarts its clocks`, { report: 'lease_stall', node: this.self.name, lagMs: lag });
      for (const [name, l] of this.#table) this.#table.set(name, { ...l, changedAt: now });
      return;
    }
    for (const [name, l] of this.#table) {
      if (name === this.self.name || now - l.changedAt < this.#options.leaseTimeoutMs || this.#sweeping.has(name)) continue;
      void this.#sweep(name, l);
    }
  }

  async #renew(sentAt: number): Promise<void> {
    this.#renewing = true;
    this.#lastSentAt = sentAt;
    try {
      this.#revision = await this.#kv.update(this.#key, encoder.encode(this.self.incarnation), this.#revision);
      if (this.#fenced === null) this.#renewed(sentAt);
    } catch (e) {
      if (e instanceof KvConflictError) await this.#recheck();
    } finally {
      this.#renewing = false;
    }
  }

  /** A renewal lost its compare-and-set: still ours (an earlier renewal that timed out was applied), or fenced. */
  async #recheck(): Promise<void> {
    let current: KvEntry | null;
    try {
      current = await this.#kv.get(this.#key);
    } catch {
      return; // the store is away: the fence timer decides
    }
    if (current !== null && decoder.decode(current.value) === this.self.incarnation) this.#revision = current.revision;
    else this.#fence(current === null ? 'deleted' : 'replaced');
  }

  async #sweep(name: string, lease: SeenLease): Promise<void> {
    this.#sweeping.add(name);
    try {
      await this.#kv.delete(PREFIX + name, { previousRevision: lease.revision });
      this.#logger?.info(`cluster: lease of ${lease.incarnation} swept`, { report: 'lease_swept', node: this.self.name, swept: lease.incarnation });
      this.#emitSwept(lease.incarnation);
    } catch {
      // Lost the compare-and-set (renewed, or another node swept it) or the store is away: the next tick looks again.
    } finally {
      this.#sweeping.delete(name);
    }
  }

  #fence(reason: FenceReason): void {
    if (this.#fenced !== null || this.#stopped) return;
    this.#fenced = reason;
    this.#logger?.warn(`cluster: node ${this.self.name} fenced (${reason})`, { report: 'fenced', node: this.self.name, incarnation: this.self.incarnation, reason });
    for (const l of [...this.#fencedListeners]) this.#safely(() => l(reason));
    const onFenced = this.#options.onFenced;
    if (onFenced !== undefined) this.#safely(() => onFenced(reason));
  }

  #emitLost(incarnation: string): void {
    for (const l of [...this.#lostListeners]) this.#safely(() => l(incarnation));
  }

  #emitSwept(incarnation: string): void {
    for (const l of [...this.#sweptListeners]) this.#safely(() => l(incarnation));
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#logger?.error('cluster: lease listener threw', { report: 'lease_listener_error', node: this.self.name, reason: String(e) });
    }
  }
}
