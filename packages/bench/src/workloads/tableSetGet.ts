/**
 * `table_set_get`: lookups per second on a `set` table holding 100k keys.
 *
 * - arbor: `table.lookup(key)` through a handle bound to code outside any actor (a
 *   public table: the access check passes), round-robin over the 100k string keys.
 * - limit: `Map.get(key)` on a Map of the same keys and values.
 * - No peer: no actor library ships ETS-style tables for Node.
 *
 * Both loops sum the values found so the reads cannot be optimised away.
 */
import type { SetTable } from '@arbor/ets';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';
import { newSet } from './tableHost.js';

function timeGets(n: number, keys: readonly string[], get: (key: string) => number | undefined): number {
  let sum = 0;
  const t0 = now();
  for (let i = 0, k = 0; i < n; i++) {
    sum += get(keys[k]!) ?? 0;
    if (++k === keys.length) k = 0;
  }
  const ms = now() - t0;
  if (sum <= 0) throw new Error('table_set_get: no value found');
  return perSecond(n, ms);
}

export async function tableSetGetWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const n = sizes.lookupN;
  const system = benchSystem();
  try {
    const table = (await newSet<string>(system)) as SetTable<string, number>;
    const outside = table.as(system);
    const map = new Map<string, number>();
    const keys: string[] = [];
    for (let i = 0; i < sizes.tableKeys; i++) {
      const key = `key:${i}`;
      keys.push(key);
      table.insert(key, i + 1);
      map.set(key, i + 1);
    }
    const viaTable = (key: string): number | undefined => outside.lookup(key);
    const viaMap = (key: string): number | undefined => map.get(key);
    timeGets(Math.ceil(n / 10), keys, viaTable);
    timeGets(Math.ceil(n / 10), keys, viaMap);
    const { arbor, limit } = await bestOfRounds(sizes.rounds, { arbor: () => timeGets(n, keys, viaTable), limit: () => timeGets(n, keys, viaMap) });
    return makeRecord({
      arbor,
      limit,
      peers: {},
      unit: 'lookups/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.5 }],
      extra: { keys: sizes.tableKeys, n, rounds: sizes.rounds },
    });
  } finally {
    await system.shutdown();
  }
}
