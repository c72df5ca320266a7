import { systemOf } from '../system/SystemCore.js';
import { addHookMonitor, demonitorFrom, hookMonitorDown, isCell, isDead, type ActorRef, type Cell, type DownHook, type MonitorRef } from '../kernel/index.js';
import { badRef } from '../validation/ref.js';
import type { NameProvider } from '../names/NameProvider.js';
import { DuplicateKeysError } from './errors.js';
import { Listeners } from './RegistryEvent.js';
import type { RegistryKeys, ValidOptions } from './RegistryOptions.js';

/** One registration: `owner` holds `key` with `value`. @internal */
class Entry<K, V> {
  /** What `lookup` answers for a unique key: built once per value, frozen, shared by every read. */
  view: readonly RegistryEntry<V>[];

  constructor(
    readonly key: K,
    readonly owner: Cell,
    public value: V,
  ) {
    this.view = viewOf(owner, value);
  }
}

function viewOf<V>(ref: Cell, value: V): readonly RegistryEntry<V>[] {
  return Object.freeze([Object.freeze({ ref, value })]);
}

const EMPTY: readonly never[] = Object.freeze([]);

/** What the registry keeps per owner: one monitor, however many keys. @internal */
interface Owner<K, V> {
  monitor: MonitorRef | null;
  readonly entries: Set<Entry<K, V>>;
}

/**
 * One entry as reads return it: a frozen snapshot, so a later `updateValue` never changes
 * a result already handed out.
 *
 * @example
 * for (const { ref, value } of pubsub.lookup('topic')) send(ref, { type: 'event', value });
 */
export interface RegistryEntry<V = unknown, R extends ActorRef = ActorRef> {
  readonly ref: R;
  readonly value: V;
}

/**
 * An entry with its key, as `select` returns it and its predicate sees it.
 *
 * @example
 * registry.select(({ key, value }) => key.startsWith('gpu:') && !value.busy);
 */
export interface RegistryRecord<K = unknown, V = unknown, R extends ActorRef = ActorRef> {
  readonly key: K;
  readonly ref: R;
  readonly value: V;
}

/**
 * What `register` returns: `ok`, or the live actor that holds the unique key (maybe the
 * caller itself). A taken key is an expected outcome, so it is a value, not an error.
 *
 * @example
 * const r = registry.register('leader', info);
 * if (r.status === 'already_registered') follow(r.ref);
 */
export type RegisterResult<R extends ActorRef = ActorRef> =
  | { readonly status: 'ok' }
  | { readonly status: 'already_registered'; readonly ref: R };

/**
 * What `updateValue` returns: the new and previous value, or `not_owner` when the owner
 * holds no entry under the key (nobody does, or another actor does). Elixir's `:error`.
 *
 * @example
 * const r = registry.updateValue('w1', (v) => ({ ...v, busy: true }));
 * if (r.status === 'not_owner') throw new Error('w1 is not mine');
 */
export type UpdateResult<V> = { readonly status: 'ok'; readonly value: V; readonly previous: V } | { readonly status: 'not_owner' };

/**
 * A snapshot of a registry, as the `registry_info` call answers it.
 *
 * @example
 * await call(registry.ref, { type: 'registry_info' }); // { label: 'workers', keys: 'unique', size: 3, ... }
 */
export interface RegistryInfo {
  readonly label: string;
  readonly name: string | undefined;
  readonly keys: RegistryKeys;
  /** Entries of live actors. */
  readonly size: number;
  /** Live actors holding at least one entry. */
  readonly owners: number;
}

/** The registry behind each live registry actor, found from its cell. @internal */
export const tableOf = new WeakMap<Cell, RegistryTable<any, any>>();

const alive = (c: Cell): boolean => !isDead(c);
/** SameValueZero, the equality Map keys use. */
const sameKey = (a: unknown, b: unknown): boolean => a === b || (a !== a && b !== b);
const VIA_HINT = "start the registry with keys: 'unique', or have the actor call registry.register(key, value) in its init";

/**
 * The table of one registry actor: plain Maps that any code reads synchronously (the ETS
 * reads of Elixir's Registry), written synchronously by the owners, and cleaned inside an
 * owner's exit: the table watches each owner through a {@link DownHook}, so an exit drops
 * its entries at once, with no DOWN message queued to the registry actor (a registry keeps
 * up with any number of owners exiting together, and its mailbox stays empty). Every read
 * also skips entries whose owner is dead. Callers (the handle) check that the registry
 * runs before calling in. @internal
 */
export class RegistryTable<K, V> implements NameProvider, DownHook {
  /** The registry actor's id: names the table in an owner's `monitoredBy`. */
  readonly id: string;
  readonly label: string;
  readonly kind: RegistryKeys;
  readonly name: string | undefined;
  closed = false;
  /** Takes the table off its system's name providers (set by the registry at start). */
  removeProvider: () => void = () => {};
  readonly listeners: Listeners;
  readonly meta: Map<string, unknown>;
  readonly #unique: Map<K, Entry<K, V>> | null;
  readonly #duplicate: Map<K, Set<Entry<K, V>>> | null;
  readonly #owners = new Map<Cell, Owner<K, V>>();

  constructor(
    /** The registry actor. */
    readonly cell: Cell,
    options: ValidOptions,
  ) {
    this.id = cell.id;
    this.kind = options.keys;
    this.name = options.name;
    this.label = options.name ?? `Registry#${cell.id}`;
    this.#unique = options.keys === 'unique' ? new Map() : null;
    this.#duplicate = options.keys === 'duplicate' ? new Map() : null;
    this.meta = new Map(Object.entries(options.meta));
    this.listeners = new Listeners(systemOf(cell), options.listeners);
  }

  /** True while the registry actor runs and its table is kept. */
  get live(): boolean {
    return !this.closed && !isDead(this.cell);
  }

  // ------------------------------------------------------------------ writes

  register(key: K, value: V, owner: Cell): RegisterResult {
    const unique = this.#unique;
    if (unique !== null) {
      const held = unique.get(key);
      if (held !== undefined) {
        if (alive(held.owner)) return { status: 'already_registered', ref: held.owner };
        // Unreachable while the exit hook runs (it cleans inside the exit); kept so a dead
        // holder can never keep a key taken.
        this.ownerDown(held.owner, null);
      }
    }
    const entry = new Entry(key, owner, value);
    if (unique !== null) unique.set(key, entry);
    else {
      const dup = this.#duplicate!;
      const set = dup.get(key);
      if (set === undefined) dup.set(key, new Set([entry]));
      else set.add(entry);
    }
    let o = this.#owners.get(owner);
    if (o === undefined) {
      o = { monitor: null, entries: new Set() };
      this.#owners.set(owner, o);
      o.entries.add(entry);
      // Set after the owner is recorded: a dead owner's hook runs inside addMonitor.
      // Listed on the registry cell too, as any monitor it holds: its status shows the
      // owners it watches, and its own exit removes the monitors from them.
      const monitor = addHookMonitor(this.cell, this, owner);
      if (monitor !== null) o.monitor = monitor;
    } else o.entries.add(entry);
    if (!this.listeners.empty) this.listeners.emit({ type: 'register', registry: this.label, key, ref: owner, value });
    return { status: 'ok' };
  }

  /** Removes `owner`'s entries under `key` whose value passes `pred` (all when it is undefined); returns how many. */
  unregister(key: K, owner: Cell, pred?: (value: V) => boolean): number {
    const o = this.#owners.get(owner);
    if (o === undefined) return 0;
    let removed = 0;
    for (const e of o.entries) {
      if (!sameKey(e.key, key)) continue;
      if (pred !== undefined && !pred(e.value)) continue;
      this.#drop(e);
      o.entries.delete(e);
      removed++;
      if (!this.listeners.empty) this.listeners.emit({ type: 'unregister', registry: this.label, key, ref: owner, value: e.value });
    }
    if (o.entries.size === 0) {
      this.#owners.delete(owner);
      if (o.monitor !== null) demonitorFrom(this.cell, o.monitor, false);
    }
    return removed;
  }

  updateValue(key: K, owner: Cell, fn: (value: V) => V): UpdateResult<V> {
    const unique = this.#unique;
    if (unique === null) throw new DuplicateKeysError(this.label, 'updateValue', 'unregister and register again with the new value, or use a unique registry');
    const e = unique.get(key);
    if (e === undefined || e.owner !== owner) return { status: 'not_owner' };
    const previous = e.value;
    const value = fn(previous);
    e.value = value;
    e.view = viewOf(owner, value);
    return { status: 'ok', value, previous };
  }

  /** The {@link DownHook}: an owner exited (called inside its exit). */
  cellDown(monitor: MonitorRef, owner: Cell): void {
    hookMonitorDown(this.cell, monitor);
    this.ownerDown(owner, monitor);
  }

  /**
   * Removes every entry of an owner that exited. From the exit hook (`monitor` is the
   * monitor that fired; it is the one recorded, or null while `register` is still setting
   * it up for an owner already dead) or from a write that met the dead owner (`null`).
   */
  ownerDown(owner: Cell, monitor: MonitorRef | null): void {
    const o = this.#owners.get(owner);
    if (o === undefined || (monitor !== null && o.monitor !== null && o.monitor !== monitor)) return;
    this.#owners.delete(owner);
    if (monitor === null && o.monitor !== null) demonitorFrom(this.cell, o.monitor, false);
    const notify = !this.listeners.empty;
    for (const e of o.entries) {
      this.#drop(e);
      if (notify) this.listeners.emit({ type: 'unregister', registry: this.label, key: e.key, ref: owner, value: e.value });
    }
  }

  /** Removes an entry from the key table (not from its owner's set). */
  #drop(e: Entry<K, V>): void {
    if (this.#unique !== null) {
      if (this.#unique.get(e.key) === e) this.#unique.delete(e.key);
      return;
    }
    const set = this.#duplicate!.get(e.key);
    if (set !== undefined && set.delete(e) && set.size === 0) this.#duplicate!.delete(e.key);
  }

  /** The registry stopped: forget everything and stop watching the owners. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A dead registry cell already removed its monitors from the owners.
    if (alive(this.cell)) for (const o of this.#owners.values()) if (o.monitor !== null) demonitorFrom(this.cell, o.monitor, false);
    this.#owners.clear();
    this.#unique?.clear();
    this.#duplicate?.clear();
    this.meta.clear();
    this.listeners.clear();
    this.removeProvider();
    tableOf.delete(this.cell);
  }

  // ------------------------------------------------------------------ reads (dead owners skipped)

  whereis(key: K): Cell | undefined {
    const unique = this.#unique;
    if (unique === null) throw new DuplicateKeysError(this.label, 'whereis', 'use lookup(key), which returns every entry');
    const e = unique.get(key);
    return e !== undefined && !isDead(e.owner) ? e.owner : undefined;
  }

  lookup(key: K): readonly RegistryEntry<V>[] {
    if (this.#unique !== null) {
      const e = this.#unique.get(key);
      return e !== undefined && !isDead(e.owner) ? e.view : EMPTY;
    }
    return this.match(key, undefined);
  }

  match(key: K, pred: ((value: V, ref: ActorRef) => boolean) | undefined): RegistryEntry<V>[] {
    const out: RegistryEntry<V>[] = [];
    if (this.#unique !== null) {
      const e = this.#unique.get(key);
      if (e !== undefined && alive(e.owner) && (pred === undefined || pred(e.value, e.owner))) out.push(e.view[0]!);
      return out;
    }
    const set = this.#duplicate!.get(key);
    if (set === undefined) return out;
    for (const e of set) if (alive(e.owner) && (pred === undefined || pred(e.value, e.owner))) out.push(e.view[0]!);
    return out;
  }

  /** Every live entry passing `pred` (all when undefined), in key insertion order. */
  select(pred: ((r: RegistryRecord<K, V>) => boolean) | undefined): RegistryRecord<K, V>[] {
    const out: RegistryRecord<K, V>[] = [];
    const visit = (e: Entry<K, V>): void => {
      if (!alive(e.owner)) return;
      const r: RegistryRecord<K, V> = { key: e.key, ref: e.owner, value: e.value };
      if (pred === undefined || pred(r)) out.push(r);
    };
    if (this.#unique !== null) for (const e of this.#unique.values()) visit(e);
    else for (const set of this.#duplicate!.values()) for (const e of set) visit(e);
    return out;
  }

  /** Entries of live owners. */
  count(): number {
    let n = 0;
    for (const [owner, o] of this.#owners) if (alive(owner)) n += o.entries.size;
    return n;
  }

  keys(owner: Cell): K[] {
    const o = this.#owners.get(owner);
    if (o === undefined || !alive(owner)) return [];
    return Array.from(o.entries, (e) => e.key);
  }

  values(key: K, owner: Cell): V[] {
    const o = this.#owners.get(owner);
    if (o === undefined || !alive(owner)) return [];
    const out: V[] = [];
    for (const e of o.entries) if (sameKey(e.key, key)) out.push(e.value);
    return out;
  }

  info(): RegistryInfo {
    let owners = 0;
    for (const owner of this.#owners.keys()) if (alive(owner)) owners++;
    return { label: this.label, name: this.name, keys: this.kind, size: this.count(), owners };
  }

  // ------------------------------------------------------------------ NameProvider (via)

  registerName(key: unknown, ref: ActorRef): ActorRef | undefined {
    if (this.#unique === null) throw new DuplicateKeysError(this.label, 'via-naming', VIA_HINT);
    if (!isCell(ref)) throw badRef('registerName', ref);
    // Elixir registers a via name with the value nil.
    const r = this.register(key as K, undefined as V, ref);
    return r.status === 'ok' ? undefined : r.ref;
  }

  unregisterName(key: unknown, ref: ActorRef): void {
    if (isCell(ref)) this.unregister(key as K, ref);
  }

  whereisName(key: unknown): ActorRef | undefined {
    if (this.#unique === null) throw new DuplicateKeysError(this.label, 'whereis', 'use lookup(key), which returns every entry');
    return this.whereis(key as K);
  }

  keysOf(ref: ActorRef): readonly unknown[] {
    return isCell(ref) ? this.keys(ref) : [];
  }
}
