import { type ActorRef, behaviourOf, type Cell, isCell, isDead } from '../kernel/index.js';
import { GenServer } from '../actor/GenServer.js';
import type { Call, Protocol, UnknownProtocol } from '../actor/Protocol.js';
import { AlreadyStartedError, InvalidOptionError, NoProcError } from '../errors/errors.js';
import { formatReason, type ExitReason } from '../exit/ExitReason.js';
import type { ActorSystem } from '../system/ActorSystem.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import { withOverrides, type ChildSpec, type ChildSpecOverrides } from '../supervisor/ChildSpec.js';
import { NotARegistryError, RegistryStoppedError } from './errors.js';
import { handleOf, type RegistryHandle } from './RegistryHandle.js';
import { validateRegistryOptions, type RegistryOptions } from './RegistryOptions.js';
import { RegistryTable, tableOf, type RegistryInfo } from './RegistryTable.js';
import { badRef } from '../validation/ref.js';
import { checkSystem } from '../validation/system.js';

/**
 * What a registry actor accepts: one call, `registry_info`, answered with a
 * {@link RegistryInfo} (everything else goes through a {@link RegistryHandle}).
 *
 * @example
 * const ref: ActorRef<RegistryProtocol> = await system.spawn(Registry, { keys: 'unique' });
 */
export interface RegistryProtocol {
  call: Call<'registry_info', RegistryInfo>;
}

/**
 * A registry of actors by key (Elixir's `Registry`). It is an actor, so it can be a
 * supervised child (`{ behaviour: Registry, arg: { keys: 'unique', name: 'workers' } }`),
 * and it keeps its table in plain Maps that every actor reads and writes synchronously
 * through a {@link RegistryHandle}. Entries go when their actor exits; reads never
 * return a dead actor.
 *
 * Starting one: `Registry.start(system, options)` resolves with the handle;
 * `system.spawn(Registry, options)` (or a supervisor) gives the ref, and
 * `Registry.of(ref)` or `Registry.named(system, name)` the handle.
 *
 * @example
 * const workers = await Registry.start<string, { port: number }>(system, { keys: 'unique', name: 'workers' });
 * const w = await system.spawn(Worker, cfg, { name: via(workers, 'w1') });
 * workers.whereis('w1'); // w
 * await system.stop(w);
 * workers.whereis('w1'); // undefined
 */
export class Registry extends GenServer<RegistryProtocol, undefined, RegistryOptions> {
  #table: RegistryTable<unknown, unknown> | undefined;

  override init(options: RegistryOptions): void {
    const o = validateRegistryOptions(options);
    const self = this.self as unknown as Cell;
    const system = this.system;
    if (o.name !== undefined) {
      const holder = system.whereis(o.name);
      if (holder !== undefined) {
        // A stop from init fails the start with this reason, without a crash report (OTP's already_started).
        this.stop(new AlreadyStartedError(o.name, holder));
        return;
      }
      system.register(o.name, self);
    }
    const table = new RegistryTable<unknown, unknown>(self, o);
    this.#table = table;
    tableOf.set(self, table);
    table.removeProvider = system.addNameProvider(table);
    // terminate does not run when the registry is killed or dies with a linked actor: this does.
    system.monitor(self, () => table.close());
    system.logger.debug('registry started', { report: 'registry_started', registry: table.label, actor: self.id, keys: o.keys });
  }

  override handleCall(_req: RegistryProtocol['call']): RegistryInfo {
    return this.#table!.info();
  }

  override terminate(reason: ExitReason): void {
    const table = this.#table;
    if (table === undefined) return;
    const entries = table.count();
    table.close();
    this.logger.debug('registry stopped', { report: 'registry_stopped', registry: table.label, actor: this.self.id, entries, reason: formatReason(reason) });
  }

  // ------------------------------------------------------------------ handles

  /**
   * Spawns a registry and resolves with its handle. Rejects like `spawn`: `InitError`
   * wrapping `InvalidOptionError` for bad options, `AlreadyStartedError` if the name is taken.
   *
   * @example
   * const pubsub = await Registry.start<string, { level: number }>(system, { keys: 'duplicate' });
   */
  static async start<K = unknown, V = unknown, P extends Protocol = UnknownProtocol>(
    system: ActorSystem,
    options: RegistryOptions,
    spawnOptions?: SpawnOptions<RegistryProtocol>,
  ): Promise<RegistryHandle<K, V, P>> {
    checkSystem('Registry.start: system', system);
    const ref = await system.spawn(Registry, options, spawnOptions);
    return Registry.of<K, V, P>(ref);
  }

  /**
   * The child spec of a registry in a supervision tree (id `Registry`, a worker); what
   * `childSpec(Registry, options)` gives too. Give it a `name` to reach it after restarts
   * with `Registry.named(system, name)`.
   *
   * @example
   * await Supervisor.start(system, { strategy: 'one_for_one', children: [Registry.childSpec({ keys: 'unique', name: 'workers' })] });
   * const workers = Registry.named<string, number>(system, 'workers')!;
   */
  static childSpec(options: RegistryOptions, overrides?: ChildSpecOverrides<Registry>): ChildSpec<Registry> {
    validateRegistryOptions(options);
    return withOverrides<ChildSpec<Registry>>({ id: 'Registry', start: { behaviour: Registry, arg: options } }, overrides);
  }

  /**
   * The handle of a running registry, from its ref (what `spawn` or a supervisor gives).
   * Throws `NoProcError` if it is dead, `NotARegistryError` if it is another kind of actor.
   *
   * @example
   * const ref = await system.spawn(Registry, { keys: 'unique' });
   * const registry = Registry.of<string, number>(ref);
   */
  static of<K = unknown, V = unknown, P extends Protocol = UnknownProtocol>(ref: ActorRef<RegistryProtocol>): RegistryHandle<K, V, P> {
    if (!isCell(ref)) throw badRef('Registry.of', ref);
    if (isDead(ref)) throw new NoProcError(ref, 'Registry.of');
    const table = tableOf.get(ref) as RegistryTable<K, V> | undefined;
    if (table === undefined) {
      if (behaviourOf(ref) instanceof Registry) throw new RegistryStoppedError(`Registry#${ref.id}`, 'Registry.of');
      throw new NotARegistryError(ref);
    }
    return handleOf<K, V, P>(table);
  }

  /**
   * The handle of the registry running under a local name, or undefined if no actor has
   * that name. Throws `NotARegistryError` if the name belongs to another kind of actor.
   *
   * @example
   * const workers = Registry.named<string, WorkerInfo>(system, 'workers');
   */
  static named<K = unknown, V = unknown, P extends Protocol = UnknownProtocol>(system: ActorSystem, name: string): RegistryHandle<K, V, P> | undefined {
    checkSystem('Registry.named: system', system);
    if (typeof name !== 'string') throw new InvalidOptionError('Registry.named: name', 'a string (the registry\'s local name)', name);
    const ref = system.whereis<RegistryProtocol>(name);
    return ref === undefined ? undefined : Registry.of<K, V, P>(ref);
  }
}
