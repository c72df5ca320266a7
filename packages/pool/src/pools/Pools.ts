import {
  ActorSystem,
  checkKnownKeys,
  checkTimeout,
  DynamicSupervisor,
  InvalidOptionError,
  Registry,
  Supervisor,
  type ActorRef,
  type ChildSpec,
  type ChildSpecOverrides,
  type DynamicSupervisorProtocol,
  type RegistryHandle,
  type SupervisorDef,
} from '@arbor/core';
import { CheckoutPool } from '../checkout/CheckoutPool.js';
import { checkPoolName, resolvePoolOptions, type CheckoutPoolOptions, type PoolWorker, type WorkerOf } from '../checkout/CheckoutPoolOptions.js';
import { PoolNameTakenError, PoolSupervisor, type PoolEntry } from '../checkout/PoolSupervisor.js';
import { PoolStartError, PoolStoppedError } from '../errors/errors.js';
import type { InitialStarts, PoolManagerProtocol } from '../checkout/PoolManager.js';
import { managerKey } from './keys.js';
import { JobPool } from '../jobs/JobPool.js';
import { provideDefaultPools } from './defaultPools.js';
import { taintTables } from '../jobs/CrashBarrier.js';
import { resolveJobPoolOptions, type JobPoolOptions } from '../jobs/JobPoolOptions.js';
import { JobPoolSupervisor } from '../jobs/JobPoolSupervisor.js';

/**
 * The pools tree's options.
 *
 * @example
 * const pools = await Pools.start(system, { name: 'pools', intensity: 10, period: 5_000 });
 */
export interface PoolsOptions {
  /** The tree's local name; its registry is `<name>.registry`, its pools supervisor `<name>.supervisor` (default `'arbor.pools'`). */
  readonly name?: string;
  /** The pools supervisor's restart intensity: pool restarts allowed within `period` ms (default 3 in 5000, OTP's). */
  readonly intensity?: number;
  readonly period?: number;
}

/**
 * What `startPool` answers: the pool's handle (started now, or already running under that
 * name), or why it could not start (nothing of it is left running).
 *
 * @example
 * const r = await pools.startPool(spec);
 * if (r.status === 'error') throw r.reason;
 */
export type StartPoolResult<W> =
  | { readonly status: 'started'; readonly pool: CheckoutPool<W> }
  | { readonly status: 'already_started'; readonly pool: CheckoutPool<W> }
  | { readonly status: 'error'; readonly reason: PoolStartError };

/**
 * What `startJobPool` answers.
 *
 * @example
 * const r = await pools.startJobPool(spec); if (r.status === 'error') throw r.reason;
 */
export type StartJobPoolResult =
  | { readonly status: 'started'; readonly pool: JobPool }
  | { readonly status: 'already_started'; readonly pool: JobPool }
  | { readonly status: 'error'; readonly reason: PoolStartError };

const DEFAULT_NAME = 'arbor.pools';
const OPTION_KEYS = ['name', 'intensity', 'period'];

function resolveTreeOptions(op: string, options: PoolsOptions | undefined): Required<PoolsOptions> {
  checkKnownKeys(op, options, OPTION_KEYS);
  const name = options?.name ?? DEFAULT_NAME;
  if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError(`${op}: name`, 'a non-empty string (a local name)', name);
  const intensity = options?.intensity ?? 3;
  if (!Number.isInteger(intensity) || intensity < 0) throw new InvalidOptionError(`${op}: intensity`, 'an integer >= 0', intensity);
  const period = options?.period ?? 5_000;
  checkTimeout(`${op}: period`, period, { integer: true, min: 1, infinity: false });
  return { name, intensity, period };
}

/**
 * The pools tree: `rest_for_one` over `[TableOwner, Registry, PoolsSupervisor]` (as PoolToy's
 * application, with the table owner of the job pools' crash-barrier taints, `<name>.tables`
 * owning `<name>.worker_taints`, first: it has no other work, and taints must outlive pool
 * restarts). The registry starts before the pools because every pool registers in it; if it
 * crashes the names it held are gone, so the pools supervisor (and every pool) restarts
 * after it; if the pools supervisor crashes, the registry keeps serving. @internal
 */
export class PoolsTree extends Supervisor<Required<PoolsOptions>> {
  protected override configure({ name, intensity, period }: Required<PoolsOptions>): SupervisorDef {
    return {
      strategy: 'rest_for_one',
      children: [
        // first: the crash barrier's taints outlive every pool (and registry) restart
        { ...taintTables(name).childSpec(), id: 'tables' },
        { id: 'registry', start: { behaviour: Registry, arg: { keys: 'unique', name: `${name}.registry` } } },
        DynamicSupervisor.childSpec({ intensity, period }, { id: 'pools', options: { name: `${name}.supervisor` } }),
      ],
    };
  }
}

/** InitError / FailedToStartChildError wrap the reason a start failed: the innermost one. */
function rootCause(reason: unknown): unknown {
  let r = reason;
  for (let i = 0; i < 8; i++) {
    const code = (r as { code?: unknown } | null)?.code;
    if ((code === 'init_failed' || code === 'failed_to_start_child') && (r as { reason?: unknown }).reason !== undefined) r = (r as { reason: unknown }).reason;
    else break;
  }
  return r;
}

/**
 * Named checkout pools under one supervisor. `startPool` starts a `PoolSupervisor(name)`
 * under the pools supervisor; the pool registers its name itself, so `stopPool(name)`,
 * `whereis(name)` and `pool(name)` keep working after it restarted any number of times.
 * Start the tree standalone (`Pools.start`), or put `Pools.childSpec()` in your application.
 *
 * @example
 * const pools = await Pools.start(system);
 * const r = await pools.startPool({ name: 'db', worker: childSpec(Conn, url), size: 2 });
 * await pools.stopPool('db'); // 'ok'
 */
export class Pools {
  readonly #system: ActorSystem;
  readonly #name: string;
  /** A named registry's handle follows the name across restarts, so one is enough. */
  #registryHandle: RegistryHandle<string, PoolEntry, any> | undefined;

  /** @internal Use `Pools.start`, or `Pools.of` for a tree started as a child. */
  constructor(system: ActorSystem, name: string) {
    this.#system = system;
    this.#name = name;
  }

  /**
   * Starts a pools tree linked to nothing and resolves with its handle.
   *
   * @example
   * const pools = await Pools.start(system, { name: 'pools' });
   */
  static async start(system: ActorSystem, options?: PoolsOptions): Promise<Pools> {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('Pools.start: system', 'an ActorSystem (createSystem())', system);
    const o = resolveTreeOptions('Pools.start', options);
    await PoolsTree.start(system, o, { name: o.name });
    return new Pools(system, o.name);
  }

  /**
   * The child spec of a pools tree, for an application's supervisor (`type: 'supervisor'`,
   * registered under `options.name`); reach it with `Pools.of(system, name)`.
   *
   * @example
   * await startApplication({ strategy: 'one_for_one', children: [Pools.childSpec({ name: 'pools' })] });
   */
  static childSpec(options?: PoolsOptions, overrides?: ChildSpecOverrides): ChildSpec {
    const o = resolveTreeOptions('Pools.childSpec', options);
    return PoolsTree.childSpec(o, { id: o.name, ...overrides, options: { name: o.name } });
  }

  /**
   * The handle of the pools tree running under `name` in `system` (it follows restarts).
   *
   * @example
   * const pools = Pools.of(app.system, 'pools');
   */
  static of(system: ActorSystem, name: string = DEFAULT_NAME): Pools {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('Pools.of: system', 'an ActorSystem', system);
    return new Pools(system, name);
  }

  /** The tree's root supervisor, or undefined if it is not running. */
  get ref(): ActorRef | undefined {
    return this.#system.whereis(this.#name);
  }

  /**
   * Starts a checkout pool named `options.name`: `started`, `already_started` (a pool of that
   * name runs; its handle), or `error` with a `PoolStartError` (a worker failed to start: its
   * cause). A bad definition rejects with `InvalidOptionError` naming the option.
   *
   * @example
   * const r = await pools.startPool({ name: 'py', worker: pythonProfile<PyApi>({ script }), size: 2, maxOverflow: 2 });
   * if (r.status !== 'error') await r.pool.transaction((py) => py.request('add', { a: 1, b: 2 }));
   */
  async startPool<const Wk extends PoolWorker>(options: CheckoutPoolOptions<Wk>): Promise<StartPoolResult<WorkerOf<Wk>>> {
    const o = resolvePoolOptions('startPool', options);
    const registry = this.#registryOrThrow('startPool');
    const handle = new CheckoutPool<WorkerOf<Wk>>(this.#system, () => this.#registry(), o.name);
    if (registry.whereis(o.name) !== undefined) return { status: 'already_started', pool: handle };
    const r = await DynamicSupervisor.startChild(this.#supervisor('startPool'), {
      id: o.name,
      start: { behaviour: PoolSupervisor, arg: { options: o, registry } },
      type: 'supervisor',
      restart: 'permanent',
    });
    if (r.status === 'ok') {
      // A new pool whose first workers failed to start is not started (a restarted one stays up and backs off).
      const first = await this.#initialStarts(o.name);
      if (first.ok) return { status: 'started', pool: handle };
      await DynamicSupervisor.terminateChild(this.#supervisor('startPool'), r.ref).catch(() => undefined);
      return { status: 'error', reason: new PoolStartError(o.name, first.error) };
    }
    const cause = r.status === 'error' ? rootCause(r.reason) : new Error('the pool supervisor ignored its start');
    if (cause instanceof PoolNameTakenError) return { status: 'already_started', pool: handle };
    return { status: 'error', reason: new PoolStartError(o.name, cause) };
  }

  /**
   * Starts a job pool named `options.name` in this tree: `started`, `already_started`, or
   * `error` with a `PoolStartError` (its first workers failed). A bad definition rejects with
   * `InvalidOptionError` naming the option.
   *
   * @example
   * const r = await pools.startJobPool({ name: 'thumbs', profile: threadProfile({ module: TASK_WORKER_URL }), maxWorkers: 4 });
   * if (r.status !== 'error') await r.pool.run(thumb, [img]);
   */
  async startJobPool(options: JobPoolOptions): Promise<StartJobPoolResult> {
    const o = resolveJobPoolOptions('startJobPool', options);
    const registry = this.#registryOrThrow('startJobPool');
    const handle = new JobPool(this.#system, o.name);
    if (registry.whereis(o.name) !== undefined) return { status: 'already_started', pool: handle };
    const r = await DynamicSupervisor.startChild(this.#supervisor('startJobPool'), {
      id: o.name,
      start: { behaviour: JobPoolSupervisor, arg: { options: o, registry, tree: this.#name } },
      type: 'supervisor',
      restart: 'permanent',
    });
    if (r.status === 'ok') {
      const first = await this.#initialStarts(o.name);
      if (first.ok) return { status: 'started', pool: handle };
      await DynamicSupervisor.terminateChild(this.#supervisor('startJobPool'), r.ref).catch(() => undefined);
      return { status: 'error', reason: new PoolStartError(o.name, first.error) };
    }
    const cause = r.status === 'error' ? rootCause(r.reason) : new Error('the pool supervisor ignored its start');
    if (cause instanceof PoolNameTakenError) return { status: 'already_started', pool: handle };
    return { status: 'error', reason: new PoolStartError(o.name, cause) };
  }

  /**
   * Stops the pool named `name` (its workers stop in order): `'ok'`, or `'not_found'`.
   *
   * @example
   * await pools.stopPool('py');
   */
  async stopPool(name: string): Promise<'ok' | 'not_found'> {
    checkPoolName('stopPool', name);
    const sup = this.#supervisor('stopPool');
    const ref = this.whereis(name) ?? (await DynamicSupervisor.whichChildren(sup)).find((c) => c.id === name && typeof c.ref === 'object')?.ref;
    if (ref === undefined || ref === 'restarting') return 'not_found';
    return DynamicSupervisor.terminateChild(sup, ref);
  }

  /**
   * The supervisor of the pool named `name` now, or undefined.
   *
   * @example
   * pools.whereis('py'); // ActorRef | undefined
   */
  whereis(name: string): ActorRef | undefined {
    try {
      return this.#registry()?.whereis(name);
    } catch {
      return undefined;
    }
  }

  /**
   * The handle of the pool named `name` (typed by you: `pool<WorkerHandle<PyApi>>('py')`);
   * its calls reject with `PoolStoppedError` while no such pool runs.
   *
   * @example
   * const py = pools.pool<WorkerHandle<PyApi>>('py');
   */
  pool<W = unknown>(name: string): CheckoutPool<W> {
    checkPoolName('pool', name);
    return new CheckoutPool<W>(this.#system, () => this.#registry(), name);
  }

  /**
   * The names of the pools running now.
   *
   * @example
   * pools.names(); // ['db', 'py']
   */
  names(): string[] {
    const registry = this.#registry();
    if (registry === undefined) return [];
    return registry.select((e) => !e.key.includes('/')).map((e) => e.key).sort();
  }

  /**
   * Stops the whole tree (every pool).
   *
   * @example
   * await pools.stop();
   */
  async stop(): Promise<void> {
    const ref = this.ref;
    if (ref !== undefined) await this.#system.stop(ref, 'shutdown').catch(() => undefined);
  }

  async #initialStarts(name: string): Promise<InitialStarts> {
    const manager = this.#registry()?.whereis(managerKey(name)) as ActorRef<PoolManagerProtocol> | undefined;
    if (manager === undefined) return { ok: false, error: new Error('the pool manager exited right after its start') };
    return this.#system.call(manager, { type: 'initial_starts' }, { timeout: 10_000 }).catch((error: unknown) => ({ ok: false as const, error }));
  }

  #registry(): RegistryHandle<string, PoolEntry, any> | undefined {
    return (this.#registryHandle ??= Registry.named<string, PoolEntry, any>(this.#system, `${this.#name}.registry`));
  }

  #registryOrThrow(op: string): RegistryHandle<string, PoolEntry, any> {
    const r = this.#registry();
    if (r === undefined || !r.alive) throw new PoolStoppedError(`${this.#name} (the pools tree)`, op);
    return r;
  }

  #supervisor(op: string): ActorRef<DynamicSupervisorProtocol> {
    const sup = this.#system.whereis(`${this.#name}.supervisor`);
    if (sup === undefined) throw new PoolStoppedError(`${this.#name} (the pools tree)`, op);
    return sup as ActorRef<DynamicSupervisorProtocol>;
  }
}

provideDefaultPools({ of: (system) => Pools.of(system), start: (system) => Pools.start(system) });
