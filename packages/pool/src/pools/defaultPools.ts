import type { ActorSystem } from '@arbor/core';
import type { Pools } from './Pools.js';

/**
 * The default pools tree, as `Pools.ts` provides it when it loads (it imports the pool
 * handles, so they cannot import it back: no runtime cycle). @internal
 */
interface DefaultPools {
  of(system: ActorSystem): Pools;
  start(system: ActorSystem): Promise<unknown>;
}
let defaultPools: DefaultPools | undefined;

/** Called once by `Pools.ts`. @internal */
export function provideDefaultPools(p: DefaultPools): void {
  defaultPools = p;
}

/** The default pools tree's `of` and `start`. @internal */
export function poolsOf(): DefaultPools {
  if (defaultPools === undefined) throw new Error('@arbor/pool: import the pools from the package entry (@arbor/pool), which loads the pools tree');
  return defaultPools;
}

/** The default pools tree's start, once per system (two `JobPool.start` / `CheckoutPool.start` at once share it). */
const treeStarts = new WeakMap<ActorSystem, { done: boolean; promise: Promise<unknown> }>();

/**
 * Starts the system's default pools tree unless it runs, and resolves with its handle. @internal
 *
 * @example
 * const pools = await defaultTree(system);
 */
export async function defaultTree(system: ActorSystem): Promise<Pools> {
  const pools = poolsOf().of(system);
  const last = treeStarts.get(system);
  if (last !== undefined && (!last.done || pools.ref !== undefined)) {
    await last.promise;
    return pools;
  }
  if (pools.ref !== undefined) return pools; // started by someone else
  const entry = { done: false, promise: poolsOf().start(system) };
  entry.promise.then(
    () => (entry.done = true),
    () => treeStarts.delete(system),
  );
  treeStarts.set(system, entry);
  await entry.promise;
  return pools;
}
