import { childSpec, DynamicSupervisor, Supervisor, type RegistryHandle, type SupervisorDef } from '@arbor/core';
import { PoolNameTakenError, type PoolEntry } from '../checkout/PoolSupervisor.js';
import { managerKey, workersKey } from '../pools/keys.js';
import { JobPoolManager } from './JobPoolManager.js';
import type { ResolvedJobPoolOptions } from './JobPoolOptions.js';

/** The start argument of a `JobPoolSupervisor`. @internal */
export interface JobPoolSupervisorArg {
  readonly options: ResolvedJobPoolOptions;
  readonly registry: RegistryHandle<string, PoolEntry, any>;
  /** The pools tree's name (its table owner holds the crash barrier's taints). */
  readonly tree?: string | undefined;
}

/**
 * One job pool: `one_for_all` over `[WorkerSupervisor, JobPoolManager]`, as a checkout pool
 * (the manager's queues and in-flight jobs are only true of the workers it started). It
 * registers the pool's name in the pools registry from its own `init`, so job pools are
 * named pools too: `pools.whereis(name)`, `stopPool(name)` and `JobPool.of` work across restarts.
 *
 * @example
 * await pools.startJobPool({ name: 'thumbs', profile });
 */
export class JobPoolSupervisor extends Supervisor<JobPoolSupervisorArg> {
  override async init(arg: JobPoolSupervisorArg): Promise<void> {
    const { options, registry } = arg;
    const r = registry.register(options.name, { kind: 'jobs' });
    if (r.status === 'already_registered' && r.ref !== this.self) throw new PoolNameTakenError(options.name, r.ref);
    return super.init(arg);
  }

  protected override configure({ options, registry, tree }: JobPoolSupervisorArg): SupervisorDef {
    return {
      strategy: 'one_for_all',
      intensity: options.intensity,
      period: options.period,
      children: [
        DynamicSupervisor.childSpec({}, { id: 'workers', options: { name: registry.via(workersKey(options.name)) } }),
        childSpec(JobPoolManager, { options, registry, tree }, { id: 'manager', options: { name: registry.via(managerKey(options.name)) } }),
      ],
    };
  }
}
