import type { TestFn } from 'ava';
import { childSpec, createSystem, type ActorRef, type ActorSystem } from '@arbor/core';
import { Pools, type CheckoutPool, type CheckoutPoolOptions } from '../../src/index.js';
import { started } from './clients.js';
import { Doubler, type DoublerProtocol } from './workers.js';

/** The worker type of the rig's pools. */
export type W = ActorRef<DoublerProtocol>;

/**
 * One system and one pools tree for a test file (started before, stopped after), and
 * `newPool(size, maxOverflow, extra)`: a started pool of Doublers under a fresh name.
 */
export function poolRig(test: TestFn, tree: string) {
  const system: ActorSystem = createSystem();
  const rig = { system, pools: undefined as unknown as Pools, newPool };
  let n = 0;
  function newPool(size: number, maxOverflow: number, extra: Omit<Partial<CheckoutPoolOptions>, 'name' | 'worker'> = {}): Promise<CheckoutPool<W>> {
    return started(rig.pools.startPool({ name: `${tree}${++n}`, worker: childSpec(Doubler, undefined), size, maxOverflow, ...extra }));
  }
  test.before(async () => {
    rig.pools = await Pools.start(system, { name: tree });
  });
  test.after.always(async () => {
    await rig.pools.stop();
    await system.shutdown();
  });
  return rig;
}
