import {
  exit,
  InvalidOptionError,
  isLocalAlive,
  LocalActorRef,
  monitorForRemote,
  NoProcError,
  shutdownWith,
  via,
  type ActorRef,
  type MonitorRef,
  type NameProvider,
  type Protocol,
  type ViaName,
} from '@arbor/core';
import type { Logger } from 'winston';
import { KvConflictError } from '../errors/KvConflictError.js';
import { KvUnavailableError } from '../errors/KvUnavailableError.js';
import { RegistryUnavailableError, SynchronousRegisterError } from '../errors/registryErrors.js';
import type { KvEntry, KvStore, KvWatch } from '../kv/KvStore.js';
import type { LeaseOptions } from '../lease/LeaseOptions.js';
import { NodeLeases } from '../lease/NodeLeases.js';
import type { Cluster } from '../node/Cluster.js';
import { decodeNameValue, encodeNameValue, nameKey, nameOfKey } from './nameKeys.js';
import type { RegisterResult } from './RegisterResult.js';

/**
 * Options of {@link ClusterRegistry.start}.
 *
 * @example
 * await ClusterRegistry.start(cluster, kv, { timeoutMs: 2000, leaseMs: 1000, leaseTimeoutMs: 5000, onFenced: rejoin });
 */
export interface ClusterRegistryOptions extends LeaseOptions {
  /** For logs, errors and `describeName` (default 'cluster'). */
  readonly label?: string;
  /** `register`, `unregister` and a named spawn's claim answer within this (default 5000 ms). */
  readonly timeoutMs?: number;
  /** The node's leases when already started (then the lease options must be left out); else the registry starts and stops its own. */
  readonly leases?: NodeLeases;
  /** Where the registry logs sweeps, fencing and failed deletes (default: silent). */
  readonly logger?: Logger;
}

/** A name as this node's mirror holds it. */
interface Held {
  readonly node: string;
  readonly id: string;
  readonly revision: number;
}

/** A name held by one of this node's actors. */
interface LocalHolder {
  readonly ref: ActorRef;
  readonly revision: number;
  readonly monitor: MonitorRef;
}

const OPTION_KEYS = ['label', 'timeoutMs', 'leases', 'logger', 'leaseMs', 'leaseTimeoutMs', 'fenceAfterMs', 'onFenced'];

/**
 * Cluster-wide unique names on a KV bucket (OTP's `global`, without its cluster lock): a name
 * is the key `name.<name>` holding the holder's node incarnation and actor id, registered by
 * compare-and-set create. Reads are synchronous from a local mirror kept by a watch, and
 * never return a name whose owner is known down (its node's `nodedown`, or its lease gone).
 * A holder's exit deletes its name; a fenced node exits its holders with
 * `{ shutdown: 'fenced' }`; the node that sweeps a dead node's lease deletes its names.
 * It is a core `NameProvider` with an asynchronous `claimName`, so a spawn can be named by it.
 *
 * @example
 * const carts = await ClusterRegistry.start<CartProtocol>(cluster, kv, { leaseMs: 1000, leaseTimeoutMs: 5000 });
 * await carts.register('cart:u42', ref);                 // { status: 'ok' } | { status: 'taken', holder } | { status: 'unavailable', reason }
 * carts.whereis('cart:u42');                              // ActorRef | ClusterRef | undefined, synchronous
 * await system.spawn(Cart, arg, { name: carts.via('cart:u42') }); // taken: AlreadyStartedError naming the holder
 */
export class ClusterRegistry<P extends Protocol = any> implements NameProvider {
  readonly label: string;
  readonly #cluster: Cluster;
  readonly #kv: KvStore;
  readonly #leases: NodeLeases;
  readonly #ownsLeases: boolean;
  readonly #timeoutMs: number;
  readonly #logger: Logger | undefined;
  /** Every name in the bucket, as the watch last told. */
  readonly #mirror = new Map<string, Held>();
  /**
   * What `whereis` answered for names held on other nodes, so a repeated read is one lookup.
   * A name's entry goes when its mirror entry changes; all go at a nodedown, a lease lost or
   * a fencing (rare events, after which the next reads filter again).
   */
  readonly #visible = new Map<string, ActorRef>();
  /** The newest revision applied per KV key (deletes included): an older event is stale. */
  readonly #seen = new Map<string, number>();
  readonly #local = new Map<string, LocalHolder>();
  /** Names a register of ours is creating (the watch may show them before the create answers); a second register of one waits for the first. */
  readonly #claiming = new Map<string, Promise<unknown>>();
  /** Entries of ours to delete (a holder that exited, a create that landed after its timeout), retried until done. */
  readonly #stale = new Map<string, number>();
  readonly #down = new Set<string>();
  readonly #offs: (() => void)[] = [];
  #watch: KvWatch | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  private constructor(cluster: Cluster, kv: KvStore, leases: NodeLeases, ownsLeases: boolean, label: string, timeoutMs: number, logger: Logger | undefined) {
    this.#cluster = cluster;
    this.#kv = kv;
    this.#leases = leases;
    this.#ownsLeases = ownsLeases;
    this.label = label;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
  }

  /**
   * Starts the registry of `cluster`'s node on bucket `kv`: the node's lease (unless
   * `options.leases` is given), then the mirror. Rejects with `KvUnavailableError` when the
   * store does not answer.
   *
   * @example
   * const names = await ClusterRegistry.start(cluster, await NatsKvStore.open(nc, 'arbor_shop_names'));
   */
  static async start<P extends Protocol = any>(cluster: Cluster, kv: KvStore, options: ClusterRegistryOptions = {}): Promise<ClusterRegistry<P>> {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('ClusterRegistry.start: options', 'an object', options);
    for (const k of Object.keys(options)) {
      if (!OPTION_KEYS.includes(k)) throw new InvalidOptionError(`ClusterRegistry.start: options.${k}`, `one of ${OPTION_KEYS.join(', ')}`, (options as Record<string, unknown>)[k]);
    }
    const { label = 'cluster', timeoutMs = 5000, leases, logger, ...leaseOptions } = options;
    if (typeof label !== 'string' || label === '') throw new InvalidOptionError('ClusterRegistry.start: options.label', 'a non-empty string', label);
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 1) || timeoutMs > 2 ** 31 - 1) throw new InvalidOptionError('ClusterRegistry.start: options.timeoutMs', 'milliseconds from 1 to 2^31-1', timeoutMs);
    if (leases !== undefined && !(leases instanceof NodeLeases)) throw new InvalidOptionError('ClusterRegistry.start: options.leases', 'the NodeLeases of this node', leases);
    if (leases !== undefined && Object.keys(leaseOptions).length > 0) {
      throw new InvalidOptionError('ClusterRegistry.start: options', 'either leases or lease options (leaseMs, leaseTimeoutMs, fenceAfterMs, onFenced), not both', options);
    }
    const own = leases ?? (await NodeLeases.start(cluster, kv, leaseOptions, logger));
    const registry = new ClusterRegistry<P>(cluster, kv, own, leases === undefined, label, timeoutMs, logger);
    try {
      await registry.#start();
    } catch (e) {
      if (leases === undefined) await own.stop();
      throw e;
    }
    return registry;
  }

  /** This node's incarnation now (a new one after the cluster's rejoin). */
  get #incarnation(): string {
    return this.#cluster.self.incarnation;
  }

  /** This node's leases (shared with other registries on the same bucket, or the registry's own). */
  get leases(): NodeLeases {
    return this.#leases;
  }

  async #start(): Promise<void> {
    this.#offs.push(
      this.#cluster.onNode((e) => {
        if (e.type === 'nodedown') {
          this.#down.add(e.node.incarnation);
          this.#visible.clear();
        } else this.#down.delete(e.node.incarnation);
      }),
      this.#leases.onSwept((inc) => this.#deleteNamesOf(inc)),
      // A node whose lease ended is down for the node protocol too (a frozen node the heartbeats have not judged yet).
      this.#leases.onLost((inc) => {
        this.#visible.clear();
        this.#cluster.declareDown(inc, 'lease');
      }),
      this.#leases.onFenced(() => this.#fenced()),
    );
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    this.#watch = await this.#kv.watch((e) => this.#onEntry(e), () => ready());
    await isReady;
    // Names left by incarnations whose lease is gone (a sweeper that stopped half way, an earlier run of this node): delete them.
    void this.#deleteOrphans();
    const { leaseMs } = this.#leases.options;
    this.#timer = setInterval(() => this.#retryStale(), leaseMs);
    this.#timer.unref?.();
  }

  async #deleteOrphans(): Promise<void> {
    const owners = new Map<string, [string, number][]>();
    for (const [name, held] of this.#mirror) {
      if (held.node === this.#incarnation || this.#leases.holds(held.node)) continue;
      let list = owners.get(held.node);
      if (list === undefined) owners.set(held.node, (list = []));
      list.push([name, held.revision]);
    }
    for (const [owner, names] of owners) {
      const leased = await this.#leases.isLeased(owner).catch(() => true);
      if (!leased) for (const [name, revision] of names) await this.#deleteAt(name, revision);
    }
  }

  // ------------------------------------------------------------------ reads

  /**
   * The holder of `name`: a local ref, a `ClusterRef` for one on another node, or undefined
   * (no holder, or one whose node is known down or whose lease is gone). Synchronous, from the mirror.
   *
   * @example
   * const cart = carts.whereis('cart:u42');
   */
  whereis(name: string): ActorRef<P> | undefined {
    const seen = this.#visible.get(name);
    if (seen !== undefined) return seen as ActorRef<P>;
    const held = this.#mirror.get(name);
    if (held === undefined) return undefined;
    if (held.node === this.#incarnation) {
      const local = this.#local.get(name);
      return local !== undefined && local.revision === held.revision ? local.ref : undefined;
    }
    if (this.#down.has(held.node) || !this.#leases.holds(held.node)) return undefined;
    const ref = this.#refOf(held.node, held.id);
    this.#visible.set(name, ref);
    return ref;
  }

  /**
   * The names this registry's mirror lists with a live holder, in no particular order.
   *
   * @example
   * carts.names(); // ['cart:u42', 'cart:u7']
   */
  names(): string[] {
    const out: string[] = [];
    for (const name of this.#mirror.keys()) if (this.whereis(name) !== undefined) out.push(name);
    return out;
  }

  /**
   * A name for `spawn` in this registry, typed with its protocol.
   *
   * @example
   * await system.spawn(Cart, arg, { name: carts.via('cart:u42') });
   */
  via(name: string): ViaName<P> {
    checkName('via', name);
    return via(this, name) as ViaName<P>;
  }

  // ------------------------------------------------------------------ writes

  /**
   * Registers local actor `ref` under `name` cluster-wide (a compare-and-set create). Answers
   * within the timeout: `ok`; `taken` with the live holder; `unavailable` when the store does
   * not answer, this node is fenced or the registry is stopped. Rejects with
   * `InvalidOptionError` for a remote ref or a bad name, `NoProcError` for a dead actor.
   *
   * @example
   * const r = await carts.register('cart:u42', this.self);
   */
  register(name: string, ref: ActorRef<P>): Promise<RegisterResult<P>> {
    try {
      checkName('register', name);
      if (!(ref instanceof LocalActorRef)) throw new InvalidOptionError('register: ref', "a local ActorRef (a name is registered by the holder's node)", ref);
      if (!isLocalAlive(ref)) throw new NoProcError(ref, 'register');
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#bounded(name, () => this.#register(name, ref));
  }

  /**
   * Removes `name` if one of this node's actors holds it (a compare-and-set delete at its
   * revision). `taken` when another node's actor holds it; `ok` when nobody does.
   *
   * @example
   * await carts.unregister('cart:u42');
   */
  unregister(name: string): Promise<RegisterResult<P>> {
    try {
      checkName('unregister', name);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#bounded(name, () => this.#unregister(name));
  }

  /**
   * Stops the mirror, deletes this node's names (and its lease when the registry started it).
   * Its actors keep running. Idempotent.
   *
   * @example
   * await carts.stop();
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#visible.clear();
    clearInterval(this.#timer);
    for (const off of this.#offs) off();
    this.#watch?.stop();
    const mine = [...this.#local].map(([name, l]) => [name, l.revision] as const);
    this.#local.clear();
    await Promise.all(mine.map(([name, revision]) => this.#kv.delete(nameKey(name), { previousRevision: revision }).catch(() => {})));
    if (this.#ownsLeases) await this.#leases.stop();
  }

  // ------------------------------------------------------------------ NameProvider

  /** @internal spawn uses `claimName`; a cluster name cannot be claimed synchronously. */
  registerName(): ActorRef | undefined {
    throw new SynchronousRegisterError(this.label);
  }

  /**
   * Claims `key` for a spawn (core awaits it before init): undefined when claimed, the
   * holder when taken; rejects with `RegistryUnavailableError` when the store does not answer.
   *
   * @example
   * await system.spawn(Cart, arg, { name: carts.via('cart:u42') });
   */
  async claimName(key: unknown, ref: ActorRef): Promise<ActorRef | undefined> {
    checkName('claimName', key);
    const r = await this.register(key, ref);
    if (r.status === 'ok') return undefined;
    if (r.status === 'taken') return r.holder;
    throw new RegistryUnavailableError(this.label, key, r.reason);
  }

  /** @internal */
  unregisterName(key: unknown, ref: ActorRef): void {
    if (typeof key !== 'string') return;
    const local = this.#local.get(key);
    if (local === undefined || local.ref !== ref) return;
    this.#release(key, local);
  }

  /** @internal */
  whereisName(key: unknown): ActorRef | undefined {
    return typeof key === 'string' ? this.whereis(key) : undefined;
  }

  /** @internal */
  keysOf(ref: ActorRef): readonly unknown[] {
    const keys: string[] = [];
    for (const [name, l] of this.#local) if (l.ref === ref) keys.push(name);
    return keys;
  }

  // ------------------------------------------------------------------ internals

  #unavailable(): string | undefined {
    if (this.#stopped) return 'the registry is stopped';
    const fenced = this.#leases.fenced;
    return fenced === null ? undefined : `this node is fenced (${fenced})`;
  }

  /** Runs `op`, answering `unavailable` at the timeout or on a store that does not answer. */
  #bounded(name: string, op: () => Promise<RegisterResult<P>>): Promise<RegisterResult<P>> {
    const why = this.#unavailable();
    if (why !== undefined) return Promise.resolve({ status: 'unavailable', reason: why });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ status: 'unavailable', reason: `no answer within ${this.#timeoutMs} ms` }), this.#timeoutMs);
      op().then(
        (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        (e: unknown) => {
          clearTimeout(timer);
          if (e instanceof KvUnavailableError) resolve({ status: 'unavailable', reason: e.message });
          else {
            this.#logger?.error(`cluster registry: ${name} failed`, { report: 'registry_error', name, reason: String(e) });
            resolve({ status: 'unavailable', reason: String(e) });
          }
        },
      );
    });
  }

  async #register(name: string, ref: ActorRef): Promise<RegisterResult<P>> {
    const key = nameKey(name);
    const started = Date.now();
    for (let earlier = this.#claiming.get(name); earlier !== undefined; earlier = this.#claiming.get(name)) await earlier.catch(() => {});
    const local = this.#local.get(name);
    if (local !== undefined) return { status: 'taken', holder: local.ref as ActorRef<P> };
    let done!: () => void;
    this.#claiming.set(name, new Promise<void>((resolve) => (done = resolve)));
    try {
      for (let attempt = 0; ; attempt++) {
        if (!isLocalAlive(ref)) return { status: 'unavailable', reason: 'the actor exited' };
        let revision: number;
        try {
          revision = await this.#kv.create(key, encodeNameValue({ node: this.#incarnation, id: ref.id }));
        } catch (e) {
          if (!(e instanceof KvConflictError) || attempt >= 8) throw e;
          const holder = await this.#holderAfterConflict(name, key);
          if (holder !== undefined) return { status: 'taken', holder };
          continue; // deleted meanwhile, or held by a dead incarnation (now deleted): try again
        }
        // Too late (the caller heard `unavailable`), dead meanwhile, or fenced: undo it.
        if (Date.now() - started >= this.#timeoutMs || !isLocalAlive(ref) || this.#unavailable() !== undefined) {
          this.#stale.set(name, revision);
          void this.#deleteAt(name, revision);
          const why = this.#unavailable();
          return why !== undefined ? { status: 'unavailable', reason: why } : { status: 'unavailable', reason: isLocalAlive(ref) ? `no answer within ${this.#timeoutMs} ms` : 'the actor exited' };
        }
        this.#hold(name, ref, revision);
        return { status: 'ok' };
      }
    } finally {
      this.#claiming.delete(name);
      done();
      this.#reconcile(name);
    }
  }

  /** An entry of ours that no local holder has (a create that landed after its timeout): delete it. */
  #reconcile(name: string): void {
    const held = this.#mirror.get(name);
    if (held === undefined || held.node !== this.#incarnation || this.#claiming.has(name) || this.#leases.fenced !== null || this.#stopped) return;
    if (this.#local.get(name)?.revision === held.revision) return;
    this.#stale.set(name, held.revision);
    void this.#deleteAt(name, held.revision);
  }

  /** After a lost create: the live holder, or undefined when the key is free again (a dead holder's entry is deleted first). */
  async #holderAfterConflict(name: string, key: string): Promise<ActorRef<P> | undefined> {
    const entry = await this.#kv.get(key);
    if (entry === null) return undefined;
    const value = decodeNameValue(entry.value);
    const local = this.#local.get(name);
    if (value !== undefined && value.node === this.#incarnation && local !== undefined && local.revision === entry.revision) return local.ref;
    if (value !== undefined && value.node !== this.#incarnation && (await this.#leases.isLeased(value.node))) return this.#refOf(value.node, value.id);
    // Unreadable, held by a dead incarnation, or an entry of ours no actor holds: free it.
    try {
      await this.#kv.delete(key, { previousRevision: entry.revision });
    } catch (e) {
      if (!(e instanceof KvConflictError)) throw e;
    }
    return undefined;
  }

  #hold(name: string, ref: ActorRef, revision: number): void {
    this.#cluster.exportRef(ref);
    const monitor = monitorForRemote(ref, `registry:${this.label}`, () => {
      const local = this.#local.get(name);
      if (local !== undefined && local.monitor === monitor) this.#release(name, local);
    });
    const local: LocalHolder = { ref, revision, monitor };
    this.#local.set(name, local);
    this.#apply(name, nameKey(name), { node: this.#incarnation, id: ref.id, revision });
    if (this.#leases.fenced !== null) this.#fenced();
  }

  /** A local holder gives its name up (exit, unregister, a discarded spawn): delete it at its revision, retried until done. */
  #release(name: string, local: LocalHolder): void {
    this.#local.delete(name);
    if (this.#mirror.get(name)?.revision === local.revision) this.#mirror.delete(name);
    this.#visible.delete(name);
    if (this.#stopped || this.#leases.fenced !== null) return;
    this.#stale.set(name, local.revision);
    void this.#deleteAt(name, local.revision);
  }

  async #unregister(name: string): Promise<RegisterResult<P>> {
    const local = this.#local.get(name);
    if (local === undefined) {
      const holder = this.whereis(name);
      return holder === undefined ? { status: 'ok' } : { status: 'taken', holder };
    }
    try {
      await this.#kv.delete(nameKey(name), { previousRevision: local.revision });
    } catch (e) {
      if (!(e instanceof KvConflictError)) throw e; // unavailable: the name stays ours
    }
    if (this.#local.get(name) === local) {
      this.#local.delete(name);
      if (this.#mirror.get(name)?.revision === local.revision) this.#mirror.delete(name);
      this.#visible.delete(name);
    }
    return { status: 'ok' };
  }

  /** Deletes `name` at `revision` (a conflict means it changed: nothing to do). */
  async #deleteAt(name: string, revision: number): Promise<void> {
    try {
      await this.#kv.delete(nameKey(name), { previousRevision: revision });
      if (this.#stale.get(name) === revision) this.#stale.delete(name);
    } catch (e) {
      if (e instanceof KvConflictError && this.#stale.get(name) === revision) this.#stale.delete(name);
    }
  }

  #retryStale(): void {
    if (this.#stopped || this.#leases.fenced !== null) return;
    for (const [name, revision] of this.#stale) void this.#deleteAt(name, revision);
  }

  /** This node swept `incarnation`'s lease (or took its node name over): delete its names, each at the revision seen. */
  #deleteNamesOf(incarnation: string): void {
    const names = [...this.#mirror].filter(([, h]) => h.node === incarnation);
    if (names.length > 0) this.#logger?.info(`cluster registry: deleting ${names.length} names of ${incarnation}`, { report: 'registry_sweep', incarnation, count: names.length });
    for (const [name, held] of names) void this.#deleteAt(name, held.revision);
  }

  /** Fenced: every local holder exits with `{ shutdown: 'fenced' }`; their names are left to the sweep. */
  #fenced(): void {
    this.#visible.clear();
    const holders = [...new Set([...this.#local.values()].map((l) => l.ref))];
    this.#local.clear();
    this.#stale.clear();
    for (const ref of holders) exit(ref, shutdownWith('fenced'));
  }

  #onEntry(e: KvEntry): void {
    if (this.#stopped) return;
    const name = nameOfKey(e.key);
    if (name === undefined) return;
    if (e.operation === 'PUT') {
      const value = decodeNameValue(e.value);
      if (value === undefined) return;
      this.#apply(name, e.key, { node: value.node, id: value.id, revision: e.revision });
      this.#reconcile(name);
    } else if ((this.#seen.get(e.key) ?? 0) < e.revision) {
      this.#seen.set(e.key, e.revision);
      this.#mirror.delete(name);
      this.#visible.delete(name);
      const local = this.#local.get(name);
      if (local !== undefined && local.revision < e.revision) this.#local.delete(name); // deleted by a sweeper: the actor keeps running, unnamed
    }
  }

  #apply(name: string, key: string, held: Held): void {
    if ((this.#seen.get(key) ?? 0) >= held.revision && this.#mirror.get(name)?.revision !== held.revision) return;
    this.#seen.set(key, held.revision);
    this.#mirror.set(name, held);
    this.#visible.delete(name);
  }

  /** The cluster's own interned ref (the one its link and monitor tables know). */
  #refOf(node: string, id: string): ActorRef<P> {
    return this.#cluster.refOf(node, id) as ActorRef<P>;
  }
}

function checkName(operation: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new InvalidOptionError(`${operation}: name`, 'a non-empty string', name);
}
