import { childSpec, DynamicSupervisor, Supervisor, type ActorRef, type RegistryHandle, type SupervisorDef } from '@arbor/core';
import { managerKey, workersKey } from '../pools/keys.js';
import type { ResolvedPoolOptions } from './CheckoutPoolOptions.js';
import { PoolManager } from './PoolManager.js';

/** What a pool's name maps to in the pools registry. @internal */
export interface PoolEntry {
  readonly kind: 'profile' | 'actor' | 'jobs';
}

/** The start argument of a `PoolSupervisor`. @internal */
export interface PoolSupervisorArg {
  readonly options: ResolvedPoolOptions;
  readonly registry: RegistryHandle<string, PoolEntry, any>;
}

/** A pool's name was taken between `startPool`'s look-up and the pool's init. @internal */
export class PoolNameTakenError extends Error {
  constructor(readonly pool: string, readonly holder: ActorRef) {
    super(`pool ${JSON.stringify(pool)} is already running`);
  }
}

/**
 * One pool: `one_for_all` over `[WorkerSupervisor, PoolManager]`. The manager's state (who
 * holds which worker, who waits) is only true of the workers it started, so when either
 * child dies both restart: a restarted manager with the old workers would not know their
 * leases, and a restarted worker supervisor would leave the manager with dead workers. The
 * worker supervisor starts first because the manager starts its workers through it.
 *
 * The supervisor registers the pool's name in the pools registry from its own `init`, so
 * every restart registers the new supervisor and a crash frees the name (seed: PoolToy).
 *
 * @example
 * const r = await pools.startPool({ name: 'py', worker: pythonProfile<Api>({ script }), size: 2 });
 */
export class PoolSupervisor extends Supervisor<PoolSupervisorArg> {
  override async init(arg: PoolSupervisorArg): Promise<void> {
    const { options, registry } = arg;
    const r = registry.register(options.name, { kind: options.kind });
    if (r.status === 'already_registered' && r.ref !== this.self) throw new PoolNameTakenError(options.name, r.ref);
    return super.init(arg);
  }

  protected override configure({ options, registry }: PoolSupervisorArg): SupervisorDef {
    return {
      strategy: 'one_for_all',
      intensity: options.intensity,
      period: options.period,
      children: [
        DynamicSupervisor.childSpec({}, { id: 'workers', options: { name: registry.via(workersKey(options.name)) } }),
        childSpec(PoolManager, { options, registry }, { id: 'manager', options: { name: registry.via(managerKey(options.name)) } }),
      ],
    };
  }
}
