/**
 * `registry_lookup`: lookups per second in a unique registry holding 10k keys.
 *
 * - arbor: `registry.whereis(key)` over the 10k keys, round-robin (each answer is a live
 *   actor's ref: the read checks that the owner is alive, so it never returns a stale one).
 * - limit: `Map.get(key)` on a Map of the same 10k keys to the same refs: the raw cost of
 *   the lookup with no liveness check.
 * - No peer: xstate has no registry (its `system.get(systemId)` is a plain Map read, which
 *   is the limit).
 *
 * Both loops sum a field of the answer so the reads cannot be optimised away.
 */
import { Registry, type ActorRef } from '@arbor/core';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

const KEYS = 10_000;

function timeLookups(n: number, keys: readonly string[], get: (key: string) => ActorRef | undefined): number {
  let found = 0;
  const t0 = now();
  for (let i = 0, k = 0; i < n; i++) {
    if (get(keys[k]!) !== undefined) found++;
    if (++k === keys.length) k = 0;
  }
  const ms = now() - t0;
  if (found !== n) throw new Error(`registry_lookup: ${found} of ${n} lookups found an actor`);
  return perSecond(n, ms);
}

export async function registryLookupWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const n = sizes.lookupN;
  const system = benchSystem();
  try {
    const registry = await Registry.start<string, undefined>(system, { keys: 'unique' });
    const keys: string[] = [];
    const map = new Map<string, ActorRef>();
    for (let i = 0; i < KEYS; i++) {
      const key = `worker:${i}`;
      const ref = await system.spawn(Counter, i, { name: registry.via(key) });
      keys.push(key);
      map.set(key, ref);
    }
    const viaRegistry = (key: string): ActorRef | undefined => registry.whereis(key);
    const viaMap = (key: string): ActorRef | undefined => map.get(key);
    timeLookups(Math.ceil(n / 10), keys, viaRegistry);
    timeLookups(Math.ceil(n / 10), keys, viaMap);

    const { arbor, limit } = await bestOfRounds(sizes.rounds, { arbor: () => timeLookups(n, keys, viaRegistry), limit: () => timeLookups(n, keys, viaMap) });
    return makeRecord({
      arbor,
      limit,
      peers: {},
      unit: 'lookups/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.5 }],
      extra: { keys: KEYS, n, rounds: sizes.rounds },
    });
  } finally {
    await system.shutdown();
  }
}
