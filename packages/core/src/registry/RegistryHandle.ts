import { systemOf } from '../system/SystemCore.js';
import { type ActorRef, type Cell, isCell, isDead, runningCell } from '../kernel/index.js';
import type { Protocol, UnknownProtocol } from '../actor/Protocol.js';
import { InvalidOptionError, NoProcError } from '../errors/errors.js';
import { via, type NameProvider, type ViaName } from '../names/NameProvider.js';
import { NoOwnerError, RegistryStoppedError } from './errors.js';
import type { RegistryProtocol } from './Registry.js';
import type { RegistryListener } from './RegistryEvent.js';
import type { RegistryKeys } from './RegistryOptions.js';
import { checkFunction as checkFn } from '../validation/function.js';
import { checkOptions } from '../validation/options.js';
import { badRef } from '../validation/ref.js';
import { tableOf, type RegisterResult, type RegistryEntry, type RegistryRecord, type RegistryTable, type UpdateResult } from './RegistryTable.js';

/**
 * Options of the writes that act for an actor: by default the calling actor.
 *
 * @example
 * registry.register('w1', info, { owner: ref }); // from outside any actor
 */
export interface OwnerOption {
  /**
   * The actor to act for. Leave it out inside an actor's handler (the calling actor is
   * the owner, as in Elixir); pass it from outside any actor, or after an `await`.
   */
  readonly owner?: ActorRef;
}

/** The protocol a registry's via-names check: `P`, or any behaviour in an untyped registry (no protocol given). @internal */
export type EntryProtocol<P> = [keyof P] extends [never] ? any : P;

const handles = new WeakMap<RegistryTable<any, any>, RegistryHandle<any, any, any>>();

/** The one handle of a registry's table. @internal */
export function handleOf<K, V, P extends Protocol>(table: RegistryTable<K, V>): RegistryHandle<K, V, P> {
  let h = handles.get(table);
  if (h === undefined) handles.set(table, (h = new RegistryHandle(table)));
  return h;
}

/**
 * What you use a {@link Registry} through: every read and write is a synchronous
 * function on the registry's in-memory table (no message round trip), and the handle is
 * the {@link NameProvider} that `via(handle, key)` names actors in. Get one from
 * `Registry.start`, `Registry.of(ref)` or `Registry.named(system, name)`.
 *
 * A handle of a registry started with a `name` follows the name: if that registry stops
 * and another one is started under the same name (a supervisor restart), the handle
 * uses the new one. Without a name, the handle dies with its registry. While no registry
 * runs, every call throws `RegistryStoppedError`.
 *
 * @typeParam K - the key type
 * @typeParam V - the value type (via-named entries hold `undefined` until `updateValue`)
 * @typeParam P - the protocol of the registered actors (types the refs returned)
 *
 * @example
 * const workers = await Registry.start<string, { port: number }, WorkerProtocol>(system, { keys: 'unique', name: 'workers' });
 * await system.spawn(Worker, cfg, { name: workers.via('w1') });
 * const w1 = workers.whereis('w1'); // ActorRef<WorkerProtocol> | undefined
 */
export class RegistryHandle<K = unknown, V = unknown, P extends Protocol = UnknownProtocol> implements NameProvider {
  #t: RegistryTable<K, V>;

  /** @internal */
  constructor(table: RegistryTable<K, V>) {
    this.#t = table;
  }

  /** The registry's table, or (for a named registry that was restarted) the new one's. */
  #table(op: string): RegistryTable<K, V> {
    const t = this.#t;
    if (!t.closed && !isDead(t.cell)) return t;
    if (t.name !== undefined) {
      const holder = systemOf(t.cell).whereis(t.name);
      const next = isCell(holder) ? (tableOf.get(holder) as RegistryTable<K, V> | undefined) : undefined;
      if (next !== undefined && next.live) {
        this.#t = next;
        return next;
      }
    }
    throw new RegistryStoppedError(t.label, op);
  }

  /** The actor a write acts for: `options.owner`, else the actor whose handler is running. */
  #owner(options: OwnerOption | undefined, op: string): Cell {
    checkOptions(`${op}: options`, options, '{ owner? }');
    const o = options?.owner;
    if (o !== undefined && !isCell(o)) throw badRef(op, o, 'options.owner');
    const cell = o ?? runningCell();
    if (cell === null) throw new NoOwnerError(op);
    if (isDead(cell)) throw new NoProcError(cell, op);
    return cell;
  }

  /** The registry actor's ref (the current one, for a named registry). */
  get ref(): ActorRef<RegistryProtocol> {
    return this.#table('ref').cell;
  }

  /** The registry's name, or `Registry#<id>`: used in logs, errors, events and `describeName`. */
  get label(): string {
    return this.#t.label;
  }

  /** Unique or duplicate keys. */
  get kind(): RegistryKeys {
    return this.#t.kind;
  }

  /** True while a registry answers this handle. */
  get alive(): boolean {
    try {
      this.#table('alive');
      return true;
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------ writes

  /**
   * Registers the calling actor (or `options.owner`) under `key` with `value`. One actor
   * may hold many keys; a duplicate registry takes the same key many times. A unique key
   * held by a live actor answers `{ status: 'already_registered', ref }` (maybe the caller
   * itself). The entry goes when the actor exits.
   *
   * @example
   * override init() { registry.register(`session:${id}`, { since: Date.now() }); }
   */
  register(key: K, value: V, options?: OwnerOption): RegisterResult<ActorRef<P>> {
    const t = this.#table('register');
    return t.register(key, value, this.#owner(options, 'register')) as RegisterResult<ActorRef<P>>;
  }

  /**
   * Removes the calling actor's (or `options.owner`'s) entries under `key`; other actors'
   * entries stay. Returns false if it held none.
   *
   * @example
   * registry.unregister('topic:a');
   */
  unregister(key: K, options?: OwnerOption): boolean {
    const t = this.#table('unregister');
    return t.unregister(key, this.#owner(options, 'unregister')) > 0;
  }

  /**
   * Removes the calling actor's entries under `key` whose value passes `predicate`;
   * returns how many went.
   *
   * @example
   * registry.unregisterMatch('topic:a', (v) => v.qos === 0);
   */
  unregisterMatch(key: K, predicate: (value: V) => boolean, options?: OwnerOption): number {
    const t = this.#table('unregisterMatch');
    checkFunction('unregisterMatch: predicate', predicate);
    return t.unregister(key, this.#owner(options, 'unregisterMatch'), predicate);
  }

  /**
   * Replaces the value of the caller's entry under a unique `key` with `fn(value)`. Only
   * the owner may: anyone else (or a key nobody holds) gets `{ status: 'not_owner' }`.
   * A duplicate registry throws `DuplicateKeysError`.
   *
   * @example
   * registry.updateValue('w1', (info) => ({ ...info, busy: true })); // { status: 'ok', value, previous }
   */
  updateValue(key: K, fn: (value: V) => V, options?: OwnerOption): UpdateResult<V> {
    const t = this.#table('updateValue');
    checkFunction('updateValue: fn', fn);
    return t.updateValue(key, this.#owner(options, 'updateValue'), fn);
  }

  // ------------------------------------------------------------------ reads

  /**
   * The live actor holding a unique `key`, or undefined. Costs a `Map.get` and two flag
   * checks. A duplicate registry throws `DuplicateKeysError` (use `lookup`).
   *
   * @example
   * const w = workers.whereis('w1');
   * if (w) await call(w, { type: 'job', job });
   */
  whereis(key: K): ActorRef<P> | undefined {
    return this.#table('whereis').whereis(key);
  }

  /**
   * Every live entry under `key` (0 or 1 in a unique registry), oldest first. The array
   * is frozen (a unique key's is shared by every read, so a lookup allocates nothing).
   *
   * @example
   * for (const { ref, value } of pubsub.lookup('topic:a')) send(ref, { type: 'event', value });
   */
  lookup(key: K): readonly RegistryEntry<V, ActorRef<P>>[] {
    return this.#table('lookup').lookup(key) as readonly RegistryEntry<V, ActorRef<P>>[];
  }

  /**
   * Runs `fn` once with every live entry under `key`, in the caller; not at all when
   * there is none. An error thrown by `fn` reaches the caller.
   *
   * @example
   * pubsub.dispatch('topic:a', (entries) => { for (const { ref } of entries) send(ref, msg); });
   */
  dispatch(key: K, fn: (entries: readonly RegistryEntry<V, ActorRef<P>>[]) => void): void {
    const t = this.#table('dispatch');
    checkFunction('dispatch: fn', fn);
    const entries = t.lookup(key) as readonly RegistryEntry<V, ActorRef<P>>[];
    if (entries.length > 0) fn(entries);
  }

  /**
   * The live entries under `key` whose value (and ref) pass `predicate`: Elixir's
   * `match/3` with a function instead of a match pattern.
   *
   * @example
   * pubsub.match('topic:a', (v) => v.level >= 2);
   */
  match(key: K, predicate: (value: V, ref: ActorRef<P>) => boolean): RegistryEntry<V, ActorRef<P>>[] {
    const t = this.#table('match');
    checkFunction('match: predicate', predicate);
    return t.match(key, predicate) as RegistryEntry<V, ActorRef<P>>[];
  }

  /**
   * How many live entries under `key` pass `predicate`.
   *
   * @example
   * pubsub.countMatch('topic:a', (v) => v.level >= 2);
   */
  countMatch(key: K, predicate: (value: V, ref: ActorRef<P>) => boolean): number {
    const t = this.#table('countMatch');
    checkFunction('countMatch: predicate', predicate);
    return t.match(key, predicate).length;
  }

  /**
   * Every live entry `{ key, ref, value }` passing `predicate` (all without one), in key
   * insertion order: Elixir's `select/2` with a function instead of a match spec.
   *
   * @example
   * workers.select(({ key, value }) => key.startsWith('gpu:') && !value.busy);
   */
  select(predicate?: (record: RegistryRecord<K, V, ActorRef<P>>) => boolean): RegistryRecord<K, V, ActorRef<P>>[] {
    const t = this.#table('select');
    if (predicate !== undefined) checkFunction('select: predicate', predicate);
    return t.select(predicate as ((r: RegistryRecord<K, V>) => boolean) | undefined) as RegistryRecord<K, V, ActorRef<P>>[];
  }

  /**
   * How many live entries pass `predicate`.
   *
   * @example
   * workers.countSelect(({ value }) => value.busy);
   */
  countSelect(predicate: (record: RegistryRecord<K, V, ActorRef<P>>) => boolean): number {
    return this.select(predicate).length;
  }

  /**
   * How many entries live actors hold.
   *
   * @example
   * registry.count(); // 3
   */
  count(): number {
    return this.#table('count').count();
  }

  /**
   * The keys `ref` holds, in registration order (repeated in a duplicate registry if it
   * registered a key twice); `[]` for a dead actor.
   *
   * @example
   * registry.keys(worker); // ['w1', 'gpu:0']
   */
  keys(ref: ActorRef): K[] {
    const t = this.#table('keys');
    if (!isCell(ref)) throw badRef('keys', ref);
    return t.keys(ref);
  }

  /**
   * The values `ref` registered under `key`; `[]` for a dead actor.
   *
   * @example
   * pubsub.values('topic:a', subscriber); // [{ level: 2 }]
   */
  values(key: K, ref: ActorRef): V[] {
    const t = this.#table('values');
    if (!isCell(ref)) throw badRef('values', ref);
    return t.values(key, ref);
  }

  // ------------------------------------------------------------------ metadata, listeners, via

  /**
   * Registry metadata (set with the `meta` option or `putMeta`); undefined when absent.
   *
   * @example
   * const pool = registry.meta<Pool>('pool');
   */
  meta<T = unknown>(key: string): T | undefined {
    const t = this.#table('meta');
    if (typeof key !== 'string') throw new InvalidOptionError('meta: key', 'a string', key);
    return t.meta.get(key) as T | undefined;
  }

  /**
   * Stores registry metadata; it lives as long as the registry.
   *
   * @example
   * registry.putMeta('pool', pool);
   */
  putMeta(key: string, value: unknown): void {
    const t = this.#table('putMeta');
    if (typeof key !== 'string') throw new InvalidOptionError('putMeta: key', 'a string', key);
    t.meta.set(key, value);
  }

  /**
   * Removes registry metadata; false if there was none.
   *
   * @example
   * registry.deleteMeta('pool');
   */
  deleteMeta(key: string): boolean {
    const t = this.#table('deleteMeta');
    if (typeof key !== 'string') throw new InvalidOptionError('deleteMeta: key', 'a string', key);
    return t.meta.delete(key);
  }

  /**
   * Adds a listener of register / unregister events: an actor (it gets them as info
   * messages) or a callback (run in a microtask). Returns the function that removes it.
   * Listeners added here belong to this registry instance: a restarted registry starts
   * with its `listeners` option only.
   *
   * @example
   * const stop = registry.listen((e) => console.log(e.type, e.key));
   */
  listen(listener: RegistryListener<K, V> | ActorRef): () => void {
    const t = this.#table('listen');
    if (typeof listener !== 'function' && !isCell(listener)) {
      throw badRef('listen', listener, 'listener', 'a function');
    }
    return t.listeners.add(listener);
  }

  /**
   * A typed via-name in this registry, for `spawn`'s `name` option: the same as
   * `via(registry, key)` with the key type checked and, in a registry typed with a
   * protocol `P`, the name typed by it: spawning a behaviour of another protocol under
   * it fails to compile, and `system.whereis(workers.via('w1'))` is an `ActorRef<P>`.
   *
   * @example
   * await system.spawn(Worker, cfg, { name: workers.via('w1') });
   */
  via(key: K): ViaName<EntryProtocol<P>> {
    return via(this, key);
  }

  // ------------------------------------------------------------------ NameProvider, used by spawn and the dump

  /** Registers a starting actor under `key` with the value `undefined`; answers the holder on a clash. Used by `spawn`. */
  registerName(key: unknown, ref: ActorRef): ActorRef | undefined {
    return this.#table('via-naming').registerName(key, ref);
  }

  /** Removes `ref`'s entries under `key`; nothing if the registry is not running. */
  unregisterName(key: unknown, ref: ActorRef): void {
    if (!isCell(ref)) throw badRef('unregisterName', ref);
    const t = this.#t;
    if (t.live) t.unregisterName(key, ref);
  }

  /** The same as `whereis(key)`, for `system.whereis(via(registry, key))`. */
  whereisName(key: unknown): ActorRef | undefined {
    return this.#table('whereis').whereisName(key);
  }

  /** The keys `ref` holds; `[]` when the registry is not running (the dump calls it). */
  keysOf(ref: ActorRef): readonly unknown[] {
    if (!isCell(ref)) throw badRef('keysOf', ref);
    try {
      return this.#table('keysOf').keysOf(ref);
    } catch {
      return [];
    }
  }
}

function checkFunction(option: string, fn: unknown): void {
  checkFn(option, fn as Function, 'a function');
}
