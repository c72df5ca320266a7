/**
 * `table_set_insert`: inserts per second filling an empty `set` table with 100k new keys.
 *
 * - arbor: `table.insert(key, value)` of 100k random numeric keys into an emptied table
 *   (`deleteAllObjects` between fills, outside the timing).
 * - limit: `Map.set` of the same keys into a new Map. Target: arbor >= 0.5 x limit (the
 *   access check and the key check are the only extra work).
 * - No peer.
 */
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { collectGarbage, now, perSecond } from '../util.js';
import { newSet, randomKeys } from './tableHost.js';

/** Inserts/s of one fill of `keys` by `put` (after `reset`). */
export function timeFill(keys: readonly number[], reset: () => void, put: (key: number, value: number) => void): number {
  reset();
  collectGarbage();
  const t0 = now();
  for (let i = 0; i < keys.length; i++) put(keys[i]!, i);
  return perSecond(keys.length, now() - t0);
}

export async function tableSetInsertWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const system = benchSystem();
  try {
    const table = await newSet<number>(system);
    const keys = randomKeys(sizes.tableKeys);
    let map = new Map<number, number>();
    const fillTable = (): number => timeFill(keys, () => table.deleteAllObjects(), (k, v) => table.insert(k, v));
    const fillMap = (): number =>
      timeFill(keys, () => (map = new Map()), (k, v) => {
        map.set(k, v);
      });
    fillTable();
    fillMap();
    let arbor = 0;
    let limit = 0;
    for (let r = 0; r < sizes.rounds * 3; r++) {
      arbor = Math.max(arbor, fillTable());
      limit = Math.max(limit, fillMap());
    }
    if (table.size() !== keys.length) throw new Error('table_set_insert: wrong size');
    return makeRecord({
      arbor,
      limit,
      peers: {},
      unit: 'inserts/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.5 }],
      extra: { keys: sizes.tableKeys, fills: sizes.rounds * 3 },
    });
  } finally {
    await system.shutdown();
  }
}
